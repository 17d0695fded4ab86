// test_state on states of the JSONata query language. Where a case names
// AWS, its request and response are those AWS's TestState gave (as recorded
// by LocalStack's AWS-validated snapshot tests, tests/aws/services/
// stepfunctions/v2/test_state).
#include <stepsim/testing/test_state.hpp>

#include "testing/test_state_helpers.hpp"

#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include <algorithm>
#include <string>
#include <vector>

namespace json = boost::json;
using stepsim::test::debug;
using stepsim::test::j;
using stepsim::test::keys;
using stepsim::testing::test_state;
using stepsim::testing::test_state_options;

namespace {

json::value default_context(json::value const& input, bool retry_count) {
  json::object state{{"Name", "StateName"}, {"EnteredTime", "2024-01-01T00:00:00.000Z"}};
  if (retry_count) state["RetryCount"] = 0;
  return json::object{
      {"Execution", json::object{{"Id", "arn:aws:states:us-east-1:123456789012:express:TestStateMachine:TestState"},
                                 {"Input", input},
                                 {"Name", "TestState"},
                                 {"RoleArn", nullptr},
                                 {"StartTime", "2024-01-01T00:00:00.000Z"}}},
      {"StateMachine", json::object{{"Id", "arn:aws:states:us-east-1:123456789012:stateMachine:TestStateMachine"},
                                    {"Name", "TestStateMachine"}}},
      {"State", std::move(state)}};
}

}  // namespace

TEST_CASE("test_state JSONata: a Pass state reads $states.input, $states.context and the given variables, as on AWS",
          "[testing][test_state][jsonata]") {
  auto const machine = j(R"({"StartAt": "Init", "States": {
      "Init": {"Type": "Pass", "Assign": {"var_input_value.$": "$.input_value", "var_constant_1": 1}, "Next": "State0"},
      "State0": {"QueryLanguage": "JSONata", "Type": "Pass", "End": true, "Output": {
        "ja_states_context": "{% $states.context %}", "ja_states_input": "{% $states.input %}",
        "ja_var_access": "{% $var_input_value %}", "ja_expr": "{% $sum($states.input.input_values) + $var_constant_1 %}"}}}})");
  auto o = debug();
  o.state_name = "State0";
  o.variables = json::object{{"var_input_value", "test_value"}, {"var_constant_1", 10}};
  auto const input = j(R"({"input_values": [1, 2, 3]})");
  auto r = test_state(machine, input, o);
  CHECK(r.status == "SUCCEEDED");
  CHECK_FALSE(r.next_state);
  json::object expect{{"ja_states_context", default_context(input, false)},
                      {"ja_states_input", input},
                      {"ja_var_access", "test_value"},
                      {"ja_expr", 16}};
  CHECK(*r.output == expect);
  CHECK(keys(r.inspection_data) == std::vector<std::string>{"input", "variables"});
  CHECK(r.inspection_data.at("variables") == j(R"({"var_input_value": "test_value", "var_constant_1": 10})"));
  // No variables, none reported.
  o.variables.reset();
  auto plain = test_state(j(R"({"Type": "Pass", "QueryLanguage": "JSONata", "Output": {"c": "$states.input"},
                                "Next": "N"})"),
                          input, o);
  CHECK(*plain.output == j(R"({"c": "$states.input"})"));
  CHECK(plain.next_state == "N");
  CHECK(keys(plain.inspection_data) == std::vector<std::string>{"input"});
}

TEST_CASE("test_state JSONata: Assign sees the variables from before, and the variables after are reported",
          "[testing][test_state][jsonata]") {
  auto o = debug();
  o.variables = json::object{{"n", 1}, {"kept", "k"}};
  auto r = test_state(j(R"({"Type": "Pass", "QueryLanguage": "JSONata", "End": true,
                             "Assign": {"n": "{% $n + $states.input.add %}", "before": "{% $n %}"},
                             "Output": "{% $n %}"})"),
                      j(R"({"add": 5})"), o);
  CHECK(*r.output == 1);  // Output reads the variables from before the state
  CHECK(r.inspection_data.at("variables") == j(R"({"n": 6, "kept": "k", "before": 1})"));
  auto text = r.to_json();
  CHECK(text.at("inspectionData").at("variables") == R"({"n":6,"kept":"k","before":1})");
}

