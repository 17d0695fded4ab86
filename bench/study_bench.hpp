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
/// aggregates only (executions_csv false), one thread. Fails when the
/// summary's execution counts do not add up.
cell_result run_study(std::string const& mode, std::uint64_t executions, cell_options const& o);

}  // namespace stepsim::bench
