#include <stepsim/json/number_text.hpp>

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string_view>

namespace stepsim::json {

namespace {

/// Shortest decimal digits that round-trip `mag` (> 0, finite) and the decimal
/// exponent of the first one: mag = 0.d1d2d3... * 10^(exponent + 1).
/// With `at_least_two`, a one-digit result becomes the correctly rounded pair
/// (Java's E notation prints 4.9E-324, not 5.0E-324).
void shortest_digits(double mag, bool at_least_two, std::string& digits, int& exponent) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, mag, std::chars_format::scientific);
  (void)ec;
  std::string_view sci(buf, static_cast<std::size_t>(end - buf));
  auto epos = sci.find('e');
  digits.clear();
  for (char c : sci.substr(0, epos))
    if (c != '.') digits += c;
  if (digits.size() == 1 && at_least_two) {
    auto [e2, ec2] = std::to_chars(buf, buf + sizeof buf, mag, std::chars_format::scientific, 1);
    (void)ec2;
    sci = std::string_view(buf, static_cast<std::size_t>(e2 - buf));
    digits = {sci[0], sci[2]};
    epos = sci.find('e');
  }
  exponent = std::atoi(std::string(sci.substr(epos + 1)).c_str());
}

/// Appends `NaN`, `Infinity` or `-Infinity` (Java and JavaScript agree) and
/// says whether `d` was one of them.
bool append_non_finite(std::string& out, double d) {
  if (std::isnan(d)) out += "NaN";
  else if (std::isinf(d)) out += d < 0 ? "-Infinity" : "Infinity";
  else return false;
  return true;
}

}  // namespace

void append_java_double(std::string& out, double d) {
  if (append_non_finite(out, d)) return;
  if (d == 0) {
    out += std::signbit(d) ? "-0.0" : "0.0";
    return;
  }
  double mag = std::fabs(d);
  bool plain = mag >= 1e-3 && mag < 1e7;
  std::string digits;
  int exponent = 0;
  shortest_digits(mag, !plain, digits, exponent);
  if (d < 0) out += '-';
  if (plain) {
    if (exponent >= 0) {
      auto int_len = static_cast<std::size_t>(exponent + 1);
      if (digits.size() <= int_len) {
        out += digits;
        out.append(int_len - digits.size(), '0');
        out += ".0";
      } else {
        out.append(digits, 0, int_len);
        out += '.';
        out.append(digits, int_len);
      }
    } else {
      out += "0.";
      out.append(static_cast<std::size_t>(-exponent - 1), '0');
      out += digits;
    }
    return;
  }
  out += digits[0];
  out += '.';
  out += digits.size() > 1 ? digits.substr(1) : "0";
  out += 'E';
  out += std::to_string(exponent);
}

void append_js_double(std::string& out, double d) {
  if (append_non_finite(out, d)) return;
  if (d == 0) {
    out += '0';
    return;
  }
  std::string digits;
  int e = 0;  // ECMAScript's n is e + 1
  shortest_digits(std::fabs(d), false, digits, e);
  if (d < 0) out += '-';
  auto const k = static_cast<int>(digits.size());
  int const n = e + 1;
  if (k <= n && n <= 21) {
    out += digits;
    out.append(static_cast<std::size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {
    out.append(digits, 0, static_cast<std::size_t>(n));
    out += '.';
    out.append(digits, static_cast<std::size_t>(n));
  } else if (-6 < n && n <= 0) {
    out += "0.";
    out.append(static_cast<std::size_t>(-n), '0');
    out += digits;
  } else {
    out += digits[0];
    if (k > 1) {
      out += '.';
      out.append(digits, 1);
    }
    out += e < 0 ? "e-" : "e+";
    out += std::to_string(e < 0 ? -e : e);
  }
}

}  // namespace stepsim::json
