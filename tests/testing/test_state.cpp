#include <stepsim/testing/test_state.hpp>

#include "testing/test_state_helpers.hpp"

#include <catch2/catch.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/json.hpp>

#include <chrono>

namespace json = boost::json;
using stepsim::test::debug;
using stepsim::test::j;
using stepsim::testing::test_state;
using stepsim::testing::test_state_options;

// The expectations below are AWS's TestState responses as recorded by
// LocalStack's snapshot tests (tests/aws/services/stepfunctions/v2/test_state).

TEST_CASE("test_state: a Pass state with InputPath, Parameters and ResultPath shows every step", "[testing][test_state]") {
  auto r = test_state(j(R"({"Type": "Pass", "InputPath": "$.initialData",
                             "Parameters": {"staticValue": "some value", "inputValue.$": "$.fieldFromInput"},
                             "ResultPath": "$.modifiedData", "End": true})"),
                      j(R"({"initialData": {"fieldFromInput": "value from input", "otherField": "other"},
                            "unrelatedData": {"someOtherField": 1234}})"),
                      debug());
  CHECK(r.status == "SUCCEEDED");
  CHECK_FALSE(r.next_state);
  CHECK(*r.output == j(R"({"initialData": {"fieldFromInput": "value from input", "otherField": "other"},
                           "unrelatedData": {"someOtherField": 1234},
                           "modifiedData": {"staticValue": "some value", "inputValue": "value from input"}})"));
  auto const& d = r.inspection_data;
  CHECK(d.size() == 5);
  CHECK(d.at("afterInputPath") == j(R"({"fieldFromInput": "value from input", "otherField": "other"})"));
  CHECK(d.at("afterParameters") == j(R"({"staticValue": "some value", "inputValue": "value from input"})"));
  CHECK(d.at("afterResultSelector") == d.at("afterParameters"));
  CHECK(d.at("afterResultPath") == *r.output);
  CHECK(d.contains("input"));
}

TEST_CASE("test_state: a Pass state with Result shows input, result, afterResultSelector and afterResultPath",
          "[testing][test_state]") {
  auto r = test_state(j(R"({"Type": "Pass", "InputPath": "$.initialData", "Parameters": {"a": 1},
                             "Result": {"resultKey": "result value"}, "ResultPath": "$.modifiedData", "End": true})"),
                      j(R"({"initialData": {"x": 1}})"), debug());
  CHECK(r.status == "SUCCEEDED");
  CHECK(*r.output == j(R"({"initialData": {"x": 1}, "modifiedData": {"resultKey": "result value"}})"));
  std::vector<std::string> keys;
  for (auto const& kv : r.inspection_data) keys.emplace_back(kv.key());
  std::sort(keys.begin(), keys.end());
  CHECK(keys == std::vector<std::string>{"afterResultPath", "afterResultSelector", "input", "result"});
}

TEST_CASE("test_state: INFO gives no inspection data, and Next becomes nextState", "[testing][test_state]") {
  auto r = test_state(j(R"({"Type": "Pass", "Next": "Later"})"), j(R"({"a": 1})"));
  CHECK(r.status == "SUCCEEDED");
  CHECK(r.next_state == "Later");
  CHECK(r.inspection_data.empty());
  CHECK(json::value(r.to_json()) == j(R"({"output": "{\"a\":1}", "nextState": "Later", "status": "SUCCEEDED"})"));
}

TEST_CASE("test_state: a Choice state gives the chosen next state and its input", "[testing][test_state]") {
  auto const choice = j(R"({"Type": "Choice", "Choices": [
      {"And": [{"Variable": "$.value", "IsPresent": true}, {"Variable": "$.value", "IsNumeric": true},
               {"Variable": "$.value", "NumericGreaterThanEquals": 20}, {"Variable": "$.value", "NumericLessThan": 30}],
       "Next": "ValueInTwenties"}], "Default": "DefaultState"})");
  auto r = test_state(choice, j(R"({"type": "Private", "value": 22})"), debug());
  CHECK(r.status == "SUCCEEDED");
  CHECK(r.next_state == "ValueInTwenties");
  CHECK(*r.output == j(R"({"type": "Private", "value": 22})"));
  CHECK(r.inspection_data.size() == 2);
  CHECK(test_state(choice, j(R"({"value": 2})")).next_state == "DefaultState");
  auto none = test_state(j(R"({"Type": "Choice", "Choices": [{"Variable": "$.v", "IsPresent": true, "Next": "X"}]})"),
                         j("{}"));
  CHECK(none.status == "FAILED");
  CHECK(none.error == "States.NoChoiceMatched");
}

