// Private: Task, Parallel and Map states with their data flow, Retry and Catch.
#pragma once

#include "engine/execution_state.hpp"

namespace stepsim::engine {

/// What a Task, Parallel or Map state produced.
struct handled_outcome {
  json::value output;                     ///< the state's output (after ResultPath and OutputPath, or the catcher's ResultPath)
  bool caught = false;                    ///< a catcher matched; go to `next`
  asl::state_index next = asl::no_state;
};

/// Runs the state's work (InputPath, Parameters, the work itself with Retry,
/// ResultSelector, ResultPath, OutputPath), and applies Catch to a failure.
/// Uncaught failures propagate as asl::states_error.
boost::asio::awaitable<handled_outcome> run_with_handlers(execution::state& ex, asl::state const& s, json::value raw,
                                                          std::int64_t entered_id, sim::instant entered_at);

/// The error name and cause carried by a failure (asl::states_error or a
/// Fail state's state_failure, whose fields may be absent); both absent for
/// anything else.
std::pair<std::optional<std::string>, std::optional<std::string>> failure_of(std::exception_ptr e);

/// True when an ErrorEquals list matches `error`, as AWS matches it:
/// the exact name, `States.ALL` (anything but States.Runtime), or
/// `States.TaskFailed` (anything but States.Timeout and States.Runtime).
bool error_matches(std::vector<std::string> const& error_equals, std::string const& error) noexcept;

}  // namespace stepsim::engine
