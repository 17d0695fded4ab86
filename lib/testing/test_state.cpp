#include <stepsim/testing/test_state.hpp>

#include <stepsim/asl/json_text.hpp>
#include <stepsim/asl/parse.hpp>
#include <stepsim/engine/engine.hpp>
// The engine's own data-flow steps and error matching, so that a tested
// state behaves exactly as it does in an execution.
#include <stepsim/engine/state_rules.hpp>
#include <stepsim/sim/rng.hpp>
#include <stepsim/sim/scheduler.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <fmt/format.h>

#include <cmath>
#include <set>

namespace stepsim::testing {

namespace json = boost::json;
namespace data_flow = engine::data_flow;

namespace {

constexpr std::string_view single_state_name = "StateName";

/// Finds the state `name` at any depth of a state machine's JSON; sets `at` to its pointer.
json::object const* find_state(json::object const& machine, std::string_view name, std::string const& base,
                               std::string& at) {
  auto const* states = machine.if_contains("States");
  if (!states || !states->is_object()) return nullptr;
  auto const sbase = asl::pointer_append(base, "States");
  if (auto const* s = states->as_object().if_contains(name); s && s->is_object()) {
    at = asl::pointer_append(sbase, name);
    return &s->as_object();
  }
  for (auto const& kv : states->as_object()) {
    if (!kv.value().is_object()) continue;
    auto const& st = kv.value().as_object();
    auto const here = asl::pointer_append(sbase, kv.key());
    if (auto const* b = st.if_contains("Branches"); b && b->is_array())
      for (std::size_t i = 0; i < b->as_array().size(); ++i)
        if (auto const* m = b->as_array()[i].if_object())
          if (auto const* f = find_state(*m, name, asl::pointer_append(asl::pointer_append(here, "Branches"), i), at))
            return f;
    for (char const* key : {"ItemProcessor", "Iterator"})
      if (auto const* p = st.if_contains(key); p && p->is_object())
        if (auto const* f = find_state(p->as_object(), name, asl::pointer_append(here, key), at)) return f;
  }
  return nullptr;
}

[[noreturn]] void refuse(asl::diagnostics const& errors, std::string_view wrapper_prefix, std::string const& at) {
  std::string all;
  for (auto e : errors) {
    if (e.pointer.starts_with(wrapper_prefix)) e.pointer = at + e.pointer.substr(wrapper_prefix.size());
    all += fmt::format("{}{}: {}", all.empty() ? "" : "\n", e.pointer.empty() ? "/" : e.pointer, e.message);
  }
  throw test_state_error(all);
}

/// The state alone in a state machine of its own, whose transitions lead
/// to Succeed states, compiled.
std::shared_ptr<asl::state_machine const> compile_alone(json::object const& state, std::string const& name,
                                                         std::string const& at, json::value const* query_language) {
  std::set<std::string> targets;
  auto add = [&](json::value const* v) {
    if (v && v->is_string() && v->get_string() != name) targets.insert(std::string(v->get_string()));
  };
  add(state.if_contains("Next"));
  add(state.if_contains("Default"));
  for (char const* list : {"Choices", "Catch"})
    if (auto const* l = state.if_contains(list); l && l->is_array())
      for (auto const& e : l->as_array())
        if (e.is_object()) add(e.as_object().if_contains("Next"));
  json::object states{{name, state}};
  for (auto const& t : targets) states[t] = json::object{{"Type", "Succeed"}};
  json::object machine{{"StartAt", name}, {"States", std::move(states)}};
  if (query_language) machine["QueryLanguage"] = *query_language;
  auto r = asl::parse(json::value(std::move(machine)));
  if (!r.ok()) refuse(r.errors, asl::pointer_append("/States", name), at);
  return r.machine;
}

json::object default_context(json::value const& input, std::string const& name, std::int64_t retries) {
  constexpr std::string_view arn = "arn:aws:states:us-east-1:123456789012";
  return json::object{
      {"Execution", json::object{{"Id", fmt::format("{}:express:TestStateMachine:TestState", arn)},
                                 {"Input", input},
                                 {"Name", "TestState"},
                                 {"RoleArn", "arn:aws:iam::123456789012:role/TestState"},
                                 {"StartTime", "2024-01-01T00:00:00.000Z"}}},
      {"StateMachine", json::object{{"Id", fmt::format("{}:stateMachine:TestStateMachine", arn)},
                                    {"Name", "TestStateMachine"}}},
      {"State", json::object{{"Name", name}, {"EnteredTime", "2024-01-01T00:00:00.000Z"}, {"RetryCount", retries}}}};
}

/// A Task's result: the mock, or its handler's.
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

class tester {
 public:
  tester(asl::state const& s, json::value input, json::value context, test_state_options const& o)
      : s_(s), input_(std::move(input)), context_(std::move(context)), o_(o),
        random_(sim::rng(0).stream("test_state")) {}

