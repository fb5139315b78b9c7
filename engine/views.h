// Typed views over the resources rules read most: `BackendServiceView(bs).timeoutSec()`
// instead of `bs.field("timeoutSec")`. A view is a pointer to the Resource (list
// elements add a list name and an index); every accessor is the Resource's own field()
// lookup and returns the `const Field&`, so state, span, authored and ref stay as they
// are. Each canonical path (engine/model.h) is spelled once, here, as a `k...`
// constant: a rule that reports or fixes a field passes the same constant to
// report(), spelled() and Edit, so what it reads and what it points at cannot drift.
//
// Views do not check the kind: a view over another kind reads its (absent) fields.
#pragma once

#include <cstddef>
#include <iterator>
#include <string>
#include <string_view>

#include "engine/model.h"

namespace lbcheck {

/// The fields of one resource.
class View {
 public:
  explicit View(const Resource& r) : r_(&r) {}
  const Resource& resource() const { return *r_; }
  /// Any other field, for what a view does not name.
  const Field& field(std::string_view path) const { return r_->field(path); }

 protected:
  const Resource* r_;
};

/// One element of a list field: "backends[2]" (its members "backends[2].group") or
/// "healthChecks[0]" (a scalar list: value()). An index past the end reads absent
/// fields (unknown ones on a partial resource), as Resource::field does.
class ElementView {
 public:
  ElementView(const Resource& r, std::string_view list, size_t index)
      : r_(&r), list_(list), index_(index) {}
  const Resource& resource() const { return *r_; }
  size_t index() const { return index_; }
  /// "backends[2]".
  std::string path() const {
    std::string p(list_);
    p += '[';
    p += std::to_string(index_);
    p += ']';
    return p;
  }
  /// "backends[2].group" for member "group".
  std::string path(std::string_view member) const {
    std::string p = path();
    p += '.';
    p += member;
    return p;
  }
  /// The element itself (scalar lists: a link, a port).
  const Field& value() const { return r_->field(path()); }
  /// A member of the element (lists of blocks).
  const Field& field(std::string_view member) const { return r_->field(path(member)); }

 private:
  const Resource* r_;
  std::string_view list_;  // a path constant of a view: static storage
  size_t index_;
};

/// The elements of a list field as views: `for (BackendView b : bs.backends())`. Its
/// size is Resource::listSize (one past the largest index written, counted when asked:
/// size(), empty(), end()), so a gap in the indexes is visited as an element whose
/// fields are absent.
template <typename Element = ElementView>
class ListView {
 public:
  ListView(const Resource& r, std::string_view list) : r_(&r), list_(list) {}

  class iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using value_type = Element;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = Element;
    iterator() = default;
    iterator(const ListView* list, size_t i) : list_(list), i_(i) {}
    Element operator*() const { return (*list_)[i_]; }
    iterator& operator++() {
      ++i_;
      return *this;
    }
    iterator operator++(int) {
      iterator old = *this;
      ++i_;
      return old;
    }
    friend bool operator==(const iterator& a, const iterator& b) { return a.i_ == b.i_; }

   private:
    const ListView* list_ = nullptr;
    size_t i_ = 0;
  };

  size_t size() const { return r_->listSize(list_); }
  bool empty() const { return size() == 0; }
  Element operator[](size_t i) const { return Element(*r_, list_, i); }
  iterator begin() const { return {this, 0}; }
  iterator end() const { return {this, size()}; }
  /// The list field itself ("backends"): State::Unknown when the whole list is, or a
  /// written empty list, where a format records one.
  const Field& field() const { return r_->field(list_); }

 private:
  const Resource* r_;
  std::string_view list_;
};

/// One backends[i] of a backend service.
class BackendView : public ElementView {
 public:
  static constexpr const char* kGroup = "group";
  static constexpr const char* kBalancingMode = "balancingMode";
  static constexpr const char* kCapacityScaler = "capacityScaler";
  static constexpr const char* kMaxRate = "maxRate";
  static constexpr const char* kMaxRatePerEndpoint = "maxRatePerEndpoint";
  static constexpr const char* kMaxRatePerInstance = "maxRatePerInstance";
  static constexpr const char* kMaxConnections = "maxConnections";
  static constexpr const char* kMaxConnectionsPerEndpoint = "maxConnectionsPerEndpoint";
  static constexpr const char* kMaxConnectionsPerInstance = "maxConnectionsPerInstance";
  static constexpr const char* kMaxUtilization = "maxUtilization";

