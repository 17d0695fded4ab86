#include <stepsim/engine/execution.hpp>

#include "engine/harness.hpp"

#include <catch2/catch.hpp>

using namespace std::chrono_literals;
using stepsim::engine::execution_options;
using stepsim::engine::execution_status;
using stepsim::test::harness;
using stepsim::test::iso;
namespace json = boost::json;

namespace {

/// One Pass state named P with the given extra fields.
std::string one_pass(std::string_view fields) {
  return R"({"StartAt": "P", "States": {"P": {"Type": "Pass", )" + std::string(fields) + R"(, "End": true}}})";
}

}  // namespace

// ---- data flow -------------------------------------------------------------

TEST_CASE("InputPath selects the part of the input a Pass state passes on", "[engine]") {
  harness h;
  auto r = h.run(one_pass(R"("InputPath": "$.a")"), R"({"a": {"b": 1}, "c": 2})");
  REQUIRE(r.status == execution_status::succeeded);
  CHECK(*r.output == json::parse(R"({"b": 1})"));
}

TEST_CASE("Parameters builds a new object from literals and .$ paths", "[engine]") {
  harness h;
  auto r = h.run(one_pass(R"("Parameters": {"x.$": "$.a.b", "lit": "v", "nested": {"c.$": "$.c"}})"),
                 R"({"a": {"b": 1}, "c": [1, 2]})");
  REQUIRE(r.succeeded());
  CHECK(*r.output == json::parse(R"({"x": 1, "lit": "v", "nested": {"c": [1, 2]}})"));
}

TEST_CASE("ResultPath places the result inside the input", "[engine]") {
  harness h;
  auto r = h.run(one_pass(R"("Result": {"ok": true}, "ResultPath": "$.r")"), R"({"a": 1})");
  REQUIRE(r.succeeded());
  CHECK(*r.output == json::parse(R"({"a": 1, "r": {"ok": true}})"));
}

TEST_CASE("ResultPath creates missing objects along a nested path", "[engine]") {
  harness h;
  auto r = h.run(one_pass(R"("Result": 5, "ResultPath": "$.r.s.t")"), R"({"a": 1})");
  REQUIRE(r.succeeded());
  CHECK(*r.output == json::parse(R"({"a": 1, "r": {"s": {"t": 5}}})"));
}

TEST_CASE("ResultPath overwrites an existing member", "[engine]") {
  harness h;
  auto r = h.run(one_pass(R"("Result": "new", "ResultPath": "$.a")"), R"({"a": "old", "b": 2})");
  REQUIRE(r.succeeded());
  CHECK(*r.output == json::parse(R"({"a": "new", "b": 2})"));
}

TEST_CASE("ResultPath null discards the result and passes the state's input on", "[engine]") {
  harness h;
  auto r = h.run(one_pass(R"("Result": {"dropped": 1}, "ResultPath": null)"), R"({"a": 1})");
  REQUIRE(r.succeeded());
  CHECK(*r.output == json::parse(R"({"a": 1})"));
}

TEST_CASE("ResultPath below a member that is not an object fails the execution", "[engine]") {
  harness h;
  auto r = h.run(one_pass(R"("Result": 1, "ResultPath": "$.a.b")"), R"({"a": "x"})");
  CHECK(r.status == execution_status::failed);
  REQUIRE(r.cause);
  CHECK(r.cause->ends_with(R"(Unable to apply ReferencePath $.a.b to input {"a":"x"})"));
}

TEST_CASE("OutputPath selects the part of the output passed to the next state", "[engine]") {
  harness h;
  auto r = h.run(one_pass(R"("Result": {"keep": [1], "drop": 2}, "OutputPath": "$.keep")"));
  REQUIRE(r.succeeded());
  CHECK(*r.output == json::parse("[1]"));
}

TEST_CASE("InputPath null gives the state an empty object", "[engine]") {
  harness h;
  auto r = h.run(one_pass(R"("InputPath": null)"), R"({"a": 1})");
  REQUIRE(r.succeeded());
  CHECK(*r.output == json::object());
}

TEST_CASE("OutputPath null gives the next state an empty object", "[engine]") {
  harness h;
  auto r = h.run(one_pass(R"("Result": {"a": 1}, "OutputPath": null)"), R"({"b": 2})");
  REQUIRE(r.succeeded());
  CHECK(*r.output == json::object());
}

