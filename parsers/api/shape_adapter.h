// The adapters of API objects (gcloud exports, Cloud Run services): they differ
// only in which shapes of document they take; parsers/api lowers every shape.
#pragma once

#include "engine/adapter.h"
#include "parsers/api/api.h"

namespace lbcheck::api {

class ShapeAdapter : public Adapter {
 public:
  /// Whether this adapter reads documents of `shape`.
  virtual bool takes(Shape shape) const = 0;

  int sniffDocument(json::Value value, bool whole) const override {
    return !whole && takes(classify(value)) ? confidence::kContent : confidence::kNone;
  }
  void lowerDocument(const json::Document&, json::Value value, const SourceFile& file,
                     Lowered& out) const override {
    api::lower(classify(value), value, file, out.graph, out.diagnostics);
  }
};

}  // namespace lbcheck::api
