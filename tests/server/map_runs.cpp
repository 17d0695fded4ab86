// ListMapRuns, DescribeMapRun and UpdateMapRun on the distributed Maps of served executions.
#include <stepsim/server/service.hpp>

#include "server/api_client.hpp"

#include <catch2/catch.hpp>

using namespace stepsim::server::test;

namespace {

/// A distributed Map over the input's items, one child at a time, each child a Task on activity `act`.
std::string fan_out(std::string const& act) {
  return R"({"StartAt": "Fan", "States": {"Fan": {"Type": "Map", "Label": "Items", "MaxConcurrency": 1,
      "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                        "StartAt": "Work", "States": {"Work": {"Type": "Task", "Resource": ")" +
         act + R"(", "End": true}}},
      "End": true}}})";
}

json::object counts(std::int64_t pending, std::int64_t running, std::int64_t succeeded, std::int64_t failed) {
  return {{"pending", pending}, {"running", running}, {"succeeded", succeeded}, {"failed", failed}, {"timedOut", 0},
          {"aborted", 0},       {"total", 3},         {"resultsWritten", 0}};
}

}  // namespace

TEST_CASE("serve: a distributed Map's Map Run is listed, described as it goes, and updated while it runs",
          "[server][map_run]") {
  client c;
  auto act = std::string(c.call("CreateActivity", {{"name", "work"}}).at("activityArn").as_string());
  auto machine = c.create("Fan", fan_out(act));
  auto ex = c.start(machine, "[1, 2, 3]", "fan");
  c.settle();

  auto list = c.call("ListMapRuns", {{"executionArn", ex}});
  CHECK(output_problems("ListMapRuns", list).empty());
  auto const& runs = list.at("mapRuns").as_array();
  REQUIRE(runs.size() == 1);
  auto run = std::string(runs[0].at("mapRunArn").as_string());
  std::string prefix = "arn:aws:states:us-east-1:123456789012:mapRun:Fan/Items:";
  CHECK(run.substr(0, prefix.size()) == prefix);
  CHECK(run.size() == prefix.size() + 36);  // a UUID
  CHECK(runs[0].at("executionArn").as_string() == ex);
  CHECK(runs[0].at("stateMachineArn") == "arn:aws:states:us-east-1:123456789012:stateMachine:Fan/Items");
  CHECK_FALSE(runs[0].as_object().contains("stopDate"));

  auto d = c.call("DescribeMapRun", {{"mapRunArn", run}});
  CHECK(output_problems("DescribeMapRun", d).empty());
  CHECK(d.at("status") == "RUNNING");
  CHECK(d.at("executionArn").as_string() == ex);
  CHECK(d.at("maxConcurrency") == 1);
  CHECK(d.at("toleratedFailureCount") == 0);
  CHECK(d.at("executionCounts") == counts(2, 1, 0, 0));
  CHECK(d.at("itemCounts") == counts(2, 1, 0, 0));

  // Two at once from now on, and one failed child tolerated.
  c.call("UpdateMapRun", {{"mapRunArn", run}, {"maxConcurrency", 2}, {"toleratedFailureCount", 1}});
  c.settle();
  d = c.call("DescribeMapRun", {{"mapRunArn", run}});
  CHECK(d.at("maxConcurrency") == 2);
  CHECK(d.at("toleratedFailureCount") == 1);
  CHECK(d.at("executionCounts") == counts(1, 2, 0, 0));
  // ListExecutions with mapRunArn: the children started so far.
  auto children = c.call("ListExecutions", {{"mapRunArn", run}});
  CHECK(output_problems("ListExecutions", children).empty());
  REQUIRE(children.at("executions").as_array().size() == 2);
  for (auto const& child : children.at("executions").as_array()) CHECK(child.at("status") == "RUNNING");

  for (int i = 0; i < 2; ++i) {
    auto task = c.call("GetActivityTask", {{"activityArn", act}});
    c.call("SendTaskSuccess", {{"taskToken", task.at("taskToken")}, {"output", "{}"}});
  }
  c.settle();
  CHECK(c.call("DescribeMapRun", {{"mapRunArn", run}}).at("executionCounts") == counts(0, 1, 2, 0));
  auto last = c.call("GetActivityTask", {{"activityArn", act}});
  c.call("SendTaskFailure", {{"taskToken", last.at("taskToken")}, {"error", "Item.Bad"}});
  c.settle();

  // The failure was within the updated tolerance: the run and its execution succeed.
  CHECK(c.describe(ex).at("status") == "SUCCEEDED");
  d = c.call("DescribeMapRun", {{"mapRunArn", run}});
  CHECK(d.at("status") == "SUCCEEDED");
  CHECK(d.at("executionCounts") == counts(0, 0, 2, 1));
  CHECK(d.contains("stopDate"));
  CHECK(c.call("ListMapRuns", {{"executionArn", ex}}).at("mapRuns").as_array().at(0).as_object().contains("stopDate"));

  // Every child, newest first: the third one failed.
  children = c.call("ListExecutions", {{"mapRunArn", run}});
  CHECK(output_problems("ListExecutions", children).empty());
  auto const& kids = children.at("executions").as_array();
  REQUIRE(kids.size() == 3);
  CHECK(kids[0].at("status") == "FAILED");
  CHECK(kids[1].at("status") == "SUCCEEDED");
  CHECK(kids[2].at("status") == "SUCCEEDED");
  for (auto const& kid : kids) {
    auto const& k = kid.as_object();
    std::string child_prefix = "arn:aws:states:us-east-1:123456789012:execution:Fan/Items:";
    auto child_arn = std::string(k.at("executionArn").as_string());
    CHECK(child_arn == child_prefix + std::string(k.at("name").as_string()));
    CHECK(k.at("stateMachineArn") == "arn:aws:states:us-east-1:123456789012:stateMachine:Fan/Items");
    CHECK(k.at("mapRunArn").as_string() == run);
    CHECK(k.contains("stopDate"));
  }
  auto failed = c.call("ListExecutions", {{"mapRunArn", run}, {"statusFilter", "FAILED"}}).at("executions").as_array();
  REQUIRE(failed.size() == 1);
  CHECK(failed[0].at("executionArn") == kids[0].at("executionArn"));
  auto first = c.call("ListExecutions", {{"mapRunArn", run}, {"maxResults", 2}});
  CHECK(first.at("executions").as_array().size() == 2);
  auto rest = c.call("ListExecutions", {{"mapRunArn", run}, {"maxResults", 2}, {"nextToken", first.at("nextToken")}});
  REQUIRE(rest.at("executions").as_array().size() == 1);
  CHECK(rest.at("executions").as_array()[0].at("executionArn") == kids[2].at("executionArn"));
}

