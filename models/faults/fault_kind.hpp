#pragma once
// The kinds of fault a scenario can inject. Each has exactly one row in the fault catalogue
// (catalogue.cpp: its spelling, target rule, what it holds down, parameters, apply and revert).

namespace models::faults {

enum class FaultKind {
  RegionOutage,       // every cluster, node, pod, ztunnel, waypoint and istiod in a region
  ZoneOutage,         // every node in a zone, with what runs on it
  ClusterOutage,      // a cluster with all its nodes and its istiod
  NodeCrash,          // one node, its ztunnel and the pods and waypoints on it; target "cluster/node-N"
  GatewayTierOutage,  // the Google-managed gateway proxies of a region; target a region
  IstiodOutage,       // the control plane of a cluster: nothing new reaches its proxies
  PodCrash,           // one pod; target "<cluster>/<service>-<index>"
  DatabasePrimaryFailure,  // the current primary instance of a database; target the database's name
  BackbonePartition,  // a backbone link carries nothing; target "<region>/<region>"
  BackboneDegradation,  // a backbone link gets slower: added_latency, added_jitter; target "<region>/<region>"
  GrayFailure,        // pods stay up and pass their probes but answer a share of requests with 503
                      // (error_rate) or answer late (added_latency); target a pod, a node or a cluster
  ZtunnelCrash,       // a node's ztunnel: its pods keep running and stay Ready (kubelet probes bypass
                      // ztunnel) but nothing reaches them or leaves them through the mesh; target a node
  WaypointCrash,      // waypoint replicas; target "<cluster>/<service>-waypoint-<index>", or
                      // "<cluster>/<service>-waypoint" for every replica there
  WaypointOverload,   // waypoint replicas saturated on CPU: every request they forward waits
                      // added_latency; targets as waypoint-crash
  CrashLoop,          // a pod or waypoint replica crashes every up_for after it starts, and the kubelet
                      // restarts it after CrashLoopBackOff's growing delay
  DnsOutage,          // Cloud DNS answers nothing: resolvers and clients whose caches expire fail to
                      // resolve the gateway; pooled connections keep working; no target
  ConfigClusterOutage,  // the fleet's config cluster: the data plane keeps working, but changes made
                        // through it (operations) wait until it is back; target the config cluster
  BadRollout,         // a Deployment rolls out a version that fails (error_rate) or is slow
                      // (added_latency), one batch at a time; target "<cluster>/<service>" or
                      // "<region>/<service>"; rollback_after rolls it back the same way
};

}  // namespace models::faults
