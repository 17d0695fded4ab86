// Matcher functions: $match, $contains, $replace and $split given a function
// instead of a regular expression, and a regex called as a function (its
// match object and next()). Expected values are the reference's (jsonata-js
// 2.2.2) answers to the same expressions.
#include <stepsim/jsonata/expression.hpp>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

namespace {

namespace json = boost::json;
using stepsim::jsonata::error;
using stepsim::jsonata::expression;

json::value eval(std::string_view text) {
  auto r = expression::compile(text).evaluate(nullptr);
  REQUIRE(r);
  return *r;
}

bool undefined(std::string_view text) { return !expression::compile(text).evaluate(nullptr); }

error eval_error(std::string_view text) {
  try {
    expression::compile(text).evaluate(nullptr);
  } catch (error const& e) {
    return e;
  }
  FAIL("no error for " << text);
  return error("", "");
}

// A matcher written in JSONata that finds runs of digits through a regex.
constexpr auto digits = R"(function($s){ /[0-9]+/($s) })";

std::string with(std::string_view call, std::string_view rest) {
  return std::string(call) + digits + std::string(rest);
}

}  // namespace

TEST_CASE("a regex called as a function gives {match, start, end, groups} and next() finds the next match") {
  CHECK(eval(R"(/a/("banana"))") == json::parse(R"({"match": "a", "start": 1, "end": 2, "groups": []})"));
  CHECK(eval(R"(/a/("banana").next())") == json::parse(R"({"match": "a", "start": 3, "end": 4, "groups": []})"));
  CHECK(eval(R"(/(a)(n)?/("banana").next().groups)") == json::parse(R"(["a", "n"])"));
  CHECK(undefined(R"(/a/("banana").next().next().next())"));
  CHECK(undefined(R"(/an/("banana").next().next())"));
  // next() from an empty match would never progress
  CHECK(eval_error(R"(/x*/("abc").next())").code() == "D1004");
}

TEST_CASE("$match, $split, $replace and $contains accept a matcher function") {
  CHECK(eval(with(R"($match("a1b22c", )", ")")) ==
        json::parse(R"([{"match": "1", "index": 1, "groups": []}, {"match": "22", "index": 3, "groups": []}])"));
  CHECK(eval(with(R"($match("a1b22c", )", ", 1)")) == json::parse(R"({"match": "1", "index": 1, "groups": []})"));
  CHECK(eval(with(R"($split("a1b22c", )", ")")) == json::parse(R"(["a", "b", "c"])"));
  CHECK(eval(with(R"($split("a1b22c", )", ", 2)")) == json::parse(R"(["a", "b"])"));
  CHECK(eval(with(R"($replace("a1b22c", )", R"(, "#"))")) == json::value("a#b#c"));
  CHECK(eval(with(R"($replace("a1b22c", )", R"(, "#", 1))")) == json::value("a#b22c"));
  CHECK(eval(with(R"($contains("a1b22c", )", ")")) == json::value(true));
  CHECK(eval(with(R"($contains("abc", )", ")")) == json::value(false));
  // a match's next() is itself a matcher: it resumes on the string it came from
  CHECK(eval(R"($match("banana", /a/("banana").next))") ==
        json::parse(R"([{"match": "a", "index": 3, "groups": []}, {"match": "a", "index": 5, "groups": []}])"));
}

TEST_CASE("a hand-written matcher object: $n substitution, a replacer function, undefined = no match") {
  auto const once = R"(function($s){ {"match": "b", "start": 0, "end": 1, "groups": ["x"], "next": function(){ undefined }} })";
  CHECK(eval(std::string(R"($replace("banana", )") + once + R"(, "[$0$1]"))") == json::value("[bx]anana"));
  CHECK(eval(std::string(R"($replace("banana", )") + once + R"(, function($m){ $uppercase($m.match) & $m.end }))") ==
        json::value("B1anana"));
  CHECK(eval(R"($split("x", function($s){ undefined }))") == json::parse(R"(["x"])"));
  CHECK(eval(R"($replace("x", function($s){ undefined }, "y"))") == json::value("x"));
  CHECK(undefined(R"($match("x", function($s){ undefined }))"));
  // the reference counts a falsy answer as a match in $contains (it checks only for undefined)
  CHECK(eval(R"($contains("abc", function($s){ false }))") == json::value(true));
  // a regex's match object passed to a replacer function has next() too
  CHECK(eval(R"($replace("banana", /a/, function($m){ $string($m.next) }))") == json::value("bnn"));
}

TEST_CASE("matcher positions are JavaScript string indices (UTF-16 units)") {
  CHECK(eval(R"($match("héllo wörld", function($s){ /ö/($s) }))") ==
        json::parse(R"({"match": "ö", "index": 7, "groups": []})"));
  CHECK(eval(R"($replace("héllo wörld", function($s){ /ö/($s) }, "o"))") == json::value("héllo world"));
  CHECK(eval(R"($split("héllo wörld", function($s){ /ö/($s) }))") == json::parse(R"(["héllo w", "rld"])"));
  CHECK(eval(R"($split("a😀b😀c", function($s){ /😀/($s) }))") == json::parse(R"(["a", "b", "c"])"));
  CHECK(eval(R"($replace("a😀b😀c", function($s){ /😀/($s) }, "-"))") == json::value("a-b-c"));
}

TEST_CASE("a matcher that does not return a match object is T1010, naming the function") {
  for (auto const* text : {R"($match("abc", function($s){ 5 }))", R"($match("abc", function($s){ {"foo": 1} }))",
                           R"($match("abc", $uppercase))", R"($split("abc", function($s){ [1,2] }))",
                           R"($contains("abc", function($s){ "yes" }))"}) {
    INFO(text);
    auto e = eval_error(text);
    CHECK(e.code() == "T1010");
  }
  auto e = eval_error(R"($match("abc", function($s){ 5 }))");
  CHECK(std::string(e.what()) ==
        "The matcher function argument passed to function \"match\" does not return the correct object structure");
  CHECK(e.position() == 7);
  // a match object without next() where the next match is asked for (the
  // reference fails with a JavaScript TypeError there)
  CHECK(eval_error(R"($match("abc", function($s){ {"start": 1} }))").code() == "T1010");
}

TEST_CASE("a partially applied built-in checks its arguments against its signature") {
  // Found by fuzz_jsonata_eval: the filled-in arguments reached the built-in
  // unchecked, so $uppercase read a number as a string. The reference fails
  // too (a JavaScript TypeError); stepsim with the signature's error.
  CHECK(eval_error("$uppercase(?)(5)").code() == "T0410");
  CHECK(eval_error("$substring(?, 1)(123)").code() == "T0410");
  CHECK(eval_error(R"({"a": 1} ~> $uppercase(?) ~> $lowercase())").code() == "T0410");
  CHECK(undefined("$uppercase(?)()"));
  CHECK(eval(R"($join(?, ",")(["a", "b"]))") == json::value("a,b"));
  CHECK(eval(R"("abc" ~> $uppercase(?))") == json::value("ABC"));
}
