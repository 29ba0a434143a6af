#include "sim/replications.hpp"

#include <algorithm>
#include <charconv>
#include <stdexcept>
#include <vector>

#include "sim/rng.hpp"

namespace sim {
namespace {

/// A whole decimal number: digits only, no sign, spaces or leading "+", within 64 bits.
std::optional<std::uint64_t> parse_whole_number(std::string_view text) {
  if (text.empty() || !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size()) return std::nullopt;  // too large
  return value;
}

std::string quoted(std::string_view text) { return "\"" + std::string(text) + "\""; }

void check_shard(Shard shard) {
  if (shard.count == 0 || shard.index >= shard.count) {
    throw std::invalid_argument("expected a shard index below its count, found index " + std::to_string(shard.index) +
                                " of " + std::to_string(shard.count));
  }
}

}  // namespace

Shard parse_shard(std::string_view spec) {
  const std::size_t slash = spec.find('/');
  const auto number = slash == std::string_view::npos ? std::nullopt : parse_whole_number(spec.substr(0, slash));
  const auto count = slash == std::string_view::npos ? std::nullopt : parse_whole_number(spec.substr(slash + 1));
  if (!number || !count) {
    throw std::invalid_argument("expected K/N with whole numbers 1 <= K <= N, such as \"2/4\", found " + quoted(spec));
  }
  if (*count == 0) throw std::invalid_argument("expected at least 1 shard, found " + quoted(spec));
  if (*number == 0 || *number > *count) {
    throw std::invalid_argument("expected a shard number between 1 and " + std::to_string(*count) + ", found " +
                                quoted(spec) + (*number == 0 ? " (shards are numbered from 1)" : ""));
  }
  return Shard{*number - 1, *count};
}

std::string to_string(Shard shard) { return std::to_string(shard.index + 1) + "/" + std::to_string(shard.count); }

Shard shard_from_task_index(std::string_view index_text, std::uint64_t first_index, std::uint64_t count) {
  if (count == 0) throw std::invalid_argument("expected at least 1 task, found 0");
  const auto index = parse_whole_number(index_text);
  if (!index) throw std::invalid_argument("expected a whole number as the task index, found " + quoted(index_text));
  // Written as a difference so that first_index + count cannot overflow.
  if (*index < first_index || *index - first_index >= count) {
    throw std::invalid_argument("expected a task index from " + std::to_string(first_index) + " to " +
                                std::to_string(first_index + (count - 1)) + ", found " + std::to_string(*index));
  }
  return Shard{*index - first_index, count};
}

ReplicationRange replications_of(Shard shard, std::uint64_t replications) {
  check_shard(shard);
  const std::uint64_t base = replications / shard.count;
  const std::uint64_t extra = replications % shard.count;  // the first `extra` shards take one more
  const std::uint64_t begin = shard.index * base + std::min(shard.index, extra);
  const std::uint64_t size = base + (shard.index < extra ? 1 : 0);
  return ReplicationRange{begin, begin + size};
}

std::uint64_t replication_seed(std::uint64_t scenario_seed, std::uint64_t replication) {
  if (replication == 0) return scenario_seed;
  // Mixing the seed before adding the index keeps nearby seeds' replications apart: seed s,
  // replication i + 1 must not be seed s + 1, replication i.
  return splitmix64(splitmix64(scenario_seed) + replication);
}

std::optional<std::string> coverage_problem(std::span<const std::uint64_t> indices, std::uint64_t replications) {
  for (const std::uint64_t index : indices) {
    if (index >= replications) {
      const std::string expected =
          replications == 0 ? "no replications" : "replications 0 to " + std::to_string(replications - 1);
      return "expected " + expected + ", found replication " + std::to_string(index);
    }
  }
  // Sorted, rather than counted in an array of `replications` slots, so that memory follows the
  // input even when a damaged file claims an enormous count.
  std::vector<std::uint64_t> sorted(indices.begin(), indices.end());
  std::sort(sorted.begin(), sorted.end());
  auto held = [](std::uint64_t index, std::size_t times) {
    return "expected replication " + std::to_string(index) + " once, found it " + std::to_string(times) + " times";
  };
  std::uint64_t expected = 0;
  for (std::size_t i = 0; i < sorted.size();) {
    if (sorted[i] != expected) return held(expected, 0);
    const std::size_t run_end = static_cast<std::size_t>(
        std::upper_bound(sorted.begin() + static_cast<std::ptrdiff_t>(i), sorted.end(), expected) - sorted.begin());
    if (run_end - i != 1) return held(expected, run_end - i);
    i = run_end;
    ++expected;
  }
  if (expected < replications) return held(expected, 0);
  return std::nullopt;
}

}  // namespace sim
