// Definition -> state_machine: the machine level (StartAt, States, transitions, reachability).
#include <stepsim/asl/parse.hpp>

#include "asl/parse_detail.hpp"

#include <stepsim/asl/json_text.hpp>

#include <boost/json.hpp>
#include <fmt/format.h>

#include <map>
#include <set>

namespace stepsim::asl {

char const* to_string(state_type t) noexcept {
  switch (t) {
    case state_type::pass: return "Pass";
    case state_type::task: return "Task";
    case state_type::choice: return "Choice";
    case state_type::wait: return "Wait";
    case state_type::succeed: return "Succeed";
    case state_type::fail: return "Fail";
    case state_type::parallel: return "Parallel";
    case state_type::map: return "Map";
  }
  return "?";
}

state_machine::state_machine(std::vector<state> states, state_index start, std::optional<std::int64_t> timeout_seconds,
                             std::string comment, boost::json::value definition)
    : states_(std::move(states)),
      start_(start),
      timeout_seconds_(timeout_seconds),
      comment_(std::move(comment)),
      definition_(std::move(definition)) {
  assigns_variables_ = detail::any_assignment(states_);
}

state_index state_machine::find(std::string_view name) const noexcept {
  for (std::size_t i = 0; i < states_.size(); ++i)
    if (states_[i].name == name) return static_cast<state_index>(i);
  return no_state;
}

namespace detail {

namespace {

std::optional<state_type> type_from(std::string_view t) {
  static std::map<std::string_view, state_type> const types{
      {"Pass", state_type::pass},         {"Task", state_type::task},         {"Choice", state_type::choice},
      {"Wait", state_type::wait},         {"Succeed", state_type::succeed},   {"Fail", state_type::fail},
      {"Parallel", state_type::parallel}, {"Map", state_type::map}};
  auto it = types.find(t);
  if (it == types.end()) return std::nullopt;
  return it->second;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] != b[j - 1])});
      diag = up;
    }
  }
  return row[b.size()];
}

std::string missing_state_message(std::string_view field, std::string const& name, std::vector<state> const& states) {
  std::string msg = fmt::format("{} names the state '{}', which is not defined in 'States'", field, name);
  std::string_view best;
  std::size_t best_d = 3;  // suggest only close names
  for (auto const& s : states) {
    auto d = edit_distance(name, s.name);
    if (d < best_d) best_d = d, best = s.name;
  }
  if (!best.empty()) msg += fmt::format(" (did you mean '{}'?)", best);
  return msg;
}

}  // namespace

