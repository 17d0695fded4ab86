// The official JSONata test suite's cases of the picture functions (jsonata-js 2.2.2,
// test/test-suite/groups/function-*), one row per case, named by its id.
#include "jsonata/picture.hpp"

#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

namespace pj = stepsim::jsonata::picture;
using stepsim::jsonata::error;

namespace {

struct text_case {
  char const* id;
  double value;
  char const* picture;
  char const* expected;  // nullptr when an error is expected
  char const* code;      // the expected error code
};

// Runs `call` and checks it returns `expected` or throws `code`.
template <class Call>
void check_text(text_case const& c, Call call) {
  INFO(c.id << " " << c.picture);
  if (c.code) {
    try {
      call();
      FAIL("no error");
    } catch (error const& e) {
      CHECK(e.code() == c.code);
      CHECK(e.position() == 0);
    }
  } else {
    CHECK(call() == c.expected);
  }
}

}  // namespace

TEST_CASE("The suite's formatNumber cases give the reference's text or error", "[picture][suite]") {
  struct number_case { char const* id; double value; char const* picture; char const* options; char const* expected; char const* code; };
  static number_case const cases[] = {
      {"case000", 12345.6, "#,###.00", nullptr, "12,345.60", nullptr},
      {"case001", 12345678.9, "9,999.99", nullptr, "12,345,678.90", nullptr},
      {"case002", 123412345678.9, "9,9,99.99", nullptr, "123412345,6,78.90", nullptr},
      {"case003", 1234.56789, "9,999.999,999", nullptr, "1,234.567,890", nullptr},
      {"case004", 123.9, "9999", nullptr, "0124", nullptr},
      {"case006", 0.4857, "###.###‰", nullptr, "485.7‰", nullptr},
      {"case007", 0.14, "###pm", "{\"per-mille\": \"pm\"}", "140pm", nullptr},
      {"case008", -6.0, "000", nullptr, "-006", nullptr},
      {"case009", 1234.5678, "00.000e0", nullptr, "12.346e2", nullptr},
      {"case010", 1234.5678, "00.000e000", nullptr, "12.346e002", nullptr},
      {"case011", 1234.5678, "①①.①①①e①", "{\"zero-digit\": \"⑟\"}", "①②.③④⑥e②", nullptr},
      {"case013", 0.234, "#.00e0", nullptr, "0.23e0", nullptr},
      {"case014", 0.123, "#.e9", nullptr, "0.1e0", nullptr},
      {"case015", 0.234, ".00e0", nullptr, ".23e0", nullptr},
      {"case019", 20.0, "#;#;#", nullptr, nullptr, "D3080"},
      {"case021", 20.0, "#0%%", nullptr, nullptr, "D3082"},
      {"case022", 20.0, "#0‰‰", nullptr, nullptr, "D3083"},
      {"case023", 20.0, "#0%‰", nullptr, nullptr, "D3084"},
      {"case024", 20.0, ".e0", nullptr, nullptr, "D3085"},
      {"case025", 20.0, "0+.e0", nullptr, nullptr, "D3086"},
      {"case027", 20.0, "0,", nullptr, nullptr, "D3088"},
      {"case028", 20.0, "0,,0", nullptr, nullptr, "D3089"},
      {"case029", 20.0, "0#.e0", nullptr, nullptr, "D3090"},
      {"case030", 20.0, "#0.#0e0", nullptr, nullptr, "D3091"},
      {"case032", 20.0, "#0.0e0,0", nullptr, nullptr, "D3093"},
      {"case033", 2.0, "000.000", nullptr, "002.000", nullptr},
      {"case034", 2.0, "AAA.AAA", "{\"zero-digit\": \"A\"}", "AAC.AAA", nullptr},
      {"case035", 0.1, "AeAAA", "{\"zero-digit\": \"A\"}", "Be-AAB", nullptr},
      {"issue785#0", 0.0, "0e0", nullptr, "0e0", nullptr},
      {"issue785#1", -42.0, "0e0", nullptr, "-4e1", nullptr},
      {"issue785#2", 42.0, "0e0", nullptr, "4e1", nullptr},
      {"issue785#3", 0.0, "0.00e0", nullptr, "0.00e0", nullptr},
      {"issue786#0", 42.0, "%%", nullptr, nullptr, "D3086"},
      {"issue786#1", 42.0, "‰‰", nullptr, nullptr, "D3086"},
      {"issue786#2", 42.0, "%‰", nullptr, nullptr, "D3086"},
      {"issue786#3", 42.0, "---", nullptr, nullptr, "D3086"},
      {"case017", 2.14 * 86.58, "PREFIX##00.000###SUFFIX", nullptr, "PREFIX185.2812SUFFIX", nullptr},
  };
  for (auto const& c : cases) {
    boost::json::object options;
    if (c.options) options = boost::json::parse(c.options).as_object();
    check_text({c.id, c.value, c.picture, c.expected, c.code},
               [&] { return pj::format_number(c.value, c.picture, c.options ? &options : nullptr); });
  }
}

