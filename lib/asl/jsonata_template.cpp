// JSONata fields: `{% %}` strings compiled once, evaluated with AWS's error causes.
#include <stepsim/asl/jsonata_template.hpp>

#include <stepsim/asl/json_text.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include <variant>
#include <vector>

namespace stepsim::asl {

namespace json = boost::json;

namespace {

struct node;
using node_ptr = std::shared_ptr<node const>;

struct compiled {
  jsonata::expression expr;
  std::string field;  // "Output/total", as AWS quotes it
};

struct array_node {
  std::vector<node_ptr> elements;
};
struct object_node {
  std::vector<std::pair<json::string, node_ptr>> members;
};

struct node {
  std::variant<json::value, compiled, array_node, object_node> content;
};

std::string_view trim(std::string_view t) {
  while (!t.empty() && (t.front() == ' ' || t.front() == '\t' || t.front() == '\n' || t.front() == '\r'))
    t.remove_prefix(1);
  while (!t.empty() && (t.back() == ' ' || t.back() == '\t' || t.back() == '\n' || t.back() == '\r'))
    t.remove_suffix(1);
  return t;
}

// Which `$states.<field>` an expression's text reads. Text, not the tree: the
// tree is the jsonata component's; a mention in a string literal counts too,
// which errs on the side of binding. `$states` alone reads everything (and
// is marked `whole`).
unsigned reads_of(std::string_view text) {
  constexpr std::string_view var = "$states";
  auto is_word = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  };
  auto skip_blanks = [&](std::size_t i) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r')) ++i;
    return i;
  };
  unsigned bits = 0;
  for (std::size_t at = text.find(var); at != std::string_view::npos; at = text.find(var, at + 1)) {
    std::size_t i = at + var.size();
    if (i < text.size() && is_word(text[i])) continue;  // `$statesX`: another variable
    i = skip_blanks(i);
    if (i >= text.size() || text[i] != '.') {
      bits |= 31;
      continue;
    }
    i = skip_blanks(i + 1);
    std::size_t from = i;
    while (i < text.size() && is_word(text[i])) ++i;
    auto f = text.substr(from, i - from);
    bits |= f == "input"         ? unsigned(states_field::input)
            : f == "result"      ? unsigned(states_field::result)
            : f == "errorOutput" ? unsigned(states_field::error_output)
            : f == "context"     ? unsigned(states_field::context)
                                 : 0u;
  }
  return bits;
}

node_ptr compile(json::value const& v, std::string const& pointer, std::string const& field, diagnostics& out,
                 unsigned& reads, bool& literal_only) {
  auto n = std::make_shared<node>();
  if (jsonata_template::is_expression(v)) {
    std::string_view whole = v.get_string();
    std::string_view text = trim(whole.substr(2, whole.size() - 4));
    try {
      n->content = compiled{jsonata::expression::compile(text), field};
      reads |= reads_of(text);
      literal_only = false;
    } catch (jsonata::error const& e) {
      // Positions count from the expression's first character, as the jsonata error has it.
      out.push_back({pointer, fmt::format("invalid JSONata expression '{}': {} {} at position {}", text, e.code(),
                                          e.what(), e.position())});
    }
    return n;
  }
  if (auto const* a = v.if_array()) {
    array_node an;
    bool lit = true;
    for (std::size_t i = 0; i < a->size(); ++i)
      an.elements.push_back(compile((*a)[i], pointer_append(pointer, i), fmt::format("{}/{}", field, i), out, reads, lit));
    if (lit) n->content = v;
    else n->content = std::move(an), literal_only = false;
    return n;
  }
  if (auto const* o = v.if_object()) {
    object_node on;
    bool lit = true;
    for (auto const& kv : *o)
      on.members.emplace_back(kv.key(), compile(kv.value(), pointer_append(pointer, kv.key()),
                                                fmt::format("{}/{}", field, std::string_view(kv.key())), out, reads,
                                                lit));
    if (lit) n->content = v;
    else n->content = std::move(on), literal_only = false;
    return n;
  }
  n->content = v;
  return n;
}

// JSONata numbers are JavaScript's: 1 and 1.0 are one number, and Step
// Functions prints an integral one without a fraction. The engine may hand
// back doubles; integral ones (exactly representable, |d| < 2^53) become
// integers so that the state's output reads as AWS's does.
void integral_numbers(json::value& v) {
  switch (v.kind()) {
    case json::kind::double_: {
      double d = v.get_double();
      if (std::isfinite(d) && std::trunc(d) == d && std::abs(d) < 9007199254740992.0)
        v = static_cast<std::int64_t>(d);
      return;
    }
    case json::kind::array:
      for (auto& e : v.get_array())
        if (e.is_structured() || e.is_double()) integral_numbers(e);
      return;
    case json::kind::object:
      for (auto& kv : v.get_object())
        if (kv.value().is_structured() || kv.value().is_double()) integral_numbers(kv.value());
      return;
    default: return;
  }
}

