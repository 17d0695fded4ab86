// Text helpers of the picture functions: UTF-16 views of strings and the
// JavaScript number conversions the reference's pictures are built on.
#include "jsonata/picture_detail.hpp"
#include "jsonata/utf8.hpp"

#include <stepsim/json/number_text.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <system_error>

namespace stepsim::jsonata::picture::detail {

void fail(char const* code, std::string message) { throw error(code, std::move(message), 0); }

std::string quoted(std::u16string_view text) {
  std::string out = "\"";
  for (char c : to_utf8(text)) {
    auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      static char const* const short_forms[] = {"b", "t", "n", nullptr, "f", "r"};
      if (u >= 8 && u <= 13 && short_forms[u - 8]) {
        out += '\\';
        out += short_forms[u - 8];
      } else {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", u);
        out += buf;
      }
    } else {
      out += c;
    }
  }
  return out + '"';
}

std::u16string to_utf16(std::string_view text) {
  std::u16string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    auto b = static_cast<unsigned char>(text[i]);
    char32_t cp = 0xFFFD;
    std::size_t len = b < 0x80 ? 1 : b >= 0xF0 && b < 0xF5 ? 4 : b >= 0xE0 ? 3 : b >= 0xC2 && b < 0xE0 ? 2 : 0;
    if (len == 1) {
      cp = b;
    } else if (len > 1 && i + len <= text.size()) {
      cp = b & (0xFF >> (len + 1));
      bool ok = true;
      for (std::size_t k = 1; k < len; ++k) {
        auto c = static_cast<unsigned char>(text[i + k]);
        ok = ok && (c & 0xC0) == 0x80;
        cp = (cp << 6) | (c & 0x3F);
      }
      bool overlong = (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
      if (!ok || overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp < 0xE000)) cp = 0xFFFD, len = 1;
    } else {
      len = 1;
    }
    i += len;
    append_code_point(out, cp);
  }
  return out;
}

bool is_js_space(char16_t c) {
  return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) ||
         c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000 || c == 0xFEFF;
}

std::u16string js_substring(std::u16string_view s, std::ptrdiff_t from, std::ptrdiff_t to) {
  auto const n = static_cast<std::ptrdiff_t>(s.size());
  from = std::clamp<std::ptrdiff_t>(from, 0, n);
  to = std::clamp<std::ptrdiff_t>(to, 0, n);
  if (from > to) std::swap(from, to);
  return std::u16string(s.substr(static_cast<std::size_t>(from), static_cast<std::size_t>(to - from)));
}

void append_code_point(std::u16string& out, char32_t cp) {
  if (cp >= 0x10000) {
    out += static_cast<char16_t>(0xD800 + ((cp - 0x10000) >> 10));
    out += static_cast<char16_t>(0xDC00 + ((cp - 0x10000) & 0x3FF));
  } else {
    out += static_cast<char16_t>(cp);
  }
}

std::u32string code_points(std::u16string_view text) {
  std::u32string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char32_t c = text[i];
    if (c >= 0xD800 && c < 0xDC00 && i + 1 < text.size() && text[i + 1] >= 0xDC00 && text[i + 1] < 0xE000)
      c = 0x10000 + ((c - 0xD800) << 10) + (text[++i] - 0xDC00);
    out += c;
  }
  return out;
}

std::string to_utf8(std::u16string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char32_t cp : code_points(text)) {
    if (cp >= 0xD800 && cp < 0xE000) cp = 0xFFFD;
    jsonata::detail::encode_utf8(out, cp);
  }
  return out;
}

std::string js_number_text(double n) {
  std::string out;
  stepsim::json::append_js_double(out, n);
  return out;
}

