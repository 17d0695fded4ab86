#include <stepsim/lambda/service.hpp>

#include <stepsim/asl/json_text.hpp>

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

struct container {
  std::uint64_t id = 0;
  bool provisioned = false;
  bool prewarmed = false;
  sim::instant created{}, ready{};
  sim::instant expiry = sim::instant::max();  // end of its keep-alive while idle
  bool expires_by_lifetime = false;           // expiry is max_lifetime's, not the keep-alive's
};

struct function_state {
  function_config cfg;
  latency init;
  sim::random_stream init_rng, run_rng, keep_rng, fault_rng;
  std::deque<container> idle;              // on-demand, front = least recently used, back = most
  std::vector<container> provisioned_idle;
  int in_flight = 0;
  int alive = 0;
  int warming = 0;    // pre-warmed environments still initializing
  int predicted = 0;  // requests announced by expect_request and not yet arrived
  double tokens = 0;
  sim::instant tokens_at{};
  sim::instant added_at{};

  function_state(function_config c, sim::rng const& rng)
      : cfg(std::move(c)),
        init(cfg.init ? *cfg.init : default_init(cfg.runtime)),
        init_rng(rng.stream("lambda/" + cfg.name + "/init")),
        run_rng(rng.stream("lambda/" + cfg.name + "/run")),
        keep_rng(rng.stream("lambda/" + cfg.name + "/keep-alive")),
        fault_rng(rng.stream("lambda/" + cfg.name + "/faults")) {}
};


}  // namespace

struct service::impl {
  sim::scheduler& sched;
  sim::rng rng;
  service_config config;
  std::map<std::string, std::unique_ptr<function_state>, std::less<>> functions;
  std::shared_ptr<keep_alive_policy> keep_alive = std::make_shared<fixed_keep_alive>();
  record_sink* sink = nullptr;
  std::uint64_t next_container = 0;
  int account_in_flight = 0;
  int unreserved_in_flight = 0;
  int reserved_total = 0;

  impl(sim::scheduler& s, sim::rng const& r, service_config c) : sched(s), rng(r), config(std::move(c)) {}

  function_state* lookup(std::string_view name) {
    auto it = functions.find(function_name(name));
    return it == functions.end() ? nullptr : it->second.get();
  }

  container_record record_of(function_state const& f, container const& c) const {
    container_record r;
    r.function = f.cfg.name;
    r.id = c.id;
    r.provisioned = c.provisioned;
    r.prewarmed = c.prewarmed;
    r.created = c.created;
    r.ready = c.ready;
    return r;
  }

  void reaped(function_state& f, container const& c, sim::instant at, char const* reason) {
    --f.alive;
    if (!sink) return;
    auto r = record_of(f, c);
    r.reaped = at;
    r.reason = reason;
    sink->on_container(r);
  }

  container create(function_state& f, bool provisioned, bool prewarmed) {
    ++f.alive;
    container c;
    c.id = ++next_container;
    c.provisioned = provisioned;
    c.prewarmed = prewarmed;
    c.created = c.ready = sched.now();
    return c;
  }

  /// Concurrency: may one more request of `f` run now?
  bool concurrency_allows(function_state const& f) const {
    if (account_in_flight >= config.account_concurrency) return false;
    if (f.cfg.reserved_concurrency) return f.in_flight < *f.cfg.reserved_concurrency;
    return unreserved_in_flight < config.account_concurrency - reserved_total;
  }

  /// Scaling rate: takes a token for a new environment, if one is left.
  bool take_token(function_state& f) {
    auto now = sched.now();
    double per_us = double(config.scaling_burst) / double(config.scaling_period.count());
    f.tokens = std::min(double(config.scaling_burst), f.tokens + double((now - f.tokens_at).count()) * per_us);
    f.tokens_at = now;
    if (f.tokens < 1) return false;
    f.tokens -= 1;
    return true;
  }

  void enter(function_state& f) {
    ++f.in_flight;
    ++account_in_flight;
    if (!f.cfg.reserved_concurrency) ++unreserved_in_flight;
  }
  void leave(function_state& f) {
    --f.in_flight;
    --account_in_flight;
    if (!f.cfg.reserved_concurrency) --unreserved_in_flight;
  }

  static char const* expiry_reason(container const& c) { return c.expires_by_lifetime ? "lifetime" : "keep-alive"; }

