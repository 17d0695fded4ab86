// Hostile studies: rates that never end, plans too large to run, names that
// would write outside --out, and many replications held in bounded memory.
#include <stepsim/study/study.hpp>

#include <stepsim/study/report.hpp>
#include <stepsim/study/runner.hpp>
#include <stepsim/study/summary.hpp>
#include <stepsim/study/workload.hpp>

#include <catch2/catch.hpp>

#include <string>

namespace study = stepsim::study;
namespace sim = stepsim::sim;

namespace {

std::string const dir = std::string(STEPSIM_SOURCE_DIR) + "/examples/coldstart-accumulation";

// A one-workflow study of the example's single-step workflow with `workloads`
// (and, when given, `scenarios`) as JSON text.
std::string study_text(std::string const& workloads, std::string const& scenarios = "") {
  return R"({"workflows": {"wf": {"definition": "single-step.asl.json"}},
             "functions": {"HelloFunction": {"run_ms": {"constant": 10}}},
             "workloads": )" +
         workloads + (scenarios.empty() ? "" : R"(, "scenarios": )" + scenarios) + "}";
}

study::study parse_ok(std::string const& text) {
  auto r = study::parse_study(text, dir);
  for (auto const& e : r.errors) INFO(e.pointer << ": " << e.message);
  REQUIRE(r.value);
  return *r.value;
}

stepsim::asl::diagnostics parse_errors(std::string const& text) {
  auto r = study::parse_study(text, dir);
  CHECK_FALSE(r.value);
  return r.errors;
}

study::workload_spec constant(double rate, double seconds) {
  study::workload_spec w;
  w.type = study::workload_spec::kind::constant;
  w.workflow = "wf";
  w.rate_per_s = rate;
  w.duration = *sim::seconds_to_duration(seconds);
  return w;
}

}  // namespace

TEST_CASE("A constant rate of 1.5e6/s for 1 ms plans 1,500 arrivals, not the 1,000 a rounded gap gives",
          "[hostile][study]") {
  auto a = study::arrivals(constant(1.5e6, 0.001), sim::rng(1).stream("w"));
  REQUIRE(a.size() == 1500);
  CHECK(a[1].at == sim::duration{1});  // 0.667 us, rounded
  CHECK(a[2].at == sim::duration{1});  // 1.333 us
  CHECK(a[3].at == sim::duration{2});
  CHECK(a.back().at == sim::duration{999});
}

TEST_CASE("A constant rate of 3e6/s, whose gap rounds to 0 us, ends: 3,000 arrivals in 1 ms", "[hostile][study]") {
  auto a = study::arrivals(constant(3e6, 0.001), sim::rng(1).stream("w"));
  CHECK(a.size() == 3000);
  CHECK(a.back().at == sim::duration{1000});  // 2999 / 3e6 s = 999.67 us
  CHECK(study::planned_executions(constant(3e6, 0.001)) == 3000);
}

TEST_CASE("A Poisson hourly multiplier of 1e308 (an infinite rate) is refused, located", "[hostile][study]") {
  std::string hourly = "[1";
  for (int h = 1; h < 24; ++h) hourly += h == 3 ? ", 1e308" : ", 1";
  hourly += "]";
  auto errors =
      parse_errors(study_text(R"({"w": {"workflow": "wf", "type": "poisson", "rate_per_s": 2, "hourly": )" + hourly + "}}"));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].pointer == "/workloads/w/hourly/3");
  CHECK(errors[0].message ==
        "'rate_per_s' times the hour's multiplier must be at most 1000000000 arrivals per second, not 2 x 1E308");
}

TEST_CASE("A study planning 10^12 executions is refused unless allowed, naming the field", "[hostile][study]") {
  auto s = parse_ok(
      study_text(R"({"load": {"workflow": "wf", "type": "thread-group", "threads": 1000000, "loops": 1000000}})"));
  auto too_large = study::check_planned_executions(s);
  REQUIRE(too_large);
  CHECK(too_large->pointer == "/workloads/load/threads");
  CHECK(too_large->message ==
        "the study plans 1000000000000 executions in all (scenarios x 1 replications), more than the 10000000 a study "
        "may plan; this workload plans 1000000000000 per run (threads x loops). Make it smaller, or pass --allow-large "
        "to run it anyway");
}

