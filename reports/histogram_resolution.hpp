#pragma once
// How finely a latency quantile is known. Every latency percentile faultline reports is read from a
// sim::LatencyHistogram, which keeps a value only as its bucket (128 linear buckets per power of
// two): a quantile is the bucket's midpoint, so two quantiles one bucket apart may come from values
// that differ by almost nothing. Across seeds such a quantile often lands in the same bucket every
// time ("± 0"), which says nothing about the spread of the underlying latencies.
//
// The comparison report uses this to call a difference of latency quantiles significant only when
// it exceeds its 95% interval's half-width plus one bucket (each side is known to half a bucket).

#include <optional>
#include <string_view>

namespace reports {

/// Whether the metric is a latency quantile from the histogram: a name ending in "latency_pNN_ms"
/// (latency_p50_ms, latency_p99.9_ms, client/x/latency_p99_ms) in unit "ms".
bool is_histogram_quantile(std::string_view metric, std::string_view unit);

/// The width, in ms, of the histogram bucket that holds `ms` (0.13 ms at 29 ms, 0.26 ms at 40 ms).
double histogram_resolution_ms(double ms);

/// Whether a paired difference of two latency quantiles, with mean `difference_ms` and 95%
/// half-width `half_width_ms` (0 when every pair was equal), is resolved by the histogram: its size
/// exceeds the half-width plus the bucket width at the larger of the two means.
bool difference_resolved(double difference_ms, double half_width_ms, double mean_a_ms, double mean_b_ms);

}  // namespace reports
