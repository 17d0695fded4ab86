#include <stepsim/testing/test_state.hpp>

#include "testing/state_tester.hpp"

#include <stepsim/asl/json_text.hpp>
#include <stepsim/asl/parse.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <initializer_list>
#include <set>

namespace stepsim::testing {


namespace {

constexpr std::string_view single_state_name = "StateName";

/// Finds the state `name` at any depth of a state machine's JSON; sets `at` to its pointer.
/// `language` is the QueryLanguage in force at `machine`; set to the one the found state inherits.
json::object const* find_state(json::object const& machine, std::string_view name, std::string const& base,
                               std::string& at, json::value const*& language) {
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
    auto* const outer = language;
    if (auto const* l = st.if_contains("QueryLanguage")) language = l;
    if (auto const* b = st.if_contains("Branches"); b && b->is_array())
      for (std::size_t i = 0; i < b->as_array().size(); ++i)
        if (auto const* m = b->as_array()[i].if_object())
          if (auto const* f = find_state(*m, name, asl::pointer_append(asl::pointer_append(here, "Branches"), i), at,
                                         language))
            return f;
    for (char const* key : {"ItemProcessor", "Iterator"})
      if (auto const* p = st.if_contains(key); p && p->is_object())
        if (auto const* f = find_state(p->as_object(), name, asl::pointer_append(here, key), at, language)) return f;
    language = outer;
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

/// The context object TestState gives a state when the request has none.
/// As on AWS: the state is named "StateName" whatever its name, RoleArn is
/// the request's (null without one), and only states that retry (Task, Map,
/// Parallel) have `State.RetryCount`.
json::object default_context(json::value const& input, asl::state const& s, test_state_options const& o) {
  constexpr std::string_view arn = "arn:aws:states:us-east-1:123456789012";
  json::object state{{"Name", single_state_name}, {"EnteredTime", "2024-01-01T00:00:00.000Z"}};
  if (s.type == asl::state_type::task || s.type == asl::state_type::map || s.type == asl::state_type::parallel)
    state["RetryCount"] = o.retrier_retry_count;
  return json::object{
      {"Execution", json::object{{"Id", fmt::format("{}:express:TestStateMachine:TestState", arn)},
                                 {"Input", input},
                                 {"Name", "TestState"},
                                 {"RoleArn", o.role_arn ? json::value(*o.role_arn) : json::value()},
                                 {"StartTime", "2024-01-01T00:00:00.000Z"}}},
      {"StateMachine", json::object{{"Id", fmt::format("{}:stateMachine:TestStateMachine", arn)},
                                    {"Name", "TestStateMachine"}}},
      {"State", std::move(state)}};
}

/// True when `name` names a state of `m` or of a Parallel branch or Map
/// item processor in it, at any depth.
bool holds_state(asl::state_machine const& m, std::string_view name) {
  for (auto const& st : m.states()) {
    if (st.name == name) return true;
    for (auto const& b : st.branches)
      if (b && holds_state(*b, name)) return true;
    if (st.item_processor && holds_state(*st.item_processor, name)) return true;
  }
  return false;
}

[[noreturn]] void invalid(std::string const& why) { throw test_state_error(why, test_state_error::kind::validation); }

/// A given context object as AWS checks one: the fields of an execution's
/// context object, `Map` never, `Task` only for a state that has a token.
void check_context(json::object const& context, asl::state const& s) {
  auto refuse = [](std::string const& why) { invalid("Invalid Context object provided: " + why); };
  struct part {
    std::string_view name;
    std::initializer_list<std::string_view> fields;
  };
  static part const parts[] = {
      {"Execution", {"Id", "Input", "Name", "RoleArn", "StartTime", "RedriveCount", "RedriveTime"}},
      {"State", {"EnteredTime", "Name", "RetryCount"}},
      {"StateMachine", {"Id", "Name"}},
      {"Task", {"Token"}}};
  for (auto const& kv : context) {
    std::string_view key = kv.key();
    if (key == "Map") refuse("'Map' field is not supported when mocking a Context object");
    auto const* p = std::find_if(std::begin(parts), std::end(parts), [&](part const& x) { return x.name == key; });
    if (p == std::end(parts)) refuse(fmt::format("Field '{}' is not allowed", key));
    auto const* fields = kv.value().if_object();
    if (!fields) refuse(fmt::format("{} must be an object", key));
    for (auto const& f : *fields) {
      std::string_view field = f.key();
      if (std::find(p->fields.begin(), p->fields.end(), field) == p->fields.end())
        refuse(fmt::format("Field '{}' is not allowed", field));
      bool const number = field == "RetryCount" || field == "RedriveCount";
      if (field != "Input" && (number ? !f.value().is_int64() : !f.value().is_string()))
        refuse(fmt::format("{}.{} must be {}", key, field, number ? "an integer" : "a string"));
    }
  }
  bool const sync = s.resource.ends_with(".sync") || s.resource.find(".sync:") != std::string::npos;
  if (context.contains("Task") && !(s.type == asl::state_type::task && (sync || s.waits_for_token)))
    refuse("Context object contains 'Task' when state is not a Task state with a '.sync' or '.waitForTaskToken' "
           "service integration pattern");
}

/// The request's fields checked against the state, with AWS's messages
/// where AWS's are known (docs/testing.md lists them).
void check_request(asl::state const& s, test_state_options const& o) {
  bool const mocked = o.mock_result || o.mock_error;
  bool const map = s.type == asl::state_type::map, parallel = s.type == asl::state_type::parallel;
  if (mocked && s.type != asl::state_type::task && !map && !parallel)
    invalid(fmt::format("State type '{}' is not supported when a mock is specified", asl::to_string(s.type)));
  if (!mocked && (map || parallel))
    throw test_state_error("TestState API does not support Map or Parallel states. Supported state types include: "
                           "[Task, Wait, Pass, Succeed, Fail, Choice]",
                           test_state_error::kind::unsupported_state);
  if (mocked && o.reveal_secrets) invalid("TestState does not support RevealSecrets when a mock is specified.");
  if (o.context) check_context(*o.context, s);
  if (o.retrier_retry_count < 0) invalid("stateConfiguration.retrierRetryCount: must not be negative");
  if (o.map_iteration_failure_count) {
    if (!mocked) invalid("TestState does not support MapIterationFailureCount when a mock is not specified.");
    if (!map) invalid("stateConfiguration.mapIterationFailureCount: only a Map state has iterations");
    if (*o.map_iteration_failure_count < 0) invalid("stateConfiguration.mapIterationFailureCount: must not be negative");
  }
  bool const reader = map && s.map_run && s.map_run->reader;
  if (o.map_item_reader_data && !reader)
    invalid("stateConfiguration.mapItemReaderData: only a Map state with an ItemReader reads items");
  if (reader && !o.map_item_reader_data)
    invalid("stateConfiguration.mapItemReaderData: a Map state with an ItemReader needs the data its reader reads");
  if (o.error_caused_by_state) {
    bool found = false;
    for (auto const& b : s.branches) found = found || (b && holds_state(*b, *o.error_caused_by_state));
    if (s.item_processor) found = found || holds_state(*s.item_processor, *o.error_caused_by_state);
    if (!found)
      invalid(fmt::format("stateConfiguration.errorCausedByState: '{}' is not a state inside the tested {} state",
                          *o.error_caused_by_state, map || parallel ? asl::to_string(s.type) : "Map or Parallel"));
  }
  if (!o.mock_result) return;
  auto const& r = *o.mock_result;
  if (parallel) {
    if (!r.is_array()) invalid("Mocked result must be an array.");
    if (r.as_array().size() != s.branches.size())
      invalid("Mocked result must contain the same number of items as number of Parallel branches.");
  }
  if (map) {
    bool const writer = s.map_run && s.map_run->writer;
    if (writer && !r.is_object()) invalid("Mocked result must be a JSON object.");
    if (!writer && !r.is_array()) invalid("Mocked result must be an array.");
    if (o.map_iteration_failure_count && r.is_array() &&
        *o.map_iteration_failure_count > static_cast<std::int64_t>(r.as_array().size()))
      invalid("Map iteration failure count must be less than or equal to the number of Map iterations");
  }
}

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
      // Payloads are JSON text in the API; numbers and errorDetails are not.
      bool payload = kv.key() != "errorDetails" && kv.key() != "maxConcurrency" &&
                     kv.key() != "toleratedFailureCount" && kv.key() != "toleratedFailurePercentage";
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
    invalid("A test mock should have only one of the following fields: [result, errorOutput].");
  std::string name, at;
  json::object const* state = nullptr;
  json::value const* query_language = nullptr;
  if (def->contains("States") || def->contains("StartAt")) {
    auto whole = asl::parse(definition);
    if (!whole.ok()) refuse(whole.errors, "\x01", "");
    if (!options.state_name)
      invalid("stateName: a state name is required when the definition is a whole state machine");
    name = *options.state_name;
    query_language = def->if_contains("QueryLanguage");
    state = find_state(*def, name, "", at, query_language);
    if (!state) invalid(fmt::format("stateName: the state machine has no state named '{}'", name));
  } else {
    name = options.state_name.value_or(std::string(single_state_name));
    state = def;
  }
  auto machine = compile_alone(*state, name, at, query_language);
  auto const& s = machine->at(machine->start());
  check_request(s, options);
  json::value context =
      options.context ? json::value(*options.context) : json::value(default_context(input, s, options));
  state_tester t(s, input, std::move(context), options,
                 [&](asl::state_index i) { return i == asl::no_state ? std::string() : machine->at(i).name; });
  return t.run();
}

test_state_result test_state(std::string_view definition, json::value const& input, test_state_options const& options) {
  std::string why;
  auto v = asl::parse_json(definition, why);
  if (!v) throw test_state_error("/: the definition is not valid JSON: " + why);
  return test_state(*v, input, options);
}

}  // namespace stepsim::testing
