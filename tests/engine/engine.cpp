#include <stepsim/engine/engine.hpp>

#include "engine/harness.hpp"

#include <catch2/catch.hpp>

#include <regex>
#include <stdexcept>

using namespace std::chrono_literals;
using stepsim::engine::execution_options;
using stepsim::engine::execution_result;
using stepsim::engine::execution_status;
using stepsim::test::harness;
using stepsim::test::iso;
using stepsim::test::t0;
namespace json = boost::json;
namespace asio = boost::asio;
namespace tasks = stepsim::tasks;

namespace {

constexpr char const* work = "arn:aws:states:::work";

/// One Task state T on `work` with the given extra fields.
std::string one_task(std::string_view fields = {}) {
  std::string extra = fields.empty() ? "" : std::string(fields) + ", ";
  return R"({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::work", )" + extra +
         R"("End": true}}})";
}

/// A handler that records the scheduler time of each call and always fails with `error`.
struct failing {
  stepsim::sim::scheduler& sched;
  std::vector<std::string>& calls;
  std::string error;
  json::value operator()(json::value const&) const {
    calls.push_back(iso(sched.now()));
    throw tasks::task_error(error, "attempt " + std::to_string(calls.size()));
  }
};

}  // namespace

// ---- Task handlers ---------------------------------------------------------

TEST_CASE("A plain Task handler's result becomes the state's output at once", "[engine]") {
  harness h;
  h.tasks.add(work, [](json::value const& in) { return json::value{{"echo", in}}; });
  auto r = h.run(one_task(), R"({"a": 1})");
  REQUIRE(r.succeeded());
  CHECK(*r.output == json::parse(R"({"echo": {"a": 1}})"));
  CHECK(iso(r.stop_date) == "2024-01-01T00:00:00.000Z");
}

TEST_CASE("A consuming Task handler is given the effective input and its result becomes the output", "[engine]") {
  harness h;
  h.tasks.add_consuming(work, [](json::value in) {
    in.as_object()["seen"] = true;
    return in;
  });
  auto r = h.run(one_task(R"("ResultPath": "$.r")"), R"({"a": 1})");
  REQUIRE(r.succeeded());
  CHECK(*r.output == json::parse(R"({"a": 1, "r": {"a": 1, "seen": true}})"));
  CHECK(r.input == json::parse(R"({"a": 1})"));  // the execution's input is not consumed
}

TEST_CASE("A consuming Task handler retried is given the same input on every attempt", "[engine]") {
  harness h;
  std::vector<json::value> seen;
  h.tasks.add_consuming(work, [&seen](json::value in) {
    seen.push_back(in);
    if (seen.size() < 3) throw tasks::task_error("Flaky", "again");
    return in;
  });
  auto r = h.run(one_task(R"("Retry": [{"ErrorEquals": ["Flaky"], "IntervalSeconds": 1, "MaxAttempts": 2}])"),
                 R"({"a": 1})");
  REQUIRE(r.succeeded());
  CHECK(seen == std::vector<json::value>(3, json::parse(R"({"a": 1})")));
  CHECK(*r.output == json::parse(R"({"a": 1})"));
}

TEST_CASE("A handler added, replaced or removed between executions of one engine is the one the next uses",
          "[engine]") {
  harness h;
  stepsim::engine::engine eng(h.sched, h.tasks, h.engine_opts);
  auto machine = stepsim::asl::parse_or_throw(one_task());
  auto output = [&] {
    auto r = eng.run(machine, json::object{}, {});
    return r.succeeded() ? *r.output : json::value(r.error.value_or("?"));
  };
  CHECK(output() == json::value("States.TaskFailed"));  // no handler yet
  h.tasks.add(work, [](json::value const&) { return json::value("first"); });
  CHECK(output() == json::value("first"));
  h.tasks.add(work, [](json::value const&) { return json::value("second"); });
  CHECK(output() == json::value("second"));
  h.tasks.add("arn:aws:states:::*", [](json::value const&) { return json::value("pattern"); });
  CHECK(output() == json::value("second"));  // the exact one still wins
  REQUIRE(h.tasks.remove(work));
  CHECK(output() == json::value("pattern"));
  REQUIRE(h.tasks.remove("arn:aws:states:::*"));
  CHECK(output() == json::value("States.TaskFailed"));
}

