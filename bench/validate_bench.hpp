// stepsim-bench: the `validate` and `analyze` cells, whose time must grow linearly with their input.
#pragma once

#include "cell.hpp"

#include <cstdint>
#include <string>

namespace stepsim::bench {

/// `validate` cells. Mode "N": `asl::parse` of a generated chain of N Pass
/// states (N `Next` references plus StartAt), given as a JSON value so sizes
/// past AWS's 1 MB text limit can be measured; `ms_per_op` is per parse and
/// `transitions_per_s` is references per second, which stays flat when the
/// time is linear. Mode "hints": the definition text of 250 states with
/// 1,000-character names whose `Next` targets are all missing (each error
/// computes a "did you mean" hint). Fails when the parse does not give what
/// the definition implies.
cell_result run_validate(std::string const& mode, std::uint64_t references, cell_options const& o);

/// `analyze` cells: `study::read_export` and `study::analyze_periods` of a
/// generated list-executions document of `executions` executions (every name
/// distinct); `transitions_per_s` is executions per second.
cell_result run_analyze(std::uint64_t executions, cell_options const& o);

}  // namespace stepsim::bench
