// A study's "sweep": the grid's scenarios, their names and order, and errors that point into the sweep.
#include <stepsim/study/study.hpp>
#include <stepsim/study/summary.hpp>
#include <stepsim/study/runner.hpp>

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <fmt/format.h>

namespace study = stepsim::study;
namespace json = boost::json;

namespace {

/// A function-only study (no definitions to read) with `sweep` (JSON text) and, when given, `scenarios`.
std::string study_with(std::string const& sweep, std::string const& scenarios = "") {
  return fmt::format(R"({{
    "functions": {{"F": {{"memory_mb": 256, "run_ms": {{"constant": 100}}}}, "G": {{"run_ms": {{"constant": 10}}}}}},
    "lambda": {{"keep_alive": {{"fixed_s": 600}}}},
    "workloads": {{"w": {{"function": "F", "type": "constant", "rate_per_s": 1, "duration_s": 20}}}},
    {}
    "sweep": {}
  }})",
                     scenarios.empty() ? "" : "\"scenarios\": " + scenarios + ",", sweep);
}

std::vector<std::string> names(study::study const& s) {
  std::vector<std::string> out;
  for (auto const& c : s.scenarios) out.push_back(c.scenario);
  return out;
}

/// The errors of a study that must not parse, as "POINTER: MESSAGE".
std::vector<std::string> errors_of(std::string const& text) {
  auto r = study::parse_study(text, "");
  CHECK_FALSE(r.value);
  std::vector<std::string> out;
  for (auto const& e : r.errors) out.push_back(e.pointer + ": " + e.message);
  return out;
}

}  // namespace

TEST_CASE("A sweep makes one scenario per grid point, the first axis slowest, named AXIS=LABEL", "[study][sweep]") {
  auto r = study::parse_study(study_with(R"({"axes": [
      {"name": "mem", "path": "/functions/*/memory_mb", "values": [128, 1024]},
      {"name": "ka", "path": "/lambda/keep_alive", "values": [{"fixed_s": 60}, {"fixed_s": 600}], "labels": ["1min", "10min"]},
      {"name": "rate", "path": "/workloads/w/rate_per_s", "values": [0.5, 2]}]})"),
                              "");
  INFO((r.errors.empty() ? "" : r.errors.front().pointer + " " + r.errors.front().message));
  REQUIRE(r.value);
  auto const& s = *r.value;
  CHECK(names(s) == std::vector<std::string>{"mem=128,ka=1min,rate=0.5", "mem=128,ka=1min,rate=2",
                                             "mem=128,ka=10min,rate=0.5", "mem=128,ka=10min,rate=2",
                                             "mem=1024,ka=1min,rate=0.5", "mem=1024,ka=1min,rate=2",
                                             "mem=1024,ka=10min,rate=0.5", "mem=1024,ka=10min,rate=2"});
  auto const& last = s.scenarios.back();
  // The wildcard path reaches every function; the others keep what the study says.
  CHECK(last.functions.at("F").memory_mb == 1024);
  CHECK(last.functions.at("G").memory_mb == 1024);
  CHECK(s.scenarios.front().functions.at("F").memory_mb == 128);
  CHECK(last.keep_alive.fixed == std::chrono::seconds(600));
  CHECK(s.scenarios.front().keep_alive.fixed == std::chrono::seconds(60));
  CHECK(last.workloads.at("w").rate_per_s == 2);
  CHECK(s.scenarios.front().workloads.at("w").rate_per_s == 0.5);
  CHECK(json::serialize(last.point) == R"({"mem":1024,"ka":{"fixed_s":600},"rate":2})");
}

TEST_CASE("A sweep crosses the declared scenarios, each scenario's overrides under the point's", "[study][sweep]") {
  auto r = study::parse_study(
      study_with(R"({"axes": [{"name": "mem", "path": "/functions/F/memory_mb", "values": [512, 2048]}]})",
                 R"([{"name": "base", "description": "as is", "overrides": {}},
                     {"name": "arm", "overrides": {"functions": {"*": {"architecture": "arm64", "memory_mb": 128}}}}])"),
      "");
  REQUIRE(r.value);
  CHECK(names(*r.value) == std::vector<std::string>{"base,mem=512", "base,mem=2048", "arm,mem=512", "arm,mem=2048"});
  auto const& arm = r.value->scenarios[3];
  CHECK(arm.description.empty());
  CHECK(r.value->scenarios[0].description == "as is");
  CHECK(arm.functions.at("F").memory_mb == 2048);  // the point's value wins
  CHECK(arm.functions.at("G").memory_mb == 128);   // the scenario's own override stays
  CHECK(arm.functions.at("F").arch == stepsim::lambda::architecture::arm64);
}

TEST_CASE("An axis without a path takes whole overrides, named by its labels", "[study][sweep]") {
  auto r = study::parse_study(study_with(R"({"axes": [{"name": "warm", "labels": ["none", "pinged"], "values": [
      {}, {"lambda": {"warmers": [{"function": "F", "every_s": 300, "until_s": 20}]}}]}]})"),
                              "");
  REQUIRE(r.value);
  CHECK(names(*r.value) == std::vector<std::string>{"warm=none", "warm=pinged"});
  CHECK(r.value->scenarios[0].warmers.empty());
  CHECK(r.value->scenarios[1].warmers.size() == 1);
  CHECK(json::serialize(r.value->scenarios[1].point) == R"({"warm":"pinged"})");
}

