#include <stepsim/asl/choice_rule.hpp>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <string>
#include <vector>

namespace json = boost::json;
using stepsim::asl::choice_rule;
using stepsim::asl::diagnostic;
using stepsim::asl::diagnostics;
using stepsim::asl::states_error;

namespace {

std::string const at = "/States/Check/Choices/0";

choice_rule nested(std::string_view text) {
  diagnostics d;
  auto r = choice_rule::parse(json::parse(text), at, false, d);
  INFO(text);
  REQUIRE(d.empty());
  REQUIRE(r.has_value());
  return *r;
}

bool eval(std::string_view rule, std::string_view input, std::string_view context = "{}") {
  return nested(rule).evaluate(json::parse(input), json::parse(context));
}

diagnostics problems(std::string_view text, bool top_level = true) {
  diagnostics d;
  auto r = choice_rule::parse(json::parse(text), at, top_level, d);
  CHECK(r.has_value() == d.empty());
  return d;
}

struct example {
  char const* rule;
  char const* input;
  bool expected;
};

// Each row recorded against AWS (tests/conformance choice_operators), plus
// the Path forms of operators the recordings leave out.
std::vector<example> const recorded = {
    {R"({"Variable":"$.v","StringEquals":"Hello"})", R"({"v":"Hello"})", true},
    {R"({"Variable":"$.v","StringEquals":"     "})", R"({"v":" "})", false},
    {R"({"Variable":"$.v","StringEquals":"HelloWorld"})", R"({"v":0})", false},
    {R"({"Variable":"$.v","StringEqualsPath":"$.w"})", R"({"v":"\t\n","w":"\t\r\n"})", false},
    {R"({"Variable":"$.v","StringEqualsPath":"$.w"})", R"({"v":"Hello","w":"Hello"})", true},
    {R"({"Variable":"$.v","StringLessThan":""})", R"({"v":""})", false},
    {R"({"Variable":"$.v","StringLessThanPath":"$.w"})", R"({"v":"A","w":"AB"})", true},
    {R"({"Variable":"$.v","StringGreaterThan":"ABC"})", R"({"v":"AB"})", false},
    {R"({"Variable":"$.v","StringGreaterThanPath":"$.w"})", R"({"v":"A","w":"A\t\n\r"})", false},
    {R"({"Variable":"$.v","StringLessThanEquals":"AB"})", R"({"v":"A"})", true},
    {R"({"Variable":"$.v","StringLessThanEqualsPath":"$.w"})", R"({"v":"",  "w":""})", true},
    {R"({"Variable":"$.v","StringGreaterThanEquals":"AB"})", R"({"v":"A"})", false},
    {R"({"Variable":"$.v","StringGreaterThanEqualsPath":"$.w"})", R"({"v":"AB","w":"A"})", true},
    {R"({"Variable":"$.v","NumericEquals":0})", R"({"v":0.0})", true},
    {R"({"Variable":"$.v","NumericEquals":0})", R"({"v":""})", false},
    {R"({"Variable":"$.v","NumericEquals":1})", R"({"v":true})", false},
    {R"({"Variable":"$.v","NumericEquals":2.22})", R"({"v":2.22})", true},
    {R"({"Variable":"$.v","NumericEqualsPath":"$.w"})", R"({"v":0,"w":0.0})", true},
    {R"({"Variable":"$.v","NumericEqualsPath":"$.w"})", R"({"v":1.1,"w":1.0})", false},
    {R"({"Variable":"$.v","NumericLessThan":1})", R"({"v":0})", true},
    {R"({"Variable":"$.v","NumericLessThanPath":"$.w"})", R"({"v":1,"w":1})", false},
    {R"({"Variable":"$.v","NumericGreaterThan":0})", R"({"v":1})", true},
    {R"({"Variable":"$.v","NumericGreaterThanPath":"$.w"})", R"({"v":0,"w":0})", false},
    {R"({"Variable":"$.v","NumericLessThanEquals":0})", R"({"v":0.0})", true},
    {R"({"Variable":"$.v","NumericLessThanEqualsPath":"$.w"})", R"({"v":1,"w":0})", false},
    {R"({"Variable":"$.v","NumericGreaterThanEquals":1})", R"({"v":0})", false},
    {R"({"Variable":"$.v","NumericGreaterThanEqualsPath":"$.w"})", R"({"v":0.0,"w":0})", true},
    {R"({"Variable":"$.v","BooleanEquals":false})", R"({"v":false})", true},
    {R"({"Variable":"$.v","BooleanEquals":false})", R"({"v":0})", false},
    {R"({"Variable":"$.v","BooleanEqualsPath":"$.w"})", R"({"v":true,"w":true})", true},
    {R"({"Variable":"$.v","BooleanEqualsPath":"$.w"})", R"({"v":"HelloWorld","w":false})", false},
    {R"({"Variable":"$.v","TimestampEquals":"2012-10-09T19:00:55Z"})", R"({"v":"2012-10-09T19:00:55Z"})", true},
    {R"({"Variable":"$.v","TimestampEquals":"2012-10-09T19:00:55Z"})", R"({"v":" "})", false},
    {R"({"Variable":"$.v","TimestampEquals":"2012-10-09T19:00:55Z"})", R"({"v":1})", false},
    {R"({"Variable":"$.v","TimestampEqualsPath":"$.w"})",
     R"({"v":"2012-10-09T19:00:56Z","w":"2012-10-09T19:00:55Z"})", false},
    {R"({"Variable":"$.v","TimestampLessThan":"2012-10-09T19:00:56Z"})", R"({"v":"2012-10-09T19:00:55Z"})", true},
    {R"({"Variable":"$.v","TimestampLessThanPath":"$.w"})",
     R"({"v":"2012-10-09T19:00:56Z","w":"2012-10-09T19:00:55Z"})", false},
    {R"({"Variable":"$.v","TimestampGreaterThan":"2012-10-09T19:00:55Z"})", R"({"v":"2012-10-09T19:00:56Z"})", true},
    {R"({"Variable":"$.v","TimestampGreaterThanPath":"$.w"})",
     R"({"v":"2012-10-09T19:00:55Z","w":"2012-10-09T19:00:56Z"})", false},
    {R"({"Variable":"$.v","TimestampLessThanEquals":"2012-10-09T19:00:55Z"})", R"({"v":"2012-10-09T19:00:55Z"})",
     true},
    {R"({"Variable":"$.v","TimestampLessThanEqualsPath":"$.w"})",
     R"({"v":"2012-10-09T19:00:56Z","w":"2012-10-09T19:00:55Z"})", false},
    {R"({"Variable":"$.v","TimestampGreaterThanEquals":"2012-10-09T19:00:56Z"})",
     R"({"v":"2012-10-09T19:00:55Z"})", false},
    {R"({"Variable":"$.v","TimestampGreaterThanEqualsPath":"$.w"})",
     R"({"v":"2012-10-09T19:00:55Z","w":"2012-10-09T19:00:55Z"})", true},
    {R"({"Variable":"$.v","IsNull":true})", R"({"v":null})", true},
    {R"({"Variable":"$.v","IsNull":false})", R"({"v":null})", false},
    {R"({"Variable":"$.v","IsNumeric":true})", R"({"v":1.1})", true},
    {R"({"Variable":"$.v","IsNumeric":false})", R"({"v":""})", true},
    {R"({"Variable":"$.v","IsString":true})", R"({"v":"2012-10-09T19:00:55"})", true},
    {R"({"Variable":"$.v","IsString":true})", R"({"v":[]})", false},
    {R"({"Variable":"$.v","IsBoolean":true})", R"({"v":false})", true},
    {R"({"Variable":"$.v","IsBoolean":true})", R"({"v":0})", false},
    {R"({"Variable":"$.v","IsPresent":true})", R"({"v":null})", true},
    {R"({"Variable":"$.v","IsPresent":false})", R"({"v":{"A":0}})", false},
};

}  // namespace

