// execution::stop: AWS's StopExecution, and children of .sync Tasks stopped with their parent.
#include <stepsim/engine/state_machines.hpp>

#include "engine/harness.hpp"

#include <catch2/catch.hpp>

using stepsim::engine::execution_options;
using stepsim::engine::execution_status;
using stepsim::engine::history_level;
using stepsim::test::t0;
using stepsim::test::types;
namespace json = boost::json;
namespace asl = stepsim::asl;
namespace engine = stepsim::engine;
using namespace std::chrono_literals;

namespace {

execution_options full() {
  execution_options o;
  o.history = history_level::full;
  return o;
}

/// A harness whose `start` keeps the execution, so a test can stop it between scheduler turns.
struct stopper {
  stepsim::test::harness h;
  int after = 0;  // calls of arn:aws:states:::after, the Task that follows every wait below
  std::unique_ptr<engine::engine> eng;

  stopper() {
    h.tasks.add("arn:aws:states:::after", [this](json::value const& in) {
      ++after;
      return in;
    });
    eng = std::make_unique<engine::engine>(h.sched, h.tasks);
  }
  std::shared_ptr<engine::execution> start(std::string_view definition, execution_options o = full()) {
    return eng->start(asl::parse_or_throw(definition), json::object{}, std::move(o));
  }
};

std::string const wait_then_task = R"({"StartAt": "W", "States": {
    "W": {"Type": "Wait", "Seconds": 60, "Next": "After"},
    "After": {"Type": "Task", "Resource": "arn:aws:states:::after", "End": true}}})";

}  // namespace

TEST_CASE("stop aborts a waiting execution at once with ExecutionAborted and its error and cause", "[engine][stop]") {
  stopper s;
  auto ex = s.start(wait_then_task);
  s.h.sched.run_until(t0 + 5s);
  REQUIRE(ex->stop("Operator.Cancelled", "changed my mind"));
  auto const& r = ex->result();
  CHECK(ex->done());
  CHECK(r.status == execution_status::aborted);
  CHECK(r.error == "Operator.Cancelled");
  CHECK(r.cause == "changed my mind");
  CHECK(*r.stop_date == t0 + 5s);
  CHECK(types(r.events) == std::vector<std::string>{"ExecutionStarted", "WaitStateEntered", "ExecutionAborted"});
  CHECK(r.events.back().details_key == "executionAbortedEventDetails");
  CHECK(r.events.back().details == json::object{{"error", "Operator.Cancelled"}, {"cause", "changed my mind"}});
  s.h.sched.run();
  // The Wait was cancelled: the clock never reached its end, the next state never ran, nothing was recorded.
  CHECK(s.h.sched.now() == t0 + 5s);
  CHECK(s.after == 0);
  CHECK(r.events.size() == 3);
}

TEST_CASE("stop without error or cause records an ExecutionAborted with empty details", "[engine][stop]") {
  stopper s;
  auto ex = s.start(wait_then_task);
  s.h.sched.run_until(t0 + 1s);
  REQUIRE(ex->stop());
  CHECK(!ex->result().error);
  CHECK(!ex->result().cause);
  CHECK(ex->result().events.back().details.empty());
}

TEST_CASE("stop is idempotent and does nothing to an execution that has ended", "[engine][stop]") {
  stopper s;
  auto ex = s.start(wait_then_task);
  s.h.sched.run_until(t0 + 5s);
  REQUIRE(ex->stop("A", "first"));
  CHECK_FALSE(ex->stop("B", "second"));
  CHECK(ex->result().error == "A");
  CHECK(ex->result().events.size() == 3);

  auto done = s.start(R"({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}})");
  s.h.sched.run();
  REQUIRE(done->result().succeeded());
  CHECK_FALSE(done->stop("X", "too late"));
  CHECK(done->result().succeeded());
  CHECK(types(done->result().events).back() == "ExecutionSucceeded");
}

TEST_CASE("stop before the execution's first turn ends it with no state entered", "[engine][stop]") {
  stopper s;
  auto ex = s.start(wait_then_task);
  REQUIRE(ex->stop());
  s.h.sched.run();
  CHECK(ex->result().status == execution_status::aborted);
  CHECK(types(ex->result().events) == std::vector<std::string>{"ExecutionStarted", "ExecutionAborted"});
  CHECK(ex->result().states_entered == 0);
}

TEST_CASE("stop cancels a pending retry", "[engine][stop]") {
  stopper s;
  int calls = 0;
  s.h.tasks.add("arn:aws:states:::flaky", [&](json::value const&) -> json::value {
    ++calls;
    throw stepsim::tasks::task_error("Flaky", "again");
  });
  auto ex = s.start(R"({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::flaky",
      "Retry": [{"ErrorEquals": ["Flaky"], "IntervalSeconds": 100, "MaxAttempts": 5}], "End": true}}})");
  s.h.sched.run_until(t0 + 10s);
  REQUIRE(ex->stop());
  s.h.sched.run();
  CHECK(calls == 1);
  CHECK(s.h.sched.now() == t0 + 10s);
  CHECK(types(ex->result().events).back() == "ExecutionAborted");
}

