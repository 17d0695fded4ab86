// stepsim::asl::intrinsic: an intrinsic function call (States.Format(...), ...), compiled once.
#pragma once

#include <stepsim/sim/rng.hpp>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace stepsim::asl {

/// What an intrinsic or a payload template reads while it runs.
struct eval_context {
  boost::json::value const& input;    ///< what `$` refers to
  boost::json::value const& context;  ///< what `$$` refers to
  sim::random_stream* random = nullptr;  ///< for States.MathRandom and States.UUID; required by them
  boost::json::object const* variables = nullptr;  ///< what `$name` refers to (workflow variables); may be null
};

/// A compiled intrinsic function call, e.g.
/// `States.Format('Hello {}', States.ArrayGetItem($.names, 0))`.
/// Arguments: string literals in single quotes (with \' \{ \} \\ escapes),
/// numbers, true/false/null, JSONPaths ($, $$ or a variable's $name), nested calls.
class intrinsic {
 public:
  /// True when `text` looks like an intrinsic call (starts with "States." and a '(').
  static bool looks_like_call(std::string_view text) noexcept;

  /// Parses `text`; on failure nullopt and `error` says what and where
  /// (unknown function, wrong argument count, bad literal...).
  static std::optional<intrinsic> parse(std::string_view text, std::string& error);

  intrinsic(intrinsic const&);
  intrinsic(intrinsic&&) noexcept;
  intrinsic& operator=(intrinsic const&);
  intrinsic& operator=(intrinsic&&) noexcept;
  ~intrinsic();

  std::string const& text() const noexcept;

  /// Evaluates the call. Throws `states_error` named `States.Runtime` (what
  /// AWS reports, although its documentation names States.IntrinsicFailure)
  /// with cause "Invalid arguments in States.Name" for bad arguments, or
  /// "The JsonPath argument for the field '$.x' could not be found in the
  /// input '...'" for a path argument that matches nothing. The caller adds
  /// AWS's "An error occurred while executing the state ..." prefix.
  boost::json::value evaluate(eval_context const& ctx) const;

 private:
  struct impl;
  explicit intrinsic(std::shared_ptr<impl const> p) noexcept;
  std::shared_ptr<impl const> impl_;
};

}  // namespace stepsim::asl
