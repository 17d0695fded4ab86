// The parse rules of JSONata states: which fields they take, where $states is bound, syntax errors.
#include <stepsim/asl/parse.hpp>

#include <stepsim/asl/state_machine.hpp>

#include "asl/definitions.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace stepsim::asl;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

using stepsim::test::describe;
using stepsim::test::only_error_of;

namespace {

// A JSONata machine whose only state is `state_json` named "S".
std::string jsonata_state(std::string const& state_json) {
  return R"({"QueryLanguage": "JSONata", "StartAt": "S", "States": {"S": )" + state_json + "}}";
}

}  // namespace

TEST_CASE("A JSONata machine compiles its states' fields once", "[asl][parse][jsonata]") {
  auto r = parse(jsonata_state(R"({"Type": "Task", "Resource": "r", "Arguments": {"id": "{% $states.input.id %}"},
      "Output": "{% $states.result %}", "Assign": {"last": "{% $states.result %}"}, "TimeoutSeconds": "{% 5 %}",
      "End": true})"));
  INFO(describe(r.errors));
  REQUIRE(r.ok());
  auto const& s = r.machine->at(0);
  CHECK(s.language == query_language::jsonata);
  REQUIRE(s.jsonata);
  REQUIRE(s.jsonata->arguments);
  REQUIRE(s.jsonata->output);
  CHECK(s.jsonata->output->expression_text() == "$states.result");
  REQUIRE(s.jsonata->timeout_seconds);
  CHECK_FALSE(s.timeout_seconds);
  REQUIRE(s.assign);
  CHECK(s.assign->jsonata());
}

TEST_CASE("A state inherits JSONata from the top level and may set it on its own", "[asl][parse][jsonata]") {
  auto r = parse(R"({"StartAt": "A", "States": {
      "A": {"Type": "Pass", "QueryLanguage": "JSONata", "Output": "{% $states.input %}", "Next": "B"},
      "B": {"Type": "Pass", "End": true}}})");
  REQUIRE(r.ok());
  CHECK(r.machine->at(r.machine->find("A")).language == query_language::jsonata);
  CHECK(r.machine->at(r.machine->find("B")).language == query_language::jsonpath);
}

TEST_CASE("States of a JSONata Map's item processor default to JSONata", "[asl][parse][jsonata]") {
  auto r = parse(jsonata_state(R"({"Type": "Map", "Items": [1], "End": true,
      "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "Output": "{% 1 %}", "End": true}}}})"));
  INFO(describe(r.errors));
  REQUIRE(r.ok());
  CHECK(r.machine->at(0).item_processor->at(0).language == query_language::jsonata);
}

TEST_CASE("A JSONPath state in a JSONata machine is refused", "[asl][parse][jsonata]") {
  auto d = only_error_of(jsonata_state(R"({"Type": "Pass", "QueryLanguage": "JSONPath", "End": true})"));
  CHECK(d.pointer == "/States/S/QueryLanguage");
  CHECK_THAT(d.message, StartsWith("a state cannot use JSONPath when the state machine's top-level"));
}

TEST_CASE("JSONPath fields are refused in a JSONata state, each with its JSONata form", "[asl][parse][jsonata]") {
  auto d = only_error_of(jsonata_state(R"({"Type": "Pass", "InputPath": "$.a", "End": true})"));
  CHECK(d.pointer == "/States/S/InputPath");
  CHECK(d.message == "'InputPath' is a JSONPath field, not allowed in a JSONata state; use Arguments (with "
                     "$states.input)");
  d = only_error_of(jsonata_state(R"({"Type": "Task", "Resource": "r", "ResultPath": "$.a", "End": true})"));
  CHECK(d.pointer == "/States/S/ResultPath");
  CHECK(d.message == "'ResultPath' is a JSONPath field, not allowed in a JSONata state; use Output (with "
                     "$states.input / $states.result) or Assign");
  d = only_error_of(jsonata_state(R"({"Type": "Wait", "SecondsPath": "$.a", "End": true})"));
  CHECK(d.pointer == "/States/S/SecondsPath");
  CHECK(d.message == "'SecondsPath' is a JSONPath field, not allowed in a JSONata state; use 'Seconds' with a {% %} "
                     "expression");
  d = only_error_of(jsonata_state(R"({"Type": "Pass", "Result": 1, "End": true})"));
  CHECK(d.pointer == "/States/S/Result");
  d = only_error_of(jsonata_state(R"({"Type": "Map", "ItemsPath": "$.a", "End": true,
      "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Succeed"}}}})"));
  CHECK(d.pointer == "/States/S/ItemsPath");
  CHECK(d.message == "'ItemsPath' is a JSONPath field, not allowed in a JSONata state; use Items");
}

TEST_CASE("JSONata fields are refused in a JSONPath state", "[asl][parse][jsonata]") {
  auto d = only_error_of(R"({"StartAt": "S", "States": {"S": {"Type": "Pass", "Output": 1, "End": true}}})");
  CHECK(d.pointer == "/States/S/Output");
  CHECK(d.message == "'Output' is a field of JSONata states; this state uses JSONPath (set \"QueryLanguage\": "
                     "\"JSONata\" on the state or at the top level)");
  d = only_error_of(R"({"StartAt": "S", "States": {"S": {"Type": "Pass", "Arguments": 1, "End": true}}})");
  CHECK(d.pointer == "/States/S/Arguments");
  CHECK(d.message == "'Arguments' is not allowed on a Pass state");
}

