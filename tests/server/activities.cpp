#include <stepsim/server/service.hpp>

#include "server/api_client.hpp"

#include <stepsim/task_adapters/mock_config.hpp>

#include <catch2/catch.hpp>

using namespace stepsim::server::test;

TEST_CASE("serve: activities are created idempotently, described, listed and deleted", "[server]") {
  client c;
  auto a = c.call("CreateActivity", {{"name", "work"}});
  auto arn = std::string(a.at("activityArn").as_string());
  CHECK(arn == "arn:aws:states:us-east-1:123456789012:activity:work");
  CHECK(c.call("CreateActivity", {{"name", "work"}}).at("activityArn").as_string() == arn);
  CHECK(c.call("DescribeActivity", {{"activityArn", arn}}).at("name") == "work");
  CHECK(c.call("ListActivities").at("activities").as_array().size() == 1);
  c.call("DeleteActivity", {{"activityArn", arn}});
  CHECK(c.error("DescribeActivity", {{"activityArn", arn}}) == "ActivityDoesNotExist");
  CHECK(c.error("GetActivityTask", {{"activityArn", arn}}) == "ActivityDoesNotExist");
}

TEST_CASE("serve: a Task on an activity waits for a worker: GetActivityTask hands out its input, SendTaskSuccess ends it",
          "[server]") {
  client c;
  auto act = std::string(c.call("CreateActivity", {{"name", "work"}}).at("activityArn").as_string());
  auto m = c.create("A", R"({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": ")" + act + R"(", "End": true}}})");
  auto ex = c.start(m, R"({"job": 7})");
  c.settle();
  CHECK(c.svc->waiting_for_clients());
  auto task = c.call("GetActivityTask", {{"activityArn", act}, {"workerName", "w1"}});
  CHECK(task.at("input") == R"({"job":7})");
  c.call("SendTaskHeartbeat", {{"taskToken", task.at("taskToken")}});
  c.call("SendTaskSuccess", {{"taskToken", task.at("taskToken")}, {"output", R"({"done": true})"}});
  c.settle();
  auto d = c.describe(ex);
  CHECK(d.at("status") == "SUCCEEDED");
  CHECK(d.at("output") == R"({"done":true})");
  CHECK(c.error("SendTaskSuccess", {{"taskToken", task.at("taskToken")}, {"output", "{}"}}) == "TaskDoesNotExist");
}

TEST_CASE("serve: a worker polling first gets the task when an execution schedules it", "[server]") {
  client c;
  auto act = std::string(c.call("CreateActivity", {{"name", "later"}}).at("activityArn").as_string());
  auto m = c.create("B", R"({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": ")" + act + R"(", "End": true}}})");
  std::optional<stepsim::server::response> polled;
  c.svc->async_handle("AWSStepFunctions.GetActivityTask", json::serialize(json::object{{"activityArn", act}}),
                      [&](stepsim::server::response r) { polled = std::move(r); });
  c.sched.context().poll();
  CHECK_FALSE(polled);
  auto ex = c.start(m, R"({"k": 1})");
  c.sched.context().poll();
  REQUIRE(polled);
  auto task = json::parse(polled->body).as_object();
  CHECK(task.at("input") == R"({"k":1})");
  c.call("SendTaskFailure", {{"taskToken", task.at("taskToken")}, {"error", "Worker.Failed"}});
  c.settle();
  CHECK(c.describe(ex).at("error") == "Worker.Failed");
}

TEST_CASE("serve: --echo-tasks: a Task returns its input, without a handler the Task fails naming the resource", "[server]") {
  auto def = R"({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f", "End": true}}})";
  client echo(stepsim::server::service_options{.echo_tasks = true});
  auto e1 = echo.start(echo.create("E", def), R"({"v": 1})");
  echo.settle();
  CHECK(echo.describe(e1).at("output") == R"({"v":1})");
  client bare;
  auto e2 = bare.start(bare.create("E", def));
  bare.settle();
  auto d = bare.describe(e2);
  CHECK(d.at("status") == "FAILED");
  CHECK(d.at("error") == "States.TaskFailed");
}

TEST_CASE("serve: a MockConfigFile test case is chosen by starting on <stateMachineArn>#<TestCase>", "[server]") {
  auto config = stepsim::tasks::read_mock_config_or_throw(R"({
    "StateMachines": {"Order": {"TestCases": {"HappyPath": {"Charge": "Charged"}}}},
    "MockedResponses": {"Charged": {"0": {"Return": {"paid": true}}}}})", "mock.json");
  client c(stepsim::server::service_options{.mock_config = config});
  auto m = c.create("Order", R"({"StartAt": "Charge", "States": {"Charge": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:charge", "End": true}}})");
  auto ex = c.start(m + "#HappyPath");
  c.settle();
  CHECK(c.describe(ex).at("output") == R"({"paid":true})");
  CHECK(c.error("StartExecution", {{"stateMachineArn", m + "#NoSuchCase"}}) == "StateMachineDoesNotExist");
}

TEST_CASE("serve: TestState runs one state and answers as AWS's TestState does", "[server]") {
  client c;
  auto r = c.call("TestState", {{"definition", R"({"Type": "Pass", "Result": {"x": 1}, "End": true})"}, {"input", "{}"}});
  CHECK(r == json::parse(R"({"output": "{\"x\":1}", "status": "SUCCEEDED"})"));
  auto mocked = c.call("TestState", {{"definition", R"({"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:f", "End": true})"},
                                     {"mock", json::object{{"errorOutput", json::object{{"error", "E"}, {"cause", "c"}}}}}});
  CHECK(mocked.at("status") == "FAILED");
  CHECK(mocked.at("error") == "E");
  CHECK(c.error("TestState", {{"definition", "{"}}) == "InvalidDefinition");
}
