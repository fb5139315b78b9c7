#include "parsers/api/api.h"

#include <array>

#include "engine/diagnostics.h"
#include "engine/link.h"
#include "parsers/common/lower.h"
#include "parsers/schema/google.h"

namespace lbcheck::api {

namespace {

using json::Value;

struct KindName {
  std::string_view name;  // after "compute#", or the CAI asset type after the slash
  Kind kind;
};

constexpr std::array<KindName, 23> kComputeKinds{{
    {"network", Kind::Network},
    {"subnetwork", Kind::Subnetwork},
    {"networkEndpointGroup", Kind::NetworkEndpointGroup},
    {"backendService", Kind::BackendService},
    {"urlMap", Kind::UrlMap},
    {"targetHttpProxy", Kind::TargetHttpProxy},
    {"targetHttpsProxy", Kind::TargetHttpsProxy},
    {"sslCertificate", Kind::SslCertificate},
    {"sslPolicy", Kind::SslPolicy},
    {"forwardingRule", Kind::ForwardingRule},
    {"firewall", Kind::Firewall},
    {"instance", Kind::Instance},
    {"instanceGroup", Kind::InstanceGroup},
    {"healthCheck", Kind::HealthCheck},
    {"address", Kind::Address},
    {"backendBucket", Kind::BackendBucket},
    {"securityPolicy", Kind::SecurityPolicy},
    // Cloud Asset Inventory asset types (compute.googleapis.com/...).
    {"RegionBackendService", Kind::BackendService},
    {"GlobalForwardingRule", Kind::ForwardingRule},
    {"RegionHealthCheck", Kind::HealthCheck},
    {"GlobalAddress", Kind::Address},
    {"RegionSslCertificate", Kind::SslCertificate},
    {"RegionTargetHttpsProxy", Kind::TargetHttpsProxy},
}};

Kind computeKind(std::string_view name) {
  for (const auto& k : kComputeKinds)
    if (k.name == name) return k.kind;
  // CAI spells the collection's singular in PascalCase: ForwardingRule.
  if (!name.empty()) {
    std::string lower(name);
    lower[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(lower[0])));
    for (const auto& k : kComputeKinds)
      if (k.name == lower) return k.kind;
  }
  return Kind::Unknown;
}

// Spellings of the Asset Inventory's own converters (lower-case `ipAddress`).
constexpr lower::PathMap kForwardingRuleAliases[] = {
    {"ipAddress", "IPAddress", Kind::Address},
    {"ipProtocol", "IPProtocol"},
};

// API-only fields: the Compute API echoes `logConfig: {enable: false}` on ordinary
// subnets; Terraform has no such attribute (a present log_config block means "on").
constexpr lower::PathMap kSubnetworkApiOnly[] = {
    {"logConfig.enable", "logConfig.enable"},
};

std::vector<lower::PathMap> pathsFor(Kind kind) {
  std::vector<lower::PathMap> out;
  for (const auto& a : schema::apiFields(kind)) out.push_back({a.api, a.api, a.ref});
  if (kind == Kind::ForwardingRule)
    for (const auto& a : kForwardingRuleAliases) out.push_back(a);
  if (kind == Kind::Subnetwork)
    for (const auto& a : kSubnetworkApiOnly) out.push_back(a);
  return out;
}

Span headerOf(Value object) {
  const Value name = object.get("name");
  if (name.isString()) return name.span();
  const Span s = object.span();
  return Span{s.file, s.begin, s.begin + 1};
}

/// Sets the region/zone/location field from a value (name or URL).
void setScopeField(Resource& r, const char* attr, Value v) {
  Field f;
  f.spelling = attr;
  f.state = State::Known;
  f.text = regionName(v.str());
  if (std::string_view(attr) == "zone") {
    const std::string_view s = v.str();
    f.text = std::string(s.substr(s.rfind('/') == std::string_view::npos ? 0 : s.rfind('/') + 1));
  }
  f.span = v.span();
  r.fields[attr] = std::move(f);
}

bool lowerCompute(Kind kind, Value obj, std::string_view assetName, const SourceFile& file,
                  Graph& graph, std::vector<Finding>& diags, bool exported) {
  if (kind == Kind::Unknown) return false;
  Resource r;
  r.format = exported ? "gcloud-export" : "gcloud";
  r.document = file.id();
  r.header = headerOf(obj);
  r.id.kind = kind;
  // Identity: selfLink, else the asset name, else name + region/zone.
  std::optional<Identity> id;
  if (obj.get("selfLink").isString()) id = parseLink(obj.get("selfLink").str(), LinkContext{});
  if (!id && !assetName.empty()) id = parseLink(assetName, LinkContext{});
  if (id) {
    r.id = *id;
    r.id.kind = kind;
  }
  if (obj.get("name").isString()) r.id.name = std::string(obj.get("name").str());
  if (obj.get("region").isString()) {
    r.id.scope = Scope{Scope::Type::Region, regionName(obj.get("region").str())};
    setScopeField(r, "region", obj.get("region"));
  } else if (obj.get("zone").isString()) {
    setScopeField(r, "zone", obj.get("zone"));
    r.id.scope = Scope{Scope::Type::Zone, r.fields["zone"].text};
  } else if (!r.id.scope.known() && (kind == Kind::Network || kind == Kind::Firewall)) {
    r.id.scope = Scope{Scope::Type::Global, ""};
  }
  if (r.id.project.empty()) {
    // Take the project from any link the object holds.
    for (const char* k : {"network", "defaultService", "urlMap", "target", "subnetwork"}) {
      if (!obj.get(k).isString()) continue;
      if (auto other = parseLink(obj.get(k).str(), LinkContext{});
          other && !other->project.empty()) {
        r.id.project = other->project;
        break;
      }
    }
  }
  if (!r.id.scope.known() && kind == Kind::UrlMap) {
    // An export users edit for `url-maps import` may drop region and selfLink:
    // place it by the backend services it names.
    if (auto svc = parseLink(obj.get("defaultService").str(), LinkContext{});
        svc && svc->scope.known()) {
      r.id.scope = svc->scope;
      if (r.id.project.empty()) r.id.project = svc->project;
    }
  }
  if (!r.id.scope.known()) {
    diags.push_back(makeDiagnostic(
        diag::kSkipped, Severity::Note, r.header,
        std::string(kindLabel(kind)) + " " + q(r.id.name) +
            " cannot be placed: it names no region, zone or selfLink, so lbcheck cannot tell "
            "whether it is regional or global; skipped",
        "export it with its region, e.g. gcloud compute url-maps export NAME --region=REGION"));
    return true;
  }
  r.displayName = r.id.name;
  {
    Field name;
    name.state = State::Known;
    name.text = r.id.name;
    name.spelling = "name";
    name.span = r.header;
    r.fields["name"] = name;
  }
  const auto paths = pathsFor(kind);
  lower::lowerPaths(r, obj, paths, exported);
  lower::lowerLabels(r, obj.get("labels"), "labels", exported);
  lower::redactKeyMaterial(r, file);
  graph.add(std::move(r));
  return true;
}

bool allDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

bool lowerKnative(Value obj, std::string_view assetLocation, const SourceFile& file, Graph& graph,
                  std::vector<Finding>& diags) {
  const Value meta = obj.get("metadata");
  const Value name = meta.get("name");
  if (!name.isString()) return false;
  Resource r;
  r.format = "cloud-run-v1";
  r.document = file.id();
  r.header = name.span();
  r.id.kind = Kind::RunService;
  r.id.name = std::string(name.str());
  r.displayName = r.id.name;
  // The namespace is the project number (or id): only an id can match others.
  const Value ns = meta.get("namespace");
  if (ns.isString() && !allDigits(ns.str())) r.id.project = std::string(ns.str());
  const Value location = meta.get("labels").get("cloud.googleapis.com/location");
  Field loc;
  loc.spelling = "metadata.labels[\"cloud.googleapis.com/location\"]";
  if (location.isString()) {
    loc.state = State::Known;
    loc.text = std::string(location.str());
    loc.span = location.span();
  } else if (!assetLocation.empty()) {
    loc.state = State::Known;
    loc.text = std::string(assetLocation);
    loc.span = r.header;
  }
  if (loc.state == State::Known) r.id.scope = Scope{Scope::Type::Location, loc.text};
  r.fields["location"] = loc;

  const Value annotations = meta.get("annotations");
  const Value ingress = annotations.get("run.googleapis.com/ingress");
  lower::lowerRunAnnotations(r, annotations, "metadata.annotations", false);
  if (!ingress.isString()) {
    Field f;
    f.spelling = "metadata.annotations[\"run.googleapis.com/ingress\"]";
    f.span = r.header;
    r.fields["ingressAnnotation"] = f;  // the service spells its ingress as the annotation
    r.fields["ingress"] = f;            // absent: Cloud Run's default applies
  }
  const Value status = annotations.get("run.googleapis.com/ingress-status");
  if (ingress.isString() && status.isString() && status.str() != ingress.str()) {
    Finding& n = diags.emplace_back(makeDiagnostic(
        diag::kConflict, Severity::Note, status.span(),
        "Cloud Run service " + q(r.id.name) + " asks for ingress " + q(ingress.str()) + " but " +
            q(status.str()) +
            " is in effect (run.googleapis.com/ingress-status); "
            "lbcheck checks the requested value",
        "wait for the change to roll out, or look at why the last revision did not become "
        "ready"));
    n.related.push_back({ingress.span(), "the requested ingress"});
  }
  static constexpr lower::PathMap kTraffic[] = {{"spec.traffic[*].tag", "traffic[*].tag"}};
  lower::lowerPaths(r, obj, kTraffic, false);
  // Every label, the cloud.googleapis.com/location one the export adds included.
  lower::lowerLabels(r, meta.get("labels"), "metadata.labels", false);
  if (!r.id.scope.known()) {
    diags.push_back(makeDiagnostic(
        diag::kSkipped, Severity::Note, r.header,
        "Cloud Run service " + q(r.id.name) +
            " has no cloud.googleapis.com/location label, so it cannot be placed; skipped",
        "export it with gcloud run services describe NAME --region=REGION --format=export"));
    return true;
  }
  graph.add(std::move(r));
  return true;
}

bool lowerRunV2(Value obj, const SourceFile& file, Graph& graph) {
  auto id = parseLink(obj.get("name").str(), LinkContext{});
  if (!id || id->kind != Kind::RunService) return false;
  Resource r;
  r.format = "cloud-run-v2";
  r.document = file.id();
  r.header = obj.get("name").span();
  r.id = *id;
  r.displayName = r.id.name;
  Field loc;
  loc.state = State::Known;
  loc.text = r.id.scope.name;
  loc.spelling = "name";
  loc.span = r.header;
  r.fields["location"] = loc;
  static constexpr lower::PathMap kRun[] = {
      {"ingress", "ingress"},
      {"defaultUriDisabled", "defaultUriDisabled"},
      {"invokerIamDisabled", "invokerIamDisabled"},
      {"iapEnabled", "iapEnabled"},
      {"traffic[*].tag", "traffic[*].tag"},
  };
  lower::lowerPaths(r, obj, kRun, false);
  lower::lowerLabels(r, obj.get("labels"), "labels", false);
  graph.add(std::move(r));
  return true;
}

}  // namespace

