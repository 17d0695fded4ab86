#include <stepsim/sim/scheduler.hpp>

#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/append.hpp>
#include <boost/asio/consign.hpp>
#include <boost/asio/detail/thread_context.hpp>
#include <boost/asio/detail/thread_info_base.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <cmath>
#include <optional>
#include <utility>
#include <vector>

namespace stepsim::sim {

namespace asio = boost::asio;
using boost::system::error_code;
using handler_type = asio::any_completion_handler<void(error_code)>;

namespace {

/// Asio recycles the memory of handlers, cancellation slots and coroutine
/// frames through the innermost "thread context" of the calling thread.
/// io_context::poll opens one for its own duration only, and the timers a
/// virtual-time run fires between polls (a Lambda call's end resuming its
/// caller, a sleep ending) ran outside any: each of those blocks was a
/// memalign and a free. One context for the whole run keeps them for reuse.
/// Its key is its own, so Asio never mistakes it for the io_context's
/// (running_in_this_thread and nested polls look for that one by key).
/// Boost 1.81's detail API: stepsim builds against that version only.
class recycling_scope : boost::asio::detail::thread_context {
 public:
  recycling_scope() : entry_(this, info_) {}

 private:
  boost::asio::detail::thread_info_base info_;   // frees what it holds last,
  thread_call_stack::context entry_;             // after leaving the stack
};

template <typename Executor>
bool on_context(Executor const& ex, asio::io_context& ctx) noexcept {
  using plain = asio::io_context::executor_type;
  using tracked = std::decay_t<decltype(asio::prefer(std::declval<plain>(), asio::execution::outstanding_work.tracked))>;
  if (auto const* e = ex.template target<plain>()) return &e->context() == &ctx;
  if (auto const* e = ex.template target<tracked>()) return &e->context() == &ctx;
  return false;
}

bool runs_on(asio::any_completion_executor const& ex, asio::io_context& ctx) noexcept {
  if (on_context(ex, ctx)) return true;
  auto const* any = ex.target<asio::any_io_executor>();
  return any && on_context(*any, ctx);
}
bool runs_on(asio::any_io_executor const& ex, asio::io_context& ctx) noexcept { return on_context(ex, ctx); }

}  // namespace

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

  // Virtual-time timers: an indexed binary min-heap on (due, sequence), so
  // ties fire first-in-first-out. A timer is a task to call directly or an
  // async_sleep handler parked in `waiting`, whose slots know their heap
  // position so that cancellation removes them in O(log n).
  struct timer {
    instant due;
    std::uint64_t seq;
    timer_task* task;    // call_after's task, or nullptr for a handler
    std::uint32_t slot;  // index into `waiting` when task is nullptr
  };
  struct parked {
    // optional, emplaced and reset, never assigned: Boost 1.81's
    // any_completion_handler move-assignment recurses.
    std::optional<handler_type> handler;
    bool here = false;  // the handler runs on ctx: called directly when due
    std::uint64_t seq = 0;
    std::size_t pos = 0;
  };
  std::vector<timer> heap;
  std::vector<parked> waiting;
  std::vector<std::uint32_t> free_slots;
  std::uint64_t next_seq = 0;

  impl(time_mode m, instant s) : mode(m), start(s), virtual_now(s) {}

  // Posts `h(ec)`, never inline; post honours the handler's associated executor.
  void complete(handler_type h, error_code ec) {
    asio::post(ctx.get_executor(), asio::append(std::move(h), ec));
  }