TEST_CASE("every comparison operator and its Path form agree with AWS's recorded outcomes") {
  for (auto const& e : recorded) {
    CAPTURE(e.rule, e.input);
    CHECK(eval(e.rule, e.input) == e.expected);
  }
}

TEST_CASE("NumericEquals compares int64, uint64 and double by exact value") {
  CHECK(eval(R"({"Variable":"$.v","NumericEquals":1})", R"({"v":1.0})"));
  // 2^63 - 1 is not 2^63, although both round to the same double.
  CHECK_FALSE(eval(R"({"Variable":"$.v","NumericEquals":9223372036854775807})", R"({"v":9223372036854775808.0})"));
  CHECK(eval(R"({"Variable":"$.v","NumericLessThan":9223372036854775808.0})", R"({"v":9223372036854775807})"));
  CHECK(eval(R"({"Variable":"$.v","NumericGreaterThan":-1})", R"({"v":18446744073709551615})"));
  // 2^64 as a double is above UINT64_MAX, though a cast to double would call them equal.
  CHECK(eval(R"({"Variable":"$.v","NumericGreaterThan":18446744073709551615})", R"({"v":18446744073709551616.0})"));
  CHECK_FALSE(eval(R"({"Variable":"$.v","NumericEquals":18446744073709551615})", R"({"v":18446744073709551616.0})"));
  CHECK(eval(R"({"Variable":"$.v","NumericGreaterThan":2})", R"({"v":2.000001})"));
  CHECK(eval(R"({"Variable":"$.v","NumericLessThan":-2})", R"({"v":-2.5})"));
}

