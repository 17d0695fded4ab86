// The error raised inside the engine: the reference's fields, filled in as the
// error travels up (position and token are set by the innermost node that knows
// them), turned into a `jsonata::error` with its message at the API boundary.
#pragma once

#include "jsonata/value.hpp"

#include <optional>
#include <string>

namespace stepsim::jsonata::detail {

struct failure {
  std::string code;
  std::optional<std::size_t> position;
  std::optional<std::string> token;
  std::optional<value> val;    // {{value}}
  std::optional<value> val2;   // {{value2}}
  std::optional<value> exp;    // {{exp}}
  int index = 0;               // {{index}}
  std::string type;            // {{type}}
  std::string message;         // {{{message}}} / {{{functionName}}}

  failure(std::string c) : code(std::move(c)) {}
  failure&& at(std::size_t p) && { position = p; return std::move(*this); }
  failure&& tok(std::string t) && { token = std::move(t); return std::move(*this); }
  failure&& with(value v) && { val = std::move(v); return std::move(*this); }
  failure&& with2(value v) && { val2 = std::move(v); return std::move(*this); }
  failure&& arg(int i) && { index = i; return std::move(*this); }

  /// The message of the reference's catalog with the placeholders filled in.
  std::string text() const;
  /// The public error; `source` (the expression text) turns byte offsets into
  /// the reference's UTF-16 offsets.
  error to_error(std::string_view source = {}) const;
};

/// The message template of a code ("" if unknown).
std::string_view message_template(std::string_view code);

}  // namespace stepsim::jsonata::detail
