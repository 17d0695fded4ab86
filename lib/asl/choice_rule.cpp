#include <stepsim/asl/choice_rule.hpp>

#include "asl/choice_rule_impl.hpp"

#include <stepsim/asl/path.hpp>
#include <stepsim/sim/time.hpp>

#include <boost/json.hpp>
#include <fmt/format.h>

#include <array>
#include <vector>

namespace stepsim::asl {

namespace json = boost::json;

namespace {

enum class operand : std::uint8_t { string, numeric, boolean, timestamp, matches, type_test };
enum class relation : std::uint8_t { eq, lt, gt, le, ge };
enum class type_test : std::uint8_t { null, present, numeric, string, boolean, timestamp };

struct operator_info {
  std::string name;
  operand kind;
  relation rel = relation::eq;
  bool path = false;  // the ...Path form: the operand is a reference path
  type_test test = type_test::null;
};

std::vector<operator_info> const& operators() {
  static std::vector<operator_info> const table = [] {
    std::vector<operator_info> t;
    constexpr std::array<std::pair<char const*, relation>, 5> relations{{{"Equals", relation::eq},
                                                                         {"LessThan", relation::lt},
                                                                         {"GreaterThan", relation::gt},
                                                                         {"LessThanEquals", relation::le},
                                                                         {"GreaterThanEquals", relation::ge}}};
    for (auto [prefix, kind] : {std::pair{"String", operand::string}, std::pair{"Numeric", operand::numeric},
                                std::pair{"Timestamp", operand::timestamp}})
      for (auto [suffix, rel] : relations)
        for (bool path : {false, true})
          t.push_back({std::string(prefix) + suffix + (path ? "Path" : ""), kind, rel, path});
    t.push_back({"BooleanEquals", operand::boolean});
    t.push_back({"BooleanEqualsPath", operand::boolean, relation::eq, true});
    t.push_back({"StringMatches", operand::matches});
    for (auto [name, test] : {std::pair{"IsNull", type_test::null}, std::pair{"IsPresent", type_test::present},
                              std::pair{"IsNumeric", type_test::numeric}, std::pair{"IsString", type_test::string},
                              std::pair{"IsBoolean", type_test::boolean},
                              std::pair{"IsTimestamp", type_test::timestamp}})
      t.push_back({name, operand::type_test, relation::eq, false, test});
    return t;
  }();
  return table;
}

operator_info const* find_operator(std::string_view name) {
  for (auto const& op : operators())
    if (op.name == name) return &op;
  return nullptr;
}

bool is_combinator(std::string_view name) { return name == "And" || name == "Or" || name == "Not"; }

bool holds(relation rel, std::partial_ordering o) {
  switch (rel) {
    case relation::eq: return o == 0;
    case relation::lt: return o < 0;
    case relation::gt: return o > 0;
    case relation::le: return o <= 0;
    case relation::ge: return o >= 0;
  }
  return false;
}

bool is_timestamp(json::value const& v) { return v.is_string() && sim::parse_iso8601(v.get_string()).has_value(); }

}  // namespace

struct choice_rule::impl {
  enum class form : std::uint8_t { comparison, all_of, any_of, negation };
  form shape = form::comparison;
  std::string next;
  // comparison
  std::optional<path> variable;
  operator_info const* op = nullptr;
  std::optional<path> operand_path;
  json::value literal;  // the literal operand, or IsXxx's expected bool
  std::optional<sim::instant> timestamp;
  std::optional<detail::wildcard_pattern> pattern;
  // And / Or / Not
  std::vector<choice_rule> children;

