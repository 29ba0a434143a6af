// Istio's endpoint priorities for a proxy (ROUTING.md 5.1): locality tiers 0..4, failover rules,
// failoverPriority labels, the network rule, compaction and trafficDistribution forcing.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "models/routing/istio_locality_priority.hpp"

using namespace models::routing;

namespace {

using Priorities = std::vector<std::uint32_t>;

LocalityAndLabels at(std::string region, std::string zone, std::string subzone, Labels labels = {}) {
  return {{std::move(region), std::move(zone), std::move(subzone)}, std::move(labels)};
}

LocalityFailoverSettings failover_on() {
  LocalityFailoverSettings s;
  s.failover_enabled = true;
  return s;
}

// The proxy used throughout: us-east1, zone b, subzone s1, network net1.
const LocalityAndLabels kProxy = at("us-east1", "us-east1-b", "s1", {{std::string(kNetworkLabel), "net1"}});

// One endpoint per raw tier 0..4 (the europe one is tier 3 without a rule, 4 with the rule below).
const std::vector<LocalityAndLabels> kTierEndpoints{
    at("us-east1", "us-east1-b", "s1"),          // same region/zone/subzone
    at("us-east1", "us-east1-b", "s2"),          // same zone, other subzone
    at("us-east1", "us-east1-c", "s1"),          // same region, other zone
    at("us-west1", "us-west1-a", "s1"),          // other region (the failover target)
    at("europe-west1", "europe-west1-b", "s1"),  // other region
};

}  // namespace

TEST_CASE("assign_istio_priorities: without failover everything is priority 0", "[models][routing]") {
  LocalityFailoverSettings settings;  // no outlier detection
  settings.failover = {{"us-east1", "us-west1"}};
  settings.failover_priority = {std::string(kNetworkLabel)};
  CHECK(assign_istio_priorities(kProxy, kTierEndpoints, settings) == Priorities(5, 0));
}

TEST_CASE("assign_istio_priorities: ROUTING.md 5.1 locality tiers 0-3 without a failover rule", "[models][routing]") {
  for (std::size_t i = 0; i < 4; ++i) {
    CHECK(locality_failover_tier(kProxy.locality, kTierEndpoints[i].locality, {}) == i);
  }
  CHECK(locality_failover_tier(kProxy.locality, kTierEndpoints[4].locality, {}) == 3u);
  CHECK(assign_istio_priorities(kProxy, kTierEndpoints, failover_on()) == Priorities{0, 1, 2, 3, 3});
}

TEST_CASE("assign_istio_priorities: ROUTING.md 5.1 tier 4 with a failover rule from the proxy's region",
          "[models][routing]") {
  LocalityFailoverSettings settings = failover_on();
  settings.failover = {{"us-east1", "us-west1"}};
  // The `to` region stays at 3; every other region drops to 4.
  CHECK(assign_istio_priorities(kProxy, kTierEndpoints, settings) == Priorities{0, 1, 2, 3, 4});

  SECTION("a rule from another region does not apply") {
    settings.failover = {{"europe-west1", "us-east1"}};
    CHECK(assign_istio_priorities(kProxy, kTierEndpoints, settings) == Priorities{0, 1, 2, 3, 3});
  }
  SECTION("only the first rule from the proxy's region counts") {
    settings.failover = {{"us-east1", "europe-west1"}, {"us-east1", "us-west1"}};
    CHECK(locality_failover_tier(kProxy.locality, kTierEndpoints[3].locality, settings.failover) == 4u);
    CHECK(locality_failover_tier(kProxy.locality, kTierEndpoints[4].locality, settings.failover) == 3u);
  }
}

TEST_CASE("assign_istio_priorities: empty tiers are compacted away", "[models][routing]") {
  LocalityFailoverSettings settings = failover_on();
  settings.failover = {{"us-east1", "us-west1"}};
  // Raw tiers 0, 2, 4 (no tier 1 or 3 endpoints) become 0, 1, 2.
  const std::vector<LocalityAndLabels> endpoints{kTierEndpoints[4], kTierEndpoints[0], kTierEndpoints[2]};
  CHECK(assign_istio_priorities(kProxy, endpoints, settings) == Priorities{2, 0, 1});

  CHECK(compact_priorities(Priorities{0, 2, 4, 2}) == Priorities{0, 1, 2, 1});
  CHECK(compact_priorities(Priorities{7, 7}) == Priorities{0, 0});
  CHECK(compact_priorities(Priorities{}).empty());
}

