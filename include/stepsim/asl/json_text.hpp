// stepsim::asl JSON text as Step Functions writes it.
#pragma once

#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace stepsim::asl {

/// Compact JSON text of `v` as Step Functions prints payloads: no spaces,
/// members in their order, integers as integers, and floating-point numbers
/// as Java's `Double.toString` prints them (`1.5`, `1.0`, `1.0E10`,
/// `1.234E-5`), where Boost.JSON alone would print `1.5E0`.
std::string to_text(boost::json::value const& v);

/// Appends the text of `v` to `out` (see `to_text`).
void append_text(std::string& out, boost::json::value const& v);

/// Appends `d` as Java's `Double.toString` prints it: shortest digits that
/// round-trip; plain notation with at least one fraction digit for
/// 1e-3 <= |d| < 1e7, else `d.dddE[-]n`; `NaN`, `Infinity`, `-Infinity`.
void append_java_double(std::string& out, double d);

/// Compact JSON text of `v` as JavaScript's `JSON.stringify` writes it (the
/// JSONata reference's output): numbers as `append_js_double` prints them,
/// NaN and the infinities as `null`.
std::string to_js_text(boost::json::value const& v);

/// Appends the text of `v` to `out` (see `to_js_text`).
void append_js_text(std::string& out, boost::json::value const& v);

/// Appends `d` as JavaScript's `String(d)` / `JSON.stringify` prints it:
/// shortest digits that round-trip; integers up to 1e21 without a fraction
/// (`1`, `100`), plain notation for 1e-6 <= |d| < 1e21 (`0.000001`, `1.5`),
/// else `de[+-]n` (`1e+21`, `1.5e-7`); `-0` as `0`; `NaN`, `Infinity`,
/// `-Infinity`.
void append_js_double(std::string& out, double d);

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