TEST_CASE("Task data flow runs InputPath, Parameters, the handler, ResultSelector, ResultPath, OutputPath in order", "[engine]") {
  harness h;
  json::value seen;
  h.tasks.add("arn:aws:states:::work", [&](json::value const& in) {
    seen = in;
    return json::value{{"got", in}, {"extra", 5}};
  });
  auto r = h.run(R"json({"StartAt": "T", "States": {"T": {
      "Type": "Task", "Resource": "arn:aws:states:::work",
      "InputPath": "$.in",
      "Parameters": {"v.$": "$.x", "k": "p"},
      "ResultSelector": {"g.$": "$.got"},
      "ResultPath": "$.out",
      "OutputPath": "$.out",
      "End": true}}})json",
                 R"({"in": {"x": 7}, "other": 1})");
  REQUIRE(r.succeeded());
  CHECK(seen == json::parse(R"({"v": 7, "k": "p"})"));
  CHECK(*r.output == json::parse(R"({"g": {"v": 7, "k": "p"}})"));
}

TEST_CASE("Task ResultPath keeps the raw input, not the InputPath selection", "[engine]") {
  harness h;
  h.tasks.add("arn:aws:states:::work", [](json::value const&) { return json::value(42); });
  auto r = h.run(R"({"StartAt": "T", "States": {"T": {
      "Type": "Task", "Resource": "arn:aws:states:::work", "InputPath": "$.in", "ResultPath": "$.res", "End": true}}})",
                 R"({"in": {"x": 7}, "other": 1})");
  REQUIRE(r.succeeded());
  CHECK(*r.output == json::parse(R"({"in": {"x": 7}, "other": 1, "res": 42})"));
}

// ---- the context object ----------------------------------------------------

TEST_CASE("$$ gives the execution's id, name, input, start time, state and machine name", "[engine]") {
  harness h;
  execution_options o;
  o.name = "run-1";
  o.state_machine_name = "Orders";
  auto r = h.run(R"({"StartAt": "Pause", "States": {
      "Pause": {"Type": "Wait", "Seconds": 10, "Next": "Read"},
      "Read": {"Type": "Pass", "Parameters": {
        "id.$": "$$.Execution.Id", "name.$": "$$.Execution.Name", "input.$": "$$.Execution.Input",
        "start.$": "$$.Execution.StartTime", "state.$": "$$.State.Name", "entered.$": "$$.State.EnteredTime",
        "machine.$": "$$.StateMachine.Name"}, "End": true}}})",
                 R"({"k": [1, 2]})", o);
  REQUIRE(r.succeeded());
  CHECK(*r.output == json::parse(R"({
      "id": "arn:aws:states:us-east-1:123456789012:execution:Orders:run-1",
      "name": "run-1",
      "input": {"k": [1, 2]},
      "start": "2024-01-01T00:00:00.000Z",
      "state": "Read",
      "entered": "2024-01-01T00:00:10.000Z",
      "machine": "Orders"})"));
  CHECK(r.execution_arn == "arn:aws:states:us-east-1:123456789012:execution:Orders:run-1");
  CHECK(r.state_machine_arn == "arn:aws:states:us-east-1:123456789012:stateMachine:Orders");
}

TEST_CASE("$$.State.Name in a later state names that state, not the first one that read $$", "[engine]") {
  harness h;
  auto r = h.run(R"({"StartAt": "A", "States": {
      "A": {"Type": "Pass", "Parameters": {"s.$": "$$.State.Name"}, "ResultPath": "$.a", "Next": "B"},
      "B": {"Type": "Pass", "Parameters": {"s.$": "$$.State.Name"}, "ResultPath": "$.b", "End": true}}})");
  REQUIRE(r.succeeded());
  CHECK(*r.output == json::parse(R"({"a": {"s": "A"}, "b": {"s": "B"}})"));
}

// ---- missing paths ---------------------------------------------------------

TEST_CASE("An InputPath matching nothing fails with States.Runtime and AWS's cause", "[engine]") {
  harness h;
  auto r = h.run(one_pass(R"("InputPath": "$.missing")"), R"({"a": 1})");
  CHECK(r.status == execution_status::failed);
  CHECK(r.error == "States.Runtime");
  CHECK(r.cause == "An error occurred while executing the state 'P' (entered at the event id #2). "
                   "Invalid path '$.missing' : No results for path: $['missing']");
}

