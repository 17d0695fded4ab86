// Private: the live state of one execution and the interpreter's entry points.
#pragma once

#include "engine/engine_internals.hpp"

#include <stepsim/engine/engine.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/json.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stepsim::engine {

namespace json = boost::json;

struct redrive_point;
struct branch_set;

/// One Parallel branch or Map iteration (or Map Run child) of a state that
/// did not succeed, as a redrive finds it: its output when it succeeded,
/// else where to resume it (null: from its start).
struct branch_outcome {
  bool succeeded = false;
  json::value output;
  std::unique_ptr<redrive_point> resume;
};

/// The branches of a Parallel or Map state (by branch or item index), or
/// the children of a distributed Map's run, as they ended.
struct branch_set : std::vector<branch_outcome> {
  std::string map_run_arn;            ///< a distributed Map's run, redriven under the same ARN
  std::int64_t map_run_redrives = 0;  ///< times that Map Run was redriven
  std::vector<execution_result> children;  ///< a Map Run's children, by index
};

/// Where a run of a state machine (the execution's, a branch's, an
/// iteration's) stopped without success: the state to run again, its input
/// and the variables in scope, and, for a Parallel or Map, its branches.
struct redrive_point {
  asl::state_index state = 0;
  json::value input;
  std::shared_ptr<json::object> vars;
  branch_set branches;  ///< empty for other states
};

struct execution::state {
  engine& eng;
  engine::internals& core;  // the engine's streams and task tokens
  std::shared_ptr<asl::state_machine const> machine;
  execution_options options;
  execution_result result;
  json::value context;  // $$ once built (null until a state or handler needs it); "State" kept current
  std::function<void(execution_result const&)> on_done;
  std::int64_t last_event_id = 0;
  bool done = false;
  bool expired = false;  // the execution's time ran out: its states end without Aborted events
  /// Cancels the coroutine running the execution once it waits (set while it does).
  std::function<void()> cancel_run;
  /// A stopped run's coroutine is unwinding: it records nothing and finishes nothing.
  bool unwinding = false;
  /// The execution's own owner (set by engine::start), for redrive's coroutine.
  std::weak_ptr<state> self;
  /// The point the current redriven run started from (its branches' plans point into it).
  std::unique_ptr<redrive_point> redriven_from;
  /// Where a redrive starts (options.redrivable): filled when the run stops
  /// without success; null when it never entered a state.
  std::unique_ptr<redrive_point> resume_point;
  // The handle `engine::start` returns, kept here so that it costs no
  // allocation of its own: it points back without owning (the caller's
  // shared_ptr to it shares the state's ownership).
  execution handle{std::shared_ptr<state>(std::shared_ptr<state>(), this)};

  state(engine& e, engine::internals& c, std::shared_ptr<asl::state_machine const> m, execution_options o)
      : eng(e), core(c), machine(std::move(m)), options(std::move(o)) {}

  sim::instant now() const noexcept { return eng.scheduler().now(); }

  /// The execution's own random stream (States.MathRandom, States.UUID, retry
  /// jitter), derived from its name on first use: most executions never draw.
  sim::random_stream& random() {
    if (!random_) random_.emplace(sim::rng(eng.options().seed).stream("execution/" + result.name));
    return *random_;
  }

  /// Builds `$$` on first use: most executions never read it.
  json::value& ensure_context();
  /// Sets `$$.State` for the state `name` entered at `entered`; RetryCount
  /// only for states that can retry (Task, Parallel, Map), as AWS shows it.
  void enter_state_context(std::string const& name, sim::instant entered, std::optional<std::int64_t> retries);

  /// Numbers an event, records it (when history is on) and returns its id.
  /// `previous` defaults to the last event's id. Events are numbered at every
  /// history level, so the 25,000-event limit of a Standard execution and the
  /// event ids in causes do not depend on it. Throws history_limit_reached
  /// when the event would be the 25,000th and does not end the execution.
  std::int64_t emit(std::string_view type, std::string_view details_key = {}, json::object details = {},
                    std::optional<std::int64_t> previous = std::nullopt);
  /// Numbers an event that is not recorded (history off), as `emit` does.
  std::int64_t count_event();
  /// True when an event of type `next_type` would break the history limit.
  bool history_full(std::string_view next_type) const noexcept;
  bool recording() const noexcept { return options.history != history_level::off; }
  bool full_history() const noexcept { return options.history == history_level::full; }

 private:
  std::optional<sim::random_stream> random_;
};

/// Ends `ex` with `status` (and its output, or error and cause), records the
/// closing event and calls its `on_done`. Does nothing when `ex` has ended
/// (stopped) already; after it, `emit` records nothing more.
void finish(execution::state& ex, execution_status status, std::optional<json::value> output,
            std::optional<std::string> error, std::optional<std::string> cause);