std::string js_fixed(double n, int digits) {
  n = std::fabs(n);
  if (!std::isfinite(n) || n >= 1e21) return js_number_text(n);
  // The exact decimal expansion of a double below 1e21 has at most 1074
  // fraction digits; rounding it by hand gives toFixed's half-up ties.
  static constexpr int exact_digits = 1080;
  std::string text(1200, '\0');
  auto end = std::to_chars(text.data(), text.data() + text.size(), n, std::chars_format::fixed, exact_digits).ptr;
  text.resize(static_cast<std::size_t>(end - text.data()));
  auto point = text.find('.');
  bool up = text[point + 1 + static_cast<std::size_t>(digits)] >= '5';
  text.resize(point + 1 + static_cast<std::size_t>(digits));
  if (digits == 0) text.pop_back();
  if (up) {
    std::size_t i = text.size();
    while (i > 0) {
      --i;
      if (text[i] == '.') continue;
      if (text[i] == '9') {
        text[i] = '0';
      } else {
        ++text[i];
        break;
      }
      if (i == 0) text.insert(text.begin(), '1');
    }
  }
  return text;
}

double js_parse_int(std::u16string_view text) {
  std::size_t i = 0;
  while (i < text.size() && is_js_space(text[i])) ++i;
  bool negative = false;
  if (i < text.size() && (text[i] == u'+' || text[i] == u'-')) negative = text[i++] == u'-';
  int radix = 10;
  if (i + 1 < text.size() && text[i] == u'0' && (text[i + 1] == u'x' || text[i + 1] == u'X')) {
    radix = 16;
    i += 2;
  }
  auto digit = [radix](char16_t c) -> int {
    int d = c >= u'0' && c <= u'9' ? c - u'0' : c >= u'a' && c <= u'z' ? c - u'a' + 10 : c >= u'A' && c <= u'Z' ? c - u'A' + 10 : 99;
    return d < radix ? d : -1;
  };
  std::string digits;
  while (i < text.size() && digit(text[i]) >= 0) digits += static_cast<char>(text[i++]);
  if (digits.empty()) return std::nan("");
  double value = 0;
  if (radix == 10) {
    if (std::from_chars(digits.data(), digits.data() + digits.size(), value).ec == std::errc::result_out_of_range)
      value = HUGE_VAL;
  } else {
    for (char c : digits) value = value * 16 + digit(static_cast<char16_t>(c));
  }
  return negative ? -value : value;
}

namespace {

// A decimal text to the nearest double, overflowing to infinity and underflowing to 0 as JavaScript does.
double decimal_value(std::string const& text) {
  double out = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  if ((ec != std::errc() && ec != std::errc::result_out_of_range) || ptr != text.data() + text.size())
    return std::nan("");  // "Infinitye2": not a number
  if (ec == std::errc::result_out_of_range) {
    bool negative = text.front() == '-';
    bool huge = text.find("e-") == std::string::npos;
    out = huge ? HUGE_VAL : 0.0;
    if (negative) out = -out;
  }
  return out;
}

// "d.ddde+x" shifted by `places` powers of ten, through the text as the reference does
double shift_decimal(double n, int places) {
  std::string text = js_number_text(n);
  auto e = text.find('e');
  int exponent = 0;
  if (e != std::string::npos) {
    std::from_chars(text.data() + e + (text[e + 1] == '+' ? 2 : 1), text.data() + text.size(), exponent);
    text.resize(e);
  }
  text += 'e' + std::to_string(exponent + places);
  return decimal_value(text);
}

double js_round(double n) {
  if (!std::isfinite(n)) return n;
  double r = std::floor(n);
  if (n - r >= 0.5) r += 1;
  return r;
}

}  // namespace

double round_half_even(double n, int precision) {
  if (std::isnan(n)) return n;
  if (precision != 0) n = shift_decimal(n, precision);
  double result = js_round(n);
  if (std::fabs(result - n) == 0.5 && std::fabs(std::fmod(result, 2.0)) == 1) result -= 1;
  if (precision != 0) result = shift_decimal(result, -precision);
  return result == 0 ? 0.0 : result;
}

}  // namespace stepsim::jsonata::picture::detail
