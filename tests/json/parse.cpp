#include <stepsim/json/parse.hpp>

#include <boost/json/error.hpp>
#include <catch2/catch.hpp>

#include <string>

namespace sj = stepsim::json;
namespace bj = boost::json;

TEST_CASE("json::parse reads each double as the nearest to its text", "[json][parse]") {
  auto r = sj::parse("[90.57000000000001, 1, 18446744073709551615]", 10);
  REQUIRE(r.value);
  auto const& a = r.value->as_array();
  CHECK(a[0].as_double() == 90.57000000000001);
  CHECK(a[0].as_double() != 90.57);
  CHECK(a[1].is_int64());
  CHECK(a[2].is_uint64());
}

TEST_CASE("json::parse refuses a number past a finite double only when asked", "[json][parse]") {
  CHECK(sj::parse("[1e400]", 10).value);  // Boost.JSON's reading: an infinity
  sj::parse_options o;
  o.finite_numbers_only = true;
  auto r = sj::parse("[1, 1e400]", o);
  CHECK_FALSE(r.value);
  CHECK(r.number_out_of_range);
  CHECK(r.error == bj::error::exponent_overflow);
}

TEST_CASE("json::parse notices a key written twice in one object when asked", "[json][parse]") {
  sj::parse_options o;
  o.note_repeated_keys = true;
  CHECK_FALSE(sj::parse(R"({"a": 1, "b": {"a": 2}})", o).maybe_repeated_key);  // different objects
  auto r = sj::parse(R"({"x": {"a": 1, "b": 2, "a": 3}})", o);
  REQUIRE(r.value);
  CHECK(r.maybe_repeated_key);
  CHECK(r.value->at("x").at("a") == bj::value(3));  // the last one is kept
  std::string many = "{";
  for (int i = 0; i < 20; ++i) many += "\"k" + std::to_string(i) + "\": 0, ";
  CHECK(sj::parse(many + "\"k7\": 1}", o).maybe_repeated_key);  // the sorted search, past 8 keys
  CHECK_FALSE(sj::parse(many + "\"k20\": 1}", o).maybe_repeated_key);
  CHECK_FALSE(sj::parse(R"({"a": 1, "a": 2})", 10).maybe_repeated_key);  // not asked
}

TEST_CASE("json::parse stops after the first value only when asked", "[json][parse]") {
  auto r = sj::parse("{} {}", 10);
  CHECK(r.error == bj::error::extra_data);
  sj::parse_options o;
  o.stop_after_value = true;
  r = sj::parse("{} {}", o);
  REQUIRE(r.value);
  CHECK(r.consumed == 3);  // the value and the whitespace after it
  CHECK(sj::parse("[1, 2", 10).error == bj::error::incomplete);
  CHECK(sj::parse("[[[1]]]", 2).error == bj::error::too_deep);
}
