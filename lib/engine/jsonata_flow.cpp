#include "engine/jsonata_flow.hpp"

#include <stepsim/asl/error.hpp>

#include <cmath>

namespace stepsim::engine {

states_binding::states_binding(execution::state& ex, asl::state const& s, json::object const* vars, json::value input)
    : ex_(&ex), context_(s.uses_context), vars_(vars) {
  json::object st;
  st["input"] = std::move(input);
  if (context_) st["context"] = ex.ensure_context();
  holder_["states"] = std::move(st);
}

json::object& states_binding::states() { return holder_["states"].as_object(); }

json::value const& states_binding::input() const { return holder_.at("states").at("input"); }

json::value states_binding::take_input() { return std::move(states()["input"]); }

void states_binding::set_result(std::optional<json::value> v) {
  if (v) states()["result"] = std::move(*v);
  else states().erase("result");
}

void states_binding::set_error_output(std::optional<json::value> v) {
  if (v) states()["errorOutput"] = std::move(*v);
  else states().erase("errorOutput");
}

void states_binding::refresh_context() {
  if (context_) states()["context"] = ex_->ensure_context();
}

jsonata::environment states_binding::environment() const {
  jsonata::environment env;
  env.variables = &holder_;
  env.outer_variables = vars_;
  env.functions = jsonata::dialect::step_functions;
  auto* ex = ex_;
  env.clock_ms = [ex] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(ex->now().time_since_epoch()).count();
  };
  env.random = [ex] { return ex->random().uniform01(); };
  return env;
}

json::value states_binding::evaluate(asl::jsonata_template const& t) const {
  return t.evaluate(environment(), &input());
}

json::object states_binding::evaluate(asl::assignment const& a) const {
  auto values = a.evaluate(environment(), &input());
  asl::check_assigned_sizes(values);
  return values;
}

std::int64_t integer_field(states_binding const& b, asl::jsonata_template const& t, std::int64_t min) {
  auto v = b.evaluate(t);
  std::optional<std::int64_t> i;
  if (auto const* p = v.if_int64()) i = *p;
  else if (auto const* u = v.if_uint64()) i = static_cast<std::int64_t>(std::min<std::uint64_t>(*u, INT64_MAX));
  else if (auto const* d = v.if_double(); d && std::floor(*d) == *d && std::abs(*d) < 9.2e18)
    i = static_cast<std::int64_t>(*d);
  if (!i || *i < min)
    throw asl::states_error("States.QueryEvaluationError",
                            asl::unexpected_type_cause(t, min > 0 ? "positive integer" : "non-negative integer", v));
  return *i;
}

json::object assign_jsonpath(execution::state& ex, asl::assignment const& a, json::value const& dollar,
                             json::object const* vars) {
  auto values = a.evaluate(asl::eval_context{dollar, ex.context, &ex.random(), vars});
  asl::check_assigned_sizes(values);
  return values;
}

}  // namespace stepsim::engine
