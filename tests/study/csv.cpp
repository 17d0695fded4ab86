#include "study/csv.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using stepsim::study::detail::csv_reader;
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
  csv_reader in(out);
  for (auto const& r : records) {
    auto got = in.next();
    REQUIRE(got);
    CHECK(*got == r);
  }
  CHECK_FALSE(in.next());
  CHECK(in.error().empty());
}

TEST_CASE("csv_reader skips a byte order mark and reads CRLF, LF and quoted line breaks", "[study][csv]") {
  csv_reader in("\xEF\xBB\xBFstart,workflow\r\n1.5,\"a\r\nb\"\n2,c\r\n");
  CHECK(*in.next() == std::vector<std::string>{"start", "workflow"});
  CHECK(*in.next() == std::vector<std::string>{"1.5", "a\r\nb"});
  CHECK(in.line() == 2);
  CHECK(*in.next() == std::vector<std::string>{"2", "c"});
  CHECK(in.line() == 4);
  CHECK_FALSE(in.next());
}
