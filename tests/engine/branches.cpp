// Parallel and Map states through the public engine API, in virtual time.
#include <stepsim/engine/engine.hpp>

#include "engine/harness.hpp"

#include <catch2/catch.hpp>

using namespace std::chrono_literals;
using stepsim::engine::execution_options;
using stepsim::engine::execution_status;
using stepsim::engine::history_level;
using stepsim::test::harness;
using stepsim::test::iso;
using stepsim::test::types;
namespace json = boost::json;
namespace asio = boost::asio;
namespace tasks = stepsim::tasks;

namespace {

constexpr char const* sleeper = "arn:aws:states:::sleep";

/// A handler that sleeps `input.ms` milliseconds of simulated time, then
/// returns its input, or fails with `input.fail` when present. It records
/// when each call started and how many were in flight at most.
struct sleeping {
  std::vector<std::string>* starts;
  int* in_flight;
  int* peak;
  asio::awaitable<json::value> operator()(tasks::invocation const& inv) const {
    starts->push_back(iso(inv.scheduler.now()));
    *peak = std::max(*peak, ++*in_flight);
    struct leave {
      int* n;
      ~leave() { --*n; }
    } guard{in_flight};
    json::value in = inv.input;
    co_await inv.scheduler.sleep(std::chrono::milliseconds(in.at("ms").to_number<std::int64_t>()));
    if (auto const* f = in.as_object().if_contains("fail"))
      throw tasks::task_error(std::string(f->as_string()), "item failed");
    co_return in;
  }
};

struct fixture : harness {
  std::vector<std::string> starts;
  int in_flight = 0, peak = 0;
  fixture() { tasks.add_async(sleeper, sleeping{&starts, &in_flight, &peak}); }
};

std::string map_of(std::string const& extra) {
  return R"({"StartAt": "M", "States": {"M": {"Type": "Map", "ItemsPath": "$.items", )" + extra +
         R"("ItemProcessor": {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::sleep", "End": true}}},
         "End": true}}})";
}

}  // namespace

TEST_CASE("Map results keep the input order although later items finish first", "[engine][map]") {
  fixture h;
  auto r = h.run(map_of(""), R"({"items": [{"ms": 300, "i": 0}, {"ms": 100, "i": 1}, {"ms": 200, "i": 2}]})");
  REQUIRE(r.status == execution_status::succeeded);
  CHECK(json::serialize(*r.output) == R"([{"ms":300,"i":0},{"ms":100,"i":1},{"ms":200,"i":2}])");
  CHECK(iso(r.stop_date) == "2024-01-01T00:00:00.300Z");  // concurrent: the longest item
}

TEST_CASE("Map MaxConcurrency 1 runs items one after another", "[engine][map]") {
  fixture h;
  auto r = h.run(map_of(R"("MaxConcurrency": 1, )"), R"({"items": [{"ms": 300}, {"ms": 100}, {"ms": 200}]})");
  REQUIRE(r.status == execution_status::succeeded);
  CHECK(h.starts == std::vector<std::string>{"2024-01-01T00:00:00.000Z", "2024-01-01T00:00:00.300Z",
                                             "2024-01-01T00:00:00.400Z"});
  CHECK(h.peak == 1);
  CHECK(iso(r.stop_date) == "2024-01-01T00:00:00.600Z");
}

TEST_CASE("Map MaxConcurrency 2 keeps two items in flight", "[engine][map]") {
  fixture h;
  auto r = h.run(map_of(R"("MaxConcurrency": 2, )"),
                 R"({"items": [{"ms": 100}, {"ms": 100}, {"ms": 100}, {"ms": 100}, {"ms": 100}]})");
  REQUIRE(r.status == execution_status::succeeded);
  CHECK(h.peak == 2);
  CHECK(iso(r.stop_date) == "2024-01-01T00:00:00.300Z");
}

TEST_CASE("An inline Map runs at most 40 items at once when MaxConcurrency is 0", "[engine][map]") {
  fixture h;
  std::string items;
  for (int i = 0; i < 100; ++i) items += std::string(i ? "," : "") + R"({"ms": 10})";
  auto r = h.run(map_of(""), R"({"items": [)" + items + "]}");
  REQUIRE(r.status == execution_status::succeeded);
  CHECK(h.peak == 40);
  CHECK(iso(r.stop_date) == "2024-01-01T00:00:00.030Z");  // 100 items, 40 at a time
}

