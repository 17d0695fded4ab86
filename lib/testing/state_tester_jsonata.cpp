// JSONata states under TestState: `$states.input`, `$states.context`,
// `$states.result`, `$states.errorOutput` and the request's variables, with
// Arguments, Output, Assign and Condition evaluated as an execution does.
#include "testing/state_tester.hpp"

#include <stepsim/asl/json_text.hpp>
#include <stepsim/asl/variables.hpp>
#include <stepsim/engine/state_rules.hpp>

#include <fmt/format.h>

#include <array>
#include <span>
#include <cmath>

namespace stepsim::testing {

namespace {

/// `$now()` and `$millis()`: the default context's start, 2024-01-01T00:00:00Z
/// (state_tester::start()).
constexpr std::int64_t test_clock_ms = 1704067200000;

/// `$states` (its members held by the caller) and the variables, with a
/// fixed clock and the tester's random stream.
jsonata::environment environment(std::span<jsonata::record_member const> members, json::object const& vars,
                                 sim::random_stream& random) {
  jsonata::environment env;
  env.record_name = "states";
  env.record = members;
  env.outer_variables = &vars;
  env.functions = jsonata::dialect::step_functions;
  env.clock_ms = [] { return test_clock_ms; };
  env.random = [&random] { return random.uniform01(); };
  return env;
}

}  // namespace

json::value state_tester::evaluate(asl::jsonata_template const& t, json::value const* result,
                                   json::value const* error_output) {
  std::array<jsonata::record_member, 4> const members{
      {{"input", &input_}, {"context", &context_}, {"result", result}, {"errorOutput", error_output}}};
  auto const env = environment(members, vars_, random_);
  return t.evaluate(env, &input_);
}

json::object state_tester::evaluate(asl::assignment const& a, json::value const* result,
                                    json::value const* error_output) {
  std::array<jsonata::record_member, 4> const members{
      {{"input", &input_}, {"context", &context_}, {"result", result}, {"errorOutput", error_output}}};
  auto const env = environment(members, vars_, random_);
  auto values = a.evaluate(env, &input_);
  asl::check_assigned_sizes(values);
  return values;
}

std::int64_t state_tester::integer(asl::jsonata_template const& t, std::int64_t min) {
  return engine::data_flow::jsonata_integer(t, evaluate(t), min);
}

void state_tester::run_jsonata() {
  auto const& f = *s_.jsonata;
  switch (s_.type) {
    case asl::state_type::task: return task_jsonata();
    case asl::state_type::choice: return choice_jsonata();
    case asl::state_type::fail: return fail_jsonata();
    case asl::state_type::wait:
      // Not waited for, but computed: a Seconds or Timestamp that fails fails the state.
      if (f.seconds) {
        check_wait(start() + std::chrono::seconds(integer(*f.seconds, 0)));
      } else if (f.timestamp) {
        check_wait(engine::data_flow::jsonata_timestamp(evaluate(*f.timestamp)));
      } else {
        check_wait(engine::data_flow::wait_until(s_, input_, context_, &vars_, start()));
      }
      [[fallthrough]];
    case asl::state_type::pass:
    case asl::state_type::succeed: {
      if (s_.assign) assigned_ = evaluate(*s_.assign);
      auto out = f.output ? evaluate(*f.output) : input_;
      if (s_.type == asl::state_type::pass) engine::data_flow::check_result_size(s_, out);
      return succeed(std::move(out));
    }
    default: break;
  }
}

void state_tester::finish_jsonata(json::value result) {
  engine::data_flow::check_result_size(s_, result);
  if (s_.assign) assigned_ = evaluate(*s_.assign, &result);
  auto out = s_.jsonata->output ? evaluate(*s_.jsonata->output, &result) : std::move(result);
  succeed(std::move(out));
}

void state_tester::task_jsonata() {
  auto const& f = *s_.jsonata;
  // TimeoutSeconds and HeartbeatSeconds are computed as the attempt starts.
  if (f.timeout_seconds) integer(*f.timeout_seconds, 1);
  if (f.heartbeat_seconds) integer(*f.heartbeat_seconds, 1);
  auto arguments = f.arguments ? evaluate(*f.arguments) : input_;
  note("afterArguments", arguments);
  auto result = task_result(s_, arguments, context_, o_);
  note("result", result);
  finish_jsonata(std::move(result));
}

void state_tester::choice_jsonata() {
  for (auto const& rule : s_.choices) {
    auto const& cond = *rule.condition;
    auto v = evaluate(cond);
    if (!v.is_bool())
      throw asl::states_error("States.QueryEvaluationError", asl::unexpected_type_cause(cond, "boolean", v));
    if (!v.get_bool()) continue;
    if (rule.assign) assigned_ = evaluate(*rule.assign);
    return succeed(rule.output ? evaluate(*rule.output) : input_, rule.next);
  }
  if (s_.default_next == asl::no_state)
    throw asl::states_error("States.NoChoiceMatched",
                            fmt::format("No choice rule matched the input of the Choice state '{}', and it has no "
                                        "Default",
                                        s_.name));
  if (s_.assign) assigned_ = evaluate(*s_.assign);
  succeed(s_.jsonata->output ? evaluate(*s_.jsonata->output) : input_, s_.default_next);
}

void state_tester::fail_jsonata() {
  auto const& f = *s_.jsonata;
  auto text = [&](std::optional<asl::jsonata_template> const& t,
                  std::optional<std::string> const& literal) -> std::optional<std::string> {
    if (!t) return literal;
    auto v = evaluate(*t);
    if (!v.is_string())
      throw asl::states_error("States.QueryEvaluationError", asl::unexpected_type_cause(*t, "string", v));
    return std::string(v.get_string());
  };
  auto error = text(f.error, s_.error);
  auto cause = text(f.cause, s_.cause);
  r_.status = "FAILED";
  r_.error = error;
  r_.cause = cause;
}

}  // namespace stepsim::testing
