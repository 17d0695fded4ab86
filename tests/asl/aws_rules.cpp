// Definitions AWS refuses as a whole, beyond each field's own type: each
// refusal names where it is and why (docs/asl-support.md lists the sources).
#include <stepsim/asl/parse.hpp>

#include "asl/definitions.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace stepsim::asl;
using stepsim::test::one_state;
using stepsim::test::only_error_of;

TEST_CASE("A state name used twice inside Map item processors is refused", "[asl][aws-rules]") {
  auto d = only_error_of(R"({"StartAt": "M", "States": {
    "M": {"Type": "Map", "Next": "X", "ItemProcessor": {"StartAt": "X", "States": {"X": {"Type": "Pass", "End": true}}}},
    "X": {"Type": "Succeed"}}})");
  CHECK(d.pointer == "/States/X");
  CHECK(d.message == "DUPLICATE_STATE_NAME: Duplicate State name: X (also the name of the state at "
                     "/States/M/ItemProcessor/States/X); state names must be unique in the whole state machine");
}

TEST_CASE("A state name used in two Parallel branches is refused", "[asl][aws-rules]") {
  auto d = only_error_of(R"({"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [
    {"StartAt": "B", "States": {"B": {"Type": "Pass", "End": true}}},
    {"StartAt": "B", "States": {"B": {"Type": "Pass", "End": true}}}]}}})");
  CHECK(d.pointer == "/States/P/Branches/1/States/B");
}

TEST_CASE("ToleratedFailureCount and ToleratedFailureCountPath together are refused", "[asl][aws-rules]") {
  auto d = only_error_of(one_state(R"({"Type": "Map", "End": true, "ToleratedFailureCount": 1,
    "ToleratedFailureCountPath": "$.n", "ItemProcessor": {"StartAt": "X", "States": {"X": {"Type": "Pass", "End": true}}}})"));
  CHECK(d.pointer == "/States/S/ToleratedFailureCountPath");
  CHECK(d.message == "a Map state takes 'ToleratedFailureCount' or 'ToleratedFailureCountPath', not both");
}

TEST_CASE("ToleratedFailurePercentage and its Path together are refused", "[asl][aws-rules]") {
  auto d = only_error_of(one_state(R"({"Type": "Map", "End": true, "ToleratedFailurePercentage": 10,
    "ToleratedFailurePercentagePath": "$.p", "ItemProcessor": {"StartAt": "X", "States": {"X": {"Type": "Pass", "End": true}}}})"));
  CHECK(d.pointer == "/States/S/ToleratedFailurePercentagePath");
  CHECK(d.message == "a Map state takes 'ToleratedFailurePercentage' or 'ToleratedFailurePercentagePath', not both");
}

TEST_CASE("A machine with no terminal state is refused (MISSING_END_STATE)", "[asl][aws-rules]") {
  auto d = only_error_of(R"({"StartAt": "A", "States": {
    "A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Wait", "Seconds": 1, "Next": "A"}}})");
  CHECK(d.pointer == "/States");
  CHECK(d.message == "MISSING_END_STATE: no state ends the machine; one needs \"End\": true or to be a Succeed or "
                     "Fail state");
}

TEST_CASE("A Parallel branch with no terminal state is refused at its States", "[asl][aws-rules]") {
  auto d = only_error_of(R"({"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [
    {"StartAt": "L", "States": {"L": {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsPresent": true, "Next": "L"}],
                                      "Default": "L"}}}]}}})");
  CHECK(d.pointer == "/States/P/Branches/0/States");
  CHECK(d.message.starts_with("MISSING_END_STATE: "));
}

TEST_CASE("A loop with a way out has a terminal state and is accepted", "[asl][aws-rules]") {
  CHECK(parse(R"({"StartAt": "A", "States": {
    "A": {"Type": "Choice", "Choices": [{"Variable": "$.done", "BooleanEquals": true, "Next": "End"}], "Default": "W"},
    "W": {"Type": "Wait", "Seconds": 1, "Next": "A"}, "End": {"Type": "Succeed"}}})")
            .ok());
}

namespace {
std::string lambda_task(std::string const& resource) {
  return one_state(R"({"Type": "Task", "End": true, "Resource": ")" + resource + "\"}");
}
}  // namespace

TEST_CASE("Lambda function ARNs with an empty or malformed alias or version are refused", "[asl][aws-rules]") {
  auto d = only_error_of(lambda_task("arn:aws:lambda:us-east-1:123456789012:function:Charge:"));
  CHECK(d.pointer == "/States/S/Resource");
  CHECK(d.message == "INVALID_RESOURCE: 'arn:aws:lambda:us-east-1:123456789012:function:Charge:' is not a valid "
                     "Lambda function ARN: the alias or version after the function name is empty");
  CHECK(only_error_of(lambda_task("arn:aws:lambda:us-east-1:123456789012:function:Charge:v1.2")).message ==
        "INVALID_RESOURCE: 'arn:aws:lambda:us-east-1:123456789012:function:Charge:v1.2' is not a valid Lambda "
        "function ARN: the alias or version 'v1.2' must be $LATEST, a version number or an alias of letters, digits, "
        "'-' or '_'");
  CHECK(only_error_of(lambda_task("arn:aws:lambda:us-east-1:123456789012:function:")).message.ends_with(
      "the function name '' must be 1 to 64 letters, digits, '-' or '_'"));
  CHECK(only_error_of(lambda_task("arn:aws:lambda:us-east-1:123456789012:function:F:1:2")).message.ends_with(
      "it has more parts than …:function:NAME:ALIAS"));
  CHECK(only_error_of(lambda_task("arn:aws:lambda:us-east-1:123456789012:layer:L")).message.ends_with(
      "it does not name a function (…:function:NAME)"));
}