  test_state_result run() {
    note("input", input_);
    try {
      switch (s_.type) {
        case asl::state_type::pass: pass(); break;
        case asl::state_type::task: task(); break;
        case asl::state_type::choice: choice(); break;
        case asl::state_type::succeed:
        case asl::state_type::wait: {
          auto effective = select_input();
          succeed(data_flow::select(s_.output_path, effective, false, context_));
          if (s_.type == asl::state_type::wait && !s_.end) r_.next_state = next_name(s_.next);
          break;
        }
        case asl::state_type::fail: fail(); break;
        default:
          throw test_state_error(fmt::format("test_state does not test {} states yet", asl::to_string(s_.type)));
      }
    } catch (asl::states_error const& e) {
      failed(e.error(), e.cause(), s_.type == asl::state_type::task);
    }
    if (o_.variables) note("variables", *o_.variables);
    if (o_.inspection == inspection_level::info) r_.inspection_data.clear();
    return std::move(r_);
  }

  void set_names(std::function<std::string(asl::state_index)> names) { names_ = std::move(names); }

 private:
  void note(char const* key, json::value const& v) { r_.inspection_data[key] = v; }
  std::string next_name(asl::state_index i) const { return names_(i); }

  json::value select_input() {
    auto v = data_flow::select(s_.input_path, input_, true, context_);
    note("afterInputPath", v);
    return v;
  }

  void succeed(json::value out) {
    r_.status = "SUCCEEDED";
    r_.output = std::move(out);
    if (!s_.end && s_.next != asl::no_state && s_.type != asl::state_type::choice) r_.next_state = next_name(s_.next);
  }

  /// ResultPath then OutputPath.
  void finish(json::value result) {
    auto combined = data_flow::combine(s_.result_path, input_, std::move(result));
    note("afterResultPath", combined);
    succeed(data_flow::select(s_.output_path, combined, false, context_));
  }

  void pass() {
    json::value result;
    if (s_.result) {
      result = *s_.result;
      note("result", result);
    } else {
      auto effective = select_input();
      result = s_.parameters ? s_.parameters->evaluate({effective, context_, &random_}) : std::move(effective);
      note("afterParameters", result);
    }
    note("afterResultSelector", result);
    data_flow::check_result_size(s_, result);
    finish(std::move(result));
  }

  void task() {
    auto effective = select_input();
    if (s_.parameters) effective = s_.parameters->evaluate({effective, context_, &random_});
    note("afterParameters", effective);
    auto result = task_result(s_, effective, context_, o_);
    note("result", result);
    if (s_.result_selector) result = s_.result_selector->evaluate({result, context_, &random_});
    note("afterResultSelector", result);
    data_flow::check_result_size(s_, result);
    finish(std::move(result));
  }

  void choice() {
    auto effective = select_input();
    asl::state_index next = asl::no_state;
    for (auto const& c : s_.choices)
      if (c.rule && c.rule->evaluate(effective, context_)) {
        next = c.next;
        break;
      }
    if (next == asl::no_state) next = s_.default_next;
    if (next == asl::no_state)
      throw asl::states_error("States.NoChoiceMatched",
                              fmt::format("No choice rule matched the input of the Choice state '{}', and it has no "
                                          "Default",
                                          s_.name));
    succeed(data_flow::select(s_.output_path, effective, false, context_));
    r_.next_state = next_name(next);
  }

