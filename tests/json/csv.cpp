#include <stepsim/json/csv.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using stepsim::json::csv_options;
using stepsim::json::csv_reader;
using records = std::vector<std::vector<std::string>>;

namespace {

/// Every record of `text`, and the error that stopped the reading ("" at the end).
std::pair<records, std::string> read_all(std::string_view text, csv_options o = {}) {
  csv_reader in(text, o);
  records out;
  std::vector<std::string> fields;
  while (in.next(fields)) out.push_back(fields);
  return {out, in.error()};
}

}  // namespace

TEST_CASE("csv_reader skips a byte order mark and reads CRLF, LF and quoted line breaks", "[json][csv]") {
  csv_reader in("\xEF\xBB\xBFstart,workflow\r\n1.5,\"a\r\nb\"\n2,c\r\n");
  std::vector<std::string> f;
  REQUIRE(in.next(f));
  CHECK(f == std::vector<std::string>{"start", "workflow"});
  REQUIRE(in.next(f));
  CHECK(f == std::vector<std::string>{"1.5", "a\r\nb"});
  CHECK(in.line() == 2);
  REQUIRE(in.next(f));
  CHECK(f == std::vector<std::string>{"2", "c"});
  CHECK(in.line() == 4);
  CHECK_FALSE(in.next(f));
  CHECK(f.empty());
  CHECK(in.error().empty());
}

TEST_CASE("csv_reader reads doubled quotes, empty fields, a quote inside an unquoted field and a final CR",
          "[json][csv]") {
  CHECK(read_all("\"say \"\"hi\"\"\",,x\"y\r").first == records{{"say \"hi\"", "", "x\"y"}});
  CHECK(read_all("a,\"\"\n").first == records{{"a", ""}});
  CHECK(read_all("\"\"\n").first == records{{""}});  // a quoted empty field is a record
  CHECK(read_all("a\rb\n").first == records{{"a\rb"}});  // a CR inside a line is text
}

TEST_CASE("csv_reader skips empty lines, and blanks are text unless trimmed", "[json][csv]") {
  CHECK(read_all("a\n\n\r\nb\n").first == records{{"a"}, {"b"}});
  CHECK(read_all("a\n   \n b , c \n").first == records{{"a"}, {"   "}, {" b ", " c "}});
  auto trimmed = read_all("a\n   \n b , \"c\" \t\n", {.trim_blanks = true});
  CHECK(trimmed.first == records{{"a"}, {"b", "c"}});
  CHECK(trimmed.second.empty());
}

TEST_CASE("csv_reader splits at the delimiter it is given", "[json][csv]") {
  CHECK(read_all("a|b,c|\"d|e\"\n", {.delimiter = '|'}).first == records{{"a", "b,c", "d|e"}});
  CHECK(read_all("a\tb\n", {.delimiter = '\t'}).first == records{{"a", "b"}});
  CHECK(read_all("a;b\n", {.delimiter = ';'}).first == records{{"a", "b"}});
}

TEST_CASE("csv_reader errors name the line: a quote never closed, text after a closing quote", "[json][csv]") {
  auto open = read_all("a\nb\n\"open\nstill open\n");
  CHECK(open.first == records{{"a"}, {"b"}});
  CHECK(open.second == "line 3: the quoted field opened on this line is not closed");
  auto after = read_all("a\n\"x\"y\n");
  CHECK(after.first == records{{"a"}});
  CHECK(after.second == "line 2: \"y\" after the closing quote of a field; a quote inside a quoted field is written twice");
  CHECK(read_all("\"x\" \n").second ==
        "line 1: \" \" after the closing quote of a field; a quote inside a quoted field is written twice");
  CHECK(read_all("\"x\"\x01\n").second ==
        "line 1: \"\\u0001\" after the closing quote of a field; a quote inside a quoted field is written twice");
  CHECK(read_all("\"x\"\xC3\xA9\n").second ==
        "line 1: byte 0xC3 after the closing quote of a field; a quote inside a quoted field is written twice");
}

TEST_CASE("csv_reader stops for good after an error", "[json][csv]") {
  csv_reader in("\"x\"y\nok\n");
  std::vector<std::string> f;
  CHECK_FALSE(in.next(f));
  CHECK_FALSE(in.next(f));
  CHECK_FALSE(in.error().empty());
}
