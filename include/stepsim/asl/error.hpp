// stepsim::asl errors: definition diagnostics (values) and run-time ASL errors (AWS names).
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace stepsim::asl {

/// One problem found in a definition: where (a JSON pointer into the
/// definition, e.g. "/States/Check/Choices/0/Next"; "" for the whole
/// document) and what, in words a person can act on.
struct diagnostic {
  std::string pointer;
  std::string message;
  friend bool operator==(diagnostic const&, diagnostic const&) = default;
};
using diagnostics = std::vector<diagnostic>;

/// Appends a JSON-pointer reference token to `base`, escaping '~' and '/'.
std::string pointer_append(std::string const& base, std::string_view token);
std::string pointer_append(std::string const& base, std::size_t index);

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
