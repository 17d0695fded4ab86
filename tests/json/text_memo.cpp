#include <stepsim/json/text_memo.hpp>

#include <catch2/catch.hpp>

#include <string>

using stepsim::json::text_memo;

TEST_CASE("text_memo answers only for the exact text it was given", "[json][text_memo]") {
  text_memo<int> m;
  CHECK(m.find("arn:aws:lambda:us-east-1:123456789012:function:Step1") == nullptr);
  m.put("arn:aws:lambda:us-east-1:123456789012:function:Step1", 1);
  m.put("arn:aws:lambda:us-east-1:123456789012:function:Step2", 2);
  std::string asked = "arn:aws:lambda:us-east-1:123456789012:function:Step1";  // other storage, same text
  REQUIRE(m.find(asked) != nullptr);
  CHECK(*m.find(asked) == 1);
  CHECK(*m.find("arn:aws:lambda:us-east-1:123456789012:function:Step2") == 2);
  // Same length and same last characters (so the same slot), another text: no answer.
  CHECK(m.find("arn:aws:lambda:us-east-1:999999999999:function:Step1") == nullptr);
  CHECK(m.find("Step1") == nullptr);
  CHECK(m.find("") == nullptr);
}

TEST_CASE("text_memo: a text put into an occupied slot replaces the one there", "[json][text_memo]") {
  text_memo<int, 1> m;  // one slot: every text lands in it
  m.put("first", 1);
  m.put("second", 2);
  CHECK(m.find("first") == nullptr);
  REQUIRE(m.find("second") != nullptr);
  CHECK(*m.find("second") == 2);
  m.put("second", 3);
  CHECK(*m.find("second") == 3);
}

TEST_CASE("text_memo: clear forgets every answer, the empty text included", "[json][text_memo]") {
  text_memo<int> m;
  m.put("", 7);
  REQUIRE(m.find("") != nullptr);
  CHECK(*m.find("") == 7);
  m.put("function:Step2", 8);
  REQUIRE(m.find("function:Step2") != nullptr);
  m.clear();
  CHECK(m.find("") == nullptr);
  CHECK(m.find("function:Step2") == nullptr);
}