TEST_CASE("test_state: a Fail state fails with its error and cause", "[testing][test_state]") {
  auto r = test_state(j(R"({"Type": "Fail", "Error": "SomeFailure", "Cause": "This state machines raises a 'SomeFailure' failure."})"),
                      j(R"({"Value": "HelloWorld"})"), debug());
  CHECK(r.status == "FAILED");
  CHECK(r.error == "SomeFailure");
  CHECK(r.cause == "This state machines raises a 'SomeFailure' failure.");
  CHECK_FALSE(r.output);
  CHECK(r.inspection_data.size() == 2);
  auto p = test_state(j(R"x({"Type": "Fail", "ErrorPath": "$.e", "CausePath": "States.Format('n={}', $.n)"})x"),
                      j(R"({"e": "E", "n": 3})"));
  CHECK(p.error == "E");
  CHECK(p.cause == "n=3");
}

TEST_CASE("test_state: a Task with a mocked result goes through ResultSelector and ResultPath", "[testing][test_state]") {
  auto o = debug();
  o.mock_result = j(R"({"Payload": {"x": 1}, "StatusCode": 200})");
  auto r = test_state(j(R"({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "InputPath": "$.inputPathField",
                             "Parameters": {"FunctionName.$": "$.FunctionName", "Payload": {"Input.$": "$", "AdditionalParam": "Value"}},
                             "ResultSelector": {"LambdaOutput.$": "$.Payload"}, "ResultPath": "$.resultPathField", "End": true})"),
                      j(R"({"inputPathField": {"FunctionName": "f", "v": 2}})"), o);
  CHECK(r.status == "SUCCEEDED");
  auto const& d = r.inspection_data;
  CHECK(d.at("afterInputPath") == j(R"({"FunctionName": "f", "v": 2})"));
  CHECK(d.at("afterParameters") ==
        j(R"({"FunctionName": "f", "Payload": {"Input": {"FunctionName": "f", "v": 2}, "AdditionalParam": "Value"}})"));
  CHECK(d.at("result") == *o.mock_result);
  CHECK(d.at("afterResultSelector") == j(R"({"LambdaOutput": {"x": 1}})"));
  CHECK(*r.output == j(R"({"inputPathField": {"FunctionName": "f", "v": 2}, "resultPathField": {"LambdaOutput": {"x": 1}}})"));
  auto text = r.to_json();
  CHECK(text.at("inspectionData").at("afterResultSelector") == R"({"LambdaOutput":{"x":1}})");
}

