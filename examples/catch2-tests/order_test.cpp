// Tests of order.asl.json with stepsim's testing toolkit and Catch2.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include <stepsim/testing.hpp>
#include <stepsim/testing/catch2.hpp>

#include <string>

using namespace std::chrono_literals;
using namespace stepsim::testing;
namespace json = boost::json;

static std::string const dir = ORDER_TESTS_DIR;

TEST_CASE("An order is charged, then shipped") {
  auto wf = workflow::from_file(dir + "/order.asl.json");
  wf.mock("Charge").returns({{"Payload", {{"receipt", "R-1"}}}});
  wf.mock("Ship").returns({{"Payload", {{"parcel", "P-1"}}}}).after(2s);

  auto r = wf.run({{"order", 42}});

  CHECK_THAT(r, succeeded());
  CHECK_THAT(r, visited({"Charge", "Ship"}));
  CHECK_THAT(r, output_contains({{"payment", {{"receipt", "R-1"}}}, {"shipment", {{"parcel", "P-1"}}}}));
  CHECK(wf.calls("Charge").at(0).input == json::value{{"FunctionName", "Payments"}, {"Payload", {{"order", 42}}}});
}

TEST_CASE("A busy payment service is retried after 5 and 10 seconds") {
  auto wf = workflow::from_file(dir + "/order.asl.json");
  wf.mock("Charge").throws("Payments.Busy", "try again later").throws("Payments.Busy", "still busy")
      .returns({{"Payload", {{"receipt", "R-2"}}}});
  wf.mock("Ship").returns({{"Payload", {{"parcel", "P-2"}}}});

  auto r = wf.run({{"order", 43}});

  CHECK_THAT(r, succeeded());
  auto charges = wf.calls("Charge");
  REQUIRE(charges.size() == 3);
  CHECK(charges[2].attempt == 2);
  CHECK(charges[1].time - charges[0].time == 5s);
  CHECK(charges[2].time - charges[1].time == 10s);
  CHECK(*r.stop_date - r.start_date == 15s);
}

TEST_CASE("A declined card ends the order, as the MockConfigFile's test case says") {
  auto wf = workflow::from_file(dir + "/order.asl.json");
  wf.use_mock_config(dir + "/MockConfigFile.json", "Declined");

  auto r = wf.run({{"order", 44}});

  CHECK_THAT(r, failed_with("Order.Declined", "The card was declined"));
  CHECK_THAT(r, has_event("TaskFailed"));
  CHECK_THAT(r, !has_event("TaskSucceeded"));
}

TEST_CASE("The MockConfigFile's BusyThenPaid case takes the same retries") {
  auto wf = workflow::from_file(dir + "/order.asl.json");
  wf.use_mock_config(dir + "/MockConfigFile.json", "BusyThenPaid");

  auto r = wf.run({{"order", 45}});

  CHECK_THAT(r, output_contains({{"payment", {{"receipt", "R-1"}}}}));
  CHECK(wf.calls("Charge").size() == 3);
}

TEST_CASE("test_state: one state, as AWS's TestState API runs it") {
  auto const machine = json::parse(R"({"StartAt": "Charge", "States": {"Charge": {
      "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "ResultPath": "$.payment", "End": true,
      "Retry": [{"ErrorEquals": ["Payments.Busy"], "IntervalSeconds": 5, "MaxAttempts": 3, "BackoffRate": 2}]}}})");
  test_state_options options;
  options.state_name = "Charge";
  options.inspection = inspection_level::debug;

  options.mock_result = json::value{{"receipt", "R-3"}};
  auto ok = test_state(machine, {{"order", 46}}, options);
  CHECK(ok.status == "SUCCEEDED");
  CHECK(ok.output == json::value{{"order", 46}, {"payment", {{"receipt", "R-3"}}}});
  CHECK(ok.inspection_data.at("result") == json::value{{"receipt", "R-3"}});

  options.mock_result.reset();
  options.mock_error = mocked_error{"Payments.Busy", "try again later"};
  options.retrier_retry_count = 1;
  auto busy = test_state(machine, {{"order", 46}}, options);
  CHECK(busy.status == "RETRIABLE");
  CHECK(busy.inspection_data.at("errorDetails").at("retryBackoffIntervalSeconds") == 10);
}

TEST_CASE("test_state: a JSONata state, and a Map state with its mock") {
  auto const price = json::parse(R"({"Type": "Pass", "QueryLanguage": "JSONata", "Next": "Charge",
      "Assign": {"total": "{% $states.input.qty * $unit %}"}, "Output": {"order": "{% $states.input.order %}"}})");
  test_state_options options;
  options.inspection = inspection_level::debug;
  options.variables = json::object{{"unit", 5}};
  auto priced = test_state(price, {{"order", 47}, {"qty", 3}}, options);
  CHECK(priced.output == json::value{{"order", 47}});
  CHECK(priced.next_state == "Charge");
  CHECK(priced.inspection_data.at("variables") == json::value{{"unit", 5}, {"total", 15}});

  // Map and Parallel states need a mock: it stands for all the iterations.
  auto const lines = json::parse(R"({"Type": "Map", "ItemsPath": "$.lines", "ToleratedFailureCount": 0, "End": true,
      "ItemProcessor": {"StartAt": "Pick", "States": {"Pick": {"Type": "Pass", "End": true}}}})");
  options = {};
  options.mock_result = json::array{"picked", "picked"};
  options.map_iteration_failure_count = 1;
  auto picked = test_state(lines, {{"lines", {"a", "b"}}}, options);
  CHECK(picked.status == "FAILED");
  CHECK(picked.error == "States.ExceedToleratedFailureThreshold");
}
