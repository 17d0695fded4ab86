#include "engine/task_runner.hpp"

#include "engine/deadline.hpp"
#include "engine/jsonata_flow.hpp"

#include <stepsim/asl/json_text.hpp>
#include <stepsim/tasks/task_token.hpp>

#include <boost/asio/deferred.hpp>
#include <boost/asio/error.hpp>
#include <boost/system/system_error.hpp>
#include <fmt/format.h>

#include <tuple>

namespace stepsim::engine {

namespace {

/// How AWS labels a resource in Task events: arn:aws:states:::lambda:invoke
/// -> ("lambda", "invoke"); other ARNs -> (service, the rest).
std::pair<std::string, std::string> resource_labels(std::string_view arn) {
  constexpr std::string_view states_prefix = "arn:aws:states:::";
  if (arn.starts_with(states_prefix)) {
    auto rest = arn.substr(states_prefix.size());
    auto colon = rest.find(':');
    if (colon != std::string_view::npos) return {std::string(rest.substr(0, colon)), std::string(rest.substr(colon + 1))};
  }
  if (arn.starts_with("arn:")) {
    auto rest = arn.substr(4);
    auto c1 = rest.find(':');  // partition
    if (c1 != std::string_view::npos) {
      auto svc = rest.substr(c1 + 1);
      auto c2 = svc.find(':');
      if (c2 != std::string_view::npos) return {std::string(svc.substr(0, c2)), std::string(arn)};
    }
  }
  return {"custom", std::string(arn)};
}

/// TimeoutSeconds / HeartbeatSeconds given literally or by a path (`field`
/// names the path field in the cause), if the Task has either.
std::optional<sim::duration> positive_seconds(execution::state& ex, std::optional<std::int64_t> const& literal,
                                              std::optional<asl::path> const& path, char const* field,
                                              json::value const& input, states_binding const* binding,
                                              std::optional<asl::jsonata_template> const* expression) {
  if (literal) return std::chrono::seconds(*literal);
  if (binding && expression && *expression) return std::chrono::seconds(integer_field(*binding, **expression, 1));
  if (!path) return std::nullopt;
  auto const& p = *path;
  if (p.is_context()) ex.ensure_context();
  auto const* v = p.find_in(input, ex.context, nullptr);
  if (v) {
    // Saturates: a value past the clock's range waits past the execution's one-year limit all the same.
    if (auto const* i = v->if_int64(); i && *i > 0) return sim::saturating_seconds(double(*i));
  }
  throw asl::states_error("States.Runtime",
                          fmt::format("The {} field refers to value \"{}\" which is not a valid positive integer: {}",
                                      field,
                                      v ? (v->is_string() ? std::string(v->get_string()) : asl::to_text(*v)) : "null",
                                      p.text()));
}

bool is_lambda_function_arn(std::string_view arn) {
  return arn.starts_with("arn:aws:lambda:") && arn.find(":function:") != std::string_view::npos;
}

}  // namespace

namespace {

/// A Task attempt's history events (none when history is off).
class attempt_events {
 public:
  attempt_events(execution::state& ex, asl::state const& s)
      : ex_(ex), s_(s), recording_(ex.recording()), lambda_(recording_ && is_lambda_function_arn(s.resource)) {
    if (recording_) std::tie(rtype_, rname_) = resource_labels(s.resource);
  }

  void scheduled(json::value const& input) {
    if (!recording_) {  // numbered all the same: Scheduled and Started
      ex_.count_event();
      ex_.count_event();
      return;
    }
    json::object d = base();
    if (lambda_) d["resource"] = s_.resource;
    if (!lambda_) d["region"] = ex_.eng.options().region;
    if (ex_.full_history()) {
      if (lambda_) {
        d["input"] = asl::to_text(input);
        d["inputDetails"] = json::object{{"truncated", false}};
      } else {
        d["parameters"] = asl::to_text(input);
      }
    }
    ex_.emit(lambda_ ? "LambdaFunctionScheduled" : "TaskScheduled",
             lambda_ ? "lambdaFunctionScheduledEventDetails" : "taskScheduledEventDetails", std::move(d));
    if (lambda_) ex_.emit("LambdaFunctionStarted");
    else ex_.emit("TaskStarted", "taskStartedEventDetails", base());
  }

  /// Records the attempt's end; throws `failure` when set, else returns `result`.
  json::value ended(std::optional<asl::states_error>& failure, json::value result) {
    if (!recording_) {
      ex_.count_event();  // Succeeded or Failed
      if (failure) throw *failure;
      return result;
    }
    if (failure) {
      json::object d = base();
      d["error"] = failure->error();
      d["cause"] = failure->cause();
      ex_.emit(lambda_ ? "LambdaFunctionFailed" : "TaskFailed",
               lambda_ ? "lambdaFunctionFailedEventDetails" : "taskFailedEventDetails", std::move(d));
      throw *failure;
    }
    json::object d = base();
    if (ex_.full_history()) {
      d["output"] = asl::to_text(result);
      d["outputDetails"] = json::object{{"truncated", false}};
    }
    ex_.emit(lambda_ ? "LambdaFunctionSucceeded" : "TaskSucceeded",
             lambda_ ? "lambdaFunctionSucceededEventDetails" : "taskSucceededEventDetails", std::move(d));
    return result;
  }

 private:
  json::object base() const {
    json::object d;
    if (!lambda_) {
      d["resourceType"] = rtype_;
      d["resource"] = rname_;
    }
    return d;
  }

