// Private: the live state of one execution and the interpreter's entry points.
#pragma once

#include <stepsim/engine/engine.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/json.hpp>

#include <functional>
#include <string>

namespace stepsim::engine {

namespace json = boost::json;

struct execution::state {
  engine& eng;
  std::shared_ptr<asl::state_machine const> machine;
  execution_options options;
  execution_result result;
  json::value context;  // $$ once built (null until a state or handler needs it); "State" kept current
  sim::random_stream random;
  std::function<void(execution_result const&)> on_done;
  std::int64_t last_event_id = 0;
  bool done = false;

  state(engine& e, std::shared_ptr<asl::state_machine const> m, execution_options o, sim::random_stream r)
      : eng(e), machine(std::move(m)), options(std::move(o)), random(r) {}

  sim::instant now() const noexcept { return eng.scheduler().now(); }

  /// Builds `$$` on first use: most executions never read it.
  json::value& ensure_context();
  /// Sets `$$.State` for the state `name` entered at `entered`; RetryCount
  /// only for states that can retry (Task, Parallel, Map), as AWS shows it.
  void enter_state_context(std::string const& name, sim::instant entered, std::optional<std::int64_t> retries);

  /// Records an event (when history is on) and returns its id. `previous`
  /// defaults to the last event's id.
  std::int64_t emit(std::string type, std::string details_key = {}, json::object details = {},
                    std::optional<std::int64_t> previous = std::nullopt);
  bool full_history() const noexcept { return options.history == history_level::full; }
};

/// Thrown inside an execution when a runner limit (transitions, time budget) stops it.
struct aborted {
  std::string error;
  std::string cause;
};

/// Runs `machine` from its StartAt on `input`; returns its output or throws
/// asl::states_error (a failure that reached the top) or `aborted`.
boost::asio::awaitable<json::value> run_machine(execution::state& ex, asl::state_machine const& machine,
                                               json::value input, bool top_level);

}  // namespace stepsim::engine

namespace stepsim::engine {

/// Thrown when a Standard execution's history is full (25,000 events).
struct history_limit_reached {};

/// Thrown by a Fail state: its error and cause, each possibly absent.
struct state_failure {
  std::optional<std::string> error;
  std::optional<std::string> cause;
};

}  // namespace stepsim::engine
