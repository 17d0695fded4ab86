#include <stepsim/asl/variables.hpp>

#include <stepsim/asl/parse.hpp>
#include <stepsim/asl/state_machine.hpp>

#include "asl/definitions.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <string>

using namespace stepsim::asl;
namespace json = boost::json;

using stepsim::test::describe;
using stepsim::test::one_state;
using stepsim::test::only_error_of;

TEST_CASE("valid_variable_name takes identifiers of up to 80 characters but not 'states'", "[asl][variables]") {
  std::string why;
  CHECK(valid_variable_name("total", why));
  CHECK(valid_variable_name("_x1", why));
  CHECK(valid_variable_name("café", why));
  CHECK(valid_variable_name(std::string(80, 'a'), why));
  CHECK_FALSE(valid_variable_name(std::string(81, 'a'), why));
  CHECK(why == "the variable name '" + std::string(81, 'a') + "' is longer than 80 characters");
  CHECK_FALSE(valid_variable_name("1st", why));
  CHECK(why == "the variable name '1st' must start with a letter or '_'");
  CHECK_FALSE(valid_variable_name("a-b", why));
  CHECK(why == "the variable name 'a-b' may hold only letters, digits and '_', not '-'");
  CHECK_FALSE(valid_variable_name("states", why));
  CHECK_FALSE(valid_variable_name("", why));
}

TEST_CASE("A JSONPath Assign computes .$ keys and copies the rest as written", "[asl][variables]") {
  diagnostics out;
  auto a = assignment::parse(json::parse(R"j({"x.$": "$.a", "lit": "$.a", "sum.$": "States.MathAdd($y, 1)",
                                              "nested": {"v.$": "$y"}})j"),
                             "/Assign", false, out);
  REQUIRE(a);
  CHECK(a->names() == std::vector<std::string>{"x", "lit", "sum", "nested"});
  json::value input = json::parse(R"({"a": 7})");
  json::value context = json::object{};
  json::object vars{{"y", 41}};
  auto values = a->evaluate(eval_context{input, context, nullptr, &vars});
  CHECK(json::value(values) == json::parse(R"({"x": 7, "lit": "$.a", "sum": 42, "nested": {"v": 41}})"));
}

TEST_CASE("Assign refuses reserved and malformed names, each at its key", "[asl][variables]") {
  auto d = only_error_of(one_state(R"({"Type": "Pass", "Assign": {"states": 1}, "End": true})"));
  CHECK(d.pointer == "/States/S/Assign/states");
  CHECK(d.message == "'states' is reserved: $states holds the state's input, result, error output and context");
  d = only_error_of(one_state(R"({"Type": "Pass", "Assign": {"bad name.$": "$"}, "End": true})"));
  CHECK(d.pointer == "/States/S/Assign/bad name.$");
  CHECK(d.message == "the variable name 'bad name' may hold only letters, digits and '_', not ' '");
}

TEST_CASE("Assign must be an object", "[asl][variables]") {
  auto d = only_error_of(one_state(R"({"Type": "Pass", "Assign": [1], "End": true})"));
  CHECK(d.pointer == "/States/S/Assign");
  CHECK(d.message == "'Assign' must be an object mapping variable names to values");
}

TEST_CASE("Assign is refused on Succeed and Fail states", "[asl][variables]") {
  auto d = only_error_of(one_state(R"({"Type": "Succeed", "Assign": {"x": 1}})"));
  CHECK(d.pointer == "/States/S/Assign");
  CHECK(d.message == "'Assign' is not allowed on a Succeed state: it ends the execution");
}

TEST_CASE("A .$ key in a JSONata state's Assign is refused", "[asl][variables]") {
  auto d = only_error_of(
      one_state(R"({"Type": "Pass", "QueryLanguage": "JSONata", "Assign": {"x.$": "$.a"}, "End": true})"));
  CHECK(d.pointer == "/States/S/Assign/x.$");
  CHECK(d.message == "'x.$': keys ending in '.$' belong to JSONPath; in a JSONata state write the name alone with a "
                     "\"{% expression %}\" value");
}

TEST_CASE("ResultPath cannot name a variable", "[asl][variables]") {
  auto d = only_error_of(one_state(R"({"Type": "Pass", "ResultPath": "$x", "End": true})"));
  CHECK(d.pointer == "/States/S/ResultPath");
  CHECK(d.message == "'ResultPath' cannot name a variable ('$x'); set variables with 'Assign'");
}

TEST_CASE("Assign on a state, a choice rule and a catcher is compiled", "[asl][variables]") {
  auto r = parse(R"({"StartAt": "C", "States": {
    "C": {"Type": "Choice", "Assign": {"d": 1},
          "Choices": [{"Variable": "$.x", "IsPresent": true, "Assign": {"r": 2}, "Next": "T"}], "Default": "T"},
    "T": {"Type": "Task", "Resource": "r", "Assign": {"t.$": "$"},
          "Catch": [{"ErrorEquals": ["States.ALL"], "Assign": {"e.$": "$.Error"}, "Next": "E"}], "End": true},
    "E": {"Type": "Succeed"}}})");
  INFO(describe(r.errors));
  REQUIRE(r.ok());
  CHECK(r.machine->assigns_variables());
  auto const& c = r.machine->at(r.machine->find("C"));
  REQUIRE(c.assign);
  CHECK(c.assign->names() == std::vector<std::string>{"d"});
  REQUIRE(c.choices.at(0).assign);
  CHECK(c.choices.at(0).assign->names() == std::vector<std::string>{"r"});
  auto const& t = r.machine->at(r.machine->find("T"));
  REQUIRE(t.catch_.at(0).assign);
  CHECK(t.catch_.at(0).assign->names() == std::vector<std::string>{"e"});
}

TEST_CASE("A machine without Assign does not keep variables", "[asl][variables]") {
  auto r = parse(one_state(R"({"Type": "Pass", "End": true})"));
  REQUIRE(r.ok());
  CHECK_FALSE(r.machine->assigns_variables());
}

TEST_CASE("check_assigned_sizes refuses a variable over 256 KiB", "[asl][variables]") {
  json::object values{{"small", 1}, {"big", std::string(max_variable_bytes, 'x')}};
  try {
    check_assigned_sizes(values);
    FAIL("no error");
  } catch (states_error const& e) {
    CHECK(e.error() == "States.DataLimitExceeded");
    CHECK(e.cause() == "The value assigned to the variable 'big' is larger than the limit of 262144 bytes.");
  }
  json::object two{{"a", std::string(max_variable_bytes / 2, 'x')}, {"b", std::string(max_variable_bytes / 2, 'x')}};
  CHECK_THROWS_AS(check_assigned_sizes(two), states_error);
  json::object fine{{"a", std::string(1000, 'x')}};
  CHECK_NOTHROW(check_assigned_sizes(fine));
}