TEST_CASE("An async Task handler may take the effective input when no Retry can need it again", "[engine]") {
  harness h;
  h.tasks.add_async(work, [](tasks::invocation const& inv) -> asio::awaitable<json::value> {
    REQUIRE(inv.movable_input != nullptr);
    CHECK(inv.movable_input == &inv.input);
    json::value in = std::move(*inv.movable_input);
    in.as_object()["seen"] = true;
    co_return in;
  });
  auto r = h.run(one_task(R"("ResultPath": "$.r")"), R"({"a": 1})");
  REQUIRE(r.succeeded());
  CHECK(*r.output == json::parse(R"({"a": 1, "r": {"a": 1, "seen": true}})"));
  CHECK(r.input == json::parse(R"({"a": 1})"));  // the execution's input is not consumed
}

TEST_CASE("An async Task handler with a Retry is offered no movable input and sees the same input each attempt",
          "[engine]") {
  harness h;
  std::vector<json::value> seen;
  h.tasks.add_async(work, [&seen](tasks::invocation const& inv) -> asio::awaitable<json::value> {
    CHECK(inv.movable_input == nullptr);
    seen.push_back(inv.input);
    if (seen.size() < 3) throw tasks::task_error("Flaky", "again");
    co_return inv.input;
  });
  auto r = h.run(one_task(R"("Retry": [{"ErrorEquals": ["Flaky"], "IntervalSeconds": 1, "MaxAttempts": 2}])"),
                 R"({"a": 1})");
  REQUIRE(r.succeeded());
  CHECK(seen == std::vector<json::value>(3, json::parse(R"({"a": 1})")));
}

TEST_CASE("An async Task handler with Parameters and a Retry may take the input: each attempt makes it anew",
          "[engine]") {
  harness h;
  std::vector<json::value> seen;
  h.tasks.add_async(work, [&seen](tasks::invocation const& inv) -> asio::awaitable<json::value> {
    REQUIRE(inv.movable_input != nullptr);
    seen.push_back(std::move(*inv.movable_input));
    if (seen.size() < 3) throw tasks::task_error("Flaky", "again");
    co_return seen.back();
  });
  auto r = h.run(one_task(R"("Parameters": {"x.$": "$.a"}, "Retry": [{"ErrorEquals": ["Flaky"], "IntervalSeconds": 1, "MaxAttempts": 2}])"),
                 R"({"a": 1})");
  REQUIRE(r.succeeded());
  CHECK(seen == std::vector<json::value>(3, json::parse(R"({"x": 1})")));
  CHECK(*r.output == json::parse(R"({"x": 1})"));
}

TEST_CASE("An async Task handler that ignores the context object is given the execution name", "[engine]") {
  harness h;
  h.tasks.add_async(
      work,
      [](tasks::invocation const& inv) -> asio::awaitable<json::value> {
        co_return json::value{{"name", inv.execution_name}, {"context_built", !inv.context.is_null()}};
      },
      tasks::context_use::ignores);
  execution_options o;
  o.name = "run-7";
  auto r = h.run(one_task(), "{}", o);
  REQUIRE(r.succeeded());
  CHECK(*r.output == json::parse(R"({"name": "run-7", "context_built": false})"));
}

TEST_CASE("An async Task handler sleeping on the scheduler takes simulated time", "[engine]") {
  harness h;
  h.tasks.add_async(work, [](tasks::invocation const& inv) -> asio::awaitable<json::value> {
    co_await inv.scheduler.sleep(90s);
    co_return json::value{{"resource", inv.resource}, {"state", inv.state_name}, {"input", inv.input}};
  });
  auto r = h.run(one_task(), R"({"a": 1})");
  REQUIRE(r.succeeded());
  CHECK(*r.output == json::parse(R"({"resource": "arn:aws:states:::work", "state": "T", "input": {"a": 1}})"));
  CHECK(iso(r.stop_date) == "2024-01-01T00:01:30.000Z");
}

TEST_CASE("An async Task handler sees the Task's own name in its context object", "[engine]") {
  harness h;
  h.tasks.add_async(work, [](tasks::invocation const& inv) -> asio::awaitable<json::value> {
    co_return json::value{{"name", inv.context.at("Execution").at("Name")}, {"state", inv.context.at("State")}};
  });
  execution_options o;
  o.name = "ctx";
  auto r = h.run(R"({"StartAt": "First", "States": {
      "First": {"Type": "Pass", "Next": "T"},
      "T": {"Type": "Task", "Resource": "arn:aws:states:::work", "End": true}}})",
                 "{}", o);
  REQUIRE(r.succeeded());
  CHECK(*r.output == json::parse(R"({"name": "ctx",
      "state": {"EnteredTime": "2024-01-01T00:00:00.000Z", "Name": "T", "RetryCount": 0}})"));
}