TEST_CASE("The suite's formatInteger cases give the reference's text or error", "[picture][suite]") {
  static text_case const cases[] = {
      {"formatInteger#1", 123.0, "000", "123", nullptr},
      {"formatInteger#2", 123.0, "0000", "0123", nullptr},
      {"formatInteger#4", 1234.0, "0;c", "1234", nullptr},
      {"formatInteger#5", 1234.0, "###0", "1234", nullptr},
      {"formatInteger#7", 12.6, "###0", "12", nullptr},
      {"formatInteger#8", 123.0, "000;o", "123rd", nullptr},
      {"formatInteger#11", 1234.0, "###0;o", "1234th", nullptr},
      {"formatInteger#12", 12.0, "###0;o", "12th", nullptr},
      {"formatInteger#13", 12340.0, "###١", "١٢٣٤٠", nullptr},
      {"formatInteger#14", 12340.0, "###０", "１２３４０", nullptr},
      {"formatInteger#15", 12340.0, "##0０", nullptr, "D3131"},
      {"formatInteger#16", 12.0, "#,##0", "12", nullptr},
      {"formatInteger#17", 1200.0, "#,##0", "1,200", nullptr},
      {"formatInteger#18", 120000.0, "#,##0", "120,000", nullptr},
      {"formatInteger#19", 12345678.0, "#,##0", "12,345,678", nullptr},
      {"formatInteger#20", 1234567890.0, "#,##0", "1,234,567,890", nullptr},
      {"formatInteger#21", 1234567890.0, "#,###,##0", "1,234,567,890", nullptr},
      {"formatInteger#23", 1234567890.0, "##,##,##0", "12345,67,890", nullptr},
      {"formatInteger#24", 0.0, "I", "", nullptr},
      {"formatInteger#25", 1984.0, "I", "MCMLXXXIV", nullptr},
      {"formatInteger#26", 99.0, "i", "xcix", nullptr},
      {"formatInteger#27", 12.0, "w", "twelve", nullptr},
      {"formatInteger#28", 20.0, "w", "twenty", nullptr},
      {"formatInteger#29", 34.0, "w", "thirty-four", nullptr},
      {"formatInteger#30", 99.0, "W", "NINETY-NINE", nullptr},
      {"formatInteger#31", 100.0, "w", "one hundred", nullptr},
      {"formatInteger#32", 555.0, "W", "FIVE HUNDRED AND FIFTY-FIVE", nullptr},
      {"formatInteger#33", 555.0, "Ww", "Five Hundred and Fifty-Five", nullptr},
      {"formatInteger#36", 1000.0, "w", "one thousand", nullptr},
      {"formatInteger#37", 3730.0, "w", "three thousand, seven hundred and thirty", nullptr},
      {"formatInteger#38", 327730.0, "w", "three hundred and twenty-seven thousand, seven hundred and thirty", nullptr},
      {"formatInteger#39", 4327730.0, "w", "four million, three hundred and twenty-seven thousand, seven hundred and thirty", nullptr},
      {"formatInteger#40", 1000000000001.0, "w", "one trillion and one", nullptr},
      {"formatInteger#41", 1234567890123.0, "w", "one trillion, two hundred and thirty-four billion, five hundred and sixty-seven million, eight hundred and ninety thousand, one hundred and twenty-three", nullptr},
      {"formatInteger#42", 1000000000000000.0, "w", "one thousand trillion", nullptr},
      {"formatInteger#43", 1e+46, "w", "ten billion trillion trillion trillion", nullptr},
      {"formatInteger#44", 1234567890123456.0, "w", "one thousand, two hundred and thirty-four trillion, five hundred and sixty-seven billion, eight hundred and ninety million, one hundred and twenty-three thousand, four hundred and fifty-six", nullptr},
      {"formatInteger#46", 20.0, "w;o", "twentieth", nullptr},
      {"formatInteger#48", 99.0, "W;o", "NINETY-NINTH", nullptr},
      {"formatInteger#49", 100.0, "w;o", "one hundredth", nullptr},
      {"formatInteger#50", 555.0, "W;o", "FIVE HUNDRED AND FIFTY-FIFTH", nullptr},
      {"formatInteger#52", 730.0, "w;o", "seven hundred and thirtieth", nullptr},
      {"formatInteger#53", 1000.0, "w;o", "one thousandth", nullptr},
      {"formatInteger#54", 3731.0, "w;o", "three thousand, seven hundred and thirty-first", nullptr},
      {"formatInteger#55", 327713.0, "w;o", "three hundred and twenty-seven thousand, seven hundred and thirteenth", nullptr},
      {"formatInteger#56", 4327732.0, "w;o", "four million, three hundred and twenty-seven thousand, seven hundred and thirty-second", nullptr},
      {"formatInteger#57", 1000000000001.0, "w;o", "one trillion and first", nullptr},
      {"formatInteger#58", 1.0, "A", "A", nullptr},
      {"formatInteger#59", 12.0, "a", "l", nullptr},
      {"formatInteger#61", 27.0, "a", "aa", nullptr},
      {"formatInteger#62", 300.0, "A", "KN", nullptr},
      {"formatInteger#63", 123456.0, "A", "FZPH", nullptr},
  };
  for (auto const& c : cases) check_text(c, [&] { return pj::format_integer(c.value, c.picture); });
}