/// Stops `ex` (execution::stop): false when it has ended already.
bool stop_execution(execution::state& ex, std::optional<std::string> error, std::optional<std::string> cause);

/// Whether `ex` can be redriven now (execution::redrivability).
redrive_eligibility redrive_eligibility_of(execution::state const& ex);

/// Finishes `ex` for a failure that ended it; false when `e` is not one of
/// the ways an execution fails (the caller lets it propagate).
bool finish_failed(execution::state& ex, std::exception_ptr e);

/// Names `st` (its options' name, or a UUID drawn from `names`), sets its
/// ARNs, input and start date, and records ExecutionStarted.
void open_execution(execution::state& st, json::value input, sim::random_stream& names);

/// A version 4 UUID drawn from `r`.
std::string new_uuid(sim::random_stream& r);

/// "arn:aws:states:REGION:ACCOUNT:KIND:NAME".
std::string arn_of(engine_options const& o, std::string_view kind, std::string_view name);

/// Thrown inside an execution when a runner limit (transitions, time budget) stops it.
struct aborted {
  std::string error;
  std::string cause;
};

/// Where a run of a state machine (the execution's, a branch's, an
/// iteration's) stands: the state to enter next and its input.
struct machine_cursor {
  asl::state_machine const* machine = nullptr;
  asl::state_index state = 0;
  json::value data;
  bool first = true;  // no state entered yet
  bool top_level = false;
  /// Kept for a redrive (execution_options::redrivable): where to record the
  /// state this run stops in without success (null: nothing is kept), the
  /// input of the state being run, and the branches of the Parallel or Map
  /// being run (shared with its handled_state).
  redrive_point* failed_at = nullptr;
  json::value entry_input;
  std::shared_ptr<branch_set> branches;
  /// A redrive: the branches of the first state, as the earlier attempt left them.
  branch_set* plan = nullptr;
  /// The variables this run sees: its own scope, begun as a copy of the
  /// enclosing run's (a Parallel branch or Map iteration reads the outer
  /// variables; what it assigns stays its own). Null while nothing is
  /// assigned. Held by pointer: a state in progress keeps its address
  /// while the cursor moves into a coroutine.
  std::shared_ptr<json::object> vars;
  /// What the current state assigns, stored into `vars` when it is left:
  /// every value of a state's Assign is computed from the variables as they
  /// were before the state.
  json::object assigned;

  machine_cursor() = default;
  machine_cursor(asl::state_machine const& m, json::value input, bool top)
      : machine(&m), state(m.start()), data(std::move(input)), top_level(top) {}
  /// A branch or iteration run: its scope starts from the outer variables `outer` (may be null).
  machine_cursor(asl::state_machine const& m, json::value input, json::object const* outer)
      : machine(&m), state(m.start()), data(std::move(input)) {
    if (outer && !outer->empty()) vars = std::make_shared<json::object>(*outer);
  }
};

class handled_state;

/// A cursor that resumes at `p` (redrive): its state, input and variables,
/// with its branches as the plan of that state. `p` must outlive the run.
machine_cursor resume_cursor(asl::state_machine const& m, redrive_point& p, bool top);

/// Records in `c.failed_at` (when set) that `c` stopped without success in its current state.
void keep_failure(machine_cursor& c);

/// Before state `c.state` is entered: keeps its input when `c` is kept for a redrive.
void keep_entry(machine_cursor& c);

/// Runs states of `c` that need no waiting, one after another, on this call
/// (no scheduler turn). Returns true when the machine ended (its output in
/// `c.data`); false when the next state must wait: `resume` then holds a
/// Task/Parallel/Map state already entered whose work or retry must be
/// awaited, or is empty when the state at `c.state` is not entered yet.
/// Throws what `run_machine` throws.
bool run_ready_states(execution::state& ex, machine_cursor& c, std::unique_ptr<handled_state>& resume);

/// Runs `c.machine` from `c.state` on `c.data` (first finishing `resume`, a
/// state `run_ready_states` left entered); returns its output or throws
/// asl::states_error (a failure that reached the top) or `aborted`.
boost::asio::awaitable<json::value> run_machine(execution::state& ex, machine_cursor c,
                                               std::unique_ptr<handled_state> resume = {});

/// The same from the machine's StartAt, for a Parallel branch or a Map
/// iteration whose variables start from `outer` (may be null).
boost::asio::awaitable<json::value> run_machine(execution::state& ex, asl::state_machine const& machine,
                                               json::value input, json::object const* outer);

}  // namespace stepsim::engine

namespace stepsim::engine {

/// Events a Standard execution's history may hold, the last one ending it.
inline constexpr std::int64_t max_history_events = 25000;

/// Thrown when a Standard execution's history is full (25,000 events).
struct history_limit_reached {};

/// Thrown by a Fail state: its error and cause, each possibly absent.
struct state_failure {
  std::optional<std::string> error;
  std::optional<std::string> cause;
};

}  // namespace stepsim::engine
