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
                                                    states_binding const* binding = nullptr);

/// The same on this call, for a plain handler (or none): precondition
/// `!handler || !handler->async`. `movable`, when not null, is `&input` and
/// no longer needed: a consuming handler is given it by move.
json::value run_task_attempt_now(execution::state& ex, asl::state const& s, tasks::registry::entry const* handler,
                                 json::value const& input, json::value* movable = nullptr,
                                 states_binding const* binding = nullptr);

}  // namespace stepsim::engine
