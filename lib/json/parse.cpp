#include <stepsim/json/parse.hpp>

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/value_stack.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace stepsim::json {

namespace {

namespace bj = boost::json;
using boost::json::error_code;
using boost::json::string_view;

std::uint64_t fnv1a(std::uint64_t h, std::string_view s) {
  for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ULL;
  return h;
}
constexpr std::uint64_t fnv_basis = 0xcbf29ce484222325ULL;

/// Builds the value as Boost.JSON's own parser does, re-reading doubles from
/// their text; on the side, (a) stops at a number that does not fit a finite
/// double when asked and (b) keeps a hash of every key per open object, so an
/// object with two equal keys is noticed when it closes.
struct handler {
  static constexpr std::size_t max_object_size = bj::object::max_size();
  static constexpr std::size_t max_array_size = bj::array::max_size();
  static constexpr std::size_t max_key_size = bj::string::max_size();
  static constexpr std::size_t max_string_size = bj::string::max_size();

  bj::value_stack st;
  bool finite_only = false;
  bool track_keys = false;
  bool maybe_repeated = false;
  bool out_of_range = false;

  bool on_document_begin(error_code&) { return true; }
  bool on_document_end(error_code&) { return true; }
  bool on_object_begin(error_code&) {
    if (track_keys) starts_.push_back(hashes_.size());
    return true;
  }
  bool on_object_end(std::size_t n, error_code&) {
    if (track_keys) {
      auto first = hashes_.begin() + static_cast<std::ptrdiff_t>(starts_.back());
      if (n > 1) {
        if (n <= 8) {
          for (auto i = first; i != hashes_.end() && !maybe_repeated; ++i)
            maybe_repeated = std::find(i + 1, hashes_.end(), *i) != hashes_.end();
        } else {
          std::sort(first, hashes_.end());
          maybe_repeated = maybe_repeated || std::adjacent_find(first, hashes_.end()) != hashes_.end();
        }
      }
      hashes_.erase(first, hashes_.end());
      starts_.pop_back();
    }
    st.push_object(n);
    return true;
  }
  bool on_array_begin(error_code&) { return true; }
  bool on_array_end(std::size_t n, error_code&) {
    st.push_array(n);
    return true;
  }
  bool on_key_part(string_view s, std::size_t, error_code&) {
    if (track_keys) key_hash_ = fnv1a(key_hash_, s);
    st.push_chars(s);
    return true;
  }
  bool on_key(string_view s, std::size_t, error_code&) {
    if (track_keys) {
      hashes_.push_back(fnv1a(key_hash_, s));
      key_hash_ = fnv_basis;
    }
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
    number_.append(s.data(), s.size());
    return true;
  }
  bool on_int64(std::int64_t i, string_view, error_code&) {
    number_.clear();
    st.push_int64(i);
    return true;
  }
  bool on_uint64(std::uint64_t u, string_view, error_code&) {
    number_.clear();
    st.push_uint64(u);
    return true;
  }
  bool on_double(double d, string_view s, error_code& ec) {
    number_.append(s.data(), s.size());
    d = nearest_double(number_, d);
    number_.clear();
    if (finite_only && !std::isfinite(d)) {
      out_of_range = true;
      ec = bj::error::exponent_overflow;
      return false;
    }
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

 private:
  std::vector<std::uint64_t> hashes_;  ///< key hashes of the open objects
  std::vector<std::size_t> starts_;    ///< where each open object's hashes start
  std::string number_;                 ///< the text of a number split across parts
  std::uint64_t key_hash_ = fnv_basis;
};

}  // namespace

parse_result parse(std::string_view text, parse_options const& options) {
  bj::parse_options opt;
  opt.max_depth = options.max_depth;
  bj::basic_parser<handler> p(opt);
  auto& h = p.handler();
  h.st.reset();
  h.finite_only = options.finite_numbers_only;
  h.track_keys = options.note_repeated_keys;
  parse_result r;
  r.consumed = p.write_some(false, text.data(), text.size(), r.error);
  if (!r.error && !p.done()) r.error = bj::error::incomplete;
  if (!r.error && !options.stop_after_value && r.consumed < text.size()) r.error = bj::error::extra_data;
  r.number_out_of_range = h.out_of_range;
  if (r.error) return r;
  r.value = h.st.release();
  r.maybe_repeated_key = h.maybe_repeated;
  return r;
}

parse_result parse(std::string_view text, std::size_t max_depth) {
  parse_options o;
  o.max_depth = max_depth;
  return parse(text, o);
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

std::string_view skip_bom(std::string_view text) noexcept {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  return text;
}

}  // namespace stepsim::json
