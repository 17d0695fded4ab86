// Private: what JSONata states and Assign see at run time: `$states`, the variables, the clock and randomness.
#pragma once

#include "engine/execution_state.hpp"

#include <stepsim/asl/jsonata_template.hpp>
#include <stepsim/asl/variables.hpp>

#include <array>
#include <optional>

namespace stepsim::engine {

/// The reserved variable `$states` of one JSONata state (`input`, `context`,
/// and `result` or `errorOutput` where AWS binds them) with the variables in
/// scope. Expressions are evaluated with the scheduler's clock (`$now()`,
/// `$millis()`) and the execution's random stream (`$random()`, `$uuid()`),
/// so a run in virtual time is reproducible.
class states_binding {
 public:
  /// Binds `input` as `$states.input`, and `$states.context` when the state
  /// reads it. `vars` (may be null) must outlive the binding.
  states_binding(execution::state& ex, asl::state const& s, json::object const* vars, json::value input);

  json::value const& input() const noexcept { return input_; }
  /// Moves `$states.input` out (the binding is not used afterwards).
  json::value take_input() { return std::move(input_); }
  /// Binds (or, with nullopt, unbinds) `$states.result` / `$states.errorOutput`.
  void set_result(std::optional<json::value> v) { result_ = std::move(v); }
  void set_error_output(std::optional<json::value> v) { error_output_ = std::move(v); }
  /// Takes `$states.context` anew from the execution (after `$$.Map.Item`,
  /// `$$.Task.Token` or `$$.State.RetryCount` changed).
  void refresh_context();

  json::value evaluate(asl::jsonata_template const& t) const;
  /// `evaluate` when no later evaluation reads the bound field the result
  /// may be (a state's Output; a Task's Arguments when nothing after reads
  /// `$states.input`): a result that is a bound field itself
  /// (`{% $states.result %}`) is moved out instead of copied.
  json::value evaluate_last(asl::jsonata_template const& t);
  json::object evaluate(asl::assignment const& a) const;

 private:
  /// `$states`'s members, in the order AWS shows them.
  using members = std::array<jsonata::record_member, 4>;
  members record() const noexcept;
  /// The environment of one evaluation, whose `$states` members are `m`.
  jsonata::environment const& environment(members const& m) const;

  execution::state* ex_;
  bool context_;
  json::object const* vars_;
  json::value input_;
  json::value context_value_;  // when context_
  std::optional<json::value> result_, error_output_;
  // Built once per binding (the clock and the random stream); each
  // evaluation points its record at that evaluation's members.
  mutable jsonata::environment env_;
};

/// A JSONata field that must give an integer (Seconds, TimeoutSeconds,
/// MaxConcurrency...): its value, or States.QueryEvaluationError with AWS's
/// unexpected-type cause.
std::int64_t integer_field(states_binding const& b, asl::jsonata_template const& t, std::int64_t min);

/// Evaluates a JSONPath Assign: `$` is `dollar`; reads `vars` as they were before the state.
json::object assign_jsonpath(execution::state& ex, asl::assignment const& a, json::value const& dollar,
                             json::object const* vars);

}  // namespace stepsim::engine
