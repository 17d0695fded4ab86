// stepsim-bench: one (workload, mode) measurement, run in a child process of its own.
#pragma once

#include "workload.hpp"

#include <stepsim/engine/history.hpp>

#include <boost/json/object.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

namespace stepsim::bench {

/// How every cell runs.
struct cell_options {
  double min_time_s = 0.5;  ///< repeat rounds until this much wall time passed (0: one round)
  double scale = 1.0;       ///< multiplies the minimum counts (each at least 1)
  engine::history_level history = engine::history_level::off;
  std::uint64_t map1000_batch = 1000;  ///< executions in flight in map1000 conc (the issue asks for 1,000)
};

/// One row of the table / one object of the JSON file.
struct cell_result {
  std::string workload;
  std::string mode;  ///< "seq", "conc", "parse", or "eval" (a JSONata expression: executions = evaluations)
  std::uint64_t executions = 0;  ///< timed executions (parses for parse500)
  std::uint64_t batch = 0;       ///< executions in flight at once (conc), 1 (seq)
  std::uint64_t states_per_execution = 0;
  double wall_s = 0;
  double exec_per_s = 0;
  double transitions_per_s = 0;
  double ms_per_op = 0;  ///< wall ms per execution (per parse for parse500)
  double peak_rss_mb = 0;
  /// Latency percentiles of one operation (the serve cell's requests); < 0: not measured.
  double p50_ms = -1;
  double p99_ms = -1;
  double ratio = -1;  ///< a cell that compares two timings (merge): the first over the second; -1 otherwise
  std::string error;  ///< empty when every output was right
  /// Mode "eval" rows are {workload, mode, evals, wall_s, evals_per_s[, error]}.
  boost::json::object to_json() const;
  static cell_result from_json(boost::json::object const& o);
};

using clock = std::chrono::steady_clock;

/// Wall seconds since `t0`.
double seconds_since(clock::time_point t0);

/// Sets the counts and rates of `c` from `executions` operations and
/// `states` items (states entered, references, ...) done in `wall` seconds.
void finish(cell_result& c, std::uint64_t executions, std::uint64_t states, double wall);

/// Runs `w` in `mode` ("seq": one execution after another; "conc": a batch
/// started at once then run to completion, for some rounds) in this process.
/// Every output is compared with `w.expected`; the first mismatch ends the
/// cell with `error` set.
cell_result run_workload(workload const& w, std::string const& mode, cell_options const& o);

/// Parses and validates a generated 500-state definition repeatedly.
cell_result run_parse500(cell_options const& o);

/// Runs `body` in a forked child and returns its result with `peak_rss_mb`
/// set from the child's ru_maxrss (wait4), so cells do not share a high-water
/// mark. A crash or signal becomes `error`.
cell_result run_isolated(std::string const& workload, std::string const& mode,
                         std::function<cell_result()> const& body);

}  // namespace stepsim::bench
