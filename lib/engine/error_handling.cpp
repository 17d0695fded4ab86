#include "engine/error_handling.hpp"

#include "engine/task_runner.hpp"

#include "engine/branches.hpp"

#include <stepsim/asl/json_text.hpp>

#include <boost/asio/deferred.hpp>
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

/// The work of the state proper, given its effective input, when it must be
/// awaited. Not a coroutine itself (a frame per state would only add an
/// allocation): it returns the callee's awaitable, whose parameters are
/// values or outlive the caller's co_await.
boost::asio::awaitable<json::value> run_work(execution::state& ex, asl::state const& s,
                                            tasks::registry::entry const* handler, json::value const& effective,
                                            std::int64_t entered_id, work_scope const& scope, json::value* movable) {
  switch (s.type) {
    case asl::state_type::task: return run_task_attempt(ex, s, handler, effective, scope.binding, movable);
    case asl::state_type::parallel: return run_parallel(ex, s, effective, entered_id, scope);
    case asl::state_type::map: return run_map(ex, s, effective, entered_id, scope);
    default: break;
  }
  throw std::logic_error("run_work called for a state without work");
}

/// Seconds to wait before retry number `attempt` (1-based) of retrier `r`.
/// Without MaxDelaySeconds the backoff grows until it saturates (at
/// sim::max_seconds, far past the execution's one-year limit) instead of
/// overflowing.
sim::duration retry_delay(asl::retrier const& r, std::int64_t attempt, sim::random_stream& random) {
  double secs = std::min(r.interval_seconds * std::pow(r.backoff_rate, double(attempt - 1)), sim::max_seconds);
  if (r.max_delay_seconds) secs = std::min(secs, double(*r.max_delay_seconds));
  if (r.jitter_full) secs = random.uniform(0.0, secs);
  return sim::saturating_seconds(secs);
}

/// A JSONata Task whose Arguments no retry evaluates again and whose other
/// fields (Output, Assign, TimeoutSeconds, HeartbeatSeconds, its catchers')
/// do not read `$states.input`: Arguments may take the input instead of copying it.
bool task_arguments_read_input_last(asl::state const& s) {
  if (!s.retry.empty()) return false;
  unsigned reads = 0;
  auto const& j = *s.jsonata;
  for (auto const* t : {&j.output, &j.timeout_seconds, &j.heartbeat_seconds})
    if (*t) reads |= (*t)->reads();
  if (s.assign) reads |= s.assign->reads();
  for (auto const& c : s.catch_) {
    if (c.output) reads |= c.output->reads();
    if (c.assign) reads |= c.assign->reads();
  }
  return !(reads & unsigned(asl::states_field::input));
}

/// A JSONata state whose work succeeded: `result` bound as `$states.result`
/// for Assign and Output; without Output, the result is the state's output.
handled_outcome jsonata_outcome(asl::state const& s, states_binding& b, json::value result) {
  if (s.jsonata->output) {
    b.set_result(std::move(result));
    json::object assigned = s.assign ? b.evaluate(*s.assign) : json::object();
    return {b.evaluate_last(*s.jsonata->output), false, asl::no_state, std::move(assigned)};
  }
  handled_outcome outcome;
  if (s.assign) {
    if (s.assign->reads() & unsigned(asl::states_field::result)) b.set_result(result);
    outcome.assigned = b.evaluate(*s.assign);
  }
  outcome.output = std::move(result);
  return outcome;
}

}  // namespace

handled_outcome run_jsonata_task_now(execution::state& ex, asl::state const& s, tasks::registry::entry const* handler,
                                     json::value input, json::object const* vars) {
  states_binding b(ex, s, vars, std::move(input));
  auto const& arguments = s.jsonata->arguments;
  auto call = [&] {
    if (!arguments) return run_task_attempt_now(ex, s, handler, b.input(), nullptr, &b);
    json::value effective =
        task_arguments_read_input_last(s) ? b.evaluate_last(*arguments) : b.evaluate(*arguments);
    return run_task_attempt_now(ex, s, handler, effective, &effective, &b);
  };
  json::value result = call();
  data_flow::check_result_size(s, result);
  return jsonata_outcome(s, b, std::move(result));
}

