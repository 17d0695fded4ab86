// Assign: variable names checked, values compiled as a payload template (JSONPath) or JSONata templates.
#include <stepsim/asl/variables.hpp>

#include <stepsim/asl/json_text.hpp>
#include <stepsim/asl/payload_template.hpp>

#include <fmt/format.h>

namespace stepsim::asl {

namespace json = boost::json;

bool valid_variable_name(std::string_view name, std::string& why) {
  auto letter = [](unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80; };
  if (name.empty()) {
    why = "a variable name cannot be empty";
    return false;
  }
  if (name.size() > 80) {
    why = fmt::format("the variable name '{}' is longer than 80 characters", name);
    return false;
  }
  if (name == "states") {
    why = "'states' is reserved: $states holds the state's input, result, error output and context";
    return false;
  }
  if (!letter(static_cast<unsigned char>(name.front()))) {
    why = fmt::format("the variable name '{}' must start with a letter or '_'", name);
    return false;
  }
  for (char c : name) {
    auto u = static_cast<unsigned char>(c);
    if (!letter(u) && !(u >= '0' && u <= '9')) {
      why = fmt::format("the variable name '{}' may hold only letters, digits and '_', not '{}'", name, c);
      return false;
    }
  }
  return true;
}

struct assignment::impl {
  bool jsonata = false;
  std::vector<std::string> names;
  std::optional<payload_template> jsonpath;                             // JSONPath
  std::vector<std::pair<json::string, jsonata_template>> expressions;  // JSONata
  bool uses_context = false;
  unsigned reads = 0;
};

std::optional<assignment> assignment::parse(json::value const& v, std::string const& pointer, bool jsonata,
                                            diagnostics& out) {
  auto const* o = v.if_object();
  if (!o) {
    out.push_back({pointer, "'Assign' must be an object mapping variable names to values"});
    return std::nullopt;
  }
  auto before = out.size();
  auto p = std::make_shared<impl>();
  p->jsonata = jsonata;
  for (auto const& kv : *o) {
    std::string_view key = kv.key();
    std::string where = pointer_append(pointer, key);
    std::string_view name = key;
    if (key.ends_with(".$")) {
      if (jsonata) {
        out.push_back({where, fmt::format("'{}': keys ending in '.$' belong to JSONPath; in a JSONata state write "
                                          "the name alone with a \"{{% expression %}}\" value",
                                          key)});
        continue;
      }
      name = key.substr(0, key.size() - 2);
    }
    std::string why;
    if (!valid_variable_name(name, why)) {
      out.push_back({where, why});
      continue;
    }
    p->names.emplace_back(name);
    if (jsonata) {
      if (auto t = jsonata_template::parse(kv.value(), where, fmt::format("Assign/{}", name), out)) {
        p->reads |= t->reads();
        p->expressions.emplace_back(json::string(name), std::move(*t));
      }
    }
  }
  if (!jsonata) {
    // The whole object is a payload template; it reports `x` given with `x.$`.
    p->jsonpath = payload_template::parse(v, pointer, out);
    if (p->jsonpath) p->uses_context = p->jsonpath->uses_context();
  }
  if (out.size() != before) return std::nullopt;
  return assignment(std::move(p));
}

assignment::assignment(std::shared_ptr<impl const> p) noexcept : impl_(std::move(p)) {}
assignment::assignment(assignment const&) = default;
assignment::assignment(assignment&&) noexcept = default;
assignment& assignment::operator=(assignment const&) = default;
assignment& assignment::operator=(assignment&&) noexcept = default;
assignment::~assignment() = default;

bool assignment::jsonata() const noexcept { return impl_->jsonata; }
std::vector<std::string> const& assignment::names() const noexcept { return impl_->names; }
bool assignment::uses_context() const noexcept { return impl_->uses_context; }
unsigned assignment::reads() const noexcept { return impl_->reads; }

json::object assignment::evaluate(eval_context const& ctx) const {
  if (!impl_->jsonpath) throw std::logic_error("assignment::evaluate(eval_context) called on a JSONata Assign");
  auto v = impl_->jsonpath->evaluate(ctx);
  return std::move(v.as_object());
}

json::object assignment::evaluate(jsonata::environment const& env, json::value const* input) const {
  if (impl_->jsonpath) throw std::logic_error("assignment::evaluate(environment) called on a JSONPath Assign");
  json::object out;
  out.reserve(impl_->expressions.size());
  for (auto const& [name, t] : impl_->expressions) out.insert_or_assign(name, t.evaluate(env, input));
  return out;
}

void check_assigned_sizes(json::object const& values) {
  std::size_t total = 0;
  for (auto const& kv : values) {
    auto n = text_size(kv.value(), max_assign_bytes);
    if (n > max_variable_bytes)
      throw states_error("States.DataLimitExceeded",
                         fmt::format("The value assigned to the variable '{}' is larger than the limit of {} bytes.",
                                     std::string_view(kv.key()), max_variable_bytes));
    total += n;
  }
  if (total > max_assign_bytes)
    throw states_error("States.DataLimitExceeded",
                       fmt::format("The values assigned by the state total {} bytes, more than the limit of {} "
                                   "bytes for one Assign.",
                                   total, max_assign_bytes));
}

}  // namespace stepsim::asl
