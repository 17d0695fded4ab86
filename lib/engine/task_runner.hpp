// Private: one attempt of a Task state's resource, with its history events.
#pragma once

#include "engine/execution_state.hpp"

namespace stepsim::engine {
class states_binding;
}

namespace stepsim::engine {

/// Calls `handler` (the one registered for `s.resource`, or nullptr) with
/// `input` (the effective input) and returns its result. Records
/// TaskScheduled / TaskStarted / TaskSucceeded / TaskFailed
/// (LambdaFunction... for Lambda function ARNs). Failures throw
/// asl::states_error: the handler's own `task_error`, `States.TaskFailed` for
/// other exceptions and for a resource with no handler.
/// `binding`: `$states` of a JSONata Task (its TimeoutSeconds and
/// HeartbeatSeconds may be expressions); null for a JSONPath one.
boost::asio::awaitable<json::value> run_task_attempt(execution::state& ex, asl::state const& s,
                                                    tasks::registry::entry const* handler, json::value const& input,
                                                    states_binding const* binding = nullptr,
                                                    json::value* movable = nullptr);

/// True when an attempt of Task `s` ends on the call that starts it: a plain
/// handler (or none) and no task token to wait for. The one rule for every
/// caller that picks the synchronous path.
inline bool attempt_runs_now(tasks::registry::entry const* handler, asl::state const& s) noexcept {
  return (!handler || !handler->async) && !s.waits_for_token;
}

/// The same on this call, for a Task `attempt_runs_now` accepts. `movable`, when not null, is `&input` and
/// no longer needed: a consuming handler is given it by move.
json::value run_task_attempt_now(execution::state& ex, asl::state const& s, tasks::registry::entry const* handler,
                                 json::value const& input, json::value* movable = nullptr,
                                 states_binding const* binding = nullptr);

}  // namespace stepsim::engine
