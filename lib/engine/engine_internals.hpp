// Private: what an engine keeps besides its settings, for the interpreter.
#pragma once

#include <stepsim/engine/engine.hpp>
#include <stepsim/sim/rng.hpp>
#include <stepsim/tasks/task_token.hpp>

namespace stepsim::engine {

struct engine::internals {
  explicit internals(std::uint64_t seed)
      : names(sim::rng(seed).stream("engine/execution-names")), overhead(sim::rng(seed).stream("engine/overhead")) {}

  sim::random_stream names;     ///< execution names and Express execution ids
  sim::random_stream overhead;  ///< transition overheads (engine_options::transition_overhead)
  tasks::token_table tokens;    ///< Tasks waiting for a task token
};

}  // namespace stepsim::engine