  bool evaluate(json::value const& input, json::value const& context, json::object const* variables) const;
  bool compare(json::value const& var, json::value const& rhs) const;
};

namespace {

// Parses a Variable or ...Path field: a reference path, as AWS requires.
std::optional<path> parse_reference_path(json::value const& v, std::string const& where, std::string_view field,
                                         diagnostics& out) {
  if (!v.is_string()) {
    out.push_back({where, fmt::format("{} must be a string holding a path", field)});
    return std::nullopt;
  }
  std::string_view const text = v.get_string();
  if (!text.starts_with('$')) {
    out.push_back({where, fmt::format("{} must be a path starting with '$', not '{}'", field, text)});
    return std::nullopt;
  }
  std::string error;
  auto p = path::parse(text, error);
  if (!p) {
    out.push_back({where, fmt::format("{} is not a valid path '{}': {}", field, text, error)});
    return std::nullopt;
  }
  if (!p->is_definite()) {
    out.push_back({where, fmt::format("{} must be a reference path (names and single indexes only), not '{}'",
                                      field, text)});
    return std::nullopt;
  }
  return p;
}

// The operand of a literal comparison: checks its JSON type and precompiles
// what can be (timestamps, patterns). Returns false after a diagnostic.
bool parse_literal(operator_info const& op, json::value const& v, std::string const& where,
                   std::optional<sim::instant>& timestamp, std::optional<detail::wildcard_pattern>& pattern,
                   diagnostics& out) {
  switch (op.kind) {
    case operand::string:
      if (v.is_string()) return true;
      out.push_back({where, fmt::format("{} needs a string", op.name)});
      return false;
    case operand::numeric:
      if (v.is_number()) return true;
      out.push_back({where, fmt::format("{} needs a number", op.name)});
      return false;
    case operand::boolean:
    case operand::type_test:
      if (v.is_bool()) return true;
      out.push_back({where, fmt::format("{} needs true or false", op.name)});
      return false;
    case operand::timestamp:
      if (v.is_string() && (timestamp = sim::parse_iso8601(v.get_string()))) return true;
      out.push_back({where, fmt::format("{} needs an ISO-8601 timestamp string such as \"2016-03-14T01:59:00Z\"",
                                        op.name)});
      return false;
    case operand::matches: {
      if (!v.is_string()) {
        out.push_back({where, fmt::format("{} needs a string pattern", op.name)});
        return false;
      }
      std::string error;
      pattern = detail::wildcard_pattern::parse(v.get_string(), error);
      if (pattern) return true;
      out.push_back({where, fmt::format("{} pattern is invalid: {}", op.name, error)});
      return false;
    }
  }
  return false;
}

}  // namespace

std::optional<choice_rule> choice_rule::parse(json::value const& v, std::string const& pointer, bool top_level,
                                              diagnostics& out) {
  std::size_t const problems_before = out.size();
  json::object const* obj = v.if_object();
  if (!obj) {
    out.push_back({pointer, "a choice rule must be an object"});
    return std::nullopt;
  }
  auto r = std::make_shared<impl>();

  std::string chosen;  // the rule's operator (or And/Or/Not), first one found
  for (auto const& [key_sv, value] : *obj) {
    std::string_view const key = key_sv;
    std::string const where = pointer_append(pointer, key);
    if (key == "Comment") {
      if (!value.is_string()) out.push_back({where, "Comment must be a string"});
    } else if (key == "Next") {
      if (!top_level)
        out.push_back({where, "Next is only allowed in a top-level choice rule, not inside And, Or or Not"});
      else if (!value.is_string() || value.get_string().empty())
        out.push_back({where, "Next must be a non-empty string naming a state"});
      else
        r->next = value.get_string();
    } else if (key == "Variable") {
      r->variable = parse_reference_path(value, where, "Variable", out);
    } else if (find_operator(key) || is_combinator(key)) {
      if (!chosen.empty()) {
        out.push_back({where, fmt::format("a choice rule takes exactly one operator, but has both '{}' and '{}'",
                                          chosen, key)});
        continue;
      }
      chosen = key;
    } else if (key == "Assign" && top_level) {
      // Compiled by the Choice state's parser (asl::assignment), which knows the query language.
    } else if (key == "Assign") {
      out.push_back({where, "Assign is only allowed in a top-level choice rule, not inside And, Or or Not"});
    } else if (key == "Condition" || key == "Output") {
      out.push_back({where, fmt::format("'{}' is a field of JSONata choice rules; this state uses JSONPath (set "
                                        "\"QueryLanguage\": \"JSONata\" on the state or the machine to use it)",
                                        key)});
    } else {
      out.push_back({where, fmt::format("unknown field '{}' in a choice rule", key)});
    }
  }

  if (top_level && !obj->contains("Next")) out.push_back({pointer, "a top-level choice rule needs Next"});
  if (chosen.empty()) {
    out.push_back({pointer, "a choice rule needs one comparison operator (such as StringEquals or IsPresent) "
                            "or And, Or or Not"});
    return std::nullopt;
  }

  std::string const where = pointer_append(pointer, chosen);
  json::value const& operand_value = obj->at(chosen);
  if (is_combinator(chosen)) {
    if (obj->contains("Variable"))
      out.push_back({pointer_append(pointer, "Variable"), fmt::format("Variable is not allowed with {}", chosen)});
    if (chosen == "Not") {
      r->shape = impl::form::negation;
      if (!operand_value.is_object())
        out.push_back({where, "Not must be a single choice rule object"});
      else if (auto child = parse(operand_value, where, false, out))
        r->children.push_back(std::move(*child));
    } else {
      r->shape = chosen == "And" ? impl::form::all_of : impl::form::any_of;
      json::array const* rules = operand_value.if_array();
      if (!rules || rules->empty()) {
        out.push_back({where, fmt::format("{} must be a non-empty array of choice rules", chosen)});
      } else {
        for (std::size_t i = 0; i < rules->size(); ++i)
          if (auto child = parse((*rules)[i], pointer_append(where, i), false, out))
            r->children.push_back(std::move(*child));
      }
    }
  } else {
    r->op = find_operator(chosen);
    if (!obj->contains("Variable"))
      out.push_back({pointer, fmt::format("a choice rule with {} needs a Variable", chosen)});
    if (r->op->path)
      r->operand_path = parse_reference_path(operand_value, where, chosen, out);
    else if (parse_literal(*r->op, operand_value, where, r->timestamp, r->pattern, out))
      r->literal = operand_value;
  }

  if (out.size() != problems_before) return std::nullopt;
  return choice_rule(std::move(r));
}

namespace {

// AWS's States.Runtime cause when a Variable or ...Path operand matches nothing.
[[noreturn]] void throw_invalid_path(path const& p) {
  throw states_error("States.Runtime",
                     fmt::format("Invalid path '{}': The choice state's condition path references an invalid value.",
                                 p.text()));
}

json::value const* resolve(path const& p, json::value const& input, json::value const& context,
                           json::object const* variables) {
  return p.find_in(input, context, variables);
}

}  // namespace

bool choice_rule::impl::evaluate(json::value const& input, json::value const& context,
                                 json::object const* variables) const {
  switch (shape) {
    case form::all_of:
      for (auto const& c : children)
        if (!c.evaluate(input, context, variables)) return false;
      return true;
    case form::any_of:
      for (auto const& c : children)
        if (c.evaluate(input, context, variables)) return true;
      return false;
    case form::negation: return !children.front().evaluate(input, context, variables);
    case form::comparison: break;
  }
  json::value const* var = resolve(*variable, input, context, variables);
  if (op->kind == operand::type_test && op->test == type_test::present) return (var != nullptr) == literal.get_bool();
  if (!var) throw_invalid_path(*variable);
  if (op->kind == operand::type_test) {
    bool actual = false;
    switch (op->test) {
      case type_test::null: actual = var->is_null(); break;
      case type_test::numeric: actual = var->is_number(); break;
      case type_test::string: actual = var->is_string(); break;
      case type_test::boolean: actual = var->is_bool(); break;
      case type_test::timestamp: actual = is_timestamp(*var); break;
      case type_test::present: break;
    }
    return actual == literal.get_bool();
  }
  if (!operand_path) return compare(*var, literal);
  json::value const* rhs = resolve(*operand_path, input, context, variables);
  if (!rhs) throw_invalid_path(*operand_path);
  return compare(*var, *rhs);
}

// A type mismatch on either side is false, never an error: AWS treats it as
// "this rule does not match".
bool choice_rule::impl::compare(json::value const& var, json::value const& rhs) const {
  switch (op->kind) {
    case operand::string:
      return var.is_string() && rhs.is_string() &&
             holds(op->rel, detail::compare_utf16(var.get_string(), rhs.get_string()));
    case operand::numeric:
      return var.is_number() && rhs.is_number() && holds(op->rel, detail::compare_numbers(var, rhs));
    case operand::boolean: return var.is_bool() && rhs.is_bool() && var.get_bool() == rhs.get_bool();
    case operand::timestamp: {
      if (!var.is_string() || !rhs.is_string()) return false;
      auto const left = sim::parse_iso8601(var.get_string());
      auto const right = operand_path ? sim::parse_iso8601(rhs.get_string()) : timestamp;
      return left && right && holds(op->rel, *left <=> *right);
    }
    case operand::matches: return var.is_string() && pattern->matches(var.get_string());
    case operand::type_test: break;
  }
  return false;
}

choice_rule::choice_rule(std::shared_ptr<impl const> p) noexcept : impl_(std::move(p)) {}
choice_rule::choice_rule(choice_rule const&) = default;
choice_rule::choice_rule(choice_rule&&) noexcept = default;
choice_rule& choice_rule::operator=(choice_rule const&) = default;
choice_rule& choice_rule::operator=(choice_rule&&) noexcept = default;
choice_rule::~choice_rule() = default;

std::string const& choice_rule::next() const noexcept { return impl_->next; }

bool choice_rule::evaluate(json::value const& input, json::value const& context,
                           json::object const* variables) const {
  return impl_->evaluate(input, context, variables);
}

}  // namespace stepsim::asl