// A value read in place (see find_in_place): moved out when it is one of
// `yours`, else copied; its integral numbers made integers.
json::value taken_in_place(json::value const* p, std::span<json::value* const> yours) {
  auto own = std::find(yours.begin(), yours.end(), p);
  json::value v = own != yours.end() ? std::move(**own) : json::value(*p);
  integral_numbers(v);
  return v;
}

json::value evaluate_node(node const& n, jsonata::environment const& env, json::value const* input,
                          std::span<json::value* const> yours = {}) {
  if (auto const* lit = std::get_if<json::value>(&n.content)) return *lit;
  if (auto const* c = std::get_if<compiled>(&n.content)) {
    // A plain path (`$states.input`, `$v.x`) read in place: no evaluation, and
    // a value the caller gives up is moved rather than copied.
    if (auto const* p = c->expr.find_in_place(input, env)) return taken_in_place(p, yours);
    std::optional<json::value> r;
    try {
      r = c->expr.evaluate(input, env);
    } catch (jsonata::error const& e) {
      throw states_error("States.QueryEvaluationError",
                         fmt::format("The JSONata expression '{}' specified for the field '{}' threw an error during "
                                     "evaluation. {}: {}",
                                     c->expr.text(), c->field, e.code(), e.what()));
    }
    if (!r)
      throw states_error("States.QueryEvaluationError",
                         fmt::format("The JSONata expression '{}' specified for the field '{}' returned nothing "
                                     "(undefined).",
                                     c->expr.text(), c->field));
    integral_numbers(*r);
    return std::move(*r);
  }
  if (auto const* an = std::get_if<array_node>(&n.content)) {
    json::array out;
    out.reserve(an->elements.size());
    for (auto const& e : an->elements) out.push_back(evaluate_node(*e, env, input));
    return out;
  }
  auto const& on = std::get<object_node>(n.content);
  json::object out;
  out.reserve(on.members.size());
  for (auto const& [k, e] : on.members) out.insert_or_assign(k, evaluate_node(*e, env, input));
  return out;
}

}  // namespace

struct jsonata_template::impl {
  node_ptr root;
  std::string field;
  std::string expression_text;
  unsigned reads = 0;
};

bool jsonata_template::is_expression(json::value const& v) noexcept {
  auto const* s = v.if_string();
  return s && s->size() >= 4 && s->starts_with("{%") && s->ends_with("%}");
}

std::optional<jsonata_template> jsonata_template::parse(json::value const& v, std::string const& pointer,
                                                        std::string field, diagnostics& out) {
  auto before = out.size();
  auto p = std::make_shared<impl>();
  bool literal_only = true;
  p->root = compile(v, pointer, field, out, p->reads, literal_only);
  if (out.size() != before) return std::nullopt;
  if (auto const* c = std::get_if<compiled>(&p->root->content)) p->expression_text = c->expr.text();
  p->field = std::move(field);
  return jsonata_template(std::move(p));
}

jsonata_template::jsonata_template(std::shared_ptr<impl const> p) noexcept : impl_(std::move(p)) {}
jsonata_template::jsonata_template(jsonata_template const&) = default;
jsonata_template::jsonata_template(jsonata_template&&) noexcept = default;
jsonata_template& jsonata_template::operator=(jsonata_template const&) = default;
jsonata_template& jsonata_template::operator=(jsonata_template&&) noexcept = default;
jsonata_template::~jsonata_template() = default;

std::string const& jsonata_template::field() const noexcept { return impl_->field; }
std::string const& jsonata_template::expression_text() const noexcept { return impl_->expression_text; }
unsigned jsonata_template::reads() const noexcept { return impl_->reads; }

json::value const* jsonata_template::literal() const noexcept {
  return std::get_if<json::value>(&impl_->root->content);
}

json::value jsonata_template::evaluate(jsonata::environment const& env, json::value const* input) const {
  return evaluate_node(*impl_->root, env, input);
}

json::value jsonata_template::evaluate(jsonata::environment const& env, json::value const* input,
                                       std::span<json::value* const> yours) const {
  return evaluate_node(*impl_->root, env, input, yours);
}

char const* jsonata_type_name(json::value const& v) noexcept {
  switch (v.kind()) {
    case json::kind::null: return "null";
    case json::kind::bool_: return "boolean";
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_: return "number";
    case json::kind::string: return "string";
    case json::kind::array: return "array";
    case json::kind::object: return "object";
  }
  return "value";
}

std::string unexpected_type_cause(jsonata_template const& t, std::string_view expected, json::value const& v) {
  auto const& text = t.expression_text();
  return fmt::format("The JSONata expression '{}' specified for the field '{}' returned an unexpected result type. "
                     "Expected '{}', but was '{}' for value: {}",
                     !text.empty() ? text : t.literal() ? to_text(*t.literal()) : to_text(v), t.field(), expected,
                     jsonata_type_name(v), to_text(v));
}

}  // namespace stepsim::asl
