// Evaluating a node tree: arguments, dispatch to the families, shared helpers.
#include <cmath>
#include <stepsim/asl/error.hpp>
#include <stepsim/asl/json_text.hpp>

#include "intrinsic_impl.hpp"

namespace stepsim::asl::intrinsic_detail {

// Real AWS reports bad intrinsic arguments as States.Runtime (not the
// documented States.IntrinsicFailure) with this cause; see tests/asl/intrinsic.cpp.
void fail(function f) { throw states_error("States.Runtime", "Invalid arguments in " + std::string(name_of(f))); }

arg evaluate_arg(node const& n, eval_context const& ctx) {
  switch (n.k) {
    case node::kind::literal:
      return arg(&n.literal);
    case node::kind::call:
      return arg(evaluate(n, ctx));
    case node::kind::path:
      break;
  }
  auto const& p = *n.p;
  if (p.is_definite()) {
    if (auto const* found = p.find_in(ctx.input, ctx.context, ctx.variables)) return arg(found);
  } else if (auto selected = p.select_in(ctx.input, ctx.context, ctx.variables)) {
    return arg(std::move(*selected));
  }
  throw states_error("States.Runtime", "The JsonPath argument for the field '" + p.text() +
                                           "' could not be found in the input '" + to_text(ctx.input) + "'");
}

json::value evaluate(node const& n, eval_context const& ctx) {
  if (n.k != node::kind::call) return evaluate_arg(n, ctx).take();
  switch (n.fn) {
    case function::format:
      return call_format(n, ctx);
    case function::array:
    case function::array_partition:
    case function::array_contains:
    case function::array_range:
    case function::array_get_item:
    case function::array_length:
    case function::array_unique:
      return call_array_family(n, ctx);
    case function::string_split:
    case function::base64_encode:
    case function::base64_decode:
      return call_string_family(n, ctx);
    case function::string_to_json:
    case function::json_to_string:
    case function::json_merge:
      return call_json_family(n, ctx);
    case function::math_random:
    case function::math_add:
    case function::uuid:
      return call_math_family(n, ctx);
    case function::hash:
      return call_hash(n, ctx);
  }
  fail(n.fn);
}

std::optional<std::int64_t> to_integer(json::value const& v) noexcept {
  if (auto const* i = v.if_int64()) return *i;
  if (auto const* u = v.if_uint64()) {
    if (*u <= static_cast<std::uint64_t>(INT64_MAX)) return static_cast<std::int64_t>(*u);
    return std::nullopt;
  }
  if (auto const* d = v.if_double()) {
    // Java's (long) cast truncates; 2^63 is the first double out of range.
    if (!std::isfinite(*d) || *d >= 9223372036854775808.0 || *d < -9223372036854775808.0) return std::nullopt;
    return static_cast<std::int64_t>(std::trunc(*d));
  }
  return std::nullopt;
}

std::size_t java_length(std::string_view utf8) noexcept {
  std::size_t n = 0;
  for (unsigned char c : utf8) {
    if ((c & 0xC0) != 0x80) ++n;  // a lead byte starts a code point
    if (c >= 0xF0) ++n;           // beyond the BMP: a surrogate pair
  }
  return n;
}

void append_java(std::string& out, json::value const& v) {
  switch (v.kind()) {
    case json::kind::string:
      out += v.get_string();
      return;
    case json::kind::double_:
      append_java_double(out, v.get_double());
      return;
    case json::kind::array: {
      out += '[';
      bool first = true;
      for (auto const& e : v.get_array()) {
        if (!first) out += ", ";
        first = false;
        append_java(out, e);
      }
      out += ']';
      return;
    }
    case json::kind::object: {
      out += '{';
      bool first = true;
      for (auto const& kv : v.get_object()) {
        if (!first) out += ", ";
        first = false;
        out += kv.key();
        out += '=';
        append_java(out, kv.value());
      }
      out += '}';
      return;
    }
    default:
      append_text(out, v);
  }
}

}  // namespace stepsim::asl::intrinsic_detail
