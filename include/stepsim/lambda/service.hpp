// stepsim::lambda::service: the simulated Lambda service (functions, container pools, limits, billing).
#pragma once

#include <stepsim/lambda/function.hpp>
#include <stepsim/lambda/keep_alive.hpp>
#include <stepsim/lambda/pricing.hpp>
#include <stepsim/lambda/record.hpp>
#include <stepsim/sim/rng.hpp>
#include <stepsim/sim/scheduler.hpp>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/json/value.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace stepsim::lambda {

/// Account-wide settings.
struct service_config {
  /// Concurrent executions across the account (AWS default quota).
  int account_concurrency = 1000;
  /// Scaling rate: each function may create at most `scaling_burst` new
  /// execution environments per `scaling_period` (AWS: 1,000 per 10 s per
  /// function), refilled continuously. Over it, invokes are throttled.
  int scaling_burst = 1000;
  sim::duration scaling_period = std::chrono::seconds(10);
  /// Environments are reaped when idle past their keep-alive, and at the
  /// first idle moment after this lifetime. AWS does not publish a value;
  /// 4 hours is an assumption (configurable; nullopt = unlimited).
  std::optional<sim::duration> max_lifetime = std::chrono::hours(4);
  prices pricing;
};

/// The outcome of one invoke.
struct invocation_result {
  outcome result = outcome::success;
  boost::json::value payload;  ///< the handler's result (success)
  std::string error;           ///< Step Functions error name (Lambda.TooManyRequestsException, the errorType, ...)
  std::string cause;           ///< Step Functions cause
  invocation_record record;
};

/// The simulated Lambda service, on one scheduler, with its random streams
/// derived from `rng` (one per function and purpose: "lambda/NAME/init", ...).
///
/// Pool rules: every environment (container) serves one request at a time. A
/// request takes a provisioned idle environment if there is one, else the most
/// recently used idle on-demand one (warm start), else starts a new one (cold
/// start: init, then run) when the concurrency limits and the scaling rate
/// allow, else it is throttled. Idle environments are reaped after the
/// keep-alive the policy gives them, or at the first idle moment past
/// `max_lifetime`; a timed-out or crashed run destroys its environment.
/// Provisioned environments are created initialized when the function is
/// added and never pay init; requests beyond them spill over to on-demand ones.
///
/// Invocations in flight are timers on the scheduler that point into the
/// service: run the scheduler only while the service is alive (destroying
/// the service before the scheduler, with nothing run in between, is fine).
class service {
 public:
  service(sim::scheduler& sched, sim::rng const& rng, service_config config = {});
  ~service();
  service(service const&) = delete;
  service& operator=(service const&) = delete;

  /// Adds a function (validated; throws std::invalid_argument with the field at fault).
  void add(function_config f);
  /// The function named by a name, `NAME:QUALIFIER`, or a (partial) ARN; nullptr if none.
  function_config const* find(std::string_view function) const;

  /// Replaces the keep-alive policy (default: fixed_keep_alive, 10 minutes).
  void set_keep_alive(std::shared_ptr<keep_alive_policy> policy);
  /// Where records go (not owned; nullptr = nowhere).
  void set_sink(record_sink* sink);

  /// Invokes `function` (name or ARN) with `payload`, taking simulated time.
  /// Completion signature `void(boost::system::error_code, invocation_result)`;
  /// every outcome, throttling and function errors included, completes with
  /// an empty error code and says what happened in the result.
  ///
  /// The handler is never called inside this function. An invoke that fails
  /// at once (unknown function, injected fault, throttled) completes on the
  /// next turn; one that runs completes at its end instant, where a handler
  /// whose associated executor is this scheduler's (a plain callback's
  /// default, a coroutine's on this scheduler) is called at once from the
  /// scheduler's callback, and any other is posted to its executor. The
  /// invocation's state is pooled by the service and driven by scheduler
  /// callbacks (no coroutine); the one allocation per call is Asio's
  /// type-erased handler.
  ///
  /// A keep-alive policy or record sink that throws: the exception leaves
  /// through the scheduler's `run()`, and the caller still gets a result
  /// (the invocation's, or `Lambda.ServiceException` when the request had not
  /// started). A function handler that throws something other than
  /// `function_error` is a crash (`Lambda.Unknown`), whatever it throws.
  ///
  /// Cancellation (terminal, partial or total, through the handler's slot):
  /// the caller stops waiting and the handler completes at once with
  /// `asio::error::operation_aborted` and an empty result. The invocation
  /// itself runs on, as in AWS when Step Functions gives up on a Task: it
  /// keeps its environment busy until it ends, and is billed and recorded.
  ///
  /// `function` must stay valid until the operation is initiated (at once
  /// for callbacks; when awaited for lazy tokens such as `use_awaitable`).
  template <typename CompletionToken>
  auto async_invoke(std::string_view function, boost::json::value payload, CompletionToken&& token) {
    return boost::asio::async_initiate<CompletionToken, void(boost::system::error_code, invocation_result)>(
        [this](auto handler, std::string_view fn, boost::json::value p) {
          const bool here = runs_here(handler);
          start_invoke(fn, std::move(p), std::move(handler), {}, here);
        },
        token, function, std::move(payload));
  }

