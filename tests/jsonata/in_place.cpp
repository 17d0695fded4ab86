// Plain paths read in place (expression::find_in_place), the record variable
// (environment::record), and the evaluator's shortcut for leading plain steps:
// each gives exactly what the general evaluation gives.
#include <stepsim/jsonata/expression.hpp>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

namespace {

namespace json = boost::json;
using stepsim::jsonata::environment;
using stepsim::jsonata::expression;
using stepsim::jsonata::record_member;

json::value const data = json::parse(R"({
  "a": {"b": {"c": 1, "list": [1, 2], "one": [3], "none": []}, "s": "text"},
  "items": [{"x": 1, "y": {"z": 1}}, {"x": [2, 3], "y": {"z": 2}}, {"y": [{"z": 3}]}],
  "n": 1.0
})");

std::optional<json::value> eval(std::string_view text, json::value const* input, environment const& env = {}) {
  return expression::compile(text).evaluate(input, env);
}

}  // namespace

TEST_CASE("find_in_place points into the input for a path of field names over objects") {
  CHECK(expression::compile("a.b").find_in_place(&data) == &data.at("a").at("b"));
  CHECK(expression::compile("a.s").find_in_place(&data) == &data.at("a").at("s"));
  // an array at the end is the result, whole, as evaluate gives it
  CHECK(expression::compile("a.b.list").find_in_place(&data) == &data.at("a").at("b").at("list"));
  CHECK(expression::compile("a.b.one").find_in_place(&data) == &data.at("a").at("b").at("one"));
  CHECK(*eval("a.b.one", &data) == json::array{3});
  CHECK(*eval("a.b.none", &data) == json::array{});
  CHECK(expression::compile("$").find_in_place(&data) == &data);
  CHECK(expression::compile("$.a").find_in_place(&data) == &data.at("a"));
}

TEST_CASE("find_in_place gives nullptr where the general rules apply or nothing is found") {
  CHECK_FALSE(expression::compile("items.x").find_in_place(&data));       // an array on the way
  CHECK_FALSE(expression::compile("a.b.list.x").find_in_place(&data));
  CHECK_FALSE(expression::compile("a.b[0]").find_in_place(&data));        // a filter
  CHECK_FALSE(expression::compile("a.b.c + 1").find_in_place(&data));     // not a path
  CHECK_FALSE(expression::compile("a.missing").find_in_place(&data));     // undefined
  CHECK_FALSE(expression::compile("a.s.t").find_in_place(&data));         // a field of a string
  CHECK_FALSE(expression::compile("a.b.c").find_in_place(nullptr));       // no input
  CHECK_FALSE(expression::compile("$string").find_in_place(&data));       // a function
  CHECK_FALSE(expression::compile("$$.a").find_in_place(&data));          // the root: left to evaluate
  // a number: evaluate gives JavaScript's number (1.0 and 1 are one number)
  CHECK_FALSE(expression::compile("n").find_in_place(&data));
  CHECK(eval("n", &data)->is_int64());
  CHECK(*eval("n", &data) == json::value(1));
  json::value arr = json::array{json::object{{"a", 1}}};
  CHECK_FALSE(expression::compile("a").find_in_place(&arr));  // a field of an array: each item's
  CHECK(*eval("a", &arr) == json::value(1));
}

TEST_CASE("the general evaluation agrees with the plain-step shortcut where paths meet arrays") {
  CHECK(json::serialize(*eval("items.x", &data)) == "[1,2,3]");
  CHECK(json::serialize(*eval("items.y.z", &data)) == "[1,2,3]");
  CHECK(json::serialize(*eval("a.b.list", &data)) == "[1,2]");
  CHECK(json::serialize(*eval("$.items[0].x", &data)) == "1");
  CHECK(json::serialize(*eval("($o := {'p': {'q': [1]}}; $o.p.q)", &data)) == "[1]");
  CHECK(json::serialize(*eval("($o := {'p': [{'q': 1}, {'q': 2}]}; $o.p.q)", &data)) == "[1,2]");
  CHECK(json::serialize(*eval("($o := {'p': {'q': 5}}; $o.p.q)", &data)) == "5");
  CHECK_FALSE(eval("a.b.c.d", &data));
  CHECK_FALSE(eval("a.b.none.x", &data));
}

