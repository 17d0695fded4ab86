// study power tuning: AWS Lambda Power Tuning's input, cost formulas, strategies and state machine, offline.
#include <stepsim/study/power_tuning.hpp>

#include <stepsim/asl/json_text.hpp>
#include <stepsim/study/function_settings.hpp>

#include "examples/golden.hpp"
#include "study/browser.hpp"
#include "study/mutations.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <unistd.h>

namespace lambda = stepsim::lambda;
namespace study = stepsim::study;
namespace json = boost::json;
using lambda::latency;

namespace {

constexpr char const* arn = "arn:aws:lambda:us-east-1:123456789012:function:F";

json::value input(std::string const& extra = "") {
  return json::parse(std::string(R"({"lambdaARN": ")") + arn + R"(", "num": 10)" + (extra.empty() ? "" : ", ") +
                     extra + "}");
}

/// Runs the state machine on `f` with `in`; requires success and returns the output.
study::power_tuning_run tune(lambda::function_config f, json::value in) {
  f.timeout = std::chrono::seconds(900);
  auto run = study::run_power_tuning(std::move(f), std::move(in));
  INFO("error: " << run.execution.error.value_or("") << " cause: " << run.execution.cause.value_or(""));
  REQUIRE(run.execution.succeeded());
  return run;
}

json::value output_of(lambda::function_config f, json::value in) { return *tune(std::move(f), std::move(in)).execution.output; }

lambda::function_config io_bound() {
  lambda::function_config f;
  f.init = latency::constant(100);
  f.run.io = latency::lognormal(80, 0.3);
  return f;
}

lambda::function_config cpu_bound(int threads) {
  lambda::function_config f;
  f.init = latency::constant(100);
  f.run.cpu_ms = 600;
  f.run.threads = threads;
  f.run.io = latency::lognormal(20, 0.2);
  return f;
}

std::string first_error(json::value const& v) {
  auto r = study::parse_power_tuning_input(v);
  if (r.errors.empty()) return "<accepted>";
  return r.errors[0].pointer + ": " + r.errors[0].message;
}

}  // namespace

// ---- input ------------------------------------------------------------------------------

TEST_CASE("power tuning input: the tool's defaults", "[power-tuning]") {
  auto r = study::parse_power_tuning_input(input());
  REQUIRE(r.value);
  auto const& in = *r.value;
  CHECK(in.power_values == std::vector<int>{128, 256, 512, 1024, 1536, 3008});
  CHECK(in.num == 10);
  CHECK(in.payload.is_null());
  CHECK_FALSE(in.parallel_invocation);
  CHECK(in.strategy == study::tuning_strategy::cost);
  CHECK(in.balanced_weight == 0.5);
  CHECK(in.discard_top_bottom == 0.2);
  CHECK(in.sleep_between_runs_ms == 0);
  CHECK_FALSE(in.only_cold_starts);
  CHECK_FALSE(in.include_output_results);
  CHECK_FALSE(in.dry_run);
}

TEST_CASE("power tuning input: \"ALL\" is 128 to 3,008 MB in steps of 64", "[power-tuning]") {
  auto r = study::parse_power_tuning_input(input(R"("powerValues": "ALL")"));
  REQUIRE(r.value);
  REQUIRE(r.value->power_values.size() == 46);
  CHECK(r.value->power_values.front() == 128);
  CHECK(r.value->power_values[1] == 192);
  CHECK(r.value->power_values.back() == 3008);
  // An empty list falls back to the default, as in the tool.
  CHECK(study::parse_power_tuning_input(input(R"("powerValues": [])")).value->power_values.size() == 6);
}

TEST_CASE("power tuning input: balancedWeight and discardTopBottom are clamped as the tool clamps them",
          "[power-tuning]") {
  auto in = *study::parse_power_tuning_input(input(R"("balancedWeight": 3, "discardTopBottom": 0.9)")).value;
  CHECK(in.balanced_weight == 1.0);
  CHECK(in.discard_top_bottom == 0.4);
  in = *study::parse_power_tuning_input(input(R"("balancedWeight": -1, "discardTopBottom": -0.5)")).value;
  CHECK(in.balanced_weight == 0.0);
  CHECK(in.discard_top_bottom == 0.0);
  in = *study::parse_power_tuning_input(input(R"("onlyColdStarts": true, "discardTopBottom": 0.3)")).value;
  CHECK(in.discard_top_bottom == 0.0);  // every cold start counts
}

TEST_CASE("power tuning input: refusals name the field", "[power-tuning]") {
  CHECK(first_error(json::parse(R"({"num": 10})")) ==
        "/lambdaARN: Missing or empty lambdaARN: the function's ARN or name is required");
  CHECK(first_error(json::parse(R"({"lambdaARN": "F"})")) == "/num: Missing num or num below 5: 'num' is required");
  CHECK(first_error(json::parse(R"({"lambdaARN": "F", "num": 4})")) == "/num: 'num' must be between 5 and 10000, not 4");
  CHECK(first_error(input(R"("powerValues": [128, 64])")) == "/powerValues/1: a power value must be 128 to 10240 MB, not 64");
  CHECK(first_error(input(R"("powerValues": [128, "256"])")) ==
        "/powerValues/1: a power value must be a whole number of MB, not \"256\"");
  CHECK(first_error(input(R"("powerValues": "SOME")")) ==
        "/powerValues: 'powerValues' must be a list of memory sizes or \"ALL\", not \"SOME\"");
  CHECK(first_error(input(R"("strategy": "fast")")) ==
        "/strategy: 'strategy' must be \"cost\", \"speed\" or \"balanced\", not \"fast\"");
  CHECK(first_error(input(R"("parallelInvocation": "yes")")) == "/parallelInvocation: 'parallelInvocation' must be true or false, not a string");
  CHECK(first_error(input(R"("payloadS3": "s3://b/k")")) ==
        "/payloadS3: 'payloadS3' is not supported offline (no S3 objects or other functions to call)");
  CHECK(first_error(input(R"("nmu": 3)")) == "/nmu: unknown field 'nmu' in the Power Tuning input");
  CHECK(first_error(json::parse("[]")) == ": the input must be an object such as {\"lambdaARN\": \"...\", \"num\": 10}");
}

TEST_CASE("power tuning input: a weighted payload needs num large enough for every entry", "[power-tuning]") {
  CHECK(first_error(input(R"("payload": [{"payload": {"a": 1}, "weight": 1}, {"payload": {"b": 1}, "weight": 100}])")) ==
        "/payload: Invalid payload weight (num is too small)");
  auto three = R"("num": 5, "payload": [{"payload": 1, "weight": 1}, {"payload": 2, "weight": 1},
                  {"payload": 3, "weight": 1}, {"payload": 4, "weight": 1}, {"payload": 5, "weight": 1},
                  {"payload": 6, "weight": 1}])";
  CHECK(first_error(json::parse(std::string(R"({"lambdaARN": "F", )") + three + "}")) ==
        "/payload: You have 6 payloads and only \"num\"=5. Please increase \"num\".");
}

TEST_CASE("generate_payloads splits num by relative weight, the last entry filling up", "[power-tuning]") {
  auto in = *study::parse_power_tuning_input(
                 input(R"("payload": [{"payload": {"size": "S"}, "weight": 5}, {"payload": {"size": "L"}, "weight": 3},
                                      {"payload": "{\"size\": \"XL\"}", "weight": 2}])"))
                 .value;
  auto p = study::generate_payloads(in, 10);
  REQUIRE(p.size() == 10);
  std::map<std::string, int> n;
  for (auto const& x : p) n[std::string(x.at("size").get_string())]++;
  CHECK(n == std::map<std::string, int>{{"S", 5}, {"L", 3}, {"XL", 2}});  // JSON text became its value
  // floor(1 * 7 / 3) = 2 each, and the last takes the 3 left.
  in = *study::parse_power_tuning_input(input(R"("payload": [{"payload": "a", "weight": 1},
                                                  {"payload": "b", "weight": 1}, {"payload": "c", "weight": 1}])"))
            .value;
  p = study::generate_payloads(in, 7);
  CHECK(json::serialize(json::value_from(p)) == R"(["a","a","b","b","c","c","c"])");
}

TEST_CASE("a payload list without a weight on every entry is one static payload", "[power-tuning]") {
  auto in = *study::parse_power_tuning_input(input(R"("payload": [{"payload": 1, "weight": 1}, {"x": 2}])")).value;
  CHECK(in.weighted.empty());
  auto p = study::generate_payloads(in, 5);
  REQUIRE(p.size() == 5);
  CHECK(p[4] == json::parse(R"([{"payload": 1, "weight": 1}, {"x": 2}])"));
}

// ---- formulas ----------------------------------------------------------------------------

TEST_CASE("trimmed_mean drops floor(n x discard) values at each end", "[power-tuning]") {
  CHECK(study::trimmed_mean({1, 2, 3, 4, 100}, 0.2) == 3.0);     // drops 1 and 100
  CHECK(study::trimmed_mean({1, 2, 3, 4, 100}, 0) == 22.0);
  CHECK(study::trimmed_mean({10, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 0.2) == 5.5);  // drops 1, 2, 9, 10
  CHECK(study::trimmed_mean({7, 9, 8}, 0.2) == 8.0);             // floor(0.6) = 0: nothing dropped
  CHECK(study::trimmed_mean({}, 0.2) == 0.0);
}

TEST_CASE("the price per ms at 128 MB is the tool's, by architecture and region", "[power-tuning]") {
  CHECK(study::power_tuning_ms_price("us-east-1", lambda::architecture::x86_64) == 2.1e-9);
  CHECK(study::power_tuning_ms_price("eu-south-1", lambda::architecture::x86_64) == 2.4e-9);
  CHECK(study::power_tuning_ms_price("cn-north-1", lambda::architecture::x86_64) == 1.42e-8);
  CHECK(study::power_tuning_ms_price("eu-south-1", lambda::architecture::arm64) == 1.7e-9);
}

TEST_CASE("executionCost counts 6 + 3 transitions per power value, or the onlyColdStarts loop", "[power-tuning]") {
  CHECK(study::power_tuning_execution_cost("us-east-1", 6, false, 10) == Approx(0.0006));   // 24 x 0.000025
  CHECK(study::power_tuning_execution_cost("us-east-1", 6, true, 10) == Approx(0.0033));    // 132 x 0.000025
  // 18 x 0.0000375 = 0.000675 in decimals, a little less in binary: 0.00067 to 5 decimals, as toFixed(5) gives.
  CHECK(study::power_tuning_execution_cost("sa-east-1", 4, false, 10) == 0.00067);
}

TEST_CASE("compute_power_stats: the price is the ceiled trimmed billed mean times the ms price", "[power-tuning]") {
  std::vector<study::tuning_sample> s{{10.5, 11}, {12.25, 13}, {300.0, 300, true}, {11.0, 11}, {9.0, 10}};
  auto st = study::compute_power_stats(1024, s, 0.2, 2.1e-9);
  CHECK(st.average_duration == Approx((10.5 + 11.0 + 12.25) / 3));
  // billed trimmed mean (11 + 11 + 13) / 3 = 11.67 -> 12 ms, at 1024 MB = 8 x the 128 MB price.
  CHECK(st.average_price == Approx(12 * 2.1e-9 * 8));
  CHECK(st.total_cost == Approx((11 + 13 + 300 + 11 + 10) * 2.1e-9 * 8));
  CHECK(st.invocations == 5);
  CHECK(st.cold_starts == 1);
}

TEST_CASE("balanced weighs cost and duration, each over its maximum, by balancedWeight", "[power-tuning]") {
  // 128: cheap and slow; 512: in between; 2048: fast and dear.
  std::vector<study::power_stats> stats{{128, 1.0, 1000, 0, 0, 0}, {512, 2.0, 300, 0, 0, 0}, {2048, 8.0, 100, 0, 0, 0}};
  auto pick = [&](std::string const& extra) {
    auto in = *study::parse_power_tuning_input(input(extra)).value;
    return study::analyze_power_stats(stats, in, "us-east-1").at("power").as_int64();
  };
  CHECK(pick(R"("strategy": "cost")") == 128);
  CHECK(pick(R"("strategy": "speed")") == 2048);
  CHECK(pick(R"("strategy": "balanced", "balancedWeight": 1)") == 128);
  CHECK(pick(R"("strategy": "balanced", "balancedWeight": 0)") == 2048);
  // weight 0.5: 128 -> 0.5/8 + 0.5 = 0.5625; 512 -> 0.125 + 0.15 = 0.275; 2048 -> 0.5 + 0.05 = 0.55
  CHECK(pick(R"("strategy": "balanced")") == 512);
  // weight 0.9: 128 -> 0.1125 + 0.1 = 0.2125; 512 -> 0.225 + 0.03 = 0.255
  CHECK(pick(R"("strategy": "balanced", "balancedWeight": 0.9)") == 128);
  // weight 0.2: 512 -> 0.05 + 0.24 = 0.29; 2048 -> 0.2 + 0.08 = 0.28
  CHECK(pick(R"("strategy": "balanced", "balancedWeight": 0.2)") == 2048);
}

TEST_CASE("cost ties go to the faster value, speed ties to the cheaper one", "[power-tuning]") {
  std::vector<study::power_stats> stats{{128, 2.0, 50, 0, 0, 0}, {256, 2.0, 40, 0, 0, 0}, {512, 3.0, 40, 0, 0, 0}};
  auto in = *study::parse_power_tuning_input(input()).value;
  CHECK(study::analyze_power_stats(stats, in, "us-east-1").at("power") == 256);
  in.strategy = study::tuning_strategy::speed;
  CHECK(study::analyze_power_stats(stats, in, "us-east-1").at("power") == 256);
}

TEST_CASE("the analyzer's output has the tool's shape", "[power-tuning]") {
  std::vector<study::power_stats> stats{{128, 1e-7, 20, 2e-6, 10, 1}, {256, 3e-7, 0, 0, 0, 0}};
  auto in = *study::parse_power_tuning_input(input(R"("includeOutputResults": true)")).value;
  auto out = study::analyze_power_stats(stats, in, "us-east-1");
  // The value with no duration is left out of the choice and the Lambda cost, not of the stats.
  CHECK(out == json::parse(R"({"power": 128, "cost": 1e-7, "duration": 20.0,
                                "stateMachine": {"executionCost": 0.0003, "lambdaCost": 2e-6},
                                "stats": [{"value": 128, "averagePrice": 1e-7, "averageDuration": 20.0},
                                          {"value": 256, "averagePrice": 3e-7, "averageDuration": 0.0}]})"));
}

// ---- the state machine, end to end ---------------------------------------------------------

TEST_CASE("power tuning: an I/O-bound function is cheapest at the smallest power value", "[power-tuning]") {
  auto out = output_of(io_bound(), input(R"("powerValues": [128, 256, 512, 1024, 1536, 3008])"));
  CHECK(out.at("power") == 128);
  // And no faster with more memory: the same random numbers at every size.
  auto run = tune(io_bound(), input(R"("powerValues": [128, 3008])"));
  REQUIRE(run.stats.size() == 2);
  CHECK(run.stats[0].average_duration == run.stats[1].average_duration);
  CHECK(run.stats[1].average_price == Approx(run.stats[0].average_price * 3008 / 128));
}

TEST_CASE("power tuning: a single-threaded CPU-bound function is fastest from 1,769 MB on", "[power-tuning]") {
  auto run = tune(cpu_bound(1), input(R"("strategy": "speed", "powerValues": [128, 512, 1024, 1769, 3008, 10240])"));
  auto out = *run.execution.output;
  // 1,769, 3,008 and 10,240 MB tie on duration; the tie goes to the cheapest, 1,769 MB.
  CHECK(out.at("power") == 1769);
  REQUIRE(run.stats.size() == 6);
  CHECK(run.stats[3].average_duration == run.stats[4].average_duration);
  CHECK(run.stats[3].average_duration == run.stats[5].average_duration);
  CHECK(run.stats[2].average_duration > run.stats[3].average_duration);
}

TEST_CASE("power tuning: a multi-threaded CPU-bound function is fastest at the largest power value", "[power-tuning]") {
  auto run = tune(cpu_bound(6), input(R"("strategy": "speed", "powerValues": [128, 1024, 1769, 3538, 7076, 10240])"));
  CHECK(run.execution.output->at("power") == 10240);
  for (std::size_t i = 1; i < run.stats.size(); ++i) CHECK(run.stats[i].average_duration < run.stats[i - 1].average_duration);
}

TEST_CASE("power tuning: balanced follows balancedWeight from the cheapest to the fastest", "[power-tuning]") {
  auto values = std::string(R"("powerValues": [128, 256, 512, 1024, 1769, 3538, 10240], "strategy": )");
  auto f = cpu_bound(6);
  f.run.io = latency::constant(200);  // enough that more memory costs more
  auto cheapest = output_of(f, input(values + R"("cost")"));
  auto fastest = output_of(f, input(values + R"("speed")"));
  CHECK(cheapest.at("power") == 128);
  CHECK(fastest.at("power") == 10240);
  CHECK(output_of(f, input(values + R"("balanced", "balancedWeight": 1)")).at("power") == 128);
  CHECK(output_of(f, input(values + R"("balanced", "balancedWeight": 0)")).at("power") == 10240);
  auto middle = output_of(f, input(values + R"("balanced", "balancedWeight": 0.5)")).at("power").as_int64();
  CHECK(middle > 128);
  CHECK(middle < 10240);
}

TEST_CASE("power tuning: discardTopBottom leaves the cold start out of the average", "[power-tuning]") {
  lambda::function_config f;
  f.init = latency::constant(1000);
  f.run.duration = latency::constant(100);
  auto with = tune(f, input(R"("powerValues": [1024])"));                              // 20% of 10: 2 each end
  auto without = tune(f, input(R"("powerValues": [1024], "discardTopBottom": 0)"));
  REQUIRE(with.stats.size() == 1);
  CHECK(with.stats[0].cold_starts == 1);
  CHECK(with.stats[0].average_duration == 100.0);
  CHECK(without.stats[0].average_duration == 200.0);  // (1100 + 9 x 100) / 10
  // Billed durations include the init (billed since August 2025) and are trimmed alike.
  CHECK(with.stats[0].average_price == Approx(100 * 2.1e-9 * 8));
  CHECK(without.stats[0].average_price == Approx(200 * 2.1e-9 * 8));
  CHECK(without.stats[0].total_cost == Approx(2000 * 2.1e-9 * 8));
}

TEST_CASE("power tuning: in parallel every invocation is a cold start, in series only the first", "[power-tuning]") {
  auto f = io_bound();
  auto series = tune(f, input(R"("powerValues": [512])"));
  auto parallel = tune(f, input(R"("powerValues": [512], "parallelInvocation": true)"));
  CHECK(series.stats[0].cold_starts == 1);
  CHECK(parallel.stats[0].cold_starts == 10);
  auto cold = tune(f, input(R"("powerValues": [512], "onlyColdStarts": true)"));
  CHECK(cold.stats[0].cold_starts == 10);
  // (6 + 1 + 2 x 1 x 10) transitions x 0.000025 = 0.000675, to 5 decimals.
  CHECK(cold.execution.output->at("stateMachine").at("executionCost").as_double() == 0.00068);
}

TEST_CASE("power tuning: sleepBetweenRunsMs waits after each invocation in series", "[power-tuning]") {
  lambda::function_config f;
  f.init = latency::constant(0);
  f.run.duration = latency::constant(100);
  auto plain = tune(f, input(R"("powerValues": [256])"));
  auto slept = tune(f, input(R"("powerValues": [256], "sleepBetweenRunsMs": 500)"));
  auto took = [](study::power_tuning_run const& r) { return *r.execution.stop_date - r.execution.start_date; };
  CHECK(took(slept) - took(plain) == std::chrono::milliseconds(10 * 500));
  CHECK(slept.stats[0].average_duration == plain.stats[0].average_duration);
}

TEST_CASE("power tuning: weighted payloads reach the function in their proportions", "[power-tuning]") {
  auto f = io_bound();
  std::map<std::string, int> seen;
  f.handler = [&seen](json::value const& p) -> json::value {
    seen[std::string(p.at("size").get_string())]++;
    return p;
  };
  tune(f, input(R"("powerValues": [128, 256], "payload": [{"payload": {"size": "S"}, "weight": 3},
                                                           {"payload": {"size": "L"}, "weight": 7}])"));
  CHECK(seen == std::map<std::string, int>{{"S", 6}, {"L", 14}});
}

TEST_CASE("power tuning: dryRun invokes once per power value and outputs null", "[power-tuning]") {
  auto run = tune(io_bound(), input(R"("powerValues": [128, 256, 512], "dryRun": true)"));
  CHECK(run.execution.output->is_null());
  REQUIRE(run.stats.size() == 3);
  for (auto const& s : run.stats) CHECK(s.invocations == 1);
}

TEST_CASE("power tuning: a dry run with a weighted payload sends the first entry's payload", "[power-tuning]") {
  auto f = io_bound();
  std::vector<json::value> seen;
  f.handler = [&seen](json::value const& p) -> json::value {
    seen.push_back(p);
    return p;
  };
  tune(f, input(R"("powerValues": [128], "dryRun": true,
                   "payload": [{"payload": {"n": 1}, "weight": 1}, {"payload": {"n": 2}, "weight": 1}])"));
  CHECK(seen == std::vector<json::value>{json::parse(R"({"n": 1})")});
}

TEST_CASE("power tuning: includeOutputResults adds per-power stats, architecture sets the price", "[power-tuning]") {
  auto f = io_bound();
  f.arch = lambda::architecture::arm64;
  auto run = tune(f, input(R"("powerValues": [128, 1024], "includeOutputResults": true)"));
  auto const& out = *run.execution.output;
  REQUIRE(out.at("stats").as_array().size() == 2);
  CHECK(out.at("stats").at(1).at("value") == 1024);
  CHECK(out.at("stats").at(1).at("averagePrice").as_double() == run.stats[1].average_price);
  // arm64: 1.7e-9 per ms at 128 MB, times the ceiled trimmed billed mean.
  auto billed = run.stats[0].average_price / 1.7e-9;
  CHECK(std::fabs(billed - std::round(billed)) < 1e-6);
}

TEST_CASE("power tuning: an invocation that fails fails the tuning after the cleaner", "[power-tuning]") {
  lambda::function_config f;
  f.run.duration = latency::constant(5000);  // past the 3 s timeout
  auto run = study::run_power_tuning(f, input(R"("powerValues": [128])"));
  CHECK(run.execution.status == stepsim::engine::execution_status::failed);
  CHECK(run.execution.error == "Error");
  CHECK(run.execution.cause.value_or("").find("Invocation error (running in series): Lambda.Unknown") == 0);
  CHECK(run.execution.path == std::vector<std::string>{"Initializer", "Branching", "CleanUpOnError", "TuningFailed"});
}

TEST_CASE("power tuning: bad input fails the initializer with the field at fault", "[power-tuning]") {
  auto run = study::run_power_tuning(io_bound(), json::parse(R"({"lambdaARN": "F", "num": 2})"));
  CHECK(run.execution.error == "Error");
  CHECK(run.execution.cause == "/num: 'num' must be between 5 and 10000, not 2");
}

TEST_CASE("power tuning: the function takes its name and region from lambdaARN", "[power-tuning]") {
  auto run = tune(io_bound(), json::parse(R"({"lambdaARN": "arn:aws:lambda:eu-south-1:999:function:Resize:prod",
                                              "num": 5, "powerValues": [128]})"));
  CHECK(run.function.name == "Resize");
  CHECK(run.function.region == "eu-south-1");
  CHECK(run.function.account == "999");
  auto billed = run.stats[0].average_price / 2.4e-9;  // eu-south-1's x86_64 price
  CHECK(std::fabs(billed - std::round(billed)) < 1e-6);
}

TEST_CASE("power tuning: a run is reproducible", "[power-tuning]") {
  auto in = input(R"("parallelInvocation": true, "includeOutputResults": true)");
  CHECK(output_of(cpu_bound(2), in) == output_of(cpu_bound(2), in));
}

TEST_CASE("the example's state machine is the one the library runs", "[power-tuning]") {
  auto file = stepsim::test::read_text(STEPSIM_SOURCE_DIR "/examples/power-tuning/power-tuning.asl.json");
  CHECK(file == study::power_tuning_definition());
}

TEST_CASE("the Power Tuning report is one self-contained page with the cost/speed chart", "[power-tuning][report]") {
  auto in = input(R"("powerValues": [128, 512, 1769, 3008], "strategy": "speed")");
  auto run = tune(cpu_bound(1), in);
  auto html = study::power_tuning_report_html(run, in);
  REQUIRE(html.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(html.find("Average duration and cost per invocation, by memory") != std::string::npos);
  CHECK(html.find("average cost (USD)") != std::string::npos);
  CHECK(html.find("<tr class=\"best\"><td class=\"n\">1769</td>") != std::string::npos);
  CHECK(html.find("http://") == std::string::npos);
  CHECK(html.find("https://") == std::string::npos);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html == study::power_tuning_report_html(tune(cpu_bound(1), in), in));
}

TEST_CASE("parse_function_settings reads a study's function fields, threads and init_cpu_ms included", "[power-tuning]") {
  auto r = study::parse_function_settings(
      json::parse(R"({"memory_mb": 512, "cpu_ms": 300, "threads": 4, "init_cpu_ms": 120, "io_ms": 25})"), "F");
  REQUIRE(r.value);
  CHECK(r.value->name == "F");
  CHECK(r.value->memory_mb == 512);
  CHECK(r.value->run.cpu_ms == 300);
  CHECK(r.value->run.threads == 4);
  CHECK(r.value->init_cpu_ms == 120);
  r = study::parse_function_settings(json::parse(R"({"threads": 0, "cpu_ms": "x"})"), "F", "/functions/F");
  REQUIRE(r.errors.size() == 2);
  CHECK(r.errors[0].pointer == "/functions/F/cpu_ms");
  CHECK(r.errors[1].pointer == "/functions/F/threads");
  CHECK(r.errors[1].message == "'threads' must be between 1 and 1024, not 0");
  r = study::parse_function_settings(json::parse("[]"), "F");
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].message == "a function's settings must be an object");
}

TEST_CASE("Every one-place mutation of a Power Tuning input is read or refused with a location, and runs",
          "[power-tuning]") {
  auto const root = json::parse(R"({"lambdaARN": "F", "num": 5, "powerValues": [128, 256],
      "payload": [{"payload": {"a": 1}, "weight": 2}, {"payload": "x", "weight": 3}],
      "parallelInvocation": true, "strategy": "balanced", "balancedWeight": 0.3, "discardTopBottom": 0.1,
      "sleepBetweenRunsMs": 10, "onlyColdStarts": false, "includeOutputResults": true, "dryRun": false})");
  std::size_t refused = 0, accepted = 0;
  stepsim::test::for_each_mutation(root, [&](json::value const& variant, std::string const& at, std::size_t what) {
    INFO("at " << at << ", mutation " << what << ": " << json::serialize(variant));
    study::power_tuning_input_result r;
    REQUIRE_NOTHROW(r = study::parse_power_tuning_input(variant));
    if (!r.value) {
      ++refused;
      REQUIRE_FALSE(r.errors.empty());
      // The refusal points at the mutated place, inside it, or at a field that contains it.
      auto const& p = r.errors[0].pointer;
      CHECK((at.rfind(p, 0) == 0 || p.rfind(at, 0) == 0));
      return;
    }
    ++accepted;
    auto run = study::run_power_tuning(io_bound(), variant);
    INFO(run.execution.cause.value_or(""));
    CHECK(run.execution.succeeded());
  });
  CHECK(refused > 50);
  CHECK(accepted > 50);
}

// As the study report's check (docs/studies-report.md, study/browser.hpp): the cost/speed chart
// renders. Without a browser it passes with a warning, unless STEPSIM_REQUIRE_BROWSER=1 (CI).
TEST_CASE("power tuning report: headless Chromium renders it", "[power-tuning][report][chromium]") {
  namespace fs = std::filesystem;
  auto in = input(R"("powerValues": [128, 512, 1024, 1769, 3008], "includeOutputResults": true)");
  auto run = tune(cpu_bound(1), in);
  auto dir = fs::temp_directory_path() / ("stepsim-power-tuning-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  auto page = dir / "report.html";
  auto html = study::power_tuning_report_html(run, in);
  std::ofstream(page, std::ios::binary) << html;
  if (auto shown = stepsim::test::render_in_chromium(page, dir, "1200,1400")) {
    CHECK(shown->dom.find("Average duration and cost per invocation, by memory") != std::string::npos);
    CHECK(shown->dom.find("<svg") != std::string::npos);
    CHECK(shown->dom.find("3008") != std::string::npos);
  }
  std::error_code ec;
  fs::remove_all(dir, ec);
}
