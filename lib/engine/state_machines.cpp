#include <stepsim/engine/state_machines.hpp>

#include "engine/map_run_io.hpp"

#include <stepsim/asl/json_text.hpp>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <fmt/format.h>

namespace stepsim::engine {

namespace asio = boost::asio;

namespace {

constexpr std::string_view start_execution = "arn:aws:states:::states:startExecution";

/// A child execution's end, awaited by its parent's Task.
struct child_wait {
  std::optional<execution_result> result;
  std::weak_ptr<execution> child;  ///< stopped when the parent stops waiting for it
  // Constructed in place and moved out only (Boost 1.81's any_completion_handler move-assignment recurses).
  std::optional<asio::any_completion_handler<void(boost::system::error_code)>> handler;

  void complete(asio::any_io_executor exec, boost::system::error_code ec) {
    if (!handler) return;
    asio::post(exec, [h = std::move(*handler), ec]() mutable { std::move(h)(ec); });
    handler.reset();
  }
};

/// Returns once the child has ended. Cancelling the awaiting Task (its
/// parent failed, timed out or was stopped; the Task timed out) ends the
/// wait and stops the child, as AWS stops a job its `.sync` Task waits for.
asio::awaitable<void> ended(std::shared_ptr<child_wait> w, asio::any_io_executor exec) {
  if (w->result) co_return;
  co_await asio::async_initiate<decltype(asio::use_awaitable), void(boost::system::error_code)>(
      // Raw pointers on purpose (this frame's `w` keeps the wait alive while
      // it is awaited): g++ 12 destroys temporaries of a co_await expression
      // twice, so a captured shared_ptr would drop the wait too early.
      [w = w.get(), exec](auto h) {
        auto slot = asio::get_associated_cancellation_slot(h);
        w->handler.emplace(std::move(h));
        if (slot.is_connected())
          slot.assign([w, exec](asio::cancellation_type) {
            w->complete(exec, asio::error::operation_aborted);
            if (auto c = w->child.lock()) c->stop();
          });
      },
      asio::use_awaitable);
}

[[noreturn]] void fail(std::string error, std::string cause) { throw tasks::task_error(std::move(error), std::move(cause)); }

/// The child's input: `Input` as JSON, or JSON text parsed; {} when absent.
json::value child_input(json::object const& in) {
  auto const* v = in.if_contains("Input");
  if (!v) return json::object{};
  if (auto const* s = v->if_string()) {
    boost::system::error_code ec;
    auto parsed = json::parse(*s, ec);
    if (ec) fail("StepFunctions.InvalidExecutionInputException", fmt::format("Invalid State Machine Execution Input: '{}'", std::string_view(*s)));
    return parsed;
  }
  return *v;
}

}  // namespace

void state_machines::add(std::string name, std::shared_ptr<asl::state_machine const> machine,
                         execution_options options) {
  options.state_machine_name = name;
  machines_[std::move(name)] = entry{std::move(machine), std::move(options)};
}

state_machines::entry const* state_machines::find(std::string_view name_or_arn) const {
  auto name = name_or_arn;
  if (name.starts_with("arn:")) {
    auto at = name.find(":stateMachine:");
    if (at == std::string_view::npos) return nullptr;
    name.remove_prefix(at + 14);
    if (auto colon = name.find(':'); colon != std::string_view::npos) name = name.substr(0, colon);  // a version or alias
  }
  auto it = machines_.find(name);
  return it == machines_.end() ? nullptr : &it->second;
}

void state_machines::bind(tasks::registry& tasks, engine& eng) const {
  for (std::string_view suffix : {"", ".sync", ".sync:2", ".waitForTaskToken"}) {
    std::string resource = std::string(start_execution) + std::string(suffix);
    bool const sync = suffix.starts_with(".sync");
    bool const json_output = suffix == ".sync:2";
    tasks.add_async(
        resource,
        [this, &eng, sync, json_output](tasks::invocation const& inv) -> asio::awaitable<json::value> {
          auto const* in = inv.input.if_object();
          auto const* arn = in ? in->if_contains("StateMachineArn") : nullptr;
          if (!arn || !arn->is_string())
            fail("States.Runtime", "The input of arn:aws:states:::states:startExecution needs 'StateMachineArn'");
          auto const* e = find(arn->get_string());
          if (!e)
            fail("StepFunctions.StateMachineDoesNotExistException",
                 fmt::format("State Machine Does Not Exist: '{}'", std::string_view(arn->get_string())));
          execution_options options = e->options;
          if (auto const* name = in->if_contains("Name"); name && name->is_string())
            options.name = std::string(name->get_string());
          auto w = std::make_shared<child_wait>();
          auto exec = eng.scheduler().get_executor();
          auto child = eng.start(e->machine, child_input(*in), std::move(options),
                                 [w, exec](execution_result const& r) {
                                   w->result = r;
                                   w->complete(exec, {});
                                 });
          w->child = child;
          auto const& started = child->result();
          if (!sync)
            co_return json::object{{"ExecutionArn", started.execution_arn},
                                   {"StartDate", sim::format_iso8601(started.start_date)}};
          co_await ended(w, exec);
          auto record = child_record(child_outcome{true, *w->result});
          if (!w->result->succeeded()) fail("States.TaskFailed", asl::to_text(record));
          if (json_output) record["Output"] = *w->result->output;
          co_return record;
        },
        tasks::context_use::ignores);
  }
}

}  // namespace stepsim::engine