TEST_CASE("stop ends a task-token wait: the token is no longer accepted", "[engine][stop]") {
  stopper s;
  std::string token;
  s.h.tasks.add("arn:aws:states:::sqs:sendMessage.waitForTaskToken", [&](json::value const& in) {
    token = std::string(in.at("token").as_string());
    return json::value(json::object{});
  });
  auto ex = s.start(R"({"StartAt": "T", "States": {"T": {"Type": "Task",
      "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
      "Parameters": {"token.$": "$$.Task.Token"}, "End": true}}})");
  s.h.sched.run_until(t0 + 1s);
  REQUIRE(!token.empty());
  REQUIRE(ex->stop());
  s.h.sched.run();
  CHECK_FALSE(s.eng->send_task_success(token, json::object{}));
  CHECK(ex->result().status == execution_status::aborted);
}

TEST_CASE("stop stops every Parallel branch and Map iteration, and nothing is recorded after ExecutionAborted",
          "[engine][stop]") {
  stopper s;
  auto ex = s.start(R"({"StartAt": "Par", "States": {"Par": {"Type": "Parallel", "Next": "M", "Branches": [
      {"StartAt": "W1", "States": {"W1": {"Type": "Wait", "Seconds": 30, "Next": "A1"},
                                   "A1": {"Type": "Task", "Resource": "arn:aws:states:::after", "End": true}}},
      {"StartAt": "W2", "States": {"W2": {"Type": "Wait", "Seconds": 90, "Next": "A2"},
                                   "A2": {"Type": "Task", "Resource": "arn:aws:states:::after", "End": true}}}]},
    "M": {"Type": "Map", "ItemsPath": "$[0]", "ItemProcessor": {"StartAt": "W", "States": {
      "W": {"Type": "Wait", "Seconds": 60, "Next": "A"},
      "A": {"Type": "Task", "Resource": "arn:aws:states:::after", "End": true}}}, "End": true}}})");
  s.h.sched.run_until(t0 + 40s);  // branch 1 done, branch 2 waiting
  CHECK(s.after == 1);
  REQUIRE(ex->stop("E", "C"));
  auto const n = ex->result().events.size();
  s.h.sched.run();
  CHECK(s.after == 1);
  CHECK(s.h.sched.now() == t0 + 40s);
  CHECK(ex->result().events.size() == n);
  CHECK(types(ex->result().events).back() == "ExecutionAborted");
}

namespace {

/// A child that waits a minute, then calls arn:aws:states:::after.
struct nested {
  stopper s;
  engine::state_machines machines;
  nested() {
    machines.add("child", asl::parse_or_throw(wait_then_task));
    machines.bind(s.h.tasks, *s.eng);
  }
  std::string parent(std::string const& resource, std::string const& extra = "") const {
    return R"({"StartAt": "Start", "States": {"Start": {"Type": "Task", "Resource": ")" + resource + R"(",
        "Parameters": {"StateMachineArn": "child", "Name": "kid"}, "Next": "Hold")" + extra + R"(},
        "Hold": {"Type": "Wait", "Seconds": 600, "End": true}}})";
  }
};

}  // namespace

TEST_CASE("Stopping a parent stops the child its .sync Task waits for", "[engine][stop][nested]") {
  for (std::string resource : {"arn:aws:states:::states:startExecution.sync", "arn:aws:states:::states:startExecution.sync:2"}) {
    INFO(resource);
    nested n;
    auto parent = n.s.start(n.parent(resource));
    n.s.h.sched.run_until(t0 + 5s);
    REQUIRE(parent->stop());
    n.s.h.sched.run();
    CHECK(n.s.after == 0);  // the child never got past its Wait
    CHECK(n.s.h.sched.now() == t0 + 5s);
  }
}

TEST_CASE("A .sync child is stopped when its parent's Task times out, and when the parent fails",
          "[engine][stop][nested]") {
  nested n;
  auto timed = n.s.start(n.parent("arn:aws:states:::states:startExecution.sync", R"(, "TimeoutSeconds": 10)"));
  n.s.h.sched.run();
  CHECK(timed->result().status == execution_status::failed);
  CHECK(timed->result().error == "States.Timeout");
  CHECK(n.s.after == 0);

  // A sibling branch fails: the branch waiting for the child is cancelled, and the child stopped.
  n.s.h.tasks.add("arn:aws:states:::boom", [](json::value const&) -> json::value {
    throw stepsim::tasks::task_error("Boom", "sibling failed");
  });
  auto failing = n.s.start(R"({"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [
      {"StartAt": "S", "States": {"S": {"Type": "Task", "Resource": "arn:aws:states:::states:startExecution.sync",
          "Parameters": {"StateMachineArn": "child", "Name": "kid2"}, "End": true}}},
      {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 5, "Next": "B"},
          "B": {"Type": "Task", "Resource": "arn:aws:states:::boom", "End": true}}}]}}})");
  n.s.h.sched.run();
  CHECK(failing->result().error == "Boom");
  CHECK(n.s.after == 0);
  CHECK(n.s.h.sched.now() == t0 + 15s);
}

TEST_CASE("A child started without .sync runs on when its parent is stopped", "[engine][stop][nested]") {
  nested n;
  auto parent = n.s.start(n.parent("arn:aws:states:::states:startExecution"));
  n.s.h.sched.run_until(t0 + 5s);
  REQUIRE(parent->stop());
  n.s.h.sched.run();
  CHECK(n.s.after == 1);
  CHECK(n.s.h.sched.now() == t0 + 60s);
}
