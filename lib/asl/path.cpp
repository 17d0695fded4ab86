#include <stepsim/asl/path.hpp>

#include "path_impl.hpp"

#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <span>
#include <stdexcept>

namespace stepsim::asl {
namespace json = boost::json;
using detail::step_kind;

std::optional<path> path::parse(std::string_view text, std::string& error) {
  auto p = std::make_shared<impl>();
  p->text = std::string(text);
  if (!detail::parse_path(text, p->steps, p->context, p->variable, error)) return std::nullopt;
  p->definite = detail::all_definite(p->steps);
  return path{std::move(p)};
}

path path::parse(std::string_view text) {
  std::string error;
  auto p = parse(text, error);
  if (!p) throw std::invalid_argument(error);
  return std::move(*p);
}

path::path(std::shared_ptr<impl const> p) noexcept : impl_(std::move(p)) {}
path::path(path const&) = default;
path::path(path&&) noexcept = default;
path& path::operator=(path const&) = default;
path& path::operator=(path&&) noexcept = default;
path::~path() = default;

std::string const& path::text() const noexcept { return impl_->text; }
bool path::is_context() const noexcept { return impl_->context; }
bool path::is_root() const noexcept { return impl_->steps.empty() && impl_->variable.empty(); }
std::string const& path::variable() const noexcept { return impl_->variable; }

json::value const* path::root_in(json::value const& input, json::value const& context,
                                 json::object const* variables) const noexcept {
  if (impl_->context) return &context;
  if (impl_->variable.empty()) return &input;
  return variables ? variables->if_contains(impl_->variable) : nullptr;
}

json::value const* path::find_in(json::value const& input, json::value const& context,
                                 json::object const* variables) const noexcept {
  auto const* root = root_in(input, context, variables);
  return root ? find(*root) : nullptr;
}

std::optional<json::value> path::select_in(json::value const& input, json::value const& context,
                                           json::object const* variables) const {
  auto const* root = root_in(input, context, variables);
  if (!root) return std::nullopt;
  return select(*root);
}
bool path::is_definite() const noexcept { return impl_->definite; }
bool path::is_reference() const noexcept {
  return std::all_of(impl_->steps.begin(), impl_->steps.end(),
                     [](detail::step const& s) { return s.kind == step_kind::name || s.kind == step_kind::index; });
}

std::string path::canonical() const {
  std::string out = "$";
  out += impl_->variable;
  auto it = std::back_inserter(out);
  for (auto const& s : impl_->steps) {
    switch (s.kind) {
      case step_kind::name: fmt::format_to(it, "['{}']", s.name); break;
      case step_kind::index: fmt::format_to(it, "[{}]", s.index); break;
      case step_kind::from_end: fmt::format_to(it, "[(@.length-{})]", s.index); break;
      case step_kind::wildcard: out += "[*]"; break;
      case step_kind::names: fmt::format_to(it, "['{}']", fmt::join(s.names, "','")); break;
      case step_kind::indexes: fmt::format_to(it, "[{}]", fmt::join(s.indexes, ",")); break;
      case step_kind::filter: out += "[?]"; break;
      case step_kind::descend: out += ".."; break;
      case step_kind::slice:
        out += '[';
        if (s.start) fmt::format_to(it, "{}", *s.start);
        out += ':';
        if (s.end) fmt::format_to(it, "{}", *s.end);
        if (s.stride != 1) fmt::format_to(it, ":{}", s.stride);
        out += ']';
        break;
    }
  }
  return out;
}

json::value const* path::find(json::value const& root) const noexcept {
  return impl_->definite ? detail::find_definite(impl_->steps, root) : nullptr;
}

namespace {

// Jayway's leaf multi-name bracket: one object of the names `o` has, in the bracket's order.
json::object merge(json::object const& o, std::vector<std::string> const& names) {
  json::object out;
  for (auto const& n : names)
    if (auto const* m = o.if_contains(n)) out[n] = *m;
  return out;
}

bool has_all(json::object const& o, std::vector<std::string> const& names) {
  return std::all_of(names.begin(), names.end(), [&](std::string const& n) { return o.contains(n); });
}

}  // namespace

std::optional<json::value> path::select(json::value const& root) const {
  auto const& steps = impl_->steps;
  if (impl_->definite) {
    if (auto const* v = detail::find_definite(steps, root)) return *v;
    return std::nullopt;
  }
  if (detail::ends_in_merge(steps)) {
    auto prefix = std::span(steps).first(steps.size() - 1);
    auto const& names = steps.back().names;
    if (detail::all_definite(prefix)) {
      auto const* v = detail::find_definite(prefix, root);
      if (!v || !v->is_object()) return std::nullopt;
      return json::value(merge(v->get_object(), names));
    }
    // After `..` only the objects holding every name take part, as in Jayway's deep scan.
    bool scan = prefix.back().kind == step_kind::descend;
    json::array out;
    for (auto const* v : detail::select_all(prefix, root))
      if (auto const* o = v->if_object(); o && (!scan || has_all(*o, names))) out.push_back(merge(*o, names));
    return json::value(std::move(out));
  }
  json::array out;
  for (auto const* v : detail::select_all(steps, root)) out.push_back(*v);
  return json::value(std::move(out));
}

bool path::assign(json::value& root, json::value v, std::string& error) const {
  auto const& steps = impl_->steps;
  if (!is_reference() || impl_->context) {
    error = fmt::format("ResultPath '{}' must be a reference path into the state input", impl_->text);
    return false;
  }
  // Check the whole walk before changing anything, so a failure leaves `root` as it was.
  json::value const* at = &root;
  for (auto const& s : steps) {
    bool ok;
    if (!at) {
      ok = s.kind == step_kind::name;  // below a missing member: only objects can be made
    } else if (s.kind == step_kind::name) {
      ok = at->is_object();
      at = ok ? at->get_object().if_contains(s.name) : nullptr;
    } else {
      at = detail::find_definite({&s, 1}, *at);
      ok = at != nullptr;
    }
    if (!ok) {
      error = fmt::format("Unable to apply ReferencePath {} to input {}", impl_->text, json::serialize(root));
      return false;
    }
  }
  json::value* cur = &root;
  for (auto const& s : steps) {
    if (s.kind == step_kind::name) {
      auto& o = cur->as_object();
      auto found = o.find(s.name);
      cur = found != o.end() ? &found->value() : &o.emplace(s.name, json::object(o.storage())).first->value();
    } else {
      cur = &cur->as_array()[static_cast<std::size_t>(s.index)];  // checked above: in range, not negative
    }
  }
  *cur = std::move(v);
  return true;
}

}  // namespace stepsim::asl
