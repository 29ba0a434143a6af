#pragma once
// Dense typed ids: they index std::vectors owned by the World, compare and hash cheaply and
// deterministically, and a NodeId cannot be passed where a ClusterId is expected.

#include <compare>
#include <cstdint>
#include <limits>

namespace sim {

template <class Tag, class Rep = std::uint32_t>
struct StrongId {
  Rep value = std::numeric_limits<Rep>::max();

  constexpr StrongId() = default;
  constexpr explicit StrongId(Rep v) : value(v) {}
  template <class Integer>
  static constexpr StrongId from_index(Integer i) {
    return StrongId{static_cast<Rep>(i)};
  }
  constexpr bool valid() const { return value != std::numeric_limits<Rep>::max(); }
  constexpr std::size_t index() const { return static_cast<std::size_t>(value); }
  friend constexpr auto operator<=>(StrongId, StrongId) = default;
};

}  // namespace sim