TEST_CASE("A missing-path cause quotes the event id at which the failing state was entered", "[engine]") {
  harness h;
  auto r = h.run(R"({"StartAt": "A", "States": {
      "A": {"Type": "Pass", "Next": "B"},
      "B": {"Type": "Pass", "OutputPath": "$.nope", "End": true}}})");
  CHECK(r.error == "States.Runtime");
  CHECK(r.cause == "An error occurred while executing the state 'B' (entered at the event id #4). "
                   "Invalid path '$.nope' : No results for path: $['nope']");
}

TEST_CASE("A Parameters .$ path matching nothing fails with States.Runtime quoting field and input", "[engine]") {
  harness h;
  auto r = h.run(one_pass(R"("Parameters": {"x.$": "$.nope"})"), R"({"a": 1})");
  CHECK(r.error == "States.Runtime");
  CHECK(r.cause == "An error occurred while executing the state 'P' (entered at the event id #2). "
                   "The JSONPath '$.nope' specified for the field 'x.$' could not be found in the input "
                   "'{\"a\":1}'");
}

// ---- Wait ------------------------------------------------------------------

TEST_CASE("Wait Seconds takes that much virtual time", "[engine]") {
  harness h;
  auto r = h.run(R"({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 30, "End": true}}})", R"({"a": 1})");
  REQUIRE(r.succeeded());
  CHECK(iso(r.start_date) == "2024-01-01T00:00:00.000Z");
  CHECK(iso(r.stop_date) == "2024-01-01T00:00:30.000Z");
  CHECK(*r.output == json::parse(R"({"a": 1})"));
}

TEST_CASE("Wait SecondsPath waits the number of seconds read from the input", "[engine]") {
  harness h;
  auto r = h.run(R"({"StartAt": "W", "States": {"W": {"Type": "Wait", "SecondsPath": "$.s", "End": true}}})",
                 R"({"s": 45})");
  REQUIRE(r.succeeded());
  CHECK(iso(r.stop_date) == "2024-01-01T00:00:45.000Z");
}

TEST_CASE("Wait Timestamp waits until that instant", "[engine]") {
  harness h;
  auto r = h.run(
      R"({"StartAt": "W", "States": {"W": {"Type": "Wait", "Timestamp": "2024-01-02T03:04:05Z", "End": true}}})");
  REQUIRE(r.succeeded());
  CHECK(iso(r.stop_date) == "2024-01-02T03:04:05.000Z");
}

TEST_CASE("Wait TimestampPath waits until the instant read from the input", "[engine]") {
  harness h;
  auto r = h.run(R"({"StartAt": "W", "States": {"W": {"Type": "Wait", "TimestampPath": "$.t", "End": true}}})",
                 R"({"t": "2024-01-01T00:10:00.250Z"})");
  REQUIRE(r.succeeded());
  CHECK(iso(r.stop_date) == "2024-01-01T00:10:00.250Z");
}

TEST_CASE("A Wait of one year finishes at once with exact stop date and history timestamps", "[engine]") {
  harness h;
  execution_options o;
  o.history = stepsim::engine::history_level::summary;
  auto wall = std::chrono::steady_clock::now();
  auto r = h.run(R"({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 31536000, "End": true}}})", "{}", o);
  CHECK(std::chrono::steady_clock::now() - wall < 5s);
  REQUIRE(r.succeeded());
  CHECK(iso(r.stop_date) == "2024-12-31T00:00:00.000Z");
  REQUIRE(r.events.size() == 4);
  CHECK(r.events[1].type == "WaitStateEntered");
  CHECK(iso(r.events[1].timestamp) == "2024-01-01T00:00:00.000Z");
  CHECK(r.events[2].type == "WaitStateExited");
  CHECK(iso(r.events[2].timestamp) == "2024-12-31T00:00:00.000Z");
  CHECK(r.events[3].timestamp == *r.stop_date);
}