handled_state::handled_state(execution::state& ex, asl::state const& s, json::value raw, std::int64_t entered_id,
                             sim::instant entered_at, json::object const* vars)
    : ex_(&ex),
      s_(&s),
      raw_(std::move(raw)),
      entered_id_(entered_id),
      entered_at_(entered_at),
      vars_(vars),
      keep_(!s.result_path.is_identity() || !s.catch_.empty()),
      // Map's Parameters is its ItemSelector, applied per item, not here.
      // A JSONata state's work gets its Arguments, or its input as it is.
      templated_(s.jsonata ? s.jsonata->arguments.has_value() : s.parameters && s.type != asl::state_type::map),
      attempts_(s.retry.size()) {
  if (s.type == asl::state_type::task) {
    arguments_take_input_ = s.jsonata && templated_ && task_arguments_read_input_last(s);
    handler_ = ex.core.find_task(ex.eng.tasks(), s.resource);
    work_sync_ = attempt_runs_now(handler_, s);
  } else if (s.type == asl::state_type::parallel) {
    work_sync_ = parallel_runs_now(ex, s);
  }
}

void handled_state::keep_branches(std::shared_ptr<branch_set> branches,
                                  branch_set* plan) noexcept {
  branches_ = std::move(branches);
  plan_ = plan;
  if (plan_) work_sync_ = false;  // some branches are skipped: the coroutine path knows how
}

void handled_state::delay_done() noexcept {
  waiting_ = waiting::nothing;
  phase_ = phase::attempt;
}

void handled_state::work_done(json::value result) {
  waiting_ = waiting::nothing;
  result_.swap(result);  // cheaper than json::value's move assignment, which moves into a temporary and swaps
  failure_ = nullptr;
  phase_ = phase::attempted;
}

void handled_state::work_failed(std::exception_ptr failure) {
  waiting_ = waiting::nothing;
  failure_ = std::move(failure);
  phase_ = phase::attempted;
}

std::optional<handled_outcome> handled_state::advance() {
  auto& ex = *ex_;
  auto const& s = *s_;
  if (waiting_ != waiting::nothing) return std::nullopt;
  for (;;) {
    switch (phase_) {
      case phase::select:
        try {
          if (s.jsonata) {
            binding_.emplace(ex, s, vars_, std::move(raw_));
            phase_ = phase::attempt;
            break;
          }
          if (s.input_path.is_identity() && !keep_) {
            selected_.swap(raw_);  // what select would move out, without a move and a destruction
          } else {
            auto selected = data_flow::select(s.input_path, raw_, keep_, ex.context, vars_);
            selected_.swap(selected);
          }
          phase_ = phase::attempt;
        } catch (asl::states_error const&) {
          failure_ = std::current_exception(), phase_ = phase::failed;
        }
        break;
      case phase::attempt: {
        // `$$.State` as this attempt sees it; Parameters may read its RetryCount.
        bool async_task = handler_ && handler_->async && handler_->reads_context;  // given `$$`
        if (s.uses_context || async_task) ex.enter_state_context(s.name, entered_at_, retries_);
        if (s.waits_for_token) {
          // A new token per attempt, in `$$.Task.Token` before Parameters read it.
          auto issued = ex.core.tokens.issue(ex.eng.scheduler().get_executor(), ex.result.name, s.name);
          ex.ensure_context().as_object()["Task"] = json::object{{"Token", issued.first}};
        }
        try {
          if (binding_) {
            binding_->refresh_context();
            if (templated_)
              effective_ = arguments_take_input_ ? binding_->evaluate_last(*s.jsonata->arguments)
                                                 : binding_->evaluate(*s.jsonata->arguments);
          } else {
            effective_ = templated_ ? s.parameters->evaluate({selected_, ex.context, &ex.random(), vars_})
                                    : json::value();
          }
        } catch (asl::states_error const&) {
          failure_ = std::current_exception(), phase_ = phase::failed;
          break;
        }
        if (!work_sync_) {
          waiting_ = waiting::work;
          return std::nullopt;
        }
        failure_ = nullptr;
        try {
          // The effective input is made anew for each attempt; the selected one
          // is needed again only by a retry.
          result_ = s.type == asl::state_type::task
                        ? run_task_attempt_now(ex, s, handler_, work_input(), movable_work_input(), scope().binding)
                        : run_parallel_now(ex, s, work_input(), vars_, branches_.get());
        } catch (asl::states_error const&) {
          failure_ = std::current_exception();
        } catch (state_failure const&) {
          failure_ = std::current_exception();
        }
        phase_ = phase::attempted;
        break;
      }
      case phase::attempted: {
        if (!failure_) {
          try {
            data_flow::check_result_size(s, result_);
            phase_ = phase::finish;
            break;
          } catch (asl::states_error const&) {
            failure_ = std::current_exception();
          }
        }
        // The first retrier whose ErrorEquals matches decides; each has its own count.
        auto error = failure_of(failure_).first;
        std::size_t i = 0;
        while (i < s.retry.size() && !(error && error_matches(s.retry[i].error_equals, *error))) ++i;
        if (i == s.retry.size() || attempts_[i] >= s.retry[i].max_attempts) {
          phase_ = phase::failed;
          break;
        }
        ++attempts_[i];
        ++retries_;
        delay_ = retry_delay(s.retry[i], attempts_[i], ex.random());
        waiting_ = waiting::delay;
        return std::nullopt;
      }
      case phase::finish:
        try {
          if (binding_) return finish_jsonata();
          handled_outcome outcome;
          if (!s.result_selector && !s.assign && s.result_path.is_identity() && s.output_path.is_identity()) {
            outcome.output.swap(result_);  // the result is the output: what combine and select would pass on
            return outcome;
          }
          if (s.result_selector) result_ = s.result_selector->evaluate({result_, ex.context, &ex.random(), vars_});
          if (s.assign) outcome.assigned = assign_jsonpath(ex, *s.assign, result_, vars_);
          json::value out =
              data_flow::combine(s.result_path, keep_ ? std::move(raw_) : json::value(), std::move(result_));
          outcome.output = data_flow::select(s.output_path, out, false, ex.context, vars_);
          return outcome;
        } catch (asl::states_error const&) {
          failure_ = std::current_exception(), phase_ = phase::failed;
        }
        break;
      case phase::failed: return take_failure();
    }
  }
}

