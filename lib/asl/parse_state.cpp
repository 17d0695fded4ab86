// One state's fields: what each type allows, typed and validated.
#include "asl/parse_detail.hpp"

#include <stepsim/sim/time.hpp>

#include <fmt/format.h>

#include <array>
#include <set>

namespace stepsim::asl::detail {

namespace {

using namespace std::string_view_literals;

// Longest Wait AWS accepts: 24,855 days (2^31 seconds, rounded down to days).
constexpr std::int64_t max_wait_seconds = 24855LL * 86400;
constexpr std::int64_t max_timeout_seconds = 99999999;

std::set<std::string_view> const& allowed_fields(state_type t) {
  static std::set<std::string_view> const pass{"Type", "Comment", "Next", "End", "InputPath", "OutputPath",
                                               "ResultPath", "Parameters", "Result"};
  static std::set<std::string_view> const task{"Type", "Comment", "Next", "End", "InputPath", "OutputPath",
                                               "ResultPath", "Parameters", "ResultSelector", "Resource",
                                               "TimeoutSeconds", "TimeoutSecondsPath", "HeartbeatSeconds",
                                               "HeartbeatSecondsPath", "Retry", "Catch", "Credentials"};
  static std::set<std::string_view> const choice{"Type", "Comment", "InputPath", "OutputPath", "Choices", "Default"};
  static std::set<std::string_view> const wait{"Type", "Comment", "Next", "End", "InputPath", "OutputPath",
                                               "Seconds", "SecondsPath", "Timestamp", "TimestampPath"};
  static std::set<std::string_view> const succeed{"Type", "Comment", "InputPath", "OutputPath"};
  static std::set<std::string_view> const fail{"Type", "Comment", "Error", "ErrorPath", "Cause", "CausePath"};
  static std::set<std::string_view> const parallel{"Type", "Comment", "Next", "End", "InputPath", "OutputPath",
                                                   "ResultPath", "Parameters", "ResultSelector", "Branches",
                                                   "Retry", "Catch"};
  static std::set<std::string_view> const map{"Type", "Comment", "Next", "End", "InputPath", "OutputPath",
                                              "ResultPath", "Parameters", "ItemSelector", "ResultSelector",
                                              "ItemsPath", "ItemProcessor", "Iterator", "MaxConcurrency",
                                              "MaxConcurrencyPath", "ToleratedFailureCount",
                                              "ToleratedFailureCountPath", "ToleratedFailurePercentage",
                                              "ToleratedFailurePercentagePath", "Label", "Retry", "Catch",
                                              "ItemReader", "ItemBatcher", "ResultWriter"};
  switch (t) {
    case state_type::pass: return pass;
    case state_type::task: return task;
    case state_type::choice: return choice;
    case state_type::wait: return wait;
    case state_type::succeed: return succeed;
    case state_type::fail: return fail;
    case state_type::parallel: return parallel;
    case state_type::map: return map;
  }
  return pass;
}

bool known_anywhere(std::string_view key) {
  for (auto t : {state_type::pass, state_type::task, state_type::choice, state_type::wait, state_type::succeed,
                 state_type::fail, state_type::parallel, state_type::map})
    if (allowed_fields(t).contains(key)) return true;
  return false;
}

// Fields only JSONPath states take, and those only JSONata states take.
constexpr std::array jsonpath_only{"InputPath"sv,          "OutputPath"sv,         "ResultPath"sv,
                                   "Parameters"sv,         "ResultSelector"sv,     "ItemsPath"sv,
                                   "SecondsPath"sv,        "TimestampPath"sv,      "TimeoutSecondsPath"sv,
                                   "HeartbeatSecondsPath"sv, "ErrorPath"sv,        "CausePath"sv,
                                   "MaxConcurrencyPath"sv, "ToleratedFailureCountPath"sv,
                                   "ToleratedFailurePercentagePath"sv, "Result"sv, "Iterator"sv};
constexpr std::array jsonata_only{"Arguments"sv, "Output"sv, "Items"sv};

bool takes_jsonata_field(state_type t, std::string_view key) {
  if (key == "Output") return t != state_type::fail;
  if (key == "Arguments") return t == state_type::task || t == state_type::parallel;
  if (key == "Items") return t == state_type::map;
  return false;
}

template <typename List>
bool listed(List const& l, std::string_view key) {
  return std::find(l.begin(), l.end(), key) != l.end();
}

void check_fields(field_reader const& r, state const& s) {
  auto const& allowed = allowed_fields(s.type);
  bool jsonata = s.language == query_language::jsonata;
  for (auto const& kv : r.object) {
    std::string_view key = kv.key();
    if (key == "QueryLanguage") continue;  // read by state_language
    if (key == "Assign") {
      if (s.type == state_type::succeed || s.type == state_type::fail)
        r.error(key, fmt::format("'Assign' is not allowed on a {} state: it ends the execution", to_string(s.type)));
      continue;
    }
    if (jsonata && listed(jsonpath_only, key) && allowed.contains(key)) {
      r.error(key, fmt::format("'{}' is a JSONPath field, not allowed in a JSONata state; use {}", key,
                               key == "Parameters" && s.type == state_type::map ? "ItemSelector"
                               : key == "Parameters" || key == "InputPath"      ? "Arguments (with $states.input)"
                               : key == "ItemsPath"                             ? "Items"
                               : key == "Iterator"                              ? "ItemProcessor"
                               : key.ends_with("Path") && key != "InputPath" && key != "OutputPath" &&
                                       key != "ResultPath"
                                   ? fmt::format("'{}' with a {{% %}} expression", key.substr(0, key.size() - 4))
                                   : std::string("Output (with $states.input / $states.result) or Assign")));
      continue;
    }
    if (allowed.contains(key)) continue;
    if (listed(jsonata_only, key) && takes_jsonata_field(s.type, key)) {
      if (!jsonata)
        r.error(key, fmt::format("'{}' is a field of JSONata states; this state uses JSONPath (set \"QueryLanguage\": "
                                 "\"JSONata\" on the state or at the top level)",
                                 key));
      continue;
    }
    if (known_anywhere(key) || listed(jsonata_only, key)) {
      r.error(key, fmt::format("'{}' is not allowed on a {} state", key, to_string(s.type)));
    } else {
      r.error(key, fmt::format("unknown field '{}' on a {} state", key, to_string(s.type)));
    }
  }
}

void parse_transition(field_reader const& r, state& s, state_targets& t) {
  bool terminal = s.type == state_type::choice || s.type == state_type::succeed || s.type == state_type::fail;
  if (terminal) return;  // Next/End refused by check_fields on these types
  auto next = r.string("Next");
  auto end = r.boolean("End");
  bool has_next = r.find("Next") != nullptr;
  if (has_next && end.value_or(false)) {
    r.error("End", "a state cannot have both 'Next' and 'End': true; keep one of them");
  } else if (!has_next && !end.value_or(false)) {
    r.out.push_back({r.pointer, fmt::format("a {} state needs 'Next' (the state to go to) or 'End': true",
                                            to_string(s.type))});
  }
  if (next) t.next = target_ref{r.at("Next"), *next};
  s.end = end.value_or(false) && !has_next;
}

std::vector<std::string> error_names(field_reader const& r, std::string const& list_pointer) {
  std::vector<std::string> names;
  auto const* v = r.find("ErrorEquals");
  if (!v) {
    r.out.push_back({list_pointer, "'ErrorEquals' is required: a non-empty array of error names"});
    return names;
  }
  auto const* a = v->if_array();
  if (!a || a->empty()) {
    r.error("ErrorEquals", "'ErrorEquals' must be a non-empty array of error names");
    return names;
  }
  for (std::size_t i = 0; i < a->size(); ++i) {
    if (auto const* s = (*a)[i].if_string())
      names.emplace_back(*s);
    else
      r.out.push_back({pointer_append(r.at("ErrorEquals"), i), "an error name must be a string"});
  }
  if (names.size() > 1 && std::find(names.begin(), names.end(), "States.ALL") != names.end())
    r.error("ErrorEquals", "'States.ALL' must appear alone in 'ErrorEquals'");
  return names;
}

template <typename Parse>
void parse_handlers(field_reader const& r, std::string_view key, Parse&& parse_one) {
  auto const* v = r.find(key);
  if (!v) return;
  auto const* a = v->if_array();
  if (!a) {
    r.error(key, fmt::format("'{}' must be an array of objects", key));
    return;
  }
  for (std::size_t i = 0; i < a->size(); ++i) {
    std::string where = pointer_append(r.at(key), i);
    auto const* o = (*a)[i].if_object();
    if (!o) {
      r.out.push_back({where, fmt::format("each entry of '{}' must be an object", key)});
      continue;
    }
    field_reader er{*o, where, r.out};
    auto names = error_names(er, where);
    if (std::find(names.begin(), names.end(), "States.ALL") != names.end() && i + 1 != a->size())
      er.error("ErrorEquals", fmt::format("the entry with 'States.ALL' must be the last one in '{}'", key));
    parse_one(er, std::move(names));
  }
}

void parse_retry_catch(field_reader const& r, state& s, state_targets& t) {
  parse_handlers(r, "Retry", [&](field_reader const& er, std::vector<std::string> names) {
    for (auto const& kv : er.object)
      if (!std::set<std::string_view>{"ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate",
                                      "MaxDelaySeconds", "JitterStrategy", "Comment"}
               .contains(kv.key()))
        er.error(kv.key(), fmt::format("unknown field '{}' in a retrier", std::string_view(kv.key())));
    retrier rt;
    rt.error_equals = std::move(names);
    if (auto v = er.integer("IntervalSeconds", 1, max_timeout_seconds)) rt.interval_seconds = double(*v);
    if (auto v = er.integer("MaxAttempts", 0, max_timeout_seconds)) rt.max_attempts = *v;
    if (auto v = er.number("BackoffRate", 1.0, 1e9)) rt.backoff_rate = *v;
    if (auto v = er.integer("MaxDelaySeconds", 1, 31622400)) rt.max_delay_seconds = *v;
    if (auto j = er.string("JitterStrategy")) {
      if (*j == "FULL") rt.jitter_full = true;
      else if (*j != "NONE") er.error("JitterStrategy", fmt::format("'JitterStrategy' must be FULL or NONE, not '{}'", *j));
    }
    s.retry.push_back(std::move(rt));
  });
  parse_handlers(r, "Catch", [&](field_reader const& er, std::vector<std::string> names) {
    bool jsonata = s.language == query_language::jsonata;
    for (auto const& kv : er.object) {
      std::string_view key = kv.key();
      if (std::set<std::string_view>{"ErrorEquals", "Next", "Comment", "Assign"}.contains(key)) continue;
      if (key == (jsonata ? "Output" : "ResultPath")) continue;
      if (key == "Output" || key == "ResultPath")
        er.error(key, fmt::format("'{}' is not allowed in a catcher of a {} state; use '{}'", key,
                                  jsonata ? "JSONata" : "JSONPath", jsonata ? "Output" : "ResultPath"));
      else
        er.error(key, fmt::format("unknown field '{}' in a catcher", key));
    }
    catcher c;
    c.error_equals = std::move(names);
    if (!jsonata) c.result_path = er.path_field_value("ResultPath", true);
    unsigned const catch_bound = unsigned(states_field::input) | unsigned(states_field::context) |
                                 unsigned(states_field::error_output);
    if (auto const* o = er.find("Output"); o && jsonata) {
      c.output = jsonata_template::parse(*o, er.at("Output"), "Output", er.out);
      if (c.output) check_states_reads(er, "Output", c.output->reads(), catch_bound);
    }
    c.assign = parse_assign(er, s.language);
    if (c.assign) check_states_reads(er, "Assign", c.assign->reads(), catch_bound);
    auto next = er.string("Next");
    if (!er.find("Next")) er.out.push_back({er.pointer, "a catcher needs 'Next': the state to go to"});
    if (!next) return;  // already reported; no target to resolve
    c.next_name = *next;
    t.catches.push_back(target_ref{er.at("Next"), c.next_name});
    s.catch_.push_back(std::move(c));
  });
}

// A top-level rule of a JSONata Choice: Condition, Next, and optionally Output, Assign, Comment.
bool parse_jsonata_rule(field_reader const& rr, choice_branch& b) {
  auto before = rr.out.size();
  for (auto const& kv : rr.object) {
    std::string_view key = kv.key();
    if (key == "Condition" || key == "Next" || key == "Output" || key == "Assign" || key == "Comment") continue;
    rr.error(key, fmt::format("'{}' is not allowed in a choice rule of a JSONata state: such a rule takes "
                              "'Condition' (a {{% %}} expression or a boolean), 'Next', 'Output' and 'Assign'",
                              key));
  }
  unsigned const bound = unsigned(states_field::input) | unsigned(states_field::context);
  if (auto const* c = rr.find("Condition")) {
    if (!c->is_bool() && !jsonata_template::is_expression(*c))
      rr.error("Condition", "'Condition' must be a {% %} expression or true or false");
    else if ((b.condition = jsonata_template::parse(*c, rr.at("Condition"), "Condition", rr.out)))
      check_states_reads(rr, "Condition", b.condition->reads(), bound);
  } else {
    rr.out.push_back({rr.pointer, "a choice rule of a JSONata state needs 'Condition'"});
  }
  if (auto const* o = rr.find("Output")) {
    b.output = jsonata_template::parse(*o, rr.at("Output"), "Output", rr.out);
    if (b.output) check_states_reads(rr, "Output", b.output->reads(), bound);
  }
  if (!rr.find("Next")) rr.out.push_back({rr.pointer, "a top-level choice rule needs Next"});
  else if (auto n = rr.string("Next"); n && n->empty()) rr.error("Next", "Next must be a non-empty string naming a state");
  return rr.out.size() == before;
}

void parse_choice(field_reader const& r, state& s, state_targets& t) {
  auto const* v = r.find("Choices");
  if (!v) {
    r.out.push_back({r.pointer, "a Choice state needs 'Choices': a non-empty array of rules"});
  } else if (auto const* a = v->if_array(); !a || a->empty()) {
    r.error("Choices", "'Choices' must be a non-empty array of rules");
  } else {
    for (std::size_t i = 0; i < a->size(); ++i) {
      std::string where = pointer_append(r.at("Choices"), i);
      auto const* ro = (*a)[i].if_object();
      if (!ro) {
        r.out.push_back({where, "a choice rule must be an object"});
        continue;
      }
      field_reader rr{*ro, where, r.out};
      choice_branch b;
      if (s.language == query_language::jsonata) {
        if (!parse_jsonata_rule(rr, b)) continue;
      } else {
        auto rule = choice_rule::parse((*a)[i], where, true, r.out);
        if (!rule) continue;
        b.rule = std::move(*rule);
      }
      b.assign = parse_assign(rr, s.language);
      if (b.assign) check_states_reads(rr, "Assign", b.assign->reads(), unsigned(states_field::input) |
                                                                           unsigned(states_field::context));
      auto next = rr.string("Next");
      t.choices.push_back(target_ref{pointer_append(where, "Next"), next.value_or("")});
      s.choices.push_back(std::move(b));
    }
    // A rule reading `$$` needs the context object kept up to date.
    if (json::serialize(*v).find("\"$$") != std::string::npos) s.uses_context = true;
  }
  if (auto d = r.string("Default")) t.default_next = target_ref{r.at("Default"), *d};
}

void parse_wait(field_reader const& r, state& s) {
  int given = 0;
  for (auto key : {"Seconds", "SecondsPath", "Timestamp", "TimestampPath"}) given += r.find(key) != nullptr;
  if (given != 1) {
    r.out.push_back({r.pointer, given == 0 ? "a Wait state needs one of 'Seconds', 'SecondsPath', 'Timestamp' or "
                                             "'TimestampPath'"
                                           : "a Wait state takes only one of 'Seconds', 'SecondsPath', "
                                             "'Timestamp' and 'TimestampPath'"});
  }
  bool jsonata = s.language == query_language::jsonata;
  if (!(jsonata && r.expression("Seconds"))) s.seconds = r.integer("Seconds", 0, max_wait_seconds);
  s.seconds_path = r.path_value("SecondsPath", true);
  s.timestamp_path = r.path_value("TimestampPath", true);
  if (jsonata && r.expression("Timestamp")) {
  } else if (auto ts = r.string("Timestamp")) {
    s.timestamp = sim::parse_iso8601(*ts);
    s.timestamp_text = *ts;
    if (!s.timestamp)
      r.error("Timestamp", fmt::format("'{}' is not an ISO-8601 date-time with a zone, such as "
                                       "'2016-03-14T01:59:00Z'",
                                       *ts));
  }
}

void parse_fail(field_reader const& r, state& s) {
  bool jsonata = s.language == query_language::jsonata;
  if (!(jsonata && r.expression("Error"))) s.error = r.string("Error");
  if (!(jsonata && r.expression("Cause"))) s.cause = r.string("Cause");
  // ErrorPath and CausePath take a reference path or an intrinsic function call.
  auto path_or_call = [&](char const* key, std::optional<path>& p, std::optional<intrinsic>& f) {
    auto const* v = r.find(key);
    if (v && v->is_string() && intrinsic::looks_like_call(v->get_string())) {
      std::string why;
      f = intrinsic::parse(v->get_string(), why);
      if (!f) r.error(key, fmt::format("invalid intrinsic function '{}': {}", std::string_view(v->get_string()), why));
    } else {
      p = r.path_value(key, true);
    }
  };
  path_or_call("ErrorPath", s.error_path, s.error_function);
  path_or_call("CausePath", s.cause_path, s.cause_function);
  if (r.find("Error") && r.find("ErrorPath"))
    r.error("ErrorPath", "a Fail state takes 'Error' or 'ErrorPath', not both");
  if (r.find("Cause") && r.find("CausePath"))
    r.error("CausePath", "a Fail state takes 'Cause' or 'CausePath', not both");
}

void parse_task(field_reader const& r, state& s) {
  if (auto res = r.string("Resource"))
    s.resource = *res;
  else if (!r.find("Resource"))
    r.out.push_back({r.pointer, "a Task state needs 'Resource': the ARN of what it calls"});
  bool jsonata = s.language == query_language::jsonata;
  if (!(jsonata && r.expression("TimeoutSeconds"))) s.timeout_seconds = r.integer("TimeoutSeconds", 1, max_timeout_seconds);
  s.timeout_seconds_path = r.path_value("TimeoutSecondsPath", true);
  s.waits_for_token = s.resource.ends_with(".waitForTaskToken");
  if (!(jsonata && r.expression("HeartbeatSeconds")))
    s.heartbeat_seconds = r.integer("HeartbeatSeconds", 1, max_timeout_seconds);
  s.heartbeat_seconds_path = r.path_value("HeartbeatSecondsPath", true);
  // Variables are not read here yet: refused rather than failing at run time.
  for (auto const* p : {&s.timeout_seconds_path, &s.heartbeat_seconds_path})
    if (*p && !(*p)->variable().empty())
      r.error(p == &s.timeout_seconds_path ? "TimeoutSecondsPath" : "HeartbeatSecondsPath",
              fmt::format("a variable ('{}') in TimeoutSecondsPath or HeartbeatSecondsPath is not supported yet; "
                          "use a path into the input",
                          (*p)->text()));
  if (r.find("TimeoutSeconds") && r.find("TimeoutSecondsPath"))
    r.error("TimeoutSecondsPath", "a Task takes 'TimeoutSeconds' or 'TimeoutSecondsPath', not both");
  if (r.find("HeartbeatSeconds") && r.find("HeartbeatSecondsPath"))
    r.error("HeartbeatSecondsPath", "a Task takes 'HeartbeatSeconds' or 'HeartbeatSecondsPath', not both");
  if (s.timeout_seconds && s.heartbeat_seconds && *s.heartbeat_seconds >= *s.timeout_seconds)
    r.error("HeartbeatSeconds", "'HeartbeatSeconds' must be smaller than 'TimeoutSeconds'");
}

void parse_parallel(field_reader const& r, state& s, bool jsonata_top) {
  auto const* v = r.find("Branches");
  auto const* a = v ? v->if_array() : nullptr;
  if (!a || a->empty()) {
    if (v) r.error("Branches", "'Branches' must be a non-empty array of state machines");
    else r.out.push_back({r.pointer, "a Parallel state needs 'Branches': a non-empty array of state machines"});
    return;
  }
  for (std::size_t i = 0; i < a->size(); ++i)
    if (auto m = parse_machine((*a)[i], pointer_append(r.at("Branches"), i), r.out, false, s.language, jsonata_top))
      s.branches.push_back(std::move(m));
}

void parse_map(field_reader const& r, state& s, bool jsonata_top) {
  bool jsonata = s.language == query_language::jsonata;
  bool express_children = false;
  char const* processor_key = r.find("ItemProcessor") ? "ItemProcessor" : "Iterator";
  if (r.find("ItemProcessor") && r.find("Iterator"))
    r.error("Iterator", "a Map state takes 'ItemProcessor' or the older 'Iterator', not both");
  if (r.find("ItemSelector") && r.find("Parameters"))
    r.error("Parameters", "a Map state takes 'ItemSelector' or the older 'Parameters', not both");
  if (auto const* p = r.find(processor_key)) {
    if (auto const* po = p->if_object()) {
      if (auto const* cfg = po->if_contains("ProcessorConfig")) {
        std::string where = pointer_append(r.at(processor_key), "ProcessorConfig");
        if (auto const* co = cfg->if_object()) {
          field_reader cr{*co, where, r.out};
          for (auto const& kv : *co)
            if (kv.key() != "Mode" && kv.key() != "ExecutionType")
              cr.error(kv.key(), fmt::format("unknown field '{}' in ProcessorConfig", std::string_view(kv.key())));
          if (auto mode = cr.string("Mode")) {
            if (*mode == "DISTRIBUTED") s.distributed = true;
            else if (*mode != "INLINE")
              cr.error("Mode", fmt::format("'Mode' must be INLINE or DISTRIBUTED, not '{}'", *mode));
          }
          auto type = cr.string("ExecutionType");
          express_children = type && *type == "EXPRESS";
          if (type && *type != "STANDARD" && *type != "EXPRESS")
            cr.error("ExecutionType", fmt::format("'ExecutionType' must be STANDARD or EXPRESS, not '{}'", *type));
        } else {
          r.out.push_back({where, "'ProcessorConfig' must be an object"});
        }
      }
      // ProcessorConfig is the Map's, not part of the item processor's machine.
      json::object machine = *po;
      machine.erase("ProcessorConfig");
      s.item_processor = parse_machine(machine, r.at(processor_key), r.out, false, s.language, jsonata_top);
    } else {
      r.error(processor_key, fmt::format("'{}' must be an object: a state machine", processor_key));
    }
  } else {
    r.out.push_back({r.pointer, "a Map state needs 'ItemProcessor': the state machine run for each item"});
  }
  s.items_path = r.path_value("ItemsPath", true);
  if (!(jsonata && r.expression("MaxConcurrency")))
    s.max_concurrency = r.integer("MaxConcurrency", 0, max_timeout_seconds).value_or(0);
  s.max_concurrency_path = r.path_value("MaxConcurrencyPath", true);
  if (!(jsonata && r.expression("ToleratedFailureCount")))
    s.tolerated_failure_count = r.integer("ToleratedFailureCount", 0, max_timeout_seconds);
  if (!(jsonata && r.expression("ToleratedFailurePercentage")))
    s.tolerated_failure_percentage = r.number("ToleratedFailurePercentage", 0, 100);
  s.tolerated_failure_count_path = r.path_value("ToleratedFailureCountPath", true);
  s.tolerated_failure_percentage_path = r.path_value("ToleratedFailurePercentagePath", true);
  s.label = r.string("Label").value_or("");
  parse_distributed_map(r, s, express_children);
}

}  // namespace

state_targets parse_state(json::object const& o, state& s, diagnostics& out, bool jsonata_top) {
  state_targets t;
  field_reader r{o, s.pointer, out};
  s.language = state_language(r, s.language, jsonata_top);
  bool const jsonata = s.language == query_language::jsonata;
  check_fields(r, s);
  parse_transition(r, s, t);
  bool ctx = false;
  bool flows = s.type != state_type::fail;
  bool has_result = s.type == state_type::task || s.type == state_type::parallel || s.type == state_type::map;
  if (flows && !jsonata) {
    s.input_path = r.path_field_value("InputPath", false);
    s.output_path = r.path_field_value("OutputPath", false);
    if (s.type == state_type::pass || has_result) {
      s.result_path = r.path_field_value("ResultPath", true);
      s.parameters =
          r.payload(s.type == state_type::map && r.find("ItemSelector") ? "ItemSelector" : "Parameters", ctx);
    }
    if (has_result) s.result_selector = r.payload("ResultSelector", ctx);
  }
  unsigned reads = 0;  // $states fields read by the state's JSONata fields
  if (jsonata) {
    auto f = std::make_shared<jsonata_fields>();
    parse_jsonata_fields(r, s, *f);
    for (auto const* x : {&f->arguments, &f->output, &f->items, &f->item_selector, &f->seconds, &f->timestamp,
                          &f->timeout_seconds, &f->heartbeat_seconds, &f->max_concurrency,
                          &f->tolerated_failure_count, &f->tolerated_failure_percentage, &f->error, &f->cause})
      if (*x) reads |= (*x)->reads();
    s.jsonata = std::move(f);
  }
  if (s.type != state_type::succeed && s.type != state_type::fail) {
    s.assign = parse_assign(r, s.language);
    if (s.assign) {
      unsigned bound = unsigned(states_field::input) | unsigned(states_field::context) |
                       (has_result ? unsigned(states_field::result) : 0u);
      check_states_reads(r, "Assign", s.assign->reads(), bound);
      reads |= s.assign->reads();
      ctx = ctx || s.assign->uses_context();
    }
  }
  if (has_result) parse_retry_catch(r, s, t);
  for (auto const* p : {&s.input_path, &s.output_path})
    if (p->selected && p->selected->is_context()) ctx = true;
  switch (s.type) {
    case state_type::pass:
      if (auto const* v = r.find("Result"); v && !jsonata) s.result = *v;
      break;
    case state_type::task: parse_task(r, s); break;
    case state_type::choice: parse_choice(r, s, t); break;
    case state_type::wait: parse_wait(r, s); break;
    case state_type::succeed: break;
    case state_type::fail: parse_fail(r, s); break;
    case state_type::parallel: parse_parallel(r, s, jsonata_top); break;
    case state_type::map: parse_map(r, s, jsonata_top); break;
  }
  for (auto const& c : s.catch_) {
    if (c.output) reads |= c.output->reads();
    if (c.assign) reads |= c.assign->reads(), ctx = ctx || c.assign->uses_context();
  }
  for (auto const& c : s.choices) {
    for (auto const* x : {&c.condition, &c.output})
      if (*x) reads |= (*x)->reads();
    if (c.assign) reads |= c.assign->reads(), ctx = ctx || c.assign->uses_context();
  }
  if (reads & unsigned(states_field::context)) ctx = true;
  for (auto const* p : {&s.seconds_path, &s.timestamp_path, &s.error_path, &s.cause_path, &s.items_path,
                        &s.timeout_seconds_path, &s.heartbeat_seconds_path, &s.max_concurrency_path})
    if (*p && (*p)->is_context()) ctx = true;
  for (auto const* f : {&s.error_function, &s.cause_function})
    if (*f && (*f)->text().find("$$") != std::string::npos) ctx = true;
  s.uses_context = s.uses_context || ctx;
  return t;
}

}  // namespace stepsim::asl::detail
