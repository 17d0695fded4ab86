// JSON text -> boost::json::value (json::parse), with errors by line and column and duplicate keys named.
#include <stepsim/asl/json_text.hpp>

#include <stepsim/asl/error.hpp>
#include <stepsim/json/parse.hpp>

#include <boost/json/parse.hpp>
#include <fmt/format.h>

#include <algorithm>
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
  stepsim::json::parse_options po;
  po.max_depth = o.max_depth;
  po.finite_numbers_only = true;
  po.note_repeated_keys = o.find_duplicate_keys;
  po.stop_after_value = o.stop_after_value;
  auto from = std::min(o.from, text.size());
  auto parsed = stepsim::json::parse(text.substr(from), po);
  r.consumed = parsed.consumed;
  auto ec = parsed.error;
  if (!ec) {
    r.value = std::move(parsed.value);
    if (parsed.maybe_repeated_key) r.duplicates = duplicate_finder(text.substr(0, from + r.consumed), from).run();
    return r;
  }
  auto at = std::min(from + r.consumed, text.size());
  if (parsed.number_out_of_range) {
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

}  // namespace stepsim::asl
