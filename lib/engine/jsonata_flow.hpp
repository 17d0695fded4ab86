// Private: what JSONata states and Assign see at run time: `$states`, the variables, the clock and randomness.
#pragma once

#include "engine/execution_state.hpp"

#include <stepsim/asl/jsonata_template.hpp>
#include <stepsim/asl/variables.hpp>

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

  json::value const& input() const;
  /// Moves `$states.input` out (the binding is not used afterwards).
  json::value take_input();
  /// Binds (or, with nullopt, unbinds) `$states.result` / `$states.errorOutput`.
  void set_result(std::optional<json::value> v);
  void set_error_output(std::optional<json::value> v);
  /// Takes `$states.context` anew from the execution (after `$$.Map.Item`,
  /// `$$.Task.Token` or `$$.State.RetryCount` changed).
  void refresh_context();

  json::value evaluate(asl::jsonata_template const& t) const;
  json::object evaluate(asl::assignment const& a) const;

 private:
  jsonata::environment environment() const;
  json::object& states();

  execution::state* ex_;
  bool context_;
  json::object const* vars_;
  json::object holder_;  // {"states": {...}}
};

/// A JSONata field that must give an integer (Seconds, TimeoutSeconds,
/// MaxConcurrency...): its value, or States.QueryEvaluationError with AWS's
/// unexpected-type cause.
std::int64_t integer_field(states_binding const& b, asl::jsonata_template const& t, std::int64_t min);

/// Evaluates a JSONPath Assign: `$` is `dollar`; reads `vars` as they were before the state.
json::object assign_jsonpath(execution::state& ex, asl::assignment const& a, json::value const& dollar,
                             json::object const* vars);

}  // namespace stepsim::engine
