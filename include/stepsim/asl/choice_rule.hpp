// stepsim::asl::choice_rule: one compiled rule of a Choice state.
#pragma once

#include <stepsim/asl/error.hpp>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <memory>
#include <optional>
#include <string>

namespace stepsim::asl {

/// A Choice rule: a comparison (`Variable` with one of StringEquals,
/// StringEqualsPath, StringLessThan[Path], StringGreaterThan[Path],
/// StringLessThanEquals[Path], StringGreaterThanEquals[Path], StringMatches,
/// NumericEquals[Path], NumericLessThan[Path], NumericGreaterThan[Path],
/// NumericLessThanEquals[Path], NumericGreaterThanEquals[Path],
/// BooleanEquals[Path], TimestampEquals[Path], TimestampLessThan[Path],
/// TimestampGreaterThan[Path], TimestampLessThanEquals[Path],
/// TimestampGreaterThanEquals[Path], IsNull, IsPresent, IsNumeric, IsString,
/// IsBoolean, IsTimestamp) or a combination (`And`, `Or`, `Not`).
class choice_rule {
 public:
  /// Parses the rule object `v` found at JSON pointer `pointer`.
  /// `top_level`: true for an element of `Choices` (must carry `Next`),
  /// false inside And/Or/Not (must not). Appends every problem to `out`
  /// (unknown or missing operator, wrong operand type, path that does not
  /// parse, bad StringMatches pattern...) and returns nullopt if any.
  static std::optional<choice_rule> parse(boost::json::value const& v, std::string const& pointer,
                                          bool top_level, diagnostics& out);

  choice_rule(choice_rule const&);
  choice_rule(choice_rule&&) noexcept;
  choice_rule& operator=(choice_rule const&);
  choice_rule& operator=(choice_rule&&) noexcept;
  ~choice_rule();

  /// The `Next` of a top-level rule ("" for nested rules).
  std::string const& next() const noexcept;

  /// Evaluates against the state input (`$`) and context object (`$$`).
  /// A type mismatch is false, not an error. A `Variable` (or `...Path`
  /// operand) that matches nothing throws `states_error` (States.Runtime,
  /// AWS's cause), except under IsPresent.
  /// `variables`: what `$name` paths read (workflow variables); may be null.
  bool evaluate(boost::json::value const& input, boost::json::value const& context,
                boost::json::object const* variables = nullptr) const;

 private:
  struct impl;
  explicit choice_rule(std::shared_ptr<impl const> p) noexcept;
  std::shared_ptr<impl const> impl_;
};

}  // namespace stepsim::asl