TEST_CASE("$states.result is refused where no result is bound", "[asl][parse][jsonata]") {
  auto d = only_error_of(jsonata_state(R"({"Type": "Pass", "Output": "{% $states.result %}", "End": true})"));
  CHECK(d.pointer == "/States/S/Output");
  CHECK(d.message == "'Output' reads $states.result, which is not bound here: only the Output and Assign of a Task, "
                     "Parallel or Map state see the result");
  d = only_error_of(jsonata_state(
      R"({"Type": "Task", "Resource": "r", "Arguments": {"x": "{% $states.result.x %}"}, "End": true})"));
  CHECK(d.pointer == "/States/S/Arguments");
}

TEST_CASE("$states itself is accepted in every Output, as AWS accepts it", "[asl][parse][jsonata]") {
  auto r = parse(R"({"QueryLanguage": "JSONata", "StartAt": "S", "States": {
      "S": {"Type": "Task", "Resource": "r", "End": true, "Output": "{% $states %}",
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "F", "Output": "{% $states %}"}]},
      "F": {"Type": "Pass", "Output": "{% $states %}", "End": true}}})");
  CHECK(r.ok());
}

TEST_CASE("$states.errorOutput is refused outside a catcher and accepted in one", "[asl][parse][jsonata]") {
  auto d = only_error_of(
      jsonata_state(R"({"Type": "Task", "Resource": "r", "Output": "{% $states.errorOutput %}", "End": true})"));
  CHECK(d.pointer == "/States/S/Output");
  CHECK(d.message == "'Output' reads $states.errorOutput, which is not bound here: only the Output and Assign of a "
                     "catcher see the error output");
  auto r = parse(R"({"QueryLanguage": "JSONata", "StartAt": "S", "States": {
      "S": {"Type": "Task", "Resource": "r", "End": true, "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "F",
            "Output": {"why": "{% $states.errorOutput.Cause %}"}, "Assign": {"e": "{% $states.errorOutput %}"}}]},
      "F": {"Type": "Succeed"}}})");
  INFO(describe(r.errors));
  REQUIRE(r.ok());
  auto const& c = r.machine->at(r.machine->find("S")).catch_.at(0);
  CHECK(c.output);
  CHECK(c.assign);
}

TEST_CASE("A catcher of a JSONata state takes Output, not ResultPath", "[asl][parse][jsonata]") {
  auto d = only_error_of(R"({"QueryLanguage": "JSONata", "StartAt": "S", "States": {
      "S": {"Type": "Task", "Resource": "r", "End": true,
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "F", "ResultPath": "$.e"}]},
      "F": {"Type": "Succeed"}}})");
  CHECK(d.pointer == "/States/S/Catch/0/ResultPath");
  CHECK(d.message == "'ResultPath' is not allowed in a catcher of a JSONata state; use 'Output'");
}

TEST_CASE("A JSONata choice rule needs Condition and refuses JSONPath comparisons", "[asl][parse][jsonata]") {
  auto e = stepsim::test::errors_of(jsonata_state(R"({"Type": "Choice", "Choices": [{"Variable": "$.a",
      "IsPresent": true, "Condition": "{% true %}", "Next": "S"}]})"));
  REQUIRE(e.size() == 2);
  CHECK(e[0].pointer == "/States/S/Choices/0/Variable");
  CHECK(e[0].message == "'Variable' is not allowed in a choice rule of a JSONata state: such a rule takes "
                        "'Condition' (a {% %} expression or a boolean), 'Next', 'Output' and 'Assign'");
  CHECK(e[1].pointer == "/States/S/Choices/0/IsPresent");
  auto d = only_error_of(jsonata_state(R"({"Type": "Choice", "Choices": [{"Next": "S"}]})"));
  CHECK(d.pointer == "/States/S/Choices/0");
  CHECK(d.message == "a choice rule of a JSONata state needs 'Condition'");
  d = only_error_of(jsonata_state(R"({"Type": "Choice", "Choices": [{"Condition": "yes", "Next": "S"}]})"));
  CHECK(d.pointer == "/States/S/Choices/0/Condition");
  CHECK(d.message == "'Condition' must be a {% %} expression or true or false");
}

TEST_CASE("A JSONata syntax error names the field's pointer and the position in the expression",
          "[asl][parse][jsonata]") {
  auto d = only_error_of(jsonata_state(R"({"Type": "Pass", "Output": {"a": ["{% 1 + @@ %}"]}, "End": true})"));
  CHECK(d.pointer == "/States/S/Output/a/0");
  CHECK_THAT(d.message, StartsWith("invalid JSONata expression '1 + @@': S0"));
  CHECK_THAT(d.message, Contains(" at position "));
}

TEST_CASE("Items given as a literal must be an array", "[asl][parse][jsonata]") {
  auto d = only_error_of(jsonata_state(R"({"Type": "Map", "Items": {"a": 1}, "End": true,
      "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Succeed"}}}})"));
  CHECK(d.pointer == "/States/S/Items");
  CHECK(d.message == "'Items' must be an array or a {% %} expression giving one");
}
