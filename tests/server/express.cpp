// EXPRESS executions as AWS treats them (nothing kept for the API once they end), and what the
// service's destructor does to executions still running.
#include <stepsim/server/service.hpp>

#include "server/api_client.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <memory>

using namespace stepsim::server::test;
namespace sim = stepsim::sim;
namespace tasks = stepsim::tasks;

namespace {

constexpr char const* pass_machine = R"({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}})";
constexpr char const* wait_machine = R"({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 60, "End": true}}})";
constexpr char const* express_arn_refused = "Invalid Arn: 'Resource type not valid in this context: express'";

}  // namespace

TEST_CASE("serve: operations on an EXPRESS execution's ARN are InvalidArn, running or ended", "[server][express]") {
  client c;
  auto ended = c.call("StartSyncExecution", {{"stateMachineArn", c.create("Sync", pass_machine, "EXPRESS")}});
  REQUIRE(ended.at("status") == "SUCCEEDED");
  auto running = c.start(c.create("Slow", wait_machine, "EXPRESS"));
  CHECK(running.starts_with("arn:aws:states:us-east-1:123456789012:express:Slow:"));
  for (std::string const ex : {std::string(ended.at("executionArn").as_string()), running}) {
    for (auto const* op : {"DescribeExecution", "GetExecutionHistory", "StopExecution", "RedriveExecution",
                           "DescribeStateMachineForExecution", "ListMapRuns"}) {
      INFO(op << " " << ex);
      std::string message;
      CHECK(c.error(op, {{"executionArn", ex}}, &message) == "InvalidArn");
      CHECK(message == express_arn_refused);
    }
  }
}

TEST_CASE("serve: ListExecutions of an EXPRESS machine, its version or alias is StateMachineTypeNotSupported",
          "[server][express]") {
  client c;
  auto m = c.create("X", pass_machine, "EXPRESS");
  c.call("StartSyncExecution", {{"stateMachineArn", m}});
  c.call("PublishStateMachineVersion", {{"stateMachineArn", m}});
  c.call("CreateStateMachineAlias",
         {{"name", "live"}, {"routingConfiguration", json::array{json::object{{"stateMachineVersionArn", m + ":1"}, {"weight", 100}}}}});
  for (auto const& arn : {m, m + ":1", m + ":live"}) {
    INFO(arn);
    std::string message;
    CHECK(c.error("ListExecutions", {{"stateMachineArn", arn}}, &message) == "StateMachineTypeNotSupported");
    CHECK(message == "This operation is not supported by this type of state machine");
  }
  std::string message;
  CHECK(c.error("StartSyncExecution", {{"stateMachineArn", c.create("Std", pass_machine)}}, &message) ==
        "StateMachineTypeNotSupported");
  CHECK(message == "This operation is not supported by this type of state machine");
}

TEST_CASE("serve: StartExecution starts an EXPRESS machine asynchronously, held only while it runs",
          "[server][express]") {
  client c;
  auto m = c.create("Slow", wait_machine, "EXPRESS");
  auto r = c.call("StartExecution", {{"stateMachineArn", m}, {"name", "same"}});
  CHECK(r.at("executionArn").as_string().starts_with("arn:aws:states:us-east-1:123456789012:express:Slow:same:"));
  CHECK(r.contains("startDate"));
  // Names of EXPRESS executions need not be unique.
  auto again = c.call("StartExecution", {{"stateMachineArn", m}, {"name", "same"}});
  CHECK(again.at("executionArn") != r.at("executionArn"));
  CHECK(c.svc->executions_held() == 2);
  c.settle();
  CHECK(c.svc->executions_held() == 0);
}

TEST_CASE("serve: EXPRESS executions leave nothing behind, however many run", "[server][express]") {
  client c;
  auto x = c.create("X", pass_machine, "EXPRESS");
  auto std_machine = c.create("S", pass_machine);
  c.start(std_machine);
  c.settle();
  REQUIRE(c.svc->executions_held() == 1);
  for (int i = 0; i < 2000; ++i) {
    auto r = c.call("StartSyncExecution", {{"stateMachineArn", x}, {"input", R"({"i": 1})"}});
    REQUIRE(r.at("status") == "SUCCEEDED");
    c.call("StartExecution", {{"stateMachineArn", x}});
  }
  c.settle();
  CHECK(c.svc->executions_held() == 1);  // the STANDARD one, kept as AWS keeps it
  CHECK(c.call("ListExecutions", {{"stateMachineArn", std_machine}}).at("executions").as_array().size() == 1);
}

TEST_CASE("serve: an EXPRESS loop runs without a history: StartSyncExecution still answers its output",
          "[server][express]") {
  client c;
  // 20,000 turns of a Pass/Choice loop: 40,000 states entered, none of them recorded.
  auto m = c.create("Loop", R"json({"StartAt": "Count", "States": {
      "Count": {"Type": "Pass", "Parameters": {"n.$": "States.MathAdd($.n, 1)"}, "Next": "Done?"},
      "Done?": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericGreaterThanEquals": 20000, "Next": "End"}],
                "Default": "Count"},
      "End": {"Type": "Succeed"}}})json",
                    "EXPRESS");
  auto r = c.call("StartSyncExecution", {{"stateMachineArn", m}, {"input", R"({"n": 0})"}});
  CHECK(r.at("status") == "SUCCEEDED");
  CHECK(json::parse(r.at("output").as_string()) == json::parse(R"({"n": 20000})"));
  CHECK(c.svc->executions_held() == 0);
}

TEST_CASE("serve: destroying the service stops the executions still running and frees them", "[server][express]") {
  sim::scheduler sched = sim::scheduler::virtual_time(t0());
  auto held = std::make_shared<int>(0);
  std::weak_ptr<int> watch = held;
  tasks::registry handlers;
  handlers.add_async(
      "arn:aws:lambda:us-east-1:123456789012:function:Hold",
      [&sched, held](tasks::invocation const&) -> boost::asio::awaitable<json::value> {
        auto keep = held;  // in the handler's frame while it waits
        co_await sched.sleep(std::chrono::hours(1));
        co_return json::value(*keep);
      },
      tasks::context_use::ignores);
  held.reset();
  auto svc = std::make_unique<stepsim::server::service>(sched, stepsim::server::service_options{.handlers = &handlers});
  auto create = [&](char const* name, char const* type) {
    auto body = json::object{{"name", name},
                             {"type", type},
                             {"roleArn", "arn:aws:iam::123456789012:role/r"},
                             {"definition", R"({"StartAt": "T", "States": {"T": {"Type": "Task",
                                 "Resource": "arn:aws:lambda:us-east-1:123456789012:function:Hold", "End": true}}})"}};
    auto r = svc->handle_now("AWSStepFunctions.CreateStateMachine", json::serialize(body));
    REQUIRE(r.status == 200);
    return std::string(json::parse(r.body).at("stateMachineArn").as_string());
  };
  for (auto const& [name, type] : {std::pair{"S", "STANDARD"}, std::pair{"X", "EXPRESS"}}) {
    auto r = svc->handle_now("AWSStepFunctions.StartExecution",
                             json::serialize(json::object{{"stateMachineArn", create(name, type)}}));
    REQUIRE(r.status == 200);
  }
  // Both enter their Task; the handlers wait an hour of scheduler time.
  sched.context().restart();
  sched.context().poll();
  REQUIRE(svc->executions_held() == 2);
  REQUIRE(watch.use_count() == 3);  // the handler's copy, and one in each waiting frame
  svc.reset();
  CHECK(watch.use_count() == 1);
}
