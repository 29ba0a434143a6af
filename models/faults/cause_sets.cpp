#include "models/faults/cause_sets.hpp"

#include <algorithm>
#include <iterator>

namespace models::faults {

std::size_t CauseSets::Hash::operator()(const std::vector<std::uint32_t>& v) const {
  std::uint64_t h = 1469598103934665603ull;  // FNV-1a over the indices
  for (std::uint32_t x : v) h = (h ^ x) * 1099511628211ull;
  return static_cast<std::size_t>(h);
}

CauseSets::CauseSets() { intern({}); }

CauseId CauseSets::intern(std::vector<std::uint32_t> faults) {
  const auto [it, inserted] = ids_.try_emplace(faults, static_cast<CauseId>(sets_.size()));
  if (inserted) sets_.push_back(std::move(faults));
  return it->second;
}

CauseId CauseSets::unite_slow(CauseId a, CauseId b) {
  const std::uint64_t key = (std::uint64_t{std::min(a, b)} << 32) | std::max(a, b);
  if (const auto it = unions_.find(key); it != unions_.end()) return it->second;
  std::vector<std::uint32_t> merged;
  std::set_union(sets_[a].begin(), sets_[a].end(), sets_[b].begin(), sets_[b].end(), std::back_inserter(merged));
  const CauseId id = intern(std::move(merged));
  unions_.emplace(key, id);
  return id;
}

CauseId CauseSets::with(CauseId set, std::uint32_t fault) {
  if (contains(set, fault)) return set;
  std::vector<std::uint32_t> v = sets_[set];
  v.insert(std::upper_bound(v.begin(), v.end(), fault), fault);
  return intern(std::move(v));
}

CauseId CauseSets::without(CauseId set, std::uint32_t fault) {
  if (!contains(set, fault)) return set;
  std::vector<std::uint32_t> v = sets_[set];
  v.erase(std::lower_bound(v.begin(), v.end(), fault));
  return intern(std::move(v));
}

bool CauseSets::contains(CauseId set, std::uint32_t fault) const {
  return std::binary_search(sets_[set].begin(), sets_[set].end(), fault);
}

}  // namespace models::faults
