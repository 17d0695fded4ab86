// stepsim::testing::workflow: one state machine with everything a test needs
// to run it (scheduler, handlers, engine, mocks), in virtual time.
#pragma once

#include <stepsim/asl/state_machine.hpp>
#include <stepsim/engine/engine.hpp>
#include <stepsim/sim/scheduler.hpp>
#include <stepsim/tasks/registry.hpp>
#include <stepsim/testing/mocks.hpp>

#include <boost/json/value.hpp>

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace stepsim::testing {

/// 2024-01-01T00:00:00Z: where a workflow's clock starts unless told otherwise,
/// so that dates in outputs and histories are the same on every run.
inline constexpr sim::instant default_start{sim::duration{1704067200000000}};

/// How a workflow is set up. Everything has a fixed default, so a test gives
/// the same result on every machine.
struct workflow_options {
  sim::instant start = default_start;  ///< the virtual clock's first instant
  std::uint64_t seed = 0;              ///< execution names, States.MathRandom / UUID, retry jitter
  /// The state machine's name (ARNs, `$$.StateMachine.Name`, the MockConfigFile
  /// entry). Empty: the file name without `.asl.json` / `.json`, or "StateMachine".
  std::string state_machine_name;
  /// Settings of every execution; history is recorded in full by default so
  /// that tests can look at events.
  engine::execution_options execution = [] {
    engine::execution_options o;
    o.history = engine::history_level::full;
    return o;
  }();
};

/// Thrown when a workflow cannot be made: `what()` names the file (or
/// "definition" for text) and every problem, one per line, each with its
/// JSON pointer: "order.asl.json: /States/Charge/Next: ...".
class workflow_error : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// A state machine ready to run in a test:
///
///     auto wf = stepsim::testing::workflow::from_file("order.asl.json");
///     wf.mock("Charge").throws("Card.Declined", "expired").returns({{"paid", true}});
///     auto r = wf.run({{"order", 42}});
///     CHECK(wf.calls("Charge").size() == 2);
///
/// It owns a virtual-time scheduler, a handler registry and an engine.
/// Task states are answered by mocks (see `mock_table` for the order) and
/// then by the handlers registered on `handlers()`. Single-threaded.
/// Movable; not copyable.
class workflow {
 public:
  /// Reads and parses a definition file. Throws `workflow_error` naming the
  /// file when it is missing or unreadable, is not JSON, or is not a valid
  /// definition (every problem with its JSON pointer).
  static workflow from_file(std::string const& path, workflow_options options = {});
  /// Parses a definition; errors as `from_file`, naming "definition".
  static workflow from_text(std::string_view definition, workflow_options options = {});
  /// A compiled state machine.
  static workflow from_machine(std::shared_ptr<asl::state_machine const> machine, workflow_options options = {});

  workflow(workflow&&) noexcept;
  workflow& operator=(workflow&&) noexcept;
  ~workflow();

  /// Settings taking effect before the first execution starts (they rebuild
  /// the scheduler and engine); std::logic_error after it.
  workflow& set_start(sim::instant start);
  workflow& set_seed(std::uint64_t seed);
  workflow& set_state_machine_name(std::string name);
  /// Settings of the executions started from now on.
  engine::execution_options& execution_options() noexcept;

  /// The mock of Task state `name` (a nested state inside Parallel or Map too).
  mock_builder& mock(std::string const& state_name);
  /// The mock of every Task whose Resource matches `pattern` (`*` wildcards).
  mock_builder& mock_resource(std::string const& pattern);
  /// Uses test case `test_case` of Step Functions Local's MockConfigFile at
  /// `path`, under this state machine's name. Throws `tasks::mock_config_error`
  /// naming the file when it is unreadable or malformed (with the JSON
  /// pointer of each fault), has no entry for this state machine or no such
  /// test case, or the test case names a state that is not a Task state of
  /// this state machine.
  workflow& use_mock_config(std::string const& path, std::string const& test_case);
  /// The same with a configuration already read; `source` names it in errors.
  workflow& use_mock_config(tasks::mock_config config, std::string const& test_case,
                            std::string const& source = "mock configuration");

  /// Handlers for Task resources that no mock covers.
  tasks::registry& handlers() noexcept;

  /// Starts an execution, runs the scheduler until no work is left, and
  /// returns the result.
  engine::execution_result run(boost::json::value input = boost::json::object{});
  /// Starts an execution without running it; then `advance`, `run_until`
  /// or `finish` move time on, and `execution::result()` shows where it is.
  std::shared_ptr<engine::execution> start(boost::json::value input = boost::json::object{});
  /// Runs what is due in the next `d` of virtual time; the clock is then `d` later.
  void advance(sim::duration d);
  /// Runs what is due up to `t`; the clock is then `t`.
  void run_until(sim::instant t);
  /// Runs until no work is left.
  void finish();

  /// Every call of Task state `name`, in the order they started.
  std::vector<call> calls(std::string_view state_name) const;
  /// Every Task call, in order.
  std::deque<call> const& all_calls() const noexcept;

  sim::instant now() const noexcept;
  sim::scheduler& scheduler() noexcept;
  engine::engine& engine() noexcept;
  std::shared_ptr<asl::state_machine const> const& machine() const noexcept;
  std::string const& state_machine_name() const noexcept;

 private:
  struct impl;
  explicit workflow(std::unique_ptr<impl> p);
  std::unique_ptr<impl> impl_;
};

}  // namespace stepsim::testing
