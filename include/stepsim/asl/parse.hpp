// stepsim::asl::parse: definition text or JSON -> compiled state_machine, or every error found.
#pragma once

#include <stepsim/asl/error.hpp>
#include <stepsim/asl/state_machine.hpp>

#include <boost/json/value.hpp>

#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string_view>

namespace stepsim::asl {

/// What `parse` returns: a machine, or the list of every problem found.
struct parse_result {
  std::shared_ptr<state_machine const> machine;  ///< null when `errors` is not empty
  diagnostics errors;
  bool ok() const noexcept { return machine != nullptr; }
};

/// The longest definition AWS accepts, in characters (UTF-16 code units, as
/// AWS counts them): CreateStateMachine's `definition` is at most 1,048,576.
inline constexpr std::size_t max_definition_length = 1048576;

/// Parses and validates an Amazon States Language definition (JSONPath query
/// language). Reports, each with a JSON pointer: malformed JSON (with line and
/// column), missing or wrong-typed fields, fields unknown or not allowed on a
/// state's type, unknown state types, `StartAt`/`Next`/`Default`/Catch `Next`
/// naming a missing state, a state with both or neither of `End` and `Next`,
/// unreachable states, paths / templates / intrinsics / choice rules that do
/// not parse, retriers with `States.ALL` not alone or not last, and features
/// not supported yet (JSONata, variables, distributed Map) as such.
/// From text also: a definition longer than `max_definition_length` (with
/// AWS's message), a key written twice in one object (both positions; a
/// state name as AWS's DUPLICATE_STATE_NAME), and numbers out of the range
/// of a double. A state name used twice anywhere in the machine, branches
/// included, is an error too. Never throws for bad input. Time and memory
/// are linear in the size of the definition.
parse_result parse(std::string_view definition_text);
parse_result parse(char const* definition_text);
parse_result parse(std::string const& definition_text);
parse_result parse(boost::json::value const& definition);

/// Thrown by `parse_or_throw` with every diagnostic in `what()`, one per line.
class definition_error : public std::invalid_argument {
 public:
  explicit definition_error(diagnostics d);
  diagnostics const& errors() const noexcept { return errors_; }

 private:
  diagnostics errors_;
};

/// Parses or throws `definition_error`.
std::shared_ptr<state_machine const> parse_or_throw(std::string_view definition_text);

}  // namespace stepsim::asl
