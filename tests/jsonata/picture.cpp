// The picture functions' behaviour beyond the official suite: the reference's
// rounding, grouping, radix, calendar and parsing rules, quirks included
// (every expected value here is what jsonata-js 2.2.2 returns).
#include "jsonata/picture.hpp"

#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

namespace pj = stepsim::jsonata::picture;
using stepsim::jsonata::error;

namespace {

template <class Call>
std::string code_of(Call call) {
  try {
    call();
  } catch (error const& e) {
    CHECK(e.position() == 0);
    return e.code();
  }
  return "no error";
}

}  // namespace

TEST_CASE("formatNumber rounds half to even at the last fraction digit", "[picture]") {
  CHECK(pj::format_number(0.125, "0.00", nullptr) == "0.12");
  CHECK(pj::format_number(0.135, "0.00", nullptr) == "0.14");
  CHECK(pj::format_number(2.5, "0", nullptr) == "2");
  CHECK(pj::format_number(-2.5, "0", nullptr) == "-2");
}

TEST_CASE("formatNumber uses the negative sub-picture and the symbols of the options", "[picture]") {
  CHECK(pj::format_number(-1234.5, "#,##0.0;(#,##0.0)", nullptr) == "(1,234.5)");
  CHECK(pj::format_number(0.25, "#%", nullptr) == "25%");
  auto const swapped = boost::json::parse(R"({"decimal-separator": ",", "grouping-separator": "."})").as_object();
  CHECK(pj::format_number(1234.5678, "#.##0,00", &swapped) == "1.234,57");
  // the default separators are passive once swapped: "#,##0.00" now has a '#' after a digit in its fraction
  CHECK(code_of([&] { pj::format_number(1234.5678, "#,##0.00", &swapped); }) == "D3091");
  auto const arabic = boost::json::parse(R"({"zero-digit": "٠"})").as_object();
  CHECK(pj::format_number(-12.5, "٠٠٠.٠", &arabic) == "-٠١٢.٥");
}

TEST_CASE("formatNumber with an empty zero-digit writes no digits", "[picture]") {
  auto const no_zero = boost::json::parse(R"({"zero-digit": ""})").as_object();
  CHECK(pj::format_number(1234, "#,##0", &no_zero) == "0");
}

TEST_CASE("Pictures the reference fails on with a JavaScript error raise D3137 or U1001", "[picture]") {
  CHECK(code_of([] { pj::format_number(1, "0." + std::string(101, '0'), nullptr); }) == "D3137");
  CHECK(pj::format_number(1, "0." + std::string(100, '0'), nullptr) == "1." + std::string(100, '0'));
  CHECK(code_of([] { pj::from_millis(0, "[fN]", std::nullopt); }) == "D3137");
  CHECK(code_of([] { pj::from_millis(8.64e15 + 1, "[MN]", std::nullopt); }) == "D3137");
  CHECK(pj::from_millis(8.64e15 + 1, "[MNn]", std::nullopt) == "undefined");
  CHECK(code_of([] { pj::parse_integer("12", "\u0660"); }) == "D3137");
  CHECK(code_of([] { pj::format_integer(1e7, "I"); }) == "U1001");
  CHECK(pj::format_integer(1e5 - 1, "I") == std::string(99, 'M') + "CMXCIX");
}

TEST_CASE("Pictures the reference never finishes on return or raise D3137", "[picture]") {
  CHECK(pj::format_number(HUGE_VAL, "0.0e0", nullptr) == "NaN.0e0");
  auto const no_grouping = boost::json::parse(R"({"grouping-separator": ""})").as_object();
  CHECK(code_of([&] { pj::format_number(1234, "#,##0", &no_grouping); }) == "D3089");
  CHECK(code_of([] { pj::format_integer(HUGE_VAL, "a"); }) == "D3137");
  CHECK(code_of([] { pj::from_millis(0, "[Y,2000000]", std::nullopt); }) == "D3137");
}