  using ElementView::ElementView;
  const Field& group() const { return field(kGroup); }
  const Field& balancingMode() const { return field(kBalancingMode); }
  const Field& capacityScaler() const { return field(kCapacityScaler); }
  const Field& maxRate() const { return field(kMaxRate); }
  const Field& maxRatePerEndpoint() const { return field(kMaxRatePerEndpoint); }
  const Field& maxConnections() const { return field(kMaxConnections); }
  const Field& maxUtilization() const { return field(kMaxUtilization); }
};

/// A backend service (global or regional).
class BackendServiceView : public View {
 public:
  static constexpr const char* kBackends = "backends";
  static constexpr const char* kProtocol = "protocol";
  static constexpr const char* kLoadBalancingScheme = "loadBalancingScheme";
  static constexpr const char* kTimeoutSec = "timeoutSec";
  static constexpr const char* kHealthChecks = "healthChecks";
  static constexpr const char* kEnableCdn = "enableCDN";
  static constexpr const char* kCdnPolicy = "cdnPolicy";
  static constexpr const char* kIapEnabled = "iap.enabled";
  static constexpr const char* kSessionAffinity = "sessionAffinity";
  static constexpr const char* kLocalityLbPolicy = "localityLbPolicy";
  static constexpr const char* kOutlierDetection = "outlierDetection";
  static constexpr const char* kLogConfig = "logConfig";

  using View::View;
  ListView<BackendView> backends() const { return {*r_, kBackends}; }
  /// healthChecks[i]: links to health checks (value()).
  ListView<> healthChecks() const { return {*r_, kHealthChecks}; }
  const Field& protocol() const { return field(kProtocol); }
  const Field& loadBalancingScheme() const { return field(kLoadBalancingScheme); }
  const Field& timeoutSec() const { return field(kTimeoutSec); }
  const Field& enableCdn() const { return field(kEnableCdn); }
  const Field& cdnPolicy() const { return field(kCdnPolicy); }
  const Field& iapEnabled() const { return field(kIapEnabled); }
  const Field& sessionAffinity() const { return field(kSessionAffinity); }
  const Field& localityLbPolicy() const { return field(kLocalityLbPolicy); }
  const Field& outlierDetection() const { return field(kOutlierDetection); }
  const Field& logConfig() const { return field(kLogConfig); }
};

/// A target HTTP or HTTPS proxy (global or regional).
class TargetProxyView : public View {
 public:
  static constexpr const char* kKeepAliveSec = "httpKeepAliveTimeoutSec";
  static constexpr const char* kUrlMap = "urlMap";
  static constexpr const char* kSslCertificates = "sslCertificates";
  static constexpr const char* kCertificateManagerCertificates = "certificateManagerCertificates";
  static constexpr const char* kCertificateMap = "certificateMap";
  static constexpr const char* kSslPolicy = "sslPolicy";

  using View::View;
  /// httpKeepAliveTimeoutSec.
  const Field& keepAliveSec() const { return field(kKeepAliveSec); }
  const Field& urlMap() const { return field(kUrlMap); }
  ListView<> sslCertificates() const { return {*r_, kSslCertificates}; }
  ListView<> certificateManagerCertificates() const {
    return {*r_, kCertificateManagerCertificates};
  }
  const Field& certificateMap() const { return field(kCertificateMap); }
  const Field& sslPolicy() const { return field(kSslPolicy); }
};

/// A forwarding rule (global or regional).
class ForwardingRuleView : public View {
 public:
  static constexpr const char* kLoadBalancingScheme = "loadBalancingScheme";
  static constexpr const char* kTarget = "target";
  static constexpr const char* kBackendService = "backendService";
  static constexpr const char* kNetwork = "network";
  static constexpr const char* kSubnetwork = "subnetwork";
  static constexpr const char* kIpAddress = "IPAddress";
  static constexpr const char* kIpProtocol = "IPProtocol";
  static constexpr const char* kPortRange = "portRange";
  static constexpr const char* kPorts = "ports";
  static constexpr const char* kAllPorts = "allPorts";
  static constexpr const char* kAllowGlobalAccess = "allowGlobalAccess";
  static constexpr const char* kNetworkTier = "networkTier";

