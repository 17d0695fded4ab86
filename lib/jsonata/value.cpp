#include "jsonata/value.hpp"

#include "jsonata/failure.hpp"

#include <stepsim/json/parse.hpp>
#include <stepsim/json/number_text.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace stepsim::jsonata::detail {

value value::string(std::string s) {
  value v;
  v.k_ = kind::string;
  v.p_ = make_pooled<string_rep>(std::move(s));
  return v;
}

value value::of(std::shared_ptr<array_rep> a) noexcept {
  value v;
  v.k_ = kind::array;
  v.p_ = std::move(a);
  return v;
}

value value::of(std::shared_ptr<object_rep> o) noexcept {
  value v;
  v.k_ = kind::object;
  v.p_ = std::move(o);
  return v;
}

value value::get(std::string_view key) const {
  if (p_) {
    auto const* f = static_cast<object_rep const*>(p_.get())->find(key);
    return f ? *f : value{};
  }
  auto const* m = find_member(u_.j->get_object(), key);
  return m ? ref(*m) : value{};
}

value const* object_rep::find(std::string_view key) const noexcept {
  for (auto const& kv : items)
    if (kv.first == key) return &kv.second;
  return nullptr;
}

bool is_array_index(std::string_view k) noexcept {
  if (k.empty() || k.size() > 10 || (k.size() > 1 && k[0] == '0')) return false;
  std::uint64_t n = 0;
  for (char c : k) {
    if (c < '0' || c > '9') return false;
    n = n * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return n < 4294967295u;
}

bool js_key_before(std::string_view a, std::string_view b) noexcept {
  bool ai = is_array_index(a), bi = is_array_index(b);
  if (ai != bi) return ai;
  if (!ai) return false;
  return a.size() != b.size() ? a.size() < b.size() : a < b;
}

void object_rep::set(std::string_view key, value v) {
  for (auto& kv : items)
    if (kv.first == key) {
      kv.second = std::move(v);
      return;
    }
  add(std::string(key), std::move(v));
}

void object_rep::add(std::string key, value v) {
  if (!is_array_index(key)) {
    items.emplace_back(std::move(key), std::move(v));
    return;
  }
  auto at = items.begin();
  while (at != items.end() && js_key_before(at->first, key)) ++at;
  items.emplace(at, std::move(key), std::move(v));
}

bool object_rep::erase(std::string_view key) {
  auto it = std::find_if(items.begin(), items.end(), [&](auto const& kv) { return kv.first == key; });
  if (it == items.end()) return false;
  items.erase(it);
  return true;
}

std::shared_ptr<array_rep> make_sequence() {
  auto a = make_pooled<array_rep>();
  a->sequence = true;
  return a;
}
std::shared_ptr<array_rep> make_array() { return make_pooled<array_rep>(); }
std::shared_ptr<object_rep> make_object() { return make_pooled<object_rep>(); }

value sequence_of(value v) {
  auto s = make_sequence();
  s->items.push_back(std::move(v));
  return value::of(std::move(s));
}

bool is_integer(double d) noexcept { return std::isfinite(d) && std::floor(d) == d; }

bool is_array_of_numbers(value const& v) {
  if (!v.is_array()) return false;
  for (std::size_t i = 0, n = v.size(); i < n; ++i)
    if (!v.at(i).is_number()) return false;
  return true;
}

bool is_array_of_strings(value const& v) {
  if (!v.is_array()) return false;
  for (std::size_t i = 0, n = v.size(); i < n; ++i)
    if (!v.at(i).is_string()) return false;
  return true;
}

bool deep_equal(value const& a, value const& b) {
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case kind::undefined:
    case kind::null: return true;
    case kind::boolean: return a.boolean() == b.boolean();
    case kind::number: return a.number() == b.number();
    case kind::string: return a.str() == b.str();
    case kind::function: return a.same(b);
    case kind::array: {
      if (a.same(b)) return true;
      std::size_t n = a.size();
      if (n != b.size()) return false;
      for (std::size_t i = 0; i < n; ++i)
        if (!deep_equal(a.at(i), b.at(i))) return false;
      return true;
    }
    case kind::object: {
      if (a.same(b)) return true;
      std::size_t n = a.obj_size();
      if (n != b.obj_size()) return false;
      for (std::size_t i = 0; i < n; ++i) {
        value other = b.get(a.key_at(i));
        if (other.undefined() || !deep_equal(a.value_at(i), other)) return false;
      }
      return true;
    }
  }
  return false;
}

namespace {

// `item`'s JSON made in place in its container: `emplace(x)` constructs the
// JSON value from x where it is stored (a JSON value or text copied straight
// in, without a temporary to move).
template <class Emplace>
void emplace_json(value const& item, Emplace&& emplace) {
  if (item.is_string()) emplace(item.str());  // text copied straight in (cheaper than a JSON copy)
  else if (auto const* j = item.json_ref()) emplace(*j);
  else emplace(to_json(item));
}

}  // namespace

