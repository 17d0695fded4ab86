// stepsim::engine::state_machines: other state machines a workflow starts as
// nested executions (arn:aws:states:::states:startExecution...).
#pragma once

#include <stepsim/asl/state_machine.hpp>
#include <stepsim/engine/engine.hpp>
#include <stepsim/tasks/registry.hpp>

#include <map>
#include <memory>
#include <string>
#include <string_view>

namespace stepsim::engine {

/// State machines by name, started by a parent's Task with Resource
/// `arn:aws:states:::states:startExecution` (the child runs on its own; the
/// Task's result is {"ExecutionArn", "StartDate"}), `.sync` (the Task waits
/// for the child's end; its result is the child as DescribeExecution shows it,
/// with `Output` as JSON text), `.sync:2` (the same with `Output` as JSON) or
/// `.waitForTaskToken` (the Task waits for a token sent with
/// engine::send_task_success / send_task_failure, usually by the child). The
/// Task's input names the machine (`StateMachineArn`: its ARN or name) and
/// gives the child's `Input` (JSON, or JSON text) and optionally its `Name`.
/// A child that fails, times out or is aborted fails a `.sync` Task with
/// `States.TaskFailed` and the child's description as the cause; an unknown
/// machine fails it with `StepFunctions.StateMachineDoesNotExistException`.
/// Children run on the parent's engine, on the same clock. When the parent
/// stops waiting for a `.sync` / `.sync:2` child (the parent is stopped,
/// fails or times out, or the Task itself times out), the child is stopped
/// (ABORTED, no error or cause); children started without `.sync` run on.
///
///     engine::state_machines machines;
///     machines.add("child", asl::parse_or_throw(child_text));
///     machines.bind(registry, eng);   // before the parent runs
class state_machines {
 public:
  /// Adds (or replaces) the machine called `name`; its executions run with
  /// `options` (the state machine name is set to `name`).
  void add(std::string name, std::shared_ptr<asl::state_machine const> machine, execution_options options = {});

  /// The machine named `name_or_arn` (a name, or a stateMachine ARN whose
  /// last part is the name); nullptr when none.
  struct entry {
    std::shared_ptr<asl::state_machine const> machine;
    execution_options options;
  };
  entry const* find(std::string_view name_or_arn) const;

  /// Registers in `tasks` the handlers of the four startExecution resources,
  /// which start children on `eng`. This object and `eng` must outlive every
  /// run that uses them.
  void bind(tasks::registry& tasks, engine& eng) const;

 private:
  std::map<std::string, entry, std::less<>> machines_;
};

}  // namespace stepsim::engine