TEST_CASE("String comparisons follow Java's UTF-16 code unit order") {
  // U+1F600 is a surrogate pair (D83D DE00) in UTF-16, below U+FF61.
  CHECK(eval(R"({"Variable":"$.v","StringLessThan":"\uFF61"})", R"({"v":"\uD83D\uDE00"})"));
  CHECK(eval(R"({"Variable":"$.v","StringGreaterThan":"\uD7FF"})", R"({"v":"\uD83D\uDE00"})"));
  CHECK(eval(R"({"Variable":"$.v","StringLessThan":"b"})", R"({"v":"aZZ"})"));
  CHECK(eval(R"({"Variable":"$.v","StringLessThan":"a"})", R"({"v":"B"})"));
}

TEST_CASE("StringMatches matches the whole string with * as the only wildcard") {
  auto matches = [](std::string_view pattern, std::string_view text) {
    json::object rule{{"Variable", "$.v"}, {"StringMatches", pattern}};
    return nested(json::serialize(rule)).evaluate(json::object{{"v", text}}, json::object{});
  };
  CHECK(matches("log-*.txt", "log-2024.txt"));
  CHECK(matches("log-*.txt", "log-.txt"));
  CHECK_FALSE(matches("log-*.txt", "log-2024.txt.gz"));
  CHECK_FALSE(matches("log", "a log"));
  CHECK(matches("*", ""));
  CHECK(matches("a*b*c", "abbbc"));
  CHECK_FALSE(matches("a*b*c", "acb"));
  CHECK(matches("?.[x]", "?.[x]"));
  CHECK_FALSE(matches("?", "a"));
  CHECK(matches(R"(a\*b)", "a*b"));
  CHECK_FALSE(matches(R"(a\*b)", "axb"));
  CHECK(matches(R"(a\\*)", R"(a\anything)"));
  CHECK(matches("*é*", "café!"));
  CHECK_FALSE(eval(R"({"Variable":"$.v","StringMatches":"*"})", R"({"v":1})"));
}

TEST_CASE("StringMatches stays fast on patterns that make backtracking matchers exponential") {
  std::string pattern;
  for (int i = 0; i < 40; ++i) pattern += "a*";
  pattern += "b";
  json::object rule{{"Variable", "$.v"}, {"StringMatches", pattern}};
  json::object input{{"v", std::string(20000, 'a')}};
  CHECK_FALSE(nested(json::serialize(rule)).evaluate(input, json::object{}));
}

