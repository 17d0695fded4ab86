#include <stepsim/asl/payload_template.hpp>

#include <stepsim/asl/json_text.hpp>

#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

#include <string>

using stepsim::asl::diagnostic;
using stepsim::asl::diagnostics;
using stepsim::asl::eval_context;
using stepsim::asl::payload_template;
using stepsim::asl::states_error;
using stepsim::asl::to_text;
namespace json = boost::json;

namespace {

payload_template compile(std::string_view text) {
  diagnostics out;
  auto t = payload_template::parse(json::parse(text), "/Parameters", out);
  INFO((out.empty() ? std::string() : out.front().pointer + ": " + out.front().message));
  REQUIRE(out.empty());
  REQUIRE(t);
  return *t;
}

diagnostics errors_of(std::string_view text) {
  diagnostics out;
  auto t = payload_template::parse(json::parse(text), "/Parameters", out);
  CHECK_FALSE(t);
  return out;
}

// The payload built from `templ` as compact text.
std::string build(std::string_view templ, std::string_view input, std::string_view context = "{}") {
  auto in = json::parse(input);
  auto ctx = json::parse(context);
  return to_text(compile(templ).evaluate(eval_context{in, ctx}));
}

}  // namespace

TEST_CASE("A template without .$ fields is copied as written", "[asl][payload_template]") {
  CHECK(build(R"({"a": 1, "b": [true, null, "x"], "c": {"d": 2.5}})", R"({"ignored": 0})") ==
        R"({"a":1,"b":[true,null,"x"],"c":{"d":2.5}})");
}

TEST_CASE("A template that is not an object is copied as written", "[asl][payload_template]") {
  CHECK(build(R"([1, "two"])", "{}") == R"([1,"two"])");
  CHECK(build(R"("text")", "{}") == R"("text")");
}

TEST_CASE("A .$ field takes its value from the input and drops the suffix", "[asl][payload_template]") {
  CHECK(build(R"({"name.$": "$.user.name", "all.$": "$", "fixed": "k"})",
              R"({"user": {"name": "Ada"}, "n": 1})") ==
        R"({"name":"Ada","all":{"user":{"name":"Ada"},"n":1},"fixed":"k"})");
}

TEST_CASE("A $$ field takes its value from the context object", "[asl][payload_template]") {
  CHECK(build(R"({"id.$": "$$.Execution.Id", "v.$": "$.v"})", R"({"v": 3})",
              R"({"Execution": {"Id": "exec-1"}})") == R"({"id":"exec-1","v":3})");
}

TEST_CASE("Members keep their definition order, literal and computed alike", "[asl][payload_template]") {
  CHECK(build(R"({"z": 1, "y.$": "$.y", "x": 3})", R"({"y": 2})") == R"({"z":1,"y":2,"x":3})");
}

TEST_CASE("A .$ field inside nested objects and arrays is computed", "[asl][payload_template]") {
  CHECK(build(R"({"outer": {"list": [1, {"v.$": "$.a"}, [{"w.$": "$.b[1]"}]], "lit": {"k": "v"}}})",
              R"({"a": "A", "b": [10, 20]})") ==
        R"({"outer":{"list":[1,{"v":"A"},[{"w":20}]],"lit":{"k":"v"}}})");
}

TEST_CASE("An indefinite path in a .$ field yields the list it selects", "[asl][payload_template]") {
  CHECK(build(R"({"ids.$": "$.items[*].id"})", R"({"items": [{"id": 1}, {"id": 2}]})") == R"({"ids":[1,2]})");
}

TEST_CASE("An intrinsic call in a .$ field is evaluated", "[asl][payload_template]") {
  CHECK(build(R"j({"greeting.$": "States.Format('Hello {}, you are {}', $.name, $.age)"})j",
              R"({"name": "Ada", "age": 36})") == R"({"greeting":"Hello Ada, you are 36"})");
}

TEST_CASE("A .$ path that matches nothing fails with AWS's cause", "[asl][payload_template]") {
  auto t = compile(R"({"x.$": "$.x"})");
  auto in = json::parse(R"({"a":1})");
  json::value ctx = json::object{};
  try {
    t.evaluate(eval_context{in, ctx});
    FAIL("evaluate did not throw");
  } catch (states_error const& e) {
    CHECK(e.error() == "States.Runtime");
    CHECK(e.cause() == "The JSONPath '$.x' specified for the field 'x.$' could not be found in the input '{\"a\":1}'");
  }
}

