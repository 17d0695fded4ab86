// stepsim::jsonata::picture: JSONata's picture-string and date/time functions.
//
// Pure functions (no evaluator, no clock, no locale) behind `$formatNumber`,
// `$formatInteger`, `$parseInteger`, `$formatBase`, `$fromMillis`, `$toMillis`
// and `$now`, behaving as jsonata-js 2.2.2 does, quirks included (the XPath
// F&O 3.1 pictures as that implementation reads them). Strings are UTF-8;
// positions inside pictures count UTF-16 code units, as the reference does.
//
// Argument types are the caller's to check. A bad picture or value throws
// `jsonata::error` with the reference's code and message, position 0 (the
// caller sets the position of the call).
#pragma once

#include <stepsim/jsonata/expression.hpp>

#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace stepsim::jsonata::picture {

/// `$formatNumber(value, picture, options)`: XPath `format-number`. `options`
/// (may be null) overrides the symbols `decimal-separator`,
/// `grouping-separator`, `exponent-separator`, `minus-sign`, `infinity`,
/// `NaN`, `percent`, `per-mille`, `zero-digit`, `digit`, `pattern-separator`.
/// Errors D3080..D3093 for a bad picture.
std::string format_number(double value, std::string_view picture, boost::json::object const* options);

/// `$formatInteger(value, picture)`: XPath `format-integer` (decimal digit
/// patterns with grouping, `a`/`A`, `i`/`I`, `w`/`W`/`Ww`, `;o` ordinals).
/// `value` is floored first. Errors D3130 (other sequences), D3131.
std::string format_integer(double value, std::string_view picture);

/// `$parseInteger(text, picture)`: the inverse of `format_integer`. Like the
/// reference, the text is not validated against the picture: digits that do
/// not parse give NaN. Error D3130 for a picture that is not supported.
double parse_integer(std::string_view text, std::string_view picture);

/// `$formatBase(value, radix)`: `value` rounded half to even, written in
/// base `radix` (rounded half to even; NaN = absent = 10). Error D3100 when
/// the radix is outside 2..36.
std::string format_base(double value, double radix);

/// `$fromMillis(millis, picture, timezone)`: XPath `format-dateTime` of the
/// instant `millis` (truncated to an integer) in the offset `timezone`
/// ("±HHMM", absent = UTC). Without a picture: ISO 8601, e.g.
/// "2017-05-15T15:12:59.152Z". Instants outside ±8.64e15 ms print "NaN"
/// fields as the reference does. Errors D3132..D3135 for a bad picture.
/// Never returns nullopt (kept for the reference's undefined results).
std::optional<std::string> from_millis(double millis, std::optional<std::string_view> picture,
                                       std::optional<std::string_view> timezone);

/// `$toMillis(timestamp, picture)`: milliseconds since the epoch.
/// Without a picture, an ISO 8601 timestamp (error D3110 when it is not one;
/// NaN for one that names no real date, as the reference's `Date.parse`).
/// With a picture, the timestamp is parsed by that XPath picture;
/// components above the most significant one given default to those of
/// `now_millis` (the evaluation's `$now()`), those below to their minimum.
/// nullopt (undefined) when the timestamp does not match the picture or
/// the picture has no component. Errors D3132, D3133, D3135, D3136.
std::optional<double> to_millis(std::string_view timestamp, std::optional<std::string_view> picture,
                                std::int64_t now_millis = 0);

/// ISO 8601 UTC with milliseconds ("2017-05-15T15:12:59.152Z"), for `$now()`.
std::string iso_timestamp(std::int64_t millis);

}  // namespace stepsim::jsonata::picture
