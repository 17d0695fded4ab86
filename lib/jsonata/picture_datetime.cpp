// $fromMillis and $now: XPath F&O 3.1 format-dateTime pictures, as jsonata-js reads them,
// on proleptic Gregorian dates computed here (no C library time functions).
#include "jsonata/picture.hpp"
#include "jsonata/picture_detail.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace stepsim::jsonata::picture {

namespace detail {

namespace {

using text = std::u16string;
using view = std::u16string_view;

constexpr double ms_per_day = 86400000.0;
constexpr double max_time = 8.64e15;

constexpr std::array<char16_t const*, 12> month_names{u"January", u"February", u"March",     u"April",
                                                      u"May",     u"June",     u"July",      u"August",
                                                      u"September", u"October", u"November", u"December"};
constexpr std::array<char16_t const*, 8> day_names{u"",         u"Monday", u"Tuesday",  u"Wednesday",
                                                   u"Thursday", u"Friday", u"Saturday", u"Sunday"};

// Days since 1970-01-01 of a proleptic Gregorian date (month 1..12).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  std::int64_t const era = (y >= 0 ? y : y - 399) / 400;
  auto const yoe = static_cast<unsigned>(y - era * 400);
  unsigned const doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  unsigned const doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  std::int64_t const era = (z >= 0 ? z : z - 146096) / 146097;
  auto const doe = static_cast<unsigned>(z - era * 146097);
  unsigned const yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  unsigned const doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned const mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2);
}

std::optional<double> width_value(std::optional<text> const& w) {
  if (!w || *w == u"*") return std::nullopt;
  double const width = js_parse_int(*w);
  if (std::fabs(width) > max_digits) fail("D3137", "Invalid string length");  // padding past any sane string
  return width;
}

char16_t const* default_presentation(char16_t component) {
  switch (component) {
    case u'Y': case u'M': case u'D': case u'd': case u'W': case u'w': case u'X': case u'x':
    case u'H': case u'h': case u'f':
      return u"1";
    case u'F': case u'P': case u'C': case u'E':
      return u"n";
    case u'm': case u's':
      return u"01";
    case u'Z': case u'z':
      return u"01:01";
    default:
      return nullptr;
  }
}

bool is_one_of(char16_t c, view set) { return c != 0 && set.find(c) != view::npos; }

double first_week_start(double year, double month0) {
  double const first = js_date_utc(year, month0);
  double weekday = civil_from_millis(first).weekday;
  if (weekday == 0) weekday = 7;
  return weekday > 4 ? first + (8 - weekday) * ms_per_day : first - (weekday - 1) * ms_per_day;
}

double week_count(double start, double end) { return (end - start) / (ms_per_day * 7) + 1; }

}  // namespace

double utc_time(double year, double month0, double day, double hours, double minutes, double seconds,
                double millis) {
  for (double v : {year, month0, day, hours, minutes, seconds, millis})
    if (!std::isfinite(v)) return std::nan("");
  double const m = std::trunc(month0);
  double const whole_year = std::trunc(year) + std::floor(m / 12);
  double const month = m - std::floor(m / 12) * 12;
  if (std::fabs(whole_year) > 400000) return std::nan("");  // far past the representable range
  double const days = static_cast<double>(days_from_civil(static_cast<std::int64_t>(whole_year),
                                                          static_cast<unsigned>(month) + 1, 1)) +
                      std::trunc(day) - 1;
  double const time = std::trunc(hours) * 3600000 + std::trunc(minutes) * 60000 + std::trunc(seconds) * 1000 +
                      std::trunc(millis);
  double const t = days * ms_per_day + time;
  if (!(std::fabs(t) <= max_time)) return std::nan("");
  return std::trunc(t) + 0.0;
}

double js_date_utc(double year, double month0, double day, double hours, double minutes, double seconds,
                   double millis) {
  if (std::isfinite(year) && std::trunc(year) >= 0 && std::trunc(year) <= 99) year = std::trunc(year) + 1900;
  return utc_time(year, month0, day, hours, minutes, seconds, millis);
}

