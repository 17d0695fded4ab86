#include "engine/task_runner.hpp"

#include "engine/deadline.hpp"

#include <stepsim/asl/json_text.hpp>

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

/// TimeoutSeconds or TimeoutSecondsPath, if the Task has either.
std::optional<sim::duration> task_timeout(execution::state& ex, asl::state const& s, json::value const& input) {
  if (s.timeout_seconds) return std::chrono::seconds(*s.timeout_seconds);
  if (!s.timeout_seconds_path) return std::nullopt;
  auto const& p = *s.timeout_seconds_path;
  auto const* v = p.find(p.is_context() ? ex.ensure_context() : input);
  if (v) {
    if (auto const* i = v->if_int64(); i && *i > 0) return std::chrono::seconds(*i);
  }
  throw asl::states_error("States.Runtime",
                          fmt::format("The TimeoutSecondsPath field refers to value \"{}\" which is not a valid "
                                      "positive integer: {}",
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
    if (!recording_) return;  // (events not numbered either when history is off)
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
                                 json::value const& input, json::value* movable) {
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

boost::asio::awaitable<json::value> run_task_attempt(execution::state& ex, asl::state const& s,
                                                    tasks::registry::entry const* handler, json::value const& input) {
  if (!handler || !handler->async) co_return run_task_attempt_now(ex, s, handler, input);
  attempt_events events(ex, s);
  events.scheduled(input);
  std::optional<asl::states_error> failure;
  json::value result;
  try {
    if (auto timeout = task_timeout(ex, s, input)) {
      tasks::invocation inv{s.resource, s.name, input, handler->reads_context ? ex.ensure_context() : ex.context,
                            ex.eng.scheduler(), ex.result.name};
      auto r = co_await before_deadline(handler->async(inv), ex.eng.scheduler().sleep(*timeout));
      if (!r) failure.emplace("States.Timeout", "");
      else result = std::move(*r);
    } else {
      tasks::invocation inv{s.resource, s.name, input, handler->reads_context ? ex.ensure_context() : ex.context,
                            ex.eng.scheduler(), ex.result.name};
      result = co_await handler->async(inv);
    }
  } catch (asl::states_error const& e) {
    failure.emplace(e);
  } catch (boost::system::system_error const& e) {
    // Cancelled (a failing sibling branch or iteration, a deadline): not a task failure.
    if (e.code() == boost::asio::error::operation_aborted) throw;
    failure.emplace("States.TaskFailed", e.what());
  } catch (std::exception const& e) {
    failure.emplace("States.TaskFailed", e.what());
  }
  co_return events.ended(failure, std::move(result));
}

}  // namespace stepsim::engine
