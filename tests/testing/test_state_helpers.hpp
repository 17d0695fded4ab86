// What the test_state tests share: debug-level options, JSON from text, an
// object's sorted keys.
#pragma once

#include <stepsim/testing/test_state.hpp>

#include <boost/json.hpp>

#include <algorithm>
#include <string>
#include <vector>

namespace stepsim::test {

/// Options asking for the DEBUG inspection level (every step of the data flow).
inline testing::test_state_options debug() {
  testing::test_state_options o;
  o.inspection = testing::inspection_level::debug;
  return o;
}

inline boost::json::value j(char const* text) { return boost::json::parse(text); }

/// The keys of `o`, sorted.
inline std::vector<std::string> keys(boost::json::object const& o) {
  std::vector<std::string> k;
  for (auto const& kv : o) k.emplace_back(kv.key());
  std::sort(k.begin(), k.end());
  return k;
}

}  // namespace stepsim::test
