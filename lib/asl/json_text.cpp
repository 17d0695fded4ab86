#include <stepsim/asl/json_text.hpp>

#include <boost/json/serialize.hpp>
#include <boost/json/stream_parser.hpp>
#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <cstdlib>

namespace stepsim::asl {

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

namespace {

void append_with(std::string& out, boost::json::value const& v, void (*number)(std::string&, double)) {
  switch (v.kind()) {
    case boost::json::kind::double_:
      number(out, v.get_double());
      return;
    case boost::json::kind::object: {
      out += '{';
      bool first = true;
      for (auto const& kv : v.get_object()) {
        if (!first) out += ',';
        first = false;
        out += boost::json::serialize(boost::json::value(kv.key()));
        out += ':';
        append_with(out, kv.value(), number);
      }
      out += '}';
      return;
    }
    case boost::json::kind::array: {
      out += '[';
      bool first = true;
      for (auto const& e : v.get_array()) {
        if (!first) out += ',';
        first = false;
        append_with(out, e, number);
      }
      out += ']';
      return;
    }
    default:
      out += boost::json::serialize(v);
  }
}

}  // namespace

void append_text(std::string& out, boost::json::value const& v) { append_with(out, v, append_java_double); }

void append_js_text(std::string& out, boost::json::value const& v) {
  append_with(out, v, [](std::string& text, double d) {
    if (std::isfinite(d)) append_js_double(text, d);
    else text += "null";  // as JSON.stringify writes NaN and the infinities
  });
}

std::string to_js_text(boost::json::value const& v) {
  std::string out;
  append_js_text(out, v);
  return out;
}

std::optional<boost::json::value> parse_json(std::string_view text, std::string& error) {
  boost::json::parse_options opt;
  opt.max_depth = max_json_depth;
  boost::json::stream_parser p({}, opt);
  boost::system::error_code ec;
  auto consumed = p.write(text.data(), text.size(), ec);
  if (!ec) p.finish(ec);
  if (!ec) return p.release();
  std::size_t line = 1, col = 1;
  for (std::size_t i = 0; i < consumed && i < text.size(); ++i) {
    if (text[i] == '\n') ++line, col = 1;
    else ++col;
  }
  if (ec == boost::json::error::too_deep)
    error = fmt::format("nested deeper than {} levels at line {}, column {}", max_json_depth, line, col);
  else if (text.find_first_not_of(" \t\r\n") == std::string_view::npos)
    error = "empty document: expected a JSON value";
  else
    error = fmt::format("{} at line {}, column {}", ec.message(), line, col);
  return std::nullopt;
}

namespace {

std::size_t string_text_size(boost::json::string_view s) {
  std::size_t n = 2;  // quotes
  for (unsigned char c : s) {
    if (c == '"' || c == '\\' || c == '\b' || c == '\f' || c == '\n' || c == '\r' || c == '\t') n += 2;
    else if (c < 0x20) n += 6;  // \u00XX
    else n += 1;
  }
  return n;
}

void add_text_size(boost::json::value const& v, std::size_t& n, std::size_t stop_after) {
  if (n > stop_after) return;
  switch (v.kind()) {
    case boost::json::kind::object: {
      auto const& o = v.get_object();
      n += 2 + (o.empty() ? 0 : o.size() - 1);  // braces and commas
      for (auto const& kv : o) {
        n += string_text_size(kv.key()) + 1;  // key and colon
        add_text_size(kv.value(), n, stop_after);
        if (n > stop_after) return;
      }
      return;
    }
    case boost::json::kind::array: {
      auto const& a = v.get_array();
      n += 2 + (a.empty() ? 0 : a.size() - 1);
      for (auto const& e : a) {
        add_text_size(e, n, stop_after);
        if (n > stop_after) return;
      }
      return;
    }
    case boost::json::kind::string: n += string_text_size(v.get_string()); return;
    case boost::json::kind::null: n += 4; return;
    case boost::json::kind::bool_: n += v.get_bool() ? 4 : 5; return;
    default: {
      std::string tmp;
      append_text(tmp, v);
      n += tmp.size();
    }
  }
}

}  // namespace

std::size_t text_size(boost::json::value const& v, std::size_t stop_after) {
  std::size_t n = 0;
  add_text_size(v, n, stop_after);
  return n;
}

std::string to_text(boost::json::value const& v) {
  std::string out;
  append_text(out, v);
  return out;
}

}  // namespace stepsim::asl