TEST_CASE("failover_priority_tier: N labels, first mismatch j gives N - j", "[models][routing]") {
  const LocalityAndLabels proxy = at("r", "z", "s", {{"a", "1"}, {"b", "1"}, {"c", "1"}});
  const std::vector<std::string> labels{"a", "b", "c"};  // N = 3
  struct Row {
    Labels endpoint_labels;
    std::uint32_t tier;
  };
  const Row row = GENERATE(values<Row>({
      {{{"a", "1"}, {"b", "1"}, {"c", "1"}}, 0},  // all match
      {{{"a", "1"}, {"b", "1"}, {"c", "2"}}, 1},  // j = 2: 3 - 2
      {{{"a", "1"}, {"b", "2"}, {"c", "1"}}, 2},  // j = 1: 3 - 1
      {{{"a", "2"}, {"b", "1"}, {"c", "1"}}, 3},  // j = 0: N, later matches do not count
      {{{"a", "1"}, {"b", "1"}}, 1},              // endpoint lacks c: "" != "1"
  }));
  const LocalityAndLabels endpoint = at("other", "z", "s", row.endpoint_labels);
  CHECK(failover_priority_tier(proxy, endpoint, labels) == row.tier);
}

TEST_CASE("failover_priority_tier: labels missing on both sides compare equal", "[models][routing]") {
  const LocalityAndLabels proxy = at("r", "z", "s", {{"a", "1"}});
  const std::vector<std::string> labels{"a", "missing"};
  CHECK(failover_priority_tier(proxy, at("r", "z", "s", {{"a", "1"}}), labels) == 0u);
  CHECK(failover_priority_tier(proxy, at("r", "z", "s", {{"a", "1"}, {"missing", "x"}}), labels) == 1u);
}

TEST_CASE("failover_priority_tier: key=value compares the endpoint with the literal", "[models][routing]") {
  // The proxy is on the stable track; the list asks for canary endpoints first anyway.
  const LocalityAndLabels proxy = at("r", "z", "s", {{"app", "web"}, {"track", "stable"}});
  const std::vector<std::string> labels{"app", "track=canary"};  // N = 2
  CHECK(failover_priority_tier(proxy, at("r", "z", "s", {{"app", "web"}, {"track", "canary"}}), labels) == 0u);
  CHECK(failover_priority_tier(proxy, at("r", "z", "s", {{"app", "web"}, {"track", "stable"}}), labels) == 1u);
  CHECK(failover_priority_tier(proxy, at("r", "z", "s", {{"app", "api"}, {"track", "canary"}}), labels) == 2u);
}

TEST_CASE("failover_priority_tier: the network rule keeps region/zone order inside other networks",
          "[models][routing]") {
  const std::vector<std::string> labels{std::string(kNetworkLabel), std::string(kRegionLabel),
                                        std::string(kZoneLabel)};  // N = 3
  const Labels net1{{std::string(kNetworkLabel), "net1"}};
  const Labels net2{{std::string(kNetworkLabel), "net2"}};
  struct Row {
    LocalityAndLabels endpoint;
    std::uint32_t tier;
  };
  const Row row = GENERATE_COPY(values<Row>({
      {at("us-east1", "us-east1-b", "s9", net1), 0},  // subzone is not in the list
      {at("us-east1", "us-east1-c", "s1", net1), 1},  // zone differs: 3 - 2
      {at("us-west1", "us-west1-a", "s1", net1), 2},  // region differs: 3 - 1
      {at("us-east1", "us-east1-b", "s1", net2), 3},  // other network, rest match: 3 + 0
      {at("us-east1", "us-east1-c", "s1", net2), 4},  // other network, zone differs: 3 + (3 - 2)
      {at("us-west1", "us-west1-a", "s1", net2), 5},  // other network, region differs: 3 + (3 - 1)
  }));
  CHECK(failover_priority_tier(kProxy, row.endpoint, labels) == row.tier);

  // A first label other than the network gets no such treatment: a mismatch there is simply N.
  const std::vector<std::string> region_first{std::string(kRegionLabel), std::string(kNetworkLabel)};
  CHECK(failover_priority_tier(kProxy, at("us-west1", "us-west1-a", "s1", net1), region_first) == 2u);
  CHECK(failover_priority_tier(kProxy, at("us-west1", "us-west1-a", "s1", net2), region_first) == 2u);
}

TEST_CASE("assign_istio_priorities: failoverPriority alone ignores region tiers", "[models][routing]") {
  LocalityFailoverSettings settings = failover_on();
  settings.failover_priority = {"version"};
  const LocalityAndLabels proxy = at("us-east1", "us-east1-b", "s1", {{"version", "v1"}});
  const std::vector<LocalityAndLabels> endpoints{
      at("us-east1", "us-east1-b", "s1", {{"version", "v1"}}),
      at("europe-west1", "europe-west1-b", "s1", {{"version", "v1"}}),
      at("us-east1", "us-east1-b", "s1", {{"version", "v2"}}),
  };
  CHECK(assign_istio_priorities(proxy, endpoints, settings) == Priorities{0, 0, 1});
}

