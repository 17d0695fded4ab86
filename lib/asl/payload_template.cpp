#include <stepsim/asl/payload_template.hpp>

#include <stepsim/asl/json_text.hpp>
#include <stepsim/asl/path.hpp>

#include <boost/json.hpp>
#include <fmt/format.h>

#include <variant>
#include <vector>

namespace stepsim::asl {

namespace json = boost::json;

namespace {

struct node;

/// A member whose value is computed: key without ".$", and how.
struct dynamic_field {
  json::string key;
  std::string field_name;  // the key as written, with ".$", for error causes
  std::variant<path, intrinsic> source;
};

struct object_node {
  // Members in definition order; each either a literal subtree or computed.
  std::vector<std::variant<std::pair<json::string, std::shared_ptr<node const>>, dynamic_field>> members;
};

struct array_node {
  std::vector<std::shared_ptr<node const>> elements;
};

struct node {
  // A subtree without any ".$" member is kept as a literal and copied whole.
  std::variant<json::value, object_node, array_node> content;
};

bool has_dynamic(json::value const& v) {
  if (auto const* o = v.if_object()) {
    for (auto const& kv : *o)
      if (kv.key().ends_with(".$") || has_dynamic(kv.value())) return true;
  } else if (auto const* a = v.if_array()) {
    for (auto const& e : *a)
      if (has_dynamic(e)) return true;
  }
  return false;
}

std::shared_ptr<node const> compile(json::value const& v, std::string const& pointer, diagnostics& out,
                                    bool& uses_context) {
  auto n = std::make_shared<node>();
  if (!has_dynamic(v)) {
    n->content = v;
    return n;
  }
  if (auto const* a = v.if_array()) {
    array_node an;
    for (std::size_t i = 0; i < a->size(); ++i)
      an.elements.push_back(compile((*a)[i], pointer_append(pointer, i), out, uses_context));
    n->content = std::move(an);
    return n;
  }
  object_node on;
  auto const& o = v.get_object();
  for (auto const& kv : o) {
    std::string key(kv.key());
    std::string where = pointer_append(pointer, key);
    if (!key.ends_with(".$")) {
      on.members.emplace_back(std::pair{json::string(key), compile(kv.value(), where, out, uses_context)});
      continue;
    }
    std::string bare = key.substr(0, key.size() - 2);
    if (o.contains(bare)) {
      out.push_back({where, fmt::format("the field '{}' is also given as '{}'; keep one of them", key, bare)});
      continue;
    }
    auto const* text = kv.value().if_string();
    if (!text) {
      out.push_back({where, fmt::format("the value of '{}' must be a string holding a JSONPath or an intrinsic "
                                        "function call, because the key ends with '.$'",
                                        key)});
      continue;
    }
    std::string_view t(text->data(), text->size());
    std::string error;
    if (intrinsic::looks_like_call(t)) {
      if (auto f = intrinsic::parse(t, error)) {
        if (t.find("$$") != std::string_view::npos) uses_context = true;
        on.members.emplace_back(dynamic_field{json::string(bare), key, std::move(*f)});
      } else {
        out.push_back({where, fmt::format("invalid intrinsic function '{}': {}", t, error)});
      }
    } else if (auto p = path::parse(t, error)) {
      if (p->is_context()) uses_context = true;
      on.members.emplace_back(dynamic_field{json::string(bare), key, std::move(*p)});
    } else {
      out.push_back({where, fmt::format("the value of '{}' must be a JSONPath or an intrinsic function call: "
                                        "'{}' is neither ({})",
                                        key, t, error)});
    }
  }
  n->content = std::move(on);
  return n;
}

json::value evaluate_node(node const& n, eval_context const& ctx);

json::value evaluate_field(dynamic_field const& f, eval_context const& ctx) {
  if (auto const* f_call = std::get_if<intrinsic>(&f.source)) return f_call->evaluate(ctx);
  auto const& p = std::get<path>(f.source);
  if (p.is_definite()) {
    if (auto const* found = p.find_in(ctx.input, ctx.context, ctx.variables)) return *found;
  } else if (auto selected = p.select_in(ctx.input, ctx.context, ctx.variables)) {
    return std::move(*selected);
  }
  throw states_error("States.Runtime",
                     fmt::format("The JSONPath '{}' specified for the field '{}' could not be found in the input '{}'",
                                 p.text(), f.field_name, to_text(ctx.input)));
}

json::value evaluate_node(node const& n, eval_context const& ctx) {
  if (auto const* lit = std::get_if<json::value>(&n.content)) return *lit;
  if (auto const* an = std::get_if<array_node>(&n.content)) {
    json::array out;
    out.reserve(an->elements.size());
    for (auto const& e : an->elements) out.push_back(evaluate_node(*e, ctx));
    return out;
  }
  auto const& on = std::get<object_node>(n.content);
  json::object out;
  out.reserve(on.members.size());
  for (auto const& m : on.members) {
    if (auto const* lit = std::get_if<0>(&m))
      out.insert_or_assign(lit->first, evaluate_node(*lit->second, ctx));
    else {
      auto const& f = std::get<dynamic_field>(m);
      out.insert_or_assign(f.key, evaluate_field(f, ctx));
    }
  }
  return out;
}

}  // namespace

struct payload_template::impl {
  std::shared_ptr<node const> root;
  bool uses_context = false;
};

std::optional<payload_template> payload_template::parse(json::value const& v, std::string const& pointer,
                                                        diagnostics& out) {
  auto before = out.size();
  auto p = std::make_shared<impl>();
  p->root = compile(v, pointer, out, p->uses_context);
  if (out.size() != before) return std::nullopt;
  return payload_template(std::move(p));
}

payload_template::payload_template(std::shared_ptr<impl const> p) noexcept : impl_(std::move(p)) {}
payload_template::payload_template(payload_template const&) = default;
payload_template::payload_template(payload_template&&) noexcept = default;
payload_template& payload_template::operator=(payload_template const&) = default;
payload_template& payload_template::operator=(payload_template&&) noexcept = default;
payload_template::~payload_template() = default;

bool payload_template::uses_context() const noexcept { return impl_->uses_context; }

json::value const* payload_template::literal(std::string_view key) const noexcept {
  auto const& content = impl_->root->content;
  if (auto const* whole = std::get_if<json::value>(&content)) {
    auto const* o = whole->if_object();
    return o ? o->if_contains(key) : nullptr;
  }
  auto const* on = std::get_if<object_node>(&content);
  if (!on) return nullptr;
  for (auto const& m : on->members)
    if (auto const* lit = std::get_if<0>(&m); lit && lit->first == key)
      return std::get_if<json::value>(&lit->second->content);
  return nullptr;
}

json::value payload_template::evaluate(eval_context const& ctx) const { return evaluate_node(*impl_->root, ctx); }

}  // namespace stepsim::asl