civil_time civil_from_millis(double millis) {
  civil_time c;
  if (!(std::fabs(millis) <= max_time)) {
    double const nan = std::nan("");
    c = {nan, nan, nan, nan, nan, nan, nan, nan, nan};
    return c;
  }
  c.time = std::trunc(millis) + 0.0;
  double const days = std::floor(c.time / ms_per_day);
  auto in_day = static_cast<std::int64_t>(c.time - days * ms_per_day);
  std::int64_t y = 0;
  unsigned m = 0, d = 0;
  civil_from_days(static_cast<std::int64_t>(days), y, m, d);
  c.year = static_cast<double>(y);
  c.month0 = m - 1;
  c.day = d;
  c.weekday = static_cast<double>(((static_cast<std::int64_t>(days) + 4) % 7 + 7) % 7);
  c.hours = static_cast<double>(in_day / 3600000);
  c.minutes = static_cast<double>(in_day / 60000 % 60);
  c.seconds = static_cast<double>(in_day / 1000 % 60);
  c.millis = static_cast<double>(in_day % 1000);
  return c;
}

double date_component(civil_time const& t, char16_t component) {
  switch (component) {
    case u'Y': return t.year;
    case u'M': return t.month0 + 1;
    case u'D': return t.day;
    case u'd': return (js_date_utc(t.year, t.month0, t.day) - js_date_utc(t.year, 0)) / ms_per_day + 1;
    case u'F': return t.weekday == 0 ? 7 : t.weekday;
    case u'W': {
      double const today = js_date_utc(t.year, t.month0, t.day);
      double week = week_count(first_week_start(t.year, 0), today);
      if (week > 52) {
        if (today >= first_week_start(t.year + 1, 0)) week = 1;
      } else if (week < 1) {
        week = week_count(first_week_start(t.year - 1, 0), today);
      }
      return std::floor(week);
    }
    case u'w': {
      double const today = js_date_utc(t.year, t.month0, t.day);
      double week = week_count(first_week_start(t.year, t.month0), today);
      if (week > 4) {
        double const ny = t.month0 == 11 ? t.year + 1 : t.year, nm = t.month0 == 11 ? 0 : t.month0 + 1;
        if (today >= first_week_start(ny, nm)) week = 1;
      } else if (week < 1) {
        double const py = t.month0 == 0 ? t.year - 1 : t.year, pm = t.month0 == 0 ? 11 : t.month0 - 1;
        week = week_count(first_week_start(py, pm), today);
      }
      return std::floor(week);
    }
    case u'X':
      if (t.time < first_week_start(t.year, 0)) return t.year - 1;
      if (t.time >= first_week_start(t.year + 1, 0)) return t.year + 1;
      return t.year;
    case u'x': {
      double const ny = t.month0 == 11 ? t.year + 1 : t.year, nm = t.month0 == 11 ? 0 : t.month0 + 1;
      if (t.time < first_week_start(t.year, t.month0)) return (t.month0 == 0 ? 11 : t.month0 - 1) + 1;
      if (t.time >= first_week_start(ny, nm)) return nm + 1;
      return t.month0 + 1;
    }
    case u'H': return t.hours;
    case u'h': {
      double h = std::fmod(t.hours, 12);
      return h == 0 ? 12 : h;
    }
    case u'P': return t.hours >= 12 ? 1 : 0;
    case u'm': return t.minutes;
    case u's': return t.seconds;
    case u'f': return t.millis;
    default: return std::nan("");
  }
}

