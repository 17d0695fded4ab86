// The interpreter: one state at a time, data flow as AWS does it, errors with AWS's names.
#include "engine/execution_state.hpp"
#include "engine/data_flow.hpp"
#include "engine/task_runner.hpp"
#include "engine/error_handling.hpp"

#include <stepsim/asl/json_text.hpp>

#include <boost/asio/error.hpp>
#include <boost/system/system_error.hpp>
#include <fmt/format.h>

#include <cmath>

namespace stepsim::engine {

namespace {

using asl::state_type;

// Longest Wait AWS accepts: 24,855 days.
constexpr sim::duration max_wait = std::chrono::hours(24 * 24855);

json::object payload_details(char const* key, json::value const& v) {
  json::object d;
  d[key] = asl::to_text(v);
  d[std::string(key) + "Details"] = json::object{{"truncated", false}};
  return d;
}

std::string state_event(state_type t, char const* suffix) { return std::string(asl::to_string(t)) + suffix; }

std::string runtime_prefix(asl::state const& s, std::int64_t entered_id) {
  return fmt::format("An error occurred while executing the state '{}' (entered at the event id #{}). ", s.name,
                     entered_id);
}

/// Wait: the instant to wait until, from whichever field the state has.
sim::instant wait_until(execution::state& ex, asl::state const& s, json::value const& input) {
  auto now = ex.now();
  if (s.seconds) return now + std::chrono::seconds(*s.seconds);
  if (s.timestamp) return *s.timestamp;
  if (s.seconds_path) {
    auto const* v = s.seconds_path->find(s.seconds_path->is_context() ? ex.context : input);
    auto const& p = s.seconds_path->text();
    if (!v)
      throw asl::states_error("States.Runtime",
                              fmt::format("The SecondsPath parameter does not reference an input value: {}", p));
    std::int64_t secs = 0;
    if (auto const* i = v->if_int64()) secs = *i;
    else if (auto const* u = v->if_uint64()) secs = *u > std::uint64_t(INT64_MAX) ? INT64_MAX : std::int64_t(*u);
    else
      throw asl::states_error("States.Runtime",
                              fmt::format("The SecondsPath parameter cannot be parsed as a long value: {} == {}", p,
                                          v->is_string() ? std::string(v->get_string()) : asl::to_text(*v)));
    if (secs < 0)
      throw asl::states_error("States.Runtime",
                              fmt::format("The SecondsPath parameter references a negative value: {} == {}", p, secs));
    if (secs > std::chrono::duration_cast<std::chrono::seconds>(max_wait).count())
      throw asl::states_error("States.Runtime", "Wait state delay is too long.");
    return now + std::chrono::seconds(secs);
  }
  auto const& p = *s.timestamp_path;
  auto const* v = p.find(p.is_context() ? ex.context : input);
  if (!v)
    throw asl::states_error("States.Runtime",
                            fmt::format("The TimestampPath parameter does not reference an input value: {}", p.text()));
  std::optional<sim::instant> t;
  if (auto const* str = v->if_string()) t = sim::parse_iso8601(*str);
  if (!t)
    throw asl::states_error(
        "States.Runtime",
        fmt::format("The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time "
                    "format string: {} == {}",
                    p.text(), v->is_string() ? std::string(v->get_string()) : asl::to_text(*v)));
  return *t;
}

/// Fail: error and cause from the literal or the path.
std::pair<std::optional<std::string>, std::optional<std::string>> fail_fields(execution::state& ex,
                                                                              asl::state const& s,
                                                                              json::value const& input) {
  auto read = [&](std::optional<asl::path> const& p, char const* field) -> std::optional<std::string> {
    auto const* v = p->find(p->is_context() ? ex.context : input);
    if (v && v->is_string()) return std::string(v->get_string());
    throw asl::states_error("States.Runtime",
                            fmt::format("The {} field refers to value {} which is not a valid string: {}", field,
                                        v ? asl::to_text(*v) : std::string("null"), p->text()));
  };
  auto call = [&](asl::intrinsic const& f, char const* field) -> std::optional<std::string> {
    auto v = f.evaluate({input, ex.context, &ex.random()});
    if (v.is_string()) return std::string(v.get_string());
    throw asl::states_error("States.Runtime", fmt::format("The {} field refers to value {} which is not a valid "
                                                          "string: {}",
                                                          field, asl::to_text(v), f.text()));
  };
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
    json::object d;
    d["name"] = s.name;
    if (ex.full_history()) {
      auto p = payload_details("input", c.data);
      for (auto& kv : p) d.insert(std::move(kv));
    }
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
      json::object d;
      d["name"] = s.name;
      if (ex.full_history()) {
        auto p = payload_details("output", c.data);
        for (auto& kv : p) d.insert(std::move(kv));
      }
      ex.emit(state_event(s.type, "StateExited"), "stateExitedEventDetails", std::move(d));
    } else {
      ex.count_event();
    }
  }
  if (ends || next == asl::no_state) return true;
  c.state = next;
  return false;
}

