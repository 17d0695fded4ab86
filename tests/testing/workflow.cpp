#include <stepsim/testing/workflow.hpp>

#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include <string>

using namespace std::chrono_literals;
namespace json = boost::json;
using stepsim::testing::workflow;

namespace {

char const* const order = R"({
  "StartAt": "Charge",
  "States": {
    "Charge": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:Pay", "ResultPath": "$.payment",
               "Retry": [{"ErrorEquals": ["Card.Busy"], "IntervalSeconds": 3, "MaxAttempts": 2, "BackoffRate": 1}],
               "Catch": [{"ErrorEquals": ["Card.Declined"], "Next": "Declined"}],
               "Next": "Ship"},
    "Ship": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:Pay", "ResultPath": "$.shipment", "End": true},
    "Declined": {"Type": "Fail", "Error": "Order.Declined"}
  }
})";

}  // namespace

TEST_CASE("A state mock's responses go to attempts 0, 1, ... and the last one repeats", "[testing][workflow]") {
  auto wf = workflow::from_text(order);
  wf.mock("Charge").throws("Card.Busy", "try later").throws("Card.Busy", "again").returns({{"paid", true}});
  wf.mock("Ship").returns("parcel");
  auto r = wf.run({{"order", 42}});
  REQUIRE(r.succeeded());
  CHECK(*r.output == json::parse(R"({"order": 42, "payment": {"paid": true}, "shipment": "parcel"})"));
  auto calls = wf.calls("Charge");
  REQUIRE(calls.size() == 3);
  for (std::uint64_t i = 0; i < 3; ++i) CHECK(calls[i].attempt == i);
  // Two retries of 3 s each: the calls start at 0, 3 and 6 s.
  CHECK(calls[0].time == stepsim::testing::default_start);
  CHECK(calls[1].time == stepsim::testing::default_start + 3s);
  CHECK(calls[2].time == stepsim::testing::default_start + 6s);
  CHECK(calls[0].input == json::parse(R"({"order": 42})"));
  CHECK(calls[0].execution == r.name);
}

TEST_CASE("Two states calling the same resource are mocked apart", "[testing][workflow]") {
  auto wf = workflow::from_text(order);
  wf.mock("Charge").returns("charged");
  wf.mock("Ship").returns("shipped");
  auto r = wf.run();
  REQUIRE(r.succeeded());
  CHECK(*r.output == json::parse(R"({"payment": "charged", "shipment": "shipped"})"));
}

TEST_CASE("Attempts count per execution: a second run starts again at 0", "[testing][workflow]") {
  auto wf = workflow::from_text(order);
  wf.mock("Charge").throws("Card.Declined", "no").returns("paid");
  wf.mock("Ship").returns("shipped");
  auto first = wf.run();
  auto second = wf.run();
  CHECK(first.status == stepsim::engine::execution_status::failed);
  CHECK(first.error == "Order.Declined");
  CHECK(second.status == stepsim::engine::execution_status::failed);
  REQUIRE(wf.calls("Charge").size() == 2);
  CHECK(wf.calls("Charge")[1].attempt == 0);
  CHECK(first.name != second.name);
}

TEST_CASE("after() gives the last response a latency in virtual time", "[testing][workflow]") {
  auto wf = workflow::from_text(order);
  wf.mock("Charge").returns("paid").after(90s);
  wf.mock("Ship").returns("shipped").after(10min);
  auto r = wf.run();
  REQUIRE(r.succeeded());
  CHECK(*r.stop_date - r.start_date == 90s + 10min);
  CHECK(wf.calls("Ship")[0].time == stepsim::testing::default_start + 90s);
  CHECK_THROWS_AS(wf.mock("Other").after(1s), std::logic_error);
}

TEST_CASE("calls() runs a callable with the call, which may fail the attempt", "[testing][workflow]") {
  auto wf = workflow::from_text(order);
  wf.mock("Charge").calls([](stepsim::testing::call const& c) -> json::value {
    if (c.attempt == 0) throw stepsim::tasks::task_error("Card.Busy", "busy");
    return {{"attempt", c.attempt}, {"order", c.input.at("order")}};
  });
  wf.mock("Ship").returns("shipped");
  auto r = wf.run({{"order", 7}});
  REQUIRE(r.succeeded());
  CHECK(r.output->at("payment") == json::parse(R"({"attempt": 1, "order": 7})"));
}

TEST_CASE("A resource-pattern mock answers states without a mock of their own, and handlers come last",
          "[testing][workflow]") {
  auto wf = workflow::from_text(order);
  wf.mock_resource("arn:aws:lambda:*:function:Pay").returns("from pattern");
  wf.mock("Ship").returns("from state");
  wf.handlers().add("*", [](json::value const&) { return json::value("from handler"); });
  auto r = wf.run();
  REQUIRE(r.succeeded());
  CHECK(*r.output == json::parse(R"({"payment": "from pattern", "shipment": "from state"})"));

  auto wf2 = workflow::from_text(order);
  wf2.handlers().add("arn:aws:lambda:us-east-1:123456789012:function:Pay", [](json::value const&) { return json::value(1); });
  wf2.mock("Ship").returns(2);
  auto r2 = wf2.run();
  REQUIRE(r2.succeeded());
  CHECK(*r2.output == json::parse(R"({"payment": 1, "shipment": 2})"));
  CHECK(wf2.calls("Charge").size() == 1);  // handler calls are logged too
}

