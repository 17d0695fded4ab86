// Private: Parallel branches and Map iterations, each a state machine run concurrently.
#pragma once

#include "engine/execution_state.hpp"

namespace stepsim::engine {
struct work_scope;
}

namespace stepsim::engine {

/// Runs every branch of a Parallel state on `input`; the array of branch
/// outputs, in branch order. A failing branch cancels the others and fails
/// the state with the branch's error.
/// Each branch's variables start from `scope.vars`.
boost::asio::awaitable<json::value> run_parallel(execution::state& ex, asl::state const& s, json::value const& input,
                                                std::int64_t entered_id, work_scope scope);

/// True when every branch of Parallel `s` runs to its end without waiting,
/// whatever its input: Pass, Choice, Succeed, Fail, Tasks with plain handlers
/// (or none) and no Retry, and such Parallels, with no transition overhead.
bool parallel_runs_now(execution::state& ex, asl::state const& s);

/// `run_parallel` on this call, for a state `parallel_runs_now` accepts. The
/// branches run one after another, in order, and each to its end, as they
/// do when started concurrently without ever waiting (a failing branch does
/// not stop the later ones, which had started); same outputs, events and
/// failure (the first branch's, in branch order).
json::value run_parallel_now(execution::state& ex, asl::state const& s, json::value const& input,
                             json::object const* vars);

/// Runs a Map state's item processor on each item of `input` (after
/// ItemsPath; in a JSONata state, `Items` evaluated with `scope.binding`),
/// at most MaxConcurrency at a time; the array of outputs in item order.
/// Inline iterations' variables start from `scope.vars`; a distributed
/// Map's child executions start with none, as on AWS.
boost::asio::awaitable<json::value> run_map(execution::state& ex, asl::state const& s, json::value const& input,
                                           std::int64_t entered_id, work_scope scope);

}  // namespace stepsim::engine
