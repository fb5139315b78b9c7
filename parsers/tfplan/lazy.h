// A plan read a piece at a time. `terraform show -json` of a large configuration
// is tens or hundreds of megabytes, and its tree (a node and a member per value)
// is larger than the file. A skim (json::skim) first finds where the large
// arrays' elements are (the resource changes, the module trees of planned and
// prior values); lowering then parses one element, lowers it and drops it, and
// parses the rest of the plan (its configuration, outputs, variables) as pieces
// kept for the whole lowering. Every byte is still parsed once: a plan with a
// syntax error anywhere is read whole instead, which says where.
#pragma once

#include <functional>
#include <memory>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "engine/json.h"
#include "engine/source.h"

namespace lbcheck::tfplan {

/// The skimmed file and the pieces parsed from it.
class Pieces {
 public:
  Pieces(const SourceFile& file, size_t maxDepth) : file_(file), maxDepth_(maxDepth) {}

  /// The piece `skim` (at `depth`: the containers around it), parsed once and
  /// kept; a missing Value when it does not parse (failed() then says so).
  json::Value keep(const json::Skim& skim, size_t depth);
  /// The piece parsed for the caller alone (null when it does not parse).
  std::unique_ptr<json::Document> parse(const json::Skim& skim, size_t depth);
  /// Parses every piece under `root` that nothing parsed: its syntax counts
  /// even when lowering never reads it.
  void checkTheRest(const json::Skim& root, size_t depth = 0);
  /// Some piece did not parse: the file must be read whole.
  bool failed() const { return failed_; }
  /// The piece `skim` if keep() parsed it; else a missing Value.
  json::Value kept(const json::Skim& skim) const;
  uint32_t fileId() const { return file_.id(); }

 private:
  /// Parses bytes [begin, end) at `depth` (null, and failed(), when they do not parse).
  std::unique_ptr<json::Document> parseAt(uint32_t begin, uint32_t end, size_t depth);

  const SourceFile& file_;
  size_t maxDepth_;
  bool failed_ = false;
  std::vector<std::unique_ptr<json::Document>> kept_;
  std::unordered_map<const json::Skim*, json::Value> keptBy_;
  std::unordered_set<const json::Skim*> parsed_;
};

/// A JSON value of the plan: a Value of a parsed tree, or a skimmed piece that
/// is parsed when something asks for more than its children.
class Lazy {
 public:
  Lazy() = default;
  Lazy(json::Value value) : value_(value) {}  // NOLINT: a parsed value reads as itself
  Lazy(Pieces* pieces, const json::Skim* skim, size_t depth)
      : pieces_(pieces), skim_(skim), depth_(depth) {}

  bool exists() const { return skim_ != nullptr || value_.exists(); }
  explicit operator bool() const { return exists(); }
  bool isArray() const { return type() == json::Type::Array; }
  bool isObject() const { return type() == json::Type::Object; }
  Span span() const;
  /// The whole value (a piece is parsed once and kept until the lowering ends).
  json::Value value() const;
  /// An object's member (the last one of that key, as json::Value::get).
  Lazy get(std::string_view key) const;
  /// Each element of an array. One that the skim did not open is parsed for
  /// the call only: `f` must not keep it (at() keeps one).
  void forEachElement(const std::function<void(size_t, Lazy)>& f) const;
  /// The element `i` of an array, kept.
  Lazy at(size_t i) const;

 private:
  json::Type type() const;
  Lazy child(const json::Skim& skim) const { return Lazy(pieces_, &skim, depth_ + 1); }

  json::Value value_;
  Pieces* pieces_ = nullptr;
  const json::Skim* skim_ = nullptr;
  size_t depth_ = 0;
};

/// Skims a plan (`bytes` from `from`, past any byte-order mark): opens the top
/// level, `resource_changes` and `resource_drift`, and the module trees of
/// `planned_values`, `prior_state` and `values`. False when the file is not
/// one JSON object that a skim can follow.
bool skimPlan(std::string_view bytes, uint32_t from, size_t maxDepth, json::Skim* out);

}  // namespace lbcheck::tfplan