TEST_CASE("A missing path in a nested field names that field", "[asl][payload_template]") {
  auto t = compile(R"({"outer": {"deep.$": "$.a.b"}})");
  auto in = json::parse(R"({"a":{"c":1.5}})");
  json::value ctx = json::object{};
  try {
    t.evaluate(eval_context{in, ctx});
    FAIL("evaluate did not throw");
  } catch (states_error const& e) {
    CHECK(e.error() == "States.Runtime");
    CHECK(e.cause() ==
          "The JSONPath '$.a.b' specified for the field 'deep.$' could not be found in the input '{\"a\":{\"c\":1.5}}'");
  }
}

TEST_CASE("uses_context is true only when some field reads $$", "[asl][payload_template]") {
  CHECK_FALSE(compile(R"({"a": "$$.not.a.path", "b.$": "$.b"})").uses_context());
  CHECK(compile(R"({"a": [{"b.$": "$$.Execution.Id"}]})").uses_context());
  CHECK(compile(R"j({"f.$": "States.Format('{}', $$.State.Name)"})j").uses_context());
  CHECK_FALSE(compile(R"j({"f.$": "States.Format('{}', $.name)"})j").uses_context());
}

TEST_CASE("A field given both as x and x.$ is refused", "[asl][payload_template]") {
  auto e = errors_of(R"({"x": 1, "x.$": "$.a"})");
  REQUIRE(e.size() == 1);
  CHECK(e[0] == diagnostic{"/Parameters/x.$", "the field 'x.$' is also given as 'x'; keep one of them"});

  auto nested = errors_of(R"({"in": {"y.$": "$.a", "y": 2}})");
  REQUIRE(nested.size() == 1);
  CHECK(nested[0].pointer == "/Parameters/in/y.$");
}

TEST_CASE("A .$ value that is not a string is refused", "[asl][payload_template]") {
  auto e = errors_of(R"({"list": [{"n.$": 5}]})");
  REQUIRE(e.size() == 1);
  CHECK(e[0].pointer == "/Parameters/list/0/n.$");
  CHECK(e[0].message ==
        "the value of 'n.$' must be a string holding a JSONPath or an intrinsic function call, because the key "
        "ends with '.$'");
}

TEST_CASE("An intrinsic that does not parse is refused with its text", "[asl][payload_template]") {
  auto e = errors_of(R"j({"x.$": "States.NoSuchThing($.a)"})j");
  REQUIRE(e.size() == 1);
  CHECK(e[0].pointer == "/Parameters/x.$");
  CHECK_THAT(e[0].message, Catch::Matchers::StartsWith("invalid intrinsic function 'States.NoSuchThing($.a)': "));
}

TEST_CASE("Every bad field of a template is reported", "[asl][payload_template]") {
  auto e = errors_of(R"({"a.$": 1, "b.$": "nope", "c.$": "$.ok"})");
  REQUIRE(e.size() == 2);
  CHECK(e[0].pointer == "/Parameters/a.$");
  CHECK(e[1].pointer == "/Parameters/b.$");
}

TEST_CASE("A key with ~ or / is escaped in the diagnostic pointer", "[asl][payload_template]") {
  auto e = errors_of(R"({"a/b~c.$": 1})");
  REQUIRE(e.size() == 1);
  CHECK(e[0].pointer == "/Parameters/a~1b~0c.$");
}

TEST_CASE("literal gives a member written as is, and nothing for computed or absent ones", "[asl][payload_template]") {
  stepsim::asl::diagnostics d;
  auto mixed = stepsim::asl::payload_template::parse(boost::json::parse(R"({"fn": "F", "x.$": "$.x"})"), "", d);
  REQUIRE(mixed);
  REQUIRE(mixed->literal("fn"));
  CHECK(*mixed->literal("fn") == "F");
  CHECK_FALSE(mixed->literal("x"));
  CHECK_FALSE(mixed->literal("absent"));
  auto whole = stepsim::asl::payload_template::parse(boost::json::parse(R"({"fn": "G"})"), "", d);
  REQUIRE(whole);
  CHECK(*whole->literal("fn") == "G");
}
