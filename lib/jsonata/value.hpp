// The values an evaluation works on: JSON values referenced in place in the
// input (never copied), values built during evaluation (shared, immutable once
// published), and functions. A `value` is 32 bytes and cheap to copy.
#pragma once

#include "jsonata/pool.hpp"

#include <stepsim/jsonata/expression.hpp>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/string.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace stepsim::jsonata::detail {

namespace json = boost::json;

enum class kind : std::uint8_t { undefined, null, boolean, number, string, array, object, function };

struct rep {
  virtual ~rep() = default;
};
struct string_rep;
struct array_rep;
struct object_rep;
struct function_rep;

class value {
 public:
  value() noexcept : k_(kind::undefined) {}
  static value null() noexcept { value v; v.k_ = kind::null; return v; }
  value(bool b) noexcept : k_(kind::boolean) { u_.b = b; }
  value(double d) noexcept : k_(kind::number) { u_.num = d; }
  value(int) = delete;
  /// A view of a JSON value that outlives the evaluation (input, bindings).
  static value ref(json::value const& j) noexcept;
  static value string(std::string s);
  static value string(std::string_view s) { return string(std::string(s)); }
  static value string(char const* s) { return string(std::string(s)); }
  static value of(std::shared_ptr<array_rep> a) noexcept;
  static value of(std::shared_ptr<object_rep> o) noexcept;
  static value of(std::shared_ptr<function_rep> f) noexcept;

  kind type() const noexcept { return k_; }
  bool undefined() const noexcept { return k_ == kind::undefined; }
  bool defined() const noexcept { return k_ != kind::undefined; }
  bool is_null() const noexcept { return k_ == kind::null; }
  bool is_bool() const noexcept { return k_ == kind::boolean; }
  bool is_number() const noexcept { return k_ == kind::number; }
  bool is_string() const noexcept { return k_ == kind::string; }
  bool is_array() const noexcept { return k_ == kind::array; }
  bool is_object() const noexcept { return k_ == kind::object; }
  bool is_function() const noexcept { return k_ == kind::function; }

  bool boolean() const noexcept { return u_.b; }
  double number() const noexcept { return u_.num; }
  std::string_view str() const noexcept;

  // Arrays (JSON or built).
  std::size_t size() const noexcept;
  value at(std::size_t i) const noexcept;
  /// The built array, or null when this is a JSON array or not an array.
  array_rep* arr() const noexcept;
  bool is_sequence() const noexcept;

  // Objects (JSON or built).
  std::size_t obj_size() const noexcept;
  std::string_view key_at(std::size_t i) const noexcept;
  value value_at(std::size_t i) const noexcept;
  value get(std::string_view key) const;
  object_rep* obj() const noexcept;

  function_rep* fn() const noexcept;
  json::value const* json_ref() const noexcept { return (k_ >= kind::string && !p_) ? u_.j : nullptr; }

  bool same(value const& o) const noexcept;  // identity of composite values

 private:
  kind k_;
  union {
    double num;
    bool b;
    json::value const* j;
  } u_{};
  std::shared_ptr<rep> p_;
};

struct string_rep : rep {
  std::string s;
  explicit string_rep(std::string x) : s(std::move(x)) {}
};

/// The items of a built array: their storage from the thread's pool too.
using value_list = std::vector<value, pool::allocator<value>>;

struct array_rep : rep {
  value_list items;
  bool sequence = false;
  bool keep_singleton = false;
  bool outer_wrapper = false;
  bool cons = false;
  bool tuple_stream = false;
};

struct object_rep : rep {
  std::vector<std::pair<std::string, value>, pool::allocator<std::pair<std::string, value>>> items;
  value const* find(std::string_view key) const noexcept;
  /// Sets `key`, keeping the position of an existing key (as JavaScript does).
  void set(std::string_view key, value v);
  /// Adds a key known to be new where JavaScript lists it: an array index
  /// ("0", "7", ...) among the leading indices in ascending order, any other
  /// key last.
  void add(std::string key, value v);
  bool erase(std::string_view key);
};

/// The member `key` of a JSON object, or null: a plain scan of the keys for
/// the small objects of typical inputs (cheaper than Boost.JSON's lookup),
/// its hashed lookup for large ones.
inline json::value const* find_member(json::object const& o, std::string_view key) noexcept {
  if (o.size() > 16) {
    auto it = o.find(key);
    return it == o.end() ? nullptr : &it->value();
  }
  for (auto const& kv : o) {
    auto k = kv.key();
    if (k.size() == key.size() && (key.empty() || (k[0] == key[0] && std::memcmp(k.data(), key.data(), key.size()) == 0)))
      return &kv.value();
  }
  return nullptr;
}