TEST_CASE("Timestamp comparisons compare instants, so zone offsets are honoured") {
  CHECK(eval(R"({"Variable":"$.v","TimestampEquals":"2012-10-09T19:00:55Z"})", R"({"v":"2012-10-09T20:00:55+01:00"})"));
  CHECK(eval(R"({"Variable":"$.v","TimestampLessThan":"2012-10-09T19:00:55.5Z"})", R"({"v":"2012-10-09T19:00:55Z"})"));
  CHECK_FALSE(eval(R"({"Variable":"$.v","TimestampEquals":"2012-10-09T19:00:55Z"})", R"({"v":"2012-10-09T19:00:55"})"));
  CHECK_FALSE(eval(R"({"Variable":"$.v","TimestampEqualsPath":"$.w"})", R"({"v":"2012-10-09T19:00:55Z","w":"x"})"));
}

TEST_CASE("IsTimestamp is true only for a string holding a valid timestamp") {
  CHECK(eval(R"({"Variable":"$.v","IsTimestamp":true})", R"({"v":"2016-03-14T01:59:00Z"})"));
  CHECK(eval(R"({"Variable":"$.v","IsTimestamp":false})", R"({"v":"2023-02-24"})"));
  CHECK(eval(R"({"Variable":"$.v","IsTimestamp":false})", R"({"v":1457920740})"));
}

TEST_CASE("IsPresent reports a missing Variable instead of failing") {
  CHECK_FALSE(eval(R"({"Variable":"$.missing","IsPresent":true})", "{}"));
  CHECK(eval(R"({"Variable":"$.missing","IsPresent":false})", "{}"));
  CHECK(eval(R"({"Variable":"$.a[3]","IsPresent":false})", R"({"a":[1]})"));
}

TEST_CASE("a missing Variable fails with States.Runtime and AWS's cause") {
  auto const rule = nested(R"({"Variable":"$.missing","IsNull":true})");
  try {
    rule.evaluate(json::parse("{}"), json::object{});
    FAIL("no exception");
  } catch (states_error const& e) {
    CHECK(e.error() == "States.Runtime");
    CHECK(e.cause() == "Invalid path '$.missing': The choice state's condition path references an invalid value.");
  }
}

TEST_CASE("a ...Path operand that matches nothing fails like a missing Variable") {
  auto const rule = nested(R"({"Variable":"$.v","NumericEqualsPath":"$.right"})");
  try {
    rule.evaluate(json::parse(R"({"v":8})"), json::object{});
    FAIL("no exception");
  } catch (states_error const& e) {
    CHECK(e.error() == "States.Runtime");
    CHECK(e.cause() == "Invalid path '$.right': The choice state's condition path references an invalid value.");
  }
}

TEST_CASE("a Variable starting with $$ reads the context object") {
  CHECK(eval(R"({"Variable":"$$.Execution.Input.n","NumericLessThanEquals":0})", R"({"n":5})",
             R"({"Execution":{"Input":{"n":0}}})"));
}

TEST_CASE("And, Or and Not combine rules and short-circuit") {
  CHECK(eval(R"({"And":[{"Variable":"$.type","StringEquals":"Public"}]})", R"({"type":"Public"})"));
  CHECK(eval(R"({"Not":{"Variable":"$.type","StringEquals":"Public"}})", R"({"type":"Private"})"));
  CHECK(eval(R"({"Or":[{"Variable":"$.n","NumericEquals":1},{"Variable":"$.n","NumericEquals":2}]})", R"({"n":2})"));
  // The second rule would fail on the missing variable if it were evaluated.
  CHECK_FALSE(eval(R"({"And":[{"Variable":"$.n","IsNull":true},{"Variable":"$.x","IsNull":true}]})", R"({"n":1})"));
  CHECK(eval(R"({"Or":[{"Variable":"$.n","IsNumeric":true},{"Variable":"$.x","IsNull":true}]})", R"({"n":1})"));
  CHECK(eval(R"({"And":[{"Not":{"Variable":"$.n","NumericLessThan":0}},
                        {"Or":[{"Variable":"$.s","StringMatches":"a*"},{"Variable":"$.s","IsNull":true}]}]})",
             R"({"n":3,"s":"abc"})"));
}

TEST_CASE("a top-level rule exposes its Next, and a nested rule's Next is empty") {
  diagnostics d;
  auto top = choice_rule::parse(json::parse(R"({"Variable":"$.v","IsNull":true,"Next":"Done","Comment":"c"})"), at,
                                true, d);
  REQUIRE(top.has_value());
  CHECK(top->next() == "Done");
  CHECK(nested(R"({"Variable":"$.v","IsNull":true})").next().empty());
}

