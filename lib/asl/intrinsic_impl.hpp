// Private to lib/asl/intrinsic*.cpp: the compiled form of an intrinsic call and
// what the function families share.
#pragma once

#include <array>
#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <stepsim/asl/intrinsic.hpp>
#include <stepsim/asl/path.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace stepsim::asl::intrinsic_detail {

namespace json = boost::json;

enum class function : std::uint8_t {
  format,
  string_to_json,
  json_to_string,
  array,
  array_partition,
  array_contains,
  array_range,
  array_get_item,
  array_length,
  array_unique,
  base64_encode,
  base64_decode,
  hash,
  json_merge,
  math_random,
  math_add,
  string_split,
  uuid,
};

/// "States.Format" etc.
std::string_view name_of(function f) noexcept;

/// A States.Format template split at its `{}` placeholders:
/// `segments.size() - 1` placeholders, `valid` false for a stray brace.
struct format_template {
  std::vector<std::string> segments;
  bool valid = true;
};
/// Splits a template whose escapes (\' \{ \} \\) are still in place.
format_template compile_template(std::string_view raw);

/// One argument (or the whole call): a literal, a path, or a nested call.
struct node {
  enum class kind : std::uint8_t { literal, path, call } k = kind::literal;
  json::value literal;                  // kind::literal
  std::optional<asl::path> p;           // kind::path
  function fn = function::array;        // kind::call
  std::vector<node> args;               // kind::call
  std::optional<format_template> tmpl;  // States.Format with a literal template
};

/// An evaluated argument: borrowed from the input or the definition when it can
/// be, owned when it had to be computed.
class arg {
 public:
  arg() = default;
  explicit arg(json::value const* p) noexcept : p_(p) {}
  explicit arg(json::value v) noexcept : owned_(std::move(v)) {}
  json::value const& get() const noexcept { return p_ ? *p_ : owned_; }
  json::value const* operator->() const noexcept { return &get(); }
  /// Moves out when owned, copies when borrowed.
  json::value take() { return p_ ? json::value(*p_) : std::move(owned_); }

 private:
  json::value const* p_ = nullptr;
  json::value owned_;
};

json::value evaluate(node const& n, eval_context const& ctx);
arg evaluate_arg(node const& n, eval_context const& ctx);

/// The run-time failure of an intrinsic whose arguments AWS rejects.
[[noreturn]] void fail(function f);

/// Numbers as AWS reads them: a JSON number truncated to an integer; nullopt
/// when not a number or outside the int64 range.
std::optional<std::int64_t> to_integer(json::value const& v) noexcept;
/// Length of a UTF-8 string in UTF-16 code units, as Java's String.length().
std::size_t java_length(std::string_view utf8) noexcept;
/// `v` as Java's toString prints the value AWS holds: strings bare, objects
/// `{k=v, k2=v2}`, arrays `[a, b]`, null `null`, doubles as Double.toString.
void append_java(std::string& out, json::value const& v);

// Families, one per file; each evaluates its own arguments.
json::value call_format(node const& c, eval_context const& ctx);
json::value call_array_family(node const& c, eval_context const& ctx);
json::value call_string_family(node const& c, eval_context const& ctx);
json::value call_json_family(node const& c, eval_context const& ctx);
json::value call_math_family(node const& c, eval_context const& ctx);
json::value call_hash(node const& c, eval_context const& ctx);

}  // namespace stepsim::asl::intrinsic_detail
