#include <stepsim/lambda/service.hpp>

#include "lambda/invocation.hpp"

#include <boost/asio/append.hpp>
#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <deque>
#include <map>
#include <vector>

namespace stepsim::lambda {

namespace json = boost::json;
namespace asio = boost::asio;

namespace {

/// `r = invocation_result{}`, keeping the strings' storage (a pooled call's
/// result is reset for each invocation). The size check fails when a field
/// is added to the structs: reset it here too, then update the sizes.
void reset(invocation_result& r) noexcept {
  static_assert(sizeof(invocation_record) == 176 && sizeof(invocation_result) == 272,
                "reset() must reset every field of invocation_result and invocation_record");
  r.result = outcome::success;
  r.payload.emplace_null();
  r.error.clear();
  r.cause.clear();
  auto& rec = r.record;
  rec.function.clear();
  rec.caller.clear();
  rec.container = 0;
  rec.requested = rec.started = rec.finished = sim::instant{};
  rec.cold = rec.provisioned = false;
  rec.init = rec.run = sim::duration{};
  rec.billed_ms = 0;
  rec.cost = 0;
  rec.result = outcome::success;
  rec.error.clear();
}

}  // namespace

/// The Asio glue: the completion handlers of `async_invoke` (pooled calls,
/// cancellation, delivery on the right executor) and the coroutines that
/// load environments outside requests.
struct service::impl final : invoker {
  /// An invocation and the handler waiting for it.
  struct pending final : call {
    std::uint64_t generation = 0;          // tells a stale cancellation from a live one
    std::optional<invoke_handler> waiter;  // emplaced and reset, never assigned (Boost 1.81)
    bool here = false;                     // the handler runs on the scheduler's context
    // Or (async_invoke_into) a handler told only the error code, and where the result goes.
    std::optional<done_handler> done;
    invocation_result* out = nullptr;
  };
  std::vector<std::unique_ptr<pending>> calls;  // every call object; `spare` lists the free ones
  std::vector<pending*> spare;

  impl(sim::scheduler& s, sim::rng const& r, service_config c) : invoker(s, r, std::move(c)) {}

  pending& acquire() {
    if (spare.empty()) {
      calls.push_back(std::make_unique<pending>());
      calls.back()->owner = this;
      spare.push_back(calls.back().get());
    }
    auto& c = *spare.back();
    spare.pop_back();
    ++c.generation;
    c.f = nullptr;
    reset(c.res);
    return c;
  }

  /// The caller stops waiting (its cancellation slot fired); the call runs on.
  struct stop_waiting {
    stop_waiting(impl* s, pending* c, std::uint64_t g) : self(s), target(c), generation(g) {}
    impl* self;
    pending* target;
    std::uint64_t generation;
    void operator()(asio::cancellation_type_t type) const {
      if (type == asio::cancellation_type::none || target->generation != generation) return;
      // Not clearing the slot: we are running inside the handler it holds.
      auto const aborted = boost::system::error_code(asio::error::operation_aborted);
      if (target->waiter) {
        invoke_handler h(std::move(*target->waiter));
        target->waiter.reset();
        asio::post(self->scheduler().context().get_executor(), asio::append(std::move(h), aborted, invocation_result{}));
      } else if (target->done) {
        done_handler h(std::move(*target->done));
        target->done.reset();
        target->out = nullptr;
        asio::post(self->scheduler().context().get_executor(), asio::append(std::move(h), aborted));
      }
    }
  };

