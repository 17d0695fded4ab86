// study::report_html: a self-contained, deterministic HTML page with the summary's tables and SVG charts.
#include <stepsim/study/report.hpp>
#include <stepsim/study/runner.hpp>
#include <stepsim/study/study.hpp>
#include <stepsim/study/summary.hpp>

#include "study/browser.hpp"
#include "study/mutations.hpp"

#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <unistd.h>

namespace engine = stepsim::engine;
namespace lambda = stepsim::lambda;
namespace study = stepsim::study;
namespace test = stepsim::test;
namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

std::size_t count(std::string const& text, std::string const& what) {
  std::size_t n = 0;
  for (auto pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + what.size())) ++n;
  return n;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return s;
}

char const* const chart_titles[] = {"Average cold vs warm duration", "Execution duration over time",
                                    "Duration distribution (CDF)", "Containers alive over time"};

/// What every report must be: an HTML5 page, balanced SVG, nothing from the network.
void check_well_formed(std::string const& html) {
  REQUIRE(html.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(html.find("</html>") != std::string::npos);
  CHECK(count(html, "<svg") > 0);
  CHECK(count(html, "<svg") == count(html, "</svg>"));
  CHECK(count(html, "<table") == count(html, "</table>"));
  CHECK(count(html, "<figure") == count(html, "</figure>"));
  auto l = lower(html);
  CHECK(l.find("http://") == std::string::npos);
  CHECK(l.find("https://") == std::string::npos);
  CHECK(l.find("<script") == std::string::npos);
  CHECK(l.find("@import") == std::string::npos);
  CHECK(l.find("url(") == std::string::npos);
}

struct simulated {
  study::study s;
  std::vector<study::run_result> runs;
  json::object summary;
};

simulated const& coldstart_study() {
  static simulated const sim = [] {
    auto loaded = study::load_study(std::string(STEPSIM_SOURCE_DIR) + "/examples/coldstart-accumulation/study.json");
    REQUIRE(loaded.value);
    simulated out{*loaded.value, {}, {}};
    out.runs = study::run_all(out.s, 4);
    study::period_options po;
    po.cold_gap = out.s.cold_gap;
    out.summary = study::summarize(out.s, out.runs, po);
    return out;
  }();
  return sim;
}

fs::path temp_dir(std::string const& name) {
  auto dir = fs::temp_directory_path() / ("stepsim-" + name + "-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return dir;
}

}  // namespace

TEST_CASE("report_html: a simulated study's tables and charts", "[study][report]") {
  auto const& sim = coldstart_study();
  auto html = study::report_html(sim.summary, &sim.runs, nullptr);
  check_well_formed(html);

  CHECK(html.find("coldstart-accumulation") != std::string::npos);
  CHECK(html.find("seed <b>7</b>") != std::string::npos);
  for (auto const& sc : sim.s.scenarios) CHECK(html.find(sc.scenario) != std::string::npos);
  for (auto const* title : chart_titles) CHECK(html.find(title) != std::string::npos);
  for (auto const& name : {"single-step", "four-steps", "HelloFunction", "Step4"})
    CHECK(html.find(name) != std::string::npos);
  // The tables: per workflow, per function, cost, by period.
  for (auto const& caption : {"Per workflow", "Per function", "Cost breakdown", "By period"})
    CHECK(html.find(caption) != std::string::npos);
  // One scatter chart per (scenario, workflow), one bar and one CDF chart per workflow, one containers chart per
  // scenario.
  auto n = sim.s.scenarios.size();
  CHECK(count(html, "<svg") == n * 2 + 2 + 2 + n);

  SECTION("deterministic: same input, same bytes, whatever the number of threads") {
    CHECK(study::report_html(sim.summary, &sim.runs, nullptr) == html);
    auto again = study::run_all(sim.s, 1);
    study::period_options po;
    po.cold_gap = sim.s.cold_gap;
    CHECK(study::report_html(study::summarize(sim.s, again, po), &again, nullptr) == html);
  }
  SECTION("small") {
    CHECK(html.size() > 20'000);
    CHECK(html.size() < 400'000);
  }
  SECTION("text is escaped") {
    auto summary = sim.summary;
    summary["study"] = "<script>alert('x')</script> & \"co\"";
    auto& sc = summary["scenarios"].as_array()[0].as_object();
    sc["description"] = "<img src=x onerror=alert(1)>";
    auto escaped = study::report_html(summary, &sim.runs, nullptr);
    check_well_formed(escaped);
    CHECK(escaped.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;co&quot;") != std::string::npos);
    CHECK(escaped.find("<img") == std::string::npos);
  }
  SECTION("the summary's tables alone when no runs are given") {
    auto tables = study::report_html(sim.summary, nullptr, nullptr);
    REQUIRE(tables.rfind("<!DOCTYPE html>", 0) == 0);
    CHECK(tables.find("Per workflow") != std::string::npos);
    CHECK(count(tables, "<svg") == count(tables, "</svg>"));
  }
}

TEST_CASE("report_html: an analysis of exported executions", "[study][report]") {
  auto const& sim = coldstart_study();
  // The aws run exported as AWS prints it, read back as `stepsim analyze` does.
  std::string exported = json::serialize(study::aws_export(sim.runs.front()));
  std::string error;
  auto rows = study::read_export(exported, "aws.json", error);
  REQUIRE(rows);
  study::period_options po;
  json::object summary{{"analysis", "periods"},
                       {"period_gap_s", 1.0},
                       {"cold_gap_s", 60.0},
                       {"by_period", study::analyze_periods(*rows, po)}};
  auto html = study::report_html(summary, nullptr, &*rows);
  check_well_formed(html);
  CHECK(html.find("single-step") != std::string::npos);
  CHECK(html.find("four-steps") != std::string::npos);
  CHECK(html.find("By period") != std::string::npos);
  for (auto const* title : {chart_titles[0], chart_titles[1], chart_titles[2]})
    CHECK(html.find(title) != std::string::npos);
  // Bars (1), one scatter per workflow (2), one CDF (1).
  CHECK(count(html, "<svg") == 4);
  CHECK(study::report_html(summary, nullptr, &*rows) == html);
}

TEST_CASE("report_html: large runs stay small", "[study][report]") {
  // 100,000 executions in two workflows over an hour, built directly (no simulation needed).
  study::study s;
  s.name = "large";
  study::run_config cfg;
  cfg.scenario = "big";
  s.scenarios.push_back(cfg);
  study::run_result r;
  r.scenario = "big";
  r.start = s.start;
  std::uint64_t x = 12345;
  auto next = [&x] {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    return x;
  };
  for (std::uint64_t i = 0; i < 100'000; ++i) {
    study::execution_record e;
    e.index = i;
    e.workflow = i % 3 ? "orders" : "refunds";
    e.start = s.start + std::chrono::microseconds(i * 36'000 + next() % 30'000);
    bool cold = next() % 20 == 0;
    e.stop = e.start + std::chrono::microseconds((cold ? 900'000 : 100'000) + next() % 400'000);
    e.status = engine::execution_status::succeeded;
    e.cold_starts = cold;
    e.invocations = 1;
    auto& w = r.workflows.try_emplace(e.workflow, true).first->second;
    double ms = std::chrono::duration<double, std::milli>(e.duration()).count();
    w.all.add(ms);
    (cold ? w.cold : w.warm).add(ms);
    ++w.succeeded;
    r.executions.push_back(e);
    if (cold) {
      lambda::container_record k;
      k.function = e.workflow + "-fn";
      k.id = i;
      k.created = e.start;
      k.ready = e.start + std::chrono::milliseconds(800);
      if (i < 99'000) k.reaped = e.start + std::chrono::seconds(100 + next() % 200);
      r.containers.push_back(k);
    }
  }
  r.end = r.executions.back().stop + std::chrono::minutes(5);
  std::vector<study::run_result> runs{std::move(r)};
  auto summary = study::summarize(s, runs, {});
  auto html = study::report_html(summary, &runs, nullptr);
  check_well_formed(html);
  CHECK(html.size() < 2'000'000);
  CHECK(html.find("orders") != std::string::npos);
  // The header gives each workflow its own row: 66,666 orders and 33,334 refunds (never pooled into 100,000).
  CHECK(html.find("<td>orders</td><td class=\"n\">66,666</td>") != std::string::npos);
  CHECK(html.find("<td>refunds</td><td class=\"n\">33,334</td>") != std::string::npos);
  CHECK(study::report_html(summary, &runs, nullptr) == html);
}

// Renders the report in headless Chromium, as docs/studies-report.md describes: every chart
// section, and as many charts in the rendered page as in the file. Without a browser it passes
// with a warning, unless STEPSIM_REQUIRE_BROWSER=1 (CI): then it fails (study/browser.hpp).
TEST_CASE("report_html: headless Chromium renders the report", "[study][report][chromium]") {
  auto const& sim = coldstart_study();
  auto dir = temp_dir("report");
  auto page = dir / "report.html";
  auto html = study::report_html(sim.summary, &sim.runs, nullptr);
  std::ofstream(page, std::ios::binary) << html;
  auto shown = stepsim::test::render_in_chromium(page, dir, "1400,4000");
  if (shown) {
    for (auto title : {"Average cold vs warm duration", "Execution duration over time", "Duration distribution (CDF)",
                       "Containers alive over time", "Per function: invocations, cold starts, environments"})
      CHECK(shown->dom.find(title) != std::string::npos);
    CHECK(count(shown->dom, "<svg") == count(html, "<svg"));
    CHECK(count(shown->dom, "<svg") == count(shown->dom, "</svg>"));
  }
  std::error_code ec;
  fs::remove_all(dir, ec);
}

TEST_CASE("Every one-place mutation of an AWS export is read or refused with the file named, and reads analyze",
          "[study][report]") {
  // `stepsim analyze` reads files people export from AWS: each value of a
  // small export is removed or replaced by a wrong one. read_export must
  // never throw or crash; a refusal names the file; what it accepts must
  // analyze and render.
  auto const root = json::parse(R"({"executions": [
    {"executionArn": "arn:aws:states:us-east-1:123456789012:execution:four-steps:b", "stateMachineArn":
     "arn:aws:states:us-east-1:123456789012:stateMachine:four-steps", "name": "b", "status": "SUCCEEDED",
     "startDate": "2024-01-01T00:00:05.000Z", "stopDate": "2024-01-01T00:00:05.400Z"},
    {"executionArn": "arn:aws:states:us-east-1:123456789012:execution:four-steps:a", "stateMachineArn":
     "arn:aws:states:us-east-1:123456789012:stateMachine:four-steps", "name": "a", "status": "SUCCEEDED",
     "startDate": "2024-01-01T00:00:00.000Z", "stopDate": "2024-01-01T00:00:03.100Z"}]})");
  std::size_t refused = 0, accepted = 0;
  stepsim::test::for_each_mutation(root, [&](json::value const& variant, std::string const& at, std::size_t what) {
    INFO("at " << at << ", mutation " << what);
    std::string error;
    std::optional<std::vector<study::exported_execution>> rows;
    REQUIRE_NOTHROW(rows = study::read_export(json::serialize(variant), "export.json", error));
    if (!rows) {
      ++refused;
      INFO(error);
      CHECK(error.rfind("export.json", 0) == 0);
      return;
    }
    ++accepted;
    study::period_options po;
    json::object summary{{"analysis", "periods"}, {"by_period", json::value()}};
    REQUIRE_NOTHROW(summary["by_period"] = study::analyze_periods(*rows, po));
    std::string html;
    REQUIRE_NOTHROW(html = study::report_html(summary, nullptr, &*rows));
    check_well_formed(html);
  });
  CHECK(refused > 0);
  CHECK(accepted > 0);
}

TEST_CASE("report_html: the header table gives one row per scenario and workflow, never pooling workflows",
          "[study][report]") {
  auto summary = json::parse(R"({"study": "s", "seed": 1, "replications": 1, "start": "2024-01-01T00:00:00Z",
    "scenarios": [
      {"name": "aws", "description": "d", "runs": 1, "cost_usd": {"total": 0.5},
       "workflows": [
         {"workflow": "fast", "executions": 10, "cold_executions": 1, "warm_executions": 9,
          "avg_cold_ms": 400, "avg_warm_ms": 80, "p99_ms": 410, "cold_starts": 1, "throttles": 0},
         {"workflow": "slow", "executions": 10, "cold_executions": 1, "warm_executions": 9,
          "avg_cold_ms": 3000, "avg_warm_ms": 300, "p99_ms": 3100, "cold_starts": 4, "throttles": 2}]},
      {"name": "direct", "description": "", "runs": 1, "cost_usd": {"total": 0.1}, "workflows": []}]})")
                     .as_object();
  auto html = study::report_html(summary, nullptr, nullptr);
  CHECK(count(html, "<tr") == count(html, "</tr>"));
  auto header = html.substr(0, html.find("</header>"));
  CHECK(header.find("<th rowspan=\"2\">aws</th>") != std::string::npos);
  CHECK(header.find("<td>fast</td><td class=\"n\">10</td><td class=\"n\">1</td><td class=\"n\">400.0</td>"
                    "<td class=\"n\">80.0</td><td class=\"n\">410.0</td>") != std::string::npos);
  CHECK(header.find("<tr><td>slow</td><td class=\"n\">10</td><td class=\"n\">1</td><td class=\"n\">3,000.0</td>"
                    "<td class=\"n\">300.0</td><td class=\"n\">3,100.0</td><td class=\"n\">4</td>"
                    "<td class=\"n\">2</td></tr>") != std::string::npos);
  // The pooled average of the two (1,700 ms cold) appears nowhere.
  CHECK(header.find("1,700") == std::string::npos);
  // A scenario without workflows (direct function invocations) still has its row and cost.
  CHECK(header.find("<th>direct</th>") != std::string::npos);
  CHECK(header.find("no workflow") != std::string::npos);
}