TEST_CASE("The suite's parseInteger cases give the reference's number or error", "[picture][suite]") {
  struct parse_case { char const* id; char const* text; char const* picture; double expected; char const* code; };
  static parse_case const cases[] = {
      {"parseInteger#1", "123", "000", 123.0, nullptr},
      {"parseInteger#2", "0123", "0000", 123.0, nullptr},
      {"parseInteger#3", "1234", "0", 1234.0, nullptr},
      {"parseInteger#4", "1234", "###0", 1234.0, nullptr},
      {"parseInteger#5", "12", "###0", 12.0, nullptr},
      {"parseInteger#7", "1st", "0;o", 1.0, nullptr},
      {"parseInteger#8", "28th", "#0;o", 28.0, nullptr},
      {"parseInteger#9", "1234th", "###0;o", 1234.0, nullptr},
      {"parseInteger#10", "12th", "###0;o", 12.0, nullptr},
      {"parseInteger#11", "١٢٣٤٠", "###١", 12340.0, nullptr},
      {"parseInteger#13", "12", "#,##0", 12.0, nullptr},
      {"parseInteger#14", "1,200", "#,##0", 1200.0, nullptr},
      {"parseInteger#15", "12,345,678", "#,##0", 12345678.0, nullptr},
      {"parseInteger#16", "1,234,567,890", "#,##0", 1234567890.0, nullptr},
      {"parseInteger#17", "1,234,567,890", "#,###,##0", 1234567890.0, nullptr},
      {"parseInteger#18", "1234:567,890", "#:###,##0", 1234567890.0, nullptr},
      {"parseInteger#20", "", "I", 0.0, nullptr},
      {"parseInteger#21", "MCMLXXXIV", "I", 1984.0, nullptr},
      {"parseInteger#22", "xcix", "i", 99.0, nullptr},
      {"parseInteger#23", "twelve", "w", 12.0, nullptr},
      {"parseInteger#24", "twenty", "w", 20.0, nullptr},
      {"parseInteger#25", "thirty-four", "w", 34.0, nullptr},
      {"parseInteger#26", "NINETY-NINE", "W", 99.0, nullptr},
      {"parseInteger#27", "one hundred", "w", 100.0, nullptr},
      {"parseInteger#29", "Five Hundred and Fifty-Five", "Ww", 555.0, nullptr},
      {"parseInteger#30", "nine hundred and nineteen", "w", 919.0, nullptr},
      {"parseInteger#31", "seven hundred and thirty", "w", 730.0, nullptr},
      {"parseInteger#33", "three thousand, seven hundred and thirty", "w", 3730.0, nullptr},
      {"parseInteger#34", "three hundred and twenty-seven thousand, seven hundred and thirty", "w", 327730.0, nullptr},
      {"parseInteger#35", "four million, three hundred and twenty-seven thousand, seven hundred and thirty", "w", 4327730.0, nullptr},
      {"parseInteger#36", "one trillion and one", "w", 1000000000001.0, nullptr},
      {"parseInteger#37", "one trillion, two hundred and thirty-four billion, five hundred and sixty-seven million, eight hundred and ninety thousand, one hundred and twenty-three", "w", 1234567890123.0, nullptr},
      {"parseInteger#39", "ten billion trillion trillion trillion", "w", 1e+46, nullptr},
      {"parseInteger#41", "twentieth", "w;o", 20.0, nullptr},
      {"parseInteger#42", "thirty-fourth", "w;o", 34.0, nullptr},
      {"parseInteger#43", "NINETY-NINTH", "W;o", 99.0, nullptr},
      {"parseInteger#44", "one hundredth", "w;o", 100.0, nullptr},
      {"parseInteger#45", "FIVE HUNDRED AND FIFTY-FIFTH", "W;o", 555.0, nullptr},
      {"parseInteger#46", "nine hundred and nineteenth", "w;o", 919.0, nullptr},
      {"parseInteger#48", "Seven Hundred and Thirty-Third", "Ww;o", 733.0, nullptr},
      {"parseInteger#49", "one thousandth", "w;o", 1000.0, nullptr},
      {"parseInteger#50", "three thousand, seven hundred and thirty-first", "w;o", 3731.0, nullptr},
      {"parseInteger#52", "four million, three hundred and twenty-seven thousand, seven hundred and thirty-second", "w;o", 4327732.0, nullptr},
      {"parseInteger#53", "one trillion and first", "w;o", 1000000000001.0, nullptr},
      {"parseInteger#54", "A", "A", 1.0, nullptr},
      {"parseInteger#55", "l", "a", 12.0, nullptr},
      {"parseInteger#56", "z", "a", 26.0, nullptr},
      {"parseInteger#57", "aa", "a", 27.0, nullptr},
      {"parseInteger#58", "KN", "A", 300.0, nullptr},
      {"parseInteger#60", "50", "#", 0.0, "D3130"},
  };
  for (auto const& c : cases) {
    INFO(c.id << " " << c.text << " " << c.picture);
    if (c.code) {
      try {
        pj::parse_integer(c.text, c.picture);
        FAIL("no error");
      } catch (error const& e) {
        CHECK(e.code() == c.code);
      }
    } else {
      CHECK(pj::parse_integer(c.text, c.picture) == c.expected);
    }
  }
}

