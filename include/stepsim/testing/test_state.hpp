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

/// How strictly a mocked result is checked against the API model of the
/// Task's service (`mock.fieldValidationMode`). stepsim has no service API
/// models: the mode is accepted and no check is made (see docs/testing.md).
enum class field_validation_mode { strict, present, none };

/// The fields of a TestState request besides the definition and input.
struct test_state_options {
  /// The state to test when the definition is a whole state machine (TestState's `stateName`).
  std::optional<std::string> state_name;
  /// The state's result instead of doing its work (`mock.result`): a Task's
  /// result; a Parallel state's array of branch outputs (one per branch); a
  /// Map state's array of iteration outputs (an object with a ResultWriter).
  std::optional<boost::json::value> mock_result;
  /// The state's failure instead of doing its work (`mock.errorOutput`).
  std::optional<mocked_error> mock_error;
  /// `mock.fieldValidationMode` (default STRICT); accepted, not applied.
  field_validation_mode field_validation = field_validation_mode::strict;
  /// Handlers called for a Task that has no mock (a plain, consuming or
  /// awaitable handler; an awaitable one runs on a scheduler of its own).
  tasks::registry const* handlers = nullptr;
  /// Workflow variables before the state (`variables`, a JSON object).
  std::optional<boost::json::object> variables;
  /// The context object `$$` / `$states.context` (`context`); by default one
  /// for an Express execution named "TestState" of a state machine named
  /// "TestStateMachine", whose `State.Name` is "StateName" (as AWS's is) and
  /// whose `Execution.RoleArn` is `role_arn` (null without one).
  std::optional<boost::json::object> context;
  /// `roleArn`: only shown in the default context object (no call needs it).
  std::optional<std::string> role_arn;
  /// Retries already made by the retrier matching the mocked error
  /// (`stateConfiguration.retrierRetryCount`, default 0).
  std::int64_t retrier_retry_count = 0;
  /// `stateConfiguration.errorCausedByState`: the state inside the tested
  /// Map or Parallel state that the mocked error comes from; must name one.
  std::optional<std::string> error_caused_by_state;
  /// `stateConfiguration.mapIterationFailureCount`: how many iterations of
  /// the tested Map state failed; compared with its ToleratedFailureCount /
  /// ToleratedFailurePercentage (needs a mock).
  std::optional<std::int64_t> map_iteration_failure_count;
  /// `stateConfiguration.mapItemReaderData`: what a Map state's ItemReader
  /// reads, as the text of its source (a JSON array, or JSON Lines with
  /// ReaderConfig InputType JSONL).
  std::optional<std::string> map_item_reader_data;
  inspection_level inspection = inspection_level::info;
  /// `revealSecrets`: only HTTP Tasks have secrets; refused with a mock, as
  /// AWS refuses it, and otherwise ignored.
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
  /// the state has that step. JSONPath: `input`, `afterInputPath`,
  /// `afterParameters`, `result`, `afterResultSelector`, `afterResultPath`;
  /// JSONata: `input`, `afterArguments`, `result`; Map: `afterItemsPath`,
  /// `afterItemSelector`, `afterItemBatcher`, `maxConcurrency`,
  /// `toleratedFailureCount`, `toleratedFailurePercentage`; and `variables`
  /// (the variables after the state, when there are any) and `errorDetails`.
  /// JSON values here; payloads are JSON text in `to_json()`.
  boost::json::object inspection_data;

  /// The TestState response as the AWS API prints it: `output` and the
  /// inspection data's payloads as JSON text.
  boost::json::object to_json() const;
};

/// Thrown by `test_state` for a request TestState refuses: `what()` lists
/// every problem, with its JSON pointer in the definition where there is
/// one, or is AWS's message for the request's fault.
class test_state_error : public std::invalid_argument {
 public:
  /// What AWS answers: InvalidDefinition for a definition that does not
  /// compile ("Invalid State Machine Definition: '...'"), InvalidDefinition
  /// with AWS's message for a state TestState does not test, and
  /// ValidationException for request fields that do not fit together.
  enum class kind { invalid_definition, unsupported_state, validation };

  explicit test_state_error(std::string const& what, kind k = kind::invalid_definition)
      : std::invalid_argument(what), kind_(k) {}
  kind code() const noexcept { return kind_; }
  /// "InvalidDefinition" or "ValidationException".
  char const* aws_error() const noexcept {
    return kind_ == kind::validation ? "ValidationException" : "InvalidDefinition";
  }

 private:
  kind kind_;
};

/// Runs one state as AWS's TestState API does: `definition` is the state's
/// JSON, or a whole state machine with `options.state_name` naming the
/// state (at any depth). Tests Pass, Task, Choice, Wait (without waiting),
/// Succeed and Fail states, in JSONPath and in JSONata (Arguments, Output,
/// Assign, Condition, `$states`, the given variables); a Task takes
/// `mock_result` or `mock_error`, or else the handler `handlers` has for
/// its resource. Map and Parallel states need a mock: their items,
/// selectors and limits are computed, their iterations and branches are
/// not run. Errors go through the state's Retry (given
/// `retrier_retry_count`) and Catch. Throws `test_state_error` for an
/// invalid definition, a missing or unknown state name, and request fields
/// AWS refuses (see `test_state_error::kind` and docs/testing.md).
test_state_result test_state(boost::json::value const& definition, boost::json::value const& input,
                             test_state_options const& options = {});
/// The same with the definition as text.
test_state_result test_state(std::string_view definition, boost::json::value const& input,
                             test_state_options const& options = {});

}  // namespace stepsim::testing
