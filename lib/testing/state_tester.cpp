#include "testing/state_tester.hpp"

#include <stepsim/asl/json_text.hpp>
#include <stepsim/asl/variables.hpp>
// The engine's own data-flow steps and error matching, so that a tested
// state behaves exactly as it does in an execution.
#include <stepsim/engine/state_rules.hpp>
#include <stepsim/sim/scheduler.hpp>

#include <boost/asio/co_spawn.hpp>
#include <fmt/format.h>

#include <cmath>

namespace stepsim::testing {

namespace data_flow = engine::data_flow;

json::value task_result(asl::state const& s, json::value const& effective, json::value const& context,
                        test_state_options const& o) {
  if (o.mock_error) throw asl::states_error(o.mock_error->error, o.mock_error->cause);
  if (o.mock_result) return *o.mock_result;
  auto const* h = o.handlers ? o.handlers->find(s.resource) : nullptr;
  if (!h)
    throw asl::states_error("States.TaskFailed",
                            fmt::format("No mock result or error is given and no handler is registered for the "
                                        "resource '{}'",
                                        s.resource));
  try {
    if (h->sync) return h->sync(effective);
    if (h->consuming) return h->consuming(effective);
    auto sched = sim::scheduler::virtual_time(sim::instant{});
    tasks::invocation inv{s.resource, s.name, effective, context, sched, "TestState"};
    std::optional<json::value> out;
    std::exception_ptr failure;
    boost::asio::co_spawn(sched.get_executor(), h->async(inv), [&](std::exception_ptr e, json::value v) {
      failure = e;
      out = std::move(v);
    });
    sched.run();
    if (failure) std::rethrow_exception(failure);
    return std::move(*out);
  } catch (asl::states_error const&) {
    throw;
  } catch (std::exception const& e) {
    throw asl::states_error("States.TaskFailed", e.what());
  }
}

state_tester::state_tester(asl::state const& s, json::value input, json::value context, test_state_options const& o,
                           std::function<std::string(asl::state_index)> names)
    : s_(s), input_(std::move(input)), context_(std::move(context)), o_(o),
      jsonata_(s.language == asl::query_language::jsonata), vars_(o.variables.value_or(json::object{})),
      random_(sim::rng(0).stream("test_state")), names_(std::move(names)) {}

test_state_result state_tester::run() {
  note("input", input_);
  try {
    if (s_.type == asl::state_type::map) map();
    else if (s_.type == asl::state_type::parallel) parallel();
    else if (jsonata_) run_jsonata();
    else run_jsonpath();
  } catch (asl::states_error const& e) {
    failed(e.error(), e.cause());
  }
  // The variables after the state: the request's, then what the state assigned.
  json::object after = vars_;
  if (r_.status == "SUCCEEDED" || r_.status == "CAUGHT_ERROR")
    for (auto const& kv : assigned_) after[kv.key()] = kv.value();
  if (!after.empty()) note("variables", std::move(after));
  if (o_.inspection == inspection_level::info) r_.inspection_data.clear();
  return std::move(r_);
}

void state_tester::succeed(json::value out, asl::state_index next) {
  r_.status = "SUCCEEDED";
  r_.output = std::move(out);
  if (next == asl::no_state && !s_.end && s_.type != asl::state_type::choice) next = s_.next;
  if (next != asl::no_state) r_.next_state = next_name(next);
}

json::value state_tester::mocked() const {
  if (o_.mock_error) throw asl::states_error(o_.mock_error->error, o_.mock_error->cause);
  return *o_.mock_result;
}

void state_tester::failed(std::string const& error, std::string const& cause) {
  r_.output.reset();
  r_.next_state.reset();
  r_.error = error;
  r_.cause = cause;
  r_.status = "FAILED";
  assigned_.clear();
  bool const handled =
      s_.type == asl::state_type::task || s_.type == asl::state_type::map || s_.type == asl::state_type::parallel;
  if (!handled) return;
  for (std::size_t i = 0; i < s_.retry.size(); ++i) {
    auto const& rt = s_.retry[i];
    if (!engine::error_matches(rt.error_equals, error)) continue;
    if (o_.retrier_retry_count < rt.max_attempts) {
      double secs = rt.interval_seconds * std::pow(rt.backoff_rate, double(o_.retrier_retry_count));
      if (rt.max_delay_seconds) secs = std::min(secs, double(*rt.max_delay_seconds));
      r_.status = "RETRIABLE";
      note("errorDetails", json::object{{"retryBackoffIntervalSeconds", std::llround(secs)},
                                        {"retryIndex", static_cast<std::int64_t>(i)}});
      return;
    }
    // This retrier is exhausted: the error goes to Catch.
    note("errorDetails", json::object{{"retryIndex", static_cast<std::int64_t>(i)}});
    break;
  }
  for (std::size_t i = 0; i < s_.catch_.size(); ++i) {
    auto const& c = s_.catch_[i];
    if (!engine::error_matches(c.error_equals, error)) continue;
    json::value error_output = json::object{{"Error", error}, {"Cause", cause}};
    try {
      if (jsonata_) {
        if (c.assign) assigned_ = evaluate(*c.assign, nullptr, &error_output);
        r_.output = c.output ? evaluate(*c.output, nullptr, &error_output) : error_output;
      } else {
        if (c.assign) assigned_ = assign_jsonpath(*c.assign, error_output);
        r_.output = data_flow::combine(c.result_path, input_, error_output);
      }
    } catch (asl::states_error const& e) {
      // The catcher's own Output or Assign failed: the state fails with that error.
      r_.output.reset();
      r_.error = e.error();
      r_.cause = e.cause();
      assigned_.clear();
      return;
    }
    r_.status = "CAUGHT_ERROR";
    r_.next_state = c.next_name;
    note("errorDetails", json::object{{"catchIndex", static_cast<std::int64_t>(i)}});
    return;
  }
}

// JSONPath states.

void state_tester::run_jsonpath() {
  switch (s_.type) {
    case asl::state_type::pass: return pass();
    case asl::state_type::task: return task();
    case asl::state_type::choice: return choice();
    case asl::state_type::succeed:
    case asl::state_type::wait: {
      auto effective = select_input();
      if (s_.type == asl::state_type::wait) check_wait(data_flow::wait_until(s_, effective, context_, &vars_, start()));
      if (s_.assign) assigned_ = assign_jsonpath(*s_.assign, effective);
      return succeed(data_flow::select(s_.output_path, effective, false, context_, &vars_));
    }
    case asl::state_type::fail: return fail();
    default: break;
  }
}

sim::instant state_tester::start() {
  static auto const at = *sim::parse_iso8601("2024-01-01T00:00:00Z");
  return at;
}

void state_tester::check_wait(sim::instant until) {
  // Not waited for, but computed: a Wait that would fail fails here.
  if (until - start() > data_flow::max_wait) throw asl::states_error("States.Runtime", "Wait state delay is too long.");
}

json::value state_tester::select_input() {
  auto v = data_flow::select(s_.input_path, input_, true, context_, &vars_);
  note("afterInputPath", v);
  return v;
}

json::object state_tester::assign_jsonpath(asl::assignment const& a, json::value const& dollar) {
  auto values = a.evaluate(asl::eval_context{dollar, context_, &random_, &vars_});
  asl::check_assigned_sizes(values);
  return values;
}

void state_tester::finish_jsonpath(json::value result) {
  data_flow::check_result_size(s_, result);
  if (s_.assign) assigned_ = assign_jsonpath(*s_.assign, result);
  auto combined = data_flow::combine(s_.result_path, input_, std::move(result));
  note("afterResultPath", combined);
  succeed(data_flow::select(s_.output_path, combined, false, context_, &vars_));
}

void state_tester::pass() {
  json::value result;
  if (s_.result) {
    result = *s_.result;
    note("result", result);
  } else {
    auto effective = select_input();
    result = s_.parameters ? s_.parameters->evaluate({effective, context_, &random_, &vars_}) : std::move(effective);
    note("afterParameters", result);
  }
  note("afterResultSelector", result);
  finish_jsonpath(std::move(result));
}

void state_tester::task() {
  auto effective = select_input();
  if (s_.parameters) effective = s_.parameters->evaluate({effective, context_, &random_, &vars_});
  note("afterParameters", effective);
  auto result = task_result(s_, effective, context_, o_);
  note("result", result);
  if (s_.result_selector) result = s_.result_selector->evaluate({result, context_, &random_, &vars_});
  note("afterResultSelector", result);
  finish_jsonpath(std::move(result));
}

void state_tester::choice() {
  auto effective = select_input();
  asl::state_index next = asl::no_state;
  asl::assignment const* assign = nullptr;
  for (auto const& c : s_.choices)
    if (c.rule && c.rule->evaluate(effective, context_, &vars_)) {
      next = c.next;
      if (c.assign) assign = &*c.assign;
      break;
    }
  if (next == asl::no_state) {
    next = s_.default_next;
    if (s_.assign) assign = &*s_.assign;
  }
  if (next == asl::no_state)
    throw asl::states_error("States.NoChoiceMatched",
                            fmt::format("No choice rule matched the input of the Choice state '{}', and it has no "
                                        "Default",
                                        s_.name));
  if (assign) assigned_ = assign_jsonpath(*assign, effective);
  succeed(data_flow::select(s_.output_path, effective, false, context_, &vars_), next);
}

void state_tester::fail() {
  select_input();
  // ErrorPath and CausePath read the state's raw input, as in an execution.
  auto text = [&](std::optional<std::string> const& literal, std::optional<asl::path> const& path,
                  std::optional<asl::intrinsic> const& function, char const* field) -> std::optional<std::string> {
    if (function) {
      auto v = function->evaluate({input_, context_, &random_, &vars_});
      if (v.is_string()) return std::string(v.get_string());
      throw asl::states_error("States.Runtime", fmt::format("The {} field refers to value {} which is not a valid "
                                                            "string: {}",
                                                            field, asl::to_text(v), function->text()));
    }
    if (path) {
      auto const* v = path->find_in(input_, context_, &vars_);
      if (v && v->is_string()) return std::string(v->get_string());
      throw asl::states_error("States.Runtime",
                              fmt::format("The {} field refers to value {} which is not a valid string: {}", field,
                                          v ? asl::to_text(*v) : std::string("null"), path->text()));
    }
    return literal;
  };
  auto error = text(s_.error, s_.error_path, s_.error_function, "ErrorPath");
  auto cause = text(s_.cause, s_.cause_path, s_.cause_function, "CausePath");
  r_.status = "FAILED";
  r_.error = error;
  r_.cause = cause;
}

}  // namespace stepsim::testing