TEST_CASE("The suite's formatBase cases give the reference's text or error", "[picture][suite]") {
  struct base_case { char const* id; double value; double radix; char const* expected; char const* code; };
  static base_case const cases[] = {
      {"case000", 100.0, std::nan(""), "100", nullptr},
      {"case002", 100.0, 2.0, "1100100", nullptr},
      {"case003", -100.0, 2.0, "-1100100", nullptr},
      {"case004", 100.0, 36.0, "2s", nullptr},
      {"case005", 99.5, 2.5, "1100100", nullptr},
      {"case006", 100.0, 1.0, nullptr, "D3100"},
      {"case007", 100.0, 37.0, nullptr, "D3100"},
  };
  for (auto const& c : cases)
    check_text({c.id, c.value, "", c.expected, c.code}, [&] { return pj::format_base(c.value, c.radix); });
}

TEST_CASE("The suite's fromMillis cases give the reference's text or error", "[picture][suite]") {
  struct date_case { char const* id; double millis; char const* picture; char const* zone; char const* expected; char const* code; };
  static date_case const cases[] = {
      {"case000", 1.0, nullptr, nullptr, "1970-01-01T00:00:00.001Z", nullptr},
      {"case001", 1509380732935.0, nullptr, nullptr, "2017-10-30T16:25:32.935Z", nullptr},
      {"formatDateTime#1", 1521801216617.0, "Hello", nullptr, "Hello", nullptr},
      {"formatDateTime#2", 1521801216617.0, "Year: [Y0001]", nullptr, "Year: 2018", nullptr},
      {"formatDateTime#3", 1521801216617.0, "Year: <[Y0001]>", nullptr, "Year: <2018>", nullptr},
      {"formatDateTime#4", 1521801216617.0, "Year: <[Y9,999,*]>", nullptr, "Year: <2,018>", nullptr},
      {"formatDateTime#7", 1521801216617.0, "[[Year]]: [[[Y0001]]]", nullptr, "[Year]: [2018]", nullptr},
      {"formatDateTime#8", 1521801216617.0, "[D#1]/[M#1]/[Y0001]", nullptr, "23/3/2018", nullptr},
      {"formatDateTime#9", 1522616700000.0, "[F0] [FNn]", nullptr, "7 Sunday", nullptr},
      {"formatDateTime#11", 1521801216617.0, "[Y0001]-[M01]-[D01]", nullptr, "2018-03-23", nullptr},
      {"formatDateTime#12", 1521801216617.0, "[M01]/[D01]/[Y0001] at [H01]:[m01]:[s01]", nullptr, "03/23/2018 at 10:33:36", nullptr},
      {"formatDateTime#13", 1521801216617.0, "[Y]-[M01]-[D01]T[H01]:[m]:[s].[f001][Z01:01t]", nullptr, "2018-03-23T10:33:36.617Z", nullptr},
      {"formatDateTime#14", 1521801216617.0, "[Y]-[ M01]-[D 01]T[H01 ]:[ m   ]:[s].[f0  01][Z01:\n 01t]", nullptr, "2018-03-23T10:33:36.617Z", nullptr},
      {"formatDateTime#15", 1521801216617.0, "[Y]-[M01]-[D01]T[H01]:[m]:[s].[f001][Z0101t]", "+0100", "2018-03-23T11:33:36.617+0100", nullptr},
      {"formatDateTime#16", 1531310400000.0, "[Y]-[M01]-[D01]T[H01]:[m]:[s][Z01:01]", nullptr, "2018-07-11T12:00:00+00:00", nullptr},
      {"formatDateTime#17", 1531310400000.0, "[Y]-[M01]-[D01]T[H01]:[m]:[s][Z01:01t]", nullptr, "2018-07-11T12:00:00Z", nullptr},
      {"formatDateTime#19", 1531310400000.0, "[Y]-[M01]-[D01]T[H01]:[m]:[s][Z0]", "-0500", "2018-07-11T07:00:00-5", nullptr},
      {"formatDateTime#22", 1531310400000.0, "[Y]-[M01]-[D01]T[H01]:[m]:[s][Z0]", "+0530", "2018-07-11T17:30:00+5:30", nullptr},
      {"formatDateTime#24", 1204405500000.0, "[Y]-[M01]-[D01]T[H01]:[m]:[s].[f001][Z0101t]", "+0530", "2008-03-02T02:35:00.000+0530", nullptr},
      {"formatDateTime#25", 1230757500000.0, "[Y]-[M01]-[D01]T[H01]:[m]:[s].[f001][Z0101t]", "+0530", "2009-01-01T02:35:00.000+0530", nullptr},
      {"formatDateTime#27", 1521801216617.0, "[D#1,2]/[M1,2]/[Y,2]", nullptr, "23/03/18", nullptr},
      {"formatDateTime#28", 1521801216617.0, "[D#1,2]/[M1,2]/[Y0001,2]", nullptr, "23/03/2018", nullptr},
      {"formatDateTime#30", 1521801216617.0, "[D#1,2]/[M1,2]/[Y0001,2-2]", nullptr, "23/03/18", nullptr},
      {"formatDateTime#31", 1521801216617.0, "[D1] [M01] [YI]", nullptr, "23 03 MMXVIII", nullptr},
      {"formatDateTime#32", 1521801216617.0, "[Da] [MA] [Yi]", nullptr, "w C mmxviii", nullptr},
      {"formatDateTime#34", 1521801216617.0, "[Yw]", nullptr, "two thousand and eighteen", nullptr},
      {"formatDateTime#35", 1521801216617.0, "[Dwo] [M01] [Y]", nullptr, "twenty-third 03 2018", nullptr},
      {"formatDateTime#36", 1521801216617.0, "[D1o] [MNn] [Y]", nullptr, "23rd March 2018", nullptr},
      {"formatDateTime#37", 1521801216617.0, "[D1o] [MN] [Y]", nullptr, "23rd MARCH 2018", nullptr},
      {"formatDateTime#38", 1521801216617.0, "[FNn], [D1o] [MNn] [Y]", nullptr, "Friday, 23rd March 2018", nullptr},
      {"formatDateTime#39", 1521801216617.0, "[FNn], the [Dwo] of [MNn] [Y] [E]", nullptr, "Friday, the twenty-third of March 2018 ISO", nullptr},
      {"formatDateTime#40", 1521801216617.0, "[FNn,3-3], [D1o] [MNn,3-3] [Y] [C]", nullptr, "Fri, 23rd Mar 2018 ISO", nullptr},
      {"formatDateTime#41", 1521801216617.0, "[F], [D]/[M]/[Y] [h]:[m]:[s] [P]", nullptr, "friday, 23/3/2018 10:33:36 am", nullptr},
      {"formatDateTime#42", 1204405500000.0, "[F], [D]/[M]/[Y] [h]:[m]:[s] [P]", nullptr, "saturday, 1/3/2008 9:05:00 pm", nullptr},
      {"formatDateTime#43", 1199664000000.0, "[F], [D]/[M]/[Y] [h]:[m]:[s] [P]", nullptr, "monday, 7/1/2008 12:00:00 am", nullptr},
      {"formatDateTime#44", 1514808000000.0, "[dwo] day of the year", nullptr, "first day of the year", nullptr},
      {"formatDateTime#45", 1546257600000.0, "[d] days in [Y0001]", nullptr, "365 days in 2018", nullptr},
      {"formatDateTime#47", 1514808000000.0, "Week: [W]", nullptr, "Week: 1", nullptr},
      {"formatDateTime#48", 1515326400000.0, "Week: [W]", nullptr, "Week: 1", nullptr},
      {"formatDateTime#49", 1545739200000.0, "Week: [W]", nullptr, "Week: 52", nullptr},
      {"formatDateTime#50", 1388577600000.0, "Week: [W]", nullptr, "Week: 1", nullptr},
      {"formatDateTime#51", 1419854400000.0, "Week: [W]", nullptr, "Week: 1", nullptr},
      {"formatDateTime#53", 1419336000000.0, "Week: [W]", nullptr, "Week: 52", nullptr},
      {"formatDateTime#55", 1420459200000.0, "Week: [W]", nullptr, "Week: 2", nullptr},
      {"formatDateTime#57", 1451563200000.0, "Week: [W]", nullptr, "Week: 53", nullptr},
      {"formatDateTime#58", 1451736000000.0, "Week: [W]", nullptr, "Week: 53", nullptr},
      {"formatDateTime#59", 1359460800000.0, "Week: [w] of [xNn]", nullptr, "Week: 5 of January", nullptr},
      {"formatDateTime#60", 1359633600000.0, "Week: [w] of [xNn]", nullptr, "Week: 5 of January", nullptr},
      {"formatDateTime#61", 1359720000000.0, "Week: [w] of [xNn]", nullptr, "Week: 5 of January", nullptr},
      {"formatDateTime#63", 1483272000000.0, "Week: [w] of [xNn]", nullptr, "Week: 5 of December", nullptr},
      {"formatDateTime#65", 1419940800000.0, "Week: [w] of [xNn]", nullptr, "Week: 1 of January", nullptr},
      {"formatDateTime#67", 1521801216617.0, "[F], [D]/[M]/[Y] [h]:[m]:[s] [PN]", nullptr, "friday, 23/3/2018 10:33:36 AM", nullptr},
      {"formatDateTime#69", 1419940800000.0, "[YN]-[M]-[D]", nullptr, nullptr, "D3133"},
      {"formatDateTime#70", 1419940800000.0, "[YN]-[M", nullptr, nullptr, "D3135"},
  };
  for (auto const& c : cases) {
    auto opt = [](char const* s) { return s ? std::optional<std::string_view>(s) : std::nullopt; };
    check_text({c.id, c.millis, c.picture ? c.picture : "", c.expected, c.code},
               [&] { return pj::from_millis(c.millis, opt(c.picture), opt(c.zone)).value(); });
  }
}

