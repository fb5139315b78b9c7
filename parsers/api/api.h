// Google Cloud API objects: what gcloud `describe` / `list` print (JSON or
// YAML), `gcloud compute url-maps export`, Cloud Run v1 (Knative, as
// `gcloud run services describe --format=export` prints it) and v2 services,
// and Cloud Asset Inventory records wrapping any of them.
#pragma once

#include <string>
#include <vector>

#include "engine/graph.h"
#include "engine/json.h"
#include "engine/rule.h"

namespace lbcheck::api {

enum class Shape {
  None,
  ComputeObject,   // kind: compute#...
  UrlMapExport,    // url-maps export: no kind, a URL map's fields
  KnativeService,  // apiVersion: serving.knative.dev/v1, kind: Service
  RunV2Service,    // name: projects/P/locations/L/services/S
  AssetRecord,     // Cloud Asset Inventory (snake_case or camelCase envelope)
};

Shape classify(json::Value object);

/// Lowers one object of a known shape; returns false when it held nothing
/// lbcheck models (for example a compute#instanceTemplate).
bool lower(Shape shape, json::Value object, const SourceFile& file, Graph& graph,
           std::vector<Finding>& diagnostics);

}  // namespace lbcheck::api
