#include "engine/task_runner.hpp"

#include "engine/deadline.hpp"

#include <stepsim/asl/json_text.hpp>

#include <fmt/format.h>

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

boost::asio::awaitable<json::value> run_task_attempt(execution::state& ex, asl::state const& s,
                                                    json::value const& input) {
  bool lambda = is_lambda_function_arn(s.resource);
  bool recording = ex.options.history != history_level::off;
  auto [rtype, rname] = recording ? resource_labels(s.resource) : std::pair<std::string, std::string>{};
  auto base = [&] {
    json::object d;
    if (!lambda) {
      d["resourceType"] = rtype;
      d["resource"] = rname;
    }
    return d;
  };
  if (recording) {
    json::object d = base();
    if (lambda) d["resource"] = s.resource;
    if (!lambda) d["region"] = ex.eng.options().region;
    if (ex.full_history()) {
      if (lambda) {
        d["input"] = asl::to_text(input);
        d["inputDetails"] = json::object{{"truncated", false}};
      } else {
        d["parameters"] = asl::to_text(input);
      }
    }
    ex.emit(lambda ? "LambdaFunctionScheduled" : "TaskScheduled",
            lambda ? "lambdaFunctionScheduledEventDetails" : "taskScheduledEventDetails", std::move(d));
    if (lambda) ex.emit("LambdaFunctionStarted");
    else ex.emit("TaskStarted", "taskStartedEventDetails", base());
  }

  std::optional<asl::states_error> failure;
  json::value result;
  auto const* entry = ex.eng.tasks().find(s.resource);
  if (!entry) {
    failure.emplace("States.TaskFailed",
                    fmt::format("No handler is registered for the resource '{}'. Register one with "
                                "stepsim::tasks::registry::add (C++), or use --echo-tasks with `stepsim run`.",
                                s.resource));
  } else {
    try {
      if (entry->sync) {
        result = entry->sync(input);
      } else if (auto timeout = task_timeout(ex, s, input)) {
        tasks::invocation inv{s.resource, s.name, input, ex.ensure_context(), ex.eng.scheduler()};
        auto r = co_await before_deadline(entry->async(inv), ex.eng.scheduler().sleep(*timeout));
        if (!r) failure.emplace("States.Timeout", "");
        else result = std::move(*r);
      } else {
        tasks::invocation inv{s.resource, s.name, input, ex.ensure_context(), ex.eng.scheduler()};
        result = co_await entry->async(inv);
      }
    } catch (asl::states_error const& e) {
      failure.emplace(e);
    } catch (std::exception const& e) {
      failure.emplace("States.TaskFailed", e.what());
    }
  }

  if (failure) {
    if (recording) {
      json::object d = base();
      d["error"] = failure->error();
      d["cause"] = failure->cause();
      ex.emit(lambda ? "LambdaFunctionFailed" : "TaskFailed",
              lambda ? "lambdaFunctionFailedEventDetails" : "taskFailedEventDetails", std::move(d));
    }
    throw *failure;
  }
  if (recording) {
    json::object d = base();
    if (ex.full_history()) {
      d["output"] = asl::to_text(result);
      d["outputDetails"] = json::object{{"truncated", false}};
    }
    ex.emit(lambda ? "LambdaFunctionSucceeded" : "TaskSucceeded",
            lambda ? "lambdaFunctionSucceededEventDetails" : "taskSucceededEventDetails", std::move(d));
  }
  co_return result;
}

}  // namespace stepsim::engine