TEST_CASE("The suite's toMillis cases give the reference's number, undefined or error", "[picture][suite]") {
  struct parse_case { char const* id; char const* text; char const* picture; bool defined; double expected; char const* code; };
  static parse_case const cases[] = {
      {"case002", "2018-02-01T09:42:13.123+0000", nullptr, true, 1517478133123.0, nullptr},
      {"case003", "2017-10-30", nullptr, true, 1509321600000.0, nullptr},
      {"case004", "2017-10-30T15:28:34Z", nullptr, true, 1509377314000.0, nullptr},
      {"case005", "2018", nullptr, true, 1514764800000.0, nullptr},
      {"case007", "foo", nullptr, false, 0.0, "D3110"},
      {"case008", "01-02-2018", nullptr, false, 0.0, "D3110"},
      {"case009", "2018-02-03 11:15:33", nullptr, false, 0.0, "D3110"},
      {"case010", "201802", "[Y0001][M01]", true, 1517443200000.0, nullptr},
      {"case011", "201802", "[Y,*-4][M01]", true, 1517443200000.0, nullptr},
      {"case012", "20180205", "[Y0001][M01][D01]", true, 1517788800000.0, nullptr},
      {"parseDateTime#1", "Hello", "Hello", false, 0.0, nullptr},
      {"parseDateTime#2", "2018", "[Y1]", true, 1514764800000.0, nullptr},
      {"parseDateTime#3", "2018-03-27", "[Y1]-[M01]-[D01]", true, 1522108800000.0, nullptr},
      {"parseDateTime#5", "27th 3 1976", "[D1o] [M#1] [Y0001]", true, 196732800000.0, nullptr},
      {"parseDateTime#6", "21st 12 1881", "[D1o] [M01] [Y0001]", true, -2777932800000.0, nullptr},
      {"parseDateTime#7", "2nd 12 2012", "[D1o] [M01] [Y0001]", true, 1354406400000.0, nullptr},
      {"parseDateTime#8", "MCMLXXXIV", "[YI]", true, 441763200000.0, nullptr},
      {"parseDateTime#9", "27 03 MMXVIII", "[D1] [M01] [YI]", true, 1522108800000.0, nullptr},
      {"parseDateTime#10", "27 iii MMXVIII", "[D1] [Mi] [YI]", true, 1522108800000.0, nullptr},
      {"parseDateTime#11", "w C mmxviii", "[Da] [MA] [Yi]", true, 1521763200000.0, nullptr},
      {"parseDateTime#12", "ae C mmxviii", "[Da] [MA] [Yi]", true, 1522454400000.0, nullptr},
      {"parseDateTime#13", "27th April 2008", "[D1o] [MNn] [Y0001]", true, 1209254400000.0, nullptr},
      {"parseDateTime#14", "21 August 2017", "[D1] [MNn] [Y0001]", true, 1503273600000.0, nullptr},
      {"parseDateTime#16", "one thousand, nine hundred and eighty-four", "[Yw]", true, 441763200000.0, nullptr},
      {"parseDateTime#17", "nineteen hundred and eighty-four", "[Yw]", true, 441763200000.0, nullptr},
      {"parseDateTime#18", "twenty-seven April 2008", "[Dw] [MNn] [Y0001]", true, 1209254400000.0, nullptr},
      {"parseDateTime#19", "twenty-seventh April 2008", "[Dw] [MNn] [Y0001]", true, 1209254400000.0, nullptr},
      {"parseDateTime#20", "twenty-first August two thousand and seventeen", "[Dw] [MNn] [Yw]", true, 1503273600000.0, nullptr},
      {"parseDateTime#21", "TWENTY-SECOND August two thousand and seventeen", "[DW] [MNn] [Yw]", true, 1503360000000.0, nullptr},
      {"parseDateTime#25", "4/4/2018 12:06 pm", "[D1]/[M1]/[Y0001] [h]:[m] [P]", true, 1522843560000.0, nullptr},
      {"parseDateTime#26", "4/4/2018 11:30 pm", "[D1]/[M1]/[Y0001] [h]:[m] [P]", true, 1522884600000.0, nullptr},
      {"parseDateTime#27", "2018-094", "[Y0001]-[d001]", true, 1522800000000.0, nullptr},
      {"parseDateTime#34", "irrelevent string", "[Y]-[M]-[D]", false, 0.0, nullptr},
      {"parseDateTime#35", "2018-05-22", "[Y]-[M]-[q]", false, 0.0, "D3132"},
      {"parseDateTime#38", "5-22 23:59", "[M]-[D] [m]:[s]", false, 0.0, "D3136"},
      {"parseDateTime#39", "2018-3-2-5", "[X]-[x]-[w]-[F1]", false, 0.0, "D3136"},
      {"parseDateTime#40", "2018-32-5", "[X]-[W]-[F1]", false, 0.0, "D3136"},
  };
  for (auto const& c : cases) {
    INFO(c.id << " " << c.text);
    auto picture = c.picture ? std::optional<std::string_view>(c.picture) : std::nullopt;
    if (c.code) {
      try {
        pj::to_millis(c.text, picture);
        FAIL("no error");
      } catch (error const& e) {
        CHECK(e.code() == c.code);
      }
    } else if (!c.defined) {
      CHECK_FALSE(pj::to_millis(c.text, picture).has_value());
    } else {
      CHECK(pj::to_millis(c.text, picture) == c.expected);
    }
  }
}

