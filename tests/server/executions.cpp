#include <stepsim/server/service.hpp>

#include "server/api_client.hpp"

#include <catch2/catch.hpp>

using namespace stepsim::server::test;

namespace {

constexpr char const* pass_machine =
    R"({"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"ok": true}, "ResultPath": "$.r", "End": true}}})";
constexpr char const* wait_machine = R"({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": true}}})";
constexpr char const* callback_machine = R"({"StartAt": "Ask", "States": {"Ask": {"Type": "Task",
  "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
  "Parameters": {"QueueUrl": "q", "MessageBody": {"token.$": "$$.Task.Token"}}, "End": true}}})";

/// The task token a callback Task was given, read from its TaskScheduled event as a client would read its message.
std::string token_of(client& c, std::string const& execution) {
  auto events = c.call("GetExecutionHistory", {{"executionArn", execution}}).at("events").as_array();
  for (auto const& e : events)
    if (e.at("type") == "TaskScheduled") {
      auto params = json::parse(e.at("taskScheduledEventDetails").at("parameters").as_string());
      return std::string(params.at("MessageBody").at("token").as_string());
    }
  FAIL("no TaskScheduled event");
  return {};
}

}  // namespace

TEST_CASE("serve: StartExecution runs the machine, DescribeExecution shows it as AWS does", "[server]") {
  client c;
  auto m = c.create("Hello", pass_machine);
  auto ex = c.start(m, R"({"a": 1})", "first");
  CHECK(ex == "arn:aws:states:us-east-1:123456789012:execution:Hello:first");
  c.settle();
  auto d = c.describe(ex);
  CHECK(d.at("status") == "SUCCEEDED");
  CHECK(d.at("input") == R"({"a":1})");
  CHECK(json::parse(d.at("output").as_string()) == json::parse(R"({"a": 1, "r": {"ok": true}})"));
  CHECK(d.at("inputDetails") == json::parse(R"({"included": true})"));
  CHECK(d.at("startDate") == 1704067200.0);
  CHECK(d.at("stopDate") == 1704067200.0);
  CHECK(d.at("stateMachineArn").as_string() == m);
  CHECK(d.at("redriveCount") == 0);
  auto meta = c.call("DescribeExecution", {{"executionArn", ex}, {"includedData", "METADATA_ONLY"}});
  CHECK_FALSE(meta.contains("input"));
  CHECK_FALSE(meta.contains("output"));
}

TEST_CASE("serve: a repeated execution name is idempotent while running with the same input, ExecutionAlreadyExists otherwise",
          "[server]") {
  client c;
  auto m = c.create("W", wait_machine);
  auto ex = c.start(m, "{}", "once");
  CHECK(c.start(m, "{}", "once") == ex);
  std::string message;
  CHECK(c.error("StartExecution", {{"stateMachineArn", m}, {"name", "once"}, {"input", R"({"x": 1})"}}, &message) ==
        "ExecutionAlreadyExists");
  CHECK(message == "Execution Already Exists: '" + ex + "'");
  CHECK(c.error("StartExecution", {{"stateMachineArn", m}, {"input", "{nope"}}) == "InvalidExecutionInput");
  CHECK(c.error("StartExecution", {{"stateMachineArn", m}, {"name", "bad name"}}) == "InvalidName");
  CHECK(c.error("StartExecution", {{"stateMachineArn", m + "x"}}) == "StateMachineDoesNotExist");
  CHECK(c.error("DescribeExecution", {{"executionArn", ex + "x"}}) == "ExecutionDoesNotExist");
}

TEST_CASE("serve: virtual time moves the clock to the end of a Wait once nothing else can happen", "[server]") {
  client c;
  auto ex = c.start(c.create("W", wait_machine));
  CHECK(c.describe(ex).at("status") == "RUNNING");
  c.settle();
  auto d = c.describe(ex);
  CHECK(d.at("status") == "SUCCEEDED");
  CHECK(d.at("stopDate") == 1704067200.0 + 3600);
}

