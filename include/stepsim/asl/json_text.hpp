// stepsim::asl JSON text as Step Functions writes it.
#pragma once

#include <stepsim/json/number_text.hpp>

#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace stepsim::asl {

// The number printers live in stepsim/json/number_text.hpp.
using stepsim::json::append_java_double;
using stepsim::json::append_js_double;

/// Compact JSON text of `v` as Step Functions prints payloads: no spaces,
/// members in their order, integers as integers, and floating-point numbers
/// as Java's `Double.toString` prints them (`1.5`, `1.0`, `1.0E10`,
/// `1.234E-5`), where Boost.JSON alone would print `1.5E0`.
std::string to_text(boost::json::value const& v);

/// Appends the text of `v` to `out` (see `to_text`).
void append_text(std::string& out, boost::json::value const& v);

/// Compact JSON text of `v` as JavaScript's `JSON.stringify` writes it (the
/// JSONata reference's output): numbers as `append_js_double` prints them,
/// NaN and the infinities as `null`.
std::string to_js_text(boost::json::value const& v);

/// Appends the text of `v` to `out` (see `to_js_text`).
void append_js_text(std::string& out, boost::json::value const& v);

/// Size in bytes of `to_text(v)`, computed without building the text; stops
/// counting once it passes `stop_after` (the result is then > stop_after).
std::size_t text_size(boost::json::value const& v, std::size_t stop_after = SIZE_MAX);

/// Deepest nesting of arrays and objects accepted in definitions and inputs.
inline constexpr std::size_t max_json_depth = 1000;

/// Parses JSON text (one value, surrounding whitespace allowed, nesting up to
/// `max_json_depth`). On failure returns nullopt and sets `error` to what
/// and where, e.g. "syntax error at line 3, column 14".
std::optional<boost::json::value> parse_json(std::string_view text, std::string& error);

}  // namespace stepsim::asl
