// $formatNumber (XPath F&O 3.1 format-number, as jsonata-js reads it) and $formatBase.
#include "jsonata/picture.hpp"
#include "jsonata/picture_detail.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

namespace stepsim::jsonata::picture {

namespace {

using detail::fail;
using text = std::u16string;
using view = std::u16string_view;
constexpr auto npos = view::npos;

text substring(view s, std::ptrdiff_t from, std::ptrdiff_t to) { return detail::js_substring(s, from, to); }
text substring(view s, std::ptrdiff_t from) { return substring(s, from, static_cast<std::ptrdiff_t>(s.size())); }

// indexOf / lastIndexOf as JavaScript answers them (an empty needle is found at the start / end).
std::ptrdiff_t index_of(view s, view needle, std::size_t from = 0) {
  from = std::min(from, s.size());
  auto at = s.find(needle, from);
  return at == npos ? -1 : static_cast<std::ptrdiff_t>(at);
}
std::ptrdiff_t last_index_of(view s, view needle) {
  auto at = s.rfind(needle);
  return at == npos ? -1 : static_cast<std::ptrdiff_t>(at);
}
bool contains(view s, view needle) { return s.find(needle) != npos; }

// charAt: one code unit, or "" outside the text
text char_at(view s, std::ptrdiff_t i) {
  return i < 0 || i >= static_cast<std::ptrdiff_t>(s.size()) ? text() : text(1, s[static_cast<std::size_t>(i)]);
}

// Inserts `what` before position `at` (negative counts from the end, as slice does).
void insert_at(text& s, std::ptrdiff_t at, view what) {
  auto n = static_cast<std::ptrdiff_t>(s.size());
  if (at < 0) at += n;
  at = std::clamp<std::ptrdiff_t>(at, 0, n);
  s.insert(static_cast<std::size_t>(at), what);
}

text option_text(boost::json::value const& v) {
  if (auto const* s = v.if_string()) return detail::to_utf16(*s);
  if (v.is_bool()) return v.get_bool() ? u"true" : u"false";
  if (v.is_null()) return u"null";
  if (v.is_number()) return detail::to_utf16(detail::js_number_text(v.to_number<double>()));
  return v.is_array() ? text() : u"[object Object]";
}

struct symbols {
  std::map<std::string, text, std::less<>> named{
      {"decimal-separator", u"."}, {"grouping-separator", u","}, {"exponent-separator", u"e"},
      {"infinity", u"Infinity"},   {"minus-sign", u"-"},         {"NaN", u"NaN"},
      {"percent", u"%"},           {"per-mille", u"\u2030"},     {"zero-digit", u"0"},
      {"digit", u"#"},             {"pattern-separator", u";"}};
  text family;  // the ten decimal digits
  text decimal, grouping, exponent, minus, percent, per_mille, zero, digit, pattern;