TEST_CASE("formatNumber writes numbers from 1e21 up as JavaScript's exponent text", "[picture]") {
  CHECK(pj::format_number(1e21, "#", nullptr) == "1e+21");
  CHECK(pj::format_number(1e21, "#,##0", nullptr) == "1e,+21");
  CHECK(pj::format_number(1.7976931348623157e308, "0.000", nullptr) == "NaN.000");
}

TEST_CASE("formatNumber reports the last rule a sub-picture breaks", "[picture]") {
  CHECK(code_of([] { pj::format_number(1, "#.#.#", nullptr); }) == "D3081");
  CHECK(code_of([] { pj::format_number(1, "0,", nullptr); }) == "D3088");
  CHECK(code_of([] { pj::format_number(1, "%%", nullptr); }) == "D3086");
  CHECK(code_of([] { pj::format_number(1, "#;#;#", nullptr); }) == "D3080");
  try {
    pj::format_number(1, "0,,0", nullptr);
    FAIL("no error");
  } catch (error const& e) {
    CHECK(std::string(e.what()) ==
          "The sub-picture must not contain two adjacent instances of the 'grouping-separator' character");
  }
}

TEST_CASE("formatBase rounds half to even and writes large integers as V8 does", "[picture]") {
  CHECK(pj::format_base(255, 16) == "ff");
  CHECK(pj::format_base(-255, 2) == "-11111111");
  CHECK(pj::format_base(2.5, std::nan("")) == "2");
  CHECK(pj::format_base(3.5, std::nan("")) == "4");
  CHECK(pj::format_base(1e21, std::nan("")) == "1e+21");
  CHECK(pj::format_base(1e21, 16) == "3635c9adc5dea00000");
  CHECK(pj::format_base(100, 36.5) == "2s");
  try {
    pj::format_base(100, 37);
    FAIL("no error");
  } catch (error const& e) {
    CHECK(e.code() == "D3100");
    CHECK(std::string(e.what()) == "The radix of the formatBase function must be between 2 and 36.  It was given 37");
  }
}

TEST_CASE("formatInteger floors, groups irregular separators from the right and writes words", "[picture]") {
  CHECK(pj::format_integer(-0.5, "0") == "-1");
  CHECK(pj::format_integer(12345, "#,###,#0") == ",123,45");
  CHECK(pj::format_integer(5, "#,###,#0") == ",,5");
  CHECK(pj::format_integer(1e21, "0") == "1e+21");
  CHECK(pj::format_integer(21, "w;o") == "twenty-first");
  CHECK(pj::format_integer(1e21, "w") == "one billion trillion");
  CHECK(pj::format_integer(-5, "a") == "-e");
  CHECK(pj::format_integer(0, "A").empty());
  CHECK(pj::format_integer(1011, "#,##0;o") == "1,011th");
  CHECK(code_of([] { pj::format_integer(5, ""); }) == "D3130");
}

TEST_CASE("parseInteger reads without validating, as the reference does", "[picture]") {
  CHECK(pj::parse_integer("1:234", "#:##0") == 1);  // a regular separator is stripped only when it is ','
  CHECK(pj::parse_integer("0x1A", "0") == 26);
  CHECK(pj::parse_integer(" +12x", "0") == 12);
  CHECK(pj::parse_integer("one two", "w") == 3);
  CHECK(pj::parse_integer("12", "a") == -1268);
  CHECK(std::isnan(pj::parse_integer("abc", "0")));
  CHECK(std::isnan(pj::parse_integer("MMXIXZ", "I")));
  CHECK(std::isnan(pj::parse_integer("one foo", "w")));
}