TEST_CASE("A task_error surfaces as the execution's error and cause", "[engine]") {
  harness h;
  h.tasks.add(work, [](json::value const&) -> json::value { throw tasks::task_error("Payment.Declined", "card expired"); });
  auto r = h.run(one_task());
  CHECK(r.status == execution_status::failed);
  CHECK(r.error == "Payment.Declined");
  CHECK(r.cause == "card expired");
}

TEST_CASE("A std::exception from a handler fails the Task with States.TaskFailed and its message", "[engine]") {
  harness h;
  h.tasks.add(work, [](json::value const&) -> json::value { throw std::runtime_error("disk full"); });
  auto r = h.run(one_task());
  CHECK(r.status == execution_status::failed);
  CHECK(r.error == "States.TaskFailed");
  CHECK(r.cause == "disk full");
}

TEST_CASE("A Task with no handler fails with States.TaskFailed naming the resource", "[engine]") {
  harness h;
  auto r = h.run(R"({"StartAt": "T", "States": {"T": {"Type": "Task",
      "Resource": "arn:aws:lambda:us-east-1:123456789012:function:Nope", "End": true}}})");
  CHECK(r.status == execution_status::failed);
  CHECK(r.error == "States.TaskFailed");
  CHECK(r.cause == "No handler is registered for the resource 'arn:aws:lambda:us-east-1:123456789012:function:Nope'. "
                   "Register one with stepsim::tasks::registry::add (C++), or use --echo-tasks with `stepsim run`.");
}

TEST_CASE("A wildcard resource pattern serves every matching Task", "[engine]") {
  harness h;
  h.tasks.add("arn:aws:lambda:*:*:function:Charge*", [](json::value const&) { return json::value("charged"); });
  auto r = h.run(R"({"StartAt": "T", "States": {"T": {"Type": "Task",
      "Resource": "arn:aws:lambda:eu-west-1:123456789012:function:ChargeCard", "End": true}}})");
  REQUIRE(r.succeeded());
  CHECK(*r.output == json::value("charged"));
}

// ---- Retry -----------------------------------------------------------------

TEST_CASE("Retry waits IntervalSeconds times BackoffRate^(n-1) between attempts in simulated time", "[engine]") {
  harness h;
  std::vector<std::string> calls;
  h.tasks.add(work, failing{h.sched, calls, "Boom"});
  auto r = h.run(one_task(R"("Retry": [{"ErrorEquals": ["Boom"], "IntervalSeconds": 2, "MaxAttempts": 3,
                                        "BackoffRate": 3}])"));
  CHECK(calls == std::vector<std::string>{"2024-01-01T00:00:00.000Z", "2024-01-01T00:00:02.000Z",
                                          "2024-01-01T00:00:08.000Z", "2024-01-01T00:00:26.000Z"});
  CHECK(r.status == execution_status::failed);
  CHECK(r.error == "Boom");
  CHECK(r.cause == "attempt 4");
  CHECK(iso(r.stop_date) == "2024-01-01T00:00:26.000Z");
}

TEST_CASE("Retry uses the defaults of 1 s, 3 attempts and backoff 2", "[engine]") {
  harness h;
  std::vector<std::string> calls;
  h.tasks.add(work, failing{h.sched, calls, "Boom"});
  h.run(one_task(R"("Retry": [{"ErrorEquals": ["Boom"]}])"));
  CHECK(calls == std::vector<std::string>{"2024-01-01T00:00:00.000Z", "2024-01-01T00:00:01.000Z",
                                          "2024-01-01T00:00:03.000Z", "2024-01-01T00:00:07.000Z"});
}

TEST_CASE("Retry succeeds when a later attempt succeeds", "[engine]") {
  harness h;
  int n = 0;
  h.tasks.add(work, [&](json::value const&) -> json::value {
    if (++n < 3) throw tasks::task_error("Flaky", "not yet");
    return json::value(n);
  });
  auto r = h.run(one_task(R"("Retry": [{"ErrorEquals": ["Flaky"], "IntervalSeconds": 5}])"));
  REQUIRE(r.succeeded());
  CHECK(*r.output == json::value(3));
  CHECK(iso(r.stop_date) == "2024-01-01T00:00:15.000Z");
}