TEST_CASE("A Task with no mock and no handler fails naming the state", "[testing][workflow]") {
  auto wf = workflow::from_text(order);
  auto r = wf.run();
  CHECK(r.status == stepsim::engine::execution_status::failed);
  CHECK(r.error == "States.TaskFailed");
  CHECK(r.cause->find("No mock or handler for the Task state 'Charge'") != std::string::npos);
}

TEST_CASE("Mocks reach states inside Parallel branches and Map iterations", "[testing][workflow]") {
  auto wf = workflow::from_text(R"({
    "StartAt": "Both",
    "States": {
      "Both": {"Type": "Parallel", "Next": "Each", "Branches": [
        {"StartAt": "Left", "States": {"Left": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}},
        {"StartAt": "Right", "States": {"Right": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}}]},
      "Each": {"Type": "Map", "ItemsPath": "$[0].items", "MaxConcurrency": 1, "End": true,
               "ItemProcessor": {"StartAt": "Item", "States": {
                 "Item": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true,
                          "Retry": [{"ErrorEquals": ["Flaky"], "IntervalSeconds": 1}]}}}}
    }
  })");
  wf.mock("Left").returns({{"items", {1, 2, 3}}});
  wf.mock("Right").returns("right");
  wf.mock("Item").throws("Flaky", "first call").calls([](stepsim::testing::call const& c) { return c.input; });
  auto r = wf.run();
  REQUIRE(r.succeeded());
  CHECK(*r.output == json::parse("[1, 2, 3]"));
  auto items = wf.calls("Item");
  REQUIRE(items.size() == 4);  // item 1 fails once, is retried after 1 s, then items 2 and 3
  CHECK(items[0].input == 1);
  CHECK(items[1].input == 1);
  CHECK(items[1].time - items[0].time == 1s);
  CHECK(items[3].attempt == 3);
  CHECK(wf.calls("Left").size() == 1);
  CHECK(wf.calls("Right").size() == 1);
}

TEST_CASE("start, advance and run_until show an execution in the middle", "[testing][workflow]") {
  auto wf = workflow::from_text(R"({"StartAt": "Nap", "States": {
      "Nap": {"Type": "Wait", "Seconds": 60, "Next": "Work"},
      "Work": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}})");
  wf.mock("Work").returns("done").after(30s);
  auto ex = wf.start();
  wf.advance(59s);
  CHECK_FALSE(ex->done());
  CHECK(ex->result().path == std::vector<std::string>{"Nap"});
  CHECK(wf.calls("Work").empty());
  wf.run_until(stepsim::testing::default_start + 61s);
  CHECK(wf.calls("Work").size() == 1);
  CHECK_FALSE(ex->done());
  CHECK(wf.now() == stepsim::testing::default_start + 61s);
  wf.finish();
  REQUIRE(ex->done());
  CHECK(ex->result().output == json::value("done"));
  CHECK(wf.now() == stepsim::testing::default_start + 90s);
}

TEST_CASE("The start instant, seed and name are settable and pinned by default", "[testing][workflow]") {
  char const* const uuid = R"x({"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"id.$": "States.UUID()", "t.$": "$$.Execution.StartTime", "m.$": "$$.StateMachine.Name"}, "End": true}}})x";
  auto a = workflow::from_text(uuid).run();
  auto b = workflow::from_text(uuid).run();
  CHECK(a.output == b.output);
  CHECK(a.output->at("t") == "2024-01-01T00:00:00.000Z");
  CHECK(a.output->at("m") == "StateMachine");
  auto wf = workflow::from_text(uuid);
  wf.set_seed(7).set_start(stepsim::testing::default_start + 24h).set_state_machine_name("Ids");
  auto c = wf.run();
  CHECK(c.output->at("id") != a.output->at("id"));
  CHECK(c.output->at("t") == "2024-01-02T00:00:00.000Z");
  CHECK(c.output->at("m") == "Ids");
  CHECK_THROWS_AS(wf.set_seed(8), std::logic_error);
}

TEST_CASE("A missing or invalid definition throws naming the file and every problem", "[testing][workflow]") {
  try {
    (void)workflow::from_file("/nonexistent/order.asl.json");
    FAIL("accepted");
  } catch (stepsim::testing::workflow_error const& e) {
    CHECK(std::string(e.what()) == "cannot open '/nonexistent/order.asl.json': No such file or directory");
  }
  try {
    (void)workflow::from_text(R"({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "C": {"Type": "Nope", "End": true}}})");
    FAIL("accepted");
  } catch (stepsim::testing::workflow_error const& e) {
    std::string what = e.what();
    CHECK(what.find("definition: /States/A/Next: ") != std::string::npos);
    CHECK(what.find("definition: /States/C/Type: ") != std::string::npos);
  }
  CHECK_THROWS_WITH(workflow::from_text("{\"StartAt\": "), Catch::Matchers::StartsWith("definition: /: "));
}

TEST_CASE("An in-code mock of a .waitForTaskToken Task completes the Task with its response", "[testing][workflow]") {
  auto wf = workflow::from_text(R"({"StartAt": "Ask", "States": {
      "Ask": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
              "Parameters": {"token.$": "$$.Task.Token"}, "End": true}}})");
  wf.mock("Ask").returns({{"approved", true}}).after(1h);
  auto r = wf.run();
  REQUIRE(r.succeeded());
  CHECK(*r.output == json::parse(R"({"approved": true})"));
  CHECK(*r.stop_date - r.start_date == 1h);
}
