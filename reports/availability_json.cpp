#include "reports/availability_json.hpp"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "reports/compare_report.hpp"
#include "reports/html_escape.hpp"

namespace reports {

namespace {

using nlohmann::json;

json finite_or_null(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

double downtime_min(double availability) { return (1.0 - availability) * kMinutesPerYear; }

std::string fixed(double v, int decimals) {
  if (!std::isfinite(v)) return "unbounded";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

// "1095 d", "36 h", "30 min", "45 s": a mean time in the unit a person would say it in.
std::string mean_time(double seconds) {
  if (seconds >= 2 * 86400) return fixed(seconds / 86400, seconds >= 20 * 86400 ? 0 : 1) + " d";
  if (seconds >= 2 * 3600) return fixed(seconds / 3600, 1) + " h";
  if (seconds >= 120) return fixed(seconds / 60, 1) + " min";
  return fixed(seconds, 1) + " s";
}

}  // namespace

std::string availability_to_json(const AvailabilityDocument& d) {
  json doc{{"faultline_availability", 1},
           {"faultline_version", d.faultline_version},
           {"scenario", d.scenario},
           {"seed", d.seed},
           {"seeds", d.seeds},
           {"years", d.years},
           {"episode_lead_s", d.lead_s},
           {"episode_settle_s", d.settle_s},
           {"episodes_per_seed", d.episodes_per_seed},
           {"simulated_s_per_seed", d.simulated_s_per_seed}};
  json processes = json::array();
  for (const auto& p : d.processes)
    processes.push_back(json{{"id", p.id},
                             {"kind", p.kind},
                             {"components", p.components},
                             {"mttf_s", p.mttf_s},
                             {"mttr_s", p.mttr_s},
                             {"availability_per_component", p.mttf_s / (p.mttf_s + p.mttr_s)},
                             {"failures_per_year", p.failures_per_year}});
  doc["fault_processes"] = std::move(processes);
  json groups = json::array();
  for (const auto& g : d.groups) {
    const double analytic_down = downtime_min(g.analytic), simulated_down = downtime_min(g.simulated_mean);
    groups.push_back(json{
        {"name", g.name},
        {"analytic", json{{"availability", g.analytic},
                          {"method", g.method},
                          {"components", g.components},
                          {"states", g.states},
                          {"largest_neglected_term", g.largest_neglected}}},
        {"simulated", json{{"availability", g.simulated_mean},
                           {"ci95", g.ci95 ? json::array({g.ci95->first, g.ci95->second}) : json(nullptr)},
                           {"by_seed", g.simulated_by_seed}}},
        {"downtime_min_per_year", json{{"analytic", analytic_down},
                                       {"simulated", simulated_down},
                                       {"difference", simulated_down - analytic_down}}}});
  }
  doc["clients"] = std::move(groups);
  json queues = json::array();
  for (const auto& q : d.queues)
    queues.push_back(json{{"service", q.service},
                          {"region", q.region},
                          {"erlang_c_applies", q.applies},
                          {"servers", q.servers},
                          {"arrival_rate_per_s", q.arrival_rate},
                          {"predicted", json{{"utilization", q.predicted_utilization},
                                             {"mean_wait_s", finite_or_null(q.predicted_wait_s)},
                                             {"stable", q.stable}}},
                          {"simulated", json{{"utilization", q.simulated_utilization}, {"mean_wait_s", q.simulated_wait_s}}}});
  doc["capacity"] = std::move(queues);
  json episodes = json::array();
  for (const auto& e : d.worst_episodes)
    episodes.push_back(json{{"seed", e.seed},
                            {"start", e.start},
                            {"length_s", e.length_s},
                            {"faults", e.faults},
                            {"failed_by_client", e.failed},
                            {"failed", e.failed_total}});
  doc["worst_episodes"] = std::move(episodes);
  return doc.dump(2) + "\n";
}

std::string render_availability_report(const AvailabilityDocument& d, const ReportInputs& inputs) {
  std::string rows;
  for (const auto& g : d.groups) {
    const double a = downtime_min(g.analytic), s = downtime_min(g.simulated_mean);
    rows += "<tr><th scope=\"row\" class=\"name\">" + html_escape(g.name) + "</th><td class=\"num\">" +
            fixed(100 * g.analytic, 4) + "%<br><small>" + html_escape(g.method) + "</small></td><td class=\"num\">" +
            fixed(100 * g.simulated_mean, 4) + "%" +
            (g.ci95 ? "<br><small>95% CI " + fixed(100 * g.ci95->first, 4) + "–" + fixed(100 * g.ci95->second, 4) + "%</small>"
                    : std::string()) +
            "</td><td class=\"num\">" + fixed(a, 1) + "</td><td class=\"num\">" + fixed(s, 1) + "</td><td class=\"num\">" +
            (s - a >= 0 ? "+" : "") + fixed(s - a, 1) + "</td></tr>\n";
  }
  std::string process_rows;
  for (const auto& p : d.processes)
    process_rows += "<tr><th scope=\"row\" class=\"id\">" + html_escape(p.id) + "</th><td class=\"name\">" + html_escape(p.kind) +
                    "</td><td class=\"num\">" + std::to_string(p.components) + "</td><td class=\"num\">" +
                    mean_time(p.mttf_s) + "</td><td class=\"num\">" + mean_time(p.mttr_s) + "</td><td class=\"num\">" + fixed(p.failures_per_year, 1) + "</td></tr>\n";
  std::string queue_rows;
  for (const auto& q : d.queues)
    queue_rows += "<tr><th scope=\"row\" class=\"name\">" + html_escape(q.service) + "</th><td class=\"name\">" +
                  html_escape(q.region) + "</td><td class=\"num\">" + std::to_string(q.servers) + "</td><td class=\"num\">" +
                  fixed(q.arrival_rate, 1) + "/s</td><td class=\"num\">" +
                  (q.applies ? fixed(100 * q.predicted_utilization, 1) + "% / " + fixed(q.predicted_wait_s * 1000, 2) + " ms"
                             : std::string("n/a (not exponential, or makes calls)")) +
                  "</td><td class=\"num\">" + fixed(100 * q.simulated_utilization, 1) + "% / " +
                  fixed(q.simulated_wait_s * 1000, 2) + " ms</td></tr>\n";
  std::string episode_rows;
  for (const auto& e : d.worst_episodes) {
    std::string faults;
    for (const auto& f : e.faults) faults += (faults.empty() ? "" : "<br>") + html_escape(f);
    episode_rows += "<tr><td class=\"num\">" + std::to_string(e.seed) + "</td><td class=\"when\">" + html_escape(e.start) +
                    "</td><td class=\"num\">" + fixed(e.length_s / 60, 1) + " min</td><td class=\"name\">" + faults +
                    "</td><td class=\"num\">" + fixed(e.failed_total, 0) + "</td></tr>\n";
  }
  const std::string title = "faultline availability: " + html_escape(d.scenario);
  std::string body =
      "<header><h1>" + title + "</h1><p>" + fixed(d.years, 2) + " year(s) of failures, " + std::to_string(d.seeds) +
      " seed(s) from " + std::to_string(d.seed) + "; " + fixed(d.episodes_per_seed, 1) +
      " failure episodes simulated per seed.</p></header>\n" +
      html::section("availability", "Availability by client group",
                    "<p class=\"caption\">Analytic: the fault processes' steady state over the fleet's structure "
                    "(routing reacts at once). Simulated: every failure episode replayed by the full simulator. The "
                    "difference is what detection delays, stale views and failback cost.</p>\n<div class=\"table-wrap\"><table>\n"
                    "<thead><tr><th>Client group</th><th>Analytic</th><th>Simulated</th><th>Downtime/yr analytic (min)</th>"
                    "<th>Simulated (min)</th><th>Difference (min)</th></tr></thead>\n<tbody>\n" +
                        rows + "</tbody></table></div>\n") +
      html::section("episodes", "The failure episodes that cost the most",
                    "<p class=\"caption\">Failed requests in each episode (the simulated years of every seed).</p>\n"
                    "<div class=\"table-wrap\"><table>\n<thead><tr><th>Seed</th><th>Start</th><th>Length</th>"
                    "<th>Failures</th><th>Failed requests</th></tr></thead>\n<tbody>\n" +
                        episode_rows + "</tbody></table></div>\n") +
      html::section("processes", "Fault processes",
                    "<div class=\"table-wrap\"><table>\n<thead><tr><th>Process</th><th>Kind</th><th>Components</th>"
                    "<th>MTTF</th><th>MTTR</th><th>Failures per year</th></tr></thead>\n<tbody>\n" +
                        process_rows + "</tbody></table></div>\n") +
      html::section("capacity", "Queues: Erlang C beside the simulation",
                    "<p class=\"caption\">At the baseline run's offered load: utilization / mean wait in queue.</p>\n"
                    "<div class=\"table-wrap\"><table>\n<thead><tr><th>Service</th><th>Region</th><th>Servers</th>"
                    "<th>Arrivals</th><th>M/M/c predicted</th><th>Simulated</th></tr></thead>\n<tbody>\n" +
                        queue_rows + "</tbody></table></div>\n");
  (void)inputs;
  return html::page(title, body, "{\"kind\":\"availability\"}");
}

}  // namespace reports