TEST_CASE("Retry with MaxAttempts 0 never retries", "[engine]") {
  harness h;
  std::vector<std::string> calls;
  h.tasks.add(work, failing{h.sched, calls, "Boom"});
  auto r = h.run(one_task(R"("Retry": [{"ErrorEquals": ["Boom"], "MaxAttempts": 0}])"));
  CHECK(calls == std::vector<std::string>{"2024-01-01T00:00:00.000Z"});
  CHECK(r.error == "Boom");
}

TEST_CASE("Retry: the first retrier whose ErrorEquals matches decides, even when it is exhausted", "[engine]") {
  harness h;
  std::vector<std::string> calls;
  h.tasks.add(work, failing{h.sched, calls, "Boom"});
  auto r = h.run(one_task(R"("Retry": [
      {"ErrorEquals": ["Other"], "IntervalSeconds": 100},
      {"ErrorEquals": ["Boom"], "IntervalSeconds": 3, "MaxAttempts": 1},
      {"ErrorEquals": ["States.ALL"], "IntervalSeconds": 50, "MaxAttempts": 5}])"));
  CHECK(calls == std::vector<std::string>{"2024-01-01T00:00:00.000Z", "2024-01-01T00:00:03.000Z"});
  CHECK(r.error == "Boom");
  CHECK(iso(r.stop_date) == "2024-01-01T00:00:03.000Z");
}

TEST_CASE("Retry caps the backoff at MaxDelaySeconds", "[engine]") {
  harness h;
  std::vector<std::string> calls;
  h.tasks.add(work, failing{h.sched, calls, "Boom"});
  h.run(one_task(R"("Retry": [{"ErrorEquals": ["Boom"], "IntervalSeconds": 1, "BackoffRate": 10,
                               "MaxAttempts": 3, "MaxDelaySeconds": 5}])"));
  CHECK(calls == std::vector<std::string>{"2024-01-01T00:00:00.000Z", "2024-01-01T00:00:01.000Z",
                                          "2024-01-01T00:00:06.000Z", "2024-01-01T00:00:11.000Z"});
}

TEST_CASE("Retry States.ALL matches any error name", "[engine]") {
  harness h;
  std::vector<std::string> calls;
  h.tasks.add(work, failing{h.sched, calls, "Anything.AtAll"});
  auto r = h.run(one_task(R"("Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 1, "IntervalSeconds": 4}])"));
  CHECK(calls == std::vector<std::string>{"2024-01-01T00:00:00.000Z", "2024-01-01T00:00:04.000Z"});
  CHECK(r.error == "Anything.AtAll");
}

TEST_CASE("Retry States.TaskFailed matches a task's own error", "[engine]") {
  harness h;
  std::vector<std::string> calls;
  h.tasks.add(work, failing{h.sched, calls, "Custom"});
  h.run(one_task(R"("Retry": [{"ErrorEquals": ["States.TaskFailed"], "MaxAttempts": 1}])"));
  CHECK(calls.size() == 2);
}

TEST_CASE("Retry States.TaskFailed does not match States.Timeout", "[engine]") {
  harness h;
  std::vector<std::string> calls;
  h.tasks.add(work, failing{h.sched, calls, "States.Timeout"});
  auto r = h.run(one_task(R"("Retry": [{"ErrorEquals": ["States.TaskFailed"], "MaxAttempts": 2}])"));
  CHECK(calls == std::vector<std::string>{"2024-01-01T00:00:00.000Z"});
  CHECK(r.status == execution_status::failed);
  CHECK(r.error == "States.Timeout");
}

