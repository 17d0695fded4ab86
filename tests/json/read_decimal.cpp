#include <stepsim/json/parse.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <regex>

namespace json = stepsim::json;

TEST_CASE("read_decimal reads decimal numbers exactly, with a '.' whatever the locale", "[json][decimal]") {
  CHECK(json::read_decimal("1.5") == 1.5);
  CHECK(json::read_decimal("-0.25") == -0.25);
  CHECK(json::read_decimal(".5") == 0.5);
  CHECK(json::read_decimal("5.") == 5.0);
  CHECK(json::read_decimal("1e3") == 1000.0);
  CHECK(json::read_decimal("1E+3") == 1000.0);
  CHECK(json::read_decimal("2.5e-3") == 0.0025);
  CHECK(json::read_decimal("90.57000000000001") == 90.57000000000001);
  CHECK(json::read_decimal("0.1") == 0.1);
}

TEST_CASE("read_decimal gives infinity past the largest double and zero below the smallest, as strtod",
          "[json][decimal]") {
  auto inf = std::numeric_limits<double>::infinity();
  CHECK(json::read_decimal("1e400") == inf);
  CHECK(json::read_decimal("-1e400") == -inf);
  CHECK(json::read_decimal("1" + std::string(400, '0')) == inf);
  CHECK(json::read_decimal("1e-400") == 0.0);
  auto negative_zero = json::read_decimal("-1e-400");
  REQUIRE(negative_zero);
  CHECK(*negative_zero == 0.0);
  CHECK(std::signbit(*negative_zero));
  CHECK(json::read_decimal("0." + std::string(400, '0') + "1") == 0.0);
  CHECK(json::read_decimal("1e99999999999999999999") == inf);
  CHECK(json::read_decimal("1e-99999999999999999999") == 0.0);
}

TEST_CASE("read_decimal refuses what is not a whole decimal number", "[json][decimal]") {
  for (auto text : {"", "-", "+1", " 1", "1 ", "1,5", "0x10", "inf", "nan", "Infinity", "1e", "e5", "1.5.2", "--1"})
    CHECK_FALSE(json::read_decimal(text));
}

TEST_CASE("No library source reads numbers through the locale (strtod, atof, stod, streams)", "[json][decimal]") {
  std::regex forbidden(R"(\b(strtod|strtof|strtold|atof|stod|stof|stold|sscanf)\s*\(|istringstream|stringstream)");
  std::vector<std::string> found;
  for (auto const& e : std::filesystem::recursive_directory_iterator(std::string(STEPSIM_SOURCE_DIR) + "/lib")) {
    if (!e.is_regular_file()) continue;
    std::ifstream in(e.path());
    std::string line;
    for (int n = 1; std::getline(in, line); ++n)
      if (std::regex_search(line, forbidden)) found.push_back(e.path().string() + ":" + std::to_string(n) + ": " + line);
  }
  INFO([&] {
    std::string all;
    for (auto const& f : found) all += f + "\n";
    return all;
  }());
  CHECK(found.empty());
}
