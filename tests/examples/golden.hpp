// Golden-file checks for the examples: the text must equal the file, byte for
// byte. With the environment variable STEPSIM_UPDATE_GOLDEN=1 the file is
// rewritten from the actual text instead (then review the diff), as
// tests/cli/check.cmake does for the command's golden files.
#pragma once

#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>

namespace stepsim::test {

/// The whole content of `file`; fails the test when it cannot be read.
inline std::string read_text(std::string const& file) {
  std::ifstream in(file, std::ios::binary);
  INFO("reading " << file);
  REQUIRE(in.good());
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline void check_golden(std::string const& actual, std::string const& golden_file) {
  if (char const* update = std::getenv("STEPSIM_UPDATE_GOLDEN"); update && std::string(update) == "1") {
    std::ofstream(golden_file, std::ios::binary) << actual;
    WARN("updated " << golden_file);
    return;
  }
  INFO("golden file: " << golden_file);
  CHECK(actual == read_text(golden_file));
}

}  // namespace stepsim::test
