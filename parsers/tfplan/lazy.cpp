#include "parsers/tfplan/lazy.h"

#include <string>

namespace lbcheck::tfplan {

json::Value Pieces::keep(const json::Skim& skim, size_t depth) {
  if (const auto it = keptBy_.find(&skim); it != keptBy_.end()) return it->second;
  std::unique_ptr<json::Document> doc = parse(skim, depth);
  if (!doc) return {};
  const json::Value root = doc->root();
  kept_.push_back(std::move(doc));
  keptBy_.emplace(&skim, root);
  return root;
}

json::Value Pieces::kept(const json::Skim& skim) const {
  const auto it = keptBy_.find(&skim);
  return it == keptBy_.end() ? json::Value() : it->second;
}

std::unique_ptr<json::Document> Pieces::parse(const json::Skim& skim, size_t depth) {
  parsed_.insert(&skim);
  return parseAt(skim.begin, skim.end, depth);
}

std::unique_ptr<json::Document> Pieces::parseAt(uint32_t begin, uint32_t end, size_t depth) {
  if (failed_) return nullptr;
  if (depth > maxDepth_) {
    failed_ = true;
    return nullptr;
  }
  json::Limits limits;
  limits.maxDepth = maxDepth_ - depth;
  limits.scalarRoot = true;
  json::ParseError error;
  auto doc = json::parseRange(file_, begin, end, limits, &error);
  if (!doc) failed_ = true;
  return doc;
}

void Pieces::checkTheRest(const json::Skim& root, size_t depth) {
  if (failed_) return;
  if (root.opened) {
    for (const json::Skim& child : root.children) checkTheRest(child, depth + 1);
    return;
  }
  if (parsed_.count(&root)) return;
  // A large piece no lowering reads (a plan's relevant_attributes) is checked
  // a member at a time too: its tree would be megabytes at the end of reading.
  constexpr uint32_t kLarge = 1u << 20;
  const bool container = root.type == json::Type::Object || root.type == json::Type::Array;
  if (!container || root.end - root.begin < kLarge || depth >= maxDepth_) {
    parse(root, depth);
    return;
  }
  json::Skim opened;
  const auto top = [](const std::vector<std::string_view>& path) { return path.empty(); };
  if (!json::skim(file_.text(), root.begin, root.end, maxDepth_ - depth, top, &opened)) {
    failed_ = true;
    return;
  }
  parsed_.insert(&root);
  for (const json::Skim& child : opened.children) parseAt(child.begin, child.end, depth + 1);
}

Span Lazy::span() const {
  if (skim_ == nullptr) return value_.span();
  return Span{pieces_->fileId(), skim_->begin, skim_->end};
}

json::Value Lazy::value() const {
  if (skim_ == nullptr) return value_;
  return pieces_->keep(*skim_, depth_);
}

json::Type Lazy::type() const {
  if (skim_ != nullptr) return skim_->type;
  return value_.exists() ? value_.type() : json::Type::Null;
}

Lazy Lazy::get(std::string_view key) const {
  if (skim_ == nullptr || !skim_->opened) return value().get(key);
  if (skim_->type != json::Type::Object) return {};
  for (auto it = skim_->children.rbegin(); it != skim_->children.rend(); ++it)
    if (it->key == key) return child(*it);
  return {};
}

void Lazy::forEachElement(const std::function<void(size_t, Lazy)>& f) const {
  if (skim_ == nullptr || !skim_->opened) {
    value().forEachElement([&](size_t i, json::Value v) { f(i, Lazy(v)); });
    return;
  }
  if (skim_->type != json::Type::Array) return;
  for (size_t i = 0; i < skim_->children.size(); ++i) {
    const json::Skim& element = skim_->children[i];
    if (element.opened) {
      f(i, child(element));
      continue;
    }
    if (const json::Value kept = pieces_->kept(element)) {  // at() kept it: no second parse
      f(i, Lazy(kept));
      continue;
    }
    const std::unique_ptr<json::Document> doc = pieces_->parse(element, depth_ + 1);
    if (doc) f(i, Lazy(doc->root()));
  }
}

Lazy Lazy::at(size_t i) const {
  if (skim_ == nullptr || !skim_->opened) return value().at(i);
  if (skim_->type != json::Type::Array || i >= skim_->children.size()) return {};
  return child(skim_->children[i]);
}

bool skimPlan(std::string_view bytes, uint32_t from, size_t maxDepth, json::Skim* out) {
  // The containers a plan's lowering walks one element at a time.
  auto open = [](const std::vector<std::string_view>& path) {
    const size_t n = path.size();
    if (n == 0) return true;
    const std::string_view top = path[0];
    if (n == 1)
      return top == "resource_changes" || top == "resource_drift" || top == "planned_values" ||
             top == "prior_state" || top == "values";
    // The module tree: root_module, then its resources and child_modules, each
    // child module, and so on down.
    size_t at = 1;
    if (top == "prior_state") {
      if (path[1] != "values") return false;
      at = 2;
    } else if (top != "planned_values" && top != "values") {
      return false;
    }
    if (n == at) return true;  // prior_state.values
    if (path[at] != "root_module") return false;
    for (size_t i = at + 1; i < n; ++i) {
      const std::string_view k = path[i];
      const std::string_view before = path[i - 1];
      if (k == "resources" || k == "child_modules") {
        if (before != "root_module" && before != "[]") return false;
      } else if (k == "[]") {
        if (before != "child_modules") return false;  // a resource: not opened
      } else {
        return false;
      }
    }
    return true;
  };
  return json::skim(bytes, from, static_cast<uint32_t>(bytes.size()), maxDepth, open, out) &&
         out->type == json::Type::Object;
}

}  // namespace lbcheck::tfplan
