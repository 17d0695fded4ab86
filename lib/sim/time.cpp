#include <stepsim/sim/time.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace stepsim::sim {

namespace chr = std::chrono;

std::string seconds_range() {
  return "a finite number of seconds between -100000000000 and 100000000000 (about 3,168 years)";
}

std::string milliseconds_range() {
  return "a finite number of milliseconds between -100000000000000 and 100000000000000 (about 3,168 years)";
}

namespace {

// Microseconds, rounded half away from zero; |us| <= 1e17 fits the tick type.
duration round_micros(double us) noexcept { return duration{static_cast<duration::rep>(std::llround(us))}; }

}  // namespace

std::optional<duration> seconds_to_duration(double seconds) noexcept {
  if (!std::isfinite(seconds) || std::fabs(seconds) > max_seconds) return std::nullopt;
  return round_micros(seconds * 1e6);
}

std::optional<duration> milliseconds_to_duration(double ms) noexcept {
  if (!std::isfinite(ms) || std::fabs(ms) > max_seconds * 1e3) return std::nullopt;
  return round_micros(ms * 1e3);
}

duration saturating_seconds(double seconds) noexcept {
  if (std::isnan(seconds)) return duration::zero();
  return round_micros(std::clamp(seconds, -max_seconds, max_seconds) * 1e6);
}

duration saturating_milliseconds(double ms) noexcept {
  if (std::isnan(ms)) return duration::zero();
  return round_micros(std::clamp(ms, -max_seconds * 1e3, max_seconds * 1e3) * 1e3);
}

duration saturating_mul(duration d, std::int64_t k) noexcept {
  duration::rep out = 0;
  if (!__builtin_mul_overflow(d.count(), k, &out)) return duration{out};
  return (d.count() < 0) == (k < 0) ? duration::max() : duration::min();
}

duration saturating_add(duration a, duration b) noexcept {
  duration::rep out = 0;
  if (!__builtin_add_overflow(a.count(), b.count(), &out)) return duration{out};
  return b.count() > 0 ? duration::max() : duration::min();
}

instant saturating_add(instant t, duration d) noexcept {
  duration::rep out = 0;
  if (!__builtin_add_overflow(t.time_since_epoch().count(), d.count(), &out)) return instant{duration{out}};
  return d.count() > 0 ? instant::max() : instant::min();
}

duration saturating_sub(instant a, instant b) noexcept {
  duration::rep out = 0;
  if (!__builtin_sub_overflow(a.time_since_epoch().count(), b.time_since_epoch().count(), &out)) return duration{out};
  return a > b ? duration::max() : duration::min();
}

std::string format_iso8601(instant t) {
  // floor, not duration_cast: instants before 1970 must round towards the past.
  const auto ms = chr::floor<chr::milliseconds>(t);
  const auto day = chr::floor<chr::days>(ms);
  const chr::year_month_day ymd{day};
  const chr::hh_mm_ss tod{ms - day};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                     tod.hours().count(), tod.minutes().count(), tod.seconds().count(),
                     tod.subseconds().count());
}

namespace {

// A cursor over the text; every reader returns false when the text does not match.
struct reader {
  std::string_view s;
  std::size_t i = 0;

  bool at_end() const { return i == s.size(); }
  bool peek(char c) const { return i < s.size() && s[i] == c; }
  bool is_digit() const { return i < s.size() && s[i] >= '0' && s[i] <= '9'; }

  bool literal(char c) {
    if (!peek(c)) return false;
    ++i;
    return true;
  }
  // Java's ISO formatters parse case-insensitively ('t', 'z').
  bool letter(char upper) { return literal(upper) || literal(static_cast<char>(upper - 'A' + 'a')); }

  bool digits(int n, int& out) {
    out = 0;
    for (int k = 0; k < n; ++k) {
      if (!is_digit()) return false;
      out = out * 10 + (s[i++] - '0');
    }
    return true;
  }
};

// Zone designator of Java's appendOffsetId(): Z, +hh:mm or +hh:mm:ss, at most 18 hours.
bool read_offset(reader& r, chr::seconds& offset) {
  if (r.letter('Z')) {
    offset = chr::seconds{0};
    return true;
  }
  int sign = 0;
  if (r.literal('+')) sign = 1;
  else if (r.literal('-')) sign = -1;
  else return false;
  int hh = 0, mm = 0, ss = 0;
  if (!r.digits(2, hh) || !r.literal(':') || !r.digits(2, mm)) return false;
  if (r.literal(':') && !r.digits(2, ss)) return false;
  if (mm > 59 || ss > 59) return false;
  const chr::seconds total = chr::hours{hh} + chr::minutes{mm} + chr::seconds{ss};
  if (total > chr::hours{18}) return false;
  offset = sign * total;
  return true;
}

}  // namespace

std::optional<instant> parse_iso8601(std::string_view text) {
  reader r{text};
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  if (!r.digits(4, y) || !r.literal('-') || !r.digits(2, mo) || !r.literal('-') || !r.digits(2, d))
    return std::nullopt;
  if (!r.letter('T') || !r.digits(2, h) || !r.literal(':') || !r.digits(2, mi)) return std::nullopt;

  duration fraction{0};
  if (r.literal(':')) {
    if (!r.digits(2, sec)) return std::nullopt;
    if (r.literal('.')) {
      // 1 to 9 digits as Java accepts (nanoseconds); we keep the first six.
      std::int64_t micros = 0;
      int n = 0;
      for (; r.is_digit(); ++n) {
        const int digit = text[r.i++] - '0';
        if (n < 6) micros = micros * 10 + digit;
      }
      if (n == 0 || n > 9) return std::nullopt;
      for (int k = n; k < 6; ++k) micros *= 10;
      fraction = duration{micros};
    }
  }

  chr::seconds offset{0};
  if (!read_offset(r, offset) || !r.at_end()) return std::nullopt;

  const chr::year_month_day ymd{chr::year{y}, chr::month{static_cast<unsigned>(mo)},
                                chr::day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || h > 23 || mi > 59 || sec > 59) return std::nullopt;

  const instant t =
      instant{chr::sys_days{ymd}} + chr::hours{h} + chr::minutes{mi} + chr::seconds{sec} + fraction - offset;
  if (t < earliest_instant || t > latest_instant) return std::nullopt;
  return t;
}

}  // namespace stepsim::sim