TEST_CASE("A Wait until a timestamp in the past continues at once", "[engine]") {
  harness h;
  auto r = h.run(
      R"({"StartAt": "W", "States": {"W": {"Type": "Wait", "Timestamp": "2020-01-01T00:00:00Z", "Next": "P"},
          "P": {"Type": "Pass", "End": true}}})");
  REQUIRE(r.succeeded());
  CHECK(iso(r.stop_date) == "2024-01-01T00:00:00.000Z");
  CHECK(r.path == std::vector<std::string>{"W", "P"});
}

TEST_CASE("Wait SecondsPath with a negative value fails with AWS's cause", "[engine]") {
  harness h;
  auto r = h.run(R"({"StartAt": "W", "States": {"W": {"Type": "Wait", "SecondsPath": "$.s", "End": true}}})",
                 R"({"s": -1})");
  CHECK(r.error == "States.Runtime");
  CHECK(r.cause == "An error occurred while executing the state 'W' (entered at the event id #2). "
                   "The SecondsPath parameter references a negative value: $.s == -1");
}

TEST_CASE("Wait SecondsPath with a fraction fails as not a long value", "[engine]") {
  harness h;
  auto r = h.run(R"({"StartAt": "W", "States": {"W": {"Type": "Wait", "SecondsPath": "$.s", "End": true}}})",
                 R"({"s": 1.5})");
  CHECK(r.error == "States.Runtime");
  CHECK(r.cause == "An error occurred while executing the state 'W' (entered at the event id #2). "
                   "The SecondsPath parameter cannot be parsed as a long value: $.s == 1.5");
}

TEST_CASE("Wait SecondsPath to a missing field fails as not referencing an input value", "[engine]") {
  harness h;
  auto r = h.run(R"({"StartAt": "W", "States": {"W": {"Type": "Wait", "SecondsPath": "$.s", "End": true}}})", "{}");
  CHECK(r.error == "States.Runtime");
  CHECK(r.cause == "An error occurred while executing the state 'W' (entered at the event id #2). "
                   "The SecondsPath parameter does not reference an input value: $.s");
  CHECK(iso(r.stop_date) == "2024-01-01T00:00:00.000Z");
}

TEST_CASE("Wait TimestampPath to a timestamp without a zone fails with AWS's cause", "[engine]") {
  harness h;
  auto r = h.run(R"({"StartAt": "W", "States": {"W": {"Type": "Wait", "TimestampPath": "$.t", "End": true}}})",
                 R"({"t": "2016-12-05T21:29:29"})");
  CHECK(r.error == "States.Runtime");
  CHECK(r.cause == "An error occurred while executing the state 'W' (entered at the event id #2). "
                   "The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time "
                   "format string: $.t == 2016-12-05T21:29:29");
}

// ---- Succeed, Fail, Choice -------------------------------------------------

TEST_CASE("Succeed ends the execution with its (OutputPath-filtered) input", "[engine]") {
  harness h;
  auto r = h.run(R"({"StartAt": "S", "States": {"S": {"Type": "Succeed", "OutputPath": "$.a"}}})",
                 R"({"a": {"b": 1}})");
  CHECK(r.status == execution_status::succeeded);
  CHECK(*r.output == json::parse(R"({"b": 1})"));
  CHECK_FALSE(r.error);
}

TEST_CASE("Fail ends the execution FAILED with its Error and Cause", "[engine]") {
  harness h;
  auto r = h.run(R"({"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Order.Invalid", "Cause": "no items"}}})");
  CHECK(r.status == execution_status::failed);
  CHECK(r.error == "Order.Invalid");
  CHECK(r.cause == "no items");
  CHECK_FALSE(r.output);
}

TEST_CASE("Fail without Error or Cause leaves both unset", "[engine]") {
  harness h;
  auto r = h.run(R"({"StartAt": "F", "States": {"F": {"Type": "Fail"}}})");
  CHECK(r.status == execution_status::failed);
  CHECK_FALSE(r.error);
  CHECK_FALSE(r.cause);
}

TEST_CASE("Fail ErrorPath and CausePath read the error and cause from the input", "[engine]") {
  harness h;
  auto r = h.run(R"({"StartAt": "F", "States": {"F": {"Type": "Fail", "ErrorPath": "$.e", "CausePath": "$.c"}}})",
                 R"({"e": "Custom.Error", "c": "because"})");
  CHECK(r.status == execution_status::failed);
  CHECK(r.error == "Custom.Error");
  CHECK(r.cause == "because");
}

