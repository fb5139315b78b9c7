// One owner of every resource; references become edges (Field::ref.target).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/change.h"
#include "engine/model.h"
#include "engine/timeline.h"

namespace lbcheck {

class Graph {
 public:
  int32_t add(Resource resource);
  void reserve(size_t n) { resources_.reserve(n); }
  /// Gives back the room the resource list grew into (a file's graph waits,
  /// with thousands of others, to be joined into the run's).
  void shrinkToFit() { resources_.shrink_to_fit(); }
  const std::vector<Resource>& resources() const { return resources_; }
  const Resource& at(int32_t i) const { return resources_[static_cast<size_t>(i)]; }
  Resource& at(int32_t i) { return resources_[static_cast<size_t>(i)]; }
  size_t size() const { return resources_.size(); }
  /// Moves every resource out (used to join per-file graphs into one).
  std::vector<Resource> release() {
    nameSlots_.clear();
    nextNamed_.clear();
    named_ = 0;
    nameGroups_ = 0;
    referrerStart_.clear();
    referrerList_.clear();
    byKind_.clear();
    forgetChanges();
    return std::move(resources_);
  }
  /// Moves `other`'s resources, timeline and lane orders to the end of this
  /// graph (its operations' resource indexes shift by the resources already here).
  void absorb(Graph& other);

  /// Resolves every Field::ref: Terraform addresses within the same document
  /// first, then identities. Unresolvable references keep target == -1.
  /// `jobs` threads share the work (the result does not depend on it).
  void resolve(size_t jobs = 1);

  /// Merges resources read from several inputs that are the same GCP object
  /// (same kind, scope and name; same project or one unknown): the first one
  /// (inputs are in path order) is kept and takes the fields only the others
  /// have; the others point at it (mergedInto). Differing values become notes.
  void merge(std::vector<struct Finding>& notes);

  /// Pairs each resource with the locator of its address (its display name; an
  /// instance address `a["k"]` also matches a locator `a[*]`): findings about it
  /// are then reported at the locator's spans (Reporter). Call once, before the
  /// rules; the graph keeps the locators.
  void attachLocators(std::vector<Locator> locators);
  const std::vector<Locator>& locators() const { return locators_; }

  /// The resource a field refers to, or null (unresolved, or not a reference).
  const Resource* target(const Field& field) const;
  int32_t indexOf(const Resource& r) const { return static_cast<int32_t>(&r - resources_.data()); }

  /// Finds a resource by identity. An empty project on either side matches any
  /// project. Resources that are going away lose against ones that stay.
  int32_t find(const Identity& id) const;
  /// Like find(), but when nothing matches exactly, accepts one resource with the
  /// same kind, project and name in another scope (to report scope mismatches).
  int32_t findAnyScope(const Identity& id) const;
  int32_t findByAddress(uint32_t document, std::string_view address,
                        std::string_view referrerAddress) const;

  /// Every (resource index, field path) whose reference resolves to `target`.
  struct Referrer {
    int32_t resource;
    bool prior;             // the reference is in the object before the change
    std::string_view path;  // the field's key in the resource's map (it outlives the answer)
  };
  /// Precomputed by resolve(); before it, the answer is computed (and viewed
  /// in a per-thread buffer that the next call reuses).
  std::span<const Referrer> referrers(int32_t target) const;

  /// The indexes of the resources of `kind`, in graph order (rules use it instead
  /// of scanning every resource). Built on first use; add() invalidates it.
  const std::vector<int32_t>& ofKind(Kind kind) const;
  /// The indexes of the resources of one kind and name (any scope or
  /// project), in graph order: a ring of nextNamed_ links walked from its
  /// last member's successor (the first) to that last member.
  class Named {
   public:
    class iterator {
     public:
      int32_t operator*() const { return at_; }
      iterator& operator++() {
        at_ = at_ == last_ ? -1 : next_[at_];
        return *this;
      }
      bool operator==(const iterator& o) const { return at_ == o.at_; }

