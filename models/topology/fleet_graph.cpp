#include "models/topology/fleet_graph.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/filtered_graph.hpp>
#include <stdexcept>

namespace models::topology {

const char* to_string(ComponentKind kind) {
  switch (kind) {
    case ComponentKind::Region: return "region";
    case ComponentKind::Zone: return "zone";
    case ComponentKind::Cluster: return "cluster";
    case ComponentKind::Istiod: return "istiod";
    case ComponentKind::Node: return "node";
    case ComponentKind::Ztunnel: return "ztunnel";
    case ComponentKind::WaypointReplica: return "waypoint";
    case ComponentKind::Pod: return "pod";
    case ComponentKind::Gateway: return "gateway";
    case ComponentKind::GatewayProxyTier: return "gateway-proxy-tier";
    case ComponentKind::BackboneLink: return "backbone-link";
    case ComponentKind::DatabaseInstance: return "database";
  }
  return "unknown";
}

const char* to_string(EdgeKind kind) {
  switch (kind) {
    case EdgeKind::Contains: return "contains";
    case EdgeKind::RunsOn: return "runs-on";
    case EdgeKind::DependsOn: return "depends-on";
    case EdgeKind::Configures: return "configures";
    case EdgeKind::Link: return "link";
  }
  return "unknown";
}

namespace {

struct VertexData {
  ComponentKind kind = ComponentKind::Region;
  std::string name;
};
struct EdgeData {
  EdgeKind kind = EdgeKind::Contains;
  LinkLatency latency;           // Link edges only
  ComponentId via;               // Link edges only: the backbone link vertex
};

// vecS for vertices: descriptors are dense indices equal to ComponentId values. vecS out-edge
// lists keep insertion order, which keeps every traversal deterministic.
using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, VertexData, EdgeData>;
using Vertex = boost::graph_traits<Graph>::vertex_descriptor;

struct PropagatesFailure {
  const Graph* graph = nullptr;
  template <class Edge>
  bool operator()(const Edge& e) const {
    return propagates_failure((*graph)[e].kind);
  }
};

// Records vertices in the order breadth-first search discovers them.
struct DiscoveryRecorder : boost::default_bfs_visitor {
  std::vector<ComponentId>* out;
  explicit DiscoveryRecorder(std::vector<ComponentId>* o) : out(o) {}
  template <class G>
  void discover_vertex(Vertex v, const G&) const {
    out->push_back(ComponentId::from_index(v));
  }
};

}  // namespace

struct FleetGraph::Impl {
  Graph graph;
};

FleetGraph::FleetGraph() : impl_(std::make_unique<Impl>()) {}
FleetGraph::~FleetGraph() = default;
FleetGraph::FleetGraph(FleetGraph&&) noexcept = default;
FleetGraph& FleetGraph::operator=(FleetGraph&&) noexcept = default;

ComponentId FleetGraph::add_component(ComponentKind kind, std::string name) {
  const Vertex v = boost::add_vertex(VertexData{kind, std::move(name)}, impl_->graph);
  return ComponentId::from_index(v);
}

void FleetGraph::add_edge(ComponentId from, ComponentId to, EdgeKind kind) {
  boost::add_edge(from.index(), to.index(), EdgeData{kind, {}, {}}, impl_->graph);
}

ComponentId FleetGraph::add_backbone_link(ComponentId region_a, ComponentId region_b, LinkLatency latency) {
  const ComponentId link = add_component(ComponentKind::BackboneLink, name(region_a) + "<->" + name(region_b));
  boost::add_edge(region_a.index(), region_b.index(), EdgeData{EdgeKind::Link, latency, link}, impl_->graph);
  boost::add_edge(region_b.index(), region_a.index(), EdgeData{EdgeKind::Link, latency, link}, impl_->graph);
  return link;
}

std::size_t FleetGraph::size() const { return boost::num_vertices(impl_->graph); }
std::size_t FleetGraph::edge_count() const { return boost::num_edges(impl_->graph); }
ComponentKind FleetGraph::kind(ComponentId id) const { return impl_->graph[id.index()].kind; }
const std::string& FleetGraph::name(ComponentId id) const { return impl_->graph[id.index()].name; }

std::vector<ComponentId> FleetGraph::targets(ComponentId from, EdgeKind kind) const {
  std::vector<ComponentId> out;
  for (auto [it, end] = boost::out_edges(from.index(), impl_->graph); it != end; ++it) {
    if (impl_->graph[*it].kind == kind) out.push_back(ComponentId::from_index(boost::target(*it, impl_->graph)));
  }
  return out;
}

std::vector<ComponentId> FleetGraph::failure_reach(ComponentId root) const {
  const Graph& g = impl_->graph;
  boost::filtered_graph<Graph, PropagatesFailure> failing(g, PropagatesFailure{&g});
  std::vector<ComponentId> reached;
  std::vector<boost::default_color_type> colors(boost::num_vertices(g));
  boost::breadth_first_search(
      failing, root.index(),
      boost::visitor(DiscoveryRecorder{&reached})
          .color_map(boost::make_iterator_property_map(colors.begin(), boost::get(boost::vertex_index, g))));
  return reached;
}

std::vector<std::uint32_t> RegionLatencies::by_distance_from(std::uint32_t from) const {
  std::vector<std::uint32_t> order;
  for (std::uint32_t to = 0; to < latency.size(); ++to)
    if (reachable(from, to)) order.push_back(to);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return latency[from][a] < latency[from][b]; });
  return order;
}

