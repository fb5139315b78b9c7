// The order of operations of gcloud scripts: what each command creates, changes
// or deletes, in script order. The Graph owns it; engine/change.h lowers it,
// with a plan's lifecycle, into the steps rules read (rules do not read it).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "engine/model.h"
#include "engine/source.h"

namespace lbcheck {

struct Operation {
  enum class Verb : uint8_t {
    Create,         // ... create, run deploy (of a service the script did not create)
    Update,         // ... update, run deploy / services update of a known service
    Delete,         // ... delete
    AddBackend,     // backend-services add-backend
    RemoveBackend,  // backend-services remove-backend
    Edit,           // backend-services edit (interactive)
    Import,         // url-maps import
  };
  /// A reference the resource holds after the operation.
  struct Ref {
    std::string path;      // canonical field path: "backends[0].group", "urlMap"
    Identity to;           // what it names (scope may be unknown)
    Span span;             // the flag value that wrote it
    std::string spelling;  // the flag: "--network-endpoint-group"
    bool written = false;  // this operation wrote it (it was not there before)
  };

  Verb verb = Verb::Create;
  uint32_t document = 0;     // the script's source file id
  uint32_t sequence = 0;     // position in the script
  uint32_t lane = 0;         // the part of the document it runs in (see LaneOrder)
  int32_t resource = -1;     // the Graph index of the resource it acts on
  Identity target;           // the resource the command names
  std::string command;       // "gcloud compute network-endpoint-groups delete"
  Span span;                 // the command, from `gcloud` to the resource name
  Span nameSpan;             // the resource name argument
  Span whole;                // the whole command with all its flags
  std::vector<Ref> refs;     // every reference the resource holds afterwards
  std::vector<Ref> removed;  // references this operation drops (remove-backend, update)
  /// The fields this operation writes (its flags and what gcloud fills in for
  /// the flags it leaves out), by canonical path, as they stand after it.
  std::vector<std::pair<std::string, Field>> writes;
};

std::string_view verbName(Operation::Verb v);

/// How the parts ("lanes") of a document whose parts may run at the same time
/// wait for each other: a Cloud Build config's steps, ordered only by their
/// `waitFor`. Operations of one lane run in sequence order; an operation of
/// lane a is done before one of lane b starts only when b waits for a. A
/// document without a LaneOrder runs all its operations in sequence order.
struct LaneOrder {
  uint32_t document = 0;
  /// after[b]: every lane b waits for, directly or not (sorted).
  std::vector<std::vector<uint32_t>> after;

  /// Lane a ends before lane b starts (false for the same lane).
  bool ordered(uint32_t a, uint32_t b) const;
};

/// Same kind and name, and the same scope when both are known (a script often
/// leaves the scope of a referenced object unknown). Projects are not compared.
bool sameScriptObject(const Identity& a, const Identity& b);

}  // namespace lbcheck
