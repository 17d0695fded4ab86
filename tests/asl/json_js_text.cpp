// Numbers and values as JavaScript's JSON.stringify writes them (the JSONata reference's output).
// Expected texts are node 20's JSON.stringify of the same doubles.
#include <stepsim/asl/json_text.hpp>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <cstdlib>
#include <limits>
#include <string>

using stepsim::asl::append_js_double;
using stepsim::asl::to_js_text;

namespace {

std::string js(double d) {
  std::string out;
  append_js_double(out, d);
  return out;
}

}  // namespace

TEST_CASE("Doubles print as JavaScript: integers below 1e21 without a fraction", "[asl][json_text]") {
  CHECK(js(1.0) == "1");
  CHECK(js(100.0) == "100");
  CHECK(js(-2.0) == "-2");
  CHECK(js(1e20) == "100000000000000000000");
  CHECK(js(123456789012345680000.0) == "123456789012345680000");
  CHECK(js(9007199254740994.0) == "9007199254740994");
}

TEST_CASE("Doubles print as JavaScript: shortest round-trip digits in plain notation from 1e-6", "[asl][json_text]") {
  CHECK(js(1.5) == "1.5");
  CHECK(js(-2.25) == "-2.25");
  CHECK(js(0.1 + 0.2) == "0.30000000000000004");
  CHECK(js(1.0 / 3) == "0.3333333333333333");
  CHECK(js(0.000001) == "0.000001");
  CHECK(js(0.000001234) == "0.000001234");
}

TEST_CASE("Doubles print as JavaScript: exponent notation below 1e-6 and from 1e21", "[asl][json_text]") {
  CHECK(js(1e21) == "1e+21");
  CHECK(js(100.5e19) == "1.005e+21");
  CHECK(js(1e-7) == "1e-7");
  CHECK(js(-1e-7) == "-1e-7");
  CHECK(js(1.5e-7) == "1.5e-7");
  CHECK(js(123e-20) == "1.23e-18");
  CHECK(js(5e-324) == "5e-324");
  CHECK(js(1.7976931348623157e308) == "1.7976931348623157e+308");
}

TEST_CASE("Negative zero prints as 0 and non-finite doubles as String() writes them", "[asl][json_text]") {
  CHECK(js(-0.0) == "0");
  CHECK(js(0.0) == "0");
  CHECK(js(std::numeric_limits<double>::quiet_NaN()) == "NaN");
  CHECK(js(std::numeric_limits<double>::infinity()) == "Infinity");
  CHECK(js(-std::numeric_limits<double>::infinity()) == "-Infinity");
}

TEST_CASE("to_js_text writes NaN and the infinities as null, as JSON.stringify does", "[asl][json_text]") {
  boost::json::array a{std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity(), 1.5};
  CHECK(to_js_text(a) == "[null,null,1.5]");
}

TEST_CASE("to_js_text writes compact JSON with JavaScript numbers inside arrays and objects", "[asl][json_text]") {
  auto v = boost::json::parse(R"({"a":[1.0,2.5,1e21,-0.0],"b":{"c":"x\ny","d":null,"e":true},"f":7})");
  CHECK(to_js_text(v) == R"({"a":[1,2.5,1e+21,0],"b":{"c":"x\ny","d":null,"e":true},"f":7})");
}

TEST_CASE("parse_json reads every double as the nearest to its text, as JSON.parse does", "[asl][json_text]") {
  std::string error;
  // Boost.JSON 1.81's own conversion reads these one unit in the last place low.
  auto v = stepsim::asl::parse_json("[90.57000000000001, 245.79000000000002, 0.1, 336.36, 1.7976931348623157e308]", error);
  REQUIRE(v);
  CHECK(to_js_text(*v) == "[90.57000000000001,245.79000000000002,0.1,336.36,1.7976931348623157e+308]");
  CHECK(v->at(0).as_double() == std::strtod("90.57000000000001", nullptr));
}