TEST_CASE("One failed Map iteration fails the Map at once and cancels the running ones", "[engine][map]") {
  fixture h;
  execution_options o;
  o.history = history_level::summary;
  auto r = h.run(map_of(""), R"({"items": [{"ms": 1000}, {"ms": 100, "fail": "Item.Bad"}, {"ms": 5000}]})", o);
  CHECK(r.status == execution_status::failed);
  CHECK(r.error == "Item.Bad");
  CHECK(iso(r.stop_date) == "2024-01-01T00:00:00.100Z");
  auto t = types(r.events);
  CHECK(std::count(t.begin(), t.end(), "MapIterationFailed") == 1);
  CHECK(std::count(t.begin(), t.end(), "MapIterationAborted") == 2);
  CHECK(std::count(t.begin(), t.end(), "TaskStateAborted") == 2);  // the two running Tasks, as AWS records them
  CHECK(std::count(t.begin(), t.end(), "MapStateFailed") == 1);
}

TEST_CASE("Map ItemSelector sees $$.Map.Item.Index and Value", "[engine][map]") {
  harness h;
  auto r = h.run(R"({"StartAt": "M", "States": {"M": {"Type": "Map", "ItemsPath": "$.xs",
      "ItemSelector": {"i.$": "$$.Map.Item.Index", "v.$": "$$.Map.Item.Value", "tag.$": "$.tag"},
      "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}, "End": true}}})",
                 R"({"xs": ["a", "b"], "tag": 7})");
  REQUIRE(r.status == execution_status::succeeded);
  CHECK(json::serialize(*r.output) == R"([{"i":0,"v":"a","tag":7},{"i":1,"v":"b","tag":7}])");
}

TEST_CASE("Map ToleratedFailureCount lets that many items fail", "[engine][map]") {
  fixture h;
  auto r = h.run(map_of(R"("ToleratedFailureCount": 1, )"), R"({"items": [{"ms": 10}, {"ms": 10, "fail": "X"}]})");
  REQUIRE(r.status == execution_status::succeeded);
  CHECK(json::serialize(*r.output) == R"([{"ms":10},{"Error":"X","Cause":"item failed"}])");
  auto r2 = h.run(map_of(R"("ToleratedFailureCount": 1, )"),
                  R"({"items": [{"ms": 10, "fail": "X"}, {"ms": 10, "fail": "Y"}]})");
  CHECK(r2.error == "States.ExceedToleratedFailureThreshold");
}

TEST_CASE("A Map over a value that is not an array fails with States.Runtime", "[engine][map]") {
  harness h;
  auto r = h.run(R"({"StartAt": "M", "States": {"M": {"Type": "Map", "ItemsPath": "$.xs",
      "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}, "End": true}}})",
                 R"({"xs": {"a": 1}})");
  CHECK(r.status == execution_status::failed);
  CHECK(r.error == "States.Runtime");
}

TEST_CASE("Retry on a Map reruns every item", "[engine][map]") {
  fixture h;
  auto r = h.run(map_of(R"("Retry": [{"ErrorEquals": ["X"], "IntervalSeconds": 2, "MaxAttempts": 1}], )"),
                 R"({"items": [{"ms": 100, "fail": "X"}]})");
  CHECK(r.error == "X");
  CHECK(h.starts == std::vector<std::string>{"2024-01-01T00:00:00.000Z", "2024-01-01T00:00:02.100Z"});
}

TEST_CASE("Parallel outputs are in branch order and the state lasts as long as its longest branch",
          "[engine][parallel]") {
  fixture h;
  auto r = h.run(R"({"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [
      {"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:aws:states:::sleep", "Parameters": {"ms": 500, "b": "A"}, "End": true}}},
      {"StartAt": "B", "States": {"B": {"Type": "Task", "Resource": "arn:aws:states:::sleep", "Parameters": {"ms": 100, "b": "B"}, "End": true}}}]}}})");
  REQUIRE(r.status == execution_status::succeeded);
  CHECK(json::serialize(*r.output) == R"([{"ms":500,"b":"A"},{"ms":100,"b":"B"}])");
  CHECK(iso(r.stop_date) == "2024-01-01T00:00:00.500Z");
  CHECK(h.peak == 2);
}