TEST_CASE("serve: StopExecution aborts a running execution and ends its history with ExecutionAborted", "[server]") {
  client c;
  auto ex = c.start(c.create("W", wait_machine));
  auto stop = c.call("StopExecution", {{"executionArn", ex}, {"error", "Manual"}, {"cause", "test"}});
  CHECK(stop.at("stopDate") == 1704067200.0);
  c.settle();
  auto d = c.describe(ex);
  CHECK(d.at("status") == "ABORTED");
  CHECK(d.at("error") == "Manual");
  CHECK(d.at("cause") == "test");
  auto events = c.call("GetExecutionHistory", {{"executionArn", ex}}).at("events").as_array();
  CHECK(events.back().at("type") == "ExecutionAborted");
  CHECK(events.back().at("executionAbortedEventDetails") == json::parse(R"({"error": "Manual", "cause": "test"})"));
}

TEST_CASE("serve: GetExecutionHistory numbers events, links them, pages them and reverses them", "[server]") {
  client c;
  auto ex = c.start(c.create("H", pass_machine), R"({"a": 1})");
  c.settle();
  auto all = c.call("GetExecutionHistory", {{"executionArn", ex}}).at("events").as_array();
  REQUIRE(all.size() == 4);
  CHECK(all[0] == json::parse(R"({"timestamp": 1704067200.0, "type": "ExecutionStarted", "id": 1, "previousEventId": 0,
    "executionStartedEventDetails": {"input": "{\"a\":1}", "inputDetails": {"truncated": false},
    "roleArn": "arn:aws:iam::123456789012:role/test"}})"));
  CHECK(all[1].at("type") == "PassStateEntered");
  CHECK(all[1].at("previousEventId") == 0);  // as AWS records the first state entered
  CHECK(all[2].at("previousEventId") == 2);
  CHECK(all[3].at("type") == "ExecutionSucceeded");
  auto page1 = c.call("GetExecutionHistory", {{"executionArn", ex}, {"maxResults", 3}, {"reverseOrder", true}});
  REQUIRE(page1.at("events").as_array().size() == 3);
  CHECK(page1.at("events").as_array()[0].at("id") == 4);
  auto page2 = c.call("GetExecutionHistory",
                      {{"executionArn", ex}, {"maxResults", 3}, {"reverseOrder", true}, {"nextToken", page1.at("nextToken")}});
  REQUIRE(page2.at("events").as_array().size() == 1);
  CHECK(page2.at("events").as_array()[0].at("id") == 1);
  auto bare = c.call("GetExecutionHistory", {{"executionArn", ex}, {"includeExecutionData", false}}).at("events").as_array();
  CHECK_FALSE(bare[0].at("executionStartedEventDetails").as_object().contains("input"));
}

TEST_CASE("serve: ListExecutions lists newest first, filters by status and pages", "[server]") {
  client c;
  auto m = c.create("L", wait_machine);
  auto a = c.start(m, "{}", "a");
  auto b = c.start(m, "{}", "b");
  auto e3 = c.start(m, "{}", "c");
  c.call("StopExecution", {{"executionArn", b}});
  auto running = c.call("ListExecutions", {{"stateMachineArn", m}, {"statusFilter", "RUNNING"}}).at("executions").as_array();
  REQUIRE(running.size() == 2);
  CHECK(running[0].at("executionArn").as_string() == e3);
  CHECK(running[1].at("executionArn").as_string() == a);
  auto p1 = c.call("ListExecutions", {{"stateMachineArn", m}, {"maxResults", 2}});
  CHECK(p1.at("executions").as_array().size() == 2);
  auto p2 = c.call("ListExecutions", {{"stateMachineArn", m}, {"maxResults", 2}, {"nextToken", p1.at("nextToken")}});
  CHECK(p2.at("executions").as_array().size() == 1);
  CHECK(p2.at("executions").as_array()[0].at("name") == "a");
  CHECK(c.error("ListExecutions", {}) == "ValidationException");
}

TEST_CASE("serve: StartSyncExecution runs an EXPRESS machine to its end, STANDARD is StateMachineTypeNotSupported", "[server]") {
  client c;
  auto m = c.create("Sync", pass_machine, "EXPRESS");
  auto r = c.call("StartSyncExecution", {{"stateMachineArn", m}, {"input", R"({"a": 2})"}});
  CHECK(r.at("status") == "SUCCEEDED");
  CHECK(json::parse(r.at("output").as_string()) == json::parse(R"({"a": 2, "r": {"ok": true}})"));
  CHECK(r.at("executionArn").as_string().starts_with("arn:aws:states:us-east-1:123456789012:express:Sync:"));
  CHECK(r.at("billingDetails") == json::parse(R"({"billedMemoryUsedInMB": 64, "billedDurationInMilliseconds": 100})"));
  CHECK(c.error("StartSyncExecution", {{"stateMachineArn", c.create("Std", pass_machine)}}) == "StateMachineTypeNotSupported");
}

