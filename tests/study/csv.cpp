#include "study/csv.hpp"

#include <stepsim/json/csv.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using stepsim::study::detail::csv_record;

TEST_CASE("csv_record quotes a field only when it needs it, doubles its quotes and ends records with CRLF",
          "[study][csv]") {
  std::string out;
  {
    csv_record row(out);
    row << "plain" << "a,b" << "say \"hi\"" << "two\nlines" << " padded" << "" << 42 << 0.25 << true;
  }
  CHECK(out == "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\" padded\",,42,0.25,true\r\n");
}

TEST_CASE("What csv_record writes, csv_reader reads back field for field", "[study][csv]") {
  std::vector<std::vector<std::string>> records = {
      {"scenario", "error"},
      {"a \"quoted\" name", "States.TaskFailed, then \"retry\"\r\nexhausted"},
      {" lead", "trail\t", ""},
      {"", ""}};
  std::string out;
  for (auto const& r : records) {
    csv_record row(out);
    for (auto const& f : r) row << f;
  }
  stepsim::json::csv_reader in(out, {.trim_blanks = true});
  std::vector<std::string> got;
  for (auto const& r : records) {
    REQUIRE(in.next(got));
    CHECK(got == r);
  }
  CHECK_FALSE(in.next(got));
  CHECK(in.error().empty());
}