/// Called in a handler of `e`: States.Runtime causes name the state they occurred in.
[[noreturn]] void rethrow_in_state(asl::states_error const& e, asl::state const& s, std::int64_t entered_id) {
  if (e.error() == "States.Runtime" && !e.cause().starts_with("An error occurred while executing the state"))
    throw asl::states_error(e.error(), runtime_prefix(s, entered_id) + e.cause());
  throw;
}

/// A Task with no data flow and no Retry or Catch: its output is its
/// handler's result as is, so the steps of `handled_state` reduce to the call.
bool plain_task(asl::state const& s) noexcept {
  return s.type == state_type::task && s.input_path.is_identity() && !s.parameters && s.result_path.is_identity() &&
         !s.result_selector && s.output_path.is_identity() && s.retry.empty() && s.catch_.empty() &&
         !s.waits_for_token;
}

bool handled(asl::state const& s) noexcept {
  return s.type == state_type::task || s.type == state_type::parallel || s.type == state_type::map;
}

void apply(handled_outcome&& o, json::value& data, asl::state_index& next, bool& ends) {
  data = std::move(o.output);
  if (o.caught) {
    next = o.next;
    ends = false;
  }
}

/// Pass, Choice, Succeed and Fail: the state's work on `data`; may change `next` and `ends`.
void run_plain(execution::state& ex, asl::state const& s, json::value& data, asl::state_index& next, bool& ends) {
  switch (s.type) {
    case state_type::pass: {
      bool keep = !s.result_path.is_identity();
      json::value effective = data_flow::select(s.input_path, data, keep, ex.context);
      json::value result;
      if (s.result) result = *s.result;
      else if (s.parameters) result = s.parameters->evaluate({effective, ex.context, &ex.random()});
      else result = std::move(effective);
      data_flow::check_result_size(s, result);
      json::value out = data_flow::combine(s.result_path, keep ? std::move(data) : json::value(), std::move(result));
      data = data_flow::select(s.output_path, out, false, ex.context);
      return;
    }
    case state_type::choice: {
      json::value effective = data_flow::select(s.input_path, data, false, ex.context);
      next = asl::no_state;
      for (auto const& c : s.choices)
        if (c.rule.evaluate(effective, ex.context)) {
          next = c.next;
          break;
        }
      if (next == asl::no_state) next = s.default_next;
      if (next == asl::no_state)
        throw asl::states_error("States.NoChoiceMatched",
                                fmt::format("No choice rule matched the input of the Choice state '{}', and it has no Default", s.name));
      data = data_flow::select(s.output_path, effective, false, ex.context);
      return;
    }
    case state_type::succeed: {
      json::value effective = data_flow::select(s.input_path, data, false, ex.context);
      data = data_flow::select(s.output_path, effective, false, ex.context);
      ends = true;
      return;
    }
    case state_type::fail: {
      auto [error, cause] = fail_fields(ex, s, data);
      throw state_failure{std::move(error), std::move(cause)};
    }
    default: throw std::logic_error("run_plain called for a state that is not Pass, Choice, Succeed or Fail");
  }
}

}  // namespace