TEST_CASE("serve: a .waitForTaskToken Task waits for SendTaskSuccess, even in virtual time", "[server]") {
  client c;
  auto ex = c.start(c.create("CB", callback_machine), R"({"n": 1})");
  c.settle();
  CHECK(c.svc->waiting_for_clients());
  CHECK(c.describe(ex).at("status") == "RUNNING");
  auto token = token_of(c, ex);
  CHECK(c.error("SendTaskSuccess", {{"taskToken", "made-up"}, {"output", "{}"}}) == "InvalidToken");
  CHECK(c.error("SendTaskSuccess", {{"taskToken", token}, {"output", "{not json"}}) == "InvalidOutput");
  c.call("SendTaskHeartbeat", {{"taskToken", token}});
  c.call("SendTaskSuccess", {{"taskToken", token}, {"output", R"({"answer": 42})"}});
  c.settle();
  auto d = c.describe(ex);
  CHECK(d.at("status") == "SUCCEEDED");
  CHECK(json::parse(d.at("output").as_string()) == json::parse(R"({"answer": 42})"));
  CHECK(c.error("SendTaskSuccess", {{"taskToken", token}, {"output", "{}"}}) == "TaskTimedOut");
  CHECK_FALSE(c.svc->waiting_for_clients());
}

TEST_CASE("serve: SendTaskFailure fails the waiting Task with the error and cause given", "[server]") {
  client c;
  auto ex = c.start(c.create("CB", callback_machine));
  c.settle();
  c.call("SendTaskFailure", {{"taskToken", token_of(c, ex)}, {"error", "Nope"}, {"cause", "declined"}});
  c.settle();
  auto d = c.describe(ex);
  CHECK(d.at("status") == "FAILED");
  CHECK(d.at("error") == "Nope");
  CHECK(d.at("cause") == "declined");
}

TEST_CASE("serve: DescribeStateMachineForExecution shows the definition the execution ran, after an update", "[server]") {
  client c;
  auto m = c.create("S", pass_machine);
  auto ex = c.start(m);
  c.call("UpdateStateMachine", {{"stateMachineArn", m}, {"definition", wait_machine}});
  auto d = c.call("DescribeStateMachineForExecution", {{"executionArn", ex}});
  CHECK(d.at("definition") == pass_machine);
  CHECK(d.at("stateMachineArn").as_string() == m);
}

TEST_CASE("serve: executions on a version or an alias name them, RedriveExecution is ExecutionNotRedrivable", "[server]") {
  client c;
  auto m = c.create("VA", pass_machine);
  c.call("PublishStateMachineVersion", {{"stateMachineArn", m}});
  c.call("CreateStateMachineAlias",
         {{"name", "prod"}, {"routingConfiguration", json::array{json::object{{"stateMachineVersionArn", m + ":1"}, {"weight", 100}}}}});
  auto ex = c.start(m + ":prod");
  c.settle();
  auto d = c.describe(ex);
  CHECK(d.at("stateMachineVersionArn").as_string() == m + ":1");
  CHECK(d.at("stateMachineAliasArn").as_string() == m + ":prod");
  CHECK(d.at("stateMachineArn").as_string() == m);
  CHECK(c.call("ListExecutions", {{"stateMachineArn", m + ":1"}}).at("executions").as_array().size() == 1);
  CHECK(c.error("RedriveExecution", {{"executionArn", ex}}) == "ExecutionNotRedrivable");
}

TEST_CASE("serve: map runs: none are listed, and an unknown one is ResourceNotFound", "[server]") {
  client c;
  auto ex = c.start(c.create("M", pass_machine));
  CHECK(c.call("ListMapRuns", {{"executionArn", ex}}) == json::parse(R"({"mapRuns": []})"));
  auto run = "arn:aws:states:us-east-1:123456789012:mapRun:M/x:y";
  CHECK(c.error("DescribeMapRun", {{"mapRunArn", run}}) == "ResourceNotFound");
  CHECK(c.error("UpdateMapRun", {{"mapRunArn", run}, {"maxConcurrency", 1}}) == "ResourceNotFound");
}
