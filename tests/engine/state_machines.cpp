#include <stepsim/engine/state_machines.hpp>

#include "engine/harness.hpp"

#include <stepsim/asl/parse.hpp>

#include <catch2/catch.hpp>

using stepsim::engine::execution_options;
using stepsim::engine::execution_status;
using stepsim::engine::history_level;
using stepsim::test::t0;
namespace json = boost::json;
namespace asl = stepsim::asl;
namespace engine = stepsim::engine;
using namespace std::chrono_literals;

namespace {

/// A parent whose Task starts the machine "child" with `resource` and passes
/// its own input (plus the id of the parent) as the child's input.
std::string parent(std::string const& resource, std::string const& extra = "") {
  return R"({"StartAt": "Start", "States": {"Start": {"Type": "Task", "Resource": ")" + resource + R"(",
      "Parameters": {"StateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:child", "Name": "kid",
                     "Input": {"n.$": "$.n", "AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$": "$$.Execution.Id"}},
      "End": true)" + extra + "}}}";
}

/// A child that waits a minute, then doubles n (or fails when n is negative).
std::string const child = R"j({"StartAt": "Wait", "States": {
    "Wait": {"Type": "Wait", "Seconds": 60, "Next": "Check"},
    "Check": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericLessThan": 0, "Next": "Fail"}],
              "Default": "Double"},
    "Fail": {"Type": "Fail", "Error": "Negative", "Cause": "n < 0"},
    "Double": {"Type": "Pass", "Parameters": {"n.$": "States.MathAdd($.n, $.n)",
               "by.$": "$.AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID"}, "End": true}}})j";

struct nested {
  stepsim::test::harness h;
  engine::state_machines machines;
  engine::execution_result run(std::string const& definition, std::string const& input) {
    engine::engine eng(h.sched, h.tasks);
    machines.add("child", asl::parse_or_throw(child));
    machines.bind(h.tasks, eng);
    return eng.run(asl::parse_or_throw(definition), json::parse(input));
  }
};

std::string const parent_arn = "arn:aws:states:us-east-1:123456789012:execution:StateMachine:";

}  // namespace

TEST_CASE(".sync waits for the child and returns it with Output as JSON text", "[engine][nested]") {
  nested n;
  auto r = n.run(parent("arn:aws:states:::states:startExecution.sync"), R"({"n": 2})");
  INFO(r.cause.value_or(""));
  REQUIRE(r.succeeded());
  CHECK(*r.stop_date == t0 + 60s);  // the same clock: the child's Wait
  auto const& o = r.output->as_object();
  CHECK(o.at("ExecutionArn") == "arn:aws:states:us-east-1:123456789012:execution:child:kid");
  CHECK(o.at("StateMachineArn") == "arn:aws:states:us-east-1:123456789012:stateMachine:child");
  CHECK(o.at("Status") == "SUCCEEDED");
  CHECK(o.at("Name") == "kid");
  auto output = json::parse(o.at("Output").as_string());
  CHECK(output.at("n") == 4);
  CHECK(std::string(output.at("by").as_string()).starts_with(parent_arn));
  CHECK(o.at("StopDate") == "2024-01-01T00:01:00.000Z");
}

TEST_CASE(".sync:2 gives the child's Output as JSON", "[engine][nested]") {
  nested n;
  auto r = n.run(parent("arn:aws:states:::states:startExecution.sync:2"), R"({"n": 3})");
  REQUIRE(r.succeeded());
  CHECK(r.output->at("Output").at("n") == 6);
}

TEST_CASE("A plain startExecution returns at once with the child's ARN and start date", "[engine][nested]") {
  nested n;
  auto r = n.run(parent("arn:aws:states:::states:startExecution"), R"({"n": 1})");
  REQUIRE(r.succeeded());
  CHECK(*r.output == json::parse(R"({"ExecutionArn": "arn:aws:states:us-east-1:123456789012:execution:child:kid",
                                     "StartDate": "2024-01-01T00:00:00.000Z"})"));
}

TEST_CASE("A failing child fails the .sync Task with States.TaskFailed and its description", "[engine][nested]") {
  nested n;
  auto r = n.run(parent("arn:aws:states:::states:startExecution.sync"), R"({"n": -1})");
  CHECK(r.status == execution_status::failed);
  CHECK(r.error == "States.TaskFailed");
  auto cause = json::parse(*r.cause);
  CHECK(cause.at("Status") == "FAILED");
  CHECK(cause.at("Error") == "Negative");
  CHECK(cause.at("Cause") == "n < 0");
}

TEST_CASE("A .sync Task's TimeoutSeconds ends the wait for a slow child", "[engine][nested]") {
  nested n;
  auto r = n.run(parent("arn:aws:states:::states:startExecution.sync", R"(, "TimeoutSeconds": 10)"), R"({"n": 1})");
  CHECK(r.error == "States.Timeout");
  CHECK(*r.stop_date == t0 + 10s);
}

TEST_CASE("An unknown state machine fails with StateMachineDoesNotExistException", "[engine][nested]") {
  nested n;
  auto r = n.run(R"({"StartAt": "S", "States": {"S": {"Type": "Task",
      "Resource": "arn:aws:states:::states:startExecution.sync:2",
      "Parameters": {"StateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:nobody"}, "End": true}}})",
                 "{}");
  CHECK(r.error == "StepFunctions.StateMachineDoesNotExistException");
  CHECK(r.cause == "State Machine Does Not Exist: 'arn:aws:states:us-east-1:123456789012:stateMachine:nobody'");
}

TEST_CASE(".waitForTaskToken starts the child, which sends the token back", "[engine][nested]") {
  stepsim::test::harness h;
  engine::engine eng(h.sched, h.tasks);
  engine::state_machines machines;
  machines.add("child", asl::parse_or_throw(R"({"StartAt": "Reply", "States": {"Reply": {"Type": "Task",
      "Resource": "arn:aws:states:::reply", "End": true}}})"));
  machines.bind(h.tasks, eng);
  h.tasks.add("arn:aws:states:::reply", [&](json::value const& in) {
    eng.send_task_success(in.at("token").as_string(), json::object{{"from", "child"}});
    return in;
  });
  auto r = eng.run(asl::parse_or_throw(R"({"StartAt": "S", "States": {"S": {"Type": "Task",
      "Resource": "arn:aws:states:::states:startExecution.waitForTaskToken",
      "Parameters": {"StateMachineArn": "child", "Input": {"token.$": "$$.Task.Token"}}, "End": true}}})"),
                   json::object{});
  INFO(r.cause.value_or(""));
  REQUIRE(r.succeeded());
  CHECK(*r.output == json::parse(R"({"from": "child"})"));
}
