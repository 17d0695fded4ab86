// stepsim-bench: the shared benchmark workloads (NAME.asl.json, .input.json, .expected.json, workloads.json).
#pragma once

#include <stepsim/asl/state_machine.hpp>

#include <boost/json/value.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace stepsim::bench {

/// One workload: a compiled definition, its input, the output every execution
/// must produce, and the minimum counts of the two modes (workloads.json).
struct workload {
  std::string name;
  std::string comment;
  std::shared_ptr<asl::state_machine const> machine;
  boost::json::value input;
  boost::json::value expected;
  std::uint64_t states_per_execution = 0;
  std::uint64_t sequential_executions = 0;
  std::uint64_t concurrent_batch = 0;
  std::uint64_t concurrent_rounds = 0;
  std::string load_error;  ///< the definition does not parse (machine null): every cell of it fails with this
};

/// Loads every workload named in `dir`/workloads.json, in the file's order.
/// Throws std::runtime_error naming the file on a missing file or bad JSON; a
/// definition that does not parse sets that workload's `load_error` instead.
std::vector<workload> load_workloads(std::filesystem::path const& dir);

/// A valid definition of `n` states (n >= 2) mixing Pass with templates and
/// intrinsics, Task with Retry/Catch and selectors, Choice rules and Wait,
/// chained by Next and ending in Succeed: the input of the parse500 cell.
std::string generated_definition(int n);

}  // namespace stepsim::bench