TEST_CASE("$$.State.RetryCount in Parameters counts the retries of each attempt", "[engine]") {
  harness h;
  std::vector<json::value> seen;
  h.tasks.add(work, [&](json::value const& in) -> json::value {
    seen.push_back(in);
    if (seen.size() < 3) throw tasks::task_error("Flaky", "x");
    return json::value("ok");
  });
  auto r = h.run(one_task(R"("Parameters": {"n.$": "$$.State.RetryCount"},
                             "Retry": [{"ErrorEquals": ["Flaky"], "MaxAttempts": 2}])"));
  REQUIRE(r.succeeded());
  CHECK(seen == std::vector<json::value>{json::parse(R"({"n": 0})"), json::parse(R"({"n": 1})"),
                                         json::parse(R"({"n": 2})")});
}

TEST_CASE("Task TimeoutSeconds fails a slower handler with States.Timeout at the timeout", "[engine]") {
  harness h;
  h.tasks.add_async(work, [](tasks::invocation const& inv) -> asio::awaitable<json::value> {
    co_await inv.scheduler.sleep(60s);
    co_return json::value("late");
  });
  auto r = h.run(one_task(R"("TimeoutSeconds": 5)"));
  CHECK(r.status == execution_status::failed);
  CHECK(r.error == "States.Timeout");
  CHECK(iso(r.stop_date) == "2024-01-01T00:00:05.000Z");
}

TEST_CASE("Task TimeoutSeconds lets a failing handler fail at once with its own error", "[engine]") {
  harness h;
  h.tasks.add_async(work, [](tasks::invocation const& inv) -> asio::awaitable<json::value> {
    co_await inv.scheduler.sleep(2s);
    throw tasks::task_error("Card.Declined", "expired");
  });
  auto r = h.run(one_task(R"("TimeoutSeconds": 60)"));
  CHECK(r.status == execution_status::failed);
  CHECK(r.error == "Card.Declined");
  CHECK(r.cause == "expired");
  CHECK(iso(r.stop_date) == "2024-01-01T00:00:02.000Z");
}

TEST_CASE("Task TimeoutSeconds lets a faster handler succeed with its result", "[engine]") {
  harness h;
  h.tasks.add_async(work, [](tasks::invocation const& inv) -> asio::awaitable<json::value> {
    co_await inv.scheduler.sleep(3s);
    co_return json::value("on time");
  });
  auto r = h.run(one_task(R"("TimeoutSeconds": 5)"));
  REQUIRE(r.status == execution_status::succeeded);
  CHECK(*r.output == json::value("on time"));
  CHECK(iso(r.stop_date) == "2024-01-01T00:00:03.000Z");
}

// ---- Catch -----------------------------------------------------------------

TEST_CASE("Catch without ResultPath replaces the input with {Error, Cause} and goes to Next", "[engine]") {
  harness h;
  h.tasks.add(work, [](json::value const&) -> json::value { throw tasks::task_error("Boom", "went bang"); });
  auto r = h.run(R"({"StartAt": "T", "States": {
      "T": {"Type": "Task", "Resource": "arn:aws:states:::work", "ResultPath": "$.res",
            "Catch": [{"ErrorEquals": ["Boom"], "Next": "Handle"}], "End": true},
      "Handle": {"Type": "Pass", "End": true}}})",
                 R"({"order": 1})");
  REQUIRE(r.succeeded());
  CHECK(*r.output == json::parse(R"({"Error": "Boom", "Cause": "went bang"})"));
  CHECK(r.path == std::vector<std::string>{"T", "Handle"});
}

TEST_CASE("Catch with ResultPath puts {Error, Cause} inside the state's input", "[engine]") {
  harness h;
  h.tasks.add(work, [](json::value const&) -> json::value { throw std::runtime_error("oops"); });
  auto r = h.run(R"({"StartAt": "T", "States": {
      "T": {"Type": "Task", "Resource": "arn:aws:states:::work", "InputPath": "$.order",
            "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.err", "Next": "Handle"}], "End": true},
      "Handle": {"Type": "Pass", "End": true}}})",
                 R"({"order": {"id": 1}})");
  REQUIRE(r.succeeded());
  CHECK(*r.output == json::parse(R"({"order": {"id": 1}, "err": {"Error": "States.TaskFailed", "Cause": "oops"}})"));
}

TEST_CASE("Catch runs only after the retries are used up", "[engine]") {
  harness h;
  std::vector<std::string> calls;
  h.tasks.add(work, failing{h.sched, calls, "Boom"});
  auto r = h.run(R"({"StartAt": "T", "States": {
      "T": {"Type": "Task", "Resource": "arn:aws:states:::work",
            "Retry": [{"ErrorEquals": ["Boom"], "IntervalSeconds": 10, "MaxAttempts": 2}],
            "Catch": [{"ErrorEquals": ["Boom"], "Next": "Handle"}], "End": true},
      "Handle": {"Type": "Pass", "End": true}}})");
  REQUIRE(r.succeeded());
  CHECK(calls.size() == 3);
  CHECK(*r.output == json::parse(R"({"Error": "Boom", "Cause": "attempt 3"})"));
  CHECK(iso(r.stop_date) == "2024-01-01T00:00:30.000Z");
}

