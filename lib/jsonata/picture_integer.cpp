// $formatInteger and $parseInteger (XPath F&O 3.1 format-integer, as jsonata-js reads it).
#include "jsonata/picture.hpp"
#include "jsonata/picture_detail.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <numeric>

namespace stepsim::jsonata::picture {

namespace detail {

namespace {

using text = std::u16string;

constexpr std::array<char16_t const*, 20> small_words{
    u"Zero",    u"One",     u"Two",       u"Three",    u"Four",     u"Five",    u"Six",
    u"Seven",   u"Eight",   u"Nine",      u"Ten",      u"Eleven",   u"Twelve",  u"Thirteen",
    u"Fourteen", u"Fifteen", u"Sixteen",  u"Seventeen", u"Eighteen", u"Nineteen"};
constexpr std::array<char16_t const*, 20> small_ordinals{
    u"Zeroth",     u"First",      u"Second",      u"Third",       u"Fourth",     u"Fifth",
    u"Sixth",      u"Seventh",    u"Eighth",      u"Ninth",       u"Tenth",      u"Eleventh",
    u"Twelfth",    u"Thirteenth", u"Fourteenth",  u"Fifteenth",   u"Sixteenth",  u"Seventeenth",
    u"Eighteenth", u"Nineteenth"};
constexpr std::array<char16_t const*, 9> tens_words{u"Twenty", u"Thirty",  u"Forty",  u"Fifty",  u"Sixty",
                                                    u"Seventy", u"Eighty", u"Ninety", u"Hundred"};
constexpr std::array<char16_t const*, 4> magnitude_words{u"Thousand", u"Million", u"Billion", u"Trillion"};

// Decimal digit families (their zeros) a decimal-digit pattern may use.
constexpr std::array<char32_t, 37> digit_zeros{
    0x30,   0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6, 0x0D66,
    0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90, 0x1B50,
    0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10};

text lower(text s) {
  for (auto& c : s)
    if (c >= u'A' && c <= u'Z') c = static_cast<char16_t>(c + 32);
  return s;
}
text upper(text s) {
  for (auto& c : s)
    if (c >= u'a' && c <= u'z') c = static_cast<char16_t>(c - 32);
  return s;
}

text words(double n, bool after, bool ordinal) {
  text out;
  if (n <= 19) {
    if (after) out += u" and ";
    out += ordinal ? small_ordinals[static_cast<std::size_t>(n)] : small_words[static_cast<std::size_t>(n)];
  } else if (n < 100) {
    double tens = std::floor(n / 10);
    double rest = std::fmod(n, 10);
    if (after) out += u" and ";
    out += tens_words[static_cast<std::size_t>(tens) - 2];
    if (rest > 0) {
      out += u'-';
      out += words(rest, false, ordinal);
    } else if (ordinal) {
      out.back() = u'i';  // Twenty -> Twentieth
      out += u"eth";
    }
  } else if (n < 1000) {
    double rest = std::fmod(n, 100);
    if (after) out += u", ";
    out += small_words[static_cast<std::size_t>(std::floor(n / 100))];
    out += u" Hundred";
    if (rest > 0)
      out += words(rest, true, ordinal);
    else if (ordinal)
      out += u"th";
  } else {
    auto magnitude = static_cast<std::size_t>(std::floor(std::log10(n) / 3));
    magnitude = std::min(magnitude, magnitude_words.size());
    double factor = std::pow(10.0, static_cast<double>(magnitude * 3));
    double leading = std::floor(n / factor);
    double rest = n - leading * factor;
    if (after) out += u", ";
    out += words(leading, false, false);
    out += u' ';
    out += magnitude_words[magnitude - 1];
    if (rest > 0)
      out += words(rest, true, ordinal);
    else if (ordinal)
      out += u"th";
  }
  return out;
}

std::map<text, double, std::less<>> const& word_values() {
  static auto const table = [] {
    std::map<text, double, std::less<>> t;
    for (std::size_t i = 0; i < small_words.size(); ++i) {
      t[lower(small_words[i])] = static_cast<double>(i);
      t[lower(small_ordinals[i])] = static_cast<double>(i);
    }
    for (std::size_t i = 0; i < tens_words.size(); ++i) {
      text w = lower(tens_words[i]);
      t[w] = static_cast<double>((i + 2) * 10);
      t[w.substr(0, w.size() - 1) + u"ieth"] = static_cast<double>((i + 2) * 10);
    }
    t[u"hundredth"] = 100;
    for (std::size_t i = 0; i < magnitude_words.size(); ++i) {
      text w = lower(magnitude_words[i]);
      t[w] = t[w + u"th"] = std::pow(10.0, static_cast<double>((i + 1) * 3));
    }
    return t;
  }();
  return table;
}

text roman(double n) {
  static constexpr std::array<std::pair<int, char16_t const*>, 13> numerals{
      {{1000, u"m"}, {900, u"cm"}, {500, u"d"}, {400, u"cd"}, {100, u"c"}, {90, u"xc"}, {50, u"l"},
       {40, u"xl"}, {10, u"x"}, {9, u"ix"}, {5, u"v"}, {4, u"iv"}, {1, u"i"}}};
  // The reference writes one numeral per nested call and exhausts its stack
  // somewhere below ten thousand 'm's.
  if (n >= 1e7) fail("U1001", "Maximum call stack size exceeded");
  text out;
  for (auto const& [value, numeral] : numerals)
    while (n >= value) {
      out += numeral;
      n -= value;
    }
  return out;
}

text letters(double n, char16_t a) {
  if (std::isinf(n)) fail("D3137", "Infinity has no letters");  // the reference never returns
  text out;
  while (n > 0) {
    out.insert(out.begin(), static_cast<char16_t>(std::fmod(n - 1, 26) + a));
    n = std::floor((n - 1) / 26);
  }
  return out;
}

}  // namespace

std::u16string number_words(double value, bool ordinal) {
  if (!std::isfinite(value)) fail("U1001", "Maximum call stack size exceeded");
  return words(value, false, ordinal);
}

double words_value(std::u16string_view text_in) {
  // split on ", ", " and ", whitespace or '-' (a separator of two forms matches at the first)
  std::vector<text> parts;
  text part;
  auto const space = is_js_space;
  for (std::size_t i = 0; i < text_in.size();) {
    std::size_t skip = 0;
    if (text_in[i] == u',' && i + 1 < text_in.size() && space(text_in[i + 1]))
      skip = 2;
    else if (space(text_in[i]) && text_in.substr(i + 1, 3) == u"and" && i + 4 < text_in.size() && space(text_in[i + 4]))
      skip = 5;
    else if (space(text_in[i]) || text_in[i] == u'\\' || text_in[i] == u'-')
      skip = 1;
    if (skip) {
      parts.push_back(part);
      part.clear();
      i += skip;
    } else {
      part += text_in[i++];
    }
  }
  parts.push_back(part);
  auto const& table = word_values();
  std::vector<double> segments{0};
  for (auto const& p : parts) {
    auto it = table.find(p);
    if (it == table.end()) return std::nan("");  // an unknown word poisons the sum
    double v = it->second;
    if (v < 100) {
      double top = segments.back();
      segments.pop_back();
      if (top >= 1000) {
        segments.push_back(top);
        top = 0;
      }
      segments.push_back(top + v);
    } else {
      segments.back() *= v;
    }
  }
  return std::accumulate(segments.begin(), segments.end(), 0.0);
}

std::vector<std::u16string> const& number_word_list() {
  static auto const list = [] {
    std::vector<text> l;
    for (auto w : small_words) l.push_back(lower(w));
    for (auto w : small_ordinals) l.push_back(lower(w));
    for (auto w : tens_words) {
      text lw = lower(w);
      l.push_back(lw);
      l.push_back(lw.substr(0, lw.size() - 1) + u"ieth");
    }
    l.push_back(u"hundredth");
    for (auto w : magnitude_words) {
      l.push_back(lower(w));
      l.push_back(lower(w) + u"th");
    }
    return l;
  }();
  return list;
}

integer_format analyse_integer(std::u16string_view picture) {
  integer_format f;
  text primary(picture);
  if (auto semi = picture.rfind(u';'); semi != text::npos) {
    primary = picture.substr(0, semi);
    f.ordinal = semi + 1 < picture.size() && picture[semi + 1] == u'o';
  }
  using style = integer_format::style;
  using lettering = integer_format::letter_case;
  if (primary == u"A" || primary == u"a") {
    f.primary = style::letters;
    f.lettering = primary == u"A" ? lettering::upper : lettering::lower;
    return f;
  }
  if (primary == u"I" || primary == u"i") {
    f.primary = style::roman;
    f.lettering = primary == u"I" ? lettering::upper : lettering::lower;
    return f;
  }
  if (primary == u"W" || primary == u"Ww" || primary == u"w") {
    f.primary = style::words;
    f.lettering = primary == u"W" ? lettering::upper : primary == u"Ww" ? lettering::title : lettering::lower;
    return f;
  }
  // a decimal-digit pattern when it has a digit of some family; read from the right
  std::optional<char32_t> zero;
  int position = 0;
  auto cps = code_points(primary);
  for (auto it = cps.rbegin(); it != cps.rend(); ++it) {
    char32_t c = *it;
    auto family = std::find_if(digit_zeros.begin(), digit_zeros.end(), [c](char32_t z) { return c >= z && c <= z + 9; });
    if (family != digit_zeros.end()) {
      ++f.mandatory_digits;
      ++position;
      if (!zero) zero = *family;
      else if (*zero != *family) fail("D3131", "In a decimal digit pattern, all digits must be from the same decimal group");
    } else if (c == U'#') {
      ++position;
      ++f.optional_digits;
    } else {
      text ch;
      append_code_point(ch, c);
      f.separators.push_back({position, ch});
    }
  }
  if (f.mandatory_digits == 0) {
    f.primary = style::sequence;
    f.token = primary;
    return f;
  }
  f.zero = *zero;
  // regular: one character, at every multiple of the positions' common divisor
  auto const& seps = f.separators;
  if (!seps.empty() && std::all_of(seps.begin(), seps.end(), [&](auto const& s) { return s.character == seps[0].character; })) {
    int factor = seps[0].position;
    for (auto const& s : seps) factor = std::gcd(factor, s.position);
    bool every = true;
    for (std::size_t k = 1; k <= seps.size(); ++k)
      every = every && std::any_of(seps.begin(), seps.end(), [&](auto const& s) { return s.position == static_cast<int>(k) * factor; });
    if (every && factor > 0) {
      f.regular = true;
      f.separators = {{factor, seps[0].character}};
    }
  }
  return f;
}

std::u16string format_integer(double value, integer_format const& f) {
  using style = integer_format::style;
  using lettering = integer_format::letter_case;
  bool negative = value < 0;
  value = std::fabs(value);
  text out;
  switch (f.primary) {
    case style::letters:
      out = letters(value, f.lettering == lettering::upper ? u'A' : u'a');
      break;
    case style::roman:
      out = roman(value);
      if (f.lettering == lettering::upper) out = upper(out);
      break;
    case style::words:
      out = number_words(value, f.ordinal);
      if (f.lettering == lettering::upper) out = upper(out);
      else if (f.lettering == lettering::lower) out = lower(out);
      break;
    case style::decimal: {
      out = to_utf16(js_number_text(value));
      if (static_cast<int>(out.size()) < f.mandatory_digits)
        out.insert(0, static_cast<std::size_t>(f.mandatory_digits) - out.size(), u'0');
      if (f.zero != U'0') {
        text moved;
        for (char32_t c : code_points(out)) append_code_point(moved, c + f.zero - U'0');
        out = moved;
      }
      if (f.regular) {
        int every = f.separators[0].position;
        auto groups = (static_cast<int>(out.size()) - 1) / every;
        for (int g = groups; g > 0; --g)
          out.insert(out.size() - static_cast<std::size_t>(g * every), f.separators[0].character);
      } else {
        for (auto it = f.separators.rbegin(); it != f.separators.rend(); ++it) {
          // substr(0, len - p) + sep + substr(len - p), with JavaScript's substr bounds
          auto len = static_cast<std::ptrdiff_t>(out.size());
          auto at = len - it->position;
          text head = at > 0 ? out.substr(0, static_cast<std::size_t>(at)) : text();
          auto tail_from = at >= 0 ? at : std::max<std::ptrdiff_t>(len + at, 0);
          text tail = tail_from < len ? out.substr(static_cast<std::size_t>(tail_from)) : text();
          out = head + it->character + tail;
        }
      }
      if (f.ordinal) {
        char16_t last = out.empty() ? 0 : out.back();
        char16_t const* suffix = last == u'1' ? u"st" : last == u'2' ? u"nd" : last == u'3' ? u"rd" : u"th";
        if (out.size() > 1 && out[out.size() - 2] == u'1') suffix = u"th";
        out += suffix;
      }
      break;
    }
    case style::sequence:
      fail("D3130", "Formatting or parsing an integer as a sequence starting with " + quoted(f.token) +
                        " is not supported by this implementation");
  }
  if (negative) out.insert(out.begin(), u'-');
  return out;
}

}  // namespace detail

std::string format_integer(double value, std::string_view picture) {
  auto const format = detail::analyse_integer(detail::to_utf16(picture));
  return detail::to_utf8(detail::format_integer(std::floor(value), format));
}

double parse_integer(std::string_view text_utf8, std::string_view picture) {
  auto const f = detail::analyse_integer(detail::to_utf16(picture));
  return detail::parse_integer_text(detail::to_utf16(text_utf8), f);
}

}  // namespace stepsim::jsonata::picture
