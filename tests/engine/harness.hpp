// Shared by the engine tests: one virtual-time scheduler, a registry and a
// definition-text runner, so each TEST_CASE states only its machine and input.
#pragma once

#include <stepsim/asl/parse.hpp>
#include <stepsim/engine/engine.hpp>
#include <stepsim/sim/scheduler.hpp>
#include <stepsim/sim/time.hpp>
#include <stepsim/tasks/registry.hpp>

#include <boost/json.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stepsim::test {

namespace json = boost::json;

// 2024-01-01T00:00:00Z, the instant every engine test starts at.
inline const sim::instant t0{sim::duration{1704067200000000}};

inline std::string iso(sim::instant t) { return sim::format_iso8601(t); }
inline std::string iso(std::optional<sim::instant> const& t) { return t ? sim::format_iso8601(*t) : "<none>"; }

/// A fresh clock at t0, an empty registry, and `run` for definition text.
struct harness {
  sim::scheduler sched = sim::scheduler::virtual_time(t0);
  tasks::registry tasks;
  engine::engine_options engine_opts;

  engine::execution_result run(std::string_view definition, std::string_view input = "{}",
                               engine::execution_options options = {}) {
    engine::engine eng(sched, tasks, engine_opts);
    return eng.run(asl::parse_or_throw(definition), json::parse(input), std::move(options));
  }
};

/// The event types of a history, in order.
inline std::vector<std::string> types(std::vector<engine::history_event> const& events) {
  std::vector<std::string> out;
  for (auto const& e : events) out.push_back(e.type);
  return out;
}

}  // namespace stepsim::test
