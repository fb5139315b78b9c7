// The resource graph as text: what lbcheck understood, and which references
// it resolved (`lbcheck --print-graph`).
#include "driver/output/report.h"

namespace lbcheck {

std::string renderGraph(const SourceManager& sources, const Graph& graph) {
  std::string out;
  for (const Resource& r : graph.resources()) {
    const SourceFile* file = sources.find(r.header.file);
    std::string where;
    if (file) {
      const Location l = file->locate(r.header.begin);
      where = file->path() + ":" + std::to_string(l.line) + ":" + std::to_string(l.column);
    }
    out += std::string(kindLabel(r.id.kind)) + " " + r.id.name;
    if (!r.displayName.empty() && r.displayName != r.id.name) out += " (" + r.displayName + ")";
    out += "  " + r.id.str() + "  " + where;
    if (r.lifecycle != Lifecycle::Static)
      out += "  [" + std::string(lifecycleName(r.lifecycle)) + "]";
    if (r.mergedInto >= 0) out += "  [same as " + graph.at(r.mergedInto).id.str() + "]";
    out += "\n";
    for (const auto& [path, f] : r.fields) {
      if (!f.ref->present()) continue;
      out += "  " + path + " -> ";
      if (const Resource* t = graph.target(f)) {
        out += std::string(kindLabel(t->id.kind)) + " " + t->id.name;
        if (!t->displayName.empty() && t->displayName != t->id.name)
          out += " (" + t->displayName + ")";
      } else {
        out += "unresolved: " + (f.ref->identity ? f.ref->identity->str() : f.refAddress());
      }
      out += "\n";
    }
  }
  return out;
}

}  // namespace lbcheck
