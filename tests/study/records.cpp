#include <stepsim/study/records.hpp>

#include <stepsim/json/csv.hpp>

#include <stepsim/study/runner.hpp>

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace study = stepsim::study;
namespace fs = std::filesystem;

namespace {

study::study parse(std::string const& text) {
  auto r = study::parse_study(text, std::string(STEPSIM_SOURCE_DIR) + "/examples/coldstart-accumulation");
  for (auto const& e : r.errors) FAIL_CHECK(e.pointer << ": " << e.message);
  REQUIRE(r.value);
  return std::move(*r.value);
}

fs::path fresh_dir(std::string const& name) {
  auto d = fs::temp_directory_path() / ("stepsim-records-" + name);
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

/// invocations.csv and environments.csv as `stepsim simulate --records` writes them, with `jobs` threads.
std::pair<std::string, std::string> records_of(study::study const& s, int jobs, fs::path const& dir) {
  std::ostringstream inv, env;
  inv << study::invocations_csv_header();
  env << study::environments_csv_header();
  study::run_each(s, jobs, std::nullopt, [&](study::run_result&& r) {
    REQUIRE(r.records);
    REQUIRE(r.records->move_into(inv, env));
  }, {}, dir);
  return {inv.str(), env.str()};
}

std::vector<std::vector<std::string>> rows_of(std::string const& csv) {
  std::vector<std::vector<std::string>> rows;
  stepsim::json::csv_reader in(csv, {.trim_blanks = true});
  std::vector<std::string> r;
  while (in.next(r)) rows.push_back(r);
  REQUIRE(in.error().empty());
  return rows;
}

}  // namespace

TEST_CASE("invocations.csv and environments.csv have a row per request and per environment", "[study][records]") {
  // As in pool_picture.cpp: requests at 0, 10, 20 s, each cold (init 1 s, run 2 s, keep-alive 5 s).
  auto s = parse(R"({
    "functions": {"F": {"init_ms": 1000, "run_ms": 2000}},
    "lambda": {"keep_alive": {"fixed_s": 5}},
    "workloads": {"w": {"function": "F", "type": "constant", "rate_per_s": 0.1, "duration_s": 25}}
  })");
  auto dir = fresh_dir("rows");
  auto [inv, env] = records_of(s, 1, dir);
  auto i = rows_of(inv);
  REQUIRE(i.size() == 4);
  CHECK(i[0] == std::vector<std::string>{"scenario", "replication", "execution", "function", "environment", "start_ms",
                                         "init_ms", "run_ms", "cold", "throttled", "result", "billed_ms", "cost_usd"});
  CHECK(std::vector<std::string>(i[2].begin(), i[2].begin() + 12) ==
        std::vector<std::string>{"baseline", "0", "", "F", "2", "10000", "1000", "2000", "true", "false", "success",
                                 "3000"});
  auto e = rows_of(env);
  REQUIRE(e.size() == 4);
  CHECK(e[0] == std::vector<std::string>{"scenario", "replication", "environment", "function", "kind", "created_ms",
                                         "ready_ms", "destroyed_ms", "why", "invocations"});
  CHECK(e[1] == std::vector<std::string>{"baseline", "0", "1", "F", "on-demand", "0", "1000", "8000", "keep-alive", "1"});
  CHECK(e[3] == std::vector<std::string>{"baseline", "0", "3", "F", "on-demand", "20000", "21000", "", "alive", "1"});
  CHECK(inv.find("\r\n") != std::string::npos);
  // The parts are gone once moved.
  CHECK(fs::is_empty(dir));
}

TEST_CASE("Record files name each request's execution and are identical with 1 and 2 jobs", "[study][records]") {
  auto s = parse(R"({
    "seed": 3, "replications": 3,
    "workflows": {"four-steps": {"definition": "four-steps.asl.json"}},
    "functions": {"*": {"init_ms": {"lognormal": [700, 0.2]}, "run_ms": {"exponential": 80}},
                  "Step1": {}, "Step2": {}, "Step3": {}, "Step4": {}},
    "workloads": {"w": {"workflow": "four-steps", "type": "poisson", "rate_per_s": 5, "duration_s": 20}},
    "scenarios": [{"name": "a"}, {"name": "b", "overrides": {"lambda": {"keep_alive": {"fixed_s": 1}}}}]
  })");
  auto one = records_of(s, 1, fresh_dir("one"));
  auto two = records_of(s, 2, fresh_dir("two"));
  CHECK(one.first == two.first);
  CHECK(one.second == two.second);
  auto rows = rows_of(one.first);
  REQUIRE(rows.size() > 100);
  // Every invocation row of a workflow names its execution (the arrival's index).
  for (std::size_t k = 1; k < rows.size(); ++k) {
    CHECK_FALSE(rows[k][2].empty());
    CHECK(rows[k][2].find_first_not_of("0123456789") == std::string::npos);
  }
}
