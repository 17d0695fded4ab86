// stepsim::engine::map_run_status: a distributed Map's Map Run as Step Functions' DescribeMapRun shows it.
#pragma once

#include <stepsim/engine/execution.hpp>
#include <stepsim/sim/time.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace stepsim::engine {

/// Items or child executions of a Map Run by state (AWS's MapRunItemCounts /
/// MapRunExecutionCounts). An item counts with the child execution that
/// processes it (with an ItemBatcher, a child processes its batch).
struct map_run_counts {
  std::int64_t pending = 0, running = 0, succeeded = 0, failed = 0, timed_out = 0, aborted = 0, total = 0;
  std::int64_t results_written = 0;  ///< ended children whose results the ResultWriter wrote
};

/// What UpdateMapRun changes; each member when given.
struct map_run_update {
  std::optional<std::int64_t> max_concurrency;  ///< 0: no limit (up to the distributed Map's ceiling)
  std::optional<double> tolerated_failure_percentage;
  std::optional<std::int64_t> tolerated_failure_count;
};

/// A child execution of a Map Run, as ListExecutions with `mapRunArn` lists it.
struct map_run_child {
  std::string execution_arn;  ///< ...:execution:MACHINE/LABEL:NAME, or ...:express:MACHINE/LABEL:NAME:ID
  std::string name;
  execution_status status = execution_status::running;
  sim::instant start_date{};
  std::optional<sim::instant> stop_date;
};

/// One Map Run, kept by its engine from its MapRunStarted on (a redrive of
/// its execution continues the same one).
struct map_run_status {
  std::string arn;  ///< arn:aws:states:REGION:ACCOUNT:mapRun:MACHINE/LABEL:UUID
  std::string execution_arn;      ///< the execution whose Map state started it
  std::string state_machine_arn;  ///< what its child executions run: arn:aws:states:REGION:ACCOUNT:stateMachine:MACHINE/LABEL
  /// RUNNING until it ends; then SUCCEEDED, FAILED, or ABORTED (its
  /// execution stopped). `timed_out` is not used.
  execution_status status = execution_status::running;
  sim::instant start_date{};
  std::optional<sim::instant> stop_date;
  std::int64_t max_concurrency = 0;  ///< as configured (0: no limit)
  double tolerated_failure_percentage = 0;
  std::int64_t tolerated_failure_count = 0;
  map_run_counts items, executions;
  std::int64_t redrive_count = 0;
  std::optional<sim::instant> redrive_date;
  /// Its child executions in the order they started; a child run again by a
  /// redrive keeps its place, RUNNING again.
  std::vector<map_run_child> children;
};

}  // namespace stepsim::engine
