// stepsim-bench: the `lambda` cell, simulated Lambda invocations per wall-clock second.
#pragma once

#include "cell.hpp"

#include <cstdint>

namespace stepsim::bench {

/// Runs `invocations` Poisson invocations (1,000 per simulated second in all)
/// spread uniformly over 10 functions (init lognormal 150 ms / 0.2, run 100 ms
/// constant, fixed 10-minute keep-alive) directly on a `lambda::service` in
/// virtual time, with records going to an `aggregate_sink`. `executions` is
/// the number of invocations (and `mode` the same count as text),
/// `exec_per_s` invocations per wall second. Fails
/// when the sink's totals do not add up to `invocations`.
cell_result run_lambda(std::uint64_t invocations, cell_options const& o);

}  // namespace stepsim::bench