TEST_CASE("The plan counts every scenario and replication, and a scenario's override names it", "[hostile][study]") {
  auto s = parse_ok(study_text(R"({"c": {"workflow": "wf", "type": "constant", "rate_per_s": 1000, "duration_s": 60}})",
                               R"([{"name": "small"},
                                   {"name": "big", "overrides": {"workloads": {"c": {"rate_per_s": 1000000}}}}])"));
  auto too_large = study::check_planned_executions(s);
  REQUIRE(too_large);
  CHECK(too_large->pointer == "/workloads/c/rate_per_s");
  CHECK(too_large->message.starts_with("scenario 'big': the study plans 60060000 executions in all"));
  CHECK_FALSE(study::check_planned_executions(s, std::string("small")));
}

TEST_CASE("Trace starts outside the clock's range are refused with the range, not called 'before the study start'",
          "[hostile][study]") {
  auto origin = *sim::parse_iso8601("2024-01-01T00:00:00Z");
  for (std::string start : {"9000000000000", "1e13", "1e308", "-1e13"}) {
    std::string error;
    CHECK_FALSE(study::read_trace("start\n1\n" + start + "\n", origin, "wf", error));
    CHECK(error == "line 3: start \"" + start +
                       "\" is out of range: the clock takes a finite number of seconds between -100000000000 and "
                       "100000000000 (about 3,168 years)");
  }
  std::string error;
  CHECK_FALSE(study::read_trace("start\n-1\n", origin, "wf", error));
  CHECK(error == "line 2: start \"-1\" is before the study start");
}

TEST_CASE("Scenario names that are not one safe file name are refused where they are", "[hostile][study]") {
  struct bad {
    std::string json_name, why;
  };
  for (auto const& b : std::initializer_list<bad>{
           {R"("../../pwn")", "it contains the path separator '/'"},
           {R"("..")", "it contains '..'"},
           {R"("a\\b")", "it contains the path separator '\\'"},
           {R"("")", "it is empty"},
           {R"("tab\there")", "it contains the control character U+0009"},
           {R"("nul\u0000")", "it contains the control character U+0000"},
           {R"("del\u007f")", "it contains the control character U+007F"},
           {'"' + std::string(201, 'x') + '"', "it is 201 bytes long, more than 200"}}) {
    INFO(b.json_name);
    auto errors = parse_errors(study_text(R"({"w": {"workflow": "wf"}})", R"([{"name": "ok"}, {"name": )" + b.json_name + "}]"));
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].pointer == "/scenarios/1/name");
    CHECK(errors[0].message == "a scenario's name must be usable as a file name, and " + b.why);
  }
}

TEST_CASE("run_each hands the runs over in (scenario, replication) order whatever the number of jobs",
          "[hostile][study]") {
  auto s = parse_ok(study_text(R"({"w": {"workflow": "wf", "threads": 3}})", R"([{"name": "a"}, {"name": "b"}])"));
  s.replications = 7;
  std::vector<std::pair<std::string, int>> order;
  study::run_each(s, 4, std::nullopt, [&](study::run_result&& r) { order.emplace_back(r.scenario, r.replication); });
  REQUIRE(order.size() == 14);
  for (int i = 0; i < 14; ++i) CHECK(order[std::size_t(i)] == std::make_pair(std::string(i < 7 ? "a" : "b"), i % 7));
}

TEST_CASE("A study aggregate folds replications in: same summary and report as all the runs, two runs kept",
          "[hostile][study]") {
  auto loaded = study::load_study(dir + "/study.json");
  REQUIRE(loaded.value);
  auto& s = *loaded.value;
  s.replications = 3;
  study::period_options po;
  po.cold_gap = s.cold_gap;
  auto runs = study::run_all(s, 2, std::string("aws"));
  study::study_aggregate agg(s, po);
  study::run_each(s, 2, std::string("aws"), [&](study::run_result&& r) { agg.add(std::move(r)); });
  auto summary = study::summarize(s, runs, po);
  CHECK(agg.summary() == summary);
  CHECK(study::report_html(agg.summary(), &agg.report_runs(), nullptr) == study::report_html(summary, &runs, nullptr));
  REQUIRE(agg.report_runs().size() == 2);
  CHECK(agg.report_runs()[0].executions.size() == 100);
  CHECK(agg.report_runs()[1].executions.empty());
  CHECK(agg.report_runs()[1].containers.empty());
}

TEST_CASE("A thread group whose periods pass the end of the tick type saturates instead of wrapping",
          "[hostile][study]") {
  study::workload_spec w;
  w.workflow = "wf";
  w.threads = 1;
  w.loops = 10000000;
  w.pause = *sim::seconds_to_duration(1e9);
  auto stream = study::make_stream(w, sim::rng(1).stream("w"));
  sim::duration last{-1};
  for (int k = 0; k < 10000; ++k) {
    auto a = stream->next();
    REQUIRE(a);
    REQUIRE(a->at >= last);
    last = a->at;
  }
  CHECK(last == sim::duration::max());
}
