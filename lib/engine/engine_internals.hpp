// Private: what an engine keeps besides its settings, for the interpreter.
#pragma once

#include <stepsim/engine/engine.hpp>
#include <stepsim/engine/map_run.hpp>
#include <stepsim/json/text_memo.hpp>
#include <stepsim/sim/rng.hpp>
#include <stepsim/tasks/task_token.hpp>

#include <functional>
#include <string_view>
#include <memory>
#include <vector>

namespace stepsim::engine {

struct engine::internals {
  explicit internals(std::uint64_t seed)
      : names(sim::rng(seed).stream("engine/execution-names")), overhead(sim::rng(seed).stream("engine/overhead")) {}

  sim::random_stream names;     ///< execution names and Express execution ids
  sim::random_stream overhead;  ///< transition overheads (engine_options::transition_overhead)
  tasks::token_table tokens;    ///< Tasks waiting for a task token
  /// Map Runs of distributed Maps, oldest first; `live` applies an
  /// UpdateMapRun to a running one (empty once it has ended).
  struct map_run_entry {
    map_run_status status;
    std::function<void(map_run_update const&)> live;
  };
  std::vector<std::shared_ptr<map_run_entry>> map_runs;

  /// `tasks.find(resource)`, remembered (a Task state's Resource is looked
  /// up each time the state is entered); forgotten when the registry changes.
  tasks::registry::entry const* find_task(tasks::registry const& tasks, std::string_view resource) {
    if (tasks.generation() != task_generation) {
      task_memo.clear();
      task_generation = tasks.generation();
    }
    if (auto const* hit = task_memo.find(resource)) return *hit;
    return task_memo.put(resource, tasks.find(resource));
  }
  stepsim::json::text_memo<tasks::registry::entry const*> task_memo;
  std::uint64_t task_generation = 0;
};

}  // namespace stepsim::engine
