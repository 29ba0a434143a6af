#include "reports/results_json.hpp"

#include <nlohmann/json.hpp>

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

json latency_json(const sim::LatencySummary& l) {
  return json{{"p50", ms(l.p50)}, {"p90", ms(l.p90)}, {"p99", ms(l.p99)}, {"p99.9", ms(l.p999)}, {"max", ms(l.max)}};
}

json counts_json(const sim::OutcomeCounts& c, const sim::RunResult& r) {
  json failures = json::object();
  for (std::size_t i = 1; i < c.failures_by_reason.size(); ++i)
    if (c.failures_by_reason[i] != 0) failures[r.failure_reasons[i]] = c.failures_by_reason[i];
  json served = json::object();
  for (std::size_t i = 0; i < c.served_by_region.size(); ++i) served[r.regions[i]] = c.served_by_region[i];
  return json{{"requests", c.requests},
              {"succeeded", c.succeeded},
              {"failed", c.failed},
              {"slow", c.slow},
              {"success_rate", ratio(c.succeeded, c.requests)},
              {"failures", failures},
              {"served_by_region", served}};
}

json group_json(const sim::GroupResult& g, const sim::RunResult& r) {
  json out = json::object();
  out["name"] = g.name;
  if (!g.region.empty()) out["region"] = g.region;
  out["totals"] = counts_json(g.totals, r);
  out["latency_ms"] = latency_json(g.latency);
  return out;
}

// Columns of one time series: one array per measure, aligned with "t_s".
json series_json(const sim::GroupResult& g, const sim::RunResult& r) {
  json requests = json::array(), succeeded = json::array(), failed = json::array(), slow = json::array(),
       rate = json::array(), p50 = json::array(), p90 = json::array(), p99 = json::array(),
       p999 = json::array();
  json failures = json::object();
  json served = json::object();
  for (std::size_t reason = 1; reason < r.failure_reasons.size(); ++reason) {
    bool any = false;
    for (const auto& p : g.series) any = any || p.counts.failures_by_reason[reason] != 0;
    if (!any) continue;
    json column = json::array();
    for (const auto& p : g.series) column.push_back(p.counts.failures_by_reason[reason]);
    failures[r.failure_reasons[reason]] = std::move(column);
  }
  for (std::size_t region = 0; region < r.regions.size(); ++region) {
    json column = json::array();
    for (const auto& p : g.series) column.push_back(p.counts.served_by_region[region]);
    served[r.regions[region]] = std::move(column);
  }
  for (const auto& p : g.series) {
    requests.push_back(p.counts.requests);
    succeeded.push_back(p.counts.succeeded);
    failed.push_back(p.counts.failed);
    slow.push_back(p.counts.slow);
    rate.push_back(ratio(p.counts.succeeded, p.counts.requests));
    p50.push_back(ms(p.latency.p50));
    p90.push_back(ms(p.latency.p90));
    p99.push_back(ms(p.latency.p99));
    p999.push_back(ms(p.latency.p999));
  }
  return json{{"requests", requests}, {"succeeded", succeeded}, {"failed", failed},   {"slow", slow},
              {"success_rate", rate},  {"p50_ms", p50},         {"p90_ms", p90},      {"p99_ms", p99},       {"p99.9_ms", p999},
              {"failures", failures},  {"served_by_region", served}};
}

// Writes the document one top-level member at a time, byte for byte as json::dump(2) would write
// the whole: only one member's DOM is in memory at once, not the whole document's (several times
// the size of its text, which for a day at a 5 s step is 28 MB).
class DocumentWriter {
 public:
  explicit DocumentWriter(const Sink& sink) : sink_(sink) {}

  /// `"key": value` at the top level.
  void member(std::string_view key, const json& value) {
    open_member(key);
    append_nested(value, "  ");
    flush();
  }
  /// `"key": {` followed by members of that object, each `"name": value` at depth two.
  void open_object(std::string_view key) {
    open_member(key);
    out_ += "{";
    first_in_object_ = true;
  }
  void object_member(std::string_view key, const json& value) {
    out_ += first_in_object_ ? "\n    " : ",\n    ";
    first_in_object_ = false;
    out_ += json(key).dump() + ": ";
    append_nested(value, "    ");
    flush();
  }
  void close_object() { out_ += first_in_object_ ? "}" : "\n  }"; }
  void finish() {
    out_ += first_member_ ? "{}\n" : "\n}\n";
    flush();
  }

