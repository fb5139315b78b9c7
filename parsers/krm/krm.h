// Config Connector (KRM) manifests: `*.cnrm.cloud.google.com` objects.
#pragma once

#include <vector>

#include "engine/graph.h"
#include "engine/json.h"
#include "engine/rule.h"

namespace lbcheck::krm {

/// True for an object whose apiVersion is a Config Connector group.
bool isKrm(json::Value object);

/// Lowers one KRM object; false when its kind is not one lbcheck models.
bool lower(json::Value object, const SourceFile& file, Graph& graph,
           std::vector<Finding>& diagnostics);

}  // namespace lbcheck::krm
