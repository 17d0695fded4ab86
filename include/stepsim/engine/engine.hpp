// stepsim::engine::engine: starts and runs executions of compiled state machines.
#pragma once

#include <stepsim/asl/state_machine.hpp>
#include <stepsim/engine/execution.hpp>
#include <stepsim/engine/history.hpp>
#include <stepsim/engine/map_run.hpp>
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
#include <string_view>
#include <vector>

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
  /// Keeps what `execution::redrive` needs (a Standard execution only): the
  /// input of the state being run, and the outputs of the Parallel branches
  /// and Map iterations that succeeded. Costs a copy of each state's input,
  /// so it is off by default; an execution run without it is NOT_REDRIVABLE.
  bool redrivable = false;
};

/// What `execution::redrivability` answers: AWS's redriveStatus and, when
/// not redrivable, its redriveStatusReason.
struct redrive_eligibility {
  redrive_status status = redrive_status::not_redrivable;
  std::string_view reason;  ///< a static text; empty when redrivable
  bool redrivable() const noexcept { return status == redrive_status::redrivable; }
};

/// One execution: started by `engine::start`, done when its coroutine ends.
class execution {
 public:
  bool done() const noexcept;
  /// The result so far (status RUNNING until done).
  execution_result const& result() const noexcept;

  /// Stops a running execution as AWS's StopExecution does: at once, with
  /// status ABORTED and an `ExecutionAborted` event carrying `error` and
  /// `cause` (each when given); its pending Waits, Task calls, task-token
  /// waits and retry delays are cancelled, its Parallel branches and Map
  /// iterations stop, child executions it waits for with
  /// `states:startExecution.sync` / `.sync:2` are stopped too, and it records
  /// no event after `ExecutionAborted`. Returns false, doing nothing, when
  /// the execution has ended already (stopping twice is harmless).
  bool stop(std::optional<std::string> error = std::nullopt, std::optional<std::string> cause = std::nullopt);

  /// Whether `redrive` would accept the execution now, as AWS's
  /// RedriveExecution decides: a Standard execution run with
  /// execution_options::redrivable that ended FAILED, TIMED_OUT or ABORTED
  /// at most 14 days ago (the redrivable period), started at most a year ago
  /// (the longest an execution may be open), with fewer than 24,999 events
  /// (room for ExecutionRedriven and one more).
  redrive_eligibility redrivability() const;

  /// AWS's RedriveExecution: continues the execution from its unsuccessful
  /// state with that state's input, under the same ARN, appending to the same
  /// history: an `ExecutionRedriven` event (`redriveCount`), then the states
  /// run again. States that succeeded are not run again: a Parallel runs only
  /// the branches that failed or were aborted, an inline Map only the
  /// iterations that did not succeed, each from the state it stopped in, and
  /// a distributed Map redrives its Map Run (`MapRunRedriven`): its children
  /// that did not succeed run again. The execution is RUNNING again
  /// (redrive_count, redrive_date set); its TimeoutSeconds counts from now,
  /// and `on_done` (of engine::start) is called again when it ends. Returns
  /// the eligibility: when not redrivable, nothing changes.
  redrive_eligibility redrive();

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

  /// The Map Runs of the distributed Maps this engine's executions started
  /// (child executions' included), oldest first, as they stand now.
  std::vector<std::shared_ptr<map_run_status const>> map_runs() const;
  /// AWS's UpdateMapRun on the Map Run `arn`: the given settings are
  /// recorded; while the run is RUNNING a new MaxConcurrency applies at once
  /// (a larger one starts waiting children), new tolerated failures from the
  /// next failed child on. False when no Map Run of this engine has that ARN.
  bool update_map_run(std::string_view arn, map_run_update const& update);

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