std::vector<date_marker> analyse_date_picture(view picture) {
  std::vector<date_marker> spec;
  auto add_literal = [&](std::size_t from, std::size_t to) {
    if (to <= from) return;
    text lit(picture.substr(from, to - from));
    for (auto at = lit.find(u"]]"); at != text::npos; at = lit.find(u"]]", at + 1)) lit.erase(at, 1);
    date_marker m;
    m.literal = std::move(lit);
    spec.push_back(std::move(m));
  };
  std::size_t start = 0, pos = 0;
  while (pos < picture.size()) {
    if (picture[pos] == u'[') {
      if (pos + 1 < picture.size() && picture[pos + 1] == u'[') {
        add_literal(start, pos);
        date_marker m;
        m.literal = u"[";
        spec.push_back(std::move(m));
        pos += 2;
        start = pos;
        continue;
      }
      add_literal(start, pos);
      start = pos;
      pos = picture.find(u']', start);
      if (pos == view::npos) fail("D3135", "No matching closing bracket ']' in date/time picture string");
      text marker;
      for (char16_t c : picture.substr(start + 1, pos - start - 1))
        if (!is_js_space(c)) marker += c;
      date_marker def;
      def.component = marker.empty() ? 0 : marker[0];
      text presentation;
      if (auto comma = marker.rfind(u','); comma != text::npos) {
        text const width = marker.substr(comma + 1);
        std::optional<text> min, max;
        if (auto dash = width.find(u'-'); dash == text::npos) {
          min = width;
        } else {
          min = width.substr(0, dash);
          max = width.substr(dash + 1);
        }
        def.has_width = true;
        def.min_width = width_value(min);
        def.max_width = width_value(max);
        presentation = js_substring(marker, 1, static_cast<std::ptrdiff_t>(comma));
      } else {
        presentation = marker.empty() ? text() : marker.substr(1);
      }
      if (presentation.size() == 1) {
        def.presentation1 = presentation;
      } else if (presentation.size() > 1) {
        char16_t const last = presentation.back();
        if (is_one_of(last, u"atco")) {
          def.presentation2 = last;
          def.presentation1 = presentation.substr(0, presentation.size() - 1);
        } else {
          def.presentation1 = presentation;
        }
      } else if (auto const* d = default_presentation(def.component)) {
        def.presentation1 = d;
      } else {
        fail("D3132", "Unknown component specifier " + quoted(text(marker.substr(0, marker.empty() ? 0 : 1))) +
                          " in date/time picture string");
      }
      using names = date_marker::names_case;
      if (def.presentation1[0] == u'n') {
        def.names = names::lower;
      } else if (def.presentation1[0] == u'N') {
        def.names = def.presentation1.size() > 1 && def.presentation1[1] == u'n' ? names::title : names::upper;
      } else if (is_one_of(def.component, u"YMDdFWwXxHhmsf")) {
        text pattern = def.presentation1;
        if (def.presentation2) {
          pattern += u';';
          pattern += def.presentation2;
        }
        auto format = analyse_integer(pattern);
        // digit counts exist only for decimal patterns (names, words and numerals have none)
        bool const decimal = format.primary == integer_format::style::decimal;
        if (decimal && def.has_width && def.min_width && format.mandatory_digits < *def.min_width)
          format.mandatory_digits = static_cast<int>(*def.min_width);
        if (def.component == u'Y') {
          def.year_digits = -1;
          if (def.has_width && def.max_width) {
            def.year_digits = *def.max_width;
            format.mandatory_digits = std::isnan(*def.max_width) ? 0 : static_cast<int>(*def.max_width);
          } else if (decimal && format.mandatory_digits + format.optional_digits >= 2) {
            def.year_digits = format.mandatory_digits + format.optional_digits;
          }
        }
        // adjacent numbers can only be told apart by their exact widths
        if (!spec.empty() && spec.back().integer) spec.back().integer->parse_width = spec.back().integer->mandatory_digits;
        def.integer = std::move(format);
      }
      if (def.component == u'Z' || def.component == u'z') def.integer = analyse_integer(def.presentation1);
      spec.push_back(std::move(def));
      start = pos + 1;
    }
    ++pos;
  }
  add_literal(start, pos);
  return spec;
}

std::u16string month_name(int index0) { return month_names.at(static_cast<std::size_t>(index0)); }
std::u16string day_name(int iso_day) { return day_names.at(static_cast<std::size_t>(iso_day)); }

