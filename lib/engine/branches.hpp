// Private: Parallel branches and Map iterations, each a state machine run concurrently.
#pragma once

#include "engine/execution_state.hpp"

namespace stepsim::engine {

/// Runs every branch of a Parallel state on `input`; the array of branch
/// outputs, in branch order. A failing branch cancels the others and fails
/// the state with the branch's error.
boost::asio::awaitable<json::value> run_parallel(execution::state& ex, asl::state const& s, json::value const& input,
                                                std::int64_t entered_id);

/// Runs a Map state's item processor on each item of `input` (after
/// ItemsPath), at most MaxConcurrency at a time; the array of outputs in item
/// order.
boost::asio::awaitable<json::value> run_map(execution::state& ex, asl::state const& s, json::value const& input,
                                           std::int64_t entered_id);

}  // namespace stepsim::engine