TEST_CASE("A bad value in a sweep is reported once, at its place in the sweep", "[study][sweep]") {
  CHECK(errors_of(study_with(R"({"axes": [{"name": "a", "path": "/functions/*/memory_mb", "values": [128, 99999]},
                                          {"name": "b", "path": "/workloads/w/rate_per_s", "values": [1, 2, 3]}]})")) ==
        std::vector<std::string>{"/sweep/axes/0/values/1: 'memory_mb' must be between 128 and 10240, not 99999"});
  CHECK(errors_of(study_with(R"({"axes": [{"name": "ka", "path": "/lambda/keep_alive",
                                           "values": [{"fixed_s": -1}], "labels": ["neg"]}]})")) ==
        std::vector<std::string>{"/sweep/axes/0/values/0/fixed_s: 'fixed_s' must be between 0 and 10000000000, not -1"});
}

TEST_CASE("A malformed sweep gets an error naming the field at fault", "[study][sweep]") {
  auto one = [](std::string const& sweep) {
    auto e = errors_of(study_with(sweep));
    REQUIRE(e.size() == 1);
    return e.front();
  };
  CHECK(one(R"([])") == "/sweep: 'sweep' must be {\"axes\": [...]}, a non-empty array of axes");
  CHECK(one(R"({"axes": []})") == "/sweep/axes: 'sweep' must be {\"axes\": [...]}, a non-empty array of axes");
  CHECK(one(R"({"axes": [{"name": "a", "path": "/functions/F/memory_mb", "values": [128]}], "grid": 1})") ==
        "/sweep/grid: unknown field 'grid' in 'sweep'");
  CHECK(one(R"({"axes": [{"name": "a", "path": "/seed", "values": [1]}]})") ==
        "/sweep/axes/0/path: a sweep sets functions, lambda, orchestration or workloads, not 'seed'");
  CHECK(one(R"({"axes": [{"name": "a", "path": "functions", "values": [1]}]})") ==
        "/sweep/axes/0/path: 'path' must be a JSON pointer to a setting, such as /functions/*/memory_mb, not 'functions'");
  CHECK(one(R"({"axes": [{"name": "a", "path": "/functions/F/memory_mb"}]})") ==
        "/sweep/axes/0: a sweep axis needs 'values': a non-empty array");
  CHECK(one(R"({"axes": [{"name": "a", "path": "/functions/F/memory_mb", "values": [128, 128.0]}]})") ==
        "/sweep/axes/0/values/1: two values of the axis 'a' are labelled '128'");
  CHECK(one(R"({"axes": [{"name": "a", "path": "/lambda/keep_alive", "values": [{"fixed_s": 1}]}]})") ==
        "/sweep/axes/0/values/0: this value needs a label: give the axis 'labels'");
  CHECK(one(R"({"axes": [{"name": "a", "path": "/lambda/prewarm", "values": ["none"], "labels": ["x,y"]}]})") ==
        "/sweep/axes/0/labels/0: the label 'x,y' is part of scenario names, and it contains ',' or '=' (they "
        "separate the parts of a scenario's name)");
  CHECK(one(R"({"axes": [{"name": "a/b", "path": "/lambda/prewarm", "values": ["none"]}]})") ==
        "/sweep/axes/0/name: an axis's name is part of scenario names, and it contains the path separator '/'");
  CHECK(one(R"({"axes": [{"name": "a", "path": "/lambda/prewarm", "values": ["none"], "labels": ["x", "y"]}]})") ==
        "/sweep/axes/0/labels: 'labels' must be an array of 1 strings, one per value");
  CHECK(one(R"({"axes": [{"name": "a", "path": "/lambda/prewarm", "values": ["none"]},
                         {"name": "a", "path": "/lambda/prewarm", "values": ["next-step"]}]})") ==
        "/sweep/axes/1/name: two sweep axes are named 'a'");
  CHECK(one(R"({"axes": [{"name": "a", "values": [1]}]})") ==
        "/sweep/axes/0/values/0: without 'path', each value is an overrides object (as a scenario's 'overrides')");
  std::string values = "[";
  for (int i = 0; i < 101; ++i) values += (i ? "," : "") + std::to_string(i + 1);
  values += "]";
  CHECK(one(R"({"axes": [{"name": "a", "path": "/workloads/w/rate_per_s", "values": )" + values +
            R"(}, {"name": "b", "path": "/workloads/w/duration_s", "values": )" + values + "}]}") ==
        "/sweep/axes: the sweep makes more than 10000 scenarios (101 x 101): split it into several studies");
  CHECK(errors_of(study_with(R"({"axes": [{"name": "a", "path": "/lambda/prewarm", "values": ["none"]}]})",
                             R"([{"name": "s", "overrides": {"sweep": {}}}])")) ==
        std::vector<std::string>{"/scenarios/0/overrides/sweep: a scenario cannot override 'sweep'"});
}

TEST_CASE("summary.json names each sweep scenario's point", "[study][sweep]") {
  auto r = study::parse_study(study_with(R"({"axes": [{"name": "mem", "path": "/functions/F/memory_mb", "values": [128, 256]}]})"), "");
  REQUIRE(r.value);
  auto summary = study::summarize(*r.value, study::run_all(*r.value, 1), {});
  auto const& scenarios = summary.at("scenarios").as_array();
  REQUIRE(scenarios.size() == 2);
  CHECK(scenarios[1].at("name") == "mem=256");
  CHECK(json::serialize(scenarios[1].at("sweep")) == R"({"mem":256})");
}
