// stepsim::engine::engine: starts and runs executions of compiled state machines.
#pragma once

#include <stepsim/asl/state_machine.hpp>
#include <stepsim/engine/execution.hpp>
#include <stepsim/engine/history.hpp>
#include <stepsim/sim/rng.hpp>
#include <stepsim/sim/scheduler.hpp>
#include <stepsim/tasks/registry.hpp>

#include <boost/json/value.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace stepsim::engine {

/// Settings shared by every execution of an engine.
struct engine_options {
  std::uint64_t seed = 0;                     ///< seeds execution names and States.MathRandom / UUID
  std::string region = "us-east-1";           ///< used in ARNs
  std::string account = "123456789012";       ///< used in ARNs
  /// Orchestration overhead: scheduler time Step Functions itself spends on
  /// each state transition, sampled before every state is entered (default:
  /// none). The stream is the engine's "engine/overhead" stream.
  std::function<sim::duration(sim::random_stream&)> transition_overhead;
  /// Called when an execution starts and whenever it enters a state
  /// (nested ones included), e.g. by pre-warming policies. Must not throw.
  std::function<void(asl::state_machine const& top, std::string const& execution_name)> on_execution_started;
  std::function<void(asl::state_machine const& machine, asl::state const& state)> on_state_entered;
  /// A local folder standing in for Amazon S3, read by distributed Maps'
  /// ItemReader and written by their ResultWriter: bucket = subfolder, key =
  /// path below it. Empty: no S3 (an ItemReader fails with States.ItemReaderFailed).
  std::filesystem::path s3_root;
};

/// Standard or Express workflow semantics.
enum class execution_type {
  standard,  ///< at most one year; fails at 25,000 history events
  express    ///< at most five minutes (TIMED_OUT after); ARNs of the form ...:express:MACHINE:NAME:ID
};

/// Settings of one execution.
struct execution_options {
  execution_type type = execution_type::standard;
  /// Execution name; empty picks a UUID drawn from the engine's seeded stream.
  std::string name;
  /// State machine name used in ARNs and `$$.StateMachine.Name`.
  std::string state_machine_name = "StateMachine";
  std::string role_arn = "arn:aws:iam::123456789012:role/StepFunctions-Role";
  history_level history = history_level::off;
  /// Stops a run that enters more states than this (nested ones included)
  /// with status ABORTED and error `stepsim.TransitionLimitExceeded`, so a
  /// loop with no exit never hangs. 0 = no limit.
  std::uint64_t max_transitions = 1'000'000;
  /// Stops a run still going after this much scheduler time with status
  /// ABORTED and error `stepsim.TimeBudgetExceeded`. nullopt = no limit.
  std::optional<sim::duration> time_budget;
};

/// One execution: started by `engine::start`, done when its coroutine ends.
class execution {
 public:
  bool done() const noexcept;
  /// The result so far (status RUNNING until done).
  execution_result const& result() const noexcept;

  struct state;  // implementation (lib/engine)

 private:
  explicit execution(std::shared_ptr<state> s) : state_(std::move(s)) {}
  std::shared_ptr<state> state_;
};

/// Runs executions as coroutines on one scheduler. Single-threaded, like its
/// scheduler; many engines (each with its own scheduler) may run on as many
/// threads.
class engine {
 public:
  engine(sim::scheduler& sched, tasks::registry const& tasks, engine_options options = {});
  ~engine();
  engine(engine const&) = delete;
  engine& operator=(engine const&) = delete;

  sim::scheduler& scheduler() noexcept { return sched_; }
  tasks::registry const& tasks() const noexcept { return tasks_; }
  engine_options const& options() const noexcept { return options_; }

  /// Starts an execution; it makes progress when the scheduler runs.
  /// `on_done` (optional) is called with the result when it ends.
  std::shared_ptr<execution> start(std::shared_ptr<asl::state_machine const> machine, boost::json::value input,
                                   execution_options options = {},
                                   std::function<void(execution_result const&)> on_done = {});

  /// Starts an execution, runs the scheduler until no work is left, and
  /// returns the result: the usual call in a test.
  execution_result run(std::shared_ptr<asl::state_machine const> machine, boost::json::value input,
                       execution_options options = {});

  /// Callback pattern (`arn:...:service:action.waitForTaskToken`): a Task
  /// with such a resource runs its handler, then waits until one of these
  /// is called with its token (`$$.Task.Token`, or `invocation::task_token`),
  /// as AWS's SendTaskSuccess / SendTaskFailure / SendTaskHeartbeat.
  /// Each returns false when no Task of this engine holds the token (unknown,
  /// or already completed). A call made before the Task starts waiting (from
  /// inside its handler) takes effect when it does.
  bool send_task_success(std::string_view token, boost::json::value output);
  bool send_task_failure(std::string_view token, std::string error, std::string cause);
  bool send_task_heartbeat(std::string_view token);

  struct internals;  // implementation (lib/engine)

 private:
  std::shared_ptr<execution::state> launch(std::shared_ptr<asl::state_machine const> machine, boost::json::value input,
                                           execution_options options,
                                           std::function<void(execution_result const&)> on_done);

  sim::scheduler& sched_;
  tasks::registry const& tasks_;
  engine_options options_;
  std::unique_ptr<internals> internals_;
};

}  // namespace stepsim::engine
