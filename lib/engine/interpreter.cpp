// The interpreter: one state at a time, data flow as AWS does it, errors with AWS's names.
#include "engine/execution_state.hpp"
#include "engine/task_runner.hpp"
#include "engine/error_handling.hpp"
#include "engine/jsonata_flow.hpp"

#include <stepsim/asl/json_text.hpp>
#include <stepsim/engine/state_rules.hpp>

#include <boost/asio/deferred.hpp>
#include <boost/asio/error.hpp>
#include <boost/system/system_error.hpp>
#include <fmt/format.h>

#include <cmath>

namespace stepsim::engine {

namespace {

using asl::state_type;

using data_flow::max_wait;

/// Adds a payload and its details to an event's details: {"input": TEXT, "inputDetails": {"truncated": false}}.
void add_payload(json::object& d, std::string_view key, std::string_view details_key, json::value const& v) {
  d.emplace(key, asl::to_text(v));
  json::object details(1, d.storage());
  details.emplace("truncated", false);
  d.emplace(details_key, std::move(details));
}

std::string state_event(state_type t, char const* suffix) { return std::string(asl::to_string(t)) + suffix; }

std::string runtime_prefix(asl::state const& s, std::int64_t entered_id) {
  return fmt::format("An error occurred while executing the state '{}' (entered at the event id #{}). ", s.name,
                     entered_id);
}

/// Wait: the instant to wait until, from whichever field the state has.
sim::instant wait_until(execution::state& ex, asl::state const& s, json::value const& input,
                        json::object const* vars) {
  return data_flow::wait_until(s, input, ex.context, vars, ex.now());
}

/// Fail: error and cause from the literal or the path.
std::pair<std::optional<std::string>, std::optional<std::string>> fail_fields(execution::state& ex,
                                                                              asl::state const& s,
                                                                              json::value const& input,
                                                                              json::object const* vars) {
  auto read = [&](std::optional<asl::path> const& p, char const* field) -> std::optional<std::string> {
    auto const* v = p->find_in(input, ex.context, vars);
    if (v && v->is_string()) return std::string(v->get_string());
    throw asl::states_error("States.Runtime",
                            fmt::format("The {} field refers to value {} which is not a valid string: {}", field,
                                        v ? asl::to_text(*v) : std::string("null"), p->text()));
  };
  auto call = [&](asl::intrinsic const& f, char const* field) -> std::optional<std::string> {
    auto v = f.evaluate({input, ex.context, &ex.random(), vars});
    if (v.is_string()) return std::string(v.get_string());
    throw asl::states_error("States.Runtime", fmt::format("The {} field refers to value {} which is not a valid "
                                                          "string: {}",
                                                          field, asl::to_text(v), f.text()));
  };
  if (s.jsonata && (s.jsonata->error || s.jsonata->cause)) {
    // Error and Cause given as {% %} expressions: each must give a string.
    states_binding b(ex, s, vars, input);
    auto text = [&](std::optional<asl::jsonata_template> const& t,
                    std::optional<std::string> const& literal) -> std::optional<std::string> {
      if (!t) return literal;
      auto v = b.evaluate(*t);
      if (!v.is_string())
        throw asl::states_error("States.QueryEvaluationError", asl::unexpected_type_cause(*t, "string", v));
      return std::string(v.get_string());
    };
    return {text(s.jsonata->error, s.error), text(s.jsonata->cause, s.cause)};
  }
  auto error = s.error_function ? call(*s.error_function, "ErrorPath")
               : s.error_path   ? read(s.error_path, "ErrorPath")
                                : s.error;
  auto cause = s.cause_function ? call(*s.cause_function, "CausePath")
               : s.cause_path   ? read(s.cause_path, "CausePath")
                                : s.cause;
  return {error, cause};
}

/// Runner limits, checked before a state is entered (and before any transition overhead).
void check_limits(execution::state& ex) {
  if (ex.options.max_transitions && ex.result.states_entered >= ex.options.max_transitions)
    throw aborted{"stepsim.TransitionLimitExceeded",
                  fmt::format("The execution entered {} states, the limit set for this run (max_transitions); "
                              "a loop without an exit? Raise the limit if the run is expected to be this long.",
                              ex.result.states_entered)};
  // A Standard execution whose next event would be its 25,000th fails
  // before the state is entered (as AWS: that event must end the execution).
  if (ex.history_full("StateEntered")) throw history_limit_reached{};
}

struct entry {
  std::int64_t id;
  sim::instant at;
};

/// Enters state `s` of `c`: counts it, records StateEntered, sets `$$.State`.
entry enter(execution::state& ex, machine_cursor& c, asl::state const& s) {
  ++ex.result.states_entered;
  if (c.top_level) ex.result.path.push_back(s.name);
  if (auto const& hook = ex.eng.options().on_state_entered) hook(*c.machine, s);
  std::int64_t id;
  if (ex.recording()) {
    json::object d(3);
    d.emplace("name", s.name);
    if (ex.full_history()) add_payload(d, "input", "inputDetails", c.data);
    // AWS numbers the first StateEntered of an execution with previousEventId 0.
    id = ex.emit(state_event(s.type, "StateEntered"), "stateEnteredEventDetails", std::move(d),
                 c.first && c.top_level ? std::optional<std::int64_t>(0) : std::nullopt);
  } else {
    id = ex.count_event();
  }
  c.first = false;
  auto at = ex.now();
  bool can_retry = s.type == state_type::task || s.type == state_type::parallel || s.type == state_type::map;
  if (s.uses_context) ex.enter_state_context(s.name, at, can_retry ? std::optional<std::int64_t>(0) : std::nullopt);
  return {id, at};
}

/// Records StateExited and moves `c` on; true when the machine ended.
bool leave(execution::state& ex, machine_cursor& c, asl::state const& s, asl::state_index next, bool ends) {
  if (s.type != state_type::fail) {
    if (ex.recording()) {
      json::object d(4);
      d.emplace("name", s.name);
      if (ex.full_history()) add_payload(d, "output", "outputDetails", c.data);
      store_assigned(c.assigned, c.vars, ex.full_history() ? &d : nullptr);
      ex.emit(state_event(s.type, "StateExited"), "stateExitedEventDetails", std::move(d));
    } else {
      store_assigned(c.assigned, c.vars, nullptr);
      ex.count_event();
    }
  }
  if (ends || next == asl::no_state) return true;
  c.state = next;
  return false;
}

/// Called in a handler of `e`: States.Runtime causes name the state they occurred in.
[[noreturn]] void rethrow_in_state(asl::states_error const& e, asl::state const& s, std::int64_t entered_id) {
  bool prefixed = e.error() == "States.Runtime" || e.error() == "States.QueryEvaluationError";
  if (prefixed && !e.cause().starts_with("An error occurred while executing the state"))
    throw asl::states_error(e.error(), runtime_prefix(s, entered_id) + e.cause());
  throw;
}

/// A Task with no data flow and no Retry or Catch: its output is its
/// handler's result as is, so the steps of `handled_state` reduce to the call.
bool plain_task(asl::state const& s) noexcept {
  return s.type == state_type::task && s.input_path.is_identity() && !s.parameters && s.result_path.is_identity() &&
         !s.result_selector && s.output_path.is_identity() && s.retry.empty() && s.catch_.empty() &&
         !s.waits_for_token && !s.jsonata && !s.assign;
}

/// A JSONata Task without Retry or Catch: `run_jsonata_task_now` runs it
/// when its attempt ends on the call.
bool plain_jsonata_task(asl::state const& s) noexcept {
  return s.type == state_type::task && s.jsonata && s.retry.empty() && s.catch_.empty() && !s.waits_for_token;
}

bool handled(asl::state const& s) noexcept {
  return s.type == state_type::task || s.type == state_type::parallel || s.type == state_type::map;
}

void apply(handled_outcome&& o, machine_cursor& c, asl::state_index& next, bool& ends) {
  // Swapped, not move-assigned: Boost.JSON's move assignment goes through a
  // temporary (it keeps the target's storage); with one storage, as here,
  // a swap gives the same values for less.
  c.data.swap(o.output);
  c.assigned.swap(o.assigned);
  if (o.caught) {
    next = o.next;
    ends = false;
  }
}

/// A JSONata Choice: the first rule whose Condition is true, with its Output
/// and Assign; else Default with the state's.
void run_choice_jsonata(execution::state& ex, asl::state const& s, machine_cursor& c, asl::state_index& next) {
  states_binding b(ex, s, c.vars.get(), std::move(c.data));
  for (auto const& rule : s.choices) {
    auto const& cond = *rule.condition;
    auto v = b.evaluate(cond);
    if (!v.is_bool())
      throw asl::states_error("States.QueryEvaluationError", asl::unexpected_type_cause(cond, "boolean", v));
    if (!v.get_bool()) continue;
    next = rule.next;
    if (rule.assign) c.assigned = b.evaluate(*rule.assign);
    c.data = rule.output ? b.evaluate_last(*rule.output) : b.take_input();
    return;
  }
  next = s.default_next;
  if (next == asl::no_state)
    throw asl::states_error("States.NoChoiceMatched",
                            fmt::format("No choice rule matched the input of the Choice state '{}', and it has no "
                                        "Default",
                                        s.name));
  if (s.assign) c.assigned = b.evaluate(*s.assign);
  c.data = s.jsonata->output ? b.evaluate_last(*s.jsonata->output) : b.take_input();
}

/// Pass, Succeed (and Wait's data flow) in a JSONata state: Assign and
/// Output, both seeing `$states.input` and the variables from before.
void pass_jsonata(execution::state& ex, asl::state const& s, machine_cursor& c) {
  states_binding b(ex, s, c.vars.get(), std::move(c.data));
  if (s.assign) c.assigned = b.evaluate(*s.assign);
  c.data = s.jsonata->output ? b.evaluate_last(*s.jsonata->output) : b.take_input();
}

/// Pass, Choice, Succeed and Fail: the state's work on `c.data`; may change `next` and `ends`.
void run_plain(execution::state& ex, asl::state const& s, machine_cursor& c, asl::state_index& next, bool& ends) {
  auto& data = c.data;
  json::object const* vars = c.vars.get();
  if (s.jsonata && s.type != state_type::fail) {
    if (s.type == state_type::choice) return run_choice_jsonata(ex, s, c, next);
    pass_jsonata(ex, s, c);
    if (s.type == state_type::pass) data_flow::check_result_size(s, c.data);
    if (s.type == state_type::succeed) ends = true;
    return;
  }
  switch (s.type) {
    case state_type::pass: {
      bool keep = !s.result_path.is_identity();
      json::value effective = data_flow::select(s.input_path, data, keep, ex.context, vars);
      json::value result;
      if (s.result) result = *s.result;
      else if (s.parameters) result = s.parameters->evaluate({effective, ex.context, &ex.random(), vars});
      else result = std::move(effective);
      data_flow::check_result_size(s, result);
      // Assign reads the state's result; the variables it sets are stored when the state is left.
      if (s.assign) c.assigned = assign_jsonpath(ex, *s.assign, result, vars);
      json::value out = data_flow::combine(s.result_path, keep ? std::move(data) : json::value(), std::move(result));
      data = data_flow::select(s.output_path, out, false, ex.context, vars);
      return;
    }
    case state_type::choice: {
      json::value effective = data_flow::select(s.input_path, data, false, ex.context, vars);
      next = asl::no_state;
      asl::assignment const* assign = nullptr;
      for (auto const& b : s.choices)
        if (b.rule->evaluate(effective, ex.context, vars)) {
          next = b.next;
          if (b.assign) assign = &*b.assign;
          break;
        }
      if (next == asl::no_state) {
        next = s.default_next;
        if (s.assign) assign = &*s.assign;
      }
      if (next == asl::no_state)
        throw asl::states_error("States.NoChoiceMatched",
                                fmt::format("No choice rule matched the input of the Choice state '{}', and it has no Default", s.name));
      if (assign) c.assigned = assign_jsonpath(ex, *assign, effective, vars);
      data = data_flow::select(s.output_path, effective, false, ex.context, vars);
      return;
    }
    case state_type::succeed: {
      json::value effective = data_flow::select(s.input_path, data, false, ex.context, vars);
      data = data_flow::select(s.output_path, effective, false, ex.context, vars);
      ends = true;
      return;
    }
    case state_type::fail: {
      auto [error, cause] = fail_fields(ex, s, data, vars);
      throw state_failure{std::move(error), std::move(cause)};
    }
    default: throw std::logic_error("run_plain called for a state that is not Pass, Choice, Succeed or Fail");
  }
}

/// A JSONata Wait's instant: Seconds or Timestamp, literal or `{% %}`.
sim::instant wait_until_jsonata(execution::state& ex, asl::state const& s, states_binding const& b) {
  auto const& f = *s.jsonata;
  if (f.seconds) {
    auto secs = integer_field(b, *f.seconds, 0);
    if (secs > std::chrono::duration_cast<std::chrono::seconds>(max_wait).count())
      throw asl::states_error("States.Runtime", "Wait state delay is too long.");
    return ex.now() + std::chrono::seconds(secs);
  }
  if (f.timestamp) {
    return data_flow::jsonata_timestamp(b.evaluate(*f.timestamp));
  }
  return wait_until(ex, s, b.input(), nullptr);
}

/// A Wait state: its instant, the wait, then Assign and the output.
boost::asio::awaitable<void> run_wait(execution::state& ex, asl::state const& s, machine_cursor& c) {
  json::object const* vars = c.vars.get();
  if (s.jsonata) {
    states_binding b(ex, s, vars, std::move(c.data));
    auto until = wait_until_jsonata(ex, s, b);
    if (until - ex.now() > max_wait) throw asl::states_error("States.Runtime", "Wait state delay is too long.");
    co_await ex.eng.scheduler().async_sleep_until(until, boost::asio::deferred);
    if (s.assign) c.assigned = b.evaluate(*s.assign);
    c.data = s.jsonata->output ? b.evaluate_last(*s.jsonata->output) : b.take_input();
    co_return;
  }
  json::value effective = data_flow::select(s.input_path, c.data, false, ex.context, vars);
  auto until = wait_until(ex, s, effective, vars);
  if (until - ex.now() > max_wait) throw asl::states_error("States.Runtime", "Wait state delay is too long.");
  co_await ex.eng.scheduler().async_sleep_until(until, boost::asio::deferred);
  if (s.assign) c.assigned = assign_jsonpath(ex, *s.assign, effective, vars);
  c.data = data_flow::select(s.output_path, effective, false, ex.context, vars);
}

}  // namespace

machine_cursor resume_cursor(asl::state_machine const& m, redrive_point& p, bool top) {
  machine_cursor c;
  c.machine = &m;
  c.state = p.state;
  c.data = std::move(p.input);
  c.first = false;
  c.top_level = top;
  c.vars = p.vars;
  if (!p.branches.empty()) c.plan = &p.branches;
  return c;
}

void keep_entry(machine_cursor& c) {
  if (!c.failed_at) return;
  c.entry_input = c.data;
  auto t = c.machine->at(c.state).type;
  c.branches = t == state_type::parallel || t == state_type::map ? std::make_shared<branch_set>()
                                                                 : nullptr;
}

void keep_failure(machine_cursor& c) {
  if (!c.failed_at) return;
  auto& p = *c.failed_at;
  p.state = c.state;
  p.input = std::move(c.entry_input);
  p.vars = c.vars ? std::make_shared<json::object>(*c.vars) : nullptr;
  p.branches = branch_set{};
  if (c.plan) p.branches = std::move(*c.plan);  // failed before its branches ran: as the earlier attempt left them
  else if (c.branches) p.branches = std::move(*c.branches);
  c.plan = nullptr;
}

namespace {

/// A Task, Parallel or Map about to run: kept for a redrive when `c` is.
void keep_branches(machine_cursor& c, handled_state& h) {
  if (!c.failed_at) return;
  h.keep_branches(c.branches, c.plan);
  if (c.plan && c.branches) c.plan = nullptr;  // handed over: the state's branches start from it
}

}  // namespace

bool run_ready_states(execution::state& ex, machine_cursor& c, std::unique_ptr<handled_state>& resume) {
  bool const overhead = bool(ex.eng.options().transition_overhead);
  for (;;) {
    auto const& s = c.machine->at(c.state);
    // A Wait waits, and so does every transition that takes time.
    if (s.type == state_type::wait || overhead) return false;
    keep_entry(c);
    asl::state_index next = s.next;
    bool ends = s.end;
    try {
      check_limits(ex);
      auto e = enter(ex, c, s);
      try {
        tasks::registry::entry const* handler;
        if (c.plan) {
          // A redrive's Parallel or Map with branches to skip: on the coroutine path.
          resume = std::make_unique<handled_state>(ex, s, std::move(c.data), e.id, e.at, c.vars.get());
          keep_branches(c, *resume);
          return false;
        } else if (plain_task(s) && attempt_runs_now(handler = ex.core.find_task(ex.eng.tasks(), s.resource), s)) {
          // What handled_state does for such a Task, without moving the data through its steps.
          json::value result = run_task_attempt_now(ex, s, handler, c.data, &c.data);
          data_flow::check_result_size(s, result);
          c.data = std::move(result);
        } else if (plain_jsonata_task(s) && attempt_runs_now(handler = ex.core.find_task(ex.eng.tasks(), s.resource), s)) {
          apply(run_jsonata_task_now(ex, s, handler, std::move(c.data), c.vars.get()), c, next, ends);
        } else if (handled(s)) {
          handled_state h(ex, s, std::move(c.data), e.id, e.at, c.vars.get());
          keep_branches(c, h);
          auto outcome = h.advance();
          if (!outcome) {
            resume = std::make_unique<handled_state>(std::move(h));
            return false;
          }
          apply(std::move(*outcome), c, next, ends);
        } else {
          run_plain(ex, s, c, next, ends);
        }
      } catch (asl::states_error const& err) {
        rethrow_in_state(err, s, e.id);
      }
    } catch (...) {
      keep_failure(c);
      throw;
    }
    if (leave(ex, c, s, next, ends)) return true;
  }
}

/// A state cancelled while it waited (a sibling branch or iteration failed,
/// the execution timed out): AWS records `<Type>StateAborted`. Rethrows.
[[noreturn]] void aborted_in_state(execution::state& ex, asl::state const& s, boost::system::system_error const& err) {
  if (err.code() == boost::asio::error::operation_aborted && !ex.expired) ex.emit(state_event(s.type, "StateAborted"));
  throw;
}

boost::asio::awaitable<json::value> run_machine(execution::state& ex, machine_cursor c,
                                               std::unique_ptr<handled_state> resume) {
  for (;;) {
    if (!resume && run_ready_states(ex, c, resume)) co_return std::move(c.data);
    auto const& s = c.machine->at(c.state);
    asl::state_index next = s.next;
    bool ends = s.end;
    try {
      if (resume) {
        // Entered by run_ready_states; its work or a retry must be awaited.
        auto entered_id = resume->entered_id();
        try {
          // Named, not a temporary of the co_await expression: g++ 12 may destroy those twice.
          handled_outcome outcome = co_await run_with_handlers(std::move(resume));
          apply(std::move(outcome), c, next, ends);
        } catch (asl::states_error const& err) {
          rethrow_in_state(err, s, entered_id);
        } catch (boost::system::system_error const& err) {
          aborted_in_state(ex, s, err);
        }
      } else {
        // A Wait, or any state when each transition takes time.
        keep_entry(c);
        check_limits(ex);
        if (auto const& overhead = ex.eng.options().transition_overhead) {
          auto d = overhead(ex.core.overhead);
          if (d > sim::duration::zero()) co_await ex.eng.scheduler().async_sleep(d, boost::asio::deferred);
        }
        auto e = enter(ex, c, s);
        try {
          if (handled(s)) {
            auto h = std::make_unique<handled_state>(ex, s, std::move(c.data), e.id, e.at, c.vars.get());
            keep_branches(c, *h);
            handled_outcome outcome = co_await run_with_handlers(std::move(h));
            apply(std::move(outcome), c, next, ends);
          } else if (s.type == state_type::wait) {
            co_await run_wait(ex, s, c);
          } else {
            run_plain(ex, s, c, next, ends);
          }
        } catch (asl::states_error const& err) {
          rethrow_in_state(err, s, e.id);
        } catch (boost::system::system_error const& err) {
          aborted_in_state(ex, s, err);
        }
      }
    } catch (...) {
      keep_failure(c);
      throw;
    }
    if (leave(ex, c, s, next, ends)) co_return std::move(c.data);
  }
}

boost::asio::awaitable<json::value> run_machine(execution::state& ex, asl::state_machine const& machine,
                                               json::value input, json::object const* outer) {
  return run_machine(ex, machine_cursor(machine, std::move(input), outer));
}

}  // namespace stepsim::engine
