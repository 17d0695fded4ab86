// stepsim-bench: the `study` cells, whole what-if studies end to end.
#pragma once

#include "cell.hpp"

#include <cstdint>
#include <string>

namespace stepsim::bench {

/// `seed` mode: the cold-start accumulation study (examples/coldstart-accumulation,
/// every scenario and replication, one thread) from file to summary; one
/// execution = one study. `poisson` mode: `executions` executions of its
/// four-step workflow arriving as a Poisson process over 24 simulated hours,
/// folded into the summary as `stepsim simulate` does (no executions.csv),
/// one thread. `poisson-jobs2`: two replications of that day, on one thread
/// and then on two (`--jobs 2`); `ratio` is the speed-up over 2, and the two
/// summaries must be equal. Fails when the executions do not add up.
cell_result run_study(std::string const& mode, std::uint64_t executions, cell_options const& o);

}  // namespace stepsim::bench
