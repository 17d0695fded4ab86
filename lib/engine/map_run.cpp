// A distributed Map: a Map Run whose iterations are child executions.
#include "engine/branches.hpp"
#include "engine/child_group.hpp"
#include "engine/deadline.hpp"
#include "engine/map_run_io.hpp"

#include <stepsim/asl/json_text.hpp>

#include <fmt/format.h>

namespace stepsim::engine {

namespace {

/// Records MapRunFailed and MapStateFailed (which AWS records without details) for `e`.
void run_failed(execution::state& ex, std::exception_ptr e) {
  auto [error, cause] = failure_of(e);
  json::object d;
  if (cause) d["cause"] = *cause;
  if (error) d["error"] = *error;
  ex.emit("MapRunFailed", "mapRunFailedEventDetails", std::move(d));
  ex.emit("MapStateFailed");
}

// An EXPRESS execution runs at most five minutes.
constexpr sim::duration express_limit = std::chrono::minutes(5);

/// Sleeps until `child`'s time is up, then marks it expired (its states end without Aborted events).
boost::asio::awaitable<void> expire(execution::state& child, sim::instant at) {
  co_await child.eng.scheduler().sleep_until(at);
  child.expired = true;
}

/// Runs one child execution of the Map Run to its end, on this coroutine.
/// An EXPRESS child still running after five minutes ends TIMED_OUT.
boost::asio::awaitable<void> run_child(execution::state& ex, asl::state const& s, execution_options options,
                                       json::value input, sim::random_stream& names, child_outcome& out) {
  execution::state child(ex.eng, ex.core, s.item_processor, std::move(options));
  open_execution(child, std::move(input), names);
  out.started = true;
  try {
    machine_cursor c(*s.item_processor, child.result.input, true);
    if (child.options.type == execution_type::express) {
      auto output = co_await before_deadline(run_machine(child, std::move(c)), expire(child, child.now() + express_limit));
      if (output) finish(child, execution_status::succeeded, std::move(*output), std::nullopt, std::nullopt);
      else finish(child, execution_status::timed_out, std::nullopt, "States.Timeout", std::nullopt);
    } else {
      json::value output = co_await run_machine(child, std::move(c));
      finish(child, execution_status::succeeded, std::move(output), std::nullopt, std::nullopt);
    }
  } catch (boost::system::system_error const&) {
    // The Map Run stopped (a failure past the threshold, or the parent ended): the child is aborted.
    finish(child, execution_status::aborted, std::nullopt, std::nullopt, std::nullopt);
    out.result = std::move(child.result);
    throw;
  } catch (...) {
    if (!finish_failed(child, std::current_exception())) throw;
  }
  out.result = std::move(child.result);
}

}  // namespace

boost::asio::awaitable<json::value> run_map_run(execution::state& ex, asl::state const& s, json::value const& input,
                                               std::int64_t entered_id, work_scope scope) {
  auto const& m = *s.map_run;
  json::value storage;
  json::array const* from_input = m.reader ? nullptr : &map_items(ex, s, input, scope, storage).get_array();
  auto const limits = map_limits_of(ex, s, input, scope);
  ex.emit("MapStateStarted", "mapStateStartedEventDetails",
          json::object{{"length", from_input ? from_input->size() : 0}});
  std::optional<std::int64_t> max_items;
  if (m.reader) max_items = count_value(ex, m.reader->max_items, "MaxItems", input, scope);

  auto names = sim::rng(ex.eng.options().seed).stream(fmt::format("map-run/{}/{}", ex.result.name, entered_id));
  std::string const run_id = new_uuid(names);
  std::string const child_machine = ex.options.state_machine_name + '/' + (s.label.empty() ? s.name : s.label);
  std::string const map_run_arn = arn_of(ex.eng.options(), "mapRun", child_machine + ':' + run_id);
  ex.emit("MapRunStarted", "mapRunStartedEventDetails", json::object{{"mapRunArn", map_run_arn}});

  std::vector<child_outcome> children;
  try {
    json::array read;
    if (m.reader) {
      if (max_items && *max_items < 0)
        throw asl::states_error("States.ItemReaderFailed", "field MaxItems must be positive");
      read = read_map_items(ex, *m.reader, input, scope, std::size_t(max_items.value_or(0)));
    }
    json::array const& items = m.reader ? read : *from_input;
    std::vector<json::value> inputs;
    inputs.reserve(items.size());
    for (std::size_t i = 0; i < items.size(); ++i) inputs.push_back(iteration_input(ex, s, input, scope, items[i], i));
    if (m.batcher) inputs = batch_items(ex, *m.batcher, input, scope, std::move(inputs));

    children.resize(inputs.size());
    for (std::size_t i = 0; i < inputs.size(); ++i) children[i].result.input = inputs[i];
    execution_options child_options;
    child_options.type = m.express_children ? execution_type::express : execution_type::standard;
    child_options.state_machine_name = child_machine;
    child_options.role_arn = ex.options.role_arn;
    child_options.history = ex.options.history;
    child_options.max_transitions = ex.options.max_transitions;
    std::size_t failures = 0;
    try {
      co_await run_children(ex.eng.scheduler().get_executor(), inputs.size(), limits.concurrency,
                            [&](std::size_t i) -> boost::asio::awaitable<void> {
                              co_await run_child(ex, s, child_options, std::move(inputs[i]), names, children[i]);
                              if (children[i].result.succeeded()) co_return;
                              if (!limits.tolerant() || limits.exceeded(++failures, inputs.size()))
                                throw asl::states_error("States.ExceedToleratedFailureThreshold",
                                                        "The specified tolerated failure threshold was exceeded");
                            });
    } catch (asl::states_error const&) {
      if (m.writer && m.writer->to_s3)
        write_map_run_results(ex, *m.writer, input, scope, map_run_arn, run_id, children);
      throw;
    }
  } catch (boost::system::system_error const&) {
    throw;  // the execution stopped: no more events
  } catch (...) {
    run_failed(ex, std::current_exception());
    throw;
  }
  json::value output;
  try {
    if (m.writer && m.writer->to_s3)
      output = write_map_run_results(ex, *m.writer, input, scope, map_run_arn, run_id, children);
    else output = map_run_output(children, m.writer ? &*m.writer : nullptr);
  } catch (...) {
    run_failed(ex, std::current_exception());
    throw;
  }
  ex.emit("MapRunSucceeded");
  ex.emit("MapStateSucceeded");
  co_return output;
}

}  // namespace stepsim::engine
