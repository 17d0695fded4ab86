// stepsim::asl::payload_template: Parameters, ResultSelector and ItemSelector, compiled once.
#pragma once

#include <stepsim/asl/error.hpp>
#include <stepsim/asl/intrinsic.hpp>

#include <boost/json/value.hpp>

#include <memory>
#include <optional>
#include <string>

namespace stepsim::asl {

/// A payload template: any JSON value in which object members whose key ends
/// in `.$` are computed at run time from a path (`$...` against the input,
/// `$$...` against the context object) or an intrinsic function call; the
/// `.$` suffix is dropped from the key in the result. Everything else is
/// copied as written. Compiled once; evaluation never parses text.
class payload_template {
 public:
  /// Compiles `v` (found at JSON pointer `pointer`); appends every problem
  /// (a `.$` value that is not a string, a path or intrinsic that does not
  /// parse, duplicate keys after dropping `.$`) to `out`; nullopt if any.
  static std::optional<payload_template> parse(boost::json::value const& v, std::string const& pointer,
                                               diagnostics& out);

  payload_template(payload_template const&);
  payload_template(payload_template&&) noexcept;
  payload_template& operator=(payload_template const&);
  payload_template& operator=(payload_template&&) noexcept;
  ~payload_template();

  /// The value of the top-level member `key` when the template gives it as
  /// written (no `.$`), e.g. a Task's literal `FunctionName`; nullptr when the
  /// member is absent, computed at run time, or the template is not an object.
  boost::json::value const* literal(std::string_view key) const noexcept;

  /// True when some field reads the context object (`$$`), so the caller
  /// knows to keep `$$` up to date.
  bool uses_context() const noexcept;

  /// Builds the payload. A path that matches nothing throws `states_error`
  /// States.Runtime with AWS's cause: "The JSONPath '$.x' specified for the
  /// field 'x.$' could not be found in the input '<input as JSON>'";
  /// intrinsic failures propagate from `intrinsic::evaluate`.
  boost::json::value evaluate(eval_context const& ctx) const;

 private:
  struct impl;
  explicit payload_template(std::shared_ptr<impl const> p) noexcept;
  std::shared_ptr<impl const> impl_;
};

}  // namespace stepsim::asl
