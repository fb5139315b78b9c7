// The changes the inputs ask for, in one model whatever their format: steps
// (create, read, update, delete or replace of one resource, with where each is
// written) and the order they happen in. A plan's lifecycle (actions, the prior
// object, dependencies, create_before_destroy) and a script's timeline both
// lower into it, so ordering and lifecycle rules have one detection path.
//
// Two kinds of documents make steps:
//  - sequential: the steps run one at a time in the order written, each seeing
//    exactly what the steps before it left (a shell script of commands);
//  - scheduled: a tool runs the steps in an order of its own that only the
//    dependencies constrain (a plan): creations wait for what they depend on,
//    and a resource is destroyed only after the resources that still hold it
//    are destroyed or have dropped it.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "engine/model.h"
#include "engine/source.h"
#include "engine/timeline.h"

namespace lbcheck {

class Graph;

struct Step {
  enum class Action : uint8_t { Create, Read, Update, Delete, Replace };
  Action action = Action::Update;
  /// Replace: the new copy is created before the old one is destroyed.
  bool createFirst = false;
  /// Update through an interactive editor rather than a command that runs unattended.
  bool interactive = false;
  /// An update that only adds a member to one of its resource's lists (a backend
  /// to a backend service), or only takes one away, whether or not the document
  /// says which member (`drops` holds what a detach names). A scheduled change
  /// rewrites the whole object and does neither.
  bool attaches = false;
  bool detaches = false;
  /// The document runs its steps one at a time in the order written (see above).
  bool sequential = false;
  /// Scheduled steps: the document says what the resource waits for; without
  /// it nothing is known about the order of this step.
  bool dependenciesKnown = false;
  int32_t resource = -1;  // the Graph index of the resource it acts on
  uint32_t document = 0;
  uint32_t sequence = 0;  // position among the document's steps (sequential only)
  /// The part of its document it runs in: parts that do not wait for each other
  /// may run at the same time (Graph::laneOrder; sequential only).
  uint32_t lane = 0;
  Span at;         // where the step is written: the plan's actions, the command's name
  Span name;       // where the step names its resource (the resource's header, the command's name)
  Span statement;  // the whole statement that asks for it (`at` when there is none)
  std::string_view command;  // how the document says it ("" when it has no command)
  /// References this step drops from its resource (sequential only).
  std::vector<Operation::Ref> drops;

  /// The old object goes away before anything else of the step happens.
  bool destroysFirst() const {
    return action == Action::Delete || (action == Action::Replace && !createFirst);
  }
  /// The step makes an object that was not there.
  bool creates() const { return action == Action::Create || action == Action::Replace; }
};

/// A reference to a resource, as it stands when a step runs.
struct Holder {
  int32_t resource = -1;  // who holds it
  std::string_view path;  // the canonical field path ("backends[0].group")
  std::string spelling;   // the field as the holder's input spells it ("--url-map", "url_map")
  Span span;              // the reference (the holder's header when it is not written)
  bool prior = false;     // held by the object before the holder's own change
};

/// A reference the resource holds when a step runs, and the resource it names
/// (-1 when that is not known or does not exist then).
struct HeldRef {
  const Operation::Ref* ref = nullptr;
  int32_t target = -1;
};

/// A reference a step writes that names a resource an earlier step of its
/// document deleted, and that delete.
struct GoneRef {
  const Operation::Ref* ref = nullptr;
  const Step* deletedBy = nullptr;
};

class Changes {
 public:
  explicit Changes(const Graph& g);

  /// Every step: sequential documents' steps in document and written order first,
  /// then the scheduled steps in graph order.
  const std::vector<Step>& steps() const { return steps_; }
  /// The steps of one resource, in order (empty: no input changes it).
  std::vector<const Step*> stepsOf(int32_t resource) const;
  /// True when some input changes the resource.
  bool changed(int32_t resource) const { return first(resource) >= 0; }

  /// `a` is done before `b` starts. Steps of different documents are not
  /// ordered; a scheduled creation is after the creations it waits for; steps
  /// of a sequential document's lanes that do not wait for each other are not.
  bool before(const Step& a, const Step& b) const;

  /// Whether `resource` exists while step `s` runs. Sequential documents: what
  /// the steps before `s` left (an object the document first changes without
  /// creating it was there already). Scheduled documents: a creation sees only
  /// what it waits for; otherwise what the change does not destroy (first)
  /// exists. Resources no step of `s`'s document touches exist unless going away.
  bool existsAt(int32_t resource, const Step& s) const;

  /// The references to `s`'s resource that are still held when `s` runs, in
  /// graph (scheduled) or document (sequential) order. Scheduled: holders
  /// destroyed first do not count, and on a plain delete neither do
  /// references the holder's own change drops (it runs first).
  std::vector<Holder> holders(const Step& s) const;

  /// The references `s`'s resource holds just before `s` (sequential steps
  /// only; empty otherwise), with what each names at that point.
  std::vector<HeldRef> heldBefore(const Step& s) const;

  /// The references `s` writes (rather than keeps) that name a resource an
  /// earlier step of its document deleted and no step has made again since,
  /// each with the earliest such delete (sequential steps only; empty
  /// otherwise: a scheduled document orders no write after a delete).
  std::vector<GoneRef> goneBefore(const Step& s) const;

  /// The earlier steps of `holder` in `s`'s document (sequential only).
  std::vector<const Step*> earlierStepsOf(int32_t holder, const Step& s) const;

  /// The value of `path` in `r` just before step `s` runs (r is s's resource or
  /// another one). Scheduled: the prior object of r's update (r's object when
  /// the change does not update r). Sequential: what the earlier steps of s's
  /// document wrote last; when none wrote it, Absent if one of them created r,
  /// Unknown if a later step writes it (the value before the document is not
  /// known), else r's object.
  const Field& fieldBefore(const Step& s, const Resource& r, std::string_view path) const;
  /// The value of `path` in s's resource just after `s`: the planned object of
  /// a scheduled change; in a sequential document what `s` or an earlier step
  /// wrote last, as fieldBefore says otherwise.
  const Field& fieldAfter(const Step& s, std::string_view path) const;

 private:
  const Graph& g_;
  std::vector<Step> steps_;
  std::vector<const Operation*> ops_;  // steps_[i]'s operation (sequential steps only)
  std::vector<int32_t> first_;         // by resource: its first step, -1 none
  std::vector<int32_t> next_;          // by step: the resource's next step, -1 none
  // Scheduled documents: resources sorted by address, per document.
  std::vector<std::pair<uint32_t, std::vector<std::pair<std::string_view, int32_t>>>> addresses_;
  // Sequential steps: the holders of the target just before (deletes), and the
  // resource's own references just before, with what they name.
  std::vector<std::vector<Holder>> seqHolders_;
  std::vector<std::vector<HeldRef>> seqHeld_;
  // Sequential steps: the references they write to what their document deleted.
  std::vector<std::vector<GoneRef>> seqGone_;

  int32_t first(int32_t resource) const {
    return resource >= 0 && static_cast<size_t>(resource) < first_.size()
               ? first_[static_cast<size_t>(resource)]
               : -1;
  }
  int32_t indexOf(const Step& s) const { return static_cast<int32_t>(&s - steps_.data()); }
  bool waitsFor(const Step& later, int32_t resource) const;
  const Field& sequentialValue(const Step& s, const Resource& r, std::string_view path,
                               bool including) const;
  void replaySequential();
};

}  // namespace lbcheck