  /// Reaps the idle on-demand environments whose keep-alive ended (lazily: at their expiry instant).
  void sweep(function_state& f) {
    auto now = sched.now();
    while (!f.idle.empty() && f.idle.front().expiry <= now) {
      reaped(f, f.idle.front(), f.idle.front().expiry, expiry_reason(f.idle.front()));
      f.idle.pop_front();
    }
  }

  /// Like sweep, but also finds expired environments behind unexpired ones
  /// (expiries are not in order when keep-alives vary or lifetimes cut them
  /// short). Linear in the idle count: for counts and the end of a run.
  void sweep_all(function_state& f) {
    auto now = sched.now();
    std::erase_if(f.idle, [&](container const& c) {
      if (c.expiry > now) return false;
      reaped(f, c, c.expiry, expiry_reason(c));
      return true;
    });
  }

  /// Keeps `c` idle until `until`, or until its lifetime ends if that comes first.
  void idle_until(function_state& f, container& c, sim::instant until) {
    c.expiry = until;
    c.expires_by_lifetime = false;
    if (config.max_lifetime && c.created + *config.max_lifetime < until) {
      c.expiry = c.created + *config.max_lifetime;
      c.expires_by_lifetime = true;
    }
    f.idle.push_back(c);
  }

  std::optional<container> take_idle(function_state& f) {
    if (!f.provisioned_idle.empty()) {
      auto c = f.provisioned_idle.back();
      f.provisioned_idle.pop_back();
      return c;
    }
    sweep(f);
    auto now = sched.now();
    while (!f.idle.empty()) {
      auto c = f.idle.back();
      f.idle.pop_back();
      if (c.expiry > now) return c;
      reaped(f, c, c.expiry, expiry_reason(c));
    }
    return std::nullopt;
  }

  /// A container finished a request (or its init) and goes idle.
  void release(function_state& f, container c) {
    auto now = sched.now();
    if (c.provisioned) {
      f.provisioned_idle.push_back(c);
      return;
    }
    if (config.max_lifetime && now - c.created >= *config.max_lifetime) {
      reaped(f, c, now, "lifetime");
      return;
    }
    auto plan = keep_alive->plan(f.cfg.name, now, f.keep_rng);
    if (plan.prewarm_after) {
      // Unload now; load a fresh environment when the pre-warm window ends.
      reaped(f, c, now, "keep-alive");
      asio::co_spawn(sched.get_executor(), prewarm_later(f, *plan.prewarm_after, plan.keep_alive), asio::detached);
      return;
    }
    idle_until(f, c, now + plan.keep_alive);
  }

  asio::awaitable<void> prewarm_later(function_state& f, sim::duration after, sim::duration keep) {
    co_await sched.sleep(after);
    co_await warm_one(f, keep);
  }

  /// Loads one environment outside any request; it then idles for `keep`.
  asio::awaitable<void> warm_one(function_state& f, std::optional<sim::duration> keep) {
    auto c = create(f, false, true);
    ++f.warming;
    co_await sched.sleep(f.init.sample(f.init_rng) + extra_init(f));
    --f.warming;
    c.ready = sched.now();
    if (keep) {
      idle_until(f, c, c.ready + *keep);
    } else {
      release(f, c);
    }
  }

  static sim::duration extra_init(function_state const& f) {
    return f.cfg.init_addition();
  }

  void emit(invocation_record const& r) {
    if (sink) sink->on_invocation(r);
  }

  /// One invocation in flight. Pooled, and driven by scheduler callbacks
  /// (init done, run done) rather than a coroutine, so a steady stream of
  /// invocations allocates nothing here.
  struct call final : sim::timer_task {
    enum class step { init_done, run_done, timed_out };
    impl* svc = nullptr;
    std::uint64_t generation = 0;  // tells a stale cancellation from a live one
    function_state* f = nullptr;
    container c;
    step next = step::run_done;
    json::value payload;
    invocation_result res;
    std::optional<invoke_handler> waiter;  // emplaced and reset, never assigned (Boost 1.81)
    void on_timer() override { svc->advance(*this); }
  };
  std::vector<std::unique_ptr<call>> calls;  // every call object; `spare` lists the free ones
  std::vector<call*> spare;

  call& acquire() {
    if (spare.empty()) {
      calls.push_back(std::make_unique<call>());
      calls.back()->svc = this;
      spare.push_back(calls.back().get());
    }
    auto& c = *spare.back();
    spare.pop_back();
    ++c.generation;
    c.f = nullptr;
    c.res = invocation_result{};
    return c;
  }