TEST_CASE("parse reports a missing or duplicate operator") {
  CHECK(problems(R"({"Variable":"$.v","Next":"A"})") ==
        diagnostics{{at, "a choice rule needs one comparison operator (such as StringEquals or IsPresent) or And, "
                         "Or or Not"}});
  CHECK(problems(R"({"Variable":"$.v","IsNull":true,"IsString":true,"Next":"A"})") ==
        diagnostics{{at + "/IsString", "a choice rule takes exactly one operator, but has both 'IsNull' and "
                                       "'IsString'"}});
  CHECK(problems(R"({"And":[{"Variable":"$.v","IsNull":true}],"Not":{"Variable":"$.v","IsNull":true},"Next":"A"})") ==
        diagnostics{{at + "/Not", "a choice rule takes exactly one operator, but has both 'And' and 'Not'"}});
}

TEST_CASE("parse requires a Variable that is a reference path") {
  CHECK(problems(R"({"NumericEquals":1,"Next":"A"})") ==
        diagnostics{{at, "a choice rule with NumericEquals needs a Variable"}});
  CHECK(problems(R"({"Variable":"v","NumericEquals":1,"Next":"A"})") ==
        diagnostics{{at + "/Variable", "Variable must be a path starting with '$', not 'v'"}});
  CHECK(problems(R"({"Variable":1,"NumericEquals":1,"Next":"A"})") ==
        diagnostics{{at + "/Variable", "Variable must be a string holding a path"}});
  CHECK(problems(R"({"Variable":"$.a[*]","NumericEquals":1,"Next":"A"})") ==
        diagnostics{{at + "/Variable",
                     "Variable must be a reference path (names and single indexes only), not '$.a[*]'"}});
  auto const bad = problems(R"({"Variable":"$.a[","IsNull":true,"Next":"A"})");
  REQUIRE(bad.size() == 1);
  CHECK(bad[0].pointer == at + "/Variable");
  CHECK(bad[0].message.starts_with("Variable is not a valid path '$.a[': "));
}

TEST_CASE("parse checks the operand's type for each operator") {
  auto one = [](std::string_view op, std::string_view operand) {
    return problems(std::string(R"({"Variable":"$.v","Next":"A",")") + std::string(op) + "\":" +
                    std::string(operand) + "}");
  };
  CHECK(one("StringEquals", "1") == diagnostics{{at + "/StringEquals", "StringEquals needs a string"}});
  CHECK(one("NumericLessThan", R"("1")") == diagnostics{{at + "/NumericLessThan", "NumericLessThan needs a number"}});
  CHECK(one("BooleanEquals", "1") == diagnostics{{at + "/BooleanEquals", "BooleanEquals needs true or false"}});
  CHECK(one("IsPresent", R"("true")") == diagnostics{{at + "/IsPresent", "IsPresent needs true or false"}});
  CHECK(one("TimestampEquals", R"("2016-03-14")") ==
        diagnostics{{at + "/TimestampEquals",
                     R"(TimestampEquals needs an ISO-8601 timestamp string such as "2016-03-14T01:59:00Z")"}});
  CHECK(one("StringEqualsPath", R"("x")") ==
        diagnostics{{at + "/StringEqualsPath", "StringEqualsPath must be a path starting with '$', not 'x'"}});
  CHECK(one("StringMatches", R"("a\\b")") ==
        diagnostics{{at + "/StringMatches",
                     R"(StringMatches pattern is invalid: a backslash must be followed by '*' or '\' (at 1))"}});
  CHECK(one("StringMatches", R"("a\\")") ==
        diagnostics{{at + "/StringMatches",
                     R"(StringMatches pattern is invalid: a backslash must be followed by '*' or '\' (at 1))"}});
}

TEST_CASE("parse requires Next at top level and forbids it in nested rules") {
  CHECK(problems(R"({"Variable":"$.v","IsNull":true})") == diagnostics{{at, "a top-level choice rule needs Next"}});
  CHECK(problems(R"({"Variable":"$.v","IsNull":true,"Next":7})") ==
        diagnostics{{at + "/Next", "Next must be a non-empty string naming a state"}});
  CHECK(problems(R"({"And":[{"Variable":"$.v","IsNull":true,"Next":"B"}],"Next":"A"})") ==
        diagnostics{{at + "/And/0/Next",
                     "Next is only allowed in a top-level choice rule, not inside And, Or or Not"}});
}

TEST_CASE("parse reports unknown fields but accepts Comment") {
  CHECK(problems(R"({"Variable":"$.v","IsNull":true,"Next":"A","Comment":"why","Value":"x"})") ==
        diagnostics{{at + "/Value", "unknown field 'Value' in a choice rule"}});
}

TEST_CASE("parse leaves a top-level Assign to the state's parser and refuses JSONata's Condition") {
  CHECK(problems(R"({"Variable":"$.v","IsNull":true,"Next":"A","Assign":{"x":1}})").empty());
  CHECK(problems(R"({"Condition":"{% true %}","Next":"A"})") ==
        diagnostics{{at + "/Condition",
                     "'Condition' is a field of JSONata choice rules; this state uses JSONPath (set "
                     "\"QueryLanguage\": \"JSONata\" on the state or the machine to use it)"},
                    {at, "a choice rule needs one comparison operator (such as StringEquals or IsPresent) or And, "
                         "Or or Not"}});
}

TEST_CASE("parse refuses Assign inside And, Or and Not") {
  auto const d = problems(R"({"Not":{"Variable":"$.v","IsNull":true,"Assign":{"x":1}},"Next":"A"})");
  CHECK(d == diagnostics{{at + "/Not/Assign",
                          "Assign is only allowed in a top-level choice rule, not inside And, Or or Not"}});
}

TEST_CASE("evaluate reads $name paths from the variables") {
  diagnostics d;
  auto rule = choice_rule::parse(json::parse(R"({"Variable":"$guess","StringEqualsPath":"$answer.text","Next":"A"})"),
                                 at, true, d);
  REQUIRE(rule);
  json::object vars{{"guess", "42"}, {"answer", json::object{{"text", "42"}}}};
  CHECK(rule->evaluate(json::object{}, json::object{}, &vars));
  vars["guess"] = "41";
  CHECK_FALSE(rule->evaluate(json::object{}, json::object{}, &vars));
  // A variable that is not set fails as a path that matches nothing does.
  CHECK_THROWS_AS(rule->evaluate(json::object{}, json::object{}, nullptr), states_error);
}

TEST_CASE("parse validates And, Or and Not operands and points into nested rules") {
  CHECK(problems(R"({"And":[],"Next":"A"})") ==
        diagnostics{{at + "/And", "And must be a non-empty array of choice rules"}});
  CHECK(problems(R"({"Or":{},"Next":"A"})") ==
        diagnostics{{at + "/Or", "Or must be a non-empty array of choice rules"}});
  CHECK(problems(R"({"Not":[],"Next":"A"})") == diagnostics{{at + "/Not", "Not must be a single choice rule object"}});
  CHECK(problems(R"({"And":[{"Variable":"$.v","IsNull":true},{"Variable":"$.v","NumericEquals":"1"}],"Next":"A"})") ==
        diagnostics{{at + "/And/1/NumericEquals", "NumericEquals needs a number"}});
  CHECK(problems(R"({"Or":[1],"Next":"A"})") == diagnostics{{at + "/Or/0", "a choice rule must be an object"}});
  CHECK(problems(R"({"Variable":"$.v","Not":{"Variable":"$.v","IsNull":true},"Next":"A"})") ==
        diagnostics{{at + "/Variable", "Variable is not allowed with Not"}});
}

TEST_CASE("parse reports every problem, not just the first") {
  auto const d = problems(R"({"Variable":"x","StringEquals":1,"Extra":0})");
  CHECK(d == diagnostics{{at + "/Variable", "Variable must be a path starting with '$', not 'x'"},
                         {at + "/Extra", "unknown field 'Extra' in a choice rule"},
                         {at, "a top-level choice rule needs Next"},
                         {at + "/StringEquals", "StringEquals needs a string"}});
}
