// Private to lib/jsonata/picture_*.cpp: text and integer-picture helpers
// shared by the number, integer and date/time pictures.
#pragma once

#include <stepsim/jsonata/expression.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stepsim::jsonata::picture::detail {

/// The most digits a picture may ask for (widths past it fail with D3137,
/// where the reference would build a string of that many zeros).
inline constexpr double max_digits = 1e6;

/// Throws the reference's error `code` with `message`, position 0.
[[noreturn]] void fail(char const* code, std::string message);

/// JSON text of a string (for messages that quote a value, as the reference's
/// `{{value}}` placeholders do).
std::string quoted(std::u16string_view text);

/// UTF-8 <-> UTF-16. Invalid UTF-8 bytes and lone surrogates become U+FFFD.
std::u16string to_utf16(std::string_view text);
std::string to_utf8(std::u16string_view text);

/// JavaScript's `\s`: white space and line terminators.
bool is_js_space(char16_t c);

/// JavaScript's String#substring: bounds clamped to the text, swapped when reversed.
std::u16string js_substring(std::u16string_view s, std::ptrdiff_t from, std::ptrdiff_t to);

/// Splits UTF-16 text into code points (a lone surrogate is its own).
std::u32string code_points(std::u16string_view text);

/// The text of a number as JavaScript's `String(n)` writes it: shortest
/// round-trip digits, exponent form outside 1e-7 <= |n| < 1e21 ("1e+21").
std::string js_number_text(double n);

/// JavaScript's `Number.prototype.toFixed(digits)` of |n|: exact decimal
/// value rounded half up; `String(n)` for |n| >= 1e21 or non-finite.
std::string js_fixed(double n, int digits);

/// JavaScript's `parseInt(text)` (radix 10, or 16 after "0x"): NaN when no digit.
double js_parse_int(std::u16string_view text);

/// `round(n, precision)` of the reference: half to even at `precision`
/// decimal places, shifting through the decimal text; never -0.
double round_half_even(double n, int precision = 0);

/// An analysed integer picture (`format-integer`'s primary token and modifier).
struct integer_format {
  enum class style { decimal, letters, roman, words, sequence };
  enum class letter_case { lower, upper, title };
  struct separator {
    int position;             ///< digits to its right
    std::u16string character;
  };
  style primary = style::decimal;
  letter_case lettering = letter_case::lower;
  bool ordinal = false;
  char32_t zero = U'0';       ///< zero of the decimal digit family
  int mandatory_digits = 0;
  int optional_digits = 0;
  bool regular = false;       ///< one separator repeated every separators[0].position digits
  std::vector<separator> separators;
  std::u16string token;       ///< the unsupported sequence (style::sequence)
  int parse_width = 0;        ///< exact digit count when parsing adjacent markers; 0 = any
};

/// Analyses `picture` ("0001", "#,##0;o", "A", "i", "Ww"...). Throws D3131.
integer_format analyse_integer(std::u16string_view picture);

/// Formats `value` (an integer, or NaN) by `format`, as UTF-16. Throws D3130.
std::u16string format_integer(double value, integer_format const& format);

/// The English words of `value` (a non-negative integer), title case.
std::u16string number_words(double value, bool ordinal);

/// The value of English number words (lower case, as `number_words` writes).
double words_value(std::u16string_view text);

/// The words `words_value` knows, in the order the reference lists them.
std::vector<std::u16string> const& number_word_list();

/// Appends code point `cp` to UTF-16 text.
void append_code_point(std::u16string& out, char32_t cp);

/// The value of `text` read by `format` ($parseInteger; no validation, NaN
/// for what does not read). Throws D3130 for an unsupported sequence.
double parse_integer_text(std::u16string_view text, integer_format const& format);

/// The ECMAScript regular expression (UTF-8) matching what `format` writes
/// when it is a component of a date/time picture being parsed.
std::string integer_regex(integer_format const& format);

/// One part of an analysed date/time picture: a literal, or a variable marker.
struct date_marker {
  enum class names_case { none, lower, upper, title };
  char16_t component = 0;        ///< 0 for a literal
  std::u16string literal;
  std::u16string presentation1;
  char16_t presentation2 = 0;    ///< 'a', 't', 'c', 'o' or 0
  bool has_width = false;
  std::optional<double> min_width, max_width;  ///< may be NaN, as parseInt gives
  names_case names = names_case::none;
  std::optional<integer_format> integer;
  double year_digits = -1;       ///< 'Y': digits kept (-1 = all)
};

/// Analyses an XPath date/time picture. Throws D3131, D3132, D3135.
std::vector<date_marker> analyse_date_picture(std::u16string_view picture);

/// Milliseconds since the epoch of a proleptic Gregorian date and time (UTC),
/// fields overflowing into the next as JavaScript's MakeDay/MakeTime do;
/// NaN for a non-finite field or beyond +-8.64e15 ms.
double utc_time(double year, double month0, double day, double hours, double minutes, double seconds,
                double millis);

/// JavaScript's Date.UTC(year, month0, day, h, m, s, ms): years 0..99 mean
/// 1900..1999, fields overflow into the next, NaN beyond +-8.64e15 ms.
double js_date_utc(double year, double month0, double day = 1, double hours = 0, double minutes = 0,
                   double seconds = 0, double millis = 0);

/// A date's fields in UTC as JavaScript's getUTC* give them (NaN when invalid).
struct civil_time {
  double time = 0;  ///< ms since the epoch, or NaN
  double year = 0, month0 = 0, day = 0, weekday = 0, hours = 0, minutes = 0, seconds = 0, millis = 0;
};
civil_time civil_from_millis(double millis);

/// English names: month_name(0) = "January"; day_name(1) = "Monday" .. day_name(7) = "Sunday".
std::u16string month_name(int index0);
std::u16string day_name(int iso_day);

/// The value of date/time `component` of `t` as the reference computes it;
/// 'P' gives 0 (am) or 1 (pm); components without a number give NaN.
double date_component(civil_time const& t, char16_t component);

}  // namespace stepsim::jsonata::picture::detail
