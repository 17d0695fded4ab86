// Private: Task, Parallel and Map states with their data flow, Retry and Catch.
#pragma once

#include "engine/execution_state.hpp"
#include "engine/jsonata_flow.hpp"

#include <stepsim/engine/state_rules.hpp>

#include <exception>
#include <memory>
#include <optional>
#include <vector>

namespace stepsim::engine {

/// What a Task, Parallel or Map state produced.
struct handled_outcome {
  json::value output;                     ///< the state's output (after ResultPath and OutputPath, or the catcher's ResultPath)
  bool caught = false;                    ///< a catcher matched; go to `next`
  asl::state_index next = asl::no_state;
  json::object assigned;                  ///< the variables the state (or the catcher taken) assigns
};

/// What the work of a Parallel or Map state reads besides its input: the
/// variables in scope (its branches and iterations start from them) and, in
/// a JSONata state, `$states` (Items, ItemSelector, MaxConcurrency...).
struct work_scope {
  json::object const* vars = nullptr;
  states_binding const* binding = nullptr;  ///< null in a JSONPath state
  /// Kept for a redrive: where each branch or iteration ends up (null: not kept).
  branch_set* branches = nullptr;
  /// A redrive: the branches as the earlier attempt left them (null: run them all).
  branch_set* plan = nullptr;
};

/// A Task, Parallel or Map state in progress (InputPath, Parameters, the work
/// itself with Retry, ResultSelector, ResultPath, OutputPath, and Catch on a
/// failure). `advance` runs every step that needs no waiting; when it stops,
/// the caller awaits what `awaits()` names (a retry's delay, or the work) and
/// reports back, then calls `advance` again. The same steps thus serve a
/// state run on one call and one run by a coroutine.
class handled_state {
 public:
  enum class waiting { nothing, delay, work };

  /// `vars`: the variables in scope (may be null; must outlive the state).
  handled_state(execution::state& ex, asl::state const& s, json::value raw, std::int64_t entered_id,
                sim::instant entered_at, json::object const* vars);

  /// Runs until the state is done (its outcome) or must wait (nullopt).
  /// Throws the failure when no catcher takes it.
  std::optional<handled_outcome> advance();

  waiting awaits() const noexcept { return waiting_; }
  /// The retry delay to wait (awaits() == delay); then call delay_done.
  sim::duration delay() const noexcept { return delay_; }
  void delay_done() noexcept;
  /// The work's input (awaits() == work); then call work_done or work_failed
  /// (with an asl::states_error or state_failure).
  json::value const& work_input() const noexcept {
    return binding_ && !templated_ ? binding_->input() : templated_ ? effective_ : selected_;
  }
  /// `&work_input()` when the attempt may take it (a Retry never reads it
  /// again), else null.
  json::value* movable_work_input() noexcept {
    return templated_ ? &effective_ : s_->retry.empty() && !binding_ ? &selected_ : nullptr;
  }
  work_scope scope() const noexcept { return {vars_, binding_ ? &*binding_ : nullptr, branches_.get(), plan_}; }
  /// A Parallel or Map kept for a redrive: records its branches in `branches`;
  /// `plan` (may be null) is how an earlier attempt left them, used by the first attempt only.
  void keep_branches(std::shared_ptr<branch_set> branches, branch_set* plan) noexcept;
  void plan_used() noexcept { plan_ = nullptr; }
  void work_done(json::value result);
  void work_failed(std::exception_ptr failure);

  execution::state& run() const noexcept { return *ex_; }
  asl::state const& state() const noexcept { return *s_; }
  std::int64_t entered_id() const noexcept { return entered_id_; }
  /// A Task's handler (nullptr when none is registered, or for Parallel and Map).
  tasks::registry::entry const* handler() const noexcept { return handler_; }

 private:
  enum class phase { select, attempt, attempted, finish, failed };

  std::optional<handled_outcome> take_failure();
  handled_outcome finish_jsonata();
  handled_outcome catch_jsonata(asl::catcher const& c, json::value error_output);

  execution::state* ex_;
  asl::state const* s_;
  json::value raw_, selected_, effective_, result_;
  std::int64_t entered_id_;
  sim::instant entered_at_;
  tasks::registry::entry const* handler_ = nullptr;
  json::object const* vars_;
  std::optional<states_binding> binding_;  // JSONata states
  bool keep_, templated_, work_sync_ = false;
  bool arguments_take_input_ = false;  // a Task's Arguments is the last reading of `$states.input`
  phase phase_ = phase::select;
  waiting waiting_ = waiting::nothing;
  std::vector<std::int64_t> attempts_;
  std::int64_t retries_ = 0;
  sim::duration delay_{};
  std::exception_ptr failure_;
  std::shared_ptr<branch_set> branches_;
  branch_set* plan_ = nullptr;
};

/// A JSONata Task with no Retry or Catch whose attempt ends on the call
/// (`attempt_runs_now`): the steps `handled_state` takes for it (Arguments,
/// the call, Assign and Output on one `$states`), on this call and without
/// carrying the data through its members. `input`: the state's input.
/// Throws the failure (no catcher can take it).
handled_outcome run_jsonata_task_now(execution::state& ex, asl::state const& s, tasks::registry::entry const* handler,
                                     json::value input, json::object const* vars);

/// Runs `h` to its end, awaiting its retry delays and asynchronous work.
boost::asio::awaitable<handled_outcome> run_with_handlers(std::unique_ptr<handled_state> h);

/// Stores `assigned` into `vars` (creating the scope), and names them in
/// `details` as AWS records them in a StateExited event: `assignedVariables`
/// (each value as JSON text) with `assignedVariablesDetails`.
void store_assigned(json::object& assigned, std::shared_ptr<json::object>& vars, json::object* details);

/// The error name and cause carried by a failure (asl::states_error or a
/// Fail state's state_failure, whose fields may be absent); both absent for
/// anything else.
std::pair<std::optional<std::string>, std::optional<std::string>> failure_of(std::exception_ptr e);

}  // namespace stepsim::engine