TEST_CASE("test_state: a mocked error is RETRIABLE while the retrier has attempts, then CAUGHT_ERROR or FAILED",
          "[testing][test_state]") {
  auto const task = j(R"({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "Done",
      "Retry": [{"ErrorEquals": ["Other"], "IntervalSeconds": 9},
                {"ErrorEquals": ["MockException"], "IntervalSeconds": 1, "MaxAttempts": 3, "BackoffRate": 2.0}],
      "Catch": [{"ErrorEquals": ["Nope"], "Next": "Done"},
                {"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "HandleError"}]})");
  auto o = debug();
  o.mock_error = stepsim::testing::mocked_error{"MockException", "Mock the cause of the error."};
  auto r = test_state(task, j(R"({"in": 1})"), o);
  CHECK(r.status == "RETRIABLE");
  CHECK(r.error == "MockException");
  CHECK(r.cause == "Mock the cause of the error.");
  CHECK_FALSE(r.output);
  CHECK_FALSE(r.next_state);
  CHECK(r.inspection_data.at("errorDetails") == j(R"({"retryBackoffIntervalSeconds": 1, "retryIndex": 1})"));
  o.retrier_retry_count = 2;
  CHECK(test_state(task, j(R"({"in": 1})"), o).inspection_data.at("errorDetails") ==
        j(R"({"retryBackoffIntervalSeconds": 4, "retryIndex": 1})"));
  o.retrier_retry_count = 3;
  auto caught = test_state(task, j(R"({"in": 1})"), o);
  CHECK(caught.status == "CAUGHT_ERROR");
  CHECK(caught.next_state == "HandleError");
  CHECK(*caught.output ==
        j(R"({"in": 1, "error": {"Error": "MockException", "Cause": "Mock the cause of the error."}})"));
  CHECK(caught.inspection_data.at("errorDetails") == j(R"({"catchIndex": 1})"));
  auto plain = j(R"({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true})");
  auto failed = test_state(plain, j("{}"), o);
  CHECK(failed.status == "FAILED");
  CHECK(failed.error == "MockException");
}

TEST_CASE("test_state: a Task without a mock calls the registered handler", "[testing][test_state]") {
  stepsim::tasks::registry handlers;
  handlers.add("arn:aws:lambda:*", [](json::value const& in) { return json::value{{"echo", in}}; });
  test_state_options o;
  o.handlers = &handlers;
  auto r = test_state(j(R"({"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:F", "End": true})"),
                      j(R"({"a": 1})"), o);
  CHECK(r.status == "SUCCEEDED");
  CHECK(*r.output == j(R"({"echo": {"a": 1}})"));
  stepsim::tasks::registry awaiting;
  awaiting.add_async("*", [](stepsim::tasks::invocation const& inv) -> boost::asio::awaitable<json::value> {
    co_await inv.scheduler.sleep(std::chrono::seconds(5));
    if (inv.input.at("fail").as_bool()) throw stepsim::tasks::task_error("Slow.Failure", "after 5 s");
    co_return json::value{{"state", inv.state_name}};
  });
  o.handlers = &awaiting;
  auto slow = test_state(j(R"({"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "End": true})"),
                         j(R"({"fail": false})"), o);
  CHECK(*slow.output == j(R"({"state": "StateName"})"));
  auto slow_failure = test_state(j(R"({"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "End": true})"),
                                 j(R"({"fail": true})"), o);
  CHECK(slow_failure.status == "FAILED");
  CHECK(slow_failure.error == "Slow.Failure");
  auto none = test_state(j(R"({"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "End": true})"), j("{}"));
  CHECK(none.status == "FAILED");
  CHECK(none.error == "States.TaskFailed");
}

TEST_CASE("test_state: a state of a whole state machine is picked by name, nested ones too", "[testing][test_state]") {
  auto const machine = j(R"({"StartAt": "A", "States": {
      "A": {"Type": "Pass", "Result": 1, "Next": "P"},
      "P": {"Type": "Parallel", "End": true, "Branches": [
        {"StartAt": "Inner", "States": {"Inner": {"Type": "Pass", "Parameters": {"x.$": "$.y"}, "End": true}}}]}}})");
  test_state_options o;
  o.state_name = "A";
  auto a = test_state(machine, j("{}"), o);
  CHECK(a.output == json::value(1));
  CHECK(a.next_state == "P");
  o.state_name = "Inner";
  CHECK(test_state(machine, j(R"({"y": 5})"), o).output == j(R"({"x": 5})"));
  o.state_name = "Missing";
  CHECK_THROWS_WITH(test_state(machine, j("{}"), o), "stateName: the state machine has no state named 'Missing'");
  CHECK_THROWS_WITH(test_state(machine, j("{}")),
                    "stateName: a state name is required when the definition is a whole state machine");
  o.state_name = "P";
  CHECK_THROWS_WITH(test_state(machine, j("{}"), o),
                    "TestState API does not support Map or Parallel states. Supported state types include: "
                    "[Task, Wait, Pass, Succeed, Fail, Choice]");
}

