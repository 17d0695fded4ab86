#include "asl/choice_rule_impl.hpp"

#include <cmath>
#include <cstdint>
#include <type_traits>

namespace stepsim::asl::detail {
namespace {

// Exact: 2^63 and 2^64 are representable doubles, and below them trunc(d)
// converts to the integer type without loss.
template <class Int>
std::partial_ordering compare_int_double(Int i, double d) noexcept {
  if (std::isnan(d)) return std::partial_ordering::unordered;
  constexpr double high = std::is_signed_v<Int> ? 9223372036854775808.0 : 18446744073709551616.0;
  constexpr double low = std::is_signed_v<Int> ? -9223372036854775808.0 : 0.0;
  if (d >= high) return std::partial_ordering::less;
  if (d < low) return std::partial_ordering::greater;
  double const whole = std::trunc(d);
  Int const w = static_cast<Int>(whole);
  if (i != w) return i <=> w;
  return 0.0 <=> (d - whole);
}

std::partial_ordering flip(std::partial_ordering o) noexcept { return 0 <=> o; }

std::partial_ordering compare_int_uint(std::int64_t i, std::uint64_t u) noexcept {
  if (i < 0) return std::partial_ordering::less;
  return static_cast<std::uint64_t>(i) <=> u;
}

// Decodes one code point; Boost.JSON has validated the UTF-8 already, so a
// stray byte only needs to be ordered consistently, not diagnosed.
char32_t next_code_point(std::string_view s, std::size_t& i) noexcept {
  auto const b = static_cast<unsigned char>(s[i++]);
  int extra = b >= 0xF0 ? 3 : b >= 0xE0 ? 2 : b >= 0xC0 ? 1 : 0;
  char32_t cp = extra == 3 ? (b & 0x07) : extra == 2 ? (b & 0x0F) : extra == 1 ? (b & 0x1F) : b;
  for (; extra > 0 && i < s.size(); --extra) cp = (cp << 6) | (static_cast<unsigned char>(s[i++]) & 0x3F);
  return cp;
}

// In UTF-16 a supplementary character starts with a surrogate (D800..DBFF),
// which sorts below U+E000..U+FFFF; lifting that range above every code point
// reproduces the code-unit order.
char32_t utf16_key(char32_t cp) noexcept { return cp >= 0xE000 && cp <= 0xFFFF ? cp + 0x110000 : cp; }

// Knuth-Morris-Pratt: first occurrence of `needle` in `hay` at or after
// `from`, in O(|hay| + |needle|), so no pattern can make matching quadratic.
std::size_t find_linear(std::string_view hay, std::string_view needle, std::size_t from) {
  if (needle.empty()) return from;
  std::vector<std::size_t> fail(needle.size(), 0);
  for (std::size_t i = 1, k = 0; i < needle.size(); ++i) {
    while (k > 0 && needle[i] != needle[k]) k = fail[k - 1];
    if (needle[i] == needle[k]) ++k;
    fail[i] = k;
  }
  for (std::size_t i = from, k = 0; i < hay.size(); ++i) {
    while (k > 0 && hay[i] != needle[k]) k = fail[k - 1];
    if (hay[i] == needle[k]) ++k;
    if (k == needle.size()) return i + 1 - k;
  }
  return std::string_view::npos;
}

}  // namespace

std::partial_ordering compare_numbers(boost::json::value const& a, boost::json::value const& b) noexcept {
  using boost::json::kind;
  switch (a.kind()) {
    case kind::int64:
      switch (b.kind()) {
        case kind::int64: return a.get_int64() <=> b.get_int64();
        case kind::uint64: return compare_int_uint(a.get_int64(), b.get_uint64());
        default: return compare_int_double(a.get_int64(), b.get_double());
      }
    case kind::uint64:
      switch (b.kind()) {
        case kind::int64: return flip(compare_int_uint(b.get_int64(), a.get_uint64()));
        case kind::uint64: return a.get_uint64() <=> b.get_uint64();
        default: return compare_int_double(a.get_uint64(), b.get_double());
      }
    default:
      switch (b.kind()) {
        case kind::int64: return flip(compare_int_double(b.get_int64(), a.get_double()));
        case kind::uint64: return flip(compare_int_double(b.get_uint64(), a.get_double()));
        default: return a.get_double() <=> b.get_double();
      }
  }
}

std::strong_ordering compare_utf16(std::string_view a, std::string_view b) noexcept {
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    char32_t const x = next_code_point(a, i);
    char32_t const y = next_code_point(b, j);
    if (x != y) return utf16_key(x) <=> utf16_key(y);
  }
  return (a.size() - i) <=> (b.size() - j);
}

std::optional<wildcard_pattern> wildcard_pattern::parse(std::string_view pattern, std::string& error) {
  wildcard_pattern p;
  p.pieces_.emplace_back();
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    char const c = pattern[i];
    if (c == '*') {
      p.pieces_.emplace_back();
    } else if (c == '\\') {
      if (i + 1 == pattern.size() || (pattern[i + 1] != '*' && pattern[i + 1] != '\\')) {
        error = "a backslash must be followed by '*' or '\\' (at " + std::to_string(i) + ")";
        return std::nullopt;
      }
      p.pieces_.back() += pattern[++i];
    } else {
      p.pieces_.back() += c;
    }
  }
  return p;
}

// With only `*` as a wildcard, taking each middle piece at its leftmost
// occurrence never loses a match, so one left-to-right pass decides.
bool wildcard_pattern::matches(std::string_view text) const {
  std::string_view const first = pieces_.front();
  if (pieces_.size() == 1) return text == first;
  std::string_view const last = pieces_.back();
  if (text.size() < first.size() + last.size() || !text.starts_with(first) || !text.ends_with(last)) return false;
  std::string_view const middle = text.substr(0, text.size() - last.size());
  std::size_t at = first.size();
  for (std::size_t k = 1; k + 1 < pieces_.size(); ++k) {
    at = find_linear(middle, pieces_[k], at);
    if (at == std::string_view::npos) return false;
    at += pieces_[k].size();
  }
  return true;
}

}  // namespace stepsim::asl::detail
