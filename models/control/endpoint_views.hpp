#pragma once
// The mesh proxies' views of which endpoints are ready, shared where they agree.
//
// Every proxy has its own view in principle (what istiod last pushed to it), but proxies configured
// by the same control plane see the same endpoint set at the same moment, so nearly all of them
// agree nearly all the time. Views are therefore stored once per distinct content and shared,
// copy on write: a change that reaches only some of a view's proxies (a proxy that was down, cut
// off from its istiod, or configured by another istiod whose push has not arrived yet) moves those
// proxies to a view with the change, which is found by its content if one already exists (the
// proxies of the next istiod join the view the first istiod's push made) and copied otherwise.
// Memory grows with pods x distinct views, not pods x proxies.
//
// A view is known by a 128-bit Zobrist hash of its not-ready endpoints (two 64-bit keys per
// endpoint, XORed), updated in O(1) per change.

#include <cstdint>
#include <span>
#include <unordered_map>
#include <vector>

namespace models::control {

class EndpointViews {
 public:
  /// `proxies` views over `endpoints` endpoints, all starting as one view with every endpoint ready.
  EndpointViews(std::size_t proxies, std::size_t endpoints) : EndpointViews(proxies, std::vector<std::uint8_t>(endpoints, 1)) {}
  /// All starting as one view: `ready[e]` for every endpoint.
  EndpointViews(std::size_t proxies, std::vector<std::uint8_t> ready);

  /// The proxy's view, by endpoint (1: ready). Valid until the next change to any view.
  const std::vector<std::uint8_t>& view(std::uint32_t proxy) const { return views_[view_of_[proxy]].ready; }
  bool ready(std::uint32_t proxy, std::uint32_t endpoint) const { return view(proxy)[endpoint] != 0; }
  /// Which stored view the proxy has, and that view's version: a version changes whenever a view's
  /// content does and is never reused, so (id, version) names a content for caches.
  std::uint32_t view_id(std::uint32_t proxy) const { return view_of_[proxy]; }
  std::uint64_t version(std::uint32_t view) const { return views_[view].version; }
  /// Distinct views held now (for tests and the benchmark).
  std::size_t distinct() const { return by_hash_.size(); }

  /// Every proxy in `proxies` learns that `endpoint` is (not) ready.
  void set(std::span<const std::uint32_t> proxies, std::uint32_t endpoint, bool ready);
  /// The proxy learns a whole view at once (a full push): `ready[e]` for every endpoint.
  void assign(std::uint32_t proxy, const std::vector<std::uint8_t>& ready);

 private:
  struct Hash {
    std::uint64_t a = 0, b = 0;
    friend bool operator==(const Hash&, const Hash&) = default;
  };
  struct HashOfHash {
    std::size_t operator()(const Hash& h) const { return static_cast<std::size_t>(h.a); }
  };
  struct View {
    std::vector<std::uint8_t> ready;
    Hash hash;
    std::uint32_t users = 0;
    std::uint64_t version = 0;
  };

  /// `h` with `endpoint`'s readiness flipped.
  static Hash flipped(const Hash& h, std::uint32_t endpoint);
  /// A view with this content, if one is held.
  std::uint32_t find(const Hash& h) const;
  std::uint32_t new_view(std::vector<std::uint8_t> ready, const Hash& h);
  void move(std::uint32_t proxy, std::uint32_t to);

  std::vector<View> views_;
  std::vector<std::uint32_t> free_;      // ids of views no proxy has
  std::vector<std::uint32_t> view_of_;   // by proxy
  std::unordered_map<Hash, std::uint32_t, HashOfHash> by_hash_;
  std::uint64_t next_version_ = 1;
  // Scratch for set(): per view touched, how many of its proxies the change reaches.
  std::vector<std::uint32_t> reached_;
  std::vector<std::uint32_t> touched_;
};

}  // namespace models::control
