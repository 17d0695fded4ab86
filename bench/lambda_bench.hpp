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
///
/// `awaiting` false: the workload is a scheduler task that calls
/// `async_invoke` with a callback (the service's fast path, as a study's own
/// driver would). True: every invocation is a coroutine that `co_await`s
/// `service::invoke`, as a Task does; `mode` is then "await-N".
cell_result run_lambda(std::uint64_t invocations, bool awaiting, cell_options const& o);

}  // namespace stepsim::bench
