// StopExecution stopping the engine's run, and RedriveExecution with the redrive fields of
// DescribeExecution and ListExecutions.
#include <stepsim/server/service.hpp>
#include <stepsim/server/store.hpp>

#include "server/api_client.hpp"

#include <catch2/catch.hpp>

#include <filesystem>

using namespace stepsim::server::test;

namespace {

constexpr char const* wait_then_fail = R"({"StartAt": "Mark", "States": {
  "Mark": {"Type": "Pass", "Result": 1, "ResultPath": "$.marked", "Next": "W"},
  "W": {"Type": "Wait", "Seconds": 60, "Next": "Fail"},
  "Fail": {"Type": "Fail", "Error": "Nope", "Cause": "always"}}})";
constexpr char const* wait_machine = R"({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 60, "End": true}}})";

std::vector<std::string> types(client& c, std::string const& ex) {
  std::vector<std::string> out;
  auto history = c.call("GetExecutionHistory", {{"executionArn", ex}});
  for (auto const& e : history.at("events").as_array()) out.emplace_back(e.at("type").as_string());
  return out;
}

}  // namespace

TEST_CASE("serve: StopExecution stops the engine's run: nothing happens after ExecutionAborted", "[server][stop]") {
  client c;
  auto ex = c.start(c.create("S", wait_then_fail));
  c.sched.run_until(t0() + std::chrono::seconds(10));
  auto stop = c.call("StopExecution", {{"executionArn", ex}, {"error", "Manual"}, {"cause", "test"}});
  CHECK(stop.at("stopDate") == 1704067210.0);
  c.settle();
  auto d = c.describe(ex);
  CHECK(d.at("status") == "ABORTED");
  CHECK(d.at("stopDate") == 1704067210.0);
  // The Wait was cancelled: the Fail state never ran, the clock never reached its end.
  CHECK(types(c, ex) == std::vector<std::string>{"ExecutionStarted", "PassStateEntered", "PassStateExited",
                                                 "WaitStateEntered", "ExecutionAborted"});
  CHECK(c.sched.now() == t0() + std::chrono::seconds(10));
  CHECK(d.at("redriveStatus") == "REDRIVABLE");
  CHECK_FALSE(d.contains("redriveStatusReason"));
  // Stopping it again changes nothing.
  c.sched.run_until(t0() + std::chrono::seconds(20));
  CHECK(c.call("StopExecution", {{"executionArn", ex}, {"error", "Again"}}).at("stopDate") == 1704067210.0);
  CHECK(c.describe(ex).at("error") == "Manual");
}

TEST_CASE("serve: RedriveExecution continues a stopped execution under the same ARN", "[server][redrive]") {
  client c;
  auto m = c.create("R", wait_machine);
  auto ex = c.start(m);
  c.sched.run_until(t0() + std::chrono::seconds(10));
  c.call("StopExecution", {{"executionArn", ex}});
  c.settle();
  c.sched.run_until(t0() + std::chrono::seconds(100));
  auto r = c.call("RedriveExecution", {{"executionArn", ex}});
  CHECK(r.at("redriveDate") == 1704067300.0);
  auto running = c.describe(ex);
  CHECK(running.at("status") == "RUNNING");
  CHECK(running.at("redriveCount") == 1);
  CHECK(running.at("redriveDate") == 1704067300.0);
  CHECK(running.at("redriveStatus") == "NOT_REDRIVABLE");
  CHECK(running.at("redriveStatusReason") == "Execution is RUNNING and cannot be redriven");
  c.settle();
  auto d = c.describe(ex);
  CHECK(d.at("status") == "SUCCEEDED");
  CHECK(d.at("stopDate") == 1704067360.0);
  CHECK(d.at("redriveStatusReason") == "Execution is SUCCEEDED and cannot be redriven");
  CHECK(types(c, ex) == std::vector<std::string>{"ExecutionStarted", "WaitStateEntered", "ExecutionAborted",
                                                 "ExecutionRedriven", "WaitStateEntered", "WaitStateExited",
                                                 "ExecutionSucceeded"});
  auto events = c.call("GetExecutionHistory", {{"executionArn", ex}}).at("events").as_array();
  CHECK(events[3].at("executionRedrivenEventDetails") == json::parse(R"({"redriveCount": 1})"));
  CHECK(c.error("RedriveExecution", {{"executionArn", ex}}) == "ExecutionNotRedrivable");
}

TEST_CASE("serve: a failed execution redriven fails again from its failed state, and clientToken makes it idempotent",
          "[server][redrive]") {
  client c;
  auto ex = c.start(c.create("F", wait_then_fail));
  c.settle();
  REQUIRE(c.describe(ex).at("status") == "FAILED");
  auto first = c.call("RedriveExecution", {{"executionArn", ex}, {"clientToken", "tok-1"}});
  // The same token again: the same answer, no second redrive.
  CHECK(c.call("RedriveExecution", {{"executionArn", ex}, {"clientToken", "tok-1"}}) == first);
  c.settle();
  auto d = c.describe(ex);
  CHECK(d.at("status") == "FAILED");
  CHECK(d.at("redriveCount") == 1);
  CHECK(d.at("redriveStatus") == "REDRIVABLE");
  auto t = types(c, ex);
  // Mark and W succeeded: only Fail runs again.
  CHECK(std::vector<std::string>(t.begin() + 7, t.end()) ==
        std::vector<std::string>{"ExecutionRedriven", "FailStateEntered", "ExecutionFailed"});
}