namespace {

text format_component(detail::civil_time const& date, date_marker const& m, double offset_hours,
                      double offset_minutes) {
  using names = date_marker::names_case;
  double value = detail::date_component(date, m.component);
  if (detail::is_one_of(m.component, u"YMDdFWwXxHhms")) {
    if (m.component == u'Y' && m.year_digits != -1) value = std::fmod(value, std::pow(10.0, m.year_digits));
    if (m.names == names::none) return detail::format_integer(value, *m.integer);
    text name;
    bool const named = m.component == u'M' || m.component == u'x' ? value >= 1 && value <= 12 : value >= 1 && value <= 7;
    if (!named && (m.component == u'M' || m.component == u'x' || m.component == u'F')) {
      // an invalid date has no name: the reference prints "undefined" or fails using it
      if (m.names == names::title && !m.has_width) return u"undefined";
      fail("D3137", std::string("Cannot read properties of undefined (reading '") +
                        (m.names == names::upper ? "toUpperCase" : m.names == names::lower ? "toLowerCase" : "length") + "')");
    }
    if (m.component == u'M' || m.component == u'x') {
      name = month_names[static_cast<std::size_t>(value - 1)];
    } else if (m.component == u'F') {
      name = day_names[static_cast<std::size_t>(value)];
    } else {
      detail::fail("D3133", "The 'name' modifier can only be applied to months and days in the date/time picture string, not " +
                                detail::quoted(text(1, m.component)));
    }
    for (auto& c : name) {
      if (m.names == names::upper && c >= u'a' && c <= u'z') c = static_cast<char16_t>(c - 32);
      if (m.names == names::lower && c >= u'A' && c <= u'Z') c = static_cast<char16_t>(c + 32);
    }
    if (m.has_width && m.max_width && static_cast<double>(name.size()) > *m.max_width)
      name = name.substr(0, static_cast<std::size_t>(std::max(0.0, *m.max_width)));
    return name;
  }
  switch (m.component) {
    case u'f':
      if (!m.integer)  // the reference fails reading a format it never made
        fail("D3137", "Cannot read properties of undefined (reading 'primary')");  // a TypeError in the reference
      return detail::format_integer(value, *m.integer);
    case u'Z':
    case u'z': {
      double const offset = offset_hours * 100 + offset_minutes;
      text out;
      auto const& format = *m.integer;
      if (format.regular) {
        out = detail::format_integer(offset, format);
      } else if (format.mandatory_digits == 1 || format.mandatory_digits == 2) {
        out = detail::format_integer(offset_hours, format);
        if (offset_minutes != 0) {
          out += u':';
          out += detail::format_integer(std::floor(offset_minutes), detail::analyse_integer(u"00"));
        }
      } else if (format.mandatory_digits == 3 || format.mandatory_digits == 4) {
        out = detail::format_integer(offset, format);
      } else {
        detail::fail("D3134", "The timezone integer format specifier cannot have more than four digits");
      }
      if (offset >= 0) out.insert(out.begin(), u'+');
      if (m.component == u'z') out.insert(0, u"GMT");
      if (offset == 0 && m.presentation2 == u't') out = u"Z";
      return out;
    }
    case u'P':
      return m.names == names::upper ? (value == 1 ? u"PM" : u"AM") : (value == 1 ? u"pm" : u"am");
    case u'C':
    case u'E':
      return u"ISO";
    default:
      return u"undefined";  // what the reference prints for a component it does not know
  }
}

std::vector<date_marker> const& iso_picture() {
  static auto const spec =
      detail::analyse_date_picture(u"[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]");
  return spec;
}

}  // namespace

}  // namespace detail

std::optional<std::string> from_millis(double millis, std::optional<std::string_view> picture,
                                       std::optional<std::string_view> timezone) {
  double offset_hours = 0, offset_minutes = 0;
  if (timezone) {
    double const offset = detail::js_parse_int(detail::to_utf16(*timezone));
    offset_hours = std::floor(offset / 100);
    offset_minutes = std::fmod(offset, 100);
  }
  using detail::date_marker;
  std::vector<date_marker> own;
  if (picture) own = detail::analyse_date_picture(detail::to_utf16(*picture));
  auto const& spec = picture ? own : detail::iso_picture();
  auto const date = detail::civil_from_millis(millis + (60 * offset_hours + offset_minutes) * 60000);
  std::u16string out;
  for (auto const& part : spec)
    out += part.component == 0 ? part.literal : detail::format_component(date, part, offset_hours, offset_minutes);
  return detail::to_utf8(out);
}

std::string iso_timestamp(std::int64_t millis) { return *from_millis(static_cast<double>(millis), std::nullopt, std::nullopt); }

}  // namespace stepsim::jsonata::picture
