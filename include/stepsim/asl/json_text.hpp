// stepsim::asl JSON text as Step Functions writes it.
#pragma once

#include <stepsim/json/number_text.hpp>

#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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

/// A key written twice in one JSON object.
struct duplicate_key {
  std::string pointer;  ///< JSON pointer of the object ("" for the top level)
  std::string key;
  std::size_t first_line, first_column;  ///< where it is first written (1-based, bytes)
  std::size_t line, column;              ///< where it is written again
};

/// "the key 'k' is written twice in one object, at line 3, column 5 and at line 9, column 5".
std::string to_string(duplicate_key const& d);

struct json_read_options {
  std::size_t max_depth = max_json_depth;
  /// Report keys written twice in one object (Boost.JSON alone keeps the
  /// last one silently). Costs a hash per key; the exact search that names
  /// them runs only when the hashes repeat.
  bool find_duplicate_keys = false;
  /// Stop after the first value (for texts holding several documents):
  /// `consumed` then says where it ended.
  bool stop_after_value = false;
  /// Byte of the text where the value starts; positions in errors still
  /// count from the start of the text.
  std::size_t from = 0;
};

struct json_read_result {
  std::optional<boost::json::value> value;  ///< nullopt on error
  std::string error;                        ///< what and where, when `value` is empty
  std::size_t consumed = 0;                 ///< bytes read after `from`
  std::vector<duplicate_key> duplicates;    ///< with `find_duplicate_keys`, in text order
};

/// Parses JSON text (one value, surrounding whitespace allowed, nesting up to
/// `max_depth`). Errors say what and where: "syntax error at line 3, column
/// 14". A number outside the range of a finite double (`1e400`) is an error,
/// naming the number and its position, where Boost.JSON alone would give an
/// infinity. Linear in the size of the text.
json_read_result read_json(std::string_view text, json_read_options const& o = {});

/// `read_json` with the default options: nullopt and `error` set on failure.
/// Of a key written twice the last is kept, as AWS does with payloads.
std::optional<boost::json::value> parse_json(std::string_view text, std::string& error);

}  // namespace stepsim::asl
