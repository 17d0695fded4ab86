#include "engine/jsonata_flow.hpp"

#include <stepsim/asl/error.hpp>
#include <stepsim/asl/json_text.hpp>
#include <stepsim/engine/state_rules.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>

namespace stepsim::engine {

states_binding::states_binding(execution::state& ex, asl::state const& s, json::object const* vars, json::value input)
    : ex_(&ex), context_(s.uses_context), vars_(vars), input_(std::move(input)) {
  if (context_) context_value_ = ex.ensure_context();
  env_.record_name = "states";
  env_.outer_variables = vars_;
  env_.functions = jsonata::dialect::step_functions;
  auto* const e = ex_;
  env_.clock_ms = [e] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(e->now().time_since_epoch()).count();
  };
  env_.random = [e] { return e->random().uniform01(); };
}

void states_binding::refresh_context() {
  if (context_) context_value_ = ex_->ensure_context();
}

states_binding::members states_binding::record() const noexcept {
  return {{{"input", &input_},
           {"context", context_ ? &context_value_ : nullptr},
           {"result", result_ ? &*result_ : nullptr},
           {"errorOutput", error_output_ ? &*error_output_ : nullptr}}};
}

jsonata::environment const& states_binding::environment(members const& m) const {
  env_.record = m;
  return env_;
}

json::value states_binding::evaluate(asl::jsonata_template const& t) const {
  auto const m = record();
  return t.evaluate(environment(m), &input_);
}

json::value states_binding::evaluate_last(asl::jsonata_template const& t) {
  auto const m = record();
  json::value* const own[] = {&input_, result_ ? &*result_ : nullptr, error_output_ ? &*error_output_ : nullptr};
  return t.evaluate(environment(m), &input_, own);
}

json::object states_binding::evaluate(asl::assignment const& a) const {
  auto const m = record();
  auto values = a.evaluate(environment(m), &input_);
  asl::check_assigned_sizes(values);
  return values;
}

std::int64_t integer_field(states_binding const& b, asl::jsonata_template const& t, std::int64_t min) {
  return data_flow::jsonata_integer(t, b.evaluate(t), min);
}

json::object assign_jsonpath(execution::state& ex, asl::assignment const& a, json::value const& dollar,
                             json::object const* vars) {
  auto values = a.evaluate(asl::eval_context{dollar, ex.context, &ex.random(), vars});
  asl::check_assigned_sizes(values);
  return values;
}

}  // namespace stepsim::engine

namespace stepsim::engine::data_flow {

std::int64_t jsonata_integer(asl::jsonata_template const& t, json::value const& v, std::int64_t min) {
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

sim::instant jsonata_timestamp(json::value const& v) {
  std::optional<sim::instant> t;
  if (auto const* str = v.if_string()) t = sim::parse_iso8601(*str);
  if (!t)
    throw asl::states_error("States.QueryEvaluationError",
                            fmt::format("The Timestamp field cannot be parsed as an ISO-8601 extended offset "
                                        "date-time format string: {}",
                                        v.is_string() ? std::string(v.get_string()) : asl::to_text(v)));
  return *t;
}

}  // namespace stepsim::engine::data_flow
