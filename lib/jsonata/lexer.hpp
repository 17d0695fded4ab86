// Tokens of a JSONata expression, read on demand by the parser.
#pragma once

#include "jsonata/failure.hpp"

#include <string>
#include <string_view>

namespace stepsim::jsonata::detail {

struct token {
  enum kind_t { end, name, variable, op, string, number, literal, regex } kind = end;
  double num = 0;
  std::string text;       // name, variable (without `$`), operator, string value, regex pattern
  std::string flags;      // regex flags

  value lit;              // true / false / null
  std::size_t position = 0;  // offset just after the token, as the reference reports
};

class lexer {
 public:
  explicit lexer(std::string_view src) : src_(src) {}
  /// The next token; `infix` means a `/` is the division operator, not a regex.
  token next(bool infix);
  std::size_t length() const noexcept { return src_.size(); }

 private:
  token scan_regex();
  std::string_view src_;
  std::size_t pos_ = 0;
};

bool is_operator_char(char c) noexcept;

}  // namespace stepsim::jsonata::detail
