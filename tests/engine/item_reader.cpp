#include <stepsim/engine/item_reader.hpp>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

using stepsim::engine::csv_format;
using stepsim::engine::read_csv;
using stepsim::engine::read_json_array;
using stepsim::engine::read_json_lines;
namespace json = boost::json;

TEST_CASE("CSV with the header in the first row gives one object of strings per record", "[engine][item_reader]") {
  auto r = read_csv("Col1,Col2,Col3\nValue1,Value2,Value3\n,,\ntrue,1,'HelloWorld'\n   \n", {});
  REQUIRE(r.ok());
  CHECK(json::value(r.items) == json::parse(R"([{"Col1": "Value1", "Col2": "Value2", "Col3": "Value3"},
      {"Col1": "", "Col2": "", "Col3": ""}, {"Col1": "true", "Col2": "1", "Col3": "'HelloWorld'"},
      {"Col1": "   ", "Col2": "", "Col3": ""}])"));
}

TEST_CASE("CSV reads quoted fields with delimiters, line breaks and doubled quotes, CRLF and a BOM",
          "[engine][item_reader]") {
  auto r = read_csv("\xEF\xBB\xBF" "a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\r\n\"two\r\nlines\",z\r\n", {});
  REQUIRE(r.ok());
  CHECK(json::value(r.items) ==
        json::parse(R"([{"a": "x, y", "b": "say \"hi\""}, {"a": "two\r\nlines", "b": "z"}])"));
}

TEST_CASE("CSV with GIVEN headers reads every record as data and drops extra fields", "[engine][item_reader]") {
  auto r = read_csv("Value1,Value2,Value3\nValue4\n", csv_format{',', {"H1", "H2"}});
  REQUIRE(r.ok());
  CHECK(json::value(r.items) == json::parse(R"([{"H1": "Value1", "H2": "Value2"}, {"H1": "Value4", "H2": ""}])"));
}

TEST_CASE("CSV splits at the delimiter it is given", "[engine][item_reader]") {
  for (char d : {'|', ';', ' ', '\t'}) {
    std::string text = std::string("a") + d + "b\n1" + d + "2\n";
    auto r = read_csv(text, csv_format{d, {}});
    REQUIRE(r.ok());
    CHECK(json::value(r.items) == json::parse(R"([{"a": "1", "b": "2"}])"));
  }
}

TEST_CASE("CSV stops at MaxItems records", "[engine][item_reader]") {
  auto r = read_csv("a\n1\n2\n3\n", {}, 2);
  REQUIRE(r.ok());
  CHECK(r.items.size() == 2);
}

TEST_CASE("CSV errors: duplicate headers, an open quote, text after a closing quote", "[engine][item_reader]") {
  CHECK(read_csv("a,a\n1,2\n", {}).error == "CSV headers cannot contain duplicates.");
  CHECK(read_csv("1,2\n", csv_format{',', {"h", "h"}}).error == "CSV headers cannot contain duplicates.");
  CHECK(read_csv("a\n\"open\n", {}).error == "CSV line 2: the quoted field opened on this line is not closed");
  CHECK(read_csv("a\n\"x\"y\n", {}).error == "CSV line 2: \"y\" after the closing quote of a field; a quote inside a quoted field is "
                                                 "written twice");
}

TEST_CASE("An empty CSV object gives no items", "[engine][item_reader]") {
  auto r = read_csv("", {});
  CHECK(r.ok());
  CHECK(r.items.empty());
}

TEST_CASE("JSON Lines gives one item a line, skipping empty lines, up to MaxItems", "[engine][item_reader]") {
  auto r = read_json_lines("{\"a\": 1}\r\n\n[2]\n\"three\"\n4", 0);
  REQUIRE(r.ok());
  CHECK(json::value(r.items) == json::parse(R"([{"a": 1}, [2], "three", 4])"));
  CHECK(read_json_lines("1\n2\n3\n", 2).items.size() == 2);
}

TEST_CASE("JSON Lines names the line that is not JSON", "[engine][item_reader]") {
  auto r = read_json_lines("1\n{oops\n", 0);
  CHECK(r.error.starts_with("JSON Lines line 2 is not JSON: "));
}

TEST_CASE("A JSON object holding an array gives its elements, anything but an array fails", "[engine][item_reader]") {
  auto r = read_json_array(R"([1, {"b": 2}, "c"])", 2);
  REQUIRE(r.ok());
  CHECK(json::value(r.items) == json::parse(R"([1, {"b": 2}])"));
  CHECK(read_json_array(R"({"a": 1})").error == "Attempting to map over non-iterable node.");
  CHECK(read_json_array("[1,").error.starts_with("The object is not JSON: "));
}
