// stepsim::asl errors: definition diagnostics (values) and run-time ASL errors (AWS names).
#pragma once

#include <stepsim/json/diagnostic.hpp>

#include <stdexcept>
#include <string>
#include <vector>

namespace stepsim::asl {

/// One problem found in a definition (see json::diagnostic): where, as a
/// JSON pointer into the definition ("/States/Check/Choices/0/Next"), and what.
using stepsim::json::diagnostic;
using stepsim::json::diagnostics;
/// Appends a JSON-pointer reference token to `base`, escaping '~' and '/'.
using stepsim::json::pointer_append;

/// A run-time error as Step Functions names it: `error` is the error name
/// that Retry and Catch match (`States.Runtime`, `States.TaskFailed`,
/// `States.IntrinsicFailure`, a task's own name...), `cause` the text AWS
/// reports with it.
class states_error : public std::runtime_error {
 public:
  states_error(std::string error, std::string cause)
      : std::runtime_error(error + ": " + cause), error_(std::move(error)), cause_(std::move(cause)) {}
  std::string const& error() const noexcept { return error_; }
  std::string const& cause() const noexcept { return cause_; }

 private:
  std::string error_;
  std::string cause_;
};

}  // namespace stepsim::asl