     private:
      friend class Named;
      iterator(const int32_t* next, int32_t at, int32_t last) : next_(next), at_(at), last_(last) {}
      const int32_t* next_;
      int32_t at_;
      int32_t last_;
    };
    iterator begin() const { return {next_, last_ < 0 ? -1 : next_[last_], last_}; }
    iterator end() const { return {next_, -1, last_}; }
    bool empty() const { return last_ < 0; }

   private:
    friend class Graph;
    Named(const int32_t* next, int32_t last) : next_(next), last_(last) {}
    const int32_t* next_;
    int32_t last_;
  };
  /// The indexes of the resources of `kind` named `name` (any scope or project),
  /// in graph order.
  Named named(Kind kind, std::string_view name) const;

  /// The operations of gcloud scripts, in script order (empty for other inputs).
  const std::vector<Operation>& timeline() const { return timeline_; }
  void addOperation(Operation op) {
    forgetChanges();
    timeline_.push_back(std::move(op));
  }
  /// The lane order of a document whose parts may run at the same time.
  void addLaneOrder(LaneOrder order) {
    forgetChanges();
    laneOrders_.push_back(std::move(order));
  }
  /// `document`'s lane order; null when it runs its operations in sequence.
  const LaneOrder* laneOrder(uint32_t document) const;
  /// What the inputs change, as steps and their order (engine/change.h), over
  /// every input: a plan's lifecycle and a script's timeline alike. Built on
  /// first use (ask after resolve(); add() and addOperation() drop it); safe
  /// to ask from several threads. The answer refers to this graph: do not move
  /// the graph while it is in use.
  const Changes& changes() const;

 private:
  std::vector<Resource> resources_;
  // Built by resolve(): referrerList_[referrerStart_[i], referrerStart_[i + 1])
  // point at resource i (one list for all: a vector per resource cost 24 bytes
  // and a heap block each).
  std::vector<uint32_t> referrerStart_;
  std::vector<Referrer> referrerList_;
  std::vector<Operation> timeline_;
  std::vector<LaneOrder> laneOrders_;
  std::vector<Locator> locators_;  // Resource::locator points into it: never resized once attached
  mutable std::unique_ptr<const Changes> changes_;
  mutable std::unique_ptr<std::once_flag> changesOnce_ = std::make_unique<std::once_flag>();
  void forgetChanges() {
    if (!changes_) return;
    changes_.reset();
    changesOnce_ = std::make_unique<std::once_flag>();
  }
  // (kind, name) -> the resources so named. Built on first use, not by add():
  // a file's own graph is joined into the run's and never asked (the join was
  // 5% of a large run). Lookups may then run on several threads: resolve()
  // leaves it complete. Open addressing over (hash, last member) slots, at
  // most half full; the members of a name are a ring of nextNamed_ links (see
  // Named). A map from "kind|name" strings to vectors cost about 80 bytes a
  // resource and a cache miss or three per lookup.
  struct NameSlot {
    uint32_t hash = 0;
    int32_t last = -1;  // -1: an empty slot
  };
  mutable std::vector<NameSlot> nameSlots_;
  mutable std::vector<int32_t> nextNamed_;  // by resource; -1 for a resource with no name
  mutable size_t named_ = 0;                // resources_[0, named_) are indexed
  mutable size_t nameGroups_ = 0;           // slots in use
  void indexNames() const;
  /// The slot of (kind, name): its group's, or the empty one where it would go.
  size_t nameSlot(uint32_t hash, Kind kind, std::string_view name) const;
  mutable std::vector<std::vector<int32_t>> byKind_;  // ofKind(); empty: not built
  // Address lookups during resolve() (views into resources_; empty otherwise).
  struct AddressIndex;
  int32_t pickInstance(const std::vector<int32_t>& instances,
                       std::string_view referrerAddress) const;
  const AddressIndex* addresses_ = nullptr;
};

}  // namespace lbcheck