std::shared_ptr<state_machine const> parse_machine(json::value const& v, std::string const& pointer,
                                                   diagnostics& out, bool top_level, query_language inherited,
                                                   bool jsonata_top) {
  auto before = out.size();
  auto const* o = v.if_object();
  if (!o) {
    out.push_back({pointer, "a state machine must be a JSON object with 'StartAt' and 'States'"});
    return nullptr;
  }
  field_reader r{*o, pointer, out};
  for (auto const& kv : *o) {
    std::string_view key = kv.key();
    static std::set<std::string_view> const machine_fields{"StartAt", "States", "Comment"};
    static std::set<std::string_view> const top_fields{"Version", "TimeoutSeconds", "QueryLanguage"};
    if (machine_fields.contains(key) || (top_level && top_fields.contains(key))) continue;
    if (key == "QueryLanguage")
      r.error(key, "'QueryLanguage' can only be set at the top level of a definition and on states");
    else
      r.error(key, fmt::format("unknown field '{}' in a state machine{}", key,
                               top_level ? "" : " (a Parallel branch or Map item processor)"));
  }
  if (top_level) {
    inherited = machine_language(r);
    jsonata_top = inherited == query_language::jsonata;
  }
  if (auto ver = r.string("Version"); ver && *ver != "1.0")
    r.error("Version", fmt::format("'Version' must be \"1.0\", not '{}'", *ver));
  auto timeout = r.integer("TimeoutSeconds", 1, 99999999);
  auto comment = r.string("Comment").value_or("");
  auto start_at = r.string("StartAt");
  if (!r.find("StartAt")) out.push_back({pointer, "'StartAt' is required: the name of the first state"});

  std::vector<state> states;
  std::vector<state_targets> targets;
  std::set<std::string, std::less<>> declared;  // every name in States, even of states that did not compile
  auto const* sv = r.find("States");
  if (!sv) {
    out.push_back({pointer, "'States' is required: an object mapping state names to states"});
  } else if (!sv->is_object() || sv->get_object().empty()) {
    r.error("States", "'States' must be a non-empty object mapping state names to states");
  } else {
    auto const& so = sv->get_object();
    states.reserve(so.size());
    for (auto const& kv : so) {
      declared.emplace(kv.key());
      std::string where = pointer_append(r.at("States"), kv.key());
      if (kv.key().size() > 80)
        out.push_back({where, "a state name must be at most 80 characters long"});
      auto const* stobj = kv.value().if_object();
      if (!stobj) {
        out.push_back({where, "a state must be a JSON object with a 'Type'"});
        continue;
      }
      field_reader sr{*stobj, where, out};
      auto type_text = sr.string("Type");
      if (!sr.find("Type")) {
        out.push_back({where, "a state needs 'Type': Pass, Task, Choice, Wait, Succeed, Fail, Parallel or Map"});
        continue;
      }
      if (!type_text) continue;
      auto type = type_from(*type_text);
      if (!type) {
        sr.error("Type", fmt::format("unknown state type '{}'; expected Pass, Task, Choice, Wait, Succeed, Fail, "
                                     "Parallel or Map",
                                     *type_text));
        continue;
      }
      state s;
      s.name = std::string(kv.key());
      s.type = *type;
      s.pointer = where;
      s.language = inherited;
      targets.push_back(parse_state(*stobj, s, out, jsonata_top));
      states.push_back(std::move(s));
    }
  }

  // Resolve names into indexes.
  auto resolve = [&](target_ref const& t, char const* field) {
    for (std::size_t i = 0; i < states.size(); ++i)
      if (states[i].name == t.name) return static_cast<state_index>(i);
    // A declared state that failed to compile has its own diagnostic already.
    if (!declared.contains(t.name)) out.push_back({t.pointer, missing_state_message(field, t.name, states)});
    return no_state;
  };
  state_index start = no_state;
  if (start_at && !states.empty()) start = resolve(target_ref{r.at("StartAt"), *start_at}, "StartAt");
  for (std::size_t i = 0; i < states.size(); ++i) {
    auto& s = states[i];
    auto const& t = targets[i];
    if (t.next) s.next = resolve(*t.next, "Next");
    if (t.default_next) s.default_next = resolve(*t.default_next, "Default");
    for (std::size_t c = 0; c < t.choices.size() && c < s.choices.size(); ++c)
      s.choices[c].next = resolve(t.choices[c], "Next");
    for (std::size_t c = 0; c < t.catches.size() && c < s.catch_.size(); ++c)
      s.catch_[c].next = resolve(t.catches[c], "Next");
  }

  // Every state must be reachable from StartAt, as AWS requires.
  if (start != no_state && out.size() == before) {
    std::vector<bool> seen(states.size());
    std::vector<state_index> todo{start};
    seen[start] = true;
    while (!todo.empty()) {
      auto const& s = states[todo.back()];
      todo.pop_back();
      auto visit = [&](state_index n) {
        if (n != no_state && !seen[n]) seen[n] = true, todo.push_back(n);
      };
      visit(s.next);
      visit(s.default_next);
      for (auto const& c : s.choices) visit(c.next);
      for (auto const& c : s.catch_) visit(c.next);
    }
    for (std::size_t i = 0; i < states.size(); ++i)
      if (!seen[i])
        out.push_back({states[i].pointer, fmt::format("the state '{}' cannot be reached from StartAt '{}'",
                                                      states[i].name, *start_at)});
  }

  if (out.size() != before) return nullptr;
  return std::make_shared<state_machine const>(std::move(states), start, timeout, std::move(comment), v);
}

}  // namespace detail

parse_result parse(boost::json::value const& definition) {
  parse_result r;
  r.machine = detail::parse_machine(definition, "", r.errors, true);
  return r;
}

parse_result parse(std::string_view text) {
  std::string error;
  auto v = parse_json(text, error);
  if (!v) {
    parse_result r;
    r.errors.push_back({"", "the definition is not valid JSON: " + error});
    return r;
  }
  return parse(*v);
}

parse_result parse(char const* text) { return parse(std::string_view(text)); }
parse_result parse(std::string const& text) { return parse(std::string_view(text)); }

definition_error::definition_error(diagnostics d)
    : std::invalid_argument([&] {
        std::string all;
        for (auto const& e : d) all += fmt::format("{}{}: {}", all.empty() ? "" : "\n", e.pointer.empty() ? "/" : e.pointer, e.message);
        return all;
      }()),
      errors_(std::move(d)) {}

std::shared_ptr<state_machine const> parse_or_throw(std::string_view text) {
  auto r = parse(text);
  if (!r.ok()) throw definition_error(std::move(r.errors));
  return r.machine;
}

}  // namespace stepsim::asl
