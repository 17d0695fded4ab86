#include "engine/error_handling.hpp"

#include "engine/data_flow.hpp"
#include "engine/task_runner.hpp"

#include "engine/branches.hpp"

#include <fmt/format.h>

#include <cmath>

namespace stepsim::engine {

bool error_matches(std::vector<std::string> const& error_equals, std::string const& error) noexcept {
  if (error == "States.Runtime") return false;  // never retried or caught, as on AWS
  for (auto const& e : error_equals) {
    if (e == error || e == "States.ALL") return true;
    if (e == "States.TaskFailed" && error != "States.Timeout") return true;
  }
  return false;
}

std::pair<std::optional<std::string>, std::optional<std::string>> failure_of(std::exception_ptr e) {
  try {
    std::rethrow_exception(e);
  } catch (asl::states_error const& s) {
    return {s.error(), s.cause()};
  } catch (state_failure const& f) {
    return {f.error, f.cause};
  } catch (...) {
  }
  return {std::nullopt, std::nullopt};
}

namespace {

/// The work of the state proper, given its effective input.
boost::asio::awaitable<json::value> run_work(execution::state& ex, asl::state const& s, json::value const& effective,
                                            std::int64_t entered_id) {
  switch (s.type) {
    case asl::state_type::task: co_return co_await run_task_attempt(ex, s, effective);
    case asl::state_type::parallel: co_return co_await run_parallel(ex, s, effective, entered_id);
    case asl::state_type::map: co_return co_await run_map(ex, s, effective, entered_id);
    default: break;
  }
  throw std::logic_error("run_work called for a state without work");
}

/// Seconds to wait before retry number `attempt` (1-based) of retrier `r`.
sim::duration retry_delay(asl::retrier const& r, std::int64_t attempt, sim::random_stream& random) {
  double secs = r.interval_seconds * std::pow(r.backoff_rate, double(attempt - 1));
  if (r.max_delay_seconds) secs = std::min(secs, double(*r.max_delay_seconds));
  if (r.jitter_full) secs = random.uniform(0.0, secs);
  return sim::duration(static_cast<std::int64_t>(std::llround(secs * 1e6)));
}

}  // namespace

boost::asio::awaitable<handled_outcome> run_with_handlers(execution::state& ex, asl::state const& s, json::value raw,
                                                          std::int64_t entered_id, sim::instant entered_at) {
  bool keep = !s.result_path.is_identity() || !s.catch_.empty();
  std::exception_ptr failure;
  handled_outcome outcome;
  try {
    json::value selected = data_flow::select(s.input_path, raw, keep, ex.context);
    // Map's Parameters is its ItemSelector, applied per item, not here.
    bool templated = s.parameters && s.type != asl::state_type::map;
    std::vector<std::int64_t> attempts(s.retry.size());
    std::int64_t retries = 0;
    json::value result;
    auto const* handler = s.type == asl::state_type::task ? ex.eng.tasks().find(s.resource) : nullptr;
    bool async_task = handler && handler->async;  // an awaitable handler is given `$$`
    for (;;) {
      // `$$.State` as this attempt sees it; Parameters may read its RetryCount.
      if (s.uses_context || async_task) ex.enter_state_context(s.name, entered_at, retries);
      json::value effective = templated ? s.parameters->evaluate({selected, ex.context, &ex.random}) : json::value();
      std::exception_ptr attempt_failure;
      try {
        result = co_await run_work(ex, s, templated ? effective : selected, entered_id);
      } catch (asl::states_error const&) {
        attempt_failure = std::current_exception();
      } catch (state_failure const&) {
        attempt_failure = std::current_exception();
      }
      if (!attempt_failure) {
        try {
          data_flow::check_result_size(s, result);
          break;
        } catch (asl::states_error const&) {
          attempt_failure = std::current_exception();
        }
      }
      // The first retrier whose ErrorEquals matches decides; each has its own count.
      auto error = failure_of(attempt_failure).first;
      std::size_t i = 0;
      while (i < s.retry.size() && !(error && error_matches(s.retry[i].error_equals, *error))) ++i;
      if (i == s.retry.size() || attempts[i] >= s.retry[i].max_attempts) std::rethrow_exception(attempt_failure);
      ++attempts[i];
      ++retries;
      co_await ex.eng.scheduler().sleep(retry_delay(s.retry[i], attempts[i], ex.random));
    }
    if (s.result_selector) result = s.result_selector->evaluate({result, ex.context, &ex.random});
    json::value out = data_flow::combine(s.result_path, keep ? std::move(raw) : json::value(), std::move(result));
    outcome.output = data_flow::select(s.output_path, out, false, ex.context);
    co_return outcome;
  } catch (asl::states_error const&) {
    failure = std::current_exception();
  } catch (state_failure const&) {
    failure = std::current_exception();
  }
  auto [error, cause] = failure_of(failure);
  for (auto const& c : s.catch_) {
    if (!error || !error_matches(c.error_equals, *error)) continue;
    json::value error_output = json::object{{"Error", *error}, {"Cause", cause ? json::value(*cause) : json::value()}};
    outcome.output = data_flow::combine(c.result_path, std::move(raw), std::move(error_output));
    outcome.caught = true;
    outcome.next = c.next;
    co_return outcome;
  }
  std::rethrow_exception(failure);
}

}  // namespace stepsim::engine
