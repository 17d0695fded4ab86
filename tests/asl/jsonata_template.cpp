#include <stepsim/asl/jsonata_template.hpp>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <string>

using namespace stepsim::asl;
namespace json = boost::json;
namespace jsonata = stepsim::jsonata;

namespace {

jsonata_template compile(std::string_view text, std::string field = "Output") {
  diagnostics out;
  auto t = jsonata_template::parse(json::parse(text), "/States/S/" + field, field, out);
  REQUIRE(out.empty());
  REQUIRE(t);
  return *t;
}

json::value run(jsonata_template const& t, json::object const& vars) {
  jsonata::environment env;
  env.variables = &vars;
  env.functions = jsonata::dialect::step_functions;
  return t.evaluate(env, nullptr);
}

}  // namespace

TEST_CASE("Only a whole {% %} string is an expression", "[asl][jsonata]") {
  CHECK(jsonata_template::is_expression(json::value("{% $x %}")));
  CHECK(jsonata_template::is_expression(json::value("{%$x%}")));
  CHECK_FALSE(jsonata_template::is_expression(json::value(" {% $x %}")));
  CHECK_FALSE(jsonata_template::is_expression(json::value("{% $x %} ")));
  CHECK_FALSE(jsonata_template::is_expression(json::value("$.x")));
  CHECK_FALSE(jsonata_template::is_expression(json::value("{%}")));
  CHECK_FALSE(jsonata_template::is_expression(json::value(1)));
}

TEST_CASE("A template without expressions is its own literal", "[asl][jsonata]") {
  auto t = compile(R"({"a": [1, "$.x", " {% x %} "], "b": null})");
  REQUIRE(t.literal());
  CHECK(*t.literal() == json::parse(R"({"a": [1, "$.x", " {% x %} "], "b": null})"));
  CHECK(t.expression_text().empty());
  CHECK(run(t, {}) == *t.literal());
}

TEST_CASE("Expressions at any depth are evaluated and the rest copied", "[asl][jsonata]") {
  auto t = compile(R"({"a": "{% $v %}", "b": ["{% $w.x %}", "plain"], "c": 3})");
  CHECK(t.literal() == nullptr);
  json::object vars{{"v", 1}, {"w", json::object{{"x", "y"}}}};
  CHECK(run(t, vars) == json::parse(R"({"a": 1, "b": ["y", "plain"], "c": 3})"));
}

TEST_CASE("The expression text is trimmed inside the braces", "[asl][jsonata]") {
  auto t = compile(R"("{%   $v  %}")");
  CHECK(t.expression_text() == "$v");
}

TEST_CASE("An undefined result fails with AWS's cause naming the nested field", "[asl][jsonata]") {
  auto t = compile(R"({"total": "{% $missing %}"})");
  try {
    run(t, {});
    FAIL("no error");
  } catch (states_error const& e) {
    CHECK(e.error() == "States.QueryEvaluationError");
    CHECK(e.cause() == "The JSONata expression '$missing' specified for the field 'Output/total' returned nothing "
                       "(undefined).");
  }
}

TEST_CASE("reads() names the $states fields an expression mentions", "[asl][jsonata]") {
  CHECK(compile(R"("{% $states.input.a %}")").reads() == unsigned(states_field::input));
  CHECK(compile(R"("{% $states . result %}")").reads() == unsigned(states_field::result));
  CHECK(compile(R"(["{% $states.errorOutput %}", "{% $states.context.Execution %}"])").reads() ==
        (unsigned(states_field::error_output) | unsigned(states_field::context)));
  CHECK(compile(R"("{% $statesX %}")").reads() == 0);
  // `$states` itself reads all four fields, and is marked as whole.
  CHECK(compile(R"("{% $keys($states) %}")").reads() ==
        (unsigned(states_field::input) | unsigned(states_field::result) | unsigned(states_field::error_output) |
         unsigned(states_field::context) | unsigned(states_field::whole)));
}

TEST_CASE("unexpected_type_cause quotes the expression, the field and the value", "[asl][jsonata]") {
  auto t = compile(R"("{% $v %}")", "Items");
  CHECK(unexpected_type_cause(t, "array", json::value(1)) ==
        "The JSONata expression '$v' specified for the field 'Items' returned an unexpected result type. Expected "
        "'array', but was 'number' for value: 1");
  CHECK(std::string(jsonata_type_name(json::parse(R"({"a":1})"))) == "object");
  CHECK(std::string(jsonata_type_name(json::value(true))) == "boolean");
}