TEST_CASE("test_state: an invalid state is refused with the JSON pointer of each fault", "[testing][test_state]") {
  CHECK_THROWS_WITH(test_state(j(R"({"Type": "Pass", "InputPath": 5, "End": true})"), j("{}")),
                    Catch::Matchers::StartsWith("/InputPath: "));
  CHECK_THROWS_WITH(test_state(j(R"({"Type": "Passs", "End": true})"), j("{}")), Catch::Matchers::StartsWith("/Type: "));
  CHECK_THROWS_WITH(test_state(std::string_view("{\"Type\": "), j("{}")),
                    Catch::Matchers::StartsWith("/: the definition is not valid JSON: "));
  test_state_options both;
  both.mock_result = 1;
  both.mock_error = stepsim::testing::mocked_error{"E", "C"};
  CHECK_THROWS_WITH(test_state(j(R"({"Type": "Pass", "End": true})"), j("{}"), both),
                    "A test mock should have only one of the following fields: [result, errorOutput].");
}

TEST_CASE("test_state: runtime errors of the data flow fail the state with AWS's error", "[testing][test_state]") {
  auto r = test_state(j(R"({"Type": "Pass", "InputPath": "$.missing", "End": true})"), j(R"({"a": 1})"));
  CHECK(r.status == "FAILED");
  CHECK(r.error == "States.Runtime");
  CHECK(r.cause == "Invalid path '$.missing' : No results for path: $['missing']");
}

TEST_CASE("test_state: variables are reported back and the context object can be given", "[testing][test_state]") {
  auto o = debug();
  o.variables = json::object{{"x", 1}};
  o.context = json::object{{"Execution", json::object{{"Name", "given"}}}};
  auto r = test_state(j(R"({"Type": "Pass", "Parameters": {"n.$": "$$.Execution.Name"}, "End": true})"), j("{}"), o);
  CHECK(*r.output == j(R"({"n": "given"})"));
  CHECK(r.inspection_data.at("variables") == j(R"({"x": 1})"));
}

TEST_CASE("test_state: the default context names the state StateName, gives the role, and a RetryCount to Tasks only",
          "[testing][test_state]") {
  // As AWS's TestState: "StateName" even for a state picked by name from a
  // whole machine, Execution.RoleArn null without a roleArn.
  auto const machine = j(R"({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true,
      "Parameters": {"s.$": "$$.State.Name", "role.$": "$$.Execution.RoleArn", "state.$": "$$.State"}}}})");
  test_state_options o;
  o.state_name = "A";
  CHECK(*test_state(machine, j("{}"), o).output ==
        j(R"({"s": "StateName", "role": null, "state": {"Name": "StateName", "EnteredTime": "2024-01-01T00:00:00.000Z"}})"));
  o.role_arn = "arn:aws:iam::1:role/R";
  CHECK(test_state(machine, j("{}"), o).output->at("role") == "arn:aws:iam::1:role/R");
  o = {};
  o.mock_result = j("{}");
  o.retrier_retry_count = 2;
  auto t = test_state(j(R"({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true,
                            "ResultSelector": {"r.$": "$$.State.RetryCount"}})"),
                      j("{}"), o);
  CHECK(*t.output == j(R"({"r": 2})"));
}