  /// The caller stops waiting (its cancellation slot fired); the call runs on.
  struct stop_waiting {
    stop_waiting(impl* s, call* c, std::uint64_t g) : self(s), target(c), generation(g) {}
    impl* self;
    call* target;
    std::uint64_t generation;
    void operator()(asio::cancellation_type_t type) const {
      if (type == asio::cancellation_type::none || target->generation != generation || !target->waiter) return;
      // Not clearing the slot: we are running inside the handler it holds.
      invoke_handler h(std::move(*target->waiter));
      target->waiter.reset();
      asio::post(self->sched.context().get_executor(),
                 asio::append(std::move(h), boost::system::error_code(asio::error::operation_aborted),
                              invocation_result{}));
    }
  };

  /// Whether `h` may be called directly from a scheduler callback: its
  /// associated executor is this scheduler's io_context (a plain callback's
  /// default, and a coroutine's on this scheduler). Any other executor gets
  /// the result through a post to it.
  bool runs_here(invoke_handler const& h) const {
    auto& ctx = sched.context();
    auto ex = asio::get_associated_executor(h, ctx.get_executor());
    if (on_context(ex, ctx)) return true;
    auto const* any = ex.target<asio::any_io_executor>();
    return any && on_context(*any, ctx);
  }
  template <typename Executor>
  static bool on_context(Executor const& ex, asio::io_context& ctx) {
    using plain = asio::io_context::executor_type;
    using tracked = std::decay_t<decltype(asio::prefer(std::declval<plain>(), asio::execution::outstanding_work.tracked))>;
    if (auto const* e = ex.template target<plain>()) return &e->context() == &ctx;
    if (auto const* e = ex.template target<tracked>()) return &e->context() == &ctx;
    return false;
  }

  /// Delivers the result (if anyone still waits) and returns the call to the
  /// pool. `from_timer`: called back by the scheduler, not inside the
  /// initiating function, so a handler that runs here is called at once
  /// (the scheduler has one thread) instead of through a post.
  void complete(call& c, bool from_timer) {
    std::optional<invoke_handler> h;
    if (c.waiter) {
      h.emplace(std::move(*c.waiter));
      c.waiter.reset();
      if (auto slot = asio::get_associated_cancellation_slot(*h); slot.is_connected()) slot.clear();
    }
    // Back in the pool before the handler runs, so that a handler that throws
    // loses nothing; the result is moved into the handler's argument first,
    // so a handler that invokes again (and reuses `c`) cannot disturb it.
    c.payload = nullptr;
    spare.push_back(&c);
    if (!h) return;
    if (from_timer && runs_here(*h)) {
      std::move (*h)(boost::system::error_code{}, std::move(c.res));
    } else {
      // post honours the handler's associated executor.
      asio::post(sched.context().get_executor(),
                 asio::append(std::move(*h), boost::system::error_code{}, std::move(c.res)));
    }
  }

  /// Marks the result (and its record) as ended by `o`, with Step Functions' error and cause.
  static void set_failure(invocation_result& res, outcome o, std::string const& error, std::string cause) {
    res.result = res.record.result = o;
    res.error = res.record.error = error;
    res.cause = std::move(cause);
  }

  /// The cause Step Functions gives Lambda.Unknown: no error type came back,
  /// only `returned_payload` (JSON text).
  static std::string unknown_cause(std::string_view returned_payload) {
    return fmt::format("The cause could not be determined because Lambda did not return an error type. "
                       "Returned payload: {}",
                       returned_payload);
  }

  void fail_fast(call& c, outcome o, char const* error, std::string cause) {
    set_failure(c.res, o, error, std::move(cause));
    emit(c.res.record);
    complete(c, false);
  }

  /// The request arrives: find the function, draw a fault, take or start an environment.
  void begin(call& cl, std::string_view function) {
    try {
      arrive(cl, function);
    } catch (...) {
      // A keep-alive policy or a record sink threw before the call reached
      // the scheduler. The caller still gets an answer (the service failed),
      // and the exception leaves through the scheduler's run(), never
      // through an initiating function.
      set_failure(cl.res, outcome::service_error, "Lambda.ServiceException",
                  "Lambda.ServiceException: the simulation failed: " + what_of(std::current_exception()));
      complete(cl, false);
      asio::post(sched.context().get_executor(), [e = std::current_exception()] { std::rethrow_exception(e); });
    }
  }

  static std::string what_of(std::exception_ptr e) {
    try {
      std::rethrow_exception(e);
    } catch (std::exception const& x) {
      return x.what();
    } catch (...) {
      return "an exception that is not a std::exception";
    }
  }

