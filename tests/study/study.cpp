#include <stepsim/study/study.hpp>

#include "examples/golden.hpp"
#include "study/mutations.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <string>
#include <vector>

namespace study = stepsim::study;

namespace {

std::string const dir = std::string(STEPSIM_SOURCE_DIR) + "/examples/coldstart-accumulation";

/// The example study with `patch` merged in.
study::study_result with(std::string const& patch) {
  auto text = R"({"workflows": {"single-step": {"definition": "single-step.asl.json"}},
    "functions": {"HelloFunction": {"run_ms": 50}},
    "workloads": {"w": {"workflow": "single-step", "threads": 2}}})";
  auto merged = study::merge(boost::json::parse(text), boost::json::parse(patch));
  return study::parse_study(boost::json::serialize(merged), dir);
}

std::string only_error(study::study_result const& r) {
  REQUIRE_FALSE(r.value);
  REQUIRE(r.errors.size() == 1);
  return r.errors[0].pointer + ": " + r.errors[0].message;
}

}  // namespace

TEST_CASE("The example study parses with its eight scenarios", "[study][parse]") {
  auto r = study::load_study(dir + "/study.json");
  REQUIRE(r.value);
  CHECK(r.value->scenarios.size() == 8);
  CHECK(r.value->workflows.size() == 2);
  auto const& prov = r.value->scenarios[3];
  CHECK(prov.scenario == "provisioned-10");
  CHECK(prov.functions.at("Step3").provisioned_concurrency == 10);
  CHECK(prov.functions.at("Step3").memory_mb == 128);  // from "*"
  CHECK(r.value->scenarios[0].functions.at("Step3").provisioned_concurrency == 0);
}

TEST_CASE("A study without scenarios runs one named baseline", "[study][parse]") {
  auto r = with("{}");
  REQUIRE(r.value);
  REQUIRE(r.value->scenarios.size() == 1);
  CHECK(r.value->scenarios[0].scenario == "baseline");
}

TEST_CASE("A wrong type in a function names the field", "[study][parse]") {
  CHECK(only_error(with(R"({"functions": {"HelloFunction": {"memory_mb": "big"}}})")) ==
        "/functions/HelloFunction/memory_mb: 'memory_mb' must be an integer, not a string");
}

TEST_CASE("An out-of-range memory size gives its bounds", "[study][parse]") {
  CHECK(only_error(with(R"({"functions": {"HelloFunction": {"memory_mb": 64}}})")) ==
        "/functions/HelloFunction/memory_mb: 'memory_mb' must be between 128 and 10240, not 64");
}

TEST_CASE("An unknown field is reported where it is", "[study][parse]") {
  CHECK(only_error(with(R"({"functions": {"HelloFunction": {"memroy_mb": 256}}})")) ==
        "/functions/HelloFunction/memroy_mb: unknown field 'memroy_mb' in a function");
}

TEST_CASE("A workload naming a missing workflow is refused", "[study][parse]") {
  CHECK(only_error(with(R"({"workloads": {"w": {"workflow": "nope"}}})")) ==
        "/workloads/w/workflow: no workflow named 'nope' in 'workflows'");
}

TEST_CASE("A workflow calling an undescribed Lambda function is refused", "[study][parse]") {
  auto r = with(R"({"workflows": {"four": {"definition": "four-steps.asl.json"}}})");
  REQUIRE_FALSE(r.value);
  REQUIRE(r.errors.size() == 4);
  CHECK(r.errors[0].message ==
        "the workflow 'four' calls the Lambda function 'Step1' (state 'Step1'), which 'functions' does not describe");
}

TEST_CASE("A bad distribution says which forms are accepted", "[study][parse]") {
  CHECK(only_error(with(R"({"functions": {"HelloFunction": {"init_ms": {"gamma": [1, 2]}}}})")) ==
        "/functions/HelloFunction/init_ms: unknown distribution \"gamma\"; expected constant, uniform, exponential, "
        "normal, lognormal or empirical");
}

TEST_CASE("A bad value inside a scenario's overrides names the scenario", "[study][parse]") {
  CHECK(only_error(with(R"({"scenarios": [{"name": "big", "overrides": {"functions": {"*": {"memory_mb": 99999}}}}]})")) ==
        "/functions/HelloFunction/memory_mb: scenario 'big': 'memory_mb' must be between 128 and 10240, not 99999");
}