  static bool before(timer const& a, timer const& b) noexcept {
    return a.due < b.due || (a.due == b.due && a.seq < b.seq);
  }
  void place(std::size_t i, timer const& t) noexcept {
    heap[i] = t;
    if (!t.task) waiting[t.slot].pos = i;
  }
  void sift_up(std::size_t i) noexcept {
    const timer t = heap[i];
    while (i > 0) {
      const std::size_t parent = (i - 1) / 2;
      if (!before(t, heap[parent])) break;
      place(i, heap[parent]);
      i = parent;
    }
    place(i, t);
  }
  void sift_down(std::size_t i) noexcept {
    const timer t = heap[i];
    const std::size_t n = heap.size();
    for (;;) {
      std::size_t child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && before(heap[child + 1], heap[child])) ++child;
      if (!before(heap[child], t)) break;
      place(i, heap[child]);
      i = child;
    }
    place(i, t);
  }
  void push(timer const& t) {
    heap.push_back(t);
    sift_up(heap.size() - 1);
  }
  timer remove(std::size_t i) noexcept {
    const timer t = heap[i];
    const timer last = heap.back();
    heap.pop_back();
    if (i < heap.size()) {
      place(i, last);
      if (i > 0 && before(last, heap[(i - 1) / 2])) sift_up(i);
      else sift_down(i);
    }
    return t;
  }

  // Takes the handler out of its slot and frees the slot.
  handler_type unpark(std::uint32_t slot) {
    auto& p = waiting[slot];
    handler_type h(std::move(*p.handler));
    p.handler.reset();
    free_slots.push_back(slot);
    return h;
  }

  void cancel(std::uint32_t slot, std::uint64_t seq) {
    auto& p = waiting[slot];
    if (!p.handler || p.seq != seq) return;  // already completed (the slot may serve another timer now)
    remove(p.pos);
    // Not clearing the cancellation slot here: we are running inside the
    // handler it holds. The stale handler is harmless since it checks `seq`.
    complete(unpark(slot), asio::error::operation_aborted);
  }

  struct cancel_handler {
    // A constructor, not an aggregate: slot.emplace constructs it with
    // parentheses, which clang before 16 does not allow for aggregates.
    cancel_handler(impl* s, std::uint32_t sl, std::uint64_t sq) : self(s), slot(sl), seq(sq) {}
    impl* self;
    std::uint32_t slot;
    std::uint64_t seq;
    void operator()(asio::cancellation_type_t type) const {
      if (type != asio::cancellation_type::none) self->cancel(slot, seq);
    }
  };

  // Saturates: a timer too far away to name is due at the end of time, never in the past.
  instant due_after(duration d) const { return saturating_add(virtual_now, std::max(d, duration::zero())); }

  void start_virtual(duration d, handler_type h, bool here) {
    std::uint32_t slot = 0;
    if (free_slots.empty()) {
      slot = static_cast<std::uint32_t>(waiting.size());
      waiting.emplace_back();
    } else {
      slot = free_slots.back();
      free_slots.pop_back();
    }
    const std::uint64_t seq = next_seq++;
    auto cancellation = asio::get_associated_cancellation_slot(h);
    waiting[slot].handler.emplace(std::move(h));
    waiting[slot].here = here;
    waiting[slot].seq = seq;
    push(timer{due_after(d), seq, nullptr, slot});
    if (cancellation.is_connected()) cancellation.template emplace<cancel_handler>(this, slot, seq);
  }

  void start_real(duration d, handler_type h) {
    // Round the scaled wait up so that now() has passed the due time when it fires.
    // Clamped to what steady_timer can wait for (about 292 years of nanoseconds).
    const double ns = std::ceil(static_cast<double>(d.count()) * 1000.0 / speed);
    const auto scaled = std::chrono::nanoseconds{
        ns >= 9.2e18 ? std::chrono::nanoseconds::max().count() : static_cast<std::int64_t>(std::max(ns, 0.0))};
    auto timer = std::make_unique<asio::steady_timer>(ctx, std::max(scaled, std::chrono::nanoseconds::zero()));
    auto& t = *timer;
    // consign keeps the timer alive until completion and forwards the
    // handler's executor and cancellation slot, which steady_timer honours.
    t.async_wait(asio::consign(std::move(h), std::move(timer)));
  }

  // Runs until no work is left, or (with `limit`) until the next timer is due
  // after `limit`; the clock then stands at `limit`.
  std::size_t run_virtual(std::optional<instant> limit = std::nullopt) {
    recycling_scope recycling;
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
      if (limit && (heap.empty() || heap.front().due > *limit)) {
        virtual_now = std::max(virtual_now, *limit);
        return count;
      }
      if (heap.empty()) return count;
      const timer t = remove(0);
      virtual_now = t.due;
      if (t.task) {
        ++count;
        t.task->on_timer();
        continue;
      }
      const bool here = waiting[t.slot].here;
      handler_type h = unpark(t.slot);
      // The cancellation slot keeps its handler, as Asio's own timers leave
      // theirs: a stale one checks `seq` and does nothing.
      if (here) {
        // Called here rather than posted: no initiating function is on the
        // stack, and a post would only queue it for the poll above.
        ++count;
        std::move(h)(error_code{});
      } else {
        complete(std::move(h), error_code{});
      }
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

bool scheduler::on_context(asio::any_io_executor const& ex) noexcept { return runs_on(ex, impl_->ctx); }
bool scheduler::on_context(asio::any_completion_executor const& ex) noexcept { return runs_on(ex, impl_->ctx); }

std::size_t scheduler::run() {
  if (impl_->mode == time_mode::virtual_time) return impl_->run_virtual();
  impl_->ctx.restart();
  return impl_->ctx.run();
}

std::size_t scheduler::run_until(instant t) {
  if (impl_->mode == time_mode::virtual_time) return impl_->run_virtual(t);
  const auto ahead = std::max(t - now(), duration::zero());
  const auto scaled = std::chrono::nanoseconds{
      static_cast<std::int64_t>(std::ceil(static_cast<double>(ahead.count()) * 1000.0 / impl_->speed))};
  impl_->ctx.restart();
  return impl_->ctx.run_for(scaled);
}

std::size_t scheduler::run_for(duration d) { return run_until(now() + std::max(d, duration::zero())); }

void scheduler::start_sleep(duration d, handler_type h, bool here) {
  if (impl_->mode == time_mode::virtual_time) impl_->start_virtual(d, std::move(h), here);
  else impl_->start_real(d, std::move(h));
}

void scheduler::call_after(duration d, timer_task& task) {
  auto& im = *impl_;
  if (im.mode == time_mode::virtual_time) im.push(impl::timer{im.due_after(d), im.next_seq++, &task, 0});
  else im.start_real(d, [&task](error_code) { task.on_timer(); });
}

void scheduler::call_at(instant t, timer_task& task) { call_after(saturating_sub(t, now()), task); }

// Not coroutines themselves: the awaitable async_initiate returns is lazy
// (initiated when awaited), so a wrapping frame would only add an allocation.
boost::asio::awaitable<void> scheduler::sleep(duration d) { return async_sleep(d, asio::use_awaitable); }

boost::asio::awaitable<void> scheduler::sleep_until(instant t) {
  // The delay is taken when the sleep is awaited, not when it is made.
  return async_sleep_until(t, asio::use_awaitable);
}

std::size_t scheduler::pending_timers() const noexcept { return impl_->heap.size(); }

std::optional<instant> scheduler::next_due() const noexcept {
  if (impl_->mode != time_mode::virtual_time || impl_->heap.empty()) return std::nullopt;
  return impl_->heap.front().due;
}

}  // namespace stepsim::sim
