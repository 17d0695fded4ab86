// Hostile definitions (issue 13, items 5, 7 and 8): size, duplicates, numbers out of range, linear parsing.
#include <stepsim/asl/parse.hpp>

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <string>

namespace asl = stepsim::asl;
namespace json = boost::json;

namespace {

/// A valid definition of one Pass state padded with spaces to exactly `bytes` bytes.
std::string padded(std::size_t bytes, std::string const& comment = "") {
  auto text = fmt::format(R"({{"Comment": "{}", "StartAt": "A", "States": {{"A": {{"Type": "Pass", "End": true}}}}}})",
                          comment);
  text.append(bytes - text.size(), ' ');
  return text;
}

}  // namespace

TEST_CASE("A definition of exactly 1,048,576 characters is accepted", "[hostile][asl]") {
  CHECK(asl::parse(padded(1048576)).ok());
}

TEST_CASE("A definition of 1,048,577 characters is refused with AWS's validation message", "[hostile][asl]") {
  auto r = asl::parse(padded(1048577));
  REQUIRE_FALSE(r.ok());
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].pointer == "");
  CHECK(r.errors[0].message ==
        "the definition is longer than 1048576 characters, the most AWS accepts: \"1 validation error detected: Value "
        "at 'definition' failed to satisfy constraint: Member must have length less than or equal to 1048576\"");
}

TEST_CASE("The definition size limit counts characters, not bytes", "[hostile][asl]") {
  // 1,000 'é' are 2,000 bytes but 1,000 characters; a character outside the BMP counts two, as in Java.
  std::string e_acute;
  for (int i = 0; i < 1000; ++i) e_acute += "\xC3\xA9";
  auto text = padded(1048576 + 1000, e_acute);
  CHECK(asl::parse(text).ok());
  std::string emoji;
  for (int i = 0; i < 1000; ++i) emoji += "\xF0\x9F\x98\x80";  // 4 bytes, 2 UTF-16 units each
  CHECK(asl::parse(padded(1048576 + 2000, emoji)).ok());
  CHECK_FALSE(asl::parse(padded(1048576 + 2001, emoji)).ok());
}

TEST_CASE("Two states of the same name are refused with both positions", "[hostile][asl]") {
  auto r = asl::parse(R"({"StartAt": "A", "States": {
  "A": {"Type": "Pass", "Next": "B"},
  "B": {"Type": "Pass", "End": true},
  "A": {"Type": "Succeed"}}})");
  REQUIRE_FALSE(r.ok());
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].pointer == "/States/A");
  CHECK(r.errors[0].message ==
        "DUPLICATE_STATE_NAME: Duplicate State name: A (the key 'A' is written twice in one object, at line 2, "
        "column 3 and at line 4, column 3)");
}

TEST_CASE("Any key written twice in a definition is refused with both positions", "[hostile][asl]") {
  auto r = asl::parse(R"({"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": {"x": 1, "x": 2}, "End": true}}})");
  REQUIRE_FALSE(r.ok());
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].pointer == "/States/A/Result/x");
  CHECK(r.errors[0].message ==
        "the key 'x' is written twice in one object, at line 1, column 62 and at line 1, column 70; a definition "
        "must not repeat a key");
}

TEST_CASE("A key written twice with different escapes is still the same key", "[hostile][asl]") {
  auto r = asl::parse(R"({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true, "\u0045nd": true}}})");
  REQUIRE_FALSE(r.ok());
  CHECK(r.errors[0].pointer == "/States/A/End");
}

TEST_CASE("Duplicate keys are found in objects of more than eight keys", "[hostile][asl]") {
  std::string result = "{";
  for (int i = 0; i < 40; ++i) result += fmt::format(R"("k{}": {}, )", i, i);
  result += R"("k17": 0})";
  auto r = asl::parse(R"({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true, "Result": )" + result + "}}}");
  REQUIRE_FALSE(r.ok());
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].pointer == "/States/A/Result/k17");
}

TEST_CASE("A state name used in a branch and at the top level is refused", "[hostile][asl]") {
  auto r = asl::parse(R"({"StartAt": "P", "States": {
    "P": {"Type": "Parallel", "Next": "Done", "Branches": [
      {"StartAt": "Done", "States": {"Done": {"Type": "Pass", "End": true}}}]},
    "Done": {"Type": "Succeed"}}})");
  REQUIRE_FALSE(r.ok());
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].pointer == "/States/Done");
  CHECK(r.errors[0].message ==
        "DUPLICATE_STATE_NAME: Duplicate State name: Done (also the name of the state at "
        "/States/P/Branches/0/States/Done); state names must be unique in the whole state machine");
}

TEST_CASE("A number beyond a double in a definition is refused with its position", "[hostile][asl]") {
  auto r = asl::parse(R"({"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": {"x": 1e400}, "End": true}}})");
  REQUIRE_FALSE(r.ok());
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].message ==
        "the definition is not valid JSON: the number 1e400 at line 1, column 67 is out of range: a JSON number must "
        "be a finite double (magnitude below 1.8E308)");
  CHECK_FALSE(asl::parse(R"({"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": -2E+308, "End": true}}})").ok());
  // Underflow is not out of range: it is zero, as Java reads it.
  CHECK(asl::parse(R"({"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": 1e-400, "End": true}}})").ok());
}

TEST_CASE("A chain of 20,000 states validates (names resolve by hash, not by search)", "[hostile][asl]") {
  json::object states;
  for (int i = 0; i < 20000; ++i) {
    json::object s{{"Type", "Pass"}};
    if (i + 1 < 20000) s["Next"] = fmt::format("S{}", i + 1);
    else s["End"] = true;
    states.emplace(fmt::format("S{}", i), std::move(s));
  }
  auto r = asl::parse(json::value(json::object{{"StartAt", "S0"}, {"States", std::move(states)}}));
  REQUIRE(r.ok());
  CHECK(r.machine->states().size() == 20000);
  CHECK(r.machine->states()[123].next == 124);
}

TEST_CASE("250 long names with missing targets each get their error, and close names still get a hint",
          "[hostile][asl]") {
  std::string text = R"({"StartAt": "N0", "States": {)";
  std::string const x(1000, 'x');
  for (int i = 0; i < 250; ++i) text += fmt::format(R"({}"N{}": {{"Type": "Pass", "Next": "{}{}"}})", i ? "," : "", i, x, i);
  text += "}}";
  auto r = asl::parse(text);
  REQUIRE(r.errors.size() == 250);
  CHECK(r.errors[7].pointer == "/States/N7/Next");
  CHECK(r.errors[7].message == "Next names the state '" + x + "7', which is not defined in 'States'");

  // Two edits apart at the end of 1,000 equal characters: still suggested.
  auto near = asl::parse(fmt::format(R"({{"StartAt": "{0}ab", "States": {{"{0}ba": {{"Type": "Pass", "End": true}}}}}})", x));
  REQUIRE(near.errors.size() == 2);  // and the name is over 80 characters
  CHECK(near.errors[1].message == fmt::format("StartAt names the state '{0}ab', which is not defined in 'States' (did "
                                              "you mean '{0}ba'?)",
                                              x));
}
