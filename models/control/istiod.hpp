#pragma once
// istiod: the control plane of each primary cluster. It watches every cluster's endpoints and
// pushes changes, a push delay later, to the proxies it configures; a proxy that comes back (or
// reconnects) gets the full state. Each proxy's view is what istiod last told it: there is no
// global truth on the data path, so two proxies can disagree. istiod also issues the proxies'
// workload certificates (mTLS), which they renew at half life.

#include <cstdint>
#include <vector>

#include "models/control/endpoint_views.hpp"
#include "models/events.hpp"
#include "models/fleet/fleet.hpp"

namespace models {
struct Subsystems;
}

namespace models::control {

class Istiod {
 public:
  using Handles = EventList<EndpointPush, ProxyResync, CertRenewal>;
  explicit Istiod(Subsystems& s);

  void start();
  void on(const EndpointPush& e);
  void on(const ProxyResync& e);
  void on(const CertRenewal& e);

  /// Whether `proxy` was told that `workload` is ready.
  bool knows_ready(std::uint32_t proxy, std::uint32_t workload) const { return views_.ready(proxy, workload); }
  /// The whole view of a proxy, by workload (1: ready), valid until the next push.
  const std::vector<std::uint8_t>& view(std::uint32_t proxy) const { return views_.view(proxy); }
  /// The views, shared by the proxies that agree (for caches keyed by view, and tests).
  const EndpointViews& views() const { return views_; }
  bool cert_valid(std::uint32_t proxy, sim::SimTime now) const { return now < certs_[proxy].expires; }

  /// Kubernetes changed a pod's readiness: every istiod pushes it to the proxies it configures.
  void endpoint_changed(std::uint32_t workload, bool ready);
  // Listener: proxies, istiods and backbone links coming back get a full push.
  void component_changed(const ComponentRef& ref, bool up);

 private:
  static std::vector<std::uint8_t> initial_readiness(const Fleet& fleet);
  void resync_later(std::uint32_t proxy);
  void endpoints_changed(std::uint32_t proxy);

  struct Certificate {
    sim::SimTime expires{};
    sim::Duration retry{};  // current back-off while istiod cannot renew it
  };
  Subsystems& s_;
  EndpointViews views_;                           // [proxy][workload]: ready as last pushed
  std::vector<std::uint32_t> reached_;            // scratch: the proxies a push reaches
  std::vector<Certificate> certs_;                // by proxy
};

}  // namespace models::control