TEST_CASE("assign_istio_priorities: failoverPriority with failover rules is label tier * 5 + locality tier",
          "[models][routing]") {
  LocalityFailoverSettings settings = failover_on();
  settings.failover_priority = {"version"};
  settings.failover = {{"us-east1", "us-west1"}};
  const LocalityAndLabels proxy = at("us-east1", "us-east1-b", "s1", {{"version", "v1"}});
  const std::vector<LocalityAndLabels> endpoints{
      at("us-east1", "us-east1-b", "s1", {{"version", "v1"}}),          // 0 * 5 + 0 = 0
      at("us-west1", "us-west1-a", "s1", {{"version", "v1"}}),          // 0 * 5 + 3 = 3
      at("europe-west1", "europe-west1-b", "s1", {{"version", "v1"}}),  // 0 * 5 + 4 = 4
      at("us-east1", "us-east1-b", "s1", {{"version", "v2"}}),          // 1 * 5 + 0 = 5
      at("us-west1", "us-west1-a", "s1", {{"version", "v2"}}),          // 1 * 5 + 3 = 8
  };
  // Raw 0, 3, 4, 5, 8 compact to 0..4: every v1 endpoint comes before every v2 endpoint.
  CHECK(assign_istio_priorities(proxy, endpoints, settings) == Priorities{0, 1, 2, 3, 4});
}

TEST_CASE("assign_istio_priorities: PreferSameZone forces network, region and zone without outlier detection",
          "[models][routing]") {
  LocalityFailoverSettings settings;  // failover_enabled stays false
  settings.traffic_distribution = TrafficDistribution::PreferSameZone;
  // Forcing replaces the DestinationRule's lists: these are ignored.
  settings.failover = {{"us-east1", "europe-west1"}};
  settings.failover_priority = {"version"};
  const Labels net1{{std::string(kNetworkLabel), "net1"}};
  const Labels net2{{std::string(kNetworkLabel), "net2"}};
  const std::vector<LocalityAndLabels> endpoints{
      at("us-east1", "us-east1-b", "s2", net1),          // same zone (subzone ignored): 0
      at("us-east1", "us-east1-c", "s1", net1),          // same region: 1
      at("europe-west1", "europe-west1-b", "s1", net1),  // other region: 2 (the rule is ignored)
      at("us-west1", "us-west1-a", "s1", net1),          // other region: 2
      at("us-east1", "us-east1-b", "s1", net2),          // other network, same zone: 3 + 0
  };
  CHECK(assign_istio_priorities(kProxy, endpoints, settings) == Priorities{0, 1, 2, 2, 3});
}

TEST_CASE("assign_istio_priorities: PreferSameNode forces network, region, zone, subzone and hostname",
          "[models][routing]") {
  LocalityFailoverSettings settings;
  settings.traffic_distribution = TrafficDistribution::PreferSameNode;
  const std::string host(kHostnameLabel), net(kNetworkLabel);
  const LocalityAndLabels proxy = at("us-east1", "us-east1-b", "s1", {{net, "net1"}, {host, "node-1"}});
  const std::vector<LocalityAndLabels> endpoints{
      at("us-east1", "us-east1-b", "s1", {{net, "net1"}, {host, "node-1"}}),  // all match: 0
      at("us-east1", "us-east1-b", "s1", {{net, "net1"}, {host, "node-2"}}),  // hostname (j = 4): 5 - 4 = 1
      at("us-east1", "us-east1-b", "s2", {{net, "net1"}, {host, "node-3"}}),  // subzone (j = 3): 2
      at("us-east1", "us-east1-c", "s1", {{net, "net1"}, {host, "node-4"}}),  // zone (j = 2): 3
      at("us-west1", "us-west1-a", "s1", {{net, "net1"}, {host, "node-5"}}),  // region (j = 1): 4
  };
  CHECK(assign_istio_priorities(proxy, endpoints, settings) == Priorities{0, 1, 2, 3, 4});
}

TEST_CASE("label_value: labels first, then the locality for the topology keys", "[models][routing]") {
  const LocalityAndLabels who = at("us-east1", "us-east1-b", "s1", {{std::string(kZoneLabel), "override"}, {"a", "1"}});
  CHECK(label_value(who, kRegionLabel) == "us-east1");
  CHECK(label_value(who, kZoneLabel) == "override");
  CHECK(label_value(who, kSubzoneLabel) == "s1");
  CHECK(label_value(who, "a") == "1");
  CHECK(label_value(who, kNetworkLabel).empty());
}