TEST_CASE("Catch States.ALL does not catch a States.Runtime path error", "[engine]") {
  harness h;
  h.tasks.add(work, [](json::value const& in) { return in; });
  auto r = h.run(R"({"StartAt": "T", "States": {
      "T": {"Type": "Task", "Resource": "arn:aws:states:::work", "Parameters": {"x.$": "$.missing"},
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Handle"}], "End": true},
      "Handle": {"Type": "Pass", "End": true}}})");
  CHECK(r.status == execution_status::failed);
  CHECK(r.error == "States.Runtime");
  CHECK(r.cause == "An error occurred while executing the state 'T' (entered at the event id #2). "
                   "The JSONPath '$.missing' specified for the field 'x.$' could not be found in the input '{}'");
  CHECK(r.path == std::vector<std::string>{"T"});
}

TEST_CASE("A negative array index is not found, as AWS answers, and the script index reaches the last element", "[engine]") {
  harness h;
  auto r = h.run(R"({"StartAt": "Sample", "States": {
      "Sample": {"Type": "Pass", "Parameters": {"hoge.$": "$.array[-1].name"}, "End": true}}})",
                 R"({"array": [{"name": "hoge"}]})");
  CHECK(r.status == execution_status::failed);
  CHECK(r.error == "States.Runtime");
  CHECK(r.cause == "An error occurred while executing the state 'Sample' (entered at the event id #2). "
                   "The JSONPath '$.array[-1].name' specified for the field 'hoge.$' could not be found in the input "
                   "'{\"array\":[{\"name\":\"hoge\"}]}'");
  auto last = h.run(R"({"StartAt": "Sample", "States": {
      "Sample": {"Type": "Pass", "Parameters": {"hoge.$": "$.array[(@.length-1)].name"}, "End": true}}})",
                    R"({"array": [{"name": "a"}, {"name": "b"}]})");
  REQUIRE(last.succeeded());
  CHECK(*last.output == json::parse(R"({"hoge": "b"})"));
}

// ---- limits ----------------------------------------------------------------

TEST_CASE("A loop whose exit is never taken is ABORTED by max_transitions", "[engine]") {
  harness h;
  execution_options o;
  o.max_transitions = 100;
  auto r = h.run(R"({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"},
    "B": {"Type": "Choice", "Choices": [{"Variable": "$.stop", "IsPresent": true, "Next": "Done"}], "Default": "A"},
    "Done": {"Type": "Succeed"}}})",
                 "{}", o);
  CHECK(r.status == execution_status::aborted);
  CHECK(r.error == "stepsim.TransitionLimitExceeded");
  CHECK(r.cause == "The execution entered 100 states, the limit set for this run (max_transitions); a loop without "
                   "an exit? Raise the limit if the run is expected to be this long.");
  CHECK(r.states_entered == 100);
  CHECK(r.path.size() == 100);
  CHECK_FALSE(r.output);
}

TEST_CASE("A Wait loop whose exit is never taken is ABORTED by time_budget at the budget's instant", "[engine]") {
  harness h;
  execution_options o;
  o.time_budget = std::chrono::hours(1);
  auto r = h.run(R"({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 60, "Next": "C"},
    "C": {"Type": "Choice", "Choices": [{"Variable": "$.stop", "IsPresent": true, "Next": "Done"}], "Default": "W"},
    "Done": {"Type": "Succeed"}}})", "{}", o);
  CHECK(r.status == execution_status::aborted);
  CHECK(r.error == "stepsim.TimeBudgetExceeded");
  CHECK(r.cause == "The execution was still running after the time budget of this run (3600 s of scheduler time)");
  CHECK(iso(r.stop_date) == "2024-01-01T01:00:00.000Z");
  CHECK(r.states_entered == 119);  // W 60 times, C after each of the first 59
  CHECK(h.sched.pending_timers() == 0);
}

TEST_CASE("Machine TimeoutSeconds ends a longer run TIMED_OUT with States.Timeout", "[engine]") {
  harness h;
  auto r = h.run(R"({"TimeoutSeconds": 10, "StartAt": "W",
                     "States": {"W": {"Type": "Wait", "Seconds": 60, "End": true}}})");
  CHECK(r.status == execution_status::timed_out);
  CHECK(r.error == "States.Timeout");
  CHECK_FALSE(r.cause);
  CHECK(iso(r.stop_date) == "2024-01-01T00:00:10.000Z");
  CHECK(h.sched.pending_timers() == 0);
}

