#include <stepsim/asl/json_text.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <string>

using stepsim::asl::append_java_double;
using stepsim::asl::append_text;
using stepsim::asl::max_json_depth;
using stepsim::asl::parse_json;
using stepsim::asl::to_text;
namespace json = boost::json;

namespace {

std::string java(double d) {
  std::string out;
  append_java_double(out, d);
  return out;
}

}  // namespace

TEST_CASE("Doubles print as Java's Double.toString in plain notation between 1e-3 and 1e7", "[asl][json_text]") {
  CHECK(java(1.5) == "1.5");
  CHECK(java(1.0) == "1.0");
  CHECK(java(100.0) == "100.0");
  CHECK(java(0.001) == "0.001");
  CHECK(java(0.1) == "0.1");
  CHECK(java(123.456) == "123.456");
  CHECK(java(9999999.0) == "9999999.0");
  CHECK(java(1234567.5) == "1234567.5");
  CHECK(java(-2.25) == "-2.25");
}

TEST_CASE("Doubles print as Java's Double.toString in E notation below 1e-3 and from 1e7 up", "[asl][json_text]") {
  CHECK(java(1.0e7) == "1.0E7");
  CHECK(java(1.0e10) == "1.0E10");
  CHECK(java(1.234e-5) == "1.234E-5");
  CHECK(java(1.0e-4) == "1.0E-4");
  CHECK(java(9.99e-4) == "9.99E-4");
  CHECK(java(123456789.0) == "1.23456789E8");
  CHECK(java(-1.5e300) == "-1.5E300");
  CHECK(java(std::numeric_limits<double>::max()) == "1.7976931348623157E308");
}

TEST_CASE("Subnormal doubles print the two closest digits, as Java does", "[asl][json_text]") {
  // Java always prints at least two significant digits in E notation and picks
  // the pair closest to the exact value: Double.MIN_VALUE is "4.9E-324", not "5.0E-324".
  CHECK(java(std::numeric_limits<double>::denorm_min()) == "4.9E-324");
}

TEST_CASE("Zero and negative zero print as Java does", "[asl][json_text]") {
  CHECK(java(0.0) == "0.0");
  CHECK(java(-0.0) == "-0.0");
}

TEST_CASE("Non-finite doubles print as null, never as Infinity or NaN, so the text stays JSON", "[asl][json_text]") {
  CHECK(stepsim::asl::to_text(boost::json::value(std::numeric_limits<double>::quiet_NaN())) == "null");
  CHECK(stepsim::asl::to_text(boost::json::value(-std::numeric_limits<double>::infinity())) == "null");
  CHECK(stepsim::asl::to_text(boost::json::value{{"x", std::numeric_limits<double>::infinity()}}) == R"({"x":null})");
}

TEST_CASE("Doubles print with the shortest digits that round-trip", "[asl][json_text]") {
  CHECK(java(0.1 + 0.2) == "0.30000000000000004");
  CHECK(java(1.0 / 3.0) == "0.3333333333333333");
  CHECK(java(2.0 / 3.0 * 1e-5) == "6.666666666666667E-6");
}

TEST_CASE("append_java_double appends to what is already there", "[asl][json_text]") {
  std::string out = "x=";
  append_java_double(out, 2.0);
  CHECK(out == "x=2.0");
}

TEST_CASE("Integers stay integers in JSON text", "[asl][json_text]") {
  CHECK(to_text(json::value(42)) == "42");
  CHECK(to_text(json::value(-7)) == "-7");
  CHECK(to_text(json::value(std::int64_t{10000000000})) == "10000000000");
  CHECK(to_text(json::value(std::numeric_limits<std::uint64_t>::max())) == "18446744073709551615");
  CHECK(to_text(json::parse("[1, 1.0, 1e2, 100]")) == "[1,1.0,100.0,100]");
}

TEST_CASE("Objects and arrays are compact with members in their order", "[asl][json_text]") {
  auto v = json::parse(R"({ "z" : 1, "a" : [ true , false , null , { } , [ ] ], "m" : { "k" : "v", "d": 1.0E7 } })");
  CHECK(to_text(v) == R"({"z":1,"a":[true,false,null,{},[]],"m":{"k":"v","d":1.0E7}})");
  CHECK(to_text(json::object{}) == "{}");
  CHECK(to_text(json::array{}) == "[]");
}

TEST_CASE("Strings keep unicode as UTF-8 and escape quotes, backslashes and control characters",
          "[asl][json_text]") {
  auto v = json::parse(R"({"caf\u00e9 \"q\"": "line1\nline2\t\\ \u0001 \u20ac \ud83d\ude00 /"})");
  CHECK(to_text(v) == "{\"caf\xC3\xA9 \\\"q\\\"\":\"line1\\nline2\\t\\\\ \\u0001 \xE2\x82\xAC \xF0\x9F\x98\x80 /\"}");
}

TEST_CASE("append_text appends the text of a value", "[asl][json_text]") {
  std::string out = "payload: ";
  append_text(out, json::parse(R"({"a": [0.5]})"));
  CHECK(out == R"(payload: {"a":[0.5]})");
}

TEST_CASE("parse_json accepts one value with surrounding whitespace", "[asl][json_text]") {
  std::string error;
  auto v = parse_json(" \n {\"a\": [1, 2.5]} \n\t", error);
  REQUIRE(v);
  CHECK(error.empty());
  CHECK(to_text(*v) == R"({"a":[1,2.5]})");
}

TEST_CASE("parse_json reports a syntax error with its line and column", "[asl][json_text]") {
  std::string error;
  CHECK_FALSE(parse_json("{\n  \"a\": 1,\n  \"b\": ]\n}", error));
  CHECK_THAT(error, Catch::Matchers::EndsWith(" at line 3, column 8"));

  CHECK_FALSE(parse_json(R"({"a" 1})", error));
  CHECK_THAT(error, Catch::Matchers::EndsWith(" at line 1, column 6"));
}

TEST_CASE("parse_json refuses an unterminated document", "[asl][json_text]") {
  std::string error;
  CHECK_FALSE(parse_json("{\"a\": [1,\n2", error));
  CHECK_THAT(error, Catch::Matchers::Contains(" at line 2, column 2"));
}

TEST_CASE("parse_json refuses text after the value", "[asl][json_text]") {
  std::string error;
  CHECK_FALSE(parse_json("{} x", error));
  CHECK_THAT(error, Catch::Matchers::EndsWith(" at line 1, column 4"));
}

TEST_CASE("parse_json refuses an empty document", "[asl][json_text]") {
  std::string error;
  CHECK_FALSE(parse_json("", error));
  CHECK(error == "empty document: expected a JSON value");
  CHECK_FALSE(parse_json(" \n\t ", error));
  CHECK(error == "empty document: expected a JSON value");
}

TEST_CASE("parse_json accepts nesting up to max_json_depth and refuses one level more", "[asl][json_text]") {
  std::string error;
  auto ok = std::string(max_json_depth, '[') + std::string(max_json_depth, ']');
  CHECK(parse_json(ok, error));

  auto deep = std::string(max_json_depth + 1, '[') + std::string(max_json_depth + 1, ']');
  CHECK_FALSE(parse_json(deep, error));
  CHECK(error == "nested deeper than 1000 levels at line 1, column 1001");
}

TEST_CASE("parse_json refuses 100000 levels of nesting without crashing", "[asl][json_text]") {
  std::string error;
  CHECK_FALSE(parse_json(std::string(100000, '['), error));
  CHECK_THAT(error, Catch::Matchers::StartsWith("nested deeper than 1000 levels"));
}
