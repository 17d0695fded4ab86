// stepsim::testing::test_state: AWS's TestState API, locally, for one state.
#pragma once

#include <stepsim/tasks/registry.hpp>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace stepsim::testing {

/// How much `test_state` reports (TestState's `inspectionLevel`).
enum class inspection_level {
  info,   ///< status, output, error, cause, next state
  debug,  ///< and `inspection_data`: the data after each processing step
  trace   ///< as debug (the HTTP request and response of HTTP Tasks are not simulated)
};

/// A mocked error (TestState's `mock.errorOutput`).
struct mocked_error {
  std::string error;
  std::string cause;
};

/// The fields of a TestState request besides the definition and input.
struct test_state_options {
  /// The state to test when the definition is a whole state machine (TestState's `stateName`).
  std::optional<std::string> state_name;
  /// A Task's result instead of calling its resource (`mock.result`).
  std::optional<boost::json::value> mock_result;
  /// A Task's failure instead of calling its resource (`mock.errorOutput`).
  std::optional<mocked_error> mock_error;
  /// Handlers called for a Task that has no mock (a plain, consuming or
  /// awaitable handler; an awaitable one runs on a scheduler of its own).
  tasks::registry const* handlers = nullptr;
  /// Workflow variables before the state (`variables`, a JSON object).
  std::optional<boost::json::object> variables;
  /// The context object `$$` (`context`); by default one for an Express
  /// execution named "TestState" of a state machine named "TestStateMachine".
  std::optional<boost::json::object> context;
  /// Retries already made by the retrier matching the mocked error
  /// (`stateConfiguration.retrierRetryCount`, default 0).
  std::int64_t retrier_retry_count = 0;
  /// `stateConfiguration.errorCausedByState`: kept for Map and Parallel,
  /// which `test_state` does not test yet.
  std::optional<std::string> error_caused_by_state;
  inspection_level inspection = inspection_level::info;
  /// `revealSecrets`: only HTTP Tasks have secrets; accepted and ignored.
  bool reveal_secrets = false;
};

/// What TestState returns.
struct test_state_result {
  /// "SUCCEEDED"; "FAILED" (an error no retrier or catcher takes);
  /// "RETRIABLE" (a retrier takes the error and has attempts left:
  /// `inspection_data.errorDetails` holds retryIndex and
  /// retryBackoffIntervalSeconds); "CAUGHT_ERROR" (a catcher takes it:
  /// `output` is the catcher's ResultPath applied, `next_state` its Next,
  /// errorDetails.catchIndex its index).
  std::string status;
  std::optional<boost::json::value> output;  ///< SUCCEEDED and CAUGHT_ERROR
  std::optional<std::string> error;          ///< FAILED, RETRIABLE, CAUGHT_ERROR
  std::optional<std::string> cause;
  std::optional<std::string> next_state;     ///< the state to go to, when there is one
  /// With inspection level DEBUG or TRACE: AWS's fields, each present when
  /// the state has that step: `input`, `afterInputPath`, `afterParameters`,
  /// `result`, `afterResultSelector`, `afterResultPath`, `variables`,
  /// `errorDetails` (JSON values here; text in `to_json()`).
  boost::json::object inspection_data;

  /// The TestState response as the AWS API prints it: `output` and the
  /// inspection data's payloads as JSON text.
  boost::json::object to_json() const;
};

/// Thrown by `test_state` for a request TestState refuses (InvalidDefinition,
/// ValidationException): `what()` lists every problem, with its JSON pointer
/// in the definition where there is one.
class test_state_error : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// Runs one state as AWS's TestState API does: `definition` is the state's
/// JSON, or a whole state machine with `options.state_name` naming the
/// state (at any depth). Tests Pass, Task, Choice, Wait (without waiting),
/// Succeed and Fail states of the JSONPath query language; a Task takes
/// `mock_result` or `mock_error`, or else the handler `handlers` has for
/// its resource. Errors go through the state's Retry (given
/// `retrier_retry_count`) and Catch. Throws `test_state_error` for an
/// invalid definition, a missing or unknown state name, both mocks given,
/// or a state it does not test (Map and Parallel states, and states in
/// the JSONata query language).
test_state_result test_state(boost::json::value const& definition, boost::json::value const& input,
                             test_state_options const& options = {});
/// The same with the definition as text.
test_state_result test_state(std::string_view definition, boost::json::value const& input,
                             test_state_options const& options = {});

}  // namespace stepsim::testing
