// Runs the cases of the official JSONata test suite (tests/jsonata/suite).
#pragma once

#include <stepsim/jsonata/expression.hpp>

#include <boost/json.hpp>

#include <string>
#include <vector>

namespace stepsim::jsonata::testing {

struct case_outcome {
  std::string id;
  bool passed = false;
  std::string detail;  // what was expected and what came, when it failed
};

/// Runs every case of `dir`/cases.jsonl.
std::vector<case_outcome> run_suite(std::string const& dir);

}  // namespace stepsim::jsonata::testing