TEST_CASE("A missing definition file is reported with its path", "[study][parse]") {
  auto r = with(R"({"workflows": {"single-step": {"definition": "missing.asl.json"}}})");
  REQUIRE_FALSE(r.value);
  CHECK(r.errors[0].pointer == "/workflows/single-step/definition");
  CHECK(r.errors[0].message == "cannot open '" + dir + "/missing.asl.json': No such file or directory");
}

TEST_CASE("Malformed study JSON is reported with its line and column", "[study][parse]") {
  auto r = study::parse_study("{\n  \"seed\": ,\n}", dir);
  REQUIRE_FALSE(r.value);
  CHECK(r.errors[0].message.starts_with("the study is not valid JSON: "));
  CHECK(r.errors[0].message.ends_with("at line 2, column 11"));
}

TEST_CASE("merge applies a * override to every function", "[study][parse]") {
  auto m = study::merge(boost::json::parse(R"({"functions": {"A": {"x": 1}, "B": {"x": 2, "y": 3}}})"),
                        boost::json::parse(R"({"functions": {"*": {"x": 9}}})"));
  CHECK(boost::json::serialize(m) == R"({"functions":{"A":{"x":9},"B":{"x":9,"y":3}}})");
}

TEST_CASE("A fault schedule and a warmer are read from the study", "[study][parse]") {
  auto r = with(R"({"functions": {"HelloFunction": {"fault_schedule": [{"from_s": 10, "to_s": 70, "probability": 0.5}]}},
                    "lambda": {"warmers": [{"function": "HelloFunction", "every_s": 300, "concurrency": 2, "until_s": 3600}]}})");
  REQUIRE(r.value);
  auto const& c = r.value->scenarios[0];
  REQUIRE(c.functions.at("HelloFunction").fault_schedule.size() == 1);
  CHECK(c.functions.at("HelloFunction").fault_schedule[0].to == std::chrono::seconds(70));
  REQUIRE(c.warmers.size() == 1);
  CHECK(c.warmers[0].concurrency == 2);
}

TEST_CASE("A warmer naming an undescribed function is refused", "[study][parse]") {
  CHECK(only_error(with(R"({"lambda": {"warmers": [{"function": "Nope", "every_s": 300, "until_s": 600}]}})")) ==
        "/lambda/warmers/0: the warmer names the function 'Nope', which 'functions' does not describe");
}

TEST_CASE("Every one-place mutation of the example study parses or is refused with located errors",
          "[study][parse]") {
  // Each value of the example study is removed, or replaced by a value of
  // another type or an extreme one. parse_study must never throw or crash
  // (the sanitizer build runs this too), and a refusal must say where and what.
  auto const root = boost::json::parse(stepsim::test::read_text(dir + "/study.json"));
  std::size_t refused = 0, accepted = 0;
  stepsim::test::for_each_mutation(root, [&](boost::json::value const& variant, std::string const& at, std::size_t what) {
    INFO("at " << at << ", mutation " << what);
    study::study_result result;
    REQUIRE_NOTHROW(result = study::parse_study(boost::json::serialize(variant), dir));
    if (result.value) {
      ++accepted;
      return;
    }
    ++refused;
    REQUIRE_FALSE(result.errors.empty());
    for (auto const& e : result.errors) {
      INFO(e.pointer << ": " << e.message);
      CHECK_FALSE(e.message.empty());
      // Located: at the root only when the document itself is at fault.
      CHECK((e.pointer.empty() || e.pointer.front() == '/'));
    }
  });
  // Most mutations make the study wrong; some are harmless (a comment, a name).
  CHECK(refused > accepted);
  CHECK(accepted > 0);
}

TEST_CASE("A warmer with an out-of-range period gets that error only", "[study][parse]") {
  CHECK(only_error(with(R"({"lambda": {"warmers": [{"function": "HelloFunction", "every_s": 0.000001, "until_s": 60}]}})")) ==
        "/lambda/warmers/0/every_s: 'every_s' must be between 0.001 and 1000000000, not 1E-6");
  CHECK(only_error(with(R"({"lambda": {"warmers": [{"function": "", "every_s": 60, "until_s": 60}]}})")) ==
        "/lambda/warmers/0/function: a warmer's 'function' must not be empty");
}

TEST_CASE("A latency beyond max_ms is refused where it is", "[study][parse]") {
  CHECK(only_error(with(R"({"functions": {"HelloFunction": {"init_ms": 1e308}}})")) ==
        "/functions/HelloFunction/init_ms: a duration in milliseconds must be between 0 and 10000000000, not 1e+308");
}