// The accessors, inline: the evaluator calls them on every step.

inline value value::ref(json::value const& j) noexcept {
  value v;
  switch (j.kind()) {
    case json::kind::null: v.k_ = kind::null; break;
    case json::kind::bool_: v.k_ = kind::boolean; v.u_.b = j.get_bool(); break;
    case json::kind::int64: v.k_ = kind::number; v.u_.num = static_cast<double>(j.get_int64()); break;
    case json::kind::uint64: v.k_ = kind::number; v.u_.num = static_cast<double>(j.get_uint64()); break;
    case json::kind::double_: v.k_ = kind::number; v.u_.num = j.get_double(); break;
    case json::kind::string: v.k_ = kind::string; v.u_.j = &j; break;
    case json::kind::array: v.k_ = kind::array; v.u_.j = &j; break;
    case json::kind::object: v.k_ = kind::object; v.u_.j = &j; break;
  }
  return v;
}

inline std::string_view value::str() const noexcept {
  // A caller that failed to check the type gets no text rather than a wild read
  // (the open fuzz finding in tests/fuzz/README.md).
  if (k_ != kind::string) return {};
  if (p_) return static_cast<string_rep const*>(p_.get())->s;
  auto const& s = u_.j->get_string();
  return {s.data(), s.size()};
}

inline std::size_t value::size() const noexcept {
  if (p_) return static_cast<array_rep const*>(p_.get())->items.size();
  return u_.j->get_array().size();
}

inline value value::at(std::size_t i) const noexcept {
  if (p_) return static_cast<array_rep const*>(p_.get())->items[i];
  return ref(u_.j->get_array()[i]);
}

inline array_rep* value::arr() const noexcept {
  return k_ == kind::array ? static_cast<array_rep*>(p_.get()) : nullptr;
}

inline bool value::is_sequence() const noexcept {
  auto* a = arr();
  return a && a->sequence;
}

inline std::size_t value::obj_size() const noexcept {
  if (p_) return static_cast<object_rep const*>(p_.get())->items.size();
  return u_.j->get_object().size();
}

inline std::string_view value::key_at(std::size_t i) const noexcept {
  if (p_) return static_cast<object_rep const*>(p_.get())->items[i].first;
  auto const& kv = u_.j->get_object().begin()[i];
  return kv.key();
}

inline value value::value_at(std::size_t i) const noexcept {
  if (p_) return static_cast<object_rep const*>(p_.get())->items[i].second;
  return ref(u_.j->get_object().begin()[i].value());
}

inline object_rep* value::obj() const noexcept {
  return k_ == kind::object ? static_cast<object_rep*>(p_.get()) : nullptr;
}

inline bool value::same(value const& o) const noexcept {
  if (k_ != o.k_) return false;
  if (p_ || o.p_) return p_ == o.p_;
  return u_.j == o.u_.j;
}

/// A canonical array index ("0" to "4294967294"): JavaScript lists such keys
/// of an object first, in ascending order, before the others in insertion order.
bool is_array_index(std::string_view key) noexcept;
/// `a` goes before `b` in JavaScript's property order (both keys of one object).
bool js_key_before(std::string_view a, std::string_view b) noexcept;

std::shared_ptr<array_rep> make_sequence();
std::shared_ptr<array_rep> make_array();
std::shared_ptr<object_rep> make_object();
/// A sequence of one item (an array item is kept whole).
value sequence_of(value v);

/// JavaScript `typeof`-like tests used across the evaluator.
bool is_integer(double d) noexcept;
/// An array whose items are all numbers.
bool is_array_of_numbers(value const& v);
bool is_array_of_strings(value const& v);

/// Deep equality as the reference's isDeepEqual (numbers by value).
bool deep_equal(value const& a, value const& b);

/// The output JSON of a value; functions become "" (as the reference serialises them);
/// undefined items of arrays are dropped, undefined members of objects omitted;
/// integral numbers below 2^53 are JSON integers, other numbers doubles.
json::value to_json(value const& v);
/// A deep copy into built values (for values that must be mutated: transform);
/// strings and scalars are shared, not copied.
value deep_copy(value const& v);
/// Built values from an owned JSON (e.g. `$parse`): copies it.
value from_owned_json(json::value const& j);

/// JavaScript's Number#toString (shortest round trip).
std::string js_number(double d);
/// JSON text of a value as the reference's `$string` (15 significant digits for
/// non-integers, functions as "", `indent` > 0 pretty-printed).
std::string stringify(value const& v, bool pretty);
/// JSON string literal.
void append_quoted(std::string& out, std::string_view s);

/// Number of Unicode code points of UTF-8 text.
std::size_t code_points(std::string_view s) noexcept;

}  // namespace stepsim::jsonata::detail