bool run_ready_states(execution::state& ex, machine_cursor& c, std::unique_ptr<handled_state>& resume) {
  bool const overhead = bool(ex.eng.options().transition_overhead);
  for (;;) {
    auto const& s = c.machine->at(c.state);
    // A Wait waits, and so does every transition that takes time.
    if (s.type == state_type::wait || overhead) return false;
    check_limits(ex);
    auto e = enter(ex, c, s);
    asl::state_index next = s.next;
    bool ends = s.end;
    try {
      tasks::registry::entry const* handler;
      if (plain_task(s) && (!(handler = ex.eng.tasks().find(s.resource)) || !handler->async)) {
        // What handled_state does for such a Task, without moving the data through its steps.
        json::value result = run_task_attempt_now(ex, s, handler, c.data, &c.data);
        data_flow::check_result_size(s, result);
        c.data = std::move(result);
      } else if (handled(s)) {
        handled_state h(ex, s, std::move(c.data), e.id, e.at);
        auto outcome = h.advance();
        if (!outcome) {
          resume = std::make_unique<handled_state>(std::move(h));
          return false;
        }
        apply(std::move(*outcome), c.data, next, ends);
      } else {
        run_plain(ex, s, c.data, next, ends);
      }
    } catch (asl::states_error const& err) {
      rethrow_in_state(err, s, e.id);
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
    if (resume) {
      // Entered by run_ready_states; its work or a retry must be awaited.
      auto entered_id = resume->entered_id();
      try {
        // Named, not a temporary of the co_await expression: g++ 12 may destroy those twice.
        handled_outcome outcome = co_await run_with_handlers(std::move(resume));
        apply(std::move(outcome), c.data, next, ends);
      } catch (asl::states_error const& err) {
        rethrow_in_state(err, s, entered_id);
      } catch (boost::system::system_error const& err) {
        aborted_in_state(ex, s, err);
      }
    } else {
      // A Wait, or any state when each transition takes time.
      check_limits(ex);
      if (auto const& overhead = ex.eng.options().transition_overhead) {
        auto d = overhead(ex.eng.overhead_stream());
        if (d > sim::duration::zero()) co_await ex.eng.scheduler().sleep(d);
      }
      auto e = enter(ex, c, s);
      try {
        if (handled(s)) {
          auto h = std::make_unique<handled_state>(ex, s, std::move(c.data), e.id, e.at);
          handled_outcome outcome = co_await run_with_handlers(std::move(h));
          apply(std::move(outcome), c.data, next, ends);
        } else if (s.type == state_type::wait) {
          json::value effective = data_flow::select(s.input_path, c.data, false, ex.context);
          auto until = wait_until(ex, s, effective);
          if (until - ex.now() > max_wait) throw asl::states_error("States.Runtime", "Wait state delay is too long.");
          co_await ex.eng.scheduler().sleep_until(until);
          c.data = data_flow::select(s.output_path, effective, false, ex.context);
        } else {
          run_plain(ex, s, c.data, next, ends);
        }
      } catch (asl::states_error const& err) {
        rethrow_in_state(err, s, e.id);
      } catch (boost::system::system_error const& err) {
        aborted_in_state(ex, s, err);
      }
    }
    if (leave(ex, c, s, next, ends)) co_return std::move(c.data);
  }
}

boost::asio::awaitable<json::value> run_machine(execution::state& ex, asl::state_machine const& machine,
                                               json::value input, bool top_level) {
  return run_machine(ex, machine_cursor(machine, std::move(input), top_level));
}

}  // namespace stepsim::engine
