#include <stepsim/engine/history.hpp>

#include "engine/harness.hpp"

#include <catch2/catch.hpp>

using stepsim::engine::execution_options;
using stepsim::engine::execution_status;
using stepsim::engine::history_level;
using stepsim::test::harness;
using stepsim::test::iso;
using stepsim::test::types;
namespace json = boost::json;
namespace tasks = stepsim::tasks;

namespace {

constexpr char const* tour = R"({"StartAt": "P", "States": {
    "P": {"Type": "Pass", "Next": "W"},
    "W": {"Type": "Wait", "Seconds": 5, "Next": "T"},
    "T": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "Next": "S"},
    "S": {"Type": "Succeed"}}})";

execution_options at(history_level level) {
  execution_options o;
  o.history = level;
  o.name = "h";
  return o;
}

json::object details(std::string_view text) { return json::parse(text).as_object(); }

}  // namespace

TEST_CASE("History off records no events", "[engine]") {
  harness h;
  h.tasks.add("arn:aws:states:::sqs:sendMessage", [](json::value const& in) { return in; });
  auto r = h.run(tour, "{}", at(history_level::off));
  REQUIRE(r.succeeded());
  CHECK(r.events.empty());
}

TEST_CASE("History summary records every event in order with ids, previous ids and timestamps", "[engine]") {
  harness h;
  h.tasks.add("arn:aws:states:::sqs:sendMessage", [](json::value const& in) { return in; });
  auto r = h.run(tour, R"({"a": 1})", at(history_level::summary));
  REQUIRE(r.succeeded());
  CHECK(types(r.events) == std::vector<std::string>{
                               "ExecutionStarted", "PassStateEntered", "PassStateExited", "WaitStateEntered",
                               "WaitStateExited", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSucceeded",
                               "TaskStateExited", "SucceedStateEntered", "SucceedStateExited", "ExecutionSucceeded"});
  REQUIRE(r.events.size() == 13);
  for (std::size_t i = 0; i < r.events.size(); ++i) {
    CHECK(r.events[i].id == std::int64_t(i + 1));
    // ExecutionStarted and the first StateEntered have previousEventId 0, as on AWS.
    CHECK(r.events[i].previous_event_id == (i <= 1 ? 0 : std::int64_t(i)));
  }
  CHECK(iso(r.events[3].timestamp) == "2024-01-01T00:00:00.000Z");  // WaitStateEntered
  CHECK(iso(r.events[4].timestamp) == "2024-01-01T00:00:05.000Z");  // WaitStateExited
  CHECK(iso(r.events[12].timestamp) == "2024-01-01T00:00:05.000Z");
}

TEST_CASE("History summary details carry names and resources but no payloads", "[engine]") {
  harness h;
  h.tasks.add("arn:aws:states:::sqs:sendMessage", [](json::value const& in) { return in; });
  auto r = h.run(tour, R"({"a": 1})", at(history_level::summary));
  REQUIRE(r.events.size() == 13);
  CHECK(r.events[0].details_key == "executionStartedEventDetails");
  CHECK(r.events[0].details == details(R"({"roleArn": "arn:aws:iam::123456789012:role/StepFunctions-Role"})"));
  CHECK(r.events[1].details_key == "stateEnteredEventDetails");
  CHECK(r.events[1].details == details(R"({"name": "P"})"));
  CHECK(r.events[2].details_key == "stateExitedEventDetails");
  CHECK(r.events[2].details == details(R"({"name": "P"})"));
  CHECK(r.events[6].details_key == "taskScheduledEventDetails");
  CHECK(r.events[6].details ==
        details(R"({"resourceType": "sqs", "resource": "sendMessage", "region": "us-east-1"})"));
  CHECK(r.events[7].details_key == "taskStartedEventDetails");
  CHECK(r.events[7].details == details(R"({"resourceType": "sqs", "resource": "sendMessage"})"));
  CHECK(r.events[8].details_key == "taskSucceededEventDetails");
  CHECK(r.events[8].details == details(R"({"resourceType": "sqs", "resource": "sendMessage"})"));
  CHECK(r.events[12].details_key == "executionSucceededEventDetails");
  CHECK(r.events[12].details.empty());
}