namespace {
constexpr char const* choice_machine = R"({"StartAt": "C", "States": {
    "C": {"Type": "Choice", "Choices": [
        {"Variable": "$.n", "NumericGreaterThan": 10, "Next": "Big"},
        {"Variable": "$.n", "NumericEquals": 0, "Next": "Zero"}],
      "Default": "Other"},
    "Big": {"Type": "Pass", "Result": "big", "End": true},
    "Zero": {"Type": "Pass", "Result": "zero", "End": true},
    "Other": {"Type": "Pass", "Result": "other", "End": true}}})";
}

TEST_CASE("Choice follows the first rule that matches", "[engine]") {
  harness h;
  auto r = h.run(choice_machine, R"({"n": 11})");
  REQUIRE(r.succeeded());
  CHECK(*r.output == json::value("big"));
  CHECK(r.path == std::vector<std::string>{"C", "Big"});
  auto z = h.run(choice_machine, R"({"n": 0})");
  CHECK(z.path == std::vector<std::string>{"C", "Zero"});
}

TEST_CASE("Choice goes to Default when no rule matches", "[engine]") {
  harness h;
  auto r = h.run(choice_machine, R"({"n": 5})");
  REQUIRE(r.succeeded());
  CHECK(*r.output == json::value("other"));
  CHECK(r.path == std::vector<std::string>{"C", "Other"});
}

TEST_CASE("Choice with no match and no Default fails with States.NoChoiceMatched", "[engine]") {
  harness h;
  auto r = h.run(R"({"StartAt": "C", "States": {
      "C": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericEquals": 1, "Next": "One"}]},
      "One": {"Type": "Succeed"}}})",
                 R"({"n": 2})");
  CHECK(r.status == execution_status::failed);
  CHECK(r.error == "States.NoChoiceMatched");
  CHECK(r.cause == "No choice rule matched the input of the Choice state 'C', and it has no Default");
}

// ---- the result ------------------------------------------------------------

TEST_CASE("path lists the top-level states entered, repeats included", "[engine]") {
  harness h;
  auto r = h.run(R"json({"StartAt": "Count", "States": {
      "Count": {"Type": "Pass", "Parameters": {"n.$": "States.MathAdd($.n, 1)"}, "Next": "Done?"},
      "Done?": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericGreaterThanEquals": 3, "Next": "End"}],
                "Default": "Count"},
      "End": {"Type": "Succeed"}}})json",
                 R"({"n": 0})");
  REQUIRE(r.succeeded());
  CHECK(*r.output == json::parse(R"({"n": 3})"));
  CHECK(r.path == std::vector<std::string>{"Count", "Done?", "Count", "Done?", "Count", "Done?", "End"});
  CHECK(r.states_entered == 7);
}

TEST_CASE("describe() prints the result as AWS DescribeExecution does, plus path", "[engine]") {
  harness h;
  execution_options o;
  o.name = "n1";
  auto r = h.run(R"({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 2, "End": true}}})", R"({"a": 1})", o);
  CHECK(json::value(r.describe()) == json::parse(R"({
      "executionArn": "arn:aws:states:us-east-1:123456789012:execution:StateMachine:n1",
      "stateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:StateMachine",
      "name": "n1",
      "status": "SUCCEEDED",
      "startDate": "2024-01-01T00:00:00.000Z",
      "stopDate": "2024-01-01T00:00:02.000Z",
      "input": "{\"a\":1}",
      "inputDetails": {"included": true},
      "output": "{\"a\":1}",
      "outputDetails": {"included": true},
      "redriveCount": 0,
      "redriveStatus": "NOT_REDRIVABLE",
      "redriveStatusReason": "Execution is SUCCEEDED and cannot be redriven",
      "path": ["W"]})"));
}

TEST_CASE("execution_status prints as AWS status names", "[engine]") {
  using stepsim::engine::to_string;
  CHECK(std::string(to_string(execution_status::running)) == "RUNNING");
  CHECK(std::string(to_string(execution_status::succeeded)) == "SUCCEEDED");
  CHECK(std::string(to_string(execution_status::failed)) == "FAILED");
  CHECK(std::string(to_string(execution_status::timed_out)) == "TIMED_OUT");
  CHECK(std::string(to_string(execution_status::aborted)) == "ABORTED");
}
