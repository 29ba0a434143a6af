#pragma once
// Sets of faults, interned: a bad request's cause is the set of faults behind it, and requests
// carry the set's id (four bytes), not the set. Id 0 is the empty set ("no fault"). Unions are
// memoised, so a request that meets several faults' effects costs a hash lookup per meeting,
// and only while faults are active: with no fault every id stays 0 and nothing is looked up.

#include <cstdint>
#include <span>
#include <unordered_map>
#include <vector>

namespace models::faults {

using CauseId = std::uint32_t;
inline constexpr CauseId kNoCause = 0;

class CauseSets {
 public:
  CauseSets();

  /// The set's faults, ascending (fault indices of the run).
  std::span<const std::uint32_t> faults(CauseId id) const { return sets_[id]; }
  std::size_t size() const { return sets_.size(); }

  CauseId unite(CauseId a, CauseId b) {
    if (a == b || b == kNoCause) return a;
    if (a == kNoCause) return b;
    return unite_slow(a, b);
  }
  CauseId with(CauseId set, std::uint32_t fault);
  CauseId without(CauseId set, std::uint32_t fault);
  bool contains(CauseId set, std::uint32_t fault) const;

 private:
  CauseId unite_slow(CauseId a, CauseId b);
  CauseId intern(std::vector<std::uint32_t> faults);

  struct Hash {
    std::size_t operator()(const std::vector<std::uint32_t>& v) const;
  };
  std::vector<std::vector<std::uint32_t>> sets_;
  std::unordered_map<std::vector<std::uint32_t>, CauseId, Hash> ids_;
  std::unordered_map<std::uint64_t, CauseId> unions_;  // (smaller id, larger id) -> union
};

}  // namespace models::faults
