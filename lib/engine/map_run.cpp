// A distributed Map: a Map Run whose iterations are child executions.
#include "engine/branches.hpp"
#include "engine/child_group.hpp"
#include "engine/deadline.hpp"
#include "engine/map_run_io.hpp"

#include <stepsim/asl/json_text.hpp>

#include <boost/asio/deferred.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <utility>

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
  co_await child.eng.scheduler().async_sleep_until(at, boost::asio::deferred);
  child.expired = true;
}

/// Runs one child execution of the Map Run to its end, on this coroutine.
/// An EXPRESS child still running after five minutes ends TIMED_OUT.
boost::asio::awaitable<void> run_child(execution::state& ex, asl::state const& s, execution_options options,
                                       json::value input, sim::random_stream& names, child_outcome& out,
                                       map_run_status& run) {
  execution::state child(ex.eng, ex.core, s.item_processor, std::move(options));
  open_execution(child, std::move(input), names);
  out.started = true;
  // Listed from its start; its entry (found again by index: the vector may grow) follows it to its end.
  // Only a redriven run may run a child it listed before.
  auto const& r = child.result;
  auto& listed = run.children;
  auto at = listed.end();
  if (run.redrive_count > 0)
    at = std::find_if(listed.begin(), listed.end(), [&](auto const& c) { return c.execution_arn == r.execution_arn; });
  if (at == listed.end()) at = listed.insert(listed.end(), map_run_child{r.execution_arn, r.name});
  at->status = execution_status::running;
  at->start_date = r.start_date;
  at->stop_date.reset();
  struct closer {
    std::vector<map_run_child>& listed;
    std::size_t index;
    execution::state const& child;
    bool closed = false;
    /// Before the child's result moves on; or, however the child's coroutine ends, at its end.
    void close() {
      if (std::exchange(closed, true)) return;
      auto& c = listed[index];
      c.status = child.result.status == execution_status::running ? execution_status::aborted : child.result.status;
      c.stop_date = child.result.stop_date ? child.result.stop_date : child.now();
    }
    ~closer() { close(); }
  } entry{listed, std::size_t(at - listed.begin()), child};
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
    entry.close();
    out.result = std::move(child.result);
    throw;
  } catch (...) {
    if (!finish_failed(child, std::current_exception())) throw;
  }
  entry.close();
  out.result = std::move(child.result);
}

using counter = std::int64_t map_run_counts::*;

/// Moves one child (of `items` items) from `from` to `to` in both counts of `st`.
void move_count(map_run_status& st, std::int64_t items, counter from, counter to) {
  st.items.*from -= items;
  st.items.*to += items;
  st.executions.*from -= 1;
  st.executions.*to += 1;
}

counter count_of(execution_status s) {
  switch (s) {
    case execution_status::succeeded: return &map_run_counts::succeeded;
    case execution_status::failed: return &map_run_counts::failed;
    case execution_status::timed_out: return &map_run_counts::timed_out;
    default: return &map_run_counts::aborted;
  }
}

/// The Map Run `arn` of `ex`'s engine, made when new (its start), or RUNNING again (a redrive).
std::shared_ptr<engine::internals::map_run_entry> map_run_entry_of(execution::state& ex, std::string const& arn,
                                                                    std::string const& child_machine,
                                                                    std::int64_t redrives) {
  for (auto const& e : ex.core.map_runs) {
    if (e->status.arn != arn) continue;
    e->status.status = execution_status::running;
    e->status.stop_date.reset();
    e->status.redrive_count = redrives;
    e->status.redrive_date = ex.now();
    return e;
  }
  auto e = std::make_shared<engine::internals::map_run_entry>();
  e->status.arn = arn;
  e->status.execution_arn = ex.result.execution_arn;
  e->status.state_machine_arn = arn_of(ex.eng.options(), "stateMachine", child_machine);
  e->status.start_date = ex.now();
  ex.core.map_runs.push_back(e);
  return e;
}

}  // namespace