TEST_CASE("serve: RedriveExecution refuses what AWS refuses, with AWS's reasons", "[server][redrive]") {
  client c;
  std::string msg;
  auto ok = c.start(c.create("OK", R"({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}})"));
  c.settle();
  CHECK(c.error("RedriveExecution", {{"executionArn", ok}}, &msg) == "ExecutionNotRedrivable");
  CHECK(msg.starts_with("Execution is SUCCEEDED and cannot be redriven"));

  auto running = c.start(c.create("Run", wait_machine));
  CHECK(c.error("RedriveExecution", {{"executionArn", running}}, &msg) == "ExecutionNotRedrivable");
  CHECK(msg.starts_with("Execution is RUNNING and cannot be redriven"));
  c.settle();

  auto old = c.start(c.create("Old", R"({"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E"}}})"));
  c.settle();
  c.sched.run_until(c.sched.now() + std::chrono::days(15));
  auto d = c.describe(old);
  CHECK(d.at("redriveStatus") == "NOT_REDRIVABLE");
  CHECK(d.at("redriveStatusReason") == "Execution redrivable period exceeded");
  CHECK(c.error("RedriveExecution", {{"executionArn", old}}, &msg) == "ExecutionNotRedrivable");
  CHECK(msg.starts_with("Execution redrivable period exceeded"));

  auto express = c.create("X", R"({"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E"}}})", "EXPRESS");
  auto sync = c.call("StartSyncExecution", {{"stateMachineArn", express}});
  REQUIRE(sync.at("status") == "FAILED");
  CHECK(c.error("RedriveExecution", {{"executionArn", sync.at("executionArn")}}, &msg) == "InvalidArn");

  CHECK(c.error("RedriveExecution", {{"executionArn", "arn:aws:states:us-east-1:123456789012:execution:OK:nobody"}}) ==
        "ExecutionDoesNotExist");
}

TEST_CASE("serve: ListExecutions shows redriveCount and filters with redriveFilter", "[server][redrive]") {
  client c;
  auto m = c.create("L", R"({"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E"}}})");
  auto a = c.start(m, "{}", "a");
  auto b = c.start(m, "{}", "b");
  c.settle();
  c.call("RedriveExecution", {{"executionArn", b}});
  c.settle();
  auto redriven = c.call("ListExecutions", {{"stateMachineArn", m}, {"redriveFilter", "REDRIVEN"}}).at("executions").as_array();
  REQUIRE(redriven.size() == 1);
  CHECK(redriven[0].at("executionArn").as_string() == b);
  CHECK(redriven[0].at("redriveCount") == 1);
  CHECK(redriven[0].as_object().contains("redriveDate"));
  auto never = c.call("ListExecutions", {{"stateMachineArn", m}, {"redriveFilter", "NOT_REDRIVEN"}}).at("executions").as_array();
  REQUIRE(never.size() == 1);
  CHECK(never[0].at("executionArn").as_string() == a);
  CHECK(never[0].at("redriveCount") == 0);
  CHECK_FALSE(never[0].as_object().contains("redriveDate"));
  CHECK(c.call("ListExecutions", {{"stateMachineArn", m}}).at("executions").as_array().size() == 2);
  CHECK(c.error("ListExecutions", {{"stateMachineArn", m}, {"redriveFilter", "SOMETIMES"}}) == "ValidationException");
}

TEST_CASE("serve --data: redriveCount and redriveDate survive a restart, and a reloaded execution is NOT_REDRIVABLE",
          "[server][redrive][store]") {
  auto dir = std::filesystem::temp_directory_path() / "stepsim-redrive-store-test";
  std::filesystem::remove_all(dir);
  std::string ex;
  {
    stepsim::server::store s(dir);
    client c(stepsim::server::service_options{.persistence = &s});
    ex = c.start(c.create("P", R"({"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E"}}})"));
    c.settle();
    c.sched.run_until(t0() + std::chrono::seconds(5));
    c.call("RedriveExecution", {{"executionArn", ex}});
    c.settle();
  }
  {
    stepsim::server::store s(dir);
    client c(stepsim::server::service_options{.persistence = &s});
    auto d = c.describe(ex);
    CHECK(d.at("status") == "FAILED");
    CHECK(d.at("redriveCount") == 1);
    CHECK(d.at("redriveDate") == 1704067205.0);
    CHECK(d.at("redriveStatus") == "NOT_REDRIVABLE");
    CHECK(d.at("redriveStatusReason") ==
          "Execution was loaded from the data directory after a restart: what a redrive needs is kept in memory only");
    CHECK(c.error("RedriveExecution", {{"executionArn", ex}}) == "ExecutionNotRedrivable");
  }
  std::filesystem::remove_all(dir);
}
