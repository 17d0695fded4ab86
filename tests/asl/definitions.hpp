// Shared by the definition-parser tests: the diagnostics of a definition that must not compile.
#pragma once

#include <stepsim/asl/parse.hpp>

#include <catch2/catch.hpp>

#include <string>

namespace stepsim::test {

inline std::string describe(asl::diagnostics const& e) {
  std::string all;
  for (auto const& d : e) all += d.pointer + ": " + d.message + "\n";
  return all;
}

/// The diagnostics of `text`, which must not compile.
inline asl::diagnostics errors_of(std::string const& text) {
  auto r = asl::parse(text);
  REQUIRE_FALSE(r.ok());
  REQUIRE(r.machine == nullptr);
  return r.errors;
}

/// The only diagnostic of `text`.
inline asl::diagnostic only_error_of(std::string const& text) {
  auto e = errors_of(text);
  INFO(text);
  INFO(describe(e));
  REQUIRE(e.size() == 1);
  return e.front();
}

/// A one-state machine whose only state is `state_json` named "S".
inline std::string one_state(std::string const& state_json) {
  return R"({"StartAt": "S", "States": {"S": )" + state_json + "}}";
}

}  // namespace stepsim::test
