// stepsim::testing mocks: what Task states return in a test, per state name or
// resource pattern, from code or from a MockConfigFile, with a log of calls.
#pragma once

#include <stepsim/asl/state_machine.hpp>
#include <stepsim/sim/time.hpp>
#include <stepsim/task_adapters/mock_config.hpp>
#include <stepsim/tasks/registry.hpp>

#include <boost/json/value.hpp>

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace stepsim::engine {
class engine;
}

namespace stepsim::testing {

/// One call of a Task state's resource, as a test sees it.
struct call {
  std::string state;          ///< the Task state's name (nested states by their own name)
  std::string execution;      ///< the execution's name
  boost::json::value input;   ///< the effective input (after InputPath and Parameters)
  std::uint64_t attempt = 0;  ///< 0 for the first call of this state in this execution, then 1, 2, ...
  sim::instant time{};        ///< scheduler time the call started
};

/// The responses of one mock, built by chaining:
/// `wf.mock("Charge").throws("Card.Declined", "expired").returns({{"ok", true}}).after(2s);`
/// Each `returns`, `throws` or `calls` appends the response for the next
/// attempt (attempt 0 gets the first); the last one repeats for every later
/// attempt.
class mock_builder {
 public:
  /// The attempt succeeds with `result`.
  mock_builder& returns(boost::json::value result);
  /// The attempt fails with `error` and `cause`, which Retry and Catch match.
  mock_builder& throws(std::string error, std::string cause = {});
  /// The attempt runs `fn` (which may throw `tasks::task_error`) and succeeds with what it returns.
  mock_builder& calls(std::function<boost::json::value(call const&)> fn);
  /// The last response appended takes `latency` of scheduler time before it
  /// completes. Throws std::logic_error when no response was appended yet.
  mock_builder& after(sim::duration latency);

  /// Number of responses appended.
  std::size_t size() const noexcept { return responses_.size(); }

 private:
  friend class mock_table;
  struct response {
    std::optional<boost::json::value> result;
    std::string error, cause;
    std::function<boost::json::value(call const&)> fn;
    sim::duration latency{};
  };
  std::vector<response> responses_;
};

/// The mocks of a test and the log of every Task call. `install` puts one
/// handler for every resource into a `tasks::registry`; for each call it
/// picks, in this order:
/// 1. the MockConfigFile test case in use, when it names the state;
/// 2. the mock of the state's name (`state`);
/// 3. the first resource-pattern mock (`resource`) that matches;
/// 4. the handler `fallback` has for the resource;
/// and otherwise fails the Task with States.TaskFailed naming the state.
/// A mocked `.waitForTaskToken` Task completes with its mocked response
/// (through `engine::send_task_success` / `send_task_failure`).
/// Single-threaded, like the engine it serves. The log keeps every call
/// (and the attempt counts every execution), which suits tests; a long
/// simulation should register handlers on an engine directly instead.
class mock_table {
 public:
  /// The mock of Task state `name` (created empty on first use).
  mock_builder& state(std::string const& name);
  /// The mock of every Task whose Resource matches `pattern` (`*` wildcards,
  /// as `tasks::registry` matches).
  mock_builder& resource(std::string const& pattern);

  /// Uses the test case `test_case` of the state machine named
  /// `machine_name` in `config` (replacing any test case in use). Throws
  /// `tasks::mock_config_error` naming `source` when the file has no such
  /// state machine or test case, or the test case names a state that is not
  /// a Task state of `machine` (at any depth).
  void use(tasks::mock_config config, asl::state_machine const& machine, std::string const& machine_name,
           std::string const& test_case, std::string const& source);
  /// The test case in use (empty when none): state name -> mocked response.
  tasks::mock_config::test_case const* test_case() const noexcept;

  /// Every call of state `name`, in the order they started.
  std::vector<call> calls(std::string_view name) const;
  /// Every call of every state, in order.
  std::deque<call> const& all_calls() const noexcept { return calls_; }
  /// Forgets the attempts counted for `execution` (a new execution reusing a name starts again at 0).
  void reset_attempts(std::string_view execution);

  /// Registers the dispatching handler under "*" in `target`. This table,
  /// `fallback` (may be null) and `eng` must stay where they are for as long
  /// as `target` is used.
  void install(tasks::registry& target, tasks::registry const* fallback, engine::engine* eng);

 private:
  std::map<std::string, mock_builder, std::less<>> by_state_;
  std::vector<std::pair<std::string, std::unique_ptr<mock_builder>>> by_resource_;
  std::optional<tasks::mock_config> config_;
  std::string case_name_, source_;
  tasks::mock_config::test_case const* case_ = nullptr;
  std::map<std::pair<std::string, std::string>, std::uint64_t, std::less<>> attempts_;
  std::deque<call> calls_;
};

}  // namespace stepsim::testing