  execution::state& ex_;
  asl::state const& s_;
  bool recording_, lambda_;
  std::string rtype_, rname_;
};

asl::states_error no_handler(asl::state const& s) {
  return asl::states_error("States.TaskFailed",
                           fmt::format("No handler is registered for the resource '{}'. Register one with "
                                       "stepsim::tasks::registry::add (C++), or use --echo-tasks with `stepsim run`.",
                                       s.resource));
}

}  // namespace

json::value run_task_attempt_now(execution::state& ex, asl::state const& s, tasks::registry::entry const* handler,
                                 json::value const& input, json::value* movable, states_binding const*) {
  attempt_events events(ex, s);
  events.scheduled(input);
  std::optional<asl::states_error> failure;
  json::value result;
  if (!handler) {
    failure.emplace(no_handler(s));
  } else {
    try {
      if (handler->sync) result = handler->sync(input);
      else result = handler->consuming(movable ? std::move(*movable) : json::value(input));
    } catch (asl::states_error const& e) {
      failure.emplace(e);
    } catch (std::exception const& e) {
      failure.emplace("States.TaskFailed", e.what());
    }
  }
  return events.ended(failure, std::move(result));
}

namespace {

/// The handler's call, then (callback pattern) the wait for its token.
boost::asio::awaitable<json::value> call_and_wait(tasks::registry::entry const& handler, tasks::invocation const& inv,
                                                 std::shared_ptr<tasks::token_wait> wait) {
  json::value r;
  if (handler.async) r = co_await handler.async(inv);
  else if (handler.sync) r = handler.sync(inv.input);
  else r = handler.consuming(inv.input);
  if (!wait) co_return r;
  co_await tasks::wait_for(wait);
  if (wait->failure) throw *wait->failure;
  co_return std::move(*wait->output);
}

/// Ends (setting `*reason` to 1 for the timeout, 2 for a missed heartbeat)
/// when the Task's time is up.
boost::asio::awaitable<void> watchdog(sim::scheduler& sched, std::optional<sim::instant> timeout_at,
                                      std::shared_ptr<sim::instant> last_beat, std::optional<sim::duration> heartbeat,
                                      std::shared_ptr<int> reason) {
  for (;;) {
    auto due = timeout_at.value_or(sim::instant::max());
    if (heartbeat) due = std::min(due, *last_beat + *heartbeat);
    co_await sched.async_sleep_until(due, boost::asio::deferred);
    auto now = sched.now();
    if (timeout_at && now >= *timeout_at) {
      *reason = 1;
      co_return;
    }
    if (heartbeat && now >= *last_beat + *heartbeat) {
      *reason = 2;
      co_return;
    }
  }
}

}  // namespace

boost::asio::awaitable<json::value> run_task_attempt(execution::state& ex, asl::state const& s,
                                                    tasks::registry::entry const* handler, json::value const& input,
                                                    states_binding const* binding, json::value* movable) {
  if (attempt_runs_now(handler, s)) co_return run_task_attempt_now(ex, s, handler, input);
  attempt_events events(ex, s);
  events.scheduled(input);
  std::optional<asl::states_error> failure;
  json::value result;
  std::string token;
  try {
    if (!handler) throw no_handler(s);
    std::shared_ptr<tasks::token_wait> wait;
    if (s.waits_for_token) {
      token = std::string(ex.context.at("Task").at("Token").as_string());
      wait = ex.core.tokens.lookup(token);
    }
    auto& sched = ex.eng.scheduler();
    auto const* jf = s.jsonata.get();
    auto timeout = positive_seconds(ex, s.timeout_seconds, s.timeout_seconds_path, "TimeoutSecondsPath", input,
                                    binding, jf ? &jf->timeout_seconds : nullptr);
    auto heartbeat = positive_seconds(ex, s.heartbeat_seconds, s.heartbeat_seconds_path, "HeartbeatSecondsPath",
                                      input, binding, jf ? &jf->heartbeat_seconds : nullptr);
    bool wants_context = handler->reads_context || s.waits_for_token;
    tasks::invocation inv{s.resource, s.name, input, wants_context ? ex.ensure_context() : ex.context,
                          sched, ex.result.name};
    inv.task_token = token;
    inv.movable_input = movable;
    std::shared_ptr<sim::instant> last_beat;
    if (heartbeat) {
      last_beat = std::make_shared<sim::instant>(sched.now());
      inv.heartbeat = [last_beat, &sched] { *last_beat = sched.now(); };
      if (wait) wait->heartbeat = inv.heartbeat;
    }
    if (timeout || heartbeat) {
      auto reason = std::make_shared<int>(0);
      std::optional<sim::instant> timeout_at;
      if (timeout) timeout_at = sched.now() + *timeout;
      auto r = co_await before_deadline(call_and_wait(*handler, inv, wait),
                                        watchdog(sched, timeout_at, last_beat, heartbeat, reason));
      if (!r) failure.emplace(*reason == 1 ? "States.Timeout" : "States.HeartbeatTimeout", "");
      else result = std::move(*r);
    } else if (handler->async && !wait) {
      json::value r = co_await handler->async(inv);  // without call_and_wait's frame
      result.swap(r);
    } else {
      json::value r = co_await call_and_wait(*handler, inv, wait);
      result.swap(r);
    }
  } catch (asl::states_error const& e) {
    failure.emplace(e);
  } catch (boost::system::system_error const& e) {
    // Cancelled (a failing sibling branch or iteration, a deadline): not a task failure.
    if (!token.empty()) ex.core.tokens.forget(token);
    if (e.code() == boost::asio::error::operation_aborted) throw;
    failure.emplace("States.TaskFailed", e.what());
  } catch (std::exception const& e) {
    failure.emplace("States.TaskFailed", e.what());
  }
  if (!token.empty()) ex.core.tokens.forget(token);
  co_return events.ended(failure, std::move(result));
}

}  // namespace stepsim::engine