TEST_CASE("Machine TimeoutSeconds does not turn a failure into TIMED_OUT", "[engine]") {
  harness h;
  auto r = h.run(R"({"TimeoutSeconds": 60, "StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Boom"}}})");
  CHECK(r.status == execution_status::failed);
  CHECK(r.error == "Boom");
  CHECK(iso(r.stop_date) == "2024-01-01T00:00:00.000Z");
}

TEST_CASE("An Express execution times out after five minutes", "[engine]") {
  harness h;
  execution_options o;
  o.type = stepsim::engine::execution_type::express;
  o.name = "e1";
  auto r = h.run(R"({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 600, "End": true}}})", "{}", o);
  CHECK(r.status == execution_status::timed_out);
  CHECK(r.error == "States.Timeout");
  CHECK(iso(r.stop_date) == "2024-01-01T00:05:00.000Z");
  CHECK(r.execution_arn.starts_with("arn:aws:states:us-east-1:123456789012:express:StateMachine:e1:"));
}

TEST_CASE("A Standard execution fails when its history reaches 25,000 events", "[engine]") {
  harness h;
  execution_options o;
  o.max_transitions = 0;
  auto r = h.run(R"({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"},
    "B": {"Type": "Choice", "Choices": [{"Variable": "$.stop", "IsPresent": true, "Next": "Done"}], "Default": "A"},
    "Done": {"Type": "Succeed"}}})",
                 "{}", o);
  CHECK(r.status == execution_status::failed);
  CHECK(r.error == "States.Runtime");
  CHECK(r.cause == "The execution reached the maximum number of history events (25000).");
  // ExecutionStarted plus an Entered and an Exited event per state: 24,999
  // events; one more state would need events 25,000 and 25,001.
  CHECK(r.states_entered == 12499);
}

TEST_CASE("Machine TimeoutSeconds longer than the run lets it succeed", "[engine]") {
  harness h;
  auto r = h.run(R"({"TimeoutSeconds": 100, "StartAt": "W",
                     "States": {"W": {"Type": "Wait", "Seconds": 60, "End": true}}})");
  CHECK(r.status == execution_status::succeeded);
  CHECK(iso(r.stop_date) == "2024-01-01T00:01:00.000Z");
}

// ---- names and determinism -------------------------------------------------

TEST_CASE("The same seed gives the same execution name, and a different seed a different one", "[engine]") {
  constexpr char const* def = R"({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}})";
  auto name = [&](std::uint64_t seed) {
    harness h;
    h.engine_opts.seed = seed;
    return h.run(def).name;
  };
  auto a = name(7);
  CHECK(std::regex_match(a, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")));
  CHECK(name(7) == a);
  CHECK(name(8) != a);
}

TEST_CASE("An execution name given in the options is used as is", "[engine]") {
  harness h;
  execution_options o;
  o.name = "my-run";
  auto r = h.run(R"({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}})", "{}", o);
  CHECK(r.name == "my-run");
  CHECK(r.execution_arn == "arn:aws:states:us-east-1:123456789012:execution:StateMachine:my-run");
}

// ---- many executions -------------------------------------------------------

TEST_CASE("Many executions run concurrently on one engine, each calling on_done at its own virtual instant", "[engine]") {
  harness h;
  stepsim::engine::engine eng(h.sched, h.tasks);
  auto machine = stepsim::asl::parse_or_throw(
      R"({"StartAt": "W", "States": {"W": {"Type": "Wait", "SecondsPath": "$.s", "End": true}}})");
  std::vector<std::pair<std::int64_t, std::string>> done;  // (seconds asked, stop date)
  std::vector<std::shared_ptr<stepsim::engine::execution>> running;
  constexpr int n = 50;
  for (int i = 0; i < n; ++i) {
    std::int64_t secs = n - i;  // started first, finishes last
    execution_options o;
    o.name = "e" + std::to_string(i);
    running.push_back(eng.start(machine, json::value{{"s", secs}}, o, [&done, secs](execution_result const& r) {
      CHECK(r.succeeded());
      done.emplace_back(secs, iso(r.stop_date));
    }));
  }
  CHECK_FALSE(running.front()->done());
  CHECK(running.front()->result().status == execution_status::running);
  h.sched.run();
  REQUIRE(done.size() == n);
  for (int i = 0; i < n; ++i) {
    CHECK(done[i].first == i + 1);
    CHECK(done[i].second == iso(t0 + std::chrono::seconds(i + 1)));
  }
  CHECK(iso(h.sched.now()) == "2024-01-01T00:00:50.000Z");
  for (auto const& e : running) CHECK(e->done());
  CHECK(running[0]->result().name == "e0");
}

namespace {

// A Parallel whose second branch fails at once; the third still runs, as
// branches started together do when none of them waits.
constexpr char const* parallel_with_failing_branch = R"({"StartAt": "Par", "States": {
    "Par": {"Type": "Parallel", "End": true, "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Caught"}],
      "Branches": [
        {"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "End": true}}},
        {"StartAt": "B", "States": {"B": {"Type": "Fail", "Error": "Boom", "Cause": "b"}}},
        {"StartAt": "C", "States": {"C": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "End": true}}}]},
    "Caught": {"Type": "Pass", "End": true}}})";

