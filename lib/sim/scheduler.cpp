#include <stepsim/sim/scheduler.hpp>

#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/append.hpp>
#include <boost/asio/consign.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <cmath>
#include <map>
#include <utility>

namespace stepsim::sim {

namespace asio = boost::asio;
using boost::system::error_code;
using handler_type = asio::any_completion_handler<void(error_code)>;

struct scheduler::impl {
  // Declared first so it is destroyed last: destroying a pending coroutine
  // handler posts its frame's unwinding to this context. One thread runs a
  // scheduler and nothing else touches it, so Asio may skip its locking.
  asio::io_context ctx{BOOST_ASIO_CONCURRENCY_HINT_UNSAFE};
  time_mode mode;
  instant start;
  instant virtual_now;
  double speed = 1.0;
  std::chrono::steady_clock::time_point steady_start{};

  // Virtual-time timers keyed by (due, sequence): the map order is the firing order.
  using key = std::pair<instant, std::uint64_t>;
  std::map<key, handler_type> timers;
  std::uint64_t next_seq = 0;

  impl(time_mode m, instant s) : mode(m), start(s), virtual_now(s) {}

  // Posts `h(ec)`, never inline; post honours the handler's associated executor.
  void complete(handler_type h, error_code ec) {
    asio::post(ctx.get_executor(), asio::append(std::move(h), ec));
  }

  void cancel(const key& k) {
    auto it = timers.find(k);
    if (it == timers.end()) return;  // already completed
    handler_type h = std::move(it->second);
    timers.erase(it);
    // Not clearing the slot here: we are running inside the handler it holds.
    // The stale handler is harmless since it looks the timer up by key.
    complete(std::move(h), asio::error::operation_aborted);
  }

  struct cancel_handler {
    // A constructor, not an aggregate: slot.emplace constructs it with
    // parentheses, which clang before 16 does not allow for aggregates.
    cancel_handler(impl* s, key kk) : self(s), k(kk) {}
    impl* self;
    key k;
    void operator()(asio::cancellation_type_t type) const {
      if (type != asio::cancellation_type::none) self->cancel(k);
    }
  };

  void start_virtual(duration d, handler_type h) {
    const key k{virtual_now + std::max(d, duration::zero()), next_seq++};
    auto slot = asio::get_associated_cancellation_slot(h);
    timers.emplace(k, std::move(h));
    if (slot.is_connected()) slot.template emplace<cancel_handler>(this, k);
  }

  void start_real(duration d, handler_type h) {
    // Round the scaled wait up so that now() has passed the due time when it fires.
    const auto scaled = std::chrono::nanoseconds{
        static_cast<std::int64_t>(std::ceil(static_cast<double>(d.count()) * 1000.0 / speed))};
    auto timer = std::make_unique<asio::steady_timer>(ctx, std::max(scaled, std::chrono::nanoseconds::zero()));
    auto& t = *timer;
    // consign keeps the timer alive until completion and forwards the
    // handler's executor and cancellation slot, which steady_timer honours.
    t.async_wait(asio::consign(std::move(h), std::move(timer)));
  }

  std::size_t run_virtual() {
    std::size_t count = 0;
    for (;;) {
      // poll, not run: a coroutine parked on a channel holds work, and only a
      // timer we have yet to fire can wake it.
      for (;;) {
        ctx.restart();
        const std::size_t n = ctx.poll();
        if (n == 0) break;
        count += n;
      }
      if (timers.empty()) return count;
      auto node = timers.extract(timers.begin());
      virtual_now = node.key().first;
      handler_type h = std::move(node.mapped());
      if (auto slot = asio::get_associated_cancellation_slot(h); slot.is_connected()) slot.clear();
      complete(std::move(h), error_code{});
    }
  }
};

scheduler::scheduler(std::unique_ptr<impl> p) : impl_(std::move(p)) {}
scheduler::scheduler(scheduler&&) noexcept = default;
scheduler& scheduler::operator=(scheduler&&) noexcept = default;
scheduler::~scheduler() = default;

scheduler scheduler::virtual_time(instant start) {
  return scheduler{std::make_unique<impl>(time_mode::virtual_time, start)};
}

scheduler scheduler::real_time(instant start, double speed) {
  auto p = std::make_unique<impl>(time_mode::real_time, start);
  p->speed = speed;
  p->steady_start = std::chrono::steady_clock::now();
  return scheduler{std::move(p)};
}

time_mode scheduler::mode() const noexcept { return impl_->mode; }

instant scheduler::now() const noexcept {
  if (impl_->mode == time_mode::virtual_time) return impl_->virtual_now;
  const auto elapsed = std::chrono::steady_clock::now() - impl_->steady_start;
  const auto elapsed_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(elapsed).count();
  const double scaled_us = static_cast<double>(elapsed_ns) * impl_->speed / 1000.0;
  return impl_->start + duration{static_cast<duration::rep>(scaled_us)};
}

boost::asio::io_context& scheduler::context() noexcept { return impl_->ctx; }
boost::asio::any_io_executor scheduler::get_executor() noexcept { return impl_->ctx.get_executor(); }

std::size_t scheduler::run() {
  if (impl_->mode == time_mode::virtual_time) return impl_->run_virtual();
  impl_->ctx.restart();
  return impl_->ctx.run();
}

void scheduler::start_sleep(duration d, handler_type h) {
  if (impl_->mode == time_mode::virtual_time) impl_->start_virtual(d, std::move(h));
  else impl_->start_real(d, std::move(h));
}

// Not coroutines themselves: the awaitable async_initiate returns is lazy
// (initiated when awaited), so a wrapping frame would only add an allocation.
boost::asio::awaitable<void> scheduler::sleep(duration d) { return async_sleep(d, asio::use_awaitable); }

boost::asio::awaitable<void> scheduler::sleep_until(instant t) {
  // The delay is taken when the sleep is awaited, not when it is made.
  return asio::async_initiate<asio::use_awaitable_t<> const&, void(error_code)>(
      [this](auto handler, instant tt) { start_sleep(tt - now(), std::move(handler)); }, asio::use_awaitable, t);
}

std::size_t scheduler::pending_timers() const noexcept { return impl_->timers.size(); }

}  // namespace stepsim::sim