RegionLatencies FleetGraph::region_latencies(const std::vector<ComponentId>& regions,
                                             const std::vector<ComponentId>& down_links,
                                             const std::vector<std::pair<ComponentId, LinkLatency>>& added) const {
  const Graph& g = impl_->graph;
  const auto n = static_cast<Eigen::Index>(regions.size());
  std::vector<Eigen::Index> ordinal(boost::num_vertices(g), -1);
  for (Eigen::Index i = 0; i < n; ++i) ordinal[regions[static_cast<std::size_t>(i)].index()] = i;

  // Integer nanoseconds in int64 matrices: exact, so ties between equal paths resolve the same
  // way on every machine. kInf marks "no path".
  constexpr std::int64_t kInf = std::numeric_limits<std::int64_t>::max();
  using Matrix = Eigen::Matrix<std::int64_t, Eigen::Dynamic, Eigen::Dynamic>;
  Matrix dist = Matrix::Constant(n, n, kInf);
  Matrix jitter = Matrix::Zero(n, n);
  Eigen::MatrixXd delivered = Eigen::MatrixXd::Ones(n, n);  // chance a packet gets through
  for (Eigen::Index i = 0; i < n; ++i) dist(i, i) = 0;

  for (auto [it, end] = boost::edges(g); it != end; ++it) {
    const EdgeData& e = g[*it];
    if (e.kind != EdgeKind::Link) continue;
    if (std::find(down_links.begin(), down_links.end(), e.via) != down_links.end()) continue;
    const Eigen::Index a = ordinal[boost::source(*it, g)];
    const Eigen::Index b = ordinal[boost::target(*it, g)];
    if (a < 0 || b < 0) continue;
    LinkLatency link = e.latency;
    for (const auto& [via, extra] : added)
      if (via == e.via) {
        link.latency += extra.latency;
        link.jitter += extra.jitter;
        link.loss = 1.0 - (1.0 - link.loss) * (1.0 - extra.loss);
      }
    if (link.latency.count() < dist(a, b)) {
      dist(a, b) = link.latency.count();
      jitter(a, b) = link.jitter.count();
      delivered(a, b) = 1.0 - link.loss;
    }
  }
  // Floyd-Warshall; a strictly shorter path replaces, so the direct link wins ties.
  for (Eigen::Index k = 0; k < n; ++k)
    for (Eigen::Index i = 0; i < n; ++i) {
      if (dist(i, k) == kInf) continue;
      for (Eigen::Index j = 0; j < n; ++j) {
        if (dist(k, j) == kInf) continue;
        if (dist(i, k) + dist(k, j) < dist(i, j)) {
          dist(i, j) = dist(i, k) + dist(k, j);
          jitter(i, j) = jitter(i, k) + jitter(k, j);
          delivered(i, j) = delivered(i, k) * delivered(k, j);
        }
      }
    }

  RegionLatencies out;
  out.latency.assign(regions.size(), std::vector<sim::Duration>(regions.size()));
  out.jitter.assign(regions.size(), std::vector<sim::Duration>(regions.size()));
  out.loss.assign(regions.size(), std::vector<double>(regions.size(), 0.0));
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = 0; j < n; ++j) {
      const auto ui = static_cast<std::size_t>(i);
      const auto uj = static_cast<std::size_t>(j);
      out.latency[ui][uj] = dist(i, j) == kInf ? sim::Duration::max() : sim::Duration{dist(i, j)};
      out.jitter[ui][uj] = sim::Duration{jitter(i, j)};
      out.loss[ui][uj] = 1.0 - delivered(i, j);
    }
  return out;
}

}  // namespace models::topology