 private:
  void open_member(std::string_view key) {
    out_ += first_member_ ? "{\n  " : ",\n  ";
    first_member_ = false;
    out_ += json(key).dump() + ": ";
  }
  /// `value` as dump(2) prints it, nested: every line after the first gains `indent`. dump()
  /// escapes any newline inside a string, so every raw newline is a line break.
  void append_nested(const json& value, const char* indent) {
    for (const char c : value.dump(2)) {
      out_ += c;
      if (c == '\n') out_ += indent;
    }
  }
  void flush() {
    sink_(out_);
    out_.clear();
  }
  const Sink& sink_;
  std::string out_;  // the text not yet passed to the sink: at most one member's
  bool first_member_ = true;
  bool first_in_object_ = false;
};

}  // namespace

std::string results_to_json(const sim::RunResult& r) {
  std::string text;
  write_results_json(r, [&text](std::string_view piece) { text += piece; });
  return text;
}

void write_results_json(const sim::RunResult& r, const Sink& sink) {
  DocumentWriter doc(sink);
  doc.member("faultline_results", 1);
  doc.member("scenario", r.scenario);
  doc.member("seed", r.seed);
  doc.member("duration_s", seconds(r.duration));
  doc.member("step_s", seconds(r.step));
  doc.member("slo", json{{"availability", r.slo_availability}, {"latency_ms", ms(r.slo_latency)}});
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

  doc.open_object("series");
  {
    json t = json::array();
    for (const auto& p : r.all.series) t.push_back(seconds(p.start));
    doc.object_member("t_s", t);
  }
  doc.object_member("all", series_json(r.all, r));
  {
    json per_client = json::object();
    for (const auto& g : r.clients) per_client[g.name] = series_json(g, r);
    doc.object_member("clients", per_client);
  }
  doc.close_object();

  json faults = json::array();
  for (const auto& f : r.faults) {
    json by_kind = json::object();
    for (const auto& [kind, n] : f.components_by_kind) by_kind[kind] = n;
    faults.push_back(json{{"id", f.id},
                          {"kind", f.kind},
                          {"target", f.target},
                          {"start_s", seconds(f.start)},
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
                                {"peak_error_rate", f.impact.peak_error_rate},
                                {"clients", f.impact.clients},
                                {"client_regions", f.impact.client_regions},
                                {"routes", f.impact.routes},
                                {"services", f.impact.services},
                                {"clusters", f.impact.clusters}}},
                          {"error_budget_burned", f.impact.error_budget_burned},
                          {"lost_writes", f.impact.lost_writes},
                          {"write_unavailable_s", seconds(f.impact.write_unavailable)}});
  }
  doc.member("faults", std::move(faults));
  json services = json::array();
  for (const auto& load : r.services) {
    json by_region = json::object();
    for (std::size_t region = 0; region < load.requests_by_region.size(); ++region)
      by_region[r.regions[region]] = load.requests_by_region[region];
    services.push_back(json{{"name", load.service}, {"requests_by_region", by_region}});
  }
  doc.member("services", std::move(services));
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
  json breakdowns = json::object();
  for (const auto& b : r.breakdowns) {
    std::uint64_t requests = 0, good = 0;
    for (std::size_t k = 0; k < b.requests.size(); ++k) {
      requests += b.requests[k];
      good += b.good[k];
    }
    if (!breakdowns.contains(b.dimension)) breakdowns[b.dimension] = json::array();
    breakdowns[b.dimension].push_back(json{{"name", b.name},
                                           {"requests", requests},
                                           {"good", good},
                                           {"good_share", ratio(good, requests)},
                                           {"latency_ms", latency_json(b.latency)},
                                           {"series", json{{"requests", b.requests}, {"good", b.good}}}});
  }
  doc.member("breakdowns", std::move(breakdowns));
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
  doc.finish();
}

}  // namespace reports
