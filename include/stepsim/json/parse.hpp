// stepsim::json: JSON text to boost::json::value, every number read exactly.
#pragma once

#include <boost/json/value.hpp>
#include <boost/system/error_code.hpp>

#include <cstddef>
#include <optional>
#include <string_view>

namespace stepsim::json {

/// What `parse` did: the value, or the error and how many characters were
/// read before it (for a line and column).
struct parse_result {
  std::optional<boost::json::value> value;
  boost::system::error_code error;
  std::size_t consumed = 0;
};

/// Parses one JSON value (surrounding whitespace allowed; anything else after
/// it is `extra_data`), nesting up to `max_depth`. As boost::json::parse,
/// except that a floating-point number is the double nearest its text, as
/// std::from_chars and JavaScript's JSON.parse read it: Boost.JSON 1.81's own
/// conversion is one unit in the last place off for some 17-digit numbers
/// (it reads 90.57000000000001 as 90.57). Integers stay int64/uint64 as
/// Boost.JSON makes them. Never depends on the locale.
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

}  // namespace stepsim::json
