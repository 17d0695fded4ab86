// Numeric, aggregation, boolean and date/time functions; the picture-string
// ones call the picture module.
#include "jsonata/functions.hpp"

#include <stepsim/json/parse.hpp>

#include <charconv>
#include <cmath>
#include <cstdlib>

#include "jsonata/picture.hpp"

namespace stepsim::jsonata::detail {

namespace {

bool matches_decimal(std::string_view s) {
  // ^-?[0-9]+(\.[0-9]+)?([Ee][-+]?[0-9]+)?$
  std::size_t i = 0;
  auto digits = [&] {
    std::size_t b = i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    return i > b;
  };
  if (i < s.size() && s[i] == '-') ++i;
  if (!digits()) return false;
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == s.size();
}

std::optional<double> radix_literal(std::string_view s) {
  if (s.size() < 3 || s[0] != '0') return std::nullopt;
  int base = 0;
  switch (s[1]) {
    case 'x': case 'X': base = 16; break;
    case 'o': case 'O': base = 8; break;
    case 'b': case 'B': base = 2; break;
    default: return std::nullopt;
  }
  double v = 0;
  for (char c : s.substr(2)) {
    int d = std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
            : (c >= 'a' && c <= 'f') ? c - 'a' + 10
            : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : 99;
    if (d >= base) return std::nullopt;
    v = v * base + d;
  }
  return v;
}

std::vector<double> numbers(value const& v) {
  std::vector<double> out;
  if (v.undefined()) return out;
  if (!v.is_array()) {
    out.push_back(v.number());
    return out;
  }
  for (std::size_t i = 0, n = v.size(); i < n; ++i) out.push_back(v.at(i).number());
  return out;
}

}  // namespace

STEPSIM_JSONATA_FN(fn_number) {
  (void)ci;
  value v = arg(a, 0);
  if (v.undefined()) return {};
  if (v.is_number()) return v;
  if (v.is_bool()) return value(v.boolean() ? 1.0 : 0.0);
  if (v.is_string()) {
    auto s = v.str();
    if (matches_decimal(s)) {
      auto d = stepsim::json::read_decimal(s);
      if (d && std::isfinite(*d)) return value(*d);
    }
    if (auto r = radix_literal(s)) return value(*r);
  }
  throw failure("D3030").with(v).arg(1);
}

STEPSIM_JSONATA_FN(fn_floor) { (void)ci; value v = arg(a, 0); return v.undefined() ? v : value(std::floor(v.number())); }
STEPSIM_JSONATA_FN(fn_ceil) { (void)ci; value v = arg(a, 0); return v.undefined() ? v : value(std::ceil(v.number())); }
STEPSIM_JSONATA_FN(fn_abs) { (void)ci; value v = arg(a, 0); return v.undefined() ? v : value(std::fabs(v.number())); }

STEPSIM_JSONATA_FN(fn_round) {
  (void)ci;
  value v = arg(a, 0);
  if (v.undefined()) return v;
  double x = v.number();
  double precision = arg(a, 1).is_number() ? arg(a, 1).number() : 0;
  // scale by decimal exponent shifting (as the reference does through the
  // string form: `+(mantissa + "e" + exponent)`, NaN unless all of it reads as
  // a number, so an infinite or NaN value, or a fractional precision, gives NaN)
  auto shift = [](double d, double p) {
    if (!std::isfinite(d)) return std::nan("");
    std::string s = js_number(d);
    auto e = s.find('e');
    double exp = p;
    if (e != std::string::npos) {
      std::size_t from = e + 1 + (s[e + 1] == '+' ? 1 : 0);
      double given = 0;
      std::from_chars(s.data() + from, s.data() + s.size(), given);
      exp += given;
      s.resize(e);
    }
    if (!is_integer(exp)) return std::nan("");
    s += "e" + js_number(exp);
    double out = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    if (ec == std::errc::result_out_of_range) {
      bool negative = s[0] == '-';
      double magnitude = exp > 0 ? HUGE_VAL : 0.0;
      return negative ? -magnitude : magnitude;
    }
    return end == s.data() + s.size() ? out : std::nan("");
  };
  if (precision != 0) x = shift(x, precision);
  double r = std::floor(x + 0.5);
  double diff = r - x;
  if (std::fabs(diff) == 0.5 && std::fabs(std::fmod(r, 2)) == 1) r -= 1;
  if (precision != 0) r = shift(r, -precision);
  if (r == 0) r = 0;
  return value(r);
}

STEPSIM_JSONATA_FN(fn_sqrt) {
  (void)ci;
  value v = arg(a, 0);
  if (v.undefined()) return v;
  if (v.number() < 0) throw failure("D3060").with(v).arg(1);
  return value(std::sqrt(v.number()));
}

STEPSIM_JSONATA_FN(fn_power) {
  (void)ci;
  value v = arg(a, 0);
  if (v.undefined()) return v;
  double r = std::pow(v.number(), arg(a, 1).number());
  if (!std::isfinite(r)) {
    failure f("D3061");
    f.val = v;
    f.exp = arg(a, 1);
    f.index = 1;
    throw f;
  }
  return value(r);
}

STEPSIM_JSONATA_FN(fn_random) {
  (void)a;
  return value(ci.ev.random());
}

STEPSIM_JSONATA_FN(fn_sum) {
  (void)ci;
  value v = arg(a, 0);
  if (v.undefined()) return {};
  double t = 0;
  if (!v.is_array()) t = v.number();
  for (std::size_t i = 0, n = v.is_array() ? v.size() : 0; i < n; ++i) t += v.at(i).number();
  return value(t);
}

STEPSIM_JSONATA_FN(fn_count) {
  (void)ci;
  value v = arg(a, 0);
  if (v.undefined()) return value(0.0);
  return value(static_cast<double>(v.is_array() ? v.size() : 1));
}

STEPSIM_JSONATA_FN(fn_max) {
  (void)ci;
  auto ns = numbers(arg(a, 0));
  if (ns.empty()) return {};
  double m = -INFINITY;
  for (double d : ns) {
    if (std::isnan(d)) return value(d);
    m = std::max(m, d);
  }
  return value(m);
}

STEPSIM_JSONATA_FN(fn_min) {
  (void)ci;
  auto ns = numbers(arg(a, 0));
  if (ns.empty()) return {};
  double m = INFINITY;
  for (double d : ns) {
    if (std::isnan(d)) return value(d);
    m = std::min(m, d);
  }
  return value(m);
}

STEPSIM_JSONATA_FN(fn_average) {
  (void)ci;
  auto ns = numbers(arg(a, 0));
  if (ns.empty()) return {};
  double t = 0;
  for (double d : ns) t += d;
  return value(t / static_cast<double>(ns.size()));
}

STEPSIM_JSONATA_FN(fn_boolean) {
  (void)ci;
  auto b = truthy(arg(a, 0));
  return b ? value(*b) : value{};
}

STEPSIM_JSONATA_FN(fn_not) {
  (void)ci;
  auto b = truthy(arg(a, 0));
  return b ? value(!*b) : value{};
}

STEPSIM_JSONATA_FN(fn_exists) { (void)ci; return value(arg(a, 0).defined()); }

STEPSIM_JSONATA_FN(fn_type) {
  (void)ci;
  value v = arg(a, 0);
  switch (v.type()) {
    case kind::undefined: return {};
    case kind::null: return value::string("null");
    case kind::number: return value::string(std::isnan(v.number()) ? "object" : "number");
    case kind::string: return value::string("string");
    case kind::boolean: return value::string("boolean");
    case kind::array: return value::string("array");
    case kind::function: return value::string("function");
    case kind::object: return value::string("object");
  }
  return {};
}

STEPSIM_JSONATA_FN(fn_millis) {
  (void)a;
  return value(static_cast<double>(ci.ev.now_ms()));
}

namespace {
std::optional<std::string_view> opt_str(value const& v) {
  if (v.is_string()) return v.str();
  return std::nullopt;
}
}  // namespace

STEPSIM_JSONATA_FN(fn_now) {
  auto ms = ci.ev.now_ms();
  if (arg(a, 0).undefined() && arg(a, 1).undefined()) return value::string(picture::iso_timestamp(ms));
  auto r = picture::from_millis(static_cast<double>(ms), opt_str(arg(a, 0)), opt_str(arg(a, 1)));
  return r ? value::string(*r) : value{};
}
STEPSIM_JSONATA_FN(fn_format_number) {
  (void)ci;
  value v = arg(a, 0);
  if (v.undefined()) return {};
  json::object options;
  json::object const* opts = nullptr;
  if (arg(a, 2).is_object()) {
    options = to_json(arg(a, 2)).as_object();
    opts = &options;
  }
  return value::string(picture::format_number(v.number(), arg(a, 1).str(), opts));
}
STEPSIM_JSONATA_FN(fn_format_base) {
  (void)ci;
  value v = arg(a, 0);
  if (v.undefined()) return {};
  return value::string(picture::format_base(v.number(), arg(a, 1).is_number() ? arg(a, 1).number() : NAN));
}
STEPSIM_JSONATA_FN(fn_format_integer) {
  (void)ci;
  value v = arg(a, 0);
  if (v.undefined()) return {};
  return value::string(picture::format_integer(v.number(), arg(a, 1).str()));
}
STEPSIM_JSONATA_FN(fn_parse_integer) {
  (void)ci;
  value v = arg(a, 0);
  if (v.undefined()) return {};
  return value(picture::parse_integer(v.str(), arg(a, 1).str()));
}
STEPSIM_JSONATA_FN(fn_from_millis) {
  (void)ci;
  value v = arg(a, 0);
  if (v.undefined()) return {};
  auto r = picture::from_millis(v.number(), opt_str(arg(a, 1)), opt_str(arg(a, 2)));
  return r ? value::string(*r) : value{};
}
STEPSIM_JSONATA_FN(fn_to_millis) {
  value v = arg(a, 0);
  if (v.undefined()) return {};
  auto r = picture::to_millis(v.str(), opt_str(arg(a, 1)), ci.ev.now_ms());
  return r ? value(*r) : value{};
}

}  // namespace stepsim::jsonata::detail
