#include "reports/html_report.hpp"

#include <catch2/catch.hpp>

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "reports/html_escape.hpp"
#include "reports/sha256.hpp"

using ojson = nlohmann::ordered_json;
using reports::html_escape;
using reports::json_for_script;
using reports::render_html_report;
using reports::ReportInputs;
using reports::ResultsDocumentError;

namespace {

std::string sha256_hex(std::string_view s) { return reports::to_hex(reports::sha256(s)); }

std::size_t occurrences(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

// A results document as faultline writes it: one client group in region r1, `steps` steps of
// `step_s` with 100 requests each, `failed(i)` of them failing; one fault over [fault_from, fault_to).
ojson make_results(const std::string& name, std::size_t steps, double step_s,
                   const std::function<std::uint64_t(std::size_t)>& failed, double fault_from, double fault_to) {
  ojson t = ojson::array(), requests = ojson::array(), succeeded = ojson::array(), failed_col = ojson::array(),
        slow = ojson::array(), rate = ojson::array(), p50 = ojson::array(), p90 = ojson::array(), p99 = ojson::array(),
        timeouts = ojson::array(), r1 = ojson::array(), r2 = ojson::array();
  std::uint64_t total_failed = 0;
  for (std::size_t i = 0; i < steps; ++i) {
    const std::uint64_t f = failed(i);
    total_failed += f;
    t.push_back(static_cast<double>(i) * step_s);
    requests.push_back(100);
    succeeded.push_back(100 - f);
    failed_col.push_back(f);
    slow.push_back(0);
    rate.push_back(static_cast<double>(100 - f) / 100);
    p50.push_back(12.5);
    p90.push_back(30.25);
    p99.push_back(f != 0 ? 90.0 : 60.0);
    timeouts.push_back(f);
    const bool in_fault = t.back().get<double>() >= fault_from && t.back().get<double>() < fault_to;
    r1.push_back(in_fault ? 0 : 100);
    r2.push_back(in_fault ? 100 : 0);
  }
  const std::uint64_t total = 100 * steps;
  ojson counts{{"requests", total},
               {"succeeded", total - total_failed},
               {"failed", total_failed},
               {"slow", 0},
               {"success_rate", static_cast<double>(total - total_failed) / static_cast<double>(total)},
               {"failures", total_failed != 0 ? ojson{{"timeout", total_failed}} : ojson::object()},
               {"served_by_region", {{"r1", total / 2}, {"r2", total / 2}}}};
  ojson latency{{"p50", 12.5}, {"p90", 30.25}, {"p99", 60.0}, {"p99.9", 80.0}, {"max", 95.0}};
  ojson group{{"requests", requests}, {"succeeded", succeeded}, {"failed", failed_col}, {"slow", slow},
              {"success_rate", rate},   {"p50_ms", p50},         {"p90_ms", p90},       {"p99_ms", p99},
              {"failures", {{"timeout", timeouts}}}, {"served_by_region", {{"r1", r1}, {"r2", r2}}}};
  ojson doc;
  doc["faultline_results"] = 1;
  doc["scenario"] = name;
  doc["seed"] = 42;
  doc["duration_s"] = static_cast<double>(steps) * step_s;
  doc["step_s"] = step_s;
  doc["slo"] = {{"availability", 0.999}, {"latency_ms", 300.0}};
  doc["regions"] = {"r1", "r2"};
  doc["totals"] = counts;
  doc["latency_ms"] = latency;
  doc["clients"] = ojson::array({ojson{{"name", "c1"}, {"region", "r1"}, {"totals", counts}, {"latency_ms", latency}}});
  doc["series"] = {{"t_s", t}, {"all", group}, {"clients", {{"c1", group}}}};
  doc["faults"] = ojson::array({ojson{{"id", "f1"},
                                      {"kind", "region-outage"},
                                      {"target", "r1"},
                                      {"start_s", fault_from},
                                      {"end_s", fault_to},
                                      {"structural_blast_radius",
                                       {{"count", 2}, {"by_kind", {{"region", 1}, {"zone", 1}}}, {"components", {"r1", "r1-a"}}}}}});
  doc["services"] = ojson::array({ojson{{"name", "web"}, {"requests_by_region", {{"r1", {1}}, {"r2", {1}}}}}});
  doc["databases"] = ojson::array();
  doc["engine"] = {{"events", 1}};
  return doc;
}

ojson ten_minutes(const std::string& name = "ten-minutes") {
  // 5 s steps; steps 36..47 (3:00-4:00) lose 20 requests of 100 each.
  return make_results(name, 120, 5, [](std::size_t i) -> std::uint64_t { return i >= 36 && i < 48 ? 20 : 0; }, 180, 240);
}

const ReportInputs kInputs{"9.9.9", true, "scenarios/x.json", std::string(64, 'a')};

std::string render(const ojson& doc, const ReportInputs& inputs = kInputs) {
  return render_html_report(doc.dump(2), "results.json", inputs);
}

// The text of every <script> element without attributes (the executable ones), in order.
std::vector<std::string> inline_scripts(const std::string& html) {
  std::vector<std::string> out;
  for (auto at = html.find("<script>"); at != std::string::npos; at = html.find("<script>", at + 1)) {
    const auto from = at + std::string("<script>").size();
    out.push_back(html.substr(from, html.find("</script>", from) - from));
  }
  return out;
}

// The page without the text of its inline scripts (ECharts mentions "<img" and "http://" itself).
std::string without_scripts(std::string html) {
  for (auto at = html.find("<script>"); at != std::string::npos; at = html.find("<script>", at + 1)) {
    const auto from = at + std::string("<script>").size();
    html.erase(from, html.find("</script>", from) - from);
  }
  return html;
}

ojson data_block(const std::string& html) {
  const std::string open = "<script type=\"application/json\" id=\"faultline-data\">";
  const auto from = html.find(open) + open.size();
  return ojson::parse(html.substr(from, html.find("</script>", from) - from));
}

std::string rejection(const std::string& text) {
  try {
    render_html_report(text, "bad.json", kInputs);
  } catch (const ResultsDocumentError& e) {
    return e.what();
  }
  return "(accepted)";
}

}  // namespace

TEST_CASE("SHA-256 matches the FIPS 180 test vectors", "[reports]") {
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // 56 bytes: the length no longer fits in the first padding block.
  CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(sha256_hex("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu") ==
        "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
  CHECK(sha256_hex(std::string(1000000, 'a')) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("base64 matches the RFC 4648 test vectors", "[reports]") {
  CHECK(reports::to_base64("") == "");
  CHECK(reports::to_base64("f") == "Zg==");
  CHECK(reports::to_base64("fo") == "Zm8=");
  CHECK(reports::to_base64("foo") == "Zm9v");
  CHECK(reports::to_base64("foob") == "Zm9vYg==");
  CHECK(reports::to_base64("fooba") == "Zm9vYmE=");
  CHECK(reports::to_base64("foobar") == "Zm9vYmFy");
  CHECK(reports::to_base64(std::string("\xff\xfe\x00", 3)) == "//4A");
}

TEST_CASE("html_escape turns markup into text", "[reports]") {
  CHECK(html_escape("</script><script>alert(1)</script>") == "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;");
  CHECK(html_escape("a & \"b\" 'c'") == "a &amp; &quot;b&quot; &#39;c&#39;");
  CHECK(html_escape("us-east1/use1-a") == "us-east1/use1-a");
  CHECK(html_escape("zürich") == "zürich");
}

TEST_CASE("json_for_script leaves no way to end the script element and parses back to the same value", "[reports]") {
  const ojson value{{"name", "</script><script>alert(1)</script><!-- & \xE2\x80\xA8 \xE2\x80\xA9 é"}, {"n", 1}};
  const std::string safe = json_for_script(value.dump());
  CHECK(safe.find('<') == std::string::npos);
  CHECK(safe.find('>') == std::string::npos);
  CHECK(safe.find('&') == std::string::npos);
  CHECK(safe.find("\xE2\x80\xA8") == std::string::npos);
  CHECK(safe.find("\xE2\x80\xA9") == std::string::npos);
  CHECK(safe.find("\\u003c/script\\u003e") != std::string::npos);
  CHECK(safe.find("\\u2028") != std::string::npos);
  CHECK(ojson::parse(safe) == value);
}

TEST_CASE("HTML report: a hostile scenario name, client group and fault id stay text", "[reports]") {
  const std::string hostile = "</script><script>alert(1)</script>";
  ojson doc = ten_minutes(hostile);
  doc["clients"][0]["name"] = "<b onmouseover=\"x()\">c & 'd'</b>";
  doc["series"]["clients"] = ojson{{"<b onmouseover=\"x()\">c & 'd'</b>", doc["series"]["all"]}};
  doc["faults"][0]["id"] = "<img src=x onerror=alert(2)>";
  const std::string html = without_scripts(render(doc));
  CHECK(html.find(hostile) == std::string::npos);
  CHECK(html.find("<img") == std::string::npos);
  CHECK(html.find("<b onmouseover") == std::string::npos);
  CHECK(html.find("<title>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; — faultline run report</title>") !=
        std::string::npos);
  CHECK(html.find("<h1 id=\"scenario-name\">&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;</h1>") != std::string::npos);
  CHECK(html.find("&lt;img src=x onerror=alert(2)&gt;") != std::string::npos);
  // The data block, the library and the page script: no other script element and no other end tag.
  CHECK(occurrences(html, "<script") == 3);
  CHECK(occurrences(html, "</script") == 3);
  // The data block still carries the names exactly.
  const ojson data = data_block(html);
  CHECK(data["faults"][0]["id"] == "<img src=x onerror=alert(2)>");
  CHECK(data["success"][0]["name"] == "<b onmouseover=\"x()\">c & 'd'</b>");
}

TEST_CASE("HTML report: the CSP allows exactly the inline scripts, by hash, and no request", "[reports]") {
  const std::string html = render(ten_minutes());
  const auto csp_at = html.find("<meta http-equiv=\"Content-Security-Policy\" content=\"");
  REQUIRE(csp_at != std::string::npos);
  CHECK(csp_at < html.find("<script"));
  const std::string csp = html.substr(csp_at, html.find("\">", csp_at) - csp_at);
  CHECK(csp.find("default-src 'none'") != std::string::npos);
  CHECK(csp.find("unsafe-inline'; img-src") != std::string::npos);  // style-src only
  CHECK(csp.find("script-src 'unsafe-inline'") == std::string::npos);
  CHECK(csp.find("connect-src") == std::string::npos);
  const auto scripts = inline_scripts(html);
  REQUIRE(scripts.size() == 2);
  CHECK(scripts[0].size() > 500000);  // ECharts
  CHECK(scripts[1].find("JSON.parse") != std::string::npos);
  for (const auto& script : scripts) {
    const auto d = reports::sha256(script);
    const std::string source =
        "'sha256-" + reports::to_base64(std::string_view(reinterpret_cast<const char*>(d.data()), d.size())) + "'";
    CHECK(csp.find(source) != std::string::npos);
  }
  // Nothing of faultline's own points anywhere (ECharts' source names URLs it never fetches here).
  CHECK(without_scripts(html).find("http://") == std::string::npos);
  CHECK(without_scripts(html).find("https://") == std::string::npos);
  CHECK(scripts[1].find("http") == std::string::npos);
}

TEST_CASE("HTML report: the same document gives the same bytes", "[reports]") {
  const ojson doc = ten_minutes();
  CHECK(render(doc) == render(doc));
}

TEST_CASE("HTML report: the verdict says whether the SLO was met and names the worst minute", "[reports]") {
  const std::string missed = render(ten_minutes());
  // 240 of 12,000 failed: 98% good against 99.9 %.
  CHECK(missed.find("SLO availability 98.00% (11,760 of 12,000 requests succeeded within 300 ms) against an SLO of 99.9%: "
                    "the SLO was <strong>missed</strong>, and the worst minute (3:00–4:00 after the start) had 80.00%, "
                    "while <strong>f1</strong> was active.") != std::string::npos);
  CHECK(missed.find("class=\"verdict missed\"") != std::string::npos);
  // Each availability figure says what it counts; the terminal's counts every success.
  CHECK(missed.find("Counting every success whatever its latency, 98.000% of requests succeeded: the figure the "
                    "terminal summary prints as achieved, the same here as no success was slower than 300 ms.") !=
        std::string::npos);

  const std::string met = render(make_results("ok", 120, 5, [](std::size_t) -> std::uint64_t { return 0; }, 180, 240));
  CHECK(met.find("SLO availability 100% (12,000 of 12,000 requests succeeded within 300 ms) against an SLO of 99.9%: the SLO "
                 "was <strong>met</strong>; every minute of the run stayed at 100%.") != std::string::npos);

  // Truncated, not rounded: 99.89 % must not read as the 99.9 % it missed.
  ojson near = make_results("near", 100, 1, [](std::size_t i) -> std::uint64_t { return i < 11 ? 1 : 0; }, 0, 10);
  const std::string near_html = render(near);
  CHECK(near_html.find("SLO availability 99.89% ") != std::string::npos);
  CHECK(near_html.find("<strong>missed</strong>") != std::string::npos);
}

TEST_CASE("HTML report: a gray failure of one service says so beside its target, escaped", "[reports]") {
  ojson doc = ten_minutes();
  CHECK(without_scripts(render(doc)).find("pods only") == std::string::npos);
  doc["faults"][0]["service"] = "<i>web</i>";
  CHECK(without_scripts(render(doc)).find("<br><small>&lt;i&gt;web&lt;/i&gt;'s pods only</small>") != std::string::npos);
}

TEST_CASE("HTML report: a fault's bad requests by cause, how many were shared, and those of no fault", "[reports]") {
  ojson doc = ten_minutes();
  // An older document: failed requests sent while the fault was active, and no "no fault" line.
  std::string html = without_scripts(render(doc));
  CHECK(html.find("sent while active") != std::string::npos);
  CHECK(html.find("No fault:") == std::string::npos);
  doc["faults"][0]["observed_blast_radius"] = ojson{{"requests", 12000}, {"bad", 3456}, {"shared", 789}};
  doc["no_fault"] = ojson{{"failed", 10}, {"slow", 2}, {"bad", 12}, {"bad_share", 0.001}};
  html = without_scripts(render(doc));
  CHECK(html.find("3,456<br><small>789 shared with other faults; of 12,000 sent in its window</small>") != std::string::npos);
  CHECK(html.find("No fault: <strong>12</strong> bad requests") != std::string::npos);
  doc["faults"][0]["observed_blast_radius"]["shared"] = 0;
  CHECK(without_scripts(render(doc)).find("3,456<br><small>of 12,000 sent in its window</small>") != std::string::npos);
  doc["no_fault"]["bad"] = "twelve";
  CHECK(rejection(doc.dump()).find("/no_fault/bad") != std::string::npos);
}

TEST_CASE("HTML report: what the document does not record is shown as not measured", "[reports]") {
  ojson doc = ten_minutes();
  doc.erase("databases");
  doc.erase("services");
  const std::string html = render(doc, ReportInputs{"9.9.9", false, "", ""});
  CHECK(occurrences(html, "not measured in this run") >= 4);  // detect, recover, topology, scenario hash
  CHECK(html.find("No database in this scenario.") != std::string::npos);
  CHECK(html.find("faultline run SCENARIO --seed 42 --duration 600s --report") != std::string::npos);
  CHECK(html.find("results.json does not record the version that ran the simulation") != std::string::npos);

  // Measured values, once the document carries them, are shown.
  doc["faults"][0]["time_to_detect_s"] = 12.5;
  doc["faults"][0]["time_to_recover_s"] = nullptr;
  const std::string measured = render(doc);
  CHECK(measured.find("12.5 s") != std::string::npos);
  CHECK(measured.find("did not happen before the end of the run") != std::string::npos);
}

TEST_CASE("HTML report: a day at a 1 s step is downsampled under 5 MB and keeps a one-step dip", "[reports]") {
  const std::size_t day = 86400;
  const ojson doc = make_results("a-day", day, 1, [](std::size_t i) -> std::uint64_t { return i == 50001 ? 100 : 0; },
                                 50000, 50100);
  const std::string html = render(doc);
  CHECK(html.size() < 5 * 1000 * 1000);
  const ojson data = data_block(html);
  CHECK(data["steps"] == day);
  CHECK(data["bucket_s"].get<double>() == 44);  // ceil(86400 / 2000) steps
  bool dip = false;
  for (const char* key : {"success", "latency", "share"}) {
    for (const auto& series : data[key]) {
      CAPTURE(key);
      CHECK(series["points"].size() <= 4000);
      if (std::string(key) == "success")
        for (const auto& p : series["points"]) dip = dip || (p[0] == 50001 && p[1] == 0);
    }
  }
  CHECK(dip);
  CHECK(html.find("downsampled from 86,400 steps of 1 s to 1,964 buckets of 44 s") != std::string::npos);
}

TEST_CASE("HTML report: bad documents are rejected with the file and the JSON pointer", "[reports]") {
  CHECK(rejection("{\"faultline_results\": 1,\n  oops}") ==
        "bad.json: /: expected a faultline results document (JSON), found a syntax error at line 2, column 3");
  // Fuzz finding: nlohmann reports a number beyond a double's range as out_of_range, not as a
  // parse error; it escaped as an internal error.
  CHECK(rejection("{\"faultline_results\": 1,\n \"seed\": -1e400}") ==
        "bad.json: /: expected a faultline results document (JSON), found a number out of range at line 2, column 10: "
        "-1e400");
  CHECK(rejection("{\"faultline\": 1, \"name\": \"a scenario\"}") ==
        "bad.json: /faultline_results: expected 1 (the mark of a faultline results.json), found nothing");
  CHECK(rejection("[1, 2]") == "bad.json: /: expected a faultline results document (a JSON object), found an array");
  CHECK(rejection("{\"faultline_results\": 2}") ==
        "bad.json: /faultline_results: expected 1 (results format this faultline reads), found 2");

  ojson doc = ten_minutes();
  doc["series"]["all"]["p99_ms"][3] = "slow";
  CHECK(rejection(doc.dump()) == "bad.json: /series/all/p99_ms/3: expected a number, found \"slow\"");
  doc = ten_minutes();
  doc["series"]["clients"]["c1"]["requests"].erase(0);
  CHECK(rejection(doc.dump()) ==
        "bad.json: /series/clients/c1/requests: expected an array of 120 values (one per step of series/t_s), found an array");
  doc = ten_minutes();
  doc["faults"][0].erase("target");
  CHECK(rejection(doc.dump()) == "bad.json: /faults/0/target: expected a string, found nothing");
  doc = ten_minutes();
  doc["slo"]["availability"] = 1.5;
  CHECK(rejection(doc.dump()) == "bad.json: /slo/availability: expected a number between 0 and 1, found 1.5");
  // Fuzz finding: times beyond faultline's int64 nanoseconds overflowed casts in the verdict.
  doc = ten_minutes();
  doc["series"]["t_s"][2] = 1e300;
  CHECK(rejection(doc.dump()) == "bad.json: /series/t_s/2: expected a number of seconds between 0 and 9.2e9, found 1e+300");
  doc = ten_minutes();
  doc["step_s"] = 1e-300;
  CHECK(rejection(doc.dump()) == "bad.json: /step_s: expected a number of seconds between 1e-9 and 9.2e9, found 1e-300");
  doc = ten_minutes();
  doc["faults"][0]["start_s"] = -1;
  CHECK(rejection(doc.dump()) == "bad.json: /faults/0/start_s: expected a number of seconds between 0 and 9.2e9, found -1");
}

TEST_CASE("read_file_bytes names the file it cannot read", "[reports]") {
  try {
    reports::read_file_bytes("no/such/results.json");
    FAIL("read a file that does not exist");
  } catch (const ResultsDocumentError& e) {
    CHECK(std::string(e.what()) == "no/such/results.json: /: expected a readable file, found No such file or directory");
  }
}

TEST_CASE("HTML report: the busiest service's utilization per region, and with client retries offered load and goodput",
          "[reports]") {
  // Without services[].utilization (older results) or retries: neither chart.
  const std::string plain = render(ten_minutes());
  CHECK(plain.find("id=\"chart-utilization\"") == std::string::npos);
  CHECK(plain.find("id=\"chart-load\"") == std::string::npos);

  ojson doc = ten_minutes();
  ojson busy = ojson::array(), calm = ojson::array(), resent = ojson::array();
  for (std::size_t i = 0; i < 120; ++i) {
    busy.push_back(i == 50 ? ojson(nullptr) : ojson(0.9));
    calm.push_back(0.1);
    resent.push_back(i >= 36 && i < 48 ? 40 : 0);
  }
  doc["services"] = ojson::array({ojson{{"name", "web<b>"}, {"requests_by_region", {{"r1", {1}}}}, {"utilization", {{"r1", busy}}}},
                                  ojson{{"name", "api"}, {"requests_by_region", {{"r1", {1}}}}, {"utilization", {{"r1", calm}}}}});
  doc["series"]["all"]["retries"] = resent;
  const std::string html = render(doc);
  CHECK(html.find("id=\"chart-utilization\"") != std::string::npos);
  CHECK(html.find("id=\"chart-load\"") != std::string::npos);
  CHECK(without_scripts(html).find("web<b>") == std::string::npos);  // a name from the scenario stays text
  // The data block names the busier service per region, with its values in percent.
  const ojson data = data_block(html);
  REQUIRE(data["utilization"].size() == 1);
  CHECK(data["utilization"][0]["name"] == "r1: web<b>");
  CHECK(data["utilization"][0]["points"][0] == ojson::array({0.0, 90.0}));
  // Offered load during the fault: (100 + 40) / 5 s = 28 requests per second; good: 80 / 5 s = 16.
  REQUIRE(data["load"].size() == 3);
  CHECK(data["load"][0]["points"][36] == ojson::array({180.0, 28.0}));
  CHECK(data["load"][1]["points"][36] == ojson::array({180.0, 8.0}));
  CHECK(data["load"][2]["points"][36] == ojson::array({180.0, 16.0}));
}

TEST_CASE("HTML report: bad requests per second by reason, and every availability figure says what it counts",
          "[reports]") {
  ojson doc = ten_minutes();
  doc["totals"]["slow"] = 100;  // 100 of the successes were slower than the SLO's 300 ms
  const std::string html = render(doc);
  CHECK(html.find("SLO availability 97.16% (11,660 of 12,000 requests succeeded within 300 ms)") != std::string::npos);
  CHECK(html.find("Counting every success whatever its latency, 98.000% of requests succeeded: the figure the terminal "
                  "summary prints as achieved, higher by the 100 successes slower than 300 ms.") != std::string::npos);
  CHECK(html.find("Succeeded<br><small>÷ requests, any latency</small>") != std::string::npos);
  CHECK(html.find("succeeded at any latency (slow successes included") != std::string::npos);

  const std::string tag = "<script type=\"application/json\" id=\"faultline-data\">";
  const auto at = html.find(tag) + tag.size();
  const auto data = ojson::parse(html.substr(at, html.find("</script>", at) - at));
  const auto& bad = data["bad"];
  REQUIRE(bad.size() == 2);  // timeouts, then slow successes (always drawn)
  CHECK(bad[0]["name"] == "timeout");
  CHECK(bad[1]["name"] == "slow (over 300 ms)");
  CHECK(html.find("id=\"chart-bad\"") != std::string::npos);
  // Per second: a step of 5 s with n failed requests is n / 5 per second.
  double sum = 0;
  for (const auto& p : bad[0]["points"]) sum += p[1].get<double>() * 5;
  CHECK(sum == Approx(240));
}

TEST_CASE("HTML report: key settings given by the command are listed with their values, escaped", "[reports]") {
  ReportInputs inputs = kInputs;
  inputs.settings = {{"Gateway health check", "every 5s, timeout 5s"}, {"Service <b>", "3 pods & more"}};
  const std::string html = render(ten_minutes(), inputs);
  CHECK(html.find("<tr><th scope=\"row\">Gateway health check</th><td>every 5s, timeout 5s</td></tr>") != std::string::npos);
  CHECK(html.find("<tr><th scope=\"row\">Service &lt;b&gt;</th><td>3 pods &amp; more</td></tr>") != std::string::npos);
  CHECK(html.find("as the scenario ran: its file's values, with faultline's defaults") != std::string::npos);
  inputs.ran_the_simulation = false;  // `report --scenario FILE`: the file's base, not necessarily what ran
  CHECK(render(ten_minutes(), inputs).find("from the scenario file given with --scenario (without any strategy's overlay)") !=
        std::string::npos);
}

TEST_CASE("HTML report: every service's mean and peak utilization, and requests by route, service and cluster",
          "[reports]") {
  // Older results have neither: no chart, no section.
  const std::string plain = render(ten_minutes());
  CHECK(plain.find("id=\"chart-service-utilization\"") == std::string::npos);
  CHECK(plain.find("id=\"chart-breakdowns\"") == std::string::npos);

  ojson doc = ten_minutes();
  // web in r1: 20% then 60% (mean 40%, peak 60%), no pods running in one step (null: left out).
  doc["services"] = ojson::array({ojson{{"name", "web<b>"}, {"utilization", {{"r1", {0.2, nullptr, 0.6}}, {"r2", {nullptr}}}}}});
  doc["breakdowns"] = ojson{{"cluster", ojson::array({ojson{{"name", "c1"}, {"requests", 300}, {"good", 290}}})},
                            {"route", ojson::array({ojson{{"name", "routes/0 <i>"}, {"requests", 400}, {"good", 390}},
                                                    ojson{{"name", "broken"}, {"requests", "x"}, {"good", 1}}})}};
  const std::string html = render(doc);
  CHECK(html.find("id=\"chart-service-utilization\"") != std::string::npos);
  CHECK(html.find("id=\"chart-breakdowns\"") != std::string::npos);
  CHECK(without_scripts(html).find("routes/0 <i>") == std::string::npos);
  const ojson data = data_block(html);
  REQUIRE(data["service_utilization"].size() == 1);  // r2 never had a running pod
  CHECK(data["service_utilization"][0] == ojson{{"name", "web<b> @ r1"}, {"mean", 40.0}, {"peak", 60.0}});
  // Routes first, then services, then clusters; a malformed entry is left out.
  REQUIRE(data["breakdowns"].size() == 2);
  CHECK(data["breakdowns"][0] == ojson{{"group", "route"}, {"name", "routes/0 <i>"}, {"requests", 400}, {"good", 390}});
  CHECK(data["breakdowns"][1]["group"] == "cluster");
}