TEST_CASE("test_state: JSONPath Assign sets variables, reported after the request's", "[testing][test_state]") {
  auto o = debug();
  o.variables = json::object{{"kept", true}, {"x", 0}};
  auto r = test_state(j(R"({"Type": "Pass", "Parameters": {"v.$": "$.a"}, "Assign": {"x.$": "$.v", "old.$": "$x"},
                             "End": true})"),
                      j(R"({"a": 7})"), o);
  CHECK(r.inspection_data.at("variables") == j(R"({"kept": true, "x": 7, "old": 0})"));
  auto c = test_state(j(R"({"Type": "Choice", "Choices": [{"Variable": "$.a", "NumericEquals": 7, "Next": "Seven",
                             "Assign": {"seen.$": "$.a"}}], "Default": "Other"})"),
                      j(R"({"a": 7})"), o);
  CHECK(c.inspection_data.at("variables") == j(R"({"kept": true, "x": 0, "seen": 7})"));
  // A failed state assigns nothing.
  o.mock_error = stepsim::testing::mocked_error{"E", "C"};
  auto f = test_state(j(R"({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Assign": {"y": 1},
                             "End": true})"),
                      j("{}"), o);
  CHECK(f.status == "FAILED");
  CHECK(f.inspection_data.at("variables") == j(R"({"kept": true, "x": 0})"));
}

TEST_CASE("test_state: Wait does not wait and names its Next, and Succeed ends with its OutputPath", "[testing][test_state]") {
  auto w = test_state(j(R"({"Type": "Wait", "Seconds": 3600, "OutputPath": "$.a", "Next": "Later"})"), j(R"({"a": [1]})"),
                      debug());
  CHECK(w.status == "SUCCEEDED");
  CHECK(w.next_state == "Later");
  CHECK(*w.output == j("[1]"));
  auto s = test_state(j(R"({"Type": "Succeed", "InputPath": "$.b"})"), j(R"({"b": 2})"), debug());
  CHECK(s.status == "SUCCEEDED");
  CHECK_FALSE(s.next_state);
  CHECK(*s.output == 2);
  CHECK(s.inspection_data.at("afterInputPath") == 2);
}

TEST_CASE("test_state: a given context object is checked as AWS checks it", "[testing][test_state]") {
  auto const task = j(R"({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true,
                          "ResultSelector": {"ContextObjectValue.$": "$$", "LambdaOutput.$": "$"}})");
  test_state_options o;
  o.mock_result = j(R"({"pokemon": "pikachu"})");
  auto refused = [&](char const* context) {
    o.context = j(context).as_object();
    try {
      test_state(task, j("{}"), o);
    } catch (stepsim::testing::test_state_error const& e) {
      CHECK(e.code() == stepsim::testing::test_state_error::kind::validation);
      return std::string(e.what());
    }
    return std::string("(accepted)");
  };
  CHECK(refused(R"({"Execution": {"Id": 1}})") == "Invalid Context object provided: Execution.Id must be a string");
  CHECK(refused(R"({"Map": {}})") ==
        "Invalid Context object provided: 'Map' field is not supported when mocking a Context object");
  CHECK(refused(R"({"Execution": {"pokemon": "squirtle"}})") == "Invalid Context object provided: Field 'pokemon' is not allowed");
  CHECK(refused(R"({"Pokedex": {}})") == "Invalid Context object provided: Field 'Pokedex' is not allowed");
  CHECK(refused(R"({"Task": {"Token": "abcd123"}})") ==
        "Invalid Context object provided: Context object contains 'Task' when state is not a Task state with a "
        "'.sync' or '.waitForTaskToken' service integration pattern");
  // Empty ones are taken as given.
  for (char const* context : {"{}", R"({"Execution": {}, "State": {}, "StateMachine": {}})"}) {
    o.context = j(context).as_object();
    auto r = test_state(task, j("{}"), o);
    CHECK(r.output->at("ContextObjectValue") == j(context));
  }
  // A Task that waits for its token reads the given one.
  o.context = j(R"({"Task": {"Token": "abcd123"}})").as_object();
  auto waits = test_state(j(R"({"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                                 "Parameters": {"TaskToken.$": "$$.Task.Token"}, "Next": "NEXT_STATE"})"),
                          j("{}"), o);
  CHECK(waits.status == "SUCCEEDED");
  CHECK(waits.next_state == "NEXT_STATE");
}