  using View::View;
  const Field& loadBalancingScheme() const { return field(kLoadBalancingScheme); }
  const Field& target() const { return field(kTarget); }
  const Field& backendService() const { return field(kBackendService); }
  const Field& network() const { return field(kNetwork); }
  const Field& subnetwork() const { return field(kSubnetwork); }
  const Field& ipAddress() const { return field(kIpAddress); }
  const Field& ipProtocol() const { return field(kIpProtocol); }
  const Field& portRange() const { return field(kPortRange); }
  /// ports[i] (value()).
  ListView<> ports() const { return {*r_, kPorts}; }
  const Field& allPorts() const { return field(kAllPorts); }
  const Field& allowGlobalAccess() const { return field(kAllowGlobalAccess); }
  const Field& networkTier() const { return field(kNetworkTier); }
};

/// A network endpoint group, read for its serverless settings.
class ServerlessNegView : public View {
 public:
  static constexpr const char* kNetworkEndpointType = "networkEndpointType";
  static constexpr const char* kCloudRun = "cloudRun";
  static constexpr const char* kCloudRunService = "cloudRun.service";
  static constexpr const char* kCloudRunTag = "cloudRun.tag";
  static constexpr const char* kCloudRunUrlMask = "cloudRun.urlMask";
  static constexpr const char* kRegion = "region";
  static constexpr const char* kZone = "zone";

  using View::View;
  const Field& networkEndpointType() const { return field(kNetworkEndpointType); }
  /// The cloudRun block as a whole ("(set)" where a format writes it).
  const Field& cloudRun() const { return field(kCloudRun); }
  const Field& cloudRunService() const { return field(kCloudRunService); }
  const Field& cloudRunTag() const { return field(kCloudRunTag); }
  const Field& cloudRunUrlMask() const { return field(kCloudRunUrlMask); }
  const Field& region() const { return field(kRegion); }
  const Field& zone() const { return field(kZone); }
};

/// A subnetwork.
class SubnetworkView : public View {
 public:
  static constexpr const char* kPurpose = "purpose";
  static constexpr const char* kRole = "role";
  static constexpr const char* kIpCidrRange = "ipCidrRange";
  static constexpr const char* kNetwork = "network";
  static constexpr const char* kEnableFlowLogs = "enableFlowLogs";
  static constexpr const char* kLogConfig = "logConfig";
  static constexpr const char* kLogConfigEnable = "logConfig.enable";

  using View::View;
  const Field& purpose() const { return field(kPurpose); }
  const Field& role() const { return field(kRole); }
  const Field& ipCidrRange() const { return field(kIpCidrRange); }
  const Field& network() const { return field(kNetwork); }
  const Field& enableFlowLogs() const { return field(kEnableFlowLogs); }
  const Field& logConfig() const { return field(kLogConfig); }
  const Field& logConfigEnable() const { return field(kLogConfigEnable); }
};

/// A Cloud Run service.
class RunServiceView : public View {
 public:
  static constexpr const char* kIngress = "ingress";
  /// The Knative v1 `run.googleapis.com/ingress` annotation, as written.
  static constexpr const char* kIngressAnnotation = "ingressAnnotation";
  static constexpr const char* kDefaultUriDisabled = "defaultUriDisabled";
  static constexpr const char* kInvokerIamDisabled = "invokerIamDisabled";
  static constexpr const char* kIapEnabled = "iapEnabled";
  static constexpr const char* kTraffic = "traffic";

  using View::View;
  const Field& ingress() const { return field(kIngress); }
  const Field& ingressAnnotation() const { return field(kIngressAnnotation); }
  const Field& defaultUriDisabled() const { return field(kDefaultUriDisabled); }
  const Field& invokerIamDisabled() const { return field(kInvokerIamDisabled); }
  const Field& iapEnabled() const { return field(kIapEnabled); }
  /// traffic[i] (members "tag", "percent", "revision"...).
  ListView<> traffic() const { return {*r_, kTraffic}; }
};

}  // namespace lbcheck
