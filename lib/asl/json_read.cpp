// JSON text -> boost::json::value, refusing numbers out of range and finding duplicate keys.
#include <stepsim/asl/json_text.hpp>

#include <stepsim/asl/error.hpp>
#include <stepsim/json/parse.hpp>

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value_stack.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>

namespace stepsim::asl {

namespace json = boost::json;

namespace {

/// Line and column (1-based, in bytes) of `offset` in `text`.
std::pair<std::size_t, std::size_t> line_column(std::string_view text, std::size_t offset) {
  std::size_t line = 1, col = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') ++line, col = 1;
    else ++col;
  }
  return {line, col};
}

std::uint64_t fnv1a(std::uint64_t h, std::string_view s) {
  for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ULL;
  return h;
}
constexpr std::uint64_t fnv_basis = 0xcbf29ce484222325ULL;

/// Builds the value as Boost.JSON's own parser does, and on the side (a) stops
/// at a number that does not fit a finite double and (b) keeps a hash of every
/// key per open object, so an object with two equal keys is noticed when it
/// closes (a hash collision only costs the exact search that follows).
class handler {
 public:
  static constexpr std::size_t max_object_size = std::size_t(-1);
  static constexpr std::size_t max_array_size = std::size_t(-1);
  static constexpr std::size_t max_key_size = std::size_t(-1);
  static constexpr std::size_t max_string_size = std::size_t(-1);

  json::value_stack st;
  bool track_keys = false;
  bool maybe_duplicate = false;
  bool out_of_range = false;

  bool on_document_begin(boost::system::error_code&) { return true; }
  bool on_document_end(boost::system::error_code&) { return true; }
  bool on_array_begin(boost::system::error_code&) { return true; }
  bool on_array_end(std::size_t n, boost::system::error_code&) {
    st.push_array(n);
    return true;
  }
  bool on_object_begin(boost::system::error_code&) {
    if (track_keys) starts_.push_back(hashes_.size());
    return true;
  }
  bool on_object_end(std::size_t n, boost::system::error_code&) {
    if (track_keys) {
      auto first = hashes_.begin() + static_cast<std::ptrdiff_t>(starts_.back());
      if (n > 1) {
        if (n <= 8) {
          for (auto i = first; i != hashes_.end() && !maybe_duplicate; ++i)
            maybe_duplicate = std::find(i + 1, hashes_.end(), *i) != hashes_.end();
        } else {
          std::sort(first, hashes_.end());
          maybe_duplicate = maybe_duplicate || std::adjacent_find(first, hashes_.end()) != hashes_.end();
        }
      }
      hashes_.erase(first, hashes_.end());
      starts_.pop_back();
    }
    st.push_object(n);
    return true;
  }
  bool on_string_part(json::string_view s, std::size_t, boost::system::error_code&) {
    st.push_chars(s);
    return true;
  }
  bool on_string(json::string_view s, std::size_t, boost::system::error_code&) {
    st.push_string(s);
    return true;
  }
  bool on_key_part(json::string_view s, std::size_t, boost::system::error_code&) {
    if (track_keys) key_hash_ = fnv1a(key_hash_, s);
    st.push_chars(s);
    return true;
  }
  bool on_key(json::string_view s, std::size_t, boost::system::error_code&) {
    if (track_keys) {
      hashes_.push_back(fnv1a(key_hash_, s));
      key_hash_ = fnv_basis;
    }
    st.push_key(s);
    return true;
  }
  bool on_number_part(json::string_view s, boost::system::error_code&) {
    number_.append(s.data(), s.size());
    return true;
  }
  bool on_int64(std::int64_t i, json::string_view, boost::system::error_code&) {
    number_.clear();
    st.push_int64(i);
    return true;
  }
  bool on_uint64(std::uint64_t u, json::string_view, boost::system::error_code&) {
    number_.clear();
    st.push_uint64(u);
    return true;
  }
  bool on_double(double d, json::string_view s, boost::system::error_code& ec) {
    // Boost.JSON 1.81 is one unit in the last place off for some 17-digit numbers.
    number_.append(s.data(), s.size());
    d = stepsim::json::nearest_double(number_, d);
    number_.clear();
    if (!std::isfinite(d)) {
      out_of_range = true;
      ec = json::error::exponent_overflow;
      return false;
    }
    st.push_double(d);
    return true;
  }
  bool on_bool(bool b, boost::system::error_code&) {
    st.push_bool(b);
    return true;
  }
  bool on_null(boost::system::error_code&) {
    st.push_null();
    return true;
  }
  bool on_comment_part(json::string_view, boost::system::error_code&) { return true; }
  bool on_comment(json::string_view, boost::system::error_code&) { return true; }