  /// Delivers the result (if anyone still waits) and returns the call to the
  /// pool. `from_timer`: called back by the scheduler, not inside the
  /// initiating function, so a handler that runs here is called at once
  /// (the scheduler has one thread) instead of through a post.
  void completed(call& base, bool from_timer) override {
    auto& c = static_cast<pending&>(base);
    // The cancellation slot keeps its handler, as the scheduler's sleeps
    // leave theirs: a stale one checks the generation and does nothing.
    if (c.done) {
      done_handler d(std::move(*c.done));
      c.done.reset();
      *std::exchange(c.out, nullptr) = std::move(c.res);
      c.payload = nullptr;
      spare.push_back(&c);  // before the handler runs, as below
      deliver(std::move(d), from_timer && c.here);
      return;
    }
    std::optional<invoke_handler> h;
    if (c.waiter) {
      h.emplace(std::move(*c.waiter));
      c.waiter.reset();
    }
    // Back in the pool before the handler runs, so that a handler that throws
    // loses nothing; the result is moved into the handler's argument first,
    // so a handler that invokes again (and reuses `c`) cannot disturb it.
    c.payload = nullptr;
    spare.push_back(&c);
    if (!h) return;
    deliver(std::move(*h), from_timer && c.here, std::move(c.res));
  }

  /// Calls a caller's handler with success and `result...`: at once (`now`:
  /// from a timer callback, the handler on the scheduler's context), else
  /// through a post, which honours the handler's associated executor.
  template <typename Handler, typename... Result>
  void deliver(Handler h, bool now, Result&&... result) {
    if (now)
      std::move(h)(boost::system::error_code{}, std::forward<Result>(result)...);
    else
      asio::post(scheduler().context().get_executor(),
                 asio::append(std::move(h), boost::system::error_code{}, std::forward<Result>(result)...));
  }

  /// The request arrives. A keep-alive policy or a record sink that throws
  /// before the call reached the scheduler: the caller still gets an answer
  /// (the service failed), and the exception leaves through the scheduler's
  /// run(), never through an initiating function.
  void begin(pending& cl, std::string_view function) {
    try {
      arrive(cl, function);
    } catch (...) {
      set_failure(cl.res, outcome::service_error, "Lambda.ServiceException",
                  "Lambda.ServiceException: the simulation failed: " + what_of(std::current_exception()));
      completed(cl, false);
      asio::post(scheduler().context().get_executor(), [e = std::current_exception()] { std::rethrow_exception(e); });
    }
  }

  void prewarm_later(function_state& f, sim::duration after, sim::duration keep) override {
    asio::co_spawn(scheduler().get_executor(), prewarm_after(f, after, keep), asio::detached);
  }

  asio::awaitable<void> prewarm_after(function_state& f, sim::duration after, sim::duration keep) {
    co_await scheduler().sleep(after);
    co_await warm_one(f, keep);
  }

