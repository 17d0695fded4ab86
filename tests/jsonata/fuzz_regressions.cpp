// Inputs found by the libFuzzer targets fuzz_jsonata_parse and
// fuzz_jsonata_eval (tests/fuzz), each asserting the behaviour now expected.
#include <stepsim/jsonata/expression.hpp>

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>

#include <catch2/catch.hpp>

namespace {

namespace json = boost::json;
using stepsim::jsonata::expression;

}  // namespace

TEST_CASE("Fuzz: $lookup with an undefined key reads the key \"undefined\", as the reference's input(undefined)", "[fuzz][jsonata]") {
  // Found as `$lookup({"Bus": "Red", "Police Car": "White"}, $$)` with undefined
  // input: the undefined key was read as a string (null dereference).
  CHECK_FALSE(expression::compile(R"($lookup({"Bus": "Red", "Police Car": "White"}, $$))").evaluate(nullptr));
  auto r = expression::compile(R"($lookup({"undefined": 5, "a": 1}, $$))").evaluate(nullptr);
  REQUIRE(r);
  CHECK(*r == json::value(5));
  auto data = json::parse(R"([{"undefined": "x"}, {"b": 2}, {"undefined": "y"}])");
  auto seq = expression::compile("$lookup($, $nothing)").evaluate(&data);
  REQUIRE(seq);
  CHECK(*seq == json::parse(R"(["x", "y"])"));
}

// Found as leaks (LeakSanitizer, in fuzz_jsonata_eval or an STEPSIM_SANITIZE=ON
// build of these tests): a lambda bound by `:=` in the frame it captures made a
// reference cycle. Here the results are checked; the sanitizer build checks
// that nothing leaks.
TEST_CASE("Fuzz: closures bound in the frame they capture give their results and are freed", "[fuzz][jsonata]") {
  auto eval = [](char const* text) { return expression::compile(text).evaluate(nullptr); };
  CHECK_FALSE(eval("( $f := function($n){()}; $f(1) )"));
  CHECK(eval("( $factorial := function($n){$n = 0 ? 1 : $n * $factorial($n - 1)}; $factorial(5) )") == json::value(120));
  CHECK(eval("( $square := function($x){$x*$x}; $map([1, 3], $square) )") == json::value(json::array{1, 9}));
  CHECK(eval("( $add := function($x, $y){$x+$y}; $add2 := $add(?, 2); $add2(3) )") == json::value(5));
  CHECK(eval(R"(( $o := {"f": function(){ $o.g }, "g": 1}; $f := $o.f; $f() ))") == json::value(1));
}

TEST_CASE("Fuzz: a path step after a filtered array constructor that yields a single value", "[fuzz][jsonata]") {
  // Found as `[0][0].\x9a` (UndefinedBehaviorSanitizer: the step read a number as an array).
  CHECK_FALSE(expression::compile("[0][0].x").evaluate(nullptr));
  CHECK_FALSE(expression::compile("[0][0].a").evaluate(nullptr));
}

TEST_CASE("Fuzz: a NaN result leaves as null, so a result is always JSON", "[fuzz][jsonata]") {
  // Found as $parseInteger('\xff\xff\xff\xdb', '0@00'): the picture cannot read the text, NaN.
  auto r = expression::compile("$parseInteger('\xff\xff\xff\xdb', '0@00')").evaluate(nullptr);
  REQUIRE(r);
  CHECK(r->is_null());
}

TEST_CASE("Fuzz: $pad with a padding string that is a stray UTF-8 continuation byte", "[fuzz][jsonata]") {
  // Found as `$pad("foo", -4, "\x8c")`: the padding counted zero code points,
  // and the padding loop divided by that count. A stray byte is one code
  // point, as $substring counts it.
  auto r = expression::compile("$pad(\"foo\", -4, \"\x8c\")").evaluate(nullptr);
  REQUIRE(r);
  CHECK(*r == json::value("\x8c" "foo"));
  // a partially applied built-in checks its arguments (the open finding 4 of tests/fuzz/README.md)
  CHECK_THROWS_AS(expression::compile("{\"a\": 1} ~> $uppercase(?) ~> $lowercase()").evaluate(nullptr),
                  stepsim::jsonata::error);
}
