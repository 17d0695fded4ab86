#include <stepsim/asl/json_text.hpp>

#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <cstdlib>

namespace stepsim::asl {

void append_java_double(std::string& out, double d) {
  if (!std::isfinite(d)) {
    // JSON has no such numbers: print what JSON.stringify prints, so the text stays JSON.
    out += "null";
    return;
  }
  if (d == 0) {
    out += std::signbit(d) ? "-0.0" : "0.0";
    return;
  }
  // Shortest round-trip digits in scientific form, e.g. "1.2345e+03".
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  std::string_view sci(buf, static_cast<std::size_t>(end - buf));
  bool negative = sci.front() == '-';
  if (negative) sci.remove_prefix(1);
  (void)ec;
  auto epos = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, epos))
    if (c != '.') digits += c;
  double mag = std::fabs(d);
  bool plain = mag >= 1e-3 && mag < 1e7;
  if (digits.size() == 1 && !plain) {
    // In E notation Java prints at least two digits, the pair nearest the exact value
    // (4.9E-324, not 5.0E-324): that is correctly rounded precision 1.
    auto [e2, ec2] = std::to_chars(buf, buf + sizeof buf, std::fabs(d), std::chars_format::scientific, 1);
    std::string_view two(buf, static_cast<std::size_t>(e2 - buf));
    digits = {two[0], two[2]};
    epos = two.find('e');
    sci = two;
  }
  int exponent = std::atoi(std::string(sci.substr(epos + 1)).c_str());
  if (negative) out += '-';
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

void append_text(std::string& out, boost::json::value const& v) {
  switch (v.kind()) {
    case boost::json::kind::double_:
      append_java_double(out, v.get_double());
      return;
    case boost::json::kind::object: {
      out += '{';
      bool first = true;
      for (auto const& kv : v.get_object()) {
        if (!first) out += ',';
        first = false;
        out += boost::json::serialize(boost::json::value(kv.key()));
        out += ':';
        append_text(out, kv.value());
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
        append_text(out, e);
      }
      out += ']';
      return;
    }
    default:
      out += boost::json::serialize(v);
  }
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