  /// As `async_invoke`, with `caller` (who asks, in the caller's own terms:
  /// a study gives the execution's name) copied into the invocation's
  /// record, the result written to `out`, and `token` completed with the
  /// error code alone (`void(error_code)`): the result is moved once, to
  /// where the caller keeps it, instead of through the completion handler.
  /// `out` must stay alive until the handler is called; it is written only
  /// when the invocation ends (not when the caller stops waiting). From a
  /// coroutine: `co_await svc.async_invoke_into("F", payload, caller, res,
  /// asio::deferred)`.
  template <typename CompletionToken>
  auto async_invoke_into(std::string_view function, boost::json::value payload, std::string caller,
                         invocation_result& out, CompletionToken&& token) {
    return boost::asio::async_initiate<CompletionToken, void(boost::system::error_code)>(
        [this, &out](auto handler, std::string_view fn, boost::json::value p, std::string who) {
          const bool here = runs_here(handler);
          start_invoke_into(fn, std::move(p), std::move(handler), std::move(who), out, here);
        },
        token, function, std::move(payload), std::move(caller));
  }

  /// Coroutine form of `async_invoke`: `co_await svc.invoke("F", payload)`.
  /// Keeps its own copy of `function`. Throws `system_error`
  /// (operation_aborted) when cancelled.
  boost::asio::awaitable<invocation_result> invoke(std::string_view function, boost::json::value payload);
  /// As above; `caller` (who asks, in the caller's own terms: a study gives
  /// the execution's name) is copied into the invocation's record.
  boost::asio::awaitable<invocation_result> invoke(std::string_view function, boost::json::value payload,
                                                   std::string caller);

  /// Starts `count` new environments of `function` now, outside any request
  /// (a pre-warm policy's action): they pay init, then wait idle. Respects the
  /// concurrency limits; returns how many were started.
  int prewarm(std::string_view function, int count = 1);

  /// Predicts one upcoming request of `function` (a pre-warm policy's hint):
  /// when the idle and warming environments do not cover the requests
  /// predicted and not yet arrived, starts one more (outside any request).
  /// Each request that arrives uses up one prediction. Returns true when an
  /// environment was started.
  bool expect_request(std::string_view function);

  /// A periodic warmer, as people build with a scheduled rule: every
  /// `period`, from now until `until` (offset from now), sends `concurrency`
  /// simultaneous ping requests to `function`. Pings are ordinary invocations
  /// (billed, recorded, throttled like any other), with a `{"warmer": true}`
  /// payload. Throws std::invalid_argument for an unknown function, a
  /// non-positive period or concurrency.
  void start_warmer(std::string_view function, sim::duration period, int concurrency, sim::duration until);

  /// Environments alive (busy, initializing or idle) for `function` right now.
  int containers(std::string_view function) const;
  /// Requests in flight for `function` (0 if unknown) and in the whole account.
  int in_flight(std::string_view function) const;
  int account_in_flight() const noexcept;

  /// Ends the run at the current instant: reports every container still
  /// alive (or reaped lazily since), and returns the provisioned-concurrency
  /// cost accrued since each function was added.
  double finish();

  service_config const& config() const noexcept;

 private:
  using invoke_handler = boost::asio::any_completion_handler<void(boost::system::error_code, invocation_result)>;
  // `here`: the handler runs on the scheduler's context (sim::scheduler::runs_here), asked before it was erased.
  void start_invoke(std::string_view function, boost::json::value payload, invoke_handler handler,
                    std::string caller, bool here);
  using done_handler = boost::asio::any_completion_handler<void(boost::system::error_code)>;
  void start_invoke_into(std::string_view function, boost::json::value payload, done_handler handler,
                         std::string caller, invocation_result& out, bool here);
  template <typename Handler>
  bool runs_here(Handler const& h) noexcept {
    return scheduler_->runs_here(h);
  }
  sim::scheduler* scheduler_;

  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace stepsim::lambda
