// Private to choice_rule: the comparisons AWS applies, each with the exact
// semantics of the Java service rather than C++'s defaults.
#pragma once

#include <boost/json/value.hpp>

#include <compare>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stepsim::asl::detail {

/// Orders two JSON numbers (int64, uint64 or double, in any mix) by their
/// exact mathematical values: no rounding of large integers through double.
/// Precondition: both are numbers.
std::partial_ordering compare_numbers(boost::json::value const& a, boost::json::value const& b) noexcept;

/// Orders two UTF-8 strings as Java's String.compareTo does: by UTF-16 code
/// units. This differs from byte (= code point) order only when a character
/// outside the BMP meets one in U+E000..U+FFFF.
std::strong_ordering compare_utf16(std::string_view a, std::string_view b) noexcept;

/// A StringMatches pattern: `*` matches any run of characters, `\*` a literal
/// star, `\\` a literal backslash; nothing else is special. Matching is
/// whole-string and linear in the lengths of pattern and text.
class wildcard_pattern {
 public:
  /// nullopt and `error` set when a backslash is not followed by `*` or `\`.
  static std::optional<wildcard_pattern> parse(std::string_view pattern, std::string& error);
  bool matches(std::string_view text) const;

 private:
  // The literal pieces between unescaped stars: n stars give n + 1 pieces.
  std::vector<std::string> pieces_;
};

}  // namespace stepsim::asl::detail
