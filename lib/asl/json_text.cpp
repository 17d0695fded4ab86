#include <stepsim/asl/json_text.hpp>

#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include <cmath>

namespace stepsim::asl {

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

void append_text(std::string& out, boost::json::value const& v) {
  append_with(out, v, [](std::string& text, double d) {
    if (std::isfinite(d)) append_java_double(text, d);
    else text += "null";  // JSON has no such numbers; no parse in stepsim produces them
  });
}

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
