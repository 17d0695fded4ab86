// The pool picture of summary.json (avg_instances, busy, idle, cold-start and
// rejection probabilities, lifetimes), from study files whose workloads
// invoke a function directly, checked against SimFaaS and an analytical case.
#include <stepsim/study/runner.hpp>

#include <stepsim/study/summary.hpp>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace study = stepsim::study;
namespace json = boost::json;

namespace {

study::study parse(std::string const& text) {
  auto r = study::parse_study(text, ".");
  for (auto const& e : r.errors) FAIL_CHECK(e.pointer << ": " << e.message);
  REQUIRE(r.value);
  return std::move(*r.value);
}

std::string const examples = std::string(STEPSIM_SOURCE_DIR) + "/examples/function-pool/";

study::study load(std::string const& file) {
  auto r = study::load_study(examples + file);
  for (auto const& e : r.errors) FAIL_CHECK(e.pointer << ": " << e.message);
  REQUIRE(r.value);
  return std::move(*r.value);
}

std::string text_of(std::string const& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

json::object function_row(study::study const& s) {
  auto summary = study::summarize(s, study::run_all(s, 1), {});
  return summary.at("scenarios").at(0).at("functions").at(0).as_object();
}

double field(json::object const& row, char const* name) { return row.at(name).to_number<double>(); }

/// Requests at 0, 10 and 20 s, each cold (init 1 s, run 2 s, keep-alive 5 s); `extra`: more top-level fields.
json::object hand_checked_summary(std::string const& extra) {
  auto s = parse("{" + extra + R"(
    "functions": {"F": {"init_ms": 1000, "run_ms": 2000}},
    "lambda": {"keep_alive": {"fixed_s": 5}},
    "workloads": {"w": {"function": "F", "type": "constant", "rate_per_s": 0.1, "duration_s": 25}}
  })");
  return study::summarize(s, study::run_all(s, 1), {});
}

}  // namespace

// SimFaaS's README example (pacslab/simfaas): Poisson arrivals at 0.9/s for
// 10^6 s, warm service exponential with mean 1.991 s, cold 2.244 s, a 600 s
// expiration threshold. It prints P(cold) 0.0014 (1,213 of 898,469 requests:
// 0.00135), 7.6612 instances on average, 1.7879 running, 5.8733 idle.
// docs/lambda.md ("Validation against SimFaaS") explains the mapping: init
// exponential(253 ms) + run exponential(1991 ms), no lifetime limit; the
// study file is examples/function-pool/simfaas.json.
TEST_CASE("A function workload reproduces SimFaaS's example within 5%", "[study][pool][validation]") {
  auto row = function_row(load("simfaas.json"));
  INFO(json::serialize(row));
  CHECK(field(row, "invocations") == Approx(900000).epsilon(0.01));
  CHECK(field(row, "cold_start_probability") == Approx(1213.0 / 898469.0).epsilon(0.05));
  CHECK(field(row, "avg_instances") == Approx(7.6612).epsilon(0.05));
  CHECK(field(row, "avg_busy_instances") == Approx(1.7879).epsilon(0.05));
  CHECK(field(row, "avg_idle_instances") == Approx(5.8733).epsilon(0.05));
  CHECK(field(row, "lifetime_mean_s") == Approx(6335.1337).epsilon(0.05));
  CHECK(field(row, "rejection_probability") == 0.0);
  // Busy and idle split the instances exactly.
  CHECK(field(row, "avg_busy_instances") + field(row, "avg_idle_instances") ==
        Approx(field(row, "avg_instances")).epsilon(1e-12));
}

// examples/function-pool/steady-100.json: 100 requests/s, warm service 2 s,
// cold 25 s (init 23 s + run 2 s, both exponential), 600 s keep-alive, no
// concurrency limit in the way: about 251 instances in the steady state. The
// first 25 s start some 2,500 environments that live on idle for 10 minutes;
// warm_up_s leaves that out, as SimFaaS's skip_init_time does.
TEST_CASE("A function workload at 100 requests/s keeps about 251 instances", "[study][pool][validation]") {
  auto row = function_row(load("steady-100.json"));
  INFO(json::serialize(row));
  CHECK(field(row, "avg_instances") == Approx(251).epsilon(0.05));
  CHECK(field(row, "avg_busy_instances") == Approx(200).epsilon(0.05));
  CHECK(field(row, "rejection_probability") == 0.0);
}

TEST_CASE("Pool averages count every environment over the horizon: a hand-checked case", "[study][pool]") {
  // Constant arrivals 10 s apart for 30 s (at 0, 10, 20 s); init 1 s, run 2 s;
  // keep-alive 5 s. Request 0 cold: busy 0-3 s, idle 3-8 s, reaped at 8 s.
  // Request 1 cold again at 10 s: busy 10-13, reaped 18. Request 2 likewise:
  // busy 20-23, idle until the run ends at 23 s. Horizon 0-23 s: alive
  // 8 + 8 + 3 = 19 s, busy 9 s.
  auto summary = hand_checked_summary("");
  auto const& sc = summary.at("scenarios").at(0).as_object();
  auto const& row = sc.at("functions").at(0).as_object();
  CHECK(sc.at("horizon_s").to_number<double>() == 23.0);
  CHECK(field(row, "avg_instances") == Approx(19.0 / 23.0).epsilon(1e-12));
  CHECK(field(row, "avg_busy_instances") == Approx(9.0 / 23.0).epsilon(1e-12));
  CHECK(field(row, "avg_idle_instances") == Approx(10.0 / 23.0).epsilon(1e-12));
  CHECK(field(row, "cold_start_probability") == 1.0);
  CHECK(field(row, "lifetime_mean_s") == Approx(19.0 / 3.0).epsilon(1e-12));
  CHECK(field(row, "lifetime_p50_s") == 8.0);
  CHECK(field(row, "lifetime_p99_s") == 8.0);
}