constexpr char const* parallel_of_tasks = R"({"StartAt": "Par", "States": {
    "Par": {"Type": "Parallel", "End": true, "Branches": [
        {"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "End": true}}},
        {"StartAt": "B", "States": {"B": {"Type": "Pass", "Result": 2, "End": true}}},
        {"StartAt": "C", "States": {"C": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "End": true}}}]}}})";

/// The run of `definition` with a plain handler (branches run on one call)
/// and with an awaitable one (branches run as coroutines).
std::pair<execution_result, execution_result> plain_and_awaitable(char const* definition) {
  execution_options o;
  o.history = stepsim::engine::history_level::full;
  o.name = "same";
  harness plain;
  plain.tasks.add("arn:aws:states:::sqs:sendMessage", [](json::value const& in) { return in; });
  harness awaitable;
  awaitable.tasks.add_async("arn:aws:states:::sqs:sendMessage",
                            [](tasks::invocation const& inv) -> asio::awaitable<json::value> { co_return inv.input; });
  return {plain.run(definition, R"({"x": 1})", o), awaitable.run(definition, R"({"x": 1})", o)};
}

void check_same_history(execution_result const& a, execution_result const& b) {
  REQUIRE(a.events.size() == b.events.size());
  for (std::size_t i = 0; i < a.events.size(); ++i) {
    INFO("event " << i);
    CHECK(a.events[i].to_json() == b.events[i].to_json());
  }
}

}  // namespace

TEST_CASE("A Parallel whose branches never wait gives the output and history of branches run as coroutines",
          "[engine]") {
  auto [plain, awaitable] = plain_and_awaitable(parallel_of_tasks);
  REQUIRE(plain.succeeded());
  REQUIRE(awaitable.succeeded());
  CHECK(*plain.output == json::parse(R"([{"x": 1}, 2, {"x": 1}])"));
  CHECK(*plain.output == *awaitable.output);
  CHECK(plain.states_entered == 4);
  check_same_history(plain, awaitable);
}

TEST_CASE("A Parallel branch failing on one call lets the later branches run, as when run as coroutines",
          "[engine]") {
  auto [plain, awaitable] = plain_and_awaitable(parallel_with_failing_branch);
  REQUIRE(plain.succeeded());
  CHECK(*plain.output == json::parse(R"({"Error": "Boom", "Cause": "b"})"));
  CHECK(plain.states_entered == 5);  // Par, A, B, C, Caught
  CHECK(awaitable.states_entered == 5);
  check_same_history(plain, awaitable);
}

TEST_CASE("engine::start called outside the scheduler runs nothing until the scheduler runs", "[engine]") {
  harness h;
  h.tasks.add("arn:aws:states:::sqs:sendMessage", [](json::value const& in) { return in; });
  stepsim::engine::engine eng(h.sched, h.tasks);
  int done = 0;
  auto ex = eng.start(stepsim::asl::parse_or_throw(parallel_of_tasks), json::parse("{}"), {},
                      [&](execution_result const&) { ++done; });
  CHECK_FALSE(ex->done());
  CHECK(ex->result().status == execution_status::running);
  CHECK(ex->result().name.size() == 36);  // the UUID drawn at start
  CHECK(done == 0);
  h.sched.run();
  CHECK(ex->done());
  CHECK(done == 1);
  CHECK(ex->result().succeeded());
}