TEST_CASE("Well-formed Lambda function ARNs are accepted, with or without a qualifier", "[asl][aws-rules]") {
  for (auto arn : {"arn:aws:lambda:us-east-1:123456789012:function:Charge",
                   "arn:aws:lambda:us-east-1:123456789012:function:Charge:$LATEST",
                   "arn:aws:lambda:us-east-1:123456789012:function:Charge:7",
                   "arn:aws:lambda:us-east-1:123456789012:function:Charge:live_2-b",
                   "arn:aws-cn:lambda:cn-north-1:123456789012:function:my-fn"}) {
    INFO(arn);
    CHECK(parse(lambda_task(arn)).ok());
  }
}

TEST_CASE("Credentials must be an object with RoleArn or RoleArn.$", "[asl][aws-rules]") {
  auto task = [](std::string const& credentials) {
    return one_state(R"({"Type": "Task", "End": true, "Resource": "arn:aws:states:::sqs:sendMessage",
                         "Credentials": )" + credentials + "}");
  };
  auto d = only_error_of(task(R"("arn:aws:iam::111111111111:role/R")"));
  CHECK(d.pointer == "/States/S/Credentials");
  CHECK(d.message == "'Credentials' must be an object with 'RoleArn' (or 'RoleArn.$' for a path)");
  CHECK(only_error_of(task(R"({"Role": "x"})")).pointer == "/States/S/Credentials");
  CHECK(only_error_of(task(R"({"RoleArn": 7})")).pointer == "/States/S/Credentials/RoleArn");
  CHECK(only_error_of(task(R"({"RoleArn.$": 7})")).pointer == "/States/S/Credentials/RoleArn.$");
  CHECK(parse(task(R"({"RoleArn": "arn:aws:iam::111111111111:role/R"})")).ok());
  CHECK(parse(task(R"({"RoleArn.$": "$.role"})")).ok());
}

namespace {
std::string pass_with(std::string const& expression) {
  return one_state(R"({"Type": "Pass", "End": true, "Parameters": {"v.$": ")" + expression + "\"}}");
}
}  // namespace

TEST_CASE("An intrinsic literal argument of the wrong type is refused", "[asl][aws-rules]") {
  auto d = only_error_of(pass_with("States.MathAdd(1, '-1')"));
  CHECK(d.pointer == "/States/S/Parameters/v.$");
  CHECK(d.message == "invalid intrinsic function 'States.MathAdd(1, '-1')': States.MathAdd argument 2 must be a "
                     "number, not the string '-1' at 18");
  CHECK(only_error_of(pass_with("States.ArrayGetItem($.a, 'x')")).message.ends_with(
      "States.ArrayGetItem argument 2 must be a number, not the string 'x' at 25"));
  CHECK(only_error_of(pass_with("States.StringSplit($.s, 1)")).message.ends_with(
      "States.StringSplit argument 2 must be a string, not the number 1 at 24"));
  CHECK(only_error_of(pass_with("States.ArrayLength(null)")).message.ends_with(
      "States.ArrayLength argument 1 must be an array or object (a path or a call), not null at 19"));
  CHECK(only_error_of(pass_with("States.JsonMerge($.a, $.b, 1)")).message.ends_with(
      "States.JsonMerge argument 3 must be a boolean, not the number 1 at 27"));
  CHECK(only_error_of(pass_with("States.Format(1, $.a)")).message.ends_with(
      "States.Format argument 1 must be a string, not the number 1 at 14"));
}

TEST_CASE("Intrinsic arguments of the right type, paths and calls are accepted", "[asl][aws-rules]") {
  for (auto e : {"States.MathAdd(1, -1)", "States.MathAdd($.a, States.ArrayLength($.l))", "States.ArrayGetItem($.a, 0)",
                 "States.Format('{} {}', 1, true)", "States.StringSplit($.s, ',')", "States.Array(1, 'a', null)",
                 "States.JsonMerge($.a, $.b, false)", "States.Hash($.x, 'SHA-256')", "States.MathRandom(1, 9, 3)"}) {
    INFO(e);
    CHECK(parse(pass_with(e)).ok());
  }
}

TEST_CASE("A blank before an intrinsic function's name is refused", "[asl][aws-rules]") {
  auto d = only_error_of(pass_with(" States.UUID()"));
  CHECK(d.pointer == "/States/S/Parameters/v.$");
  CHECK(d.message == "invalid intrinsic function ' States.UUID()': a blank before the intrinsic function's name at 0");
  CHECK(parse(pass_with("States.Array( States.UUID())")).ok());  // between arguments blanks are free
}

TEST_CASE("Paths inside intrinsic arguments take the forms Jayway reads", "[asl][aws-rules]") {
  for (auto e : {"States.ArrayLength($.[0])", "States.Format('{}', $.abc.['def ghi'])",
                 "States.ArrayGetItem($.a, 0)", "States.Array($.l[(@.length-1)])",
                 "States.ArrayLength($.x[?(@.Name==Receipt)])"}) {
    INFO(e);
    CHECK(parse(pass_with(e)).ok());
  }
}
