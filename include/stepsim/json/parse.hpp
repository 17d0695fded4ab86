// stepsim::json: JSON text to boost::json::value, every number read exactly.
#pragma once

#include <boost/json/value.hpp>
#include <boost/system/error_code.hpp>

#include <cstddef>
#include <optional>
#include <string_view>

namespace stepsim::json {

/// How `parse` reads.
struct parse_options {
  std::size_t max_depth = 1000;  ///< deepest nesting of arrays and objects
  /// A number outside the range of a finite double (`1e400`) is an error
  /// (`exponent_overflow`, with `number_out_of_range` set) where Boost.JSON
  /// alone gives an infinity.
  bool finite_numbers_only = false;
  /// Notice keys written twice in one object (`maybe_repeated_key`): a hash
  /// per key, so a hash collision may also set it; the caller runs the exact
  /// search only then.
  bool note_repeated_keys = false;
  /// Stop after the first value (for texts holding several documents):
  /// `consumed` says where it ended; otherwise anything after it is `extra_data`.
  bool stop_after_value = false;
};

/// What `parse` did: the value, or the error and how many characters were
/// read before it (for a line and column).
struct parse_result {
  std::optional<boost::json::value> value;
  boost::system::error_code error;
  std::size_t consumed = 0;
  bool number_out_of_range = false;  ///< the error is a number past a finite double's range
  bool maybe_repeated_key = false;   ///< with note_repeated_keys: some object may hold a key twice
};

/// Parses one JSON value (surrounding whitespace allowed). As
/// boost::json::parse, except that a floating-point number is the double
/// nearest its text, as std::from_chars and JavaScript's JSON.parse read it:
/// Boost.JSON 1.81's own conversion is one unit in the last place off for
/// some 17-digit numbers (it reads 90.57000000000001 as 90.57). Integers stay
/// int64/uint64 as Boost.JSON makes them. Never depends on the locale.
/// Linear in the size of the text. The one JSON reader of stepsim
/// (asl::read_json builds its messages on it).
parse_result parse(std::string_view text, parse_options const& options);
/// `parse` with `max_depth` and the other options off.
parse_result parse(std::string_view text, std::size_t max_depth);

/// The double nearest to the JSON number `text` (std::from_chars, never the
/// locale); `fallback` when `text` is not a whole number in JSON's syntax.
/// What every JSON reader of stepsim uses instead of Boost.JSON's conversion.
double nearest_double(std::string_view text, double fallback) noexcept;

/// The decimal number `text` (an optional '-', digits with an optional
/// fraction, or a fraction alone, and an optional exponent) as `strtod` reads
/// it in the C locale, whatever the locale is: the nearest double,
/// +-infinity past the largest one, +-0 below the smallest. nullopt when
/// `text` is not such a number, in whole (no spaces, no '+' sign, no hex,
/// inf or nan). What stepsim reads numbers in text with, instead of strtod.
std::optional<double> read_decimal(std::string_view text) noexcept;

/// `text` without a leading UTF-8 byte order mark.
std::string_view skip_bom(std::string_view text) noexcept;

}  // namespace stepsim::json
