#include "jsonata/utf8.hpp"
#include "jsonata/lexer.hpp"

#include <stepsim/json/parse.hpp>

#include <charconv>
#include <cmath>
#include <cstring>

namespace stepsim::jsonata::detail {

namespace {

bool is_space(char c) noexcept { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v'; }


bool is_hex(char c) noexcept { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

}  // namespace

bool is_operator_char(char c) noexcept { return c != 0 && std::strchr(".[]{}(),@#;:?+-*/%|=<>^&!~", c) != nullptr; }

token lexer::scan_regex() {
  std::size_t start = pos_;
  int depth = 0;
  auto closing = [&](std::size_t p) {
    if (src_[p] != '/' || depth != 0) return false;
    std::size_t backslashes = 0;
    while (p >= backslashes + 1 && src_[p - backslashes - 1] == '\\') ++backslashes;
    return backslashes % 2 == 0;
  };
  while (pos_ < src_.size()) {
    char c = src_[pos_];
    if (closing(pos_)) {
      token t;
      t.kind = token::regex;
      t.text = std::string(src_.substr(start, pos_ - start));
      if (t.text.empty()) throw failure("S0301").at(pos_);
      ++pos_;
      std::size_t fs = pos_;
      while (pos_ < src_.size() && (src_[pos_] == 'i' || src_[pos_] == 'm')) ++pos_;
      t.flags = std::string(src_.substr(fs, pos_ - fs));
      t.position = pos_;
      return t;
    }
    bool escaped = pos_ > 0 && src_[pos_ - 1] == '\\';
    if ((c == '(' || c == '[' || c == '{') && !escaped) ++depth;
    if ((c == ')' || c == ']' || c == '}') && !escaped) --depth;
    ++pos_;
  }
  throw failure("S0302").at(pos_);
}

token lexer::next(bool infix) {
  token t;
  auto n = src_.size();
  auto at = [&](std::size_t p) { return p < n ? src_[p] : '\0'; };
  for (;;) {
    while (pos_ < n && is_space(src_[pos_])) ++pos_;
    if (at(pos_) == '/' && at(pos_ + 1) == '*') {
      std::size_t start = pos_;
      pos_ += 2;
      while (!(at(pos_) == '*' && at(pos_ + 1) == '/')) {
        if (++pos_ >= n) throw failure("S0106").at(start);
      }
      pos_ += 2;
      continue;
    }
    break;
  }
  if (pos_ >= n) {
    t.kind = token::end;
    t.position = n;
    return t;
  }
  char c = src_[pos_];
  if (!infix && c == '/') {
    ++pos_;
    return scan_regex();
  }
  static constexpr std::string_view two[] = {"..", ":=", "!=", ">=", "<=", "**", "~>", "?:", "??"};
  for (auto op : two) {
    if (c == op[0] && at(pos_ + 1) == op[1]) {
      pos_ += 2;
      t.kind = token::op;
      t.text = std::string(op);
      t.position = pos_;
      return t;
    }
  }
  if (is_operator_char(c)) {
    ++pos_;
    t.kind = token::op;
    t.text = std::string(1, c);
    t.position = pos_;
    return t;
  }
  if (c == '"' || c == '\'') {
    char quote = c;
    ++pos_;
    std::string s;
    while (pos_ < n) {
      c = src_[pos_];
      if (c == '\\') {
        ++pos_;
        c = at(pos_);
        switch (c) {
          case '"': s += '"'; break;
          case '\\': s += '\\'; break;
          case '/': s += '/'; break;
          case 'b': s += '\b'; break;
          case 'f': s += '\f'; break;
          case 'n': s += '\n'; break;
          case 'r': s += '\r'; break;
          case 't': s += '\t'; break;
          case 'u': {
            auto hex4 = [&](std::size_t p, unsigned& cp) {
              if (p + 4 > n) return false;
              for (std::size_t i = p; i < p + 4; ++i)
                if (!is_hex(src_[i])) return false;
              std::from_chars(src_.data() + p, src_.data() + p + 4, cp, 16);
              return true;
            };
            unsigned cp = 0;
            if (!hex4(pos_ + 1, cp)) throw failure("S0104").at(pos_);
            pos_ += 4;
            if (cp >= 0xD800 && cp < 0xDC00 && at(pos_ + 1) == '\\' && at(pos_ + 2) == 'u') {
              unsigned lo = 0;
              if (hex4(pos_ + 3, lo) && lo >= 0xDC00 && lo < 0xE000) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                pos_ += 6;
              }
            }
            encode_utf8(s, cp);
            break;
          }
          default: throw failure("S0103").at(pos_).tok(std::string(1, c));
        }
      } else if (c == quote) {
        ++pos_;
        t.kind = token::string;
        t.text = std::move(s);
        t.position = pos_;
        return t;
      } else {
        s += c;
      }
      ++pos_;
    }
    throw failure("S0101").at(pos_);
  }
  // -?(0|[1-9][0-9]*)(\.[0-9]+)?([Ee][-+]?[0-9]+)?  (the lexer never sees the '-': it is an operator)
  if (std::isdigit(static_cast<unsigned char>(c))) {
    std::size_t p = pos_;
    auto digit = [&](std::size_t q) { return std::isdigit(static_cast<unsigned char>(at(q))) != 0; };
    if (at(p) == '0') {
      ++p;
    } else {
      while (digit(p)) ++p;
    }
    if (at(p) == '.' && digit(p + 1)) {
      ++p;
      while (digit(p)) ++p;
    }
    if (at(p) == 'e' || at(p) == 'E') {
      std::size_t q = p + 1;
      if (at(q) == '+' || at(q) == '-') ++q;
      if (digit(q)) {
        while (digit(q)) ++q;
        p = q;
      }
    }
    std::string text(src_.substr(pos_, p - pos_));
    double d = stepsim::json::read_decimal(text).value_or(0.0);  // the scan above admits decimal numbers only
    if (!std::isfinite(d)) throw failure("S0102").at(pos_).tok(text);
    pos_ = p;
    t.kind = token::number;
    t.num = d;
    t.text = std::move(text);
    t.position = pos_;
    return t;
  }
  if (c == '`') {
    ++pos_;
    auto end = src_.find('`', pos_);
    if (end == std::string_view::npos) {
      pos_ = n;
      throw failure("S0105").at(pos_);
    }
    t.kind = token::name;
    t.text = std::string(src_.substr(pos_, end - pos_));
    pos_ = end + 1;
    t.position = pos_;
    return t;
  }
  std::size_t i = pos_;
  while (i < n && !is_space(src_[i]) && !is_operator_char(src_[i])) ++i;
  if (src_[pos_] == '$') {
    t.kind = token::variable;
    t.text = std::string(src_.substr(pos_ + 1, i - pos_ - 1));
  } else {
    t.text = std::string(src_.substr(pos_, i - pos_));
    if (t.text == "or" || t.text == "in" || t.text == "and") {
      t.kind = token::op;
    } else if (t.text == "true" || t.text == "false") {
      t.kind = token::literal;
      t.lit = value(t.text == "true");
    } else if (t.text == "null") {
      t.kind = token::literal;
      t.lit = value::null();
    } else {
      t.kind = token::name;
    }
  }
  pos_ = i;
  t.position = pos_;
  return t;
}

}  // namespace stepsim::jsonata::detail