TEST_CASE("History full adds the payloads as JSON text with truncated false", "[engine]") {
  harness h;
  h.tasks.add("arn:aws:states:::sqs:sendMessage", [](json::value const&) { return json::value{{"sent", true}}; });
  auto r = h.run(R"({"StartAt": "P", "States": {
      "P": {"Type": "Pass", "Result": {"b": 2}, "ResultPath": "$.p", "Next": "T"},
      "T": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "Parameters": {"q.$": "$.a"},
            "ResultPath": "$.t", "End": true}}})",
                 R"({"a": 1})", at(history_level::full));
  REQUIRE(r.succeeded());
  REQUIRE(types(r.events) == std::vector<std::string>{"ExecutionStarted", "PassStateEntered", "PassStateExited",
                                                      "TaskStateEntered", "TaskScheduled", "TaskStarted",
                                                      "TaskSucceeded", "TaskStateExited", "ExecutionSucceeded"});
  CHECK(r.events[0].details == details(R"({"input": "{\"a\":1}", "inputDetails": {"truncated": false},
      "roleArn": "arn:aws:iam::123456789012:role/StepFunctions-Role"})"));
  CHECK(r.events[1].details == details(R"({"name": "P", "input": "{\"a\":1}", "inputDetails": {"truncated": false}})"));
  CHECK(r.events[2].details ==
        details(R"({"name": "P", "output": "{\"a\":1,\"p\":{\"b\":2}}", "outputDetails": {"truncated": false}})"));
  CHECK(r.events[4].details == details(R"({"resourceType": "sqs", "resource": "sendMessage", "region": "us-east-1",
      "parameters": "{\"q\":1}"})"));
  CHECK(r.events[6].details == details(R"({"resourceType": "sqs", "resource": "sendMessage",
      "output": "{\"sent\":true}", "outputDetails": {"truncated": false}})"));
  CHECK(r.events[8].details == details(R"({"output": "{\"a\":1,\"p\":{\"b\":2},\"t\":{\"sent\":true}}",
      "outputDetails": {"truncated": false}})"));
}

TEST_CASE("History of a Task on a Lambda function ARN uses LambdaFunction events", "[engine]") {
  harness h;
  constexpr char const* arn = "arn:aws:lambda:us-east-1:123456789012:function:Greet";
  h.tasks.add(arn, [](json::value const&) { return json::value("hi"); });
  auto r = h.run(R"({"StartAt": "T", "States": {"T": {"Type": "Task",
      "Resource": "arn:aws:lambda:us-east-1:123456789012:function:Greet", "End": true}}})",
                 R"({"x": 1})", at(history_level::full));
  REQUIRE(r.succeeded());
  REQUIRE(types(r.events) == std::vector<std::string>{"ExecutionStarted", "TaskStateEntered",
                                                      "LambdaFunctionScheduled", "LambdaFunctionStarted",
                                                      "LambdaFunctionSucceeded", "TaskStateExited",
                                                      "ExecutionSucceeded"});
  CHECK(r.events[2].details_key == "lambdaFunctionScheduledEventDetails");
  CHECK(r.events[2].details == details(R"({"resource": "arn:aws:lambda:us-east-1:123456789012:function:Greet",
      "input": "{\"x\":1}", "inputDetails": {"truncated": false}})"));
  CHECK(r.events[3].details_key.empty());
  CHECK(r.events[4].details_key == "lambdaFunctionSucceededEventDetails");
  CHECK(r.events[4].details == details(R"({"output": "\"hi\"", "outputDetails": {"truncated": false}})"));
}

TEST_CASE("History of a failing Task ends TaskFailed then ExecutionFailed, with no StateExited", "[engine]") {
  harness h;
  h.tasks.add("arn:aws:states:::sqs:sendMessage",
              [](json::value const&) -> json::value { throw tasks::task_error("Boom", "bang"); });
  auto r = h.run(R"({"StartAt": "T", "States": {"T": {"Type": "Task",
      "Resource": "arn:aws:states:::sqs:sendMessage", "End": true}}})",
                 "{}", at(history_level::summary));
  CHECK(r.status == execution_status::failed);
  REQUIRE(types(r.events) == std::vector<std::string>{"ExecutionStarted", "TaskStateEntered", "TaskScheduled",
                                                      "TaskStarted", "TaskFailed", "ExecutionFailed"});
  CHECK(r.events[4].details_key == "taskFailedEventDetails");
  CHECK(r.events[4].details ==
        details(R"({"resourceType": "sqs", "resource": "sendMessage", "error": "Boom", "cause": "bang"})"));
  CHECK(r.events[5].details_key == "executionFailedEventDetails");
  CHECK(r.events[5].details == details(R"({"error": "Boom", "cause": "bang"})"));
}

