#include "models/control/endpoint_views.hpp"

#include <utility>

namespace models::control {
namespace {

constexpr std::uint32_t kNoView = 0xffffffffu;

std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

}  // namespace

EndpointViews::EndpointViews(std::size_t proxies, std::vector<std::uint8_t> ready) : view_of_(proxies, 0) {
  View first;
  for (std::size_t e = 0; e < ready.size(); ++e)
    if (ready[e] == 0) first.hash = flipped(first.hash, static_cast<std::uint32_t>(e));
  first.ready = std::move(ready);
  first.users = static_cast<std::uint32_t>(proxies);
  first.version = next_version_++;
  by_hash_.emplace(first.hash, 0);
  views_.push_back(std::move(first));
  reached_.assign(1, 0);
}

// Two independent 64-bit keys per endpoint: a collision between two views' 128-bit hashes, which
// would let a proxy join a view that differs from what it was told, is not a practical concern.
EndpointViews::Hash EndpointViews::flipped(const Hash& h, std::uint32_t endpoint) {
  return Hash{h.a ^ splitmix64(2ull * endpoint), h.b ^ splitmix64(2ull * endpoint + 1)};
}

std::uint32_t EndpointViews::find(const Hash& h) const {
  const auto it = by_hash_.find(h);
  return it == by_hash_.end() ? kNoView : it->second;
}

std::uint32_t EndpointViews::new_view(std::vector<std::uint8_t> ready, const Hash& h) {
  std::uint32_t id;
  if (!free_.empty()) {
    id = free_.back();
    free_.pop_back();
  } else {
    id = static_cast<std::uint32_t>(views_.size());
    views_.emplace_back();
    reached_.push_back(0);
  }
  View& v = views_[id];
  v.ready = std::move(ready);
  v.hash = h;
  v.users = 0;
  v.version = next_version_++;
  by_hash_.emplace(h, id);
  return id;
}

void EndpointViews::move(std::uint32_t proxy, std::uint32_t to) {
  const std::uint32_t from = view_of_[proxy];
  view_of_[proxy] = to;
  ++views_[to].users;
  View& old = views_[from];
  if (--old.users > 0) return;
  // Nobody sees it any more: drop it, so that memory follows the views in use.
  by_hash_.erase(old.hash);
  std::vector<std::uint8_t>().swap(old.ready);
  free_.push_back(from);
}

void EndpointViews::set(std::span<const std::uint32_t> proxies, std::uint32_t endpoint, bool ready) {
  const std::uint8_t value = ready ? 1 : 0;
  // Which views the change reaches, and how many of each view's proxies.
  touched_.clear();
  for (const std::uint32_t p : proxies) {
    const std::uint32_t v = view_of_[p];
    if (views_[v].ready[endpoint] == value) continue;
    if (reached_[v]++ == 0) touched_.push_back(v);
  }
  // Per view reached: change it in place when the change reaches all its proxies and no view has
  // the new content yet; otherwise its reached proxies go to the view with the new content, found
  // or made by copying. `reached_` then holds that target (shifted by one; 0 for in place).
  for (const std::uint32_t v : touched_) {
    const Hash changed = flipped(views_[v].hash, endpoint);
    std::uint32_t target = find(changed);
    if (target == kNoView && reached_[v] == views_[v].users) {
      View& view = views_[v];
      by_hash_.erase(view.hash);
      view.ready[endpoint] = value;
      view.hash = changed;
      view.version = next_version_++;
      by_hash_.emplace(changed, v);
      reached_[v] = 0;
      continue;
    }
    if (target == kNoView) {
      std::vector<std::uint8_t> copy = views_[v].ready;
      copy[endpoint] = value;
      target = new_view(std::move(copy), changed);
    }
    reached_[v] = target + 1;
  }
  for (const std::uint32_t p : proxies) {
    const std::uint32_t v = view_of_[p];
    if (views_[v].ready[endpoint] == value) continue;
    move(p, reached_[v] - 1);
  }
  for (const std::uint32_t v : touched_) reached_[v] = 0;
}

void EndpointViews::assign(std::uint32_t proxy, const std::vector<std::uint8_t>& ready) {
  Hash h;
  for (std::uint32_t e = 0; e < ready.size(); ++e)
    if (ready[e] == 0) h = flipped(h, e);
  const std::uint32_t current = view_of_[proxy];
  if (views_[current].hash == h) return;
  const std::uint32_t target = find(h);
  if (target != kNoView) return move(proxy, target);
  if (views_[current].users == 1) {
    View& view = views_[current];
    by_hash_.erase(view.hash);
    view.ready = ready;
    view.hash = h;
    view.version = next_version_++;
    by_hash_.emplace(h, current);
    return;
  }
  move(proxy, new_view(ready, h));
}

}  // namespace models::control