TEST_CASE("A failing Parallel branch fails the state with its error and cancels the others", "[engine][parallel]") {
  fixture h;
  auto r = h.run(R"({"StartAt": "P", "States": {"P": {"Type": "Parallel", "Branches": [
      {"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:aws:states:::sleep", "Parameters": {"ms": 9000}, "End": true}}},
      {"StartAt": "B", "States": {"B": {"Type": "Task", "Resource": "arn:aws:states:::sleep", "Parameters": {"ms": 100, "fail": "B.Broke"}, "End": true}}}],
      "Catch": [{"ErrorEquals": ["B.Broke"], "ResultPath": "$.err", "Next": "Done"}], "End": true},
      "Done": {"Type": "Pass", "End": true}}})",
                 R"({"x": 1})");
  REQUIRE(r.status == execution_status::succeeded);
  CHECK(json::serialize(*r.output) == R"({"x":1,"err":{"Error":"B.Broke","Cause":"item failed"}})");
  CHECK(iso(r.stop_date) == "2024-01-01T00:00:00.100Z");
}

TEST_CASE("Retry with JitterStrategy FULL draws reproducible delays below the capped backoff", "[engine]") {
  auto delays = [](std::uint64_t seed) {
    fixture h;
    h.engine_opts.seed = seed;
    h.run(R"({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::sleep",
        "Parameters": {"ms": 0, "fail": "X"}, "End": true,
        "Retry": [{"ErrorEquals": ["X"], "IntervalSeconds": 10, "MaxAttempts": 3, "JitterStrategy": "FULL"}]}}})");
    return h.starts;
  };
  auto a = delays(1), b = delays(1), c = delays(2);
  CHECK(a == b);
  CHECK(a != c);
  REQUIRE(a.size() == 4);
  // Each retry waits at most 10, 20, 40 s after the previous failure.
  auto secs = [](std::string const& t) { return std::stod(t.substr(17, 6)) + 60 * std::stod(t.substr(14, 2)); };
  CHECK(secs(a[1]) - secs(a[0]) <= 10.0);
  CHECK(secs(a[2]) - secs(a[1]) <= 20.0);
  CHECK(secs(a[3]) - secs(a[2]) <= 40.0);
}

TEST_CASE("Retry IntervalSeconds 3, BackoffRate 2, MaxDelaySeconds 4 waits 3, 4, 4", "[engine]") {
  fixture h;
  h.run(R"({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::sleep",
      "Parameters": {"ms": 0, "fail": "X"}, "End": true,
      "Retry": [{"ErrorEquals": ["X"], "IntervalSeconds": 3, "BackoffRate": 2, "MaxDelaySeconds": 4, "MaxAttempts": 3}]}}})");
  CHECK(h.starts == std::vector<std::string>{"2024-01-01T00:00:00.000Z", "2024-01-01T00:00:03.000Z",
                                             "2024-01-01T00:00:07.000Z", "2024-01-01T00:00:11.000Z"});
}

TEST_CASE("An execution timeout cancels the running Map iterations at once", "[engine][map]") {
  fixture h;
  auto r = h.run(R"({"TimeoutSeconds": 10, "StartAt": "M", "States": {"M": {"Type": "Map", "ItemsPath": "$.items",
      "ItemProcessor": {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::sleep", "End": true}}},
      "End": true}}})",
                 R"({"items": [{"ms": 100000}, {"ms": 200000}]})");
  CHECK(r.status == execution_status::timed_out);
  CHECK(iso(r.stop_date) == "2024-01-01T00:00:10.000Z");
  CHECK(h.in_flight == 0);  // both sleeps were cancelled, not left running
  CHECK(h.sched.pending_timers() == 0);
}

TEST_CASE("A Task timeout inside a Parallel branch cancels only that Task", "[engine][parallel]") {
  fixture h;
  auto r = h.run(R"({"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [
      {"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:aws:states:::sleep", "Parameters": {"ms": 60000},
        "TimeoutSeconds": 2, "Catch": [{"ErrorEquals": ["States.Timeout"], "Next": "Late"}], "End": true},
        "Late": {"Type": "Pass", "Result": "late", "End": true}}},
      {"StartAt": "B", "States": {"B": {"Type": "Task", "Resource": "arn:aws:states:::sleep", "Parameters": {"ms": 5000}, "End": true}}}]}}})");
  REQUIRE(r.status == execution_status::succeeded);
  CHECK(json::serialize(*r.output) == R"(["late",{"ms":5000}])");
  CHECK(iso(r.stop_date) == "2024-01-01T00:00:05.000Z");
}