TEST_CASE("serve: without an update, a Map Run fails at its first failed child, and its status says so", "[server][map_run]") {
  client c;
  auto act = std::string(c.call("CreateActivity", {{"name", "work"}}).at("activityArn").as_string());
  auto ex = c.start(c.create("Fan", fan_out(act)), "[1, 2, 3]", "fan");
  c.settle();
  auto task = c.call("GetActivityTask", {{"activityArn", act}});
  c.call("SendTaskFailure", {{"taskToken", task.at("taskToken")}, {"error", "Item.Bad"}});
  c.settle();
  CHECK(c.describe(ex).at("status") == "FAILED");
  auto run = c.call("ListMapRuns", {{"executionArn", ex}}).at("mapRuns").as_array().at(0).at("mapRunArn");
  auto d = c.call("DescribeMapRun", {{"mapRunArn", run}});
  CHECK(d.at("status") == "FAILED");
  CHECK(d.at("executionCounts") == counts(2, 0, 0, 1));
}

TEST_CASE("serve: map run errors: an unknown map run or execution", "[server][map_run]") {
  client c;
  std::string arn = "arn:aws:states:us-east-1:123456789012:mapRun:Fan/Items:00000000-0000-4000-8000-000000000000";
  CHECK(c.error("DescribeMapRun", {{"mapRunArn", arn}}) == "ResourceNotFound");
  CHECK(c.error("UpdateMapRun", {{"mapRunArn", arn}, {"maxConcurrency", 3}}) == "ResourceNotFound");
  CHECK(c.error("UpdateMapRun", {{"mapRunArn", arn}, {"toleratedFailurePercentage", 101}}) == "ValidationException");
  CHECK(c.error("ListMapRuns", {{"executionArn", "arn:aws:states:us-east-1:123456789012:execution:No:pe"}}) ==
        "ExecutionDoesNotExist");
  CHECK(c.error("ListExecutions", {{"mapRunArn", arn}}) == "ResourceNotFound");
}