std::optional<handled_outcome> handled_state::take_failure() {
  auto [error, cause] = failure_of(failure_);
  for (auto const& c : s_->catch_) {
    if (!error || !error_matches(c.error_equals, *error)) continue;
    json::value error_output = json::object{{"Error", *error}, {"Cause", cause ? json::value(*cause) : json::value()}};
    if (binding_) return catch_jsonata(c, std::move(error_output));
    handled_outcome outcome;
    if (c.assign) outcome.assigned = assign_jsonpath(*ex_, *c.assign, error_output, vars_);
    outcome.output = data_flow::combine(c.result_path, std::move(raw_), std::move(error_output));
    outcome.caught = true;
    outcome.next = c.next;
    return outcome;
  }
  std::rethrow_exception(failure_);
}

handled_outcome handled_state::finish_jsonata() { return jsonata_outcome(*s_, *binding_, std::move(result_)); }

handled_outcome handled_state::catch_jsonata(asl::catcher const& c, json::value error_output) {
  handled_outcome outcome;
  binding_->set_result(std::nullopt);
  binding_->set_error_output(error_output);
  binding_->refresh_context();
  if (c.assign) outcome.assigned = binding_->evaluate(*c.assign);
  outcome.output = c.output ? binding_->evaluate_last(*c.output) : std::move(error_output);
  outcome.caught = true;
  outcome.next = c.next;
  return outcome;
}

void store_assigned(json::object& assigned, std::shared_ptr<json::object>& vars, json::object* details) {
  if (assigned.empty()) return;
  if (details) {
    json::object texts;
    for (auto const& kv : assigned) texts[kv.key()] = asl::to_text(kv.value());
    (*details)["assignedVariables"] = std::move(texts);
    (*details)["assignedVariablesDetails"] = json::object{{"truncated", false}};
  }
  if (!vars) vars = std::make_shared<json::object>();
  for (auto& kv : assigned) (*vars)[kv.key()] = std::move(kv.value());
  assigned.clear();
}

boost::asio::awaitable<handled_outcome> run_with_handlers(std::unique_ptr<handled_state> h) {
  auto& ex = h->run();
  for (;;) {
    if (h->awaits() == handled_state::waiting::nothing) {
      if (auto outcome = h->advance()) co_return std::move(*outcome);
      continue;
    }
    if (h->awaits() == handled_state::waiting::delay) {
      co_await ex.eng.scheduler().async_sleep(h->delay(), boost::asio::deferred);
      h->delay_done();
      continue;
    }
    std::exception_ptr failed;
    try {
      auto scope = h->scope();
      h->plan_used();
      json::value result = co_await run_work(ex, h->state(), h->handler(), h->work_input(), h->entered_id(), scope,
                                            h->movable_work_input());
      h->work_done(std::move(result));
    } catch (asl::states_error const&) {
      failed = std::current_exception();
    } catch (state_failure const&) {
      failed = std::current_exception();
    }
    if (failed) h->work_failed(std::move(failed));
  }
}

}  // namespace stepsim::engine
