#include "reports/results_json.hpp"


#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "models/results/process_totals.hpp"

namespace reports {

using json = nlohmann::ordered_json;

namespace {

double ms(sim::Duration d) { return static_cast<double>(d.count()) / 1e6; }
double seconds(sim::Duration d) { return static_cast<double>(d.count()) / 1e9; }

json optional_seconds(const std::optional<sim::Duration>& d) { return d ? json(seconds(*d)) : json(nullptr); }

json ratio(std::uint64_t part, std::uint64_t whole) {
  if (whole == 0) return nullptr;
  return static_cast<double>(part) / static_cast<double>(whole);
}

json latency_json(const models::results::LatencySummary& l) {
  return json{{"p50", ms(l.p50)}, {"p90", ms(l.p90)}, {"p99", ms(l.p99)}, {"p99.9", ms(l.p999)}, {"max", ms(l.max)}, {"mean", ms(l.mean)}};
}

json counts_json(const models::results::OutcomeCounts& c, const models::results::RunResult& r) {
  json failures = json::object();
  for (std::size_t i = 1; i < c.failures_by_reason.size(); ++i)
    if (c.failures_by_reason[i] != 0) failures[r.failure_reasons[i]] = c.failures_by_reason[i];
  json served = json::object();
  for (std::size_t i = 0; i < c.served_by_region.size(); ++i) served[r.regions[i]] = c.served_by_region[i];
  json out{{"requests", c.requests},
           {"succeeded", c.succeeded},
           {"failed", c.failed},
           {"slow", c.slow},
           {"success_rate", ratio(c.succeeded, c.requests)},
           {"failures", failures},
           {"served_by_region", served}};
  // Only where clients retry: `requests` are the clients' own, `retries` the re-sends on top.
  if (r.client_retries) out["retries"] = c.retries;
  return out;
}

json group_json(const models::results::GroupResult& g, const models::results::RunResult& r) {
  json out = json::object();
  out["name"] = g.name;
  if (!g.region.empty()) out["region"] = g.region;
  out["totals"] = counts_json(g.totals, r);
  out["latency_ms"] = latency_json(g.latency);
  return out;
}

// Writes JSON as json::dump(2) would, byte for byte, but as a stream: objects and arrays are
// opened and closed as they are written, and only small values are built as a DOM first. A day's
// per-step series (28 MB of text at a 5 s step, several times that as a DOM) is never in memory
// whole: columns are written step by step from the run's series, which are on disk.
class PrettyWriter {
 public:
  explicit PrettyWriter(const Sink& sink) : sink_(sink) {}

  void begin_object() { open('{'); }
  void end_object() { close('}'); }
  void begin_array() { open('['); }
  void end_array() { close(']'); }
  /// The key of the next member of the innermost object.
  void key(std::string_view name) {
    next_element();
    out_ += json(name).dump();
    out_ += ": ";
    after_key_ = true;
  }
  /// A whole value (a scalar, or a small object or array) as the next element or member value.
  void value(const json& v) {
    next_element();
    if (v.is_primitive()) {  // most values: a number of a column
      out_ += v.dump();
    } else {
      const std::string indent(2 * open_.size(), ' ');
      for (const char c : v.dump(2)) {  // dump() escapes newlines in strings: each raw one breaks a line
        out_ += c;
        if (c == '\n') out_ += indent;
      }
    }
    if (out_.size() >= kFlushBytes) flush();
  }
  void member(std::string_view name, const json& v) {
    key(name);
    value(v);
  }
  /// An array of `count` scalars, element k given by `element(k)`.
  template <class Element>
  void array(std::size_t count, const Element& element) {
    begin_array();
    for (std::size_t k = 0; k < count; ++k) value(element(k));
    end_array();
  }
  void finish() {
    out_ += '\n';
    flush();
  }

 private:
  static constexpr std::size_t kFlushBytes = 1 << 16;
  struct Level {
    bool empty = true;  // nothing written inside yet
  };
  // Before an element or a member: a comma after the previous one, a new line, the indent. A
  // value right after its key needs none of it.
  void next_element() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (open_.empty()) return;
    out_ += open_.back().empty ? "\n" : ",\n";
    open_.back().empty = false;
    out_.append(2 * open_.size(), ' ');
  }
  void open(char bracket) {
    next_element();
    out_ += bracket;
    open_.push_back(Level{});
  }
  void close(char bracket) {
    const bool empty = open_.back().empty;
    open_.pop_back();
    if (!empty) {
      out_ += '\n';
      out_.append(2 * open_.size(), ' ');
    }
    out_ += bracket;
    if (out_.size() >= kFlushBytes) flush();
  }
  void flush() {
    sink_(out_);
    out_.clear();
  }

