// stepsim::engine::execution_result: what an execution did, shaped like AWS DescribeExecution.
#pragma once

#include <stepsim/engine/history.hpp>
#include <stepsim/sim/time.hpp>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stepsim::engine {

enum class execution_status { running, succeeded, failed, timed_out, aborted };

/// "RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED".
char const* to_string(execution_status s) noexcept;

/// Whether RedriveExecution would accept an execution (AWS's `redriveStatus`).
enum class redrive_status { redrivable, not_redrivable, redrivable_by_map_run };

/// "REDRIVABLE", "NOT_REDRIVABLE", "REDRIVABLE_BY_MAP_RUN".
char const* to_string(redrive_status s) noexcept;

/// The outcome of one execution.
struct execution_result {
  std::string execution_arn;
  std::string state_machine_arn;
  std::string name;
  execution_status status = execution_status::running;
  boost::json::value input;
  std::optional<boost::json::value> output;  ///< set when SUCCEEDED
  std::optional<std::string> error;          ///< set when FAILED, TIMED_OUT or ABORTED (when known)
  std::optional<std::string> cause;
  sim::instant start_date{};
  std::optional<sim::instant> stop_date;
  /// Names of the top-level states entered, in order (a state entered twice appears twice).
  std::vector<std::string> path;
  /// Number of states entered, nested ones (Parallel branches, Map iterations) included.
  std::uint64_t states_entered = 0;
  /// History, at the level asked for in execution_options.
  std::vector<history_event> events;
  /// Events numbered so far, recorded or not (the id of the last one).
  std::int64_t event_count = 0;
  /// Times the execution was redriven (execution::redrive), and when it last was.
  std::int64_t redrive_count = 0;
  std::optional<sim::instant> redrive_date;
  /// Whether it can be redriven, as its status and history leave it (the
  /// 14-day and one-year periods are checked by execution::redrivability);
  /// `redrive_status_reason` (a static text) says why not.
  redrive_status redrive = redrive_status::not_redrivable;
  std::string_view redrive_status_reason;

  bool succeeded() const noexcept { return status == execution_status::succeeded; }

  /// The result as AWS `DescribeExecution` prints it (`output` as JSON text,
  /// dates as ISO-8601; `redriveCount`, `redriveStatus`, `redriveStatusReason`
  /// when not redrivable, `redriveDate` once redriven), plus `path` (states entered).
  boost::json::object describe() const;
};

}  // namespace stepsim::engine