json::value to_json(value const& v) {
  if (auto const* j = v.json_ref()) return *j;
  switch (v.type()) {
    case kind::undefined:
    case kind::null: return nullptr;
    case kind::boolean: return v.boolean();
    case kind::number: {
      // integral numbers as JSON integers (JavaScript prints them without a fraction)
      double d = v.number();
      // NaN and the infinities (e.g. $parseInteger of text it cannot read) leave
      // as null, as JSON.stringify writes them: a result is always JSON.
      if (!std::isfinite(d)) return nullptr;
      if (is_integer(d) && std::fabs(d) < 9007199254740992.0) return static_cast<std::int64_t>(d);
      return d;
    }
    case kind::string: return json::string(v.str());
    case kind::function: return json::string();
    case kind::array: {
      json::array a;
      a.reserve(v.size());
      for (std::size_t i = 0, n = v.size(); i < n; ++i) {
        value item = v.at(i);
        if (item.defined()) emplace_json(item, [&](auto&& x) { a.emplace_back(std::forward<decltype(x)>(x)); });
      }
      return a;
    }
    case kind::object: {
      json::object o;
      o.reserve(v.obj_size());
      for (std::size_t i = 0, n = v.obj_size(); i < n; ++i) {
        value item = v.value_at(i);
        // a function member is left out, as JSON.stringify leaves it out
        // (a regex match object's next())
        if (item.defined() && !item.is_function())
          emplace_json(item, [&](auto&& x) { o.insert_or_assign(v.key_at(i), std::forward<decltype(x)>(x)); });
      }
      return o;
    }
  }
  return nullptr;
}

value deep_copy(value const& v) {
  switch (v.type()) {
    case kind::array: {
      auto a = make_array();
      a->items.reserve(v.size());
      for (std::size_t i = 0, n = v.size(); i < n; ++i) a->items.push_back(deep_copy(v.at(i)));
      return value::of(std::move(a));
    }
    case kind::object: {
      auto o = make_object();
      o->items.reserve(v.obj_size());
      for (std::size_t i = 0, n = v.obj_size(); i < n; ++i)
        o->items.emplace_back(std::string(v.key_at(i)), deep_copy(v.value_at(i)));
      return value::of(std::move(o));
    }
    default: return v;  // scalars, and strings, which are immutable (a JSON one stays a view of the input)
  }
}

value from_owned_json(json::value const& j) {
  switch (j.kind()) {
    case json::kind::string: return value::string(std::string_view(j.get_string()));
    case json::kind::array: {
      auto a = make_array();
      for (auto const& x : j.get_array()) a->items.push_back(from_owned_json(x));
      return value::of(std::move(a));
    }
    case json::kind::object: {
      auto o = make_object();
      for (auto const& kv : j.get_object()) o->set(kv.key(), from_owned_json(kv.value()));
      return value::of(std::move(o));
    }
    default: return value::ref(j);  // scalars are held inline
  }
}

std::string js_number(double d) {
  std::string out;
  stepsim::json::append_js_double(out, d);
  return out;
}

void append_quoted(std::string& out, std::string_view s) {
  out += '"';
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char b[8];
          std::snprintf(b, sizeof b, "\\u%04x", c);
          out += b;
        } else {
          out += ch;
        }
    }
  }
  out += '"';
}

namespace {

void stringify_to(std::string& out, value const& v, bool pretty, int level) {
  auto newline = [&](int l) {
    out += '\n';
    out.append(static_cast<std::size_t>(l * 2), ' ');
  };
  switch (v.type()) {
    case kind::undefined:
    case kind::null: out += "null"; return;
    case kind::boolean: out += v.boolean() ? "true" : "false"; return;
    case kind::number: {
      double d = v.number();
      if (!std::isfinite(d)) {
        if (std::isnan(d)) {
          out += "null";
          return;
        }
        throw failure("D1001").with(v);
      }
      if (!is_integer(d)) {
        // 15 significant digits, as JavaScript's toPrecision(15) (to_chars and read_decimal: no locale).
        char buf[40];
        auto end = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific, 14).ptr;
        d = stepsim::json::read_decimal(std::string_view(buf, std::size_t(end - buf))).value_or(d);
      }
      out += js_number(d);
      return;
    }
    case kind::string: append_quoted(out, v.str()); return;
    case kind::function: out += "\"\""; return;
    case kind::array: {
      std::size_t n = v.size();
      out += '[';
      for (std::size_t i = 0; i < n; ++i) {
        if (i) out += ',';
        if (pretty) newline(level + 1);
        stringify_to(out, v.at(i), pretty, level + 1);
      }
      if (pretty && n) newline(level);
      out += ']';
      return;
    }
    case kind::object: {
      std::size_t n = v.obj_size();
      bool first = true;
      out += '{';
      for (std::size_t i = 0; i < n; ++i) {
        value item = v.value_at(i);
        if (item.undefined()) continue;
        if (!first) out += ',';
        first = false;
        if (pretty) newline(level + 1);
        append_quoted(out, v.key_at(i));
        out += pretty ? ": " : ":";
        stringify_to(out, item, pretty, level + 1);
      }
      if (pretty && !first) newline(level);
      out += '}';
      return;
    }
  }
}

}  // namespace

std::string stringify(value const& v, bool pretty) {
  std::string out;
  stringify_to(out, v, pretty, 0);
  return out;
}

std::size_t code_points(std::string_view s) noexcept {
  std::size_t n = 0;
  for (char c : s)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  return n;
}

}  // namespace stepsim::jsonata::detail