TEST_CASE("test_state JSONata: a Task shows afterArguments and result, and Output and Assign read $states.result",
          "[testing][test_state][jsonata]") {
  auto o = debug();
  o.mock_result = j(R"({"approval": true})");
  auto r = test_state(j(R"({"Type": "Task", "QueryLanguage": "JSONata", "Resource": "arn:aws:states:::apigateway:invoke",
      "Arguments": {"Method": "POST", "Path": "/approval", "RequestBody": {"cost": "{% $states.input.cost %}", "dept_id": "12345678"}},
      "Output": {"approval": "{% $states.result.approval %}", "approved_by": "Mary"},
      "Assign": {"last": "{% $states.result %}"}, "Next": "Check Approval"})"),
                      j(R"({"cost": 10})"), o);
  CHECK(r.status == "SUCCEEDED");
  CHECK(r.next_state == "Check Approval");
  CHECK(*r.output == j(R"({"approval": true, "approved_by": "Mary"})"));
  CHECK(keys(r.inspection_data) == std::vector<std::string>{"afterArguments", "input", "result", "variables"});
  CHECK(r.inspection_data.at("afterArguments") ==
        j(R"({"Method": "POST", "Path": "/approval", "RequestBody": {"cost": 10, "dept_id": "12345678"}})"));
  CHECK(r.inspection_data.at("result") == *o.mock_result);
  CHECK(r.inspection_data.at("variables") == j(R"({"last": {"approval": true}})"));
  // Without Output the result is the output; without Arguments the input is the work's input.
  auto bare = test_state(j(R"({"Type": "Task", "QueryLanguage": "JSONata", "Resource": "arn:aws:states:::lambda:invoke",
                                "End": true})"),
                         j(R"({"x": 1})"), o);
  CHECK(*bare.output == *o.mock_result);
  CHECK(bare.inspection_data.at("afterArguments") == j(R"({"x": 1})"));
}

TEST_CASE("test_state JSONata: a caught error's Output reads $states.errorOutput, as on AWS",
          "[testing][test_state][jsonata]") {
  auto const task = j(R"({"Type": "Task", "QueryLanguage": "JSONata", "Resource": "arn:aws:states:::lambda:invoke",
      "Arguments": {"FunctionName": "foo", "Payload": "bar"},
      "Catch": [{"ErrorEquals": ["MockException"], "Output": "{% $states %}", "Next": "HandleMockError"},
                {"ErrorEquals": ["States.TaskFailed"], "Output": "{% $states %}", "Assign": {"e": "{% $states.errorOutput.Error %}"},
                 "Next": "HandleThreshold"}],
      "End": true})");
  auto o = debug();
  o.mock_error = stepsim::testing::mocked_error{"MockException", "Mock the cause of the error."};
  auto const input = j(R"({"Value": "HelloWorld"})");
  auto r = test_state(task, input, o);
  CHECK(r.status == "CAUGHT_ERROR");
  CHECK(r.error == "MockException");
  CHECK(r.cause == "Mock the cause of the error.");
  CHECK(r.next_state == "HandleMockError");
  json::object expect{{"input", input},
                      {"context", default_context(input, true)},
                      {"errorOutput", j(R"({"Error": "MockException", "Cause": "Mock the cause of the error."})")}};
  CHECK(*r.output == expect);
  CHECK(keys(r.inspection_data) == std::vector<std::string>{"afterArguments", "errorDetails", "input"});
  CHECK(r.inspection_data.at("afterArguments") == j(R"({"FunctionName": "foo", "Payload": "bar"})"));
  CHECK(r.inspection_data.at("errorDetails") == j(R"({"catchIndex": 0})"));
  o.mock_error = stepsim::testing::mocked_error{"States.TaskFailed", "The task failed."};
  auto second = test_state(task, input, o);
  CHECK(second.next_state == "HandleThreshold");
  CHECK(second.inspection_data.at("errorDetails") == j(R"({"catchIndex": 1})"));
  CHECK(second.inspection_data.at("variables") == j(R"({"e": "States.TaskFailed"})"));
  // Without Output, a catcher's output is the error output.
  auto plain = test_state(j(R"({"Type": "Task", "QueryLanguage": "JSONata", "Resource": "arn:aws:states:::lambda:invoke",
      "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "H"}], "End": true})"),
                          input, o);
  CHECK(*plain.output == j(R"({"Error": "States.TaskFailed", "Cause": "The task failed."})"));
}

TEST_CASE("test_state JSONata: a retrier past its attempts is shown by index, as on AWS", "[testing][test_state][jsonata]") {
  auto const task = j(R"({"Type": "Task", "QueryLanguage": "JSONata", "Resource": "arn:aws:states:::lambda:invoke",
      "Arguments": {"FunctionName": "foo", "Payload": "bar"},
      "Retry": [{"ErrorEquals": ["MockException"], "IntervalSeconds": 1, "MaxAttempts": 5, "BackoffRate": 2}],
      "End": true})");
  auto o = debug();
  o.mock_error = stepsim::testing::mocked_error{"MockException", "Mock the cause of the error."};
  o.retrier_retry_count = 4;
  auto r = test_state(task, j(R"({"Values": ["first", "second", "third"]})"), o);
  CHECK(r.status == "RETRIABLE");
  CHECK(r.inspection_data.at("errorDetails") == j(R"({"retryBackoffIntervalSeconds": 16, "retryIndex": 0})"));
  o.retrier_retry_count = 5;
  auto out = test_state(task, j(R"({"Values": ["first", "second", "third"]})"), o);
  CHECK(out.status == "FAILED");
  CHECK(out.inspection_data.at("errorDetails") == j(R"({"retryIndex": 0})"));
  CHECK(keys(out.inspection_data) == std::vector<std::string>{"afterArguments", "errorDetails", "input"});
}