  const Sink& sink_;
  std::string out_;  // not yet passed to the sink
  std::vector<Level> open_;
  bool after_key_ = false;
};

// Columns of one time series: one array per measure, aligned with "t_s". Reasons that never
// occur get no column.
void write_series(PrettyWriter& w, const models::results::PointSeries& series, const models::results::RunResult& r) {
  const std::size_t n = series.size();
  std::vector<bool> reason_occurs(r.failure_reasons.size(), false);
  for (const models::results::SeriesPoint& p : series)
    for (std::size_t reason = 1; reason < reason_occurs.size() && reason < p.counts.failures_by_reason.size(); ++reason)
      reason_occurs[reason] = reason_occurs[reason] || p.counts.failures_by_reason[reason] != 0;
  const auto column = [&](std::string_view name, const auto& of_point) {
    w.key(name);
    w.array(n, [&](std::size_t k) { return of_point(series[k]); });
  };
  w.begin_object();
  column("requests", [](const models::results::SeriesPoint& p) { return json(p.counts.requests); });
  column("succeeded", [](const models::results::SeriesPoint& p) { return json(p.counts.succeeded); });
  column("failed", [](const models::results::SeriesPoint& p) { return json(p.counts.failed); });
  column("slow", [](const models::results::SeriesPoint& p) { return json(p.counts.slow); });
  column("success_rate", [](const models::results::SeriesPoint& p) { return ratio(p.counts.succeeded, p.counts.requests); });
  if (r.client_retries) column("retries", [](const models::results::SeriesPoint& p) { return json(p.counts.retries); });
  column("p50_ms", [](const models::results::SeriesPoint& p) { return json(ms(p.latency.p50)); });
  column("p90_ms", [](const models::results::SeriesPoint& p) { return json(ms(p.latency.p90)); });
  column("p99_ms", [](const models::results::SeriesPoint& p) { return json(ms(p.latency.p99)); });
  column("p99.9_ms", [](const models::results::SeriesPoint& p) { return json(ms(p.latency.p999)); });
  w.key("failures");
  w.begin_object();
  for (std::size_t reason = 1; reason < reason_occurs.size(); ++reason) {
    if (!reason_occurs[reason]) continue;
    column(r.failure_reasons[reason], [reason](const models::results::SeriesPoint& p) { return json(p.counts.failures_by_reason[reason]); });
  }
  w.end_object();
  w.key("served_by_region");
  w.begin_object();
  for (std::size_t region = 0; region < r.regions.size(); ++region)
    column(r.regions[region], [region](const models::results::SeriesPoint& p) { return json(p.counts.served_by_region[region]); });
  w.end_object();
  w.end_object();
}

void write_counts(PrettyWriter& w, const sim::CountSeries& counts) {
  w.array(counts.size(), [&](std::size_t k) { return json(counts[k]); });
}

// Per region where the service has pods, per step: `utilization` (busy slots over running pods x
// concurrency, time-averaged; null when no pod ran), `queue` (calls waiting, time-averaged) and
// `replicas` (pods Ready at the step's end).
void write_saturation(PrettyWriter& w, const models::results::ServiceLoad& load, const models::results::RunResult& r) {
  const auto per_region = [&](std::string_view name, const auto& value) {
    w.key(name);
    w.begin_object();
    for (const models::results::ServiceSaturation& s : load.saturation) {
      w.key(r.regions[s.region]);
      w.array(s.busy.size(), [&](std::size_t k) { return value(s, k); });
    }
    w.end_object();
  };
  const double step_ns = static_cast<double>(r.step.count());
  per_region("utilization", [&](const models::results::ServiceSaturation& s, std::size_t k) -> json {
    if (s.running[k] == 0) return nullptr;
    const double slots = static_cast<double>(s.running[k]) * load.concurrency;
    return std::round(1e4 * static_cast<double>(s.busy[k]) / slots) / 1e4;  // (1e4 x busy) / slots: the digests pin this order
  });
  per_region("queue", [&](const models::results::ServiceSaturation& s, std::size_t k) -> json {
    return std::round(1e3 * static_cast<double>(s.queued[k]) / step_ns) / 1e3;
  });
  per_region("replicas", [&](const models::results::ServiceSaturation& s, std::size_t k) -> json { return s.replicas[k]; });
}

}  // namespace

