// $toMillis and $parseInteger: reading timestamps and integers back through pictures.
#include "jsonata/picture.hpp"
#include "jsonata/picture_detail.hpp"

#include <boost/regex.hpp>

#include <array>
#include <charconv>
#include <cmath>
#include <functional>
#include <map>

namespace stepsim::jsonata::picture {

namespace detail {

namespace {

using text = std::u16string;
using view = std::u16string_view;

text ascii_case(view s, bool to_upper) {
  text out(s);
  for (auto& c : out) {
    if (to_upper && c >= u'a' && c <= u'z') c = static_cast<char16_t>(c - 32);
    if (!to_upper && c >= u'A' && c <= u'Z') c = static_cast<char16_t>(c + 32);
  }
  return out;
}

void erase_all(text& s, view what) {
  if (what.empty()) return;
  for (auto at = s.find(what); at != text::npos; at = s.find(what, at)) s.erase(at, what.size());
}

[[noreturn]] void unsupported(integer_format const& f) {
  fail("D3130", "Formatting or parsing an integer as a sequence starting with " + quoted(f.token) +
                    " is not supported by this implementation");
}

}  // namespace

double parse_integer_text(view value, integer_format const& f) {
  using style = integer_format::style;
  bool const upper = f.lettering == integer_format::letter_case::upper;
  switch (f.primary) {
    case style::letters: {
      double total = 0;
      char16_t const a = upper ? u'A' : u'a';
      for (std::size_t i = 0; i < value.size(); ++i)
        total += (static_cast<double>(value[value.size() - i - 1]) - a + 1) * std::pow(26.0, static_cast<double>(i));
      return total;
    }
    case style::roman: {
      static std::map<char16_t, double> const numerals{{u'M', 1000}, {u'D', 500}, {u'C', 100}, {u'L', 50},
                                                       {u'X', 10},   {u'V', 5},   {u'I', 1}};
      text const s = upper ? text(value) : ascii_case(value, true);
      double total = 0, largest = 1;
      for (auto i = s.size(); i-- > 0;) {
        auto it = numerals.find(s[i]);
        if (it == numerals.end()) return std::nan("");
        if (it->second < largest) {
          total -= it->second;
        } else {
          largest = it->second;
          total += it->second;
        }
      }
      return total;
    }
    case style::words:
      return words_value(ascii_case(value, false));
    case style::decimal: {
      text digits(value);
      if (f.ordinal) digits = digits.substr(0, digits.size() >= 2 ? digits.size() - 2 : 0);
      if (f.regular) {
        erase_all(digits, u",");  // the reference strips commas, whatever the separator
      } else {
        for (auto const& sep : f.separators) erase_all(digits, sep.character);
      }
      if (f.zero != U'0') {
        text shifted;
        for (char16_t c : digits) {
          auto const cp = static_cast<std::int64_t>(c) - static_cast<std::int64_t>(f.zero) + 0x30;
          if (cp < 0) fail("D3137", "Invalid code point " + std::to_string(cp));  // a RangeError in the reference
          append_code_point(shifted, static_cast<char32_t>(cp));
        }
        digits = shifted;
      }
      return js_parse_int(digits);
    }
    case style::sequence:
      unsupported(f);
  }
  return std::nan("");
}

std::string integer_regex(integer_format const& f) {
  using style = integer_format::style;
  bool const upper = f.lettering == integer_format::letter_case::upper;
  switch (f.primary) {
    case style::letters:
      return upper ? "[A-Z]+" : "[a-z]+";
    case style::roman:
      return upper ? "[MDCLXVI]+" : "[mdclxvi]+";
    case style::words: {
      std::string r = "(?:";
      for (auto const& w : number_word_list()) r += to_utf8(w) + '|';
      return r + "and|[\\-, ])+";
    }
    case style::decimal: {
      std::string r = "[0-9]";
      r += f.parse_width > 0 ? "{" + std::to_string(f.parse_width) + "}" : "+";
      if (f.ordinal) r += "(?:th|st|nd|rd)";
      return r;
    }
    case style::sequence:
      unsupported(f);
  }
  return {};
}

namespace {

// How one capture of a picture's regular expression is read: nullopt = undefined.
struct capture_reader {
  char16_t component = 0;
  std::string regex;
  std::function<std::optional<double>(view)> read;  // empty for literals
};

std::string escape_literal(std::string const& s) {
  std::string out;
  for (char c : s) {
    if (std::string_view(".*+?^${}()|[]\\").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

capture_reader reader_for(date_marker const& part) {
  capture_reader r;
  r.component = part.component;
  if (part.component == 0) {
    r.regex = escape_literal(to_utf8(part.literal));
    return r;
  }
  if (part.component == u'Z' || part.component == u'z') {
    std::optional<text> separator;
    if (part.integer->regular) separator = part.integer->separators[0].character;
    bool const gmt = part.component == u'z';
    r.regex = std::string(gmt ? "GMT" : "") + "[-+][0-9]+" + (separator ? to_utf8(*separator) + "[0-9]+" : "");
    r.read = [gmt, separator](view v) -> std::optional<double> {
      text value(gmt ? v.substr(std::min<std::size_t>(3, v.size())) : v);
      double hours = 0, minutes = 0;
      if (separator) {
        auto at = value.find(*separator);
        hours = js_parse_int(value.substr(0, at == text::npos ? value.size() : at));
        minutes = js_parse_int(at == text::npos ? value : value.substr(at + 1));
      } else if (value.size() <= 3) {
        hours = js_parse_int(value);
      } else {
        hours = js_parse_int(value.substr(0, 3));
        minutes = js_parse_int(value.substr(3));
      }
      return hours * 60 + minutes;
    };
    return r;
  }
  if (part.component == u'f') {
    r.regex = "[0-9]+";
    r.read = [](view v) -> std::optional<double> {
      std::string s = "0." + to_utf8(v.substr(0, 3));
      double fraction = 0;
      std::from_chars(s.data(), s.data() + s.size(), fraction);
      return fraction * 1000;
    };
    return r;
  }
  if (part.integer) {
    r.regex = integer_regex(*part.integer);
    r.read = [format = *part.integer](view v) -> std::optional<double> { return parse_integer_text(v, format); };
    return r;
  }
  r.regex = "[a-zA-Z]+";
  std::map<text, double> names;
  // names are cut to the maximum width when one is given (and is not 0 or NaN)
  double const width = part.has_width && part.max_width ? part.max_width.value_or(0) : 0;
  auto shorten = [width](text name) {
    if (width == 0 || std::isnan(width)) return name;
    return width < 0 ? text() : name.substr(0, static_cast<std::size_t>(width));
  };
  if (part.component == u'M' || part.component == u'x') {
    for (int i = 0; i < 12; ++i) names[shorten(month_name(i))] = i + 1;
  } else if (part.component == u'F') {
    for (int i = 1; i <= 7; ++i) names[shorten(day_name(i))] = i;
  } else if (part.component == u'P') {
    names = {{u"am", 0}, {u"AM", 0}, {u"pm", 1}, {u"PM", 1}};
  } else {
    fail("D3133", "The 'name' modifier can only be applied to months and days in the date/time picture string, not " +
                      quoted(text(1, part.component)));
  }
  r.read = [names = std::move(names)](view v) -> std::optional<double> {
    auto it = names.find(text(v));
    return it == names.end() ? std::nullopt : std::optional<double>(it->second);
  };
  return r;
}

[[noreturn]] void missing_specifiers() {
  fail("D3136", "The date/time picture string is missing specifiers required to parse the timestamp");
}

}  // namespace

}  // namespace detail

namespace {

std::optional<double> parse_with_picture(std::string_view timestamp, std::string_view picture, std::int64_t now_millis) {
  auto const spec = detail::analyse_date_picture(detail::to_utf16(picture));
  std::vector<detail::capture_reader> readers;
  std::string pattern = "^";
  for (auto const& part : spec) {
    readers.push_back(detail::reader_for(part));
    pattern += '(' + readers.back().regex + ')';
  }
  pattern += '$';
  boost::match_results<std::string_view::const_iterator> match;
  try {
    boost::regex const re(pattern, boost::regex::ECMAScript | boost::regex::icase);
    if (!boost::regex_search(timestamp.begin(), timestamp.end(), match, re)) return std::nullopt;
  } catch (boost::regex_error const& e) {
    // a separator that is a regular-expression character; the reference throws a SyntaxError
    detail::fail("D3137", std::string("Invalid regular expression from the date/time picture string: ") + e.what());
  } catch (std::runtime_error const& e) {
    // Boost.Regex gives up on a match whose backtracking explodes (many number words)
    detail::fail("D3137", std::string("The timestamp is too complex to match the picture: ") + e.what());
  }

  // components present (even when read as undefined), by letter
  std::map<char16_t, std::optional<double>> found;
  for (std::size_t i = 0; i < readers.size(); ++i)
    if (readers[i].read) found[readers[i].component] = readers[i].read(detail::to_utf16(match[static_cast<int>(i) + 1].str()));
  if (found.empty()) return std::nullopt;

  auto defined = [&](char16_t c) {
    auto it = found.find(c);
    return it != found.end() && it->second.has_value();
  };
  auto mask_of = [&](std::u16string_view letters) {
    unsigned mask = 0;
    for (char16_t c : letters) {
      auto it = found.find(c);
      bool const set = it != found.end() && it->second && *it->second != 0 && !std::isnan(*it->second);
      mask = (mask << 1) | (set ? 1u : 0u);
    }
    return mask;
  };
  auto is_type = [](unsigned type, unsigned mask) { return (~type & mask) == 0 && (type & mask) != 0; };
  unsigned const date_mask = mask_of(u"YXMxWwdD");
  bool const date_a = is_type(161, date_mask);
  bool const date_b = !date_a && is_type(130, date_mask);
  bool const date_c = is_type(84, date_mask);
  bool const date_d = !date_c && is_type(72, date_mask);
  unsigned const time_mask = mask_of(u"PHhmsf");
  bool const time_a = is_type(23, time_mask);
  bool const time_b = !time_a && is_type(47, time_mask);

  std::u16string order = date_b ? u"YD" : date_c ? u"XxwF" : date_d ? u"XWF" : u"YMD";
  order += time_b ? u"Phmsf" : u"Hmsf";
  auto const now = detail::civil_from_millis(static_cast<double>(now_millis));
  std::map<char16_t, double> value;
  for (auto const& [c, v] : found)
    if (v) value[c] = *v;
  bool started = false, ended = false;
  for (char16_t c : order) {
    if (!defined(c)) {
      if (started) {
        value[c] = (c == u'M' || c == u'D' || c == u'd') ? 1 : 0;
        ended = true;
      } else {
        // the reference takes "am"/"pm" text here, which is never the pm flag 1
        value[c] = c == u'P' ? std::nan("") : detail::date_component(now, c);
      }
    } else {
      started = true;
      if (ended) detail::missing_specifiers();
    }
  }
  auto get = [&](char16_t c) {
    auto it = value.find(c);
    return it == value.end() ? std::nan("") : it->second;
  };
  double month0 = get(u'M') > 0 ? get(u'M') - 1 : 0;
  double day = get(u'D');
  if (date_b) {
    auto const derived = detail::civil_from_millis(detail::js_date_utc(get(u'Y'), 0) + (get(u'd') - 1) * 86400000.0);
    month0 = derived.month0;
    day = derived.day;
  }
  if (date_c || date_d) detail::missing_specifiers();
  double hours = get(u'H');
  if (time_b) {
    hours = get(u'h') == 12 ? 0 : get(u'h');
    if (get(u'P') == 1) hours += 12;
  }
  double millis = detail::js_date_utc(get(u'Y'), month0, day, hours, get(u'm'), get(u's'), get(u'f'));
  double zone = get(u'Z');
  if (std::isnan(zone) || zone == 0) zone = get(u'z');
  if (!std::isnan(zone) && zone != 0) millis -= zone * 60 * 1000;
  return millis;
}

// Date.parse of the shapes the reference lets through: yyyy[-mm[-dd]][Thh:mm:ss[.f+]][Z|±hh[:]mm]
std::optional<double> parse_iso(std::string_view s) {
  static boost::regex const shape(
      R"(^(\d{4})(?:-([01]\d))?(?:-([0-3]\d))?(?:T([0-2]\d):([0-5]\d):([0-5]\d))?(?:\.(\d+))?([+-][0-2]\d:?[0-5]\d|Z)?$)");
  boost::match_results<std::string_view::const_iterator> m;
  if (!boost::regex_search(s.begin(), s.end(), m, shape)) return std::nullopt;
  auto number = [&](int i, double absent) {
    if (!m[i].matched) return absent;
    double v = 0;
    for (char c : m[i].str()) v = v * 10 + (c - '0');
    return v;
  };
  double const nan = std::nan("");
  bool const has_time = m[4].matched;
  if (m[7].matched && !has_time) return nan;  // a fraction needs a time of day
  std::string const zone = m[8].matched ? m[8].str() : "";
  if (!has_time && !zone.empty() && zone != "Z") return nan;  // a date alone takes only Z
  double const year = number(1, 0), month = number(2, 1), day = number(3, 1);
  double const hours = number(4, 0), minutes = number(5, 0), seconds = number(6, 0);
  double millis = 0;
  if (m[7].matched) {
    std::string const f = m[7].str();
    for (std::size_t i = 0; i < 3; ++i) millis = millis * 10 + (i < f.size() ? f[i] - '0' : 0);
  }
  if (month < 1 || month > 12 || day < 1 || day > 31) return nan;
  if (hours > 24 || (hours == 24 && (minutes != 0 || seconds != 0 || millis != 0))) return nan;
  double offset = 0;
  if (!zone.empty() && zone != "Z") {
    double const zh = (zone[1] - '0') * 10 + (zone[2] - '0');
    std::size_t const mm = zone[3] == ':' ? 4 : 3;
    double const zm = (zone[mm] - '0') * 10 + (zone[mm + 1] - '0');
    if (zh > 23) return nan;
    offset = (zone[0] == '-' ? -1 : 1) * (zh * 60 + zm);
  }
  double const t = detail::utc_time(year, month - 1, day, hours, minutes, seconds, millis) - offset * 60000;
  return std::fabs(t) <= 8.64e15 ? t : nan;
}

}  // namespace

std::optional<double> to_millis(std::string_view timestamp, std::optional<std::string_view> picture,
                                std::int64_t now_millis) {
  if (picture) return parse_with_picture(timestamp, *picture, now_millis);
  auto const value = parse_iso(timestamp);
  if (!value)
    detail::fail("D3110", "The argument of the toMillis function must be an ISO 8601 formatted timestamp. Given " +
                              detail::quoted(detail::to_utf16(timestamp)));
  return value;
}

}  // namespace stepsim::jsonata::picture
