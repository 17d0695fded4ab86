// Definition -> state_machine: the machine level (StartAt, States, transitions, reachability).
#include <stepsim/asl/parse.hpp>

#include "asl/intrinsic_impl.hpp"
#include "asl/parse_detail.hpp"

#include <stepsim/asl/json_text.hpp>

#include <boost/json.hpp>
#include <fmt/format.h>

#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

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

/// Edit distance between `a` and `b` when it is at most `k`, else k + 1:
/// only the band |i - j| <= k is computed, and the walk stops as soon as no
/// cell of a row is within k. Each cell computed is taken from `budget`; with
/// the budget spent the answer is k + 1 (no suggestion).
std::size_t edit_distance_within(std::string_view a, std::string_view b, std::size_t k, std::size_t& budget) {
  auto const far = k + 1;
  if ((a.size() > b.size() ? a.size() - b.size() : b.size() - a.size()) > k) return far;
  std::vector<std::size_t> row(b.size() + 1, far);
  for (std::size_t j = 0; j <= std::min(k, b.size()); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t lo = i > k ? i - k : 1, hi = std::min(b.size(), i + k);
    if (budget < hi - lo + 2) return far;
    budget -= hi - lo + 2;
    std::size_t diag = row[lo - 1];
    row[lo - 1] = lo - 1 == 0 && i <= k ? i : far;
    std::size_t best = row[lo - 1];
    for (std::size_t j = lo; j <= hi; ++j) {
      std::size_t up = row[j];
      row[j] = std::min({far, up + 1, row[j - 1] + 1, diag + (a[i - 1] != b[j - 1])});
      diag = up;
      best = std::min(best, row[j]);
    }
    if (hi < b.size()) row[hi + 1] = far;
    if (best > k) return far;
  }
  return row[b.size()];
}

/// Cells of edit distance one definition may spend on "did you mean" hints:
/// a bound on the hints' time whatever the number and length of the names.
constexpr std::size_t hint_budget = 20'000'000;

std::string missing_state_message(std::string_view field, std::string const& name, std::vector<state> const& states,
                                  std::size_t& budget) {
  std::string msg = fmt::format("{} names the state '{}', which is not defined in 'States'", field, name);
  std::string_view best;
  std::size_t best_d = 3;  // suggest only close names
  for (auto const& s : states) {
    if (budget == 0) break;
    auto d = edit_distance_within(name, s.name, best_d - 1, budget);
    if (d < best_d) best_d = d, best = s.name;
    if (best_d == 1) break;  // the nearest a different name can be
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
  std::unordered_set<std::string_view> declared;  // every name in States, even of states that did not compile
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
  std::unordered_map<std::string_view, state_index> index;
  index.reserve(states.size());
  for (std::size_t i = 0; i < states.size(); ++i) index.emplace(states[i].name, static_cast<state_index>(i));
  std::size_t budget = hint_budget;
  auto resolve = [&](target_ref const& t, char const* field) {
    if (auto it = index.find(t.name); it != index.end()) return it->second;
    // A declared state that failed to compile has its own diagnostic already.
    if (!declared.contains(t.name)) out.push_back({t.pointer, missing_state_message(field, t.name, states, budget)});
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

namespace {

/// State names must be unique in the whole machine, branches and item
/// processors included, as AWS requires.
void unique_state_names(state_machine const& m, std::unordered_map<std::string_view, std::string_view>& seen,
                        diagnostics& out) {
  for (auto const& s : m.states()) {
    auto [it, fresh] = seen.emplace(s.name, s.pointer);
    if (!fresh)
      out.push_back({s.pointer, fmt::format("DUPLICATE_STATE_NAME: Duplicate State name: {} (also the name of the "
                                            "state at {}); state names must be unique in the whole state machine",
                                            s.name, it->second)});
    for (auto const& b : s.branches) unique_state_names(*b, seen, out);
    if (s.item_processor) unique_state_names(*s.item_processor, seen, out);
  }
}

}  // namespace

parse_result parse(boost::json::value const& definition) {
  parse_result r;
  r.machine = detail::parse_machine(definition, "", r.errors, true);
  if (r.machine) {
    std::unordered_map<std::string_view, std::string_view> seen;
    unique_state_names(*r.machine, seen, r.errors);
    detail::check_whole_machine(*r.machine, r.errors);
    if (!r.errors.empty()) r.machine = nullptr;
  }
  return r;
}

parse_result parse(std::string_view text) {
  parse_result r;
  // AWS counts the length as Java does, in UTF-16 code units.
  if (text.size() > max_definition_length && intrinsic_detail::java_length(text) > max_definition_length) {
    r.errors.push_back({"", fmt::format("the definition is longer than {} characters, the most AWS accepts: "
                                        "\"1 validation error detected: Value at 'definition' failed to satisfy "
                                        "constraint: Member must have length less than or equal to {}\"",
                                        max_definition_length, max_definition_length)});
    return r;
  }
  auto read = read_json(text, json_read_options{.find_duplicate_keys = true});
  if (!read.value) {
    r.errors.push_back({"", "the definition is not valid JSON: " + read.error});
    return r;
  }
  for (auto const& d : read.duplicates) {
    auto where = pointer_append(d.pointer, d.key);
    bool states = d.pointer.ends_with("/States");
    r.errors.push_back({where, states ? fmt::format("DUPLICATE_STATE_NAME: Duplicate State name: {} ({})", d.key,
                                                    to_string(d))
                                      : to_string(d) + "; a definition must not repeat a key"});
  }
  if (!r.errors.empty()) return r;
  return parse(*read.value);
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
