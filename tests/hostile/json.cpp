// Hostile JSON text (issue 13, items 7 and 8): numbers out of range, duplicate keys, documents one after another.
#include <stepsim/asl/json_text.hpp>
#include <stepsim/json/parse.hpp>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

namespace asl = stepsim::asl;
namespace json = boost::json;

TEST_CASE("read_json refuses a number beyond a double, naming it and where it starts", "[hostile][json]") {
  auto r = asl::read_json("{\n  \"a\": [1, -1.5e999]}");
  REQUIRE_FALSE(r.value);
  CHECK(r.error ==
        "the number -1.5e999 at line 2, column 12 is out of range: a JSON number must be a finite double (magnitude "
        "below 1.8E308)");
  std::string error;
  CHECK_FALSE(asl::parse_json(R"({"x": 1e400})", error));
  CHECK(error.starts_with("the number 1e400 at line 1, column 7 is out of range"));
  // The largest double is fine, and so are integers too big for 64 bits (they become doubles).
  CHECK(asl::parse_json("1.7976931348623157e308", error) == json::value(1.7976931348623157e308));
  CHECK(asl::parse_json("123456789012345678901234567890", error) == json::value(1.2345678901234568e29));
}

TEST_CASE("read_json reports each key written twice, with the object's pointer and both positions", "[hostile][json]") {
  auto r = asl::read_json(R"({"a": {"b": [{"c": 1, "d": 2, "c": 3}]}, "a": 0})", {.find_duplicate_keys = true});
  REQUIRE(r.value);
  REQUIRE(r.duplicates.size() == 2);
  CHECK(r.duplicates[0].pointer == "/a/b/0");
  CHECK(r.duplicates[0].key == "c");
  CHECK(r.duplicates[0].first_column == 15);
  CHECK(r.duplicates[0].column == 31);
  CHECK(r.duplicates[1].pointer == "");
  CHECK(r.duplicates[1].key == "a");
  CHECK(asl::to_string(r.duplicates[1]) ==
        "the key 'a' is written twice in one object, at line 1, column 2 and at line 1, column 42");
  // Without the option, the last is kept, as Boost.JSON and AWS do with payloads.
  auto last = asl::read_json(R"({"a": 1, "a": 2})");
  REQUIRE(last.value);
  CHECK(last.duplicates.empty());
  CHECK(*last.value == json::parse(R"({"a": 2})"));
}

TEST_CASE("read_json finds no duplicate in objects whose keys only share prefixes or are split by escapes",
          "[hostile][json]") {
  auto r = asl::read_json(R"({"ab": 1, "a": 2, "b": 3, "a\u0062c": 4, "abc\"": 5, "": 6, " ": 7, "x": {"ab": 8}})",
                          {.find_duplicate_keys = true});
  REQUIRE(r.value);
  CHECK(r.duplicates.empty());
}

TEST_CASE("read_json reads documents one after another, errors positioned in the whole text", "[hostile][json]") {
  std::string text = "{\"a\": 1}\n[2]\n{\"b\": }";
  auto first = asl::read_json(text, {.stop_after_value = true});
  REQUIRE(first.value);
  CHECK(first.consumed == 9);
  auto second = asl::read_json(text, {.stop_after_value = true, .from = 9});
  REQUIRE(second.value);
  CHECK(*second.value == json::parse("[2]"));
  auto third = asl::read_json(text, {.stop_after_value = true, .from = 9 + second.consumed});
  REQUIRE_FALSE(third.value);
  CHECK(third.error == "syntax error at line 3, column 7");
}

TEST_CASE("skip_bom drops one leading UTF-8 byte order mark", "[hostile][json]") {
  CHECK(stepsim::json::skip_bom("\xEF\xBB\xBF{}") == "{}");
  CHECK(stepsim::json::skip_bom("{}") == "{}");
  CHECK(stepsim::json::skip_bom("\xEF\xBB") == "\xEF\xBB");
}