TEST_CASE("warm_up_s leaves the start of each run out of the pool averages", "[study][pool]") {
  // As above, measured from 10 s: alive 8 (10-18) + 3 (20-23) = 11 s over 13 s; busy 6 s.
  auto summary = hand_checked_summary(R"("warm_up_s": 10,)");
  auto const& sc = summary.at("scenarios").at(0).as_object();
  auto const& row = sc.at("functions").at(0).as_object();
  CHECK(sc.at("horizon_s").to_number<double>() == 13.0);
  CHECK(field(row, "avg_instances") == Approx(11.0 / 13.0).epsilon(1e-12));
  CHECK(field(row, "avg_busy_instances") == Approx(6.0 / 13.0).epsilon(1e-12));
  CHECK(field(row, "lifetime_mean_s") == Approx(5.5).epsilon(1e-12));  // the two created from 10 s on: 8 and 3
}

TEST_CASE("rejection_probability is the throttled share of the requests", "[study][pool]") {
  // A thread group of 4 simultaneous requests, 5 times a second apart, with a
  // reserved concurrency of 1: each time one runs and three are throttled.
  auto s = parse(R"({
    "functions": {"F": {"init_ms": 100, "run_ms": 200, "reserved_concurrency": 1}},
    "workloads": {"w": {"function": "F", "threads": 4, "loops": 5, "pause_s": 1}}
  })");
  auto row = function_row(s);
  CHECK(field(row, "invocations") == 20);
  CHECK(field(row, "throttled") == 15);
  CHECK(field(row, "rejection_probability") == 0.75);
  CHECK(field(row, "cold_start_probability") == 0.2);  // the first of five served requests
}

TEST_CASE("docs/studies.md shows the function-pool example studies as they are", "[study][pool][docs]") {
  auto doc = text_of(std::string(STEPSIM_SOURCE_DIR) + "/docs/studies.md");
  for (auto file : {"simfaas.json", "steady-100.json"}) {
    INFO(file);
    CHECK(doc.find("```json\n" + text_of(examples + file) + "```") != std::string::npos);
  }
}

namespace {

std::string only_error(std::string const& text) {
  auto r = study::parse_study(text, std::string(STEPSIM_SOURCE_DIR) + "/examples/coldstart-accumulation");
  REQUIRE_FALSE(r.value);
  REQUIRE(r.errors.size() == 1);
  return r.errors[0].pointer + ": " + r.errors[0].message;
}

}  // namespace

TEST_CASE("A function workload is refused where it is wrong", "[study][pool][parse]") {
  CHECK(only_error(R"({"workflows": {"single-step": {"definition": "single-step.asl.json"}},
    "functions": {"HelloFunction": {}},
    "workloads": {"w": {"workflow": "single-step", "function": "HelloFunction"}}})") ==
        "/workloads/w/function: a workload names either 'workflow' (executions) or 'function' (direct "
        "invocations), not both");
  CHECK(only_error(R"({"functions": {"F": {}}, "workloads": {"w": {"function": "G"}}})") ==
        "/workloads/w/function: no function named 'G' in 'functions'");
  CHECK(only_error(R"({"functions": {"F": {}}, "workloads": {"w": {"type": "poisson"}}})") ==
        ": a study needs 'workflows': the workflows it runs");
}

TEST_CASE("A function workload's trace has no workflow column", "[study][pool][parse]") {
  auto dir = std::filesystem::temp_directory_path() / "stepsim-function-trace";
  std::filesystem::create_directories(dir);
  {
    std::ofstream(dir / "with-workflow.csv", std::ios::binary) << "start,workflow\r\n1,wf\r\n";
    std::ofstream(dir / "plain.csv", std::ios::binary) << "\xEF\xBB\xBFstart\r\n\"1.5\"\r\n0.25\r\n";
  }
  auto r = study::parse_study(R"({"functions": {"F": {}},
    "workloads": {"w": {"function": "F", "type": "trace", "file": "with-workflow.csv"}}})", dir.string());
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].pointer == "/workloads/w/file");
  CHECK(r.errors[0].message.ends_with("names the workflow 'wf', but this workload invokes the function 'F' directly: "
                                      "leave its 'workflow' column out"));
  auto ok = study::parse_study(R"({"functions": {"F": {"run_ms": 10, "init_ms": 100}},
    "workloads": {"w": {"function": "F", "type": "trace", "file": "plain.csv"}}})", dir.string());
  REQUIRE(ok.value);
  auto row = function_row(*ok.value);
  CHECK(field(row, "invocations") == 2);
  CHECK(field(row, "cold") == 1);  // 0.25 s cold (ends at 0.36 s), 1.5 s warm
}