 private:
  std::vector<std::uint64_t> hashes_;
  std::vector<std::size_t> starts_;
  std::string number_;  ///< the text of the number being read, when split in parts
  std::uint64_t key_hash_ = fnv_basis;
};

/// The exact search, run only when the hashes saw a repeat: walks the text
/// (already known to be valid JSON) and reports each repeated key with the
/// pointer of its object and both positions.
class duplicate_finder {
 public:
  duplicate_finder(std::string_view text, std::size_t from) : t_(text), from_(from) {}

  std::vector<duplicate_key> run() {
    i_ = from_;
    value("");
    return std::move(found_);
  }

 private:
  std::string_view t_;
  std::size_t from_;
  std::size_t i_ = 0;
  std::vector<duplicate_key> found_;

  void ws() {
    while (i_ < t_.size() && (t_[i_] == ' ' || t_[i_] == '\t' || t_[i_] == '\n' || t_[i_] == '\r')) ++i_;
  }
  std::string_view string_token() {
    auto begin = i_++;
    while (i_ < t_.size() && t_[i_] != '"') i_ += t_[i_] == '\\' ? 2 : 1;
    ++i_;
    return t_.substr(begin, i_ - begin);
  }
  void value(std::string const& pointer) {
    ws();
    if (i_ >= t_.size()) return;
    char c = t_[i_];
    if (c == '{') {
      ++i_;
      std::map<std::string, std::size_t> seen;
      for (;;) {
        ws();
        if (i_ >= t_.size() || t_[i_] == '}') break;
        if (t_[i_] == ',') {
          ++i_;
          continue;
        }
        auto at = i_;
        boost::system::error_code ec;
        auto decoded = json::parse(string_token(), ec);
        std::string key = decoded.is_string() ? std::string(decoded.get_string()) : std::string();
        auto [it, fresh] = seen.emplace(key, at);
        if (!fresh) {
          auto [l1, c1] = line_column(t_, it->second);
          auto [l2, c2] = line_column(t_, at);
          found_.push_back({pointer, key, l1, c1, l2, c2});
        }
        ws();
        ++i_;  // ':'
        value(pointer_append(pointer, key));
      }
      ++i_;
    } else if (c == '[') {
      ++i_;
      std::size_t index = 0;
      for (;;) {
        ws();
        if (i_ >= t_.size() || t_[i_] == ']') break;
        if (t_[i_] == ',') {
          ++i_;
          continue;
        }
        value(pointer_append(pointer, index++));
      }
      ++i_;
    } else if (c == '"') {
      string_token();
    } else {
      while (i_ < t_.size() && std::string_view(",]} \t\r\n").find(t_[i_]) == std::string_view::npos) ++i_;
    }
  }
};

}  // namespace

json_read_result read_json(std::string_view text, json_read_options const& o) {
  json_read_result r;
  json::parse_options po;
  po.max_depth = o.max_depth;
  json::basic_parser<handler> p(po);
  p.handler().track_keys = o.find_duplicate_keys;
  boost::system::error_code ec;
  auto from = std::min(o.from, text.size());
  r.consumed = p.write_some(false, text.data() + from, text.size() - from, ec);
  if (!ec && !p.done()) ec = json::error::incomplete;
  if (!ec && !o.stop_after_value && from + r.consumed < text.size()) ec = json::error::extra_data;
  if (!ec) {
    r.value = p.handler().st.release();
    if (p.handler().maybe_duplicate) r.duplicates = duplicate_finder(text.substr(0, from + r.consumed), from).run();
    return r;
  }
  auto at = std::min(from + r.consumed, text.size());
  if (p.handler().out_of_range) {
    // The parser stops just past the number: back up to its first character.
    auto end = at;
    while (at > 0 && std::string_view("0123456789+-.eE").find(text[at - 1]) != std::string_view::npos) --at;
    auto [line, col] = line_column(text, at);
    r.error = fmt::format("the number {} at line {}, column {} is out of range: a JSON number must be a finite "
                          "double (magnitude below 1.8E308)",
                          text.substr(at, std::min<std::size_t>(end - at, 40)), line, col);
    return r;
  }
  auto [line, col] = line_column(text, at);
  if (ec == json::error::too_deep)
    r.error = fmt::format("nested deeper than {} levels at line {}, column {}", o.max_depth, line, col);
  else if (text.find_first_not_of(" \t\r\n", from) == std::string_view::npos)
    r.error = "empty document: expected a JSON value";
  else
    r.error = fmt::format("{} at line {}, column {}", ec.message(), line, col);
  return r;
}

std::optional<boost::json::value> parse_json(std::string_view text, std::string& error) {
  auto r = read_json(text);
  if (!r.value) error = std::move(r.error);
  return std::move(r.value);
}

std::string to_string(duplicate_key const& d) {
  return fmt::format("the key '{}' is written twice in one object, at line {}, column {} and at line {}, column {}",
                     d.key, d.first_line, d.first_column, d.line, d.column);
}

std::string_view skip_bom(std::string_view text) noexcept {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  return text;
}

}  // namespace stepsim::asl