boost::asio::awaitable<json::value> run_map_run(execution::state& ex, asl::state const& s, json::value const& input,
                                               std::int64_t entered_id, work_scope scope) {
  auto const& m = *s.map_run;
  json::value storage;
  json::array const* from_input = m.reader ? nullptr : &map_items(ex, s, input, scope, storage).get_array();
  auto limits = map_limits_of(ex, s, input, scope);
  ex.emit("MapStateStarted", "mapStateStartedEventDetails",
          json::object{{"length", from_input ? from_input->size() : 0}});
  std::optional<std::int64_t> max_items;
  if (m.reader) max_items = count_value(ex, m.reader->max_items, "MaxItems", input, scope);

  auto names = sim::rng(ex.eng.options().seed).stream(fmt::format("map-run/{}/{}", ex.result.name, entered_id));
  std::string run_id = new_uuid(names);
  std::string const child_machine = ex.options.state_machine_name + '/' + (s.label.empty() ? s.name : s.label);
  std::string map_run_arn = arn_of(ex.eng.options(), "mapRun", child_machine + ':' + run_id);
  // Kept for a redrive: the run's ARN and its children. A redrive of the
  // execution redrives the Map Run it stopped in, under the same ARN.
  auto* kept = scope.branches;
  branch_set* plan = scope.plan && !scope.plan->map_run_arn.empty() ? scope.plan : nullptr;
  std::int64_t redrives = 0;
  std::vector<execution_result> earlier;
  if (plan) {
    map_run_arn = plan->map_run_arn;
    run_id = map_run_arn.substr(map_run_arn.rfind(':') + 1);
    redrives = plan->map_run_redrives + 1;
    earlier = std::move(plan->children);
    ex.emit("MapRunRedriven", "mapRunRedrivenEventDetails",
            json::object{{"mapRunArn", map_run_arn}, {"redriveCount", redrives}});
  } else {
    ex.emit("MapRunStarted", "mapRunStartedEventDetails", json::object{{"mapRunArn", map_run_arn}});
  }
  if (kept) {
    *kept = branch_set{};
    kept->map_run_arn = map_run_arn;
    kept->map_run_redrives = redrives;
  }
  // What the run's children ended as, for a later redrive (on every way out).
  struct keeper {
    branch_set* kept;
    std::vector<child_outcome> const& children;
    ~keeper() {
      if (!kept) return;
      kept->resize(children.size());
      for (std::size_t i = 0; i < children.size(); ++i) {
        (*kept)[i].succeeded = children[i].result.succeeded();
        kept->children.push_back(children[i].result);
      }
    }
  };

  // What DescribeMapRun shows, and UpdateMapRun changes while the run goes on.
  auto entry = map_run_entry_of(ex, map_run_arn, child_machine, redrives);
  auto& st = entry->status;
  st.max_concurrency = std::int64_t(limits.configured);
  st.tolerated_failure_percentage = limits.tolerated_percentage.value_or(0);
  st.tolerated_failure_count = limits.tolerated_count.value_or(0);
  std::function<void(std::size_t)> set_limit;
  entry->live = [&limits, &set_limit](map_run_update const& u) {
    if (u.max_concurrency) {
      auto l = std::size_t(*u.max_concurrency);
      limits.concurrency = l == 0 || l > limits.ceiling ? limits.ceiling : l;
      if (set_limit) set_limit(limits.concurrency);
    }
    if (u.tolerated_failure_percentage) limits.tolerated_percentage = *u.tolerated_failure_percentage;
    if (u.tolerated_failure_count) limits.tolerated_count = *u.tolerated_failure_count;
  };
  // No more updates once the run is over, however it ends (its frame may also go with the scheduler's).
  struct unlink {
    std::shared_ptr<engine::internals::map_run_entry> e;
    ~unlink() { e->live = nullptr; }
  } unlinked{entry};
  auto close = [&](execution_status ended) {
    st.status = ended;
    st.stop_date = ex.now();
  };

  std::vector<child_outcome> children;
  keeper keep{kept, children};
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
    // A redriven run: the children that succeeded keep their results and are not run again.
    for (std::size_t i = 0; i < earlier.size() && i < children.size(); ++i)
      if (earlier[i].succeeded()) children[i] = child_outcome{true, std::move(earlier[i])};
    // Items per child: one, or its batch.
    std::vector<std::int64_t> weight(inputs.size(), 1);
    if (m.batcher)
      for (std::size_t i = 0; i < inputs.size(); ++i)
        if (auto const* b = inputs[i].if_object(); b && b->contains("Items") && b->at("Items").is_array())
          weight[i] = std::int64_t(b->at("Items").get_array().size());
    st.items = st.executions = map_run_counts{};
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      bool done = children[i].started && children[i].result.succeeded();
      (done ? st.items.succeeded : st.items.pending) += weight[i];
      (done ? st.executions.succeeded : st.executions.pending) += 1;
      st.items.total += weight[i];
      st.executions.total += 1;
    }
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
                              if (children[i].started && children[i].result.succeeded()) co_return;  // redriven run
                              move_count(st, weight[i], &map_run_counts::pending, &map_run_counts::running);
                              try {
                                co_await run_child(ex, s, child_options, std::move(inputs[i]), names, children[i], st);
                              } catch (...) {
                                move_count(st, weight[i], &map_run_counts::running, count_of(children[i].result.status));
                                throw;
                              }
                              move_count(st, weight[i], &map_run_counts::running, count_of(children[i].result.status));
                              if (children[i].result.succeeded()) co_return;
                              if (!limits.tolerant() || limits.exceeded(++failures, inputs.size()))
                                throw asl::states_error("States.ExceedToleratedFailureThreshold",
                                                        "The specified tolerated failure threshold was exceeded");
                            },
                            &set_limit);
    } catch (asl::states_error const&) {
      if (m.writer && m.writer->to_s3) {
        write_map_run_results(ex, *m.writer, input, scope, map_run_arn, run_id, children);
        st.items.results_written = st.items.total - st.items.pending;
        st.executions.results_written = st.executions.total - st.executions.pending;
      }
      throw;
    }
  } catch (boost::system::system_error const&) {
    close(execution_status::aborted);
    throw;  // the execution stopped: no more events
  } catch (...) {
    close(execution_status::failed);
    run_failed(ex, std::current_exception());
    throw;
  }
  json::value output;
  try {
    if (m.writer && m.writer->to_s3) {
      output = write_map_run_results(ex, *m.writer, input, scope, map_run_arn, run_id, children);
      st.items.results_written = st.items.total;
      st.executions.results_written = st.executions.total;
    } else {
      output = map_run_output(children, m.writer ? &*m.writer : nullptr);
    }
  } catch (...) {
    close(execution_status::failed);
    run_failed(ex, std::current_exception());
    throw;
  }
  close(execution_status::succeeded);
  ex.emit("MapRunSucceeded");
  ex.emit("MapStateSucceeded");
  co_return output;
}

}  // namespace stepsim::engine