TEST_CASE("History of a retried Task repeats Scheduled, Started, Failed for each attempt", "[engine]") {
  harness h;
  int n = 0;
  h.tasks.add("arn:aws:states:::sqs:sendMessage", [&](json::value const&) -> json::value {
    if (++n < 2) throw tasks::task_error("Flaky", "x");
    return json::value(n);
  });
  auto r = h.run(R"({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
      "Retry": [{"ErrorEquals": ["Flaky"], "IntervalSeconds": 3}], "End": true}}})",
                 "{}", at(history_level::summary));
  REQUIRE(r.succeeded());
  REQUIRE(types(r.events) == std::vector<std::string>{"ExecutionStarted", "TaskStateEntered", "TaskScheduled",
                                                      "TaskStarted", "TaskFailed", "TaskScheduled", "TaskStarted",
                                                      "TaskSucceeded", "TaskStateExited", "ExecutionSucceeded"});
  CHECK(iso(r.events[4].timestamp) == "2024-01-01T00:00:00.000Z");
  CHECK(iso(r.events[5].timestamp) == "2024-01-01T00:00:03.000Z");
}

TEST_CASE("History of a Fail state ends FailStateEntered then ExecutionFailed", "[engine]") {
  harness h;
  auto r = h.run(R"({"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E", "Cause": "C"}}})", "{}",
                 at(history_level::summary));
  REQUIRE(types(r.events) == std::vector<std::string>{"ExecutionStarted", "FailStateEntered", "ExecutionFailed"});
  CHECK(r.events[2].details == details(R"({"error": "E", "cause": "C"})"));
}

TEST_CASE("History of a timed-out execution ends ExecutionTimedOut with States.Timeout", "[engine]") {
  harness h;
  auto r = h.run(R"({"TimeoutSeconds": 1, "StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 9, "End": true}}})",
                 "{}", at(history_level::summary));
  REQUIRE(types(r.events) == std::vector<std::string>{"ExecutionStarted", "WaitStateEntered", "ExecutionTimedOut"});
  CHECK(r.events[2].details_key == "executionTimedOutEventDetails");
  CHECK(r.events[2].details == details(R"({"error": "States.Timeout"})"));
  CHECK(iso(r.events[2].timestamp) == "2024-01-01T00:00:01.000Z");
}

TEST_CASE("History of an aborted execution ends ExecutionAborted", "[engine]") {
  harness h;
  auto o = at(history_level::summary);
  o.max_transitions = 1;
  auto r = h.run(R"({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "C"},
    "C": {"Type": "Choice", "Choices": [{"Variable": "$.stop", "IsPresent": true, "Next": "Done"}], "Default": "A"},
    "Done": {"Type": "Succeed"}}})", "{}", o);
  CHECK(r.status == execution_status::aborted);
  REQUIRE(types(r.events) ==
          std::vector<std::string>{"ExecutionStarted", "PassStateEntered", "PassStateExited", "ExecutionAborted"});
  CHECK(r.events[3].details_key == "executionAbortedEventDetails");
  CHECK(r.events[3].details.at("error") == "stepsim.TransitionLimitExceeded");
}

TEST_CASE("A runtime error's cause quotes the id its StateEntered event has in the history", "[engine]") {
  harness h;
  auto r = h.run(R"({"StartAt": "A", "States": {
      "A": {"Type": "Wait", "Seconds": 1, "Next": "B"},
      "B": {"Type": "Pass", "InputPath": "$.nope", "End": true}}})",
                 "{}", at(history_level::summary));
  REQUIRE(r.events.size() == 5);
  CHECK(r.events[3].type == "PassStateEntered");
  CHECK(r.events[3].id == 4);
  CHECK(r.cause == "An error occurred while executing the state 'B' (entered at the event id #4). "
                   "Invalid path '$.nope' : No results for path: $['nope']");
}

TEST_CASE("history_event::to_json prints an event as GetExecutionHistory does", "[engine]") {
  stepsim::engine::history_event e;
  e.id = 3;
  e.previous_event_id = 2;
  e.timestamp = stepsim::test::t0 + std::chrono::milliseconds(1500);
  e.type = "PassStateExited";
  e.details_key = "stateExitedEventDetails";
  e.details = details(R"({"name": "P"})");
  CHECK(json::value(e.to_json()) == json::parse(R"({"timestamp": "2024-01-01T00:00:01.500Z",
      "type": "PassStateExited", "id": 3, "previousEventId": 2, "stateExitedEventDetails": {"name": "P"}})"));
  stepsim::engine::history_event bare;
  bare.id = 1;
  bare.type = "LambdaFunctionStarted";
  CHECK(json::value(stepsim::engine::history_to_json({bare})) == json::parse(R"({"events": [
      {"timestamp": "1970-01-01T00:00:00.000Z", "type": "LambdaFunctionStarted", "id": 1, "previousEventId": 0}]})"));
}
