// Private: Parallel branches and Map iterations, each a state machine run concurrently.
#pragma once

#include "engine/execution_state.hpp"
#include "engine/error_handling.hpp"

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
/// `kept` (may be null): each branch's outcome, for a redrive.
json::value run_parallel_now(execution::state& ex, asl::state const& s, json::value const& input,
                             json::object const* vars, branch_set* kept = nullptr);

/// Branch or iteration `i` of a state kept for a redrive (`kept` from
/// work_scope::branches): the cursor that resumes it where an earlier attempt
/// left it (that point moved into `old`, which must outlive the run), else
/// `fresh()`; either records into a new point of `kept[i]`.
template <typename Fresh>
machine_cursor branch_cursor(branch_set& kept, std::size_t i, asl::state_machine const& m,
                             std::unique_ptr<redrive_point>& old, Fresh&& fresh) {
  auto& k = kept[i];
  old = std::move(k.resume);
  machine_cursor c = old ? resume_cursor(m, *old, false) : fresh();
  k.resume = std::make_unique<redrive_point>();
  c.failed_at = k.resume.get();
  return c;
}

/// Prepares `kept` (may be null) for `n` branches, taking over `plan` (may be null).
void begin_branches(branch_set* kept, branch_set* plan, std::size_t n);

/// Records that branch `i` of `kept` (may be null) succeeded with `output`.
void branch_succeeded(branch_set* kept, std::size_t i, json::value const& output);

/// True when a redrive's plan says branch `i` succeeded already (its output is `kept[i].output`).
inline bool succeeded_before(branch_set const* kept, std::size_t i) {
  return kept && i < kept->size() && (*kept)[i].succeeded;
}

/// Runs a Map state's item processor on each item of `input` (after
/// ItemsPath; in a JSONata state, `Items` evaluated with `scope.binding`),
/// at most MaxConcurrency at a time; the array of outputs in item order.
/// Inline iterations' variables start from `scope.vars`; a distributed
/// Map's child executions start with none, as on AWS.
boost::asio::awaitable<json::value> run_map(execution::state& ex, asl::state const& s, json::value const& input,
                                           std::int64_t entered_id, work_scope scope);

/// The integer path `p` names (MaxConcurrencyPath, ToleratedFailureCountPath,
/// MaxItemsPath...; `field` names it in the error): an integer, or a string
/// of digits; negative only when `negative_ok`. Otherwise States.Runtime
/// "The FIELD field refers to value "V" which is not a valid integer: PATH".
std::int64_t integer_from_path(execution::state& ex, asl::path const& p, json::value const& input, char const* field,
                               json::object const* vars, bool negative_ok = false);

/// What a Map state reads at run time besides its items: MaxConcurrency
/// (capped at AWS's ceiling for its mode) and the failures it tolerates.
struct map_limits {
  std::size_t concurrency = 0;
  std::size_t configured = 0;  ///< MaxConcurrency as given (0: none); `concurrency` is it within the ceiling
  std::size_t ceiling = 0;     ///< the most iterations at once of this kind of Map
  std::optional<std::int64_t> tolerated_count;
  std::optional<double> tolerated_percentage;
  bool tolerant() const noexcept { return tolerated_count || tolerated_percentage; }
  /// True when `failures` of `total` iterations are more than tolerated.
  bool exceeded(std::size_t failures, std::size_t total) const noexcept;
};
/// MaxConcurrency(Path) and ToleratedFailure*(Path) of Map `s`; States.Runtime
/// (or States.QueryEvaluationError) when a path or expression gives no valid value.
map_limits map_limits_of(execution::state& ex, asl::state const& s, json::value const& input, work_scope scope);

/// The items of Map `s` (ItemsPath, or Items in a JSONata state): a reference
/// into `input`, or into `storage` when computed; throws when not an array.
json::value const& map_items(execution::state& ex, asl::state const& s, json::value const& input, work_scope scope,
                             json::value& storage);

/// The input of iteration `index` (on `item`): the item, or ItemSelector
/// evaluated with `$$.Map.Item.Index` / `$$.Map.Item.Value`, reading the Map's own scope.
json::value iteration_input(execution::state& ex, asl::state const& s, json::value const& input, work_scope scope,
                            json::value const& item, std::size_t index);

/// A distributed Map (`s.map_run` set): a Map Run whose iterations are child
/// executions of their own (STANDARD or EXPRESS), with items from the input
/// or its ItemReader, batched by its ItemBatcher, and results written by its
/// ResultWriter (map_run.cpp).
boost::asio::awaitable<json::value> run_map_run(execution::state& ex, asl::state const& s, json::value const& input,
                                               std::int64_t entered_id, work_scope scope);

}  // namespace stepsim::engine