  void arrive(call& cl, std::string_view function) {
    auto& rec = cl.res.record;
    auto now = sched.now();
    rec.requested = rec.started = rec.finished = now;
    auto* f = lookup(function);
    if (!f) {
      rec.function = std::string(function_name(function));
      fail_fast(cl, outcome::not_found, "Lambda.ResourceNotFoundException",
                fmt::format("Function not found: {}", function));
      return;
    }
    cl.f = f;
    rec.function = f->cfg.name;
    if (f->predicted > 0) --f->predicted;
    keep_alive->on_invocation(f->cfg.name, now);
    double fault = f->cfg.fault_probability;
    for (auto const& w : f->cfg.fault_schedule)
      if (now - f->added_at >= w.from && now - f->added_at < w.to) {
        fault = w.probability;
        break;
      }
    if (fault > 0 && f->fault_rng.bernoulli(fault)) {
      fail_fast(cl, outcome::service_error, "Lambda.ServiceException",
                "Lambda.ServiceException: An internal error occurred in the Lambda service (injected fault)");
      return;
    }
    std::optional<container> c;
    bool cold = false;
    if (concurrency_allows(*f)) {
      c = take_idle(*f);
      if (!c && take_token(*f)) {
        c = create(*f, false, false);
        cold = true;
      }
    }
    if (!c) {
      fail_fast(cl, outcome::throttled, "Lambda.TooManyRequestsException", "Rate Exceeded.");
      return;
    }
    enter(*f);
    cl.c = *c;
    rec.container = c->id;
    rec.cold = cold;
    rec.provisioned = c->provisioned;
    if (cold) {
      rec.init = f->init.sample(f->init_rng) + extra_init(*f);
      cl.next = call::step::init_done;
      sched.call_after(rec.init, cl);
      return;
    }
    start_run(cl);
  }

  void start_run(call& cl) {
    auto& f = *cl.f;
    auto& rec = cl.res.record;
    rec.started = sched.now();
    auto run = f.cfg.run.sample(f.cfg.memory_mb, f.run_rng);
    if (run > f.cfg.timeout) {
      rec.run = f.cfg.timeout;
      cl.next = call::step::timed_out;
    } else {
      rec.run = run;
      cl.next = call::step::run_done;
    }
    sched.call_after(rec.run, cl);
  }

  void advance(call& cl) {
    auto& f = *cl.f;
    auto& res = cl.res;
    auto& rec = res.record;
    bool destroyed = false;
    switch (cl.next) {
      case call::step::init_done:
        cl.c.ready = sched.now();
        start_run(cl);
        return;
      case call::step::timed_out:
        set_failure(res, outcome::timeout, "Lambda.Unknown",
                    unknown_cause(fmt::format("{{\"errorMessage\":\"Task timed out after {:.2f} seconds\"}}",
                                              std::chrono::duration<double>(f.cfg.timeout).count())));
        destroyed = true;
        break;
      case call::step::run_done:
        try {
          res.payload = f.cfg.handler ? f.cfg.handler(cl.payload) : std::move(cl.payload);
        } catch (function_error const& e) {
          set_failure(res, outcome::function_error, e.error_type(),
                      asl::to_text(json::object{{"errorMessage", e.error_message()},
                                                {"errorType", e.error_type()},
                                                {"stackTrace", json::array()}}));
        } catch (...) {
          set_failure(res, outcome::crash, "Lambda.Unknown",
                      unknown_cause(asl::to_text(json::object{{"errorMessage", what_of(std::current_exception())},
                                                              {"errorType", "Runtime.ExitError"}})));
          destroyed = true;
        }
        break;
    }
    leave(f);
    rec.finished = sched.now();
    auto billed = rec.run;
    if (rec.cold && config.pricing.bill_init) billed += rec.init;
    rec.billed_ms = billed_ms(billed);
    rec.cost = invocation_cost(config.pricing, f.cfg, rec.billed_ms, rec.provisioned);
    try {
      if (destroyed) reaped(f, cl.c, rec.finished, res.result == outcome::timeout ? "timeout" : "crash");
      else release(f, cl.c);
      emit(rec);
    } catch (...) {
      complete(cl, true);  // a policy or a sink threw: the caller still gets its result
      throw;
    }
    complete(cl, true);
  }
};

service::service(sim::scheduler& sched, sim::rng const& rng, service_config config)
    : impl_(std::make_unique<impl>(sched, rng, std::move(config))) {}
service::~service() = default;

