#pragma once
// Which client request an attempt belongs to, carried along the request path so that its outcome
// reaches the client that sent it: the client group, the step the request was first sent in, and,
// for a group that retries, the request's slot among the group's pending requests and the attempt's
// generation (a stale generation is an attempt the client has already given up on).

#include <cstdint>

namespace models::traffic {

struct RequestOrigin {
  static constexpr std::uint32_t kNotPending = 0xffffffffu;
  std::uint32_t client = 0;
  std::uint32_t step = 0;
  std::uint32_t pending = kNotPending;  // kNotPending: the group does not retry
  std::uint32_t generation = 0;
};

}  // namespace models::traffic