TEST_CASE("a record variable is an object of the caller's values, read in place, absent members omitted") {
  json::value input = json::object{{"k", "v"}};
  json::value result = json::array{1, 2};
  record_member const members[] = {{"input", &input}, {"context", nullptr}, {"result", &result}};
  json::object vars{{"states", "shadowed"}, {"x", 4}};
  environment env;
  env.record_name = "states";
  env.record = members;
  env.variables = &vars;
  CHECK(expression::compile("$states.input").find_in_place(&input, env) == &input);
  CHECK(expression::compile("$states.result").find_in_place(&input, env) == &result);
  CHECK(expression::compile("$states.input.k").find_in_place(&input, env) == &input.at("k"));
  CHECK_FALSE(expression::compile("$states.context").find_in_place(&input, env));
  CHECK_FALSE(eval("$states.context", &input, env));
  CHECK(json::serialize(*eval("$states", &input, env)) == R"({"input":{"k":"v"},"result":[1,2]})");
  CHECK(json::serialize(*eval("$states.result[1]", &input, env)) == "2");
  CHECK(json::serialize(*eval("$keys($states)", &input, env)) == R"(["input","result"])");
  CHECK(*eval("$x", &input, env) == json::value(4));
  CHECK_FALSE(expression::compile("$x").find_in_place(&input, env));  // a number
  CHECK(expression::compile("$states.input.k").find_in_place(&input, env) == &input.at("k"));
  // the expression's own binding shadows the record
  CHECK(*eval("($states := 1; $states)", &input, env) == json::value(1));
}

TEST_CASE("a plain path meeting arrays, read from the input, gives what the general evaluation gives") {
  json::value const deep = json::parse(R"({
    "o": [{"p": [{"s": "a", "n": 1.0, "l": [1, [2]]}, {"s": "b", "n": 2.5}]}, {"p": {"s": "c", "l": []}},
          {"p": []}, {"q": 1}, 7, "t", null],
    "one": [{"p": {"l": [4, 5]}}],
    "two": [{"l": [1]}, {"l": [2]}],
    "nested": [[{"s": 1}], {"s": 2}],
    "e": []
  })");
  json::value const top = json::array{json::object{{"s", 1}}, json::object{{"s", json::array{2, 3}}}};
  json::object vars{{"v", json::array{json::object{{"w", 1}}, json::object{{"w", 2}}}}, {"u", json::object{{"w", json::array{3}}}}};
  environment env;
  env.variables = &vars;
  for (std::string path : {"o.p.s", "o.p.n", "o.p.l", "o.p", "o.q", "o.p.missing", "one.p.l", "two.l", "nested.s",
                           "e.x", "o.p.s.x", "$.o.p.s", "$v.w", "$u.w", "$v.w.x", "$missing.w", "$string.x"}) {
    INFO(path);
    auto const fast = eval(path, &deep, env);
    auto const general = eval("(" + path + ")", &deep, env);
    REQUIRE(fast.has_value() == general.has_value());
    if (fast) CHECK(json::serialize(*fast) == json::serialize(*general));
  }
  CHECK(json::serialize(*eval("o.p.s", &deep)) == R"(["a","b","c"])");
  CHECK(*eval("o.p.n", &deep) == json::array{1, 2.5});  // numbers as JavaScript's
  CHECK(json::serialize(*eval("o.p.l", &deep)) == "[1,[2]]");        // one level flattened
  CHECK(json::serialize(*eval("one.p.l", &deep)) == "[4,5]");        // the only array: whole
  CHECK(json::serialize(*eval("two.l", &deep)) == "[1,2]");
  CHECK(json::serialize(*eval("nested.s", &deep)) == "[1,2]");       // an array inside an array
  CHECK_FALSE(eval("e.x", &deep));
  for (std::string path : {"s", "$.s"}) {
    INFO(path);
    auto const fast = eval(path, &top);
    auto const general = eval("(" + path + ")", &top);
    REQUIRE(fast.has_value() == general.has_value());
    if (fast) CHECK(json::serialize(*fast) == json::serialize(*general));
  }
}
