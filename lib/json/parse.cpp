#include <stepsim/json/parse.hpp>

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/value_stack.hpp>

#include <charconv>
#include <limits>
#include <string>

namespace stepsim::json {

namespace {

namespace bj = boost::json;
using boost::json::error_code;
using boost::json::string_view;

/// Builds the value as Boost.JSON's own parser does, re-reading doubles from their text.
struct handler {
  static constexpr std::size_t max_object_size = bj::object::max_size();
  static constexpr std::size_t max_array_size = bj::array::max_size();
  static constexpr std::size_t max_key_size = bj::string::max_size();
  static constexpr std::size_t max_string_size = bj::string::max_size();

  bj::value_stack st;
  std::string number;  // the text of a number split across parts

  bool on_document_begin(error_code&) { return true; }
  bool on_document_end(error_code&) { return true; }
  bool on_object_begin(error_code&) { return true; }
  bool on_object_end(std::size_t n, error_code&) {
    st.push_object(n);
    return true;
  }
  bool on_array_begin(error_code&) { return true; }
  bool on_array_end(std::size_t n, error_code&) {
    st.push_array(n);
    return true;
  }
  bool on_key_part(string_view s, std::size_t, error_code&) {
    st.push_chars(s);
    return true;
  }
  bool on_key(string_view s, std::size_t, error_code&) {
    st.push_key(s);
    return true;
  }
  bool on_string_part(string_view s, std::size_t, error_code&) {
    st.push_chars(s);
    return true;
  }
  bool on_string(string_view s, std::size_t, error_code&) {
    st.push_string(s);
    return true;
  }
  bool on_number_part(string_view s, error_code&) {
    number.append(s.data(), s.size());
    return true;
  }
  bool on_int64(std::int64_t i, string_view, error_code&) {
    number.clear();
    st.push_int64(i);
    return true;
  }
  bool on_uint64(std::uint64_t u, string_view, error_code&) {
    number.clear();
    st.push_uint64(u);
    return true;
  }
  bool on_double(double d, string_view s, error_code&) {
    number.append(s.data(), s.size());
    d = nearest_double(number, d);
    number.clear();
    st.push_double(d);
    return true;
  }
  bool on_bool(bool b, error_code&) {
    st.push_bool(b);
    return true;
  }
  bool on_null(error_code&) {
    st.push_null();
    return true;
  }
  bool on_comment_part(string_view, error_code&) { return true; }
  bool on_comment(string_view, error_code&) { return true; }
};

}  // namespace

parse_result parse(std::string_view text, std::size_t max_depth) {
  bj::parse_options opt;
  opt.max_depth = max_depth;
  bj::basic_parser<handler> p(opt);
  p.handler().st.reset();
  parse_result r;
  r.consumed = p.write_some(false, text.data(), text.size(), r.error);
  if (!r.error && r.consumed < text.size()) r.error = bj::error::extra_data;
  if (!r.error) r.value = p.handler().st.release();
  return r;
}

double nearest_double(std::string_view text, double fallback) noexcept {
  double exact = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), exact);
  return ec == std::errc() && end == text.data() + text.size() ? exact : fallback;
}

std::optional<double> read_decimal(std::string_view text) noexcept {
  auto const* first = text.data();
  auto const* last = first + text.size();
  bool negative = first != last && *first == '-';
  auto const* p = first + (negative ? 1 : 0);
  if (p == last || !((*p >= '0' && *p <= '9') || *p == '.')) return std::nullopt;
  double d = 0;
  auto [end, ec] = std::from_chars(first, last, d, std::chars_format::general);
  if (end != last || ec == std::errc::invalid_argument) return std::nullopt;
  if (ec == std::errc()) return d;
  // Out of range: the decimal exponent of the first significant digit says which way.
  long long integer_digits = 0, leading_zeros = 0;
  bool seen_point = false, significant = false;
  for (; p != last && *p != 'e' && *p != 'E'; ++p) {
    if (*p == '.') {
      seen_point = true;
    } else {
      if (!seen_point) ++integer_digits;
      if (*p != '0') significant = true;
      else if (!significant) ++leading_zeros;
    }
  }
  long long exponent = 0;
  if (p != last) {
    ++p;
    bool minus = p != last && *p == '-';
    if (p != last && (*p == '-' || *p == '+')) ++p;
    auto [e_end, e_ec] = std::from_chars(p, last, exponent);
    if (e_ec == std::errc::result_out_of_range) exponent = minus ? -(1LL << 62) : (1LL << 62);
    else if (minus) exponent = -exponent;
  }
  bool overflow = significant && integer_digits - leading_zeros + exponent > 0;
  double magnitude = overflow ? std::numeric_limits<double>::infinity() : 0.0;
  return negative ? -magnitude : magnitude;
}

}  // namespace stepsim::json