TEST_CASE("test_state JSONata: a Choice state takes the first true Condition with its Output and Assign, as on AWS",
          "[testing][test_state][jsonata]") {
  auto const machine = j(R"({"QueryLanguage": "JSONata", "StartAt": "Approval Required", "States": {
      "Approval Required": {"Type": "Choice", "Choices": [
          {"Condition": "{% $states.input.cost < 10 %}", "Next": "Purchase Approved",
           "Output": {"small": "{% $states.input.cost %}"}, "Assign": {"small": true}}],
        "Default": "Ask for Approval"},
      "Purchase Approved": {"Type": "Succeed"},
      "Ask for Approval": {"Type": "Succeed"}}})");
  auto o = debug();
  o.state_name = "Approval Required";
  auto small = test_state(machine, j(R"({"cost": 9})"), o);
  CHECK(small.status == "SUCCEEDED");
  CHECK(small.next_state == "Purchase Approved");
  CHECK(*small.output == j(R"({"small": 9})"));
  CHECK(small.inspection_data.at("variables") == j(R"({"small": true})"));
  auto large = test_state(machine, j(R"({"cost": 10})"), o);
  CHECK(large.next_state == "Ask for Approval");
  CHECK(*large.output == j(R"({"cost": 10})"));
  CHECK(keys(large.inspection_data) == std::vector<std::string>{"input"});
  auto bad = test_state(j(R"({"Type": "Choice", "QueryLanguage": "JSONata",
      "Choices": [{"Condition": "{% $states.input.cost %}", "Next": "X"}], "Default": "Y"})"),
                        j(R"({"cost": 3})"), o);
  CHECK(bad.status == "FAILED");
  CHECK(bad.error == "States.QueryEvaluationError");
  CHECK(bad.cause == "The JSONata expression '$states.input.cost' specified for the field 'Condition' returned an "
                     "unexpected result type. Expected 'boolean', but was 'number' for value: 3");
}

TEST_CASE("test_state JSONata: Fail, Wait and Succeed compute their fields, and their failures are the state's",
          "[testing][test_state][jsonata]") {
  auto f = test_state(j(R"({"Type": "Fail", "QueryLanguage": "JSONata", "Error": "{% $states.input.e %}",
                             "Cause": "{% 'n=' & $string($states.input.n) %}"})"),
                      j(R"({"e": "E", "n": 3})"), debug());
  CHECK(f.status == "FAILED");
  CHECK(f.error == "E");
  CHECK(f.cause == "n=3");
  CHECK(keys(f.inspection_data) == std::vector<std::string>{"input"});
  auto w = test_state(j(R"({"Type": "Wait", "QueryLanguage": "JSONata", "Seconds": "{% $states.input.s %}",
                             "Output": "{% $states.input.s * 2 %}", "Next": "Later"})"),
                      j(R"({"s": 3600})"));
  CHECK(w.status == "SUCCEEDED");
  CHECK(*w.output == 7200);
  CHECK(w.next_state == "Later");
  auto bad_wait = test_state(j(R"({"Type": "Wait", "QueryLanguage": "JSONata", "Seconds": "{% $states.input.s %}",
                                    "Next": "Later"})"),
                             j(R"({"s": "soon"})"));
  CHECK(bad_wait.status == "FAILED");
  CHECK(bad_wait.error == "States.QueryEvaluationError");
  auto nothing = test_state(j(R"({"Type": "Succeed", "QueryLanguage": "JSONata", "Output": "{% $states.input.missing %}"})"),
                            j("{}"));
  CHECK(nothing.status == "FAILED");
  CHECK(nothing.error == "States.QueryEvaluationError");
  CHECK(nothing.cause == "The JSONata expression '$states.input.missing' specified for the field 'Output' returned "
                         "nothing (undefined).");
}

TEST_CASE("test_state JSONata: a state inside a Parallel branch inherits the enclosing QueryLanguage",
          "[testing][test_state][jsonata]") {
  auto const machine = j(R"({"StartAt": "P", "States": {"P": {"Type": "Parallel", "QueryLanguage": "JSONata", "End": true,
      "Branches": [{"StartAt": "Inner", "States": {"Inner": {"Type": "Pass", "Output": "{% $states.input.y + 1 %}",
                                                              "End": true}}}]}}})");
  test_state_options o;
  o.state_name = "Inner";
  auto r = test_state(machine, j(R"({"y": 4})"), o);
  CHECK(r.status == "SUCCEEDED");
  CHECK(*r.output == 5);
}