  void fail() {
    select_input();
    // The Fail state's error and cause as an execution computes them.
    auto sched = sim::scheduler::virtual_time(sim::instant{});
    tasks::registry none;
    engine::engine eng(sched, none);
    auto r = eng.run(fail_machine_, input_);
    r_.status = "FAILED";
    r_.error = r.error;
    r_.cause = r.cause;
  }

 public:
  std::shared_ptr<asl::state_machine const> fail_machine_;

 private:
  void failed(std::string const& error, std::string const& cause, bool handled) {
    r_.output.reset();
    r_.next_state.reset();
    r_.error = error;
    r_.cause = cause;
    if (handled) {
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
        break;  // this retrier is exhausted: the error goes to Catch
      }
      for (std::size_t i = 0; i < s_.catch_.size(); ++i) {
        auto const& c = s_.catch_[i];
        if (!engine::error_matches(c.error_equals, error)) continue;
        r_.status = "CAUGHT_ERROR";
        r_.output = data_flow::combine(c.result_path, input_, json::object{{"Error", error}, {"Cause", cause}});
        r_.next_state = c.next_name;
        note("errorDetails", json::object{{"catchIndex", static_cast<std::int64_t>(i)}});
        return;
      }
    }
    r_.status = "FAILED";
  }

  asl::state const& s_;
  json::value input_;
  json::value context_;
  test_state_options const& o_;
  sim::random_stream random_;
  std::function<std::string(asl::state_index)> names_;
  test_state_result r_;
};

json::value text_of(json::value const& v) { return json::value(asl::to_text(v)); }

}  // namespace

json::object test_state_result::to_json() const {
  json::object out;
  if (output) out["output"] = asl::to_text(*output);
  if (error) out["error"] = *error;
  if (cause) out["cause"] = *cause;
  if (!inspection_data.empty()) {
    json::object data;
    for (auto const& kv : inspection_data) {
      // Payloads are JSON text in the API; counts and errorDetails are not.
      bool payload = kv.key() != "errorDetails";
      data[kv.key()] = payload ? text_of(kv.value()) : kv.value();
    }
    out["inspectionData"] = std::move(data);
  }
  if (next_state) out["nextState"] = *next_state;
  out["status"] = status;
  return out;
}

test_state_result test_state(json::value const& definition, json::value const& input,
                             test_state_options const& options) {
  auto const* def = definition.if_object();
  if (!def) throw test_state_error("/: the definition must be a JSON object (a state, or a state machine with a state name)");
  if (options.mock_result && options.mock_error)
    throw test_state_error("mock: give a mocked result or a mocked error, not both");
  std::string name, at;
  json::object const* state = nullptr;
  json::value const* query_language = nullptr;
  if (def->contains("States") || def->contains("StartAt")) {
    auto whole = asl::parse(definition);
    if (!whole.ok()) refuse(whole.errors, "\x01", "");
    if (!options.state_name)
      throw test_state_error("stateName: a state name is required when the definition is a whole state machine");
    name = *options.state_name;
    state = find_state(*def, name, "", at);
    if (!state) throw test_state_error(fmt::format("stateName: the state machine has no state named '{}'", name));
    query_language = def->if_contains("QueryLanguage");
  } else {
    name = options.state_name.value_or(std::string(single_state_name));
    state = def;
  }
  auto machine = compile_alone(*state, name, at, query_language);
  auto const& s = machine->at(machine->start());
  // Refused rather than run as JSONPath: its Arguments, Output and Conditions would be ignored.
  if (s.language == asl::query_language::jsonata)
    throw test_state_error(fmt::format("{}: test_state does not test states in the JSONata query language yet",
                                       at.empty() ? "/" : at));

  json::value context = options.context ? json::value(*options.context)
                                        : json::value(default_context(input, name, options.retrier_retry_count));
  tester t(s, input, std::move(context), options);
  t.set_names([&](asl::state_index i) { return i == asl::no_state ? std::string() : machine->at(i).name; });
  t.fail_machine_ = machine;
  return t.run();
}

test_state_result test_state(std::string_view definition, json::value const& input, test_state_options const& options) {
  std::string why;
  auto v = asl::parse_json(definition, why);
  if (!v) throw test_state_error("/: the definition is not valid JSON: " + why);
  return test_state(*v, input, options);
}

}  // namespace stepsim::testing
