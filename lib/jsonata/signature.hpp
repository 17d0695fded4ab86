// Function signatures (`<s-n?:s>`): which arguments a function takes, how the
// context stands in for a missing first one, and how a single value becomes an
// array argument.
#pragma once

#include "jsonata/value.hpp"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace stepsim::jsonata::detail {

struct signature {
  struct param {
    std::string symbols;  // accepted argument symbols (s n b l o a f, m = missing)
    char type = 'x';
    char repeat = 0;      // 0 (exactly one), '?' or '+'
    bool context = false;
    std::string subtype;  // of a/f: `a<n>`
  };
  std::string definition;
  std::vector<param> params;

  /// The arguments after validation (context inserted, singletons wrapped
  /// into arrays); throws failure T0410 / T0411 / T0412.
  std::vector<value> validate(std::vector<value> const& args, value const& context) const;
  /// validate, the result replacing `args` (the common case, each argument
  /// accepted as it is, without a copy).
  void validate_in_place(std::vector<value>& args, value const& context) const;
};

/// Parses a signature; S0401 / S0402 are positioned at `position` + the offset in it.
std::shared_ptr<signature const> parse_signature(std::string_view text, std::size_t position = 0);

/// Symbol of a value in signatures: s n b l o a f, or m when undefined.
char signature_symbol(value const& v);

}  // namespace stepsim::jsonata::detail
