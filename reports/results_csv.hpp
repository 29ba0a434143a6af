#pragma once
// timeseries.csv (`faultline run --csv`): the per-step series of results.json as one table for
// spreadsheets and dashboards. Long form: a row per step and client group ("all" first, then each
// group in results.json's order), the same numbers as results.json's "series" (RFC 4180: comma
// separated, CRLF line ends, a header row; names quoted when they need it).

#include "models/results/run_result.hpp"
#include "reports/atomic_file.hpp"

namespace reports {

/// Columns: t_s, client_group, requests, succeeded, failed, slow, success_rate (empty for a step
/// without requests), retries (only when clients retry), p50_ms, p90_ms, p99_ms, p99.9_ms, then
/// failed_<reason> for every failure reason that occurs in the run and served_<region> for every
/// region. Written a step at a time: the series stay on disk.
void write_series_csv(const models::results::RunResult& result, const Sink& sink);

}  // namespace reports