void write_results_json(const models::results::RunResult& r, const Sink& sink) {
  PrettyWriter doc(sink);
  doc.begin_object();
  doc.member("faultline_results", 1);
  doc.member("scenario", r.scenario);
  doc.member("seed", r.seed);
  doc.member("duration_s", seconds(r.duration));
  doc.member("step_s", seconds(r.step));
  doc.member("slo", json{{"availability", r.slo_availability}, {"latency_ms", ms(r.slo_latency)}});
  doc.member("warnings", r.warnings);
  doc.member("regions", r.regions);
  doc.member("totals", counts_json(r.all.totals, r));
  doc.member("availability", ratio(r.all.totals.succeeded, r.all.totals.requests));
  const std::uint64_t bad = r.all.totals.requests - (r.all.totals.succeeded - r.all.totals.slow);
  const double allowed = (1.0 - r.slo_availability) * static_cast<double>(r.all.totals.requests);
  doc.member("error_budget", json{{"allowed_bad_requests", allowed},
                             {"bad_requests", bad},
                             {"burned", allowed > 0 ? json(static_cast<double>(bad) / allowed) : json(nullptr)}});
  doc.member("latency_ms", latency_json(r.all.latency));
  json clients = json::array();
  for (const auto& g : r.clients) clients.push_back(group_json(g, r));
  doc.member("clients", std::move(clients));

  doc.key("series");
  doc.begin_object();
  doc.key("t_s");
  doc.array(r.all.series.size(), [&](std::size_t k) { return json(seconds(r.all.series[k].start)); });
  doc.key("all");
  write_series(doc, r.all.series, r);
  doc.key("clients");
  doc.begin_object();
  for (const auto& g : r.clients) {  // names are unique (validate)
    doc.key(g.name);
    write_series(doc, g.series, r);
  }
  doc.end_object();
  doc.end_object();

  json faults = json::array();
  for (const auto& f : r.faults) {
    json by_kind = json::object();
    for (const auto& [kind, n] : f.components_by_kind) by_kind[kind] = n;
    json fault{{"id", f.id}, {"kind", f.kind}, {"target", f.target}};
    if (!f.service.empty()) fault["service"] = f.service;  // a gray failure of one service only
    if (f.drawn) {  // generated: its process, and its times as a clock reads them ("12d 03:25:11.234")
      fault["process"] = f.process;
      fault["start"] = sim::format_clock(f.start);
      fault["end"] = f.end ? json(sim::format_clock(*f.end)) : json(nullptr);
    }
    fault.update(json{{"start_s", seconds(f.start)},
                      {"end_s", f.end ? json(seconds(*f.end)) : json(nullptr)},
                      {"structural_blast_radius",
                       json{{"count", f.components.size()}, {"by_kind", by_kind}, {"components", f.components}}},
                      {"time_to_detect_s", optional_seconds(f.impact.time_to_detect)},
                      {"detected_by", f.impact.time_to_detect ? json(f.impact.detected_by) : json(nullptr)},
                      {"time_to_recover_s", optional_seconds(f.impact.time_to_recover)},
                      {"time_to_fail_back_s", optional_seconds(f.impact.time_to_fail_back)},
                      {"observed_blast_radius",
                       json{{"window_start_s", seconds(f.impact.window_start)},
                            {"window_end_s", seconds(f.impact.window_end)},
                            {"requests", f.impact.requests},
                            {"failed", f.impact.failed},
                            {"slow", f.impact.slow},
                            {"bad", f.impact.bad},
                            {"bad_share", f.impact.bad_share},
                            {"shared", f.impact.shared},
                            {"peak_error_rate", f.impact.peak_error_rate},
                            {"clients", f.impact.clients},
                            {"client_regions", f.impact.client_regions},
                            {"routes", f.impact.routes},
                            {"services", f.impact.services},
                            {"clusters", f.impact.clusters}}},
                      {"error_budget_burned", f.impact.error_budget_burned},
                      {"lost_writes", f.impact.lost_writes},
                      {"write_unavailable_s", seconds(f.impact.write_unavailable)}});
    faults.push_back(std::move(fault));
  }
  doc.member("faults", std::move(faults));
  // Generated faults per process (only when the scenario has fault processes that drew one).
  if (const auto totals = models::results::process_totals(r); !totals.empty()) {
    json processes = json::array();
    for (const auto& p : totals)
      processes.push_back(json{{"id", p.id},
                               {"kind", p.kind},
                               {"failures", p.failures},
                               {"components", p.components},
                               {"downtime_s", seconds(p.downtime)},
                               {"failed", p.failed},
                               {"slow", p.slow},
                               {"bad", p.bad},
                               {"error_budget_burned", p.error_budget_burned}});
    doc.member("fault_processes", std::move(processes));
  }
  // Bad requests that no fault caused (the faults' own are counted by cause, see README "Metrics").
  doc.member("no_fault", json{{"failed", r.no_fault.failed},
                              {"slow", r.no_fault.slow},
                              {"bad", r.no_fault.bad},
                              {"bad_share", r.no_fault.share}});
  doc.key("services");
  doc.begin_array();
  for (const auto& load : r.services) {
    doc.begin_object();
    doc.member("name", load.service);
    doc.key("requests_by_region");
    doc.begin_object();
    for (std::size_t region = 0; region < load.requests_by_region.size(); ++region) {
      doc.key(r.regions[region]);
      write_counts(doc, load.requests_by_region[region]);
    }
    doc.end_object();
    write_saturation(doc, load, r);
    doc.end_object();
  }
  doc.end_array();
  json databases = json::array();
  for (const auto& db : r.databases)
    databases.push_back(json{{"name", db.name},
                             {"writes", db.writes},
                             {"failed_writes", db.failed_writes},
                             {"lost_writes", db.lost_writes},
                             {"write_unavailable_s", seconds(db.write_unavailable)},
                             {"failovers", db.failovers},
                             {"primary_region", db.primary_region}});
  doc.member("databases", std::move(databases));
  // Client requests by route, entry service and serving cluster: totals, latency, and per step.
  // An object of one array per dimension, in the order the dimensions first appear.
  std::vector<std::string> dimensions;
  for (const auto& b : r.breakdowns)
    if (std::find(dimensions.begin(), dimensions.end(), b.dimension) == dimensions.end()) dimensions.push_back(b.dimension);
  doc.key("breakdowns");
  doc.begin_object();
  for (const std::string& dimension : dimensions) {
    doc.key(dimension);
    doc.begin_array();
    for (const auto& b : r.breakdowns) {
      if (b.dimension != dimension) continue;
      std::uint64_t requests = 0, good = 0;
      for (std::size_t k = 0; k < b.requests.size(); ++k) {
        requests += b.requests[k];
        good += b.good[k];
      }
      doc.begin_object();
      doc.member("name", b.name);
      doc.member("requests", requests);
      doc.member("good", good);
      doc.member("good_share", ratio(good, requests));
      doc.member("latency_ms", latency_json(b.latency));
      doc.key("series");
      doc.begin_object();
      doc.key("requests");
      write_counts(doc, b.requests);
      doc.key("good");
      write_counts(doc, b.good);
      doc.end_object();
      doc.end_object();
    }
    doc.end_array();
  }
  doc.end_object();
  json regions = json::array();
  for (const auto& region : r.topology.regions) {
    json clusters = json::array();
    for (const auto& c : region.clusters)
      clusters.push_back(json{{"name", c.name},
                              {"nodes", c.nodes},
                              {"config_cluster", c.config_cluster},
                              {"runs_istiod", c.runs_istiod},
                              {"services", c.services}});
    regions.push_back(json{{"name", region.name}, {"gateway_vip", region.gateway_vip}, {"clusters", clusters}});
  }
  json links = json::array();
  for (const auto& l : r.topology.backbone)
    links.push_back(json{{"from", l.from}, {"to", l.to}, {"latency_ms", ms(l.latency)}});
  doc.member("topology", json{{"regions", regions}, {"backbone", links}});
  doc.member("engine", json{{"events", r.events}});
  doc.end_object();
  doc.finish();
}

}  // namespace reports
