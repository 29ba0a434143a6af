// Scaling benchmark, run by hand (never as a test):
//   ./build/faultline_scaling [--duration D] [--rate R] [--write DIR] [ROW...]
// A ROW is REGIONSxCLUSTERSxNODESxREPLICAS: REGIONS regions of CLUSTERS clusters of NODES nodes each,
// and REPLICAS pods of every service in every cluster. Default rows: the series of issue 14, from 36
// pods to 100,200 pods on 10,000 nodes.
//
// Every row has the same call graph (six services in a chain, every other one behind a waypoint with
// two replicas per cluster and outlier detection, so locality-aware) and the same total request rate (spread evenly over one client group per
// region), so the cost of a simulated request can be compared across fleet sizes. Each row runs in a
// child process so that its peak memory (the child's maximum resident set) is its own.
//
// Prints, per row: pods, nodes, waypoint replicas, requests and events simulated, events per request,
// the time to build the fleet, the wall time of the run, requests per wall-second and peak memory.
// A row the validator refuses prints its message instead. --write DIR also writes each row's scenario
// there (scaling-REGIONSxCLUSTERSxNODESxREPLICAS.json), to run with faultline.

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "models/config/load_scenario.hpp"
#include "models/config/scenario_error.hpp"
#include "models/simulation.hpp"

namespace {

struct Row {
  int regions = 0, clusters = 0, nodes = 0, replicas = 0;
  long pods() const { return 6L * regions * clusters * replicas; }
  long all_nodes() const { return 1L * regions * clusters * nodes; }
  long waypoint_replicas() const { return 3L * 2 * regions * clusters; }
};

bool parse_row(const char* text, Row& row) {
  return std::sscanf(text, "%dx%dx%dx%d", &row.regions, &row.clusters, &row.nodes, &row.replicas) == 4 &&
         row.regions > 0 && row.clusters > 0 && row.nodes > 0 && row.replicas > 0;
}

// The scenario of one row, as a user would write it.
std::string scenario_text(const Row& row, const std::string& duration, double total_rate) {
  std::string s = R"({"faultline": 1, "name": "scaling", "run": {"duration": ")" + duration +
                  R"(", "step": "5s", "seed": 1}, "regions": [)";
  for (int r = 0; r < row.regions; ++r) {
    const std::string region = "region-" + std::to_string(r);
    s += (r ? ", " : "") + std::string(R"({"name": ")") + region + R"(", "zones": [")" + region + R"(-a", ")" + region +
         R"(-b", ")" + region + R"(-c"], "clusters": [)";
    for (int c = 0; c < row.clusters; ++c)
      s += (c ? ", " : "") + std::string(R"({"name": "c)") + std::to_string(r) + "-" + std::to_string(c) +
           R"(", "nodes": )" + std::to_string(row.nodes) + (r == 0 && c == 0 ? R"(, "config_cluster": true})" : "}");
    s += "]}";
  }
  s += R"(], "backbone": [)";
  bool first = true;
  for (int a = 0; a < row.regions; ++a)
    for (int b = a + 1; b < row.regions; ++b) {
      s += (first ? "" : ", ") + std::string(R"({"from": "region-)") + std::to_string(a) + R"(", "to": "region-)" +
           std::to_string(b) + R"(", "latency": ")" + std::to_string(5 + 5 * (b - a)) + R"(ms", "jitter": "1ms"})";
      first = false;
    }
  s += R"(], "services": [)";
  for (int i = 0; i < 6; ++i) {
    s += (i ? ", " : "") + std::string(R"({"name": "svc)") + std::to_string(i) + R"(", "replicas_per_cluster": )" +
         std::to_string(row.replicas) +
         R"(, "concurrency": 64, "service_time": {"dist": "exponential", "mean": "1ms"})";
    // Outlier detection turns on Istio's locality load balancing in the waypoints (ROUTING.md 3).
    if (i % 2 == 1)
      s += R"(, "waypoint": {"replicas": 2}, "traffic_policy": {"outlierDetection": {"consecutive5xxErrors": 5, "interval": "10s", "baseEjectionTime": "30s"}})";
    else s += R"(, "traffic_distribution": "PreferSameZone")";
    if (i < 5) s += R"(, "calls": [{"service": "svc)" + std::to_string(i + 1) + R"(", "timeout": "2s"}])";
    s += "}";
  }
  s += R"(], "gateway": {"routes": [{"path_prefix": "/", "backend": "svc0"}]}, "clients": [)";
  for (int r = 0; r < row.regions; ++r)
    s += (r ? ", " : "") + std::string(R"({"region": "region-)") + std::to_string(r) + R"(", "rate": ")" +
         std::to_string(total_rate / row.regions) + R"(/s"})";
  s += "]}";
  return s;
}