TEST_CASE("The suite's chained toMillis and fromMillis cases give the reference's text", "[picture][suite]") {
  auto chain = [](char const* text, char const* picture, char const* out_picture = nullptr) {
    auto millis = pj::to_millis(text, picture);
    REQUIRE(millis.has_value());
    return pj::from_millis(*millis, out_picture ? std::optional<std::string_view>(out_picture) : std::nullopt,
                           std::nullopt)
        .value();
  };
  struct week_case { char const* date; char const* expected; };
  static week_case const weeks[] = {  // function-fromMillis/isoWeekDate#1..#18
      {"2005-01-02", "2004-W53-7"}, {"2005-12-31", "2005-W52-6"}, {"2006-01-01", "2005-W52-7"},
      {"2006-01-02", "2006-W01-1"}, {"2006-12-31", "2006-W52-7"}, {"2007-01-01", "2007-W01-1"},
      {"2007-12-30", "2007-W52-7"}, {"2007-12-31", "2008-W01-1"}, {"2008-12-28", "2008-W52-7"},
      {"2008-12-29", "2009-W01-1"}, {"2008-12-30", "2009-W01-2"}, {"2008-12-31", "2009-W01-3"},
      {"2009-01-01", "2009-W01-4"}, {"2009-12-31", "2009-W53-4"}, {"2010-01-01", "2009-W53-5"},
      {"2010-01-02", "2009-W53-6"}, {"2010-01-03", "2009-W53-7"}};
  for (auto const& w : weeks) {
    INFO(w.date);
    CHECK(chain(w.date, "[Y]-[M]-[D]", "[X0001]-W[W01]-[F1]") == w.expected);
  }
  // function-tomillis/parseDateTime#30..#46
  CHECK(chain("Wednesday, 14th November 2018", "[FNn], [D1o] [MNn] [Y]") == "2018-11-14T00:00:00.000Z");
  CHECK(chain("Mon, Twelfth November 2018", "[FNn,*-3], [DWwo] [MNn] [Y]") == "2018-11-12T00:00:00.000Z");
  CHECK(chain("2018--180", "[Y]--[d]") == "2018-06-29T00:00:00.000Z");
  CHECK(chain("three hundred and sixty-fifth day of 2018", "[dwo] day of [Y]") == "2018-12-31T00:00:00.000Z");
  CHECK(chain("2020-09-09 08:00:00 +02:00", "[Y0001]-[M01]-[D01] [H01]:[m01]:[s01] [Z]") == "2020-09-09T06:00:00.000Z");
  CHECK(chain("2020-09-09 08:00:00 GMT-05:00", "[Y0001]-[M01]-[D01] [H01]:[m01]:[s01] [z]") ==
        "2020-09-09T13:00:00.000Z");
  CHECK(chain("2020-09-09 12:00:00 +05:30", "[Y0001]-[M01]-[D01] [H01]:[m01]:[s01] [Z]") == "2020-09-09T06:30:00.000Z");
  CHECK(chain("2020-09-09 12:00:00 GMT-5", "[Y0001]-[M01]-[D01] [H01]:[m01]:[s01] [z01]") ==
        "2020-09-09T17:00:00.000Z");
  CHECK(chain("2026-04-08T19:05:04.01987", "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f1]") == "2026-04-08T19:05:04.019Z");
}

TEST_CASE("The suite's toMillis cases that need an offset or now give the reference's values", "[picture][suite]") {
  // function-fromMillis/formatDateTime#66
  auto const t = pj::to_millis("2018-10-21T13:05:00Z", std::nullopt).value();
  CHECK(pj::from_millis(t, std::nullopt, std::nullopt) == "2018-10-21T13:05:00.000Z");
  CHECK(pj::from_millis(t, std::nullopt, "-0500") == "2018-10-21T08:05:00.000-05:00");
  CHECK(pj::from_millis(t, std::nullopt, "0000") == "2018-10-21T13:05:00.000Z");
  // function-tomillis/case013
  CHECK(pj::to_millis("2024-01-01T12:38:49Z", std::nullopt) ==
        pj::to_millis("20240101123849", "[Y0000][M00][D00][H00][m00][s00]"));
  // function-tomillis/parseDateTime#28: a time alone falls on the day of now
  auto const now = std::int64_t{1521801216617};
  auto const day = pj::from_millis(pj::to_millis("13:45", "[H]:[m]", now).value(), std::nullopt, std::nullopt).value();
  CHECK(day.substr(0, day.find('T')) == "2018-03-23");
}
