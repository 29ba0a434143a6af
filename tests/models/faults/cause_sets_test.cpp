// Interned fault sets: a request's cause is an id, unions are sets, the empty set is "no fault".
#include <catch2/catch.hpp>

#include <vector>

#include "models/faults/cause_sets.hpp"

using models::faults::CauseId;
using models::faults::CauseSets;
using models::faults::kNoCause;

namespace {
std::vector<std::uint32_t> faults_of(const CauseSets& sets, CauseId id) {
  const auto span = sets.faults(id);
  return {span.begin(), span.end()};
}
}  // namespace

TEST_CASE("CauseSets: the empty set is no fault; with, unite and without give sorted sets, one id each", "[models][faults][cause]") {
  CauseSets sets;
  CHECK(faults_of(sets, kNoCause).empty());
  const CauseId a = sets.with(kNoCause, 3);
  const CauseId b = sets.with(kNoCause, 1);
  CHECK(a != kNoCause);
  CHECK(a != b);
  CHECK(faults_of(sets, a) == std::vector<std::uint32_t>{3});
  CHECK(sets.with(kNoCause, 3) == a);  // interned: the same set, the same id
  CHECK(sets.with(a, 3) == a);

  const CauseId ab = sets.unite(a, b);
  CHECK(faults_of(sets, ab) == std::vector<std::uint32_t>{1, 3});
  CHECK(sets.unite(b, a) == ab);  // order does not matter
  CHECK(sets.with(b, 3) == ab);
  CHECK(sets.unite(ab, a) == ab);
  CHECK(sets.unite(a, kNoCause) == a);
  CHECK(sets.unite(kNoCause, a) == a);
  CHECK(sets.unite(kNoCause, kNoCause) == kNoCause);
  CHECK(sets.contains(ab, 1));
  CHECK(sets.contains(ab, 3));
  CHECK_FALSE(sets.contains(ab, 2));
  CHECK_FALSE(sets.contains(kNoCause, 0));

  CHECK(sets.without(ab, 3) == b);
  CHECK(sets.without(b, 1) == kNoCause);
  CHECK(sets.without(b, 7) == b);

  const CauseId abc = sets.unite(ab, sets.with(kNoCause, 2));
  CHECK(faults_of(sets, abc) == std::vector<std::uint32_t>{1, 2, 3});
  CHECK(sets.size() == 6);  // {}, {3}, {1}, {1,3}, {2}, {1,2,3}
}