Shape classify(Value o) {
  if (!o.isObject()) return Shape::None;
  const std::string_view kind = o.get("kind").str();
  if (kind.substr(0, 8) == "compute#") return Shape::ComputeObject;
  const std::string_view apiVersion = o.get("apiVersion").str();
  if (apiVersion.substr(0, 19) == "serving.knative.dev" && kind == "Service")
    return Shape::KnativeService;
  if ((o.get("asset_type").isString() || o.get("assetType").isString()) && o.get("resource"))
    return Shape::AssetRecord;
  if (o.get("asset").isObject() && o.get("window")) return Shape::AssetRecord;  // get-history
  if (o.get("name").isString() &&
      o.get("name").str().find("/services/") != std::string_view::npos &&
      (o.get("template") || o.get("ingress") || o.get("uri")))
    return Shape::RunV2Service;
  if (kind.empty() && apiVersion.empty() && o.get("name").isString() &&
      (o.get("defaultService") || o.get("pathMatchers") || o.get("hostRules") ||
       o.get("defaultUrlRedirect")))
    return Shape::UrlMapExport;
  return Shape::None;
}

bool lower(Shape shape, Value o, const SourceFile& file, Graph& graph,
           std::vector<Finding>& diags) {
  switch (shape) {
    case Shape::ComputeObject:
      return lowerCompute(computeKind(o.get("kind").str().substr(8)), o, {}, file, graph, diags,
                          false);
    case Shape::UrlMapExport:
      return lowerCompute(Kind::UrlMap, o, {}, file, graph, diags, true);
    case Shape::KnativeService:
      return lowerKnative(o, {}, file, graph, diags);
    case Shape::RunV2Service:
      return lowerRunV2(o, file, graph);
    case Shape::AssetRecord: {
      if (o.get("asset").isObject() && o.get("window")) o = o.get("asset");
      const Value typeValue = o.get("asset_type") ? o.get("asset_type") : o.get("assetType");
      const std::string_view type = typeValue.str();
      const Value resource = o.get("resource");
      const Value data = resource.get("data");
      if (!data.isObject()) return false;
      const std::string_view location = resource.get("location").str();
      if (type == "run.googleapis.com/Service") {
        std::string where(location);
        if (where.empty()) {
          // //run.googleapis.com/projects/P/locations/L/services/S
          if (auto id = parseLink(o.get("name").str(), LinkContext{})) where = id->scope.name;
        }
        if (data.get("metadata")) return lowerKnative(data, where, file, graph, diags);
        return lowerRunV2(data, file, graph);
      }
      const size_t slash = type.find('/');
      if (type.substr(0, slash) != "compute.googleapis.com") return false;
      return lowerCompute(computeKind(type.substr(slash + 1)), data, o.get("name").str(), file,
                          graph, diags, false);
    }
    case Shape::None:
      break;
  }
  return false;
}

}  // namespace lbcheck::api
