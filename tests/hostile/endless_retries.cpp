// Hostile definitions: retries that would never end and delays past the end of time.
#include <stepsim/engine/engine.hpp>

#include "engine/harness.hpp"

#include <catch2/catch.hpp>

using stepsim::engine::execution_options;
using stepsim::engine::execution_status;
using stepsim::engine::execution_type;
using stepsim::engine::history_level;
using stepsim::test::harness;
using stepsim::test::iso;

namespace {

// A Task whose handler always fails, retried (nearly) without end.
std::string failing_task(std::string_view retrier) {
  return R"({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::test:fail",
             "Retry": [)" + std::string(retrier) + R"(], "End": true}}})";
}

void always_fail(harness& h) {
  h.tasks.add("arn:aws:states:::test:fail", [](boost::json::value const&) -> boost::json::value {
    throw stepsim::tasks::task_error("Boom", "always");
  });
}

constexpr char const* huge_retrier =
    R"({"ErrorEquals": ["States.ALL"], "MaxAttempts": 99999999, "IntervalSeconds": 99999999, "BackoffRate": 2})";
constexpr char const* every_second =
    R"({"ErrorEquals": ["States.ALL"], "MaxAttempts": 99999999, "IntervalSeconds": 1, "BackoffRate": 1})";

}  // namespace

TEST_CASE("MaxAttempts 99999999 every 99999999 s times a Standard execution out after one year", "[hostile][engine]") {
  harness h;
  always_fail(h);
  auto r = h.run(failing_task(huge_retrier));
  CHECK(r.status == execution_status::timed_out);
  CHECK(r.error == "States.Timeout");
  // 2024 is a leap year: 365 days after 2024-01-01 is 2024-12-31.
  CHECK(iso(r.stop_date) == "2024-12-31T00:00:00.000Z");
}

TEST_CASE("The largest interval, BackoffRate and FULL jitter time a Standard execution out after one year",
          "[hostile][engine]") {
  harness h;
  always_fail(h);
  auto r = h.run(failing_task(
      R"({"ErrorEquals": ["States.ALL"], "MaxAttempts": 80, "IntervalSeconds": 99999999, "BackoffRate": 1e9,
          "JitterStrategy": "FULL"})"));
  CHECK(r.status == execution_status::timed_out);
  CHECK(iso(r.stop_date) == "2024-12-31T00:00:00.000Z");
}

TEST_CASE("A top-level TimeoutSeconds past one year is cut to the year a Standard execution may run", "[hostile][engine]") {
  harness h;
  auto r = h.run(R"({"TimeoutSeconds": 99999999, "StartAt": "W",
                     "States": {"W": {"Type": "Wait", "Seconds": 99999999, "End": true}}})");
  CHECK(r.status == execution_status::timed_out);
  CHECK(r.error == "States.Timeout");
  CHECK(iso(r.stop_date) == "2024-12-31T00:00:00.000Z");
}

TEST_CASE("Retrying every second fails a Standard execution at its 25,000th event, history on or off", "[hostile][engine]") {
  for (auto level : {history_level::off, history_level::summary}) {
    harness h;
    always_fail(h);
    execution_options o;
    o.history = level;
    auto r = h.run(failing_task(every_second), "{}", o);
    CHECK(r.status == execution_status::failed);
    CHECK(r.error == "States.Runtime");
    CHECK(r.cause == "The execution reached the maximum number of history events (25000).");
    // ExecutionStarted, TaskStateEntered, then 3 events per attempt: the
    // 24,999th event is the Scheduled event of attempt 8,333, so that
    // attempt never starts and 8,332 retries (one second each) were waited.
    CHECK(iso(r.stop_date) == "2024-01-01T02:18:52.000Z");
    if (level == history_level::summary) {
      REQUIRE(r.events.size() == 25000);
      CHECK(r.events.back().id == 25000);
      CHECK(r.events.back().type == "ExecutionFailed");
      CHECK(r.events[24998].type == "TaskScheduled");
    }
  }
}

TEST_CASE("An Express execution retrying without end times out after five minutes", "[hostile][engine]") {
  for (auto const* retrier : {huge_retrier, every_second}) {
    harness h;
    always_fail(h);
    execution_options o;
    o.type = execution_type::express;
    auto r = h.run(failing_task(retrier), "{}", o);
    CHECK(r.status == execution_status::timed_out);
    CHECK(r.error == "States.Timeout");
    CHECK(iso(r.stop_date) == "2024-01-01T00:05:00.000Z");
  }
}

TEST_CASE("Task events are numbered with history off too: causes quote the same event id at every level",
          "[hostile][engine]") {
  for (auto level : {history_level::off, history_level::full}) {
    harness h;
    h.tasks.add("arn:aws:states:::test:echo", [](boost::json::value const& in) { return in; });
    execution_options o;
    o.history = level;
    auto r = h.run(R"({"StartAt": "T", "States": {
                       "T": {"Type": "Task", "Resource": "arn:aws:states:::test:echo", "Next": "P"},
                       "P": {"Type": "Pass", "InputPath": "$.missing", "End": true}}})",
                   "{}", o);
    CHECK(r.status == execution_status::failed);
    // ExecutionStarted, TaskStateEntered, TaskScheduled, TaskStarted, TaskSucceeded, TaskStateExited, then #7.
    CHECK(r.cause.value_or("").starts_with("An error occurred while executing the state 'P' (entered at the event id #7)."));
  }
}