  explicit symbols(boost::json::object const* options) {
    if (options)
      for (auto const& [key, value] : *options) named[std::string(key)] = option_text(value);
    decimal = named["decimal-separator"];
    grouping = named["grouping-separator"];
    exponent = named["exponent-separator"];
    minus = named["minus-sign"];
    percent = named["percent"];
    per_mille = named["per-mille"];
    zero = named["zero-digit"];
    digit = named["digit"];
    pattern = named["pattern-separator"];
    if (!zero.empty())
      for (int i = 0; i < 10; ++i) family += static_cast<char16_t>(zero[0] + i);
  }
  bool in_family(char16_t c) const { return family.find(c) != npos; }
  bool is_digit_sign(char16_t c) const { return digit.size() == 1 && digit[0] == c; }
  bool is_active(char16_t c) const {
    if (in_family(c)) return true;
    for (auto const* s : {&decimal, &exponent, &grouping, &digit, &pattern})
      if (s->size() == 1 && (*s)[0] == c) return true;
    return false;
  }
  bool is_exponent_sign(char16_t c) const { return exponent.size() == 1 && exponent[0] == c; }
  std::size_t count_family(view s, bool with_digit_sign = false) const {
    return static_cast<std::size_t>(
        std::count_if(s.begin(), s.end(), [&](char16_t c) { return in_family(c) || (with_digit_sign && is_digit_sign(c)); }));
  }
};

struct sub_picture {
  text whole, prefix, suffix, active, mantissa, integer, fraction;
  std::optional<text> exponent;
};

sub_picture split_parts(view sub, symbols const& sy) {
  sub_picture p;
  p.whole = text(sub);
  auto const n = static_cast<std::ptrdiff_t>(sub.size());
  auto marks = [&](std::size_t i) { return sy.is_active(sub[i]) && !sy.is_exponent_sign(sub[i]); };
  for (std::size_t i = 0; i < sub.size(); ++i)
    if (marks(i)) {
      p.prefix = text(sub.substr(0, i));
      break;
    }
  for (std::size_t i = sub.size(); i-- > 0;)
    if (marks(i)) {
      p.suffix = text(sub.substr(i + 1));
      break;
    }
  auto const pre = static_cast<std::ptrdiff_t>(p.prefix.size());
  auto const suf = static_cast<std::ptrdiff_t>(p.suffix.size());
  p.active = substring(sub, pre, n - suf);
  auto exp_at = index_of(sub, sy.exponent, static_cast<std::size_t>(pre));
  if (exp_at == -1 || exp_at > n - suf) {
    p.mantissa = p.active;
  } else {
    // the reference cuts the active part at the exponent's offset in the whole sub-picture
    p.mantissa = substring(p.active, 0, exp_at);
    p.exponent = substring(p.active, exp_at + 1);
  }
  auto point = index_of(p.mantissa, sy.decimal);
  if (point == -1) {
    p.integer = p.mantissa;
    p.fraction = p.suffix;
  } else {
    p.integer = substring(p.mantissa, 0, point);
    p.fraction = substring(p.mantissa, point + 1);
  }
  return p;
}

// F&O 4.7.3; when several rules fail, the reference reports the last one checked.
void validate(sub_picture const& p, symbols const& sy) {
  char const* code = nullptr;
  view sub = p.whole;
  auto point = index_of(sub, sy.decimal);
  if (point != last_index_of(sub, sy.decimal)) code = "D3081";
  if (index_of(sub, sy.percent) != last_index_of(sub, sy.percent)) code = "D3082";
  if (index_of(sub, sy.per_mille) != last_index_of(sub, sy.per_mille)) code = "D3083";
  if (contains(sub, sy.percent) && contains(sub, sy.per_mille)) code = "D3084";
  if (std::none_of(p.mantissa.begin(), p.mantissa.end(), [&](char16_t c) { return sy.in_family(c) || sy.is_digit_sign(c); }))
    code = "D3085";
  if (!std::all_of(p.active.begin(), p.active.end(), [&](char16_t c) { return sy.is_active(c); })) code = "D3086";
  if (point != -1) {
    if (char_at(sub, point - 1) == sy.grouping || char_at(sub, point + 1) == sy.grouping) code = "D3087";
  } else if (char_at(p.integer, static_cast<std::ptrdiff_t>(p.integer.size()) - 1) == sy.grouping) {
    code = "D3088";
  }
  if (contains(sub, sy.grouping + sy.grouping)) code = "D3089";
  auto optional_at = index_of(p.integer, sy.digit);
  if (optional_at != -1 && sy.count_family(substring(p.integer, 0, optional_at)) > 0) code = "D3090";
  optional_at = last_index_of(p.fraction, sy.digit);
  if (optional_at != -1 && sy.count_family(substring(p.fraction, optional_at)) > 0) code = "D3091";
  if (p.exponent && !p.exponent->empty() && (contains(sub, sy.percent) || contains(sub, sy.per_mille))) code = "D3092";
  if (p.exponent && (p.exponent->empty() || sy.count_family(*p.exponent) != p.exponent->size())) code = "D3093";
  if (!code) return;
  static std::map<std::string_view, char const*> const messages{
      {"D3081", "The sub-picture must not contain more than one instance of the 'decimal-separator' character"},
      {"D3082", "The sub-picture must not contain more than one instance of the 'percent' character"},
      {"D3083", "The sub-picture must not contain more than one instance of the 'per-mille' character"},
      {"D3084", "The sub-picture must not contain both a 'percent' and a 'per-mille' character"},
      {"D3085",
       "The mantissa part of a sub-picture must contain at least one character that is either an 'optional digit "
       "character' or a member of the 'decimal digit family'"},
      {"D3086",
       "The sub-picture must not contain a passive character that is preceded by an active character and that is "
       "followed by another active character"},
      {"D3087",
       "The sub-picture must not contain a 'grouping-separator' character that appears adjacent to a "
       "'decimal-separator' character"},
      {"D3088", "The sub-picture must not contain a 'grouping-separator' at the end of the integer part"},
      {"D3089", "The sub-picture must not contain two adjacent instances of the 'grouping-separator' character"},
      {"D3090",
       "The integer part of the sub-picture must not contain a member of the 'decimal digit family' that is followed "
       "by an instance of the 'optional digit character'"},
      {"D3091",
       "The fractional part of the sub-picture must not contain an instance of the 'optional digit character' that "
       "is followed by a member of the 'decimal digit family'"},
      {"D3092",
       "A sub-picture that contains a 'percent' or 'per-mille' character must not contain a character treated as an "
       "'exponent-separator'"},
      {"D3093",
       "The exponent part of the sub-picture must comprise only of one or more characters that are members of the "
       "'decimal digit family'"}};
  fail(code, messages.at(code));
}

struct layout {
  std::vector<int> integer_groups, fraction_groups;
  int regular = 0;
  int min_integer = 0, scaling = 0, min_fraction = 0, max_fraction = 0, min_exponent = 0;
  text prefix, suffix, whole;
};

// F&O 4.7.4
layout analyse(sub_picture const& p, symbols const& sy) {
  layout l;
  auto groups = [&](view part, bool to_left) {
    std::vector<int> positions;
    if (sy.grouping.empty()) return positions;  // the reference loops forever here
    for (auto at = index_of(part, sy.grouping); at != -1;
         at = index_of(p.integer, sy.grouping, static_cast<std::size_t>(at) + 1)) {
      auto side = to_left ? substring(part, 0, at) : substring(part, at);
      positions.push_back(static_cast<int>(sy.count_family(side, true)));
    }
    return positions;
  };
  l.integer_groups = groups(p.integer, false);
  if (!l.integer_groups.empty()) {
    int factor = std::accumulate(l.integer_groups.begin() + 1, l.integer_groups.end(), l.integer_groups.front(),
                                 [](int a, int b) { return std::gcd(a, b); });
    l.regular = factor;
    for (std::size_t k = 1; k <= l.integer_groups.size(); ++k)
      if (std::find(l.integer_groups.begin(), l.integer_groups.end(), static_cast<int>(k) * factor) ==
          l.integer_groups.end())
        l.regular = 0;
  }
  l.fraction_groups = groups(p.fraction, true);
  l.min_integer = l.scaling = static_cast<int>(sy.count_family(p.integer));
  l.min_fraction = static_cast<int>(sy.count_family(p.fraction));
  l.max_fraction = static_cast<int>(sy.count_family(p.fraction, true));
  bool has_exponent = p.exponent.has_value();
  if (l.min_integer == 0 && l.max_fraction == 0) {
    if (has_exponent)
      l.min_fraction = l.max_fraction = 1;
    else
      l.min_integer = 1;
  }
  if (has_exponent && l.min_integer == 0 && contains(p.integer, sy.digit)) l.min_integer = 1;
  if (l.min_integer == 0 && l.min_fraction == 0) l.min_fraction = 1;
  if (has_exponent) l.min_exponent = static_cast<int>(sy.count_family(*p.exponent));
  l.prefix = p.prefix;
  l.suffix = p.suffix;
  l.whole = p.whole;
  return l;
}

text repeat(view s, int times) {
  text out;
  for (int i = 0; i < times; ++i) out += s;
  return out;
}

text digits_text(double value, int decimals, symbols const& sy) {
  text out = detail::to_utf16(detail::js_fixed(value, decimals));
  if (sy.zero == u"0") return out;
  text mapped;
  for (char16_t c : out) {
    if (c < u'0' || c > u'9')
      mapped += c;
    else if (!sy.family.empty())  // an empty zero-digit has no digits: they vanish, as in the reference
      mapped += sy.family[static_cast<std::size_t>(c - u'0')];
  }
  return mapped;
}

}  // namespace

std::string format_number(double value, std::string_view picture_utf8, boost::json::object const* options) {
  symbols const sy(options);
  text const picture = detail::to_utf16(picture_utf8);
  std::vector<text> subs;
  if (sy.pattern.empty()) {
    for (char16_t c : picture) subs.emplace_back(1, c);
  } else {
    std::size_t from = 0;
    for (auto at = picture.find(sy.pattern); at != npos; at = picture.find(sy.pattern, from)) {
      subs.push_back(picture.substr(from, at - from));
      from = at + sy.pattern.size();
    }
    subs.push_back(picture.substr(from));
  }
  if (subs.size() > 2) fail("D3080", "The picture string must only contain a maximum of two sub-pictures");
  std::vector<sub_picture> parts;
  for (auto const& s : subs) parts.push_back(split_parts(s, sy));
  for (auto const& p : parts) validate(p, sy);
  std::vector<layout> layouts;
  for (auto const& p : parts) layouts.push_back(analyse(p, sy));
  if (layouts.size() == 1) {
    layouts.push_back(layouts.front());
    layouts.back().prefix = sy.minus + layouts.back().prefix;
  }
  layout const& pic = value >= 0 ? layouts[0] : layouts[1];

  double adjusted = value;
  if (contains(pic.whole, sy.percent))
    adjusted = value * 100;
  else if (contains(pic.whole, sy.per_mille))
    adjusted = value * 1000;

  double mantissa = adjusted;
  std::optional<int> exponent;
  if (pic.min_exponent != 0) {
    double const max_mantissa = std::pow(10.0, pic.scaling);
    double const min_mantissa = std::pow(10.0, pic.scaling - 1);
    exponent = 0;
    if (mantissa != 0 && std::isfinite(mantissa)) {  // the reference never ends on an infinite value
      while (std::fabs(mantissa) < min_mantissa) {
        mantissa *= 10;
        --*exponent;
      }
      while (std::fabs(mantissa) > max_mantissa) {
        mantissa /= 10;
        ++*exponent;
      }
    }
  }
  if (pic.max_fraction > 100) fail("D3137", "toFixed() digits argument must be between 0 and 100");  // a RangeError in the reference
  double const rounded = detail::round_half_even(mantissa, pic.max_fraction);
  text s = digits_text(rounded, pic.max_fraction, sy);
  if (auto dot = s.find(u'.'); dot == npos)
    s += sy.decimal;
  else
    s.replace(dot, 1, sy.decimal);
  while (char_at(s, 0) == sy.zero) s.erase(0, 1);
  while (char_at(s, static_cast<std::ptrdiff_t>(s.size()) - 1) == sy.zero) s.pop_back();

  auto point = index_of(s, sy.decimal);
  int pad_left = pic.min_integer - static_cast<int>(point);
  int pad_right = pic.min_fraction - (static_cast<int>(s.size()) - static_cast<int>(point) - 1);
  s = repeat(sy.zero, pad_left) + s + repeat(sy.zero, pad_right);

  point = index_of(s, sy.decimal);
  if (pic.regular > 0) {
    auto const count = (point - 1) / pic.regular;  // no group when the integer part is empty
    for (std::ptrdiff_t g = 1; g <= count; ++g) insert_at(s, point - g * pic.regular, sy.grouping);
  } else {
    for (int at : pic.integer_groups) {
      insert_at(s, point - at, sy.grouping);
      ++point;
    }
  }
  point = index_of(s, sy.decimal);
  for (int at : pic.fraction_groups) insert_at(s, at + point + 1, sy.grouping);

  point = index_of(s, sy.decimal);
  if (!contains(pic.whole, sy.decimal) || point == static_cast<std::ptrdiff_t>(s.size()) - 1)
    s = substring(s, 0, static_cast<std::ptrdiff_t>(s.size()) - 1);

  if (exponent) {
    text e = digits_text(*exponent, 0, sy);
    e = repeat(sy.zero, pic.min_exponent - static_cast<int>(e.size())) + e;
    s += sy.exponent + (*exponent < 0 ? sy.minus : text()) + e;
  }
  return detail::to_utf8(pic.prefix + s + pic.suffix);
}

std::string format_base(double value, double radix) {
  value = detail::round_half_even(value);
  radix = std::isnan(radix) ? 10 : detail::round_half_even(radix);
  if (!(radix >= 2 && radix <= 36))
    fail("D3100", "The radix of the formatBase function must be between 2 and 36.  It was given " +
                      (std::isfinite(radix) ? detail::js_number_text(radix) : std::string("null")));
  if (radix == 10 || !std::isfinite(value)) return detail::js_number_text(value);
  auto const base = static_cast<int>(radix);
  static char const digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  std::string out;
  double n = std::fabs(value);
  // As V8 writes an integer in another radix: the digits below the double's
  // precision are written as zeros, the rest exactly.
  while (n / base >= 9007199254740992.0) {
    n /= base;
    out += '0';
  }
  do {
    double digit = std::fmod(n, base);
    out += digits[static_cast<int>(digit)];
    n = (n - digit) / base;
  } while (n > 0);
  if (value < 0) out += '-';
  return {out.rbegin(), out.rend()};
}

}  // namespace stepsim::jsonata::picture