TEST_CASE("fromMillis truncates the instant and prints years outside 0..9999 as the reference", "[picture]") {
  CHECK(pj::from_millis(-1.7, std::nullopt, std::nullopt) == "1969-12-31T23:59:59.999Z");
  CHECK(pj::from_millis(253402300800000, std::nullopt, std::nullopt) == "0000-01-01T00:00:00.000Z");
  CHECK(pj::from_millis(-62198755200001, "[Y0001] [Y] [Y01]", std::nullopt) == "-0002 -2 -02");
  CHECK(pj::from_millis(8.64e15, std::nullopt, std::nullopt) == "5760-09-13T00:00:00.000Z");
  CHECK(pj::from_millis(8.64e15 + 1, std::nullopt, std::nullopt) == "0NaN-NaN-NaNTNaN:NaN:NaN.NaNZ");
  CHECK(pj::from_millis(1000000000000, "[Y,-2]", std::nullopt) == "01");
  CHECK(pj::from_millis(0, "[q1]", std::nullopt) == "undefined");
}

TEST_CASE("fromMillis splits a negative offset into floored hours and negative minutes", "[picture]") {
  CHECK(pj::from_millis(0, "[H01]:[m01] [Z]", "-0530") == "17:30 -06:30");
  CHECK(pj::from_millis(0, "[H01]:[m01] [Z0]", "-0530") == "17:30 -6:-30");
  CHECK(pj::from_millis(0, "[Y0001]", "abc") == "0NaN");
}

TEST_CASE("fromMillis numbers ISO weeks across year ends", "[picture]") {
  // 2021-01-03 (Sunday) is in week 53 of 2020; 2019-12-30 (Monday) in week 1 of 2020
  CHECK(pj::from_millis(1609632000000, "[X0001]-W[W01]-[F1] [w] [xNn]", std::nullopt) == "2020-W53-7 5 December");
  CHECK(pj::from_millis(1577664000000, "[X0001]-W[W01]-[F1] [w] [xNn]", std::nullopt) == "2020-W01-1 1 January");
}

TEST_CASE("toMillis reads ISO 8601 as the reference's Date.parse", "[picture]") {
  CHECK(pj::to_millis("2017-02-31", std::nullopt) == 1488499200000.0);
  CHECK(pj::to_millis("2017-05-15T24:00:00Z", std::nullopt) == 1494892800000.0);
  CHECK(pj::to_millis("2017-05-15T10:20:30.9999+0130", std::nullopt) == 1494838230999.0);
  CHECK(pj::to_millis("0050-06-15T12:00:00Z", std::nullopt) == -60574996800000.0);
  CHECK(std::isnan(*pj::to_millis("2017-13-01", std::nullopt)));
  CHECK(code_of([] { pj::to_millis("2017-05-15 10:20:30", std::nullopt); }) == "D3110");
}

TEST_CASE("toMillis with a picture defaults the leading components to now and the rest to their minimum",
          "[picture]") {
  auto const now = 1521801216617;  // 2018-03-23T10:33:36.617Z
  CHECK(pj::to_millis("10:30", "[H]:[m]", now) == 1521801000000.0);
  CHECK(pj::to_millis("2017", "[Y]", now) == 1483228800000.0);
  CHECK(pj::to_millis("50-03-27", "[Y01]-[M01]-[D01]", now) == -623808000000.0);  // two-digit years are 19xx
  CHECK(pj::to_millis("2018-03-27 -05:30", "[Y]-[M]-[D] [Z]", now) == 1522125000000.0);
  CHECK(pj::to_millis("12:30 am", "[h]:[m] [P]", now) == pj::to_millis("00:30", "[H]:[m]", now));
  CHECK_FALSE(pj::to_millis("Hello", "Hello", now).has_value());
  CHECK_FALSE(pj::to_millis("hello", "[Y]", now).has_value());
  // month names are looked up case-sensitively, so "MARCH" leaves a gap before the year
  CHECK(code_of([&] { pj::to_millis("27 MARCH 2018", "[D] [MNn] [Y]", now); }) == "D3136");
  CHECK(code_of([&] { pj::to_millis("2018-03-27 10:15", "[Y]-[M]-[D] [m]:[s]", now); }) == "D3136");
}

TEST_CASE("iso_timestamp prints UTC with milliseconds", "[picture]") {
  CHECK(pj::iso_timestamp(1494861179152) == "2017-05-15T15:12:59.152Z");
  CHECK(pj::iso_timestamp(0) == "1970-01-01T00:00:00.000Z");
}