service_config const& service::config() const noexcept { return impl_->config; }
void service::set_keep_alive(std::shared_ptr<keep_alive_policy> p) { impl_->keep_alive = std::move(p); }
void service::set_sink(record_sink* s) { impl_->sink = s; }

void service::add(function_config f) {
  f.validate();
  auto& im = *impl_;
  if (im.functions.contains(f.name)) throw std::invalid_argument("function '" + f.name + "' is added twice");
  int reserved = f.reserved_concurrency.value_or(0);
  if (im.reserved_total + reserved > im.config.account_concurrency)
    throw std::invalid_argument(fmt::format("function '{}': reserved concurrency {} leaves less than none of the "
                                            "account's {} for the others",
                                            f.name, reserved, im.config.account_concurrency));
  im.reserved_total += reserved;
  auto fs = std::make_unique<function_state>(std::move(f), im.rng);
  fs->tokens = double(im.config.scaling_burst);
  fs->tokens_at = fs->added_at = im.sched.now();
  for (int i = 0; i < fs->cfg.provisioned_concurrency; ++i) fs->provisioned_idle.push_back(im.create(*fs, true, false));
  im.functions.emplace(fs->cfg.name, std::move(fs));
}

function_config const* service::find(std::string_view function) const {
  auto* f = impl_->lookup(function);
  return f ? &f->cfg : nullptr;
}

bool service::expect_request(std::string_view function) {
  auto& im = *impl_;
  auto* f = im.lookup(function);
  if (!f) return false;
  ++f->predicted;
  im.sweep(*f);
  auto available = static_cast<int>(f->idle.size() + f->provisioned_idle.size()) + f->warming;
  if (available >= f->predicted || !im.take_token(*f)) return false;
  asio::co_spawn(im.sched.get_executor(), im.warm_one(*f, std::nullopt), asio::detached);
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
  asio::co_spawn(im.sched.get_executor(),
                 warm_periodically(*this, im.sched, f->cfg.name, period, concurrency, im.sched.now() + until),
                 asio::detached);
}

int service::containers(std::string_view function) const {
  auto* f = impl_->lookup(function);
  if (!f) return 0;
  impl_->sweep_all(*f);
  return f->alive;
}

int service::in_flight(std::string_view function) const {
  auto* f = impl_->lookup(function);
  return f ? f->in_flight : 0;
}

int service::account_in_flight() const noexcept { return impl_->account_in_flight; }

int service::prewarm(std::string_view function, int count) {
  auto& im = *impl_;
  auto* f = im.lookup(function);
  if (!f) return 0;
  int started = 0;
  for (; started < count && im.take_token(*f); ++started)
    asio::co_spawn(im.sched.get_executor(), im.warm_one(*f, std::nullopt), asio::detached);
  return started;
}

asio::awaitable<invocation_result> service::invoke(std::string_view function, json::value payload) {
  // The name is copied into the awaitable: it is initiated only when awaited.
  return asio::async_initiate<asio::use_awaitable_t<> const&, void(boost::system::error_code, invocation_result)>(
      [this](auto handler, std::string const& fn, json::value p) { start_invoke(fn, std::move(p), std::move(handler)); },
      asio::use_awaitable, std::string(function), std::move(payload));
}

void service::start_invoke(std::string_view function, json::value payload, invoke_handler handler) {
  auto& im = *impl_;
  auto& c = im.acquire();
  c.waiter.emplace(std::move(handler));
  // From the wrapper: any_completion_handler has taken over the handler's slot.
  if (auto slot = asio::get_associated_cancellation_slot(*c.waiter); slot.is_connected())
    slot.template emplace<impl::stop_waiting>(&im, &c, c.generation);
  c.payload = std::move(payload);
  im.begin(c, function);
}

double service::finish() {
  auto& im = *impl_;
  auto now = im.sched.now();
  double cost = 0;
  for (auto& named : im.functions) {
    auto& f = named.second;  // not a structured binding: clang 14 (the fuzz build) cannot capture one
    im.sweep_all(*f);
    auto report_alive = [&](container const& c) {
      if (im.sink) im.sink->on_container(im.record_of(*f, c));
    };
    for (auto const& c : f->idle) report_alive(c);
    for (auto const& c : f->provisioned_idle) report_alive(c);
    f->idle.clear();
    f->provisioned_idle.clear();
    cost += provisioned_cost(im.config.pricing, f->cfg, f->cfg.provisioned_concurrency, now - f->added_at);
  }
  return cost;
}

}  // namespace stepsim::lambda
