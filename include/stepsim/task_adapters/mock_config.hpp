// stepsim::tasks::mock_config: Step Functions Local's MockConfigFile.
#pragma once

#include <stepsim/asl/error.hpp>

#include <boost/json/value.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace stepsim::tasks {

/// What a mocked Task attempt does: return `result`, or fail with `error`
/// and `cause` (`Return` / `Throw` in the file).
struct mock_outcome {
  std::optional<boost::json::value> result;  ///< set for `Return`
  std::string error;                         ///< `Throw.Error` (when `result` is empty)
  std::string cause;                         ///< `Throw.Cause`
  bool throws() const noexcept { return !result.has_value(); }
};

/// One entry of `MockedResponses`: an outcome for each invocation number,
/// written as keys "0", "1", ... or inclusive ranges "1-2".
struct mocked_response {
  struct range {
    std::uint32_t first = 0, last = 0;  ///< inclusive
    mock_outcome outcome;
  };
  std::vector<range> ranges;  ///< ordered, consecutive from 0

  /// The outcome of invocation `attempt` (0-based), or nullptr after the last
  /// key: Step Functions Local then fails the execution.
  mock_outcome const* at(std::uint64_t attempt) const noexcept;
};

/// A MockConfigFile, as AWS documents it for Step Functions Local
/// ("Using mocked service integrations"):
///
///     {"StateMachines": {"<machine name>": {"TestCases": {"<test case>": {"<state>": "<response name>"}}}},
///      "MockedResponses": {"<response name>": {"0": {"Return": ...}, "1-2": {"Throw": {"Error": "...", "Cause": "..."}}}}}
///
/// Task states (at any depth: inside Parallel branches and Map iterations
/// too) are named by their state name.
struct mock_config {
  /// A test case: state name -> the name of its entry in `responses`.
  using test_case = std::map<std::string, std::string, std::less<>>;
  std::map<std::string, std::map<std::string, test_case, std::less<>>, std::less<>> state_machines;
  std::map<std::string, mocked_response, std::less<>> responses;

  /// The test case `name` of the state machine `machine`, or nullptr.
  test_case const* find(std::string_view machine, std::string_view name) const;
  /// The response named `name` (every name a test case uses exists).
  mocked_response const& response(std::string_view name) const { return responses.find(name)->second; }
};

/// What `read_mock_config` returns: the configuration, or every problem found.
struct mock_config_result {
  std::optional<mock_config> config;
  asl::diagnostics errors;  ///< each with the JSON pointer of the fault in the file
  bool ok() const noexcept { return config.has_value(); }
};

/// Reads a MockConfigFile and checks it strictly, reporting every fault with
/// its JSON pointer: text that is not JSON (line and column); a top level
/// other than an object with `StateMachines` and `MockedResponses` objects;
/// a state machine without a `TestCases` object; a test case that is not an
/// object of strings, or names a response `MockedResponses` lacks; a
/// response that is not a non-empty object; attempt keys that are not "N" or
/// "N-M" (N <= M, at most 2^31-1) or do not run consecutively from "0"
/// without gaps or overlaps; an attempt with neither or both of `Return` and
/// `Throw`; a `Throw` that is not an object with string `Error` (not empty)
/// and `Cause`; and any field the format does not have (a misspelt key is
/// refused, never ignored). Never throws for bad input.
mock_config_result read_mock_config(std::string_view text);
mock_config_result read_mock_config(boost::json::value const& document);

/// Thrown by `read_mock_config_or_throw`: `what()` holds `source` and every
/// problem, one per line ("<source>: <pointer>: <message>").
class mock_config_error : public std::invalid_argument {
 public:
  mock_config_error(std::string const& source, asl::diagnostics errors);
  asl::diagnostics const& errors() const noexcept { return errors_; }

 private:
  asl::diagnostics errors_;
};

/// Reads `text` or throws `mock_config_error` naming `source` (a file name).
mock_config read_mock_config_or_throw(std::string_view text, std::string const& source);

}  // namespace stepsim::tasks