struct Measured {
  unsigned long long requests = 0, events = 0;
  double build_seconds = 0, run_seconds = 0;
  char refused[512] = {};
};

Measured measure(const Row& row, const std::string& duration, double rate) {
  Measured m;
  using Clock = std::chrono::steady_clock;
  try {
    const auto start = Clock::now();
    auto config = models::config::parse_scenario(scenario_text(row, duration, rate), "scaling.json");
    const auto scenario = models::config::validate(std::move(config));
    models::Simulation sim(models::build_world(scenario, scenario.config().run.seed));
    const auto built = Clock::now();
    const models::results::RunResult r = sim.run();
    m.run_seconds = std::chrono::duration<double>(Clock::now() - built).count();
    m.build_seconds = std::chrono::duration<double>(built - start).count();
    m.requests = r.all.totals.requests;
    m.events = r.events;
  } catch (const models::config::ScenarioError& e) {
    std::snprintf(m.refused, sizeof m.refused, "%s", e.what());
    for (char& c : m.refused)
      if (c == '\n') c = ' ';  // one table row
  }
  return m;
}

}  // namespace

int main(int argc, char** argv) {
  std::string duration = "20s";
  double rate = 3000;
  std::vector<Row> rows;
  std::string write_dir;
  for (int i = 1; i < argc; ++i) {
    Row row;
    if (!std::strcmp(argv[i], "--duration") && i + 1 < argc) duration = argv[++i];
    else if (!std::strcmp(argv[i], "--rate") && i + 1 < argc) rate = std::atof(argv[++i]);
    else if (!std::strcmp(argv[i], "--write") && i + 1 < argc) write_dir = argv[++i];
    else if (parse_row(argv[i], row)) rows.push_back(row);
    else {
      std::fprintf(stderr, "faultline_scaling: expected --duration D, --rate R, --write DIR or a row like 10x4x40x30, found \"%s\"\n", argv[i]);
      return 2;
    }
  }
  if (rows.empty()) rows = {{3, 1, 3, 2}, {5, 2, 20, 17}, {10, 4, 40, 30}, {10, 10, 100, 167}};
  std::printf("%s simulated at %.0f requests/s in total; six services in a chain, every other one behind a waypoint\n\n",
              duration.c_str(), rate);
  std::printf("| fleet | pods | nodes | waypoint replicas | requests | events per request | build | run | requests per wall-second | peak memory |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|---|\n");
  for (const Row& row : rows) {
    if (!write_dir.empty()) {
      const std::string name = write_dir + "/scaling-" + std::to_string(row.regions) + "x" + std::to_string(row.clusters) +
                               "x" + std::to_string(row.nodes) + "x" + std::to_string(row.replicas) + ".json";
      std::ofstream(name) << scenario_text(row, duration, rate) << "\n";
    }
    int pipe_fds[2];
    if (pipe(pipe_fds) != 0) return 1;
    std::fflush(stdout);
    const pid_t child = fork();
    if (child == 0) {
      close(pipe_fds[0]);
      const Measured m = measure(row, duration, rate);
      const bool written = write(pipe_fds[1], &m, sizeof m) == static_cast<ssize_t>(sizeof m);
      _exit(written ? 0 : 1);
    }
    close(pipe_fds[1]);
    Measured m;
    const bool read_all = read(pipe_fds[0], &m, sizeof m) == static_cast<ssize_t>(sizeof m);
    close(pipe_fds[0]);
    int status = 0;
    rusage usage{};
    wait4(child, &status, 0, &usage);
    std::printf("| %d x %d x %d | %ld | %ld | %ld | ", row.regions, row.clusters, row.nodes, row.pods(), row.all_nodes(),
                row.waypoint_replicas());
    if (!read_all || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      std::printf("the run died (status %d) | | | | | |\n", status);
      continue;
    }
    if (m.refused[0]) {
      std::printf("refused: %s | | | | | |\n", m.refused);
      continue;
    }
    std::printf("%llu | %.1f | %.2f s | %.2f s | %.3f M | %.0f MB |\n", m.requests,
                static_cast<double>(m.events) / static_cast<double>(m.requests), m.build_seconds, m.run_seconds,
                static_cast<double>(m.requests) / m.run_seconds / 1e6, static_cast<double>(usage.ru_maxrss) / 1024.0);
  }
  return 0;
}