  /// Loads one environment outside any request; it then idles for `keep`
  /// (or as the keep-alive policy says).
  asio::awaitable<void> warm_one(function_state& f, std::optional<sim::duration> keep) {
    auto [c, init] = start_warming(f);
    co_await scheduler().sleep(init);
    warmed(f, c, keep);
  }
};

service::service(sim::scheduler& sched, sim::rng const& rng, service_config config)
    : scheduler_(&sched), impl_(std::make_unique<impl>(sched, rng, std::move(config))) {}
service::~service() = default;

service_config const& service::config() const noexcept { return impl_->config(); }
void service::set_keep_alive(std::shared_ptr<keep_alive_policy> p) { impl_->set_keep_alive(std::move(p)); }
void service::set_sink(record_sink* s) { impl_->set_sink(s); }

void service::add(function_config f) { impl_->add(std::move(f)); }

function_config const* service::find(std::string_view function) const {
  auto* f = impl_->lookup(function);
  return f ? &f->cfg : nullptr;
}

bool service::expect_request(std::string_view function) {
  auto& im = *impl_;
  auto* f = im.lookup(function);
  if (!f) return false;
  ++f->predicted;
  auto now = im.scheduler().now();
  f->pool.sweep(now);
  auto available = static_cast<int>(f->pool.idle()) + f->warming;
  if (available >= f->predicted || !im.limits().take_token(f->share, now)) return false;
  asio::co_spawn(im.scheduler().get_executor(), im.warm_one(*f, std::nullopt), asio::detached);
  return true;
}

namespace {

asio::awaitable<void> ping(service& svc, std::string function) {
  json::value payload = json::object{{"warmer", true}};
  co_await svc.invoke(function, std::move(payload));
}

asio::awaitable<void> warm_periodically(service& svc, sim::scheduler& sched, std::string function,
                                        sim::duration period, int concurrency, sim::instant end) {
  for (auto at = sched.now(); at < end; at += period) {
    co_await sched.sleep_until(at);
    for (int i = 0; i < concurrency; ++i) asio::co_spawn(sched.get_executor(), ping(svc, function), asio::detached);
  }
}

}  // namespace

void service::start_warmer(std::string_view function, sim::duration period, int concurrency, sim::duration until) {
  auto& im = *impl_;
  auto* f = im.lookup(function);
  if (!f) throw std::invalid_argument(fmt::format("a warmer for the unknown function '{}'", function));
  if (period <= sim::duration::zero() || concurrency < 1)
    throw std::invalid_argument("a warmer needs a positive period and a concurrency of at least 1");
  auto& sched = im.scheduler();
  asio::co_spawn(sched.get_executor(), warm_periodically(*this, sched, f->cfg.name, period, concurrency, sched.now() + until),
                 asio::detached);
}

int service::containers(std::string_view function) const {
  auto* f = impl_->lookup(function);
  if (!f) return 0;
  f->pool.sweep_all(impl_->scheduler().now());
  return f->pool.alive();
}

int service::in_flight(std::string_view function) const {
  auto* f = impl_->lookup(function);
  return f ? f->share.in_flight : 0;
}

int service::account_in_flight() const noexcept { return impl_->limits().account_in_flight(); }

int service::prewarm(std::string_view function, int count) {
  auto& im = *impl_;
  auto* f = im.lookup(function);
  if (!f) return 0;
  int started = 0;
  for (; started < count && im.limits().take_token(f->share, im.scheduler().now()); ++started)
    asio::co_spawn(im.scheduler().get_executor(), im.warm_one(*f, std::nullopt), asio::detached);
  return started;
}

asio::awaitable<invocation_result> service::invoke(std::string_view function, json::value payload) {
  // The name is copied into the awaitable: it is initiated only when awaited.
  return asio::async_initiate<asio::use_awaitable_t<> const&, void(boost::system::error_code, invocation_result)>(
      [this](auto handler, std::string const& fn, json::value p) {
        const bool here = runs_here(handler);
        start_invoke(fn, std::move(p), std::move(handler), {}, here);
      },
      asio::use_awaitable, std::string(function), std::move(payload));
}

asio::awaitable<invocation_result> service::invoke(std::string_view function, json::value payload, std::string caller) {
  return asio::async_initiate<asio::use_awaitable_t<> const&, void(boost::system::error_code, invocation_result)>(
      [this](auto handler, std::string const& fn, json::value p, std::string who) {
        const bool here = runs_here(handler);
        start_invoke(fn, std::move(p), std::move(handler), std::move(who), here);
      },
      asio::use_awaitable, std::string(function), std::move(payload), std::move(caller));
}

void service::start_invoke(std::string_view function, json::value payload, invoke_handler handler,
                           std::string caller, bool here) {
  auto& im = *impl_;
  auto& c = im.acquire();
  c.res.record.caller = std::move(caller);
  c.waiter.emplace(std::move(handler));
  c.here = here;
  // From the wrapper: any_completion_handler has taken over the handler's slot.
  if (auto slot = asio::get_associated_cancellation_slot(*c.waiter); slot.is_connected())
    slot.template emplace<impl::stop_waiting>(&im, &c, c.generation);
  c.payload.swap(payload);
  im.begin(c, function);
}

void service::start_invoke_into(std::string_view function, json::value payload, done_handler handler,
                                std::string caller, invocation_result& out, bool here) {
  auto& im = *impl_;
  auto& c = im.acquire();
  c.res.record.caller = std::move(caller);
  c.done.emplace(std::move(handler));
  c.here = here;
  c.out = &out;
  if (auto slot = asio::get_associated_cancellation_slot(*c.done); slot.is_connected())
    slot.template emplace<impl::stop_waiting>(&im, &c, c.generation);
  c.payload.swap(payload);
  im.begin(c, function);
}

double service::finish() { return impl_->finish(); }

}  // namespace stepsim::lambda
