// stepsim::sim::scheduler: the one place time passes.
#pragma once

#include <stepsim/sim/time.hpp>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/any_completion_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/system/error_code.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <type_traits>

namespace stepsim::sim {

/// Work a scheduler calls back at an instant (see `scheduler::call_after`):
/// simulation code that keeps its own state (a Lambda invocation, a workload
/// generator) and needs no coroutine frame or handler allocation per step.
class timer_task {
 public:
  /// Runs on the scheduler's thread when the task's time has come.
  virtual void on_timer() = 0;

 protected:
  ~timer_task() = default;
};

/// Which clock a scheduler follows.
enum class time_mode {
  virtual_time,  ///< discrete-event: the clock jumps to the next timer when nothing is ready
  real_time      ///< steady_timer, optionally sped up by a factor
};

/// One scheduler over one `asio::io_context`, in virtual or real time behind
/// one interface. Single-threaded: call `run()` from one thread; everything
/// that runs on it (executions, Lambda pools, workloads) runs on that thread.
///
/// Virtual time: timers wait in a queue keyed by (due instant, sequence number);
/// `run()` runs every ready handler, then moves the clock to the earliest timer
/// and completes it (ties complete in the order the timers were started), and
/// returns when no handler is ready and no timer is pending. A one-year sleep
/// takes no wall time. The queue is an indexed binary heap: starting,
/// cancelling and firing a timer take O(log n) for n pending timers, and its
/// memory is reused, so a steady simulation allocates nothing per timer.
///
/// Real time: a sleep of `d` waits `d / speed` on a `steady_timer`; `now()` is
/// the start instant plus `speed` times the steady time elapsed since the
/// scheduler was made.
class scheduler {
 public:
  /// A virtual-time scheduler whose clock starts at `start`.
  static scheduler virtual_time(instant start);
  /// A real-time scheduler whose clock starts at `start`; `speed` > 0 scales
  /// every sleep (speed 1000 makes a 60 s Wait take 60 ms).
  static scheduler real_time(instant start, double speed = 1.0);

  scheduler(scheduler&&) noexcept;
  scheduler& operator=(scheduler&&) noexcept;
  ~scheduler();

  time_mode mode() const noexcept;
  /// The current instant on this scheduler's clock.
  instant now() const noexcept;

  boost::asio::io_context& context() noexcept;
  boost::asio::any_io_executor get_executor() noexcept;

  /// Whether completion handler `h` runs on this scheduler's io_context: its
  /// associated executor is the context's (a coroutine on this scheduler), or
  /// it has none of its own (a plain callback). Such a handler may be called
  /// directly from a timer callback, which runs on the scheduler's one thread
  /// and outside any initiating function; any other executor gets its result
  /// through a post to it. Ask before erasing the handler's type (into an
  /// `any_completion_handler`): the answer is then a comparison, where the
  /// erased handler's executor would be wrapped anew for each question.
  template <typename Handler>
  bool runs_here(Handler const& h) noexcept {
    auto ex = boost::asio::get_associated_executor(h, context().get_executor());
    using executor = decltype(ex);
    if constexpr (std::is_same_v<executor, boost::asio::io_context::executor_type>)
      return &ex.context() == &context();
    else if constexpr (std::is_same_v<executor, boost::asio::any_io_executor> ||
                       std::is_same_v<executor, boost::asio::any_completion_executor>)
      return on_context(ex);
    else
      return on_context(boost::asio::any_completion_executor(ex));
  }

  /// Runs until no work is left (see the class comment). Returns the number of
  /// handlers run. Exceptions thrown by handlers propagate out of `run()`.
  std::size_t run();

  /// Runs what is due up to and including `t`, then stops with the clock at
  /// `t` (virtual time: every ready handler and every timer due at or before
  /// `t`, in the order `run()` would; a timer due later stays pending, and
  /// `now()` is `t` afterwards, or later if it already was). Real time: runs
  /// handlers until the clock reaches `t`. Like SimGrid's
  /// `Engine::run_until`; `run()` afterwards carries on from there. Returns
  /// the number of handlers run; exceptions propagate as from `run()`.
  std::size_t run_until(instant t);
  /// `run_until(now() + d)` (d < 0 counts as 0).
  std::size_t run_for(duration d);

  /// Completes `token` with `error_code{}` after `d` on this scheduler's clock
  /// (d <= 0 completes on the next turn, never inside this call).
  /// Cancellation: supports the associated cancellation slot (terminal,
  /// partial and total); a cancelled sleep completes at once with
  /// `asio::error::operation_aborted` and its timer leaves the queue.
  template <typename CompletionToken>
  auto async_sleep(duration d, CompletionToken&& token) {
    return boost::asio::async_initiate<CompletionToken, void(boost::system::error_code)>(
        [this](auto handler, duration dd) {
          const bool here = runs_here(handler);
          start_sleep(dd, std::move(handler), here);
        },
        token, d);
  }

  /// Completes `token` at `t` on this scheduler's clock, as `async_sleep`
  /// does after `t - now()` taken when the operation is initiated (for a
  /// lazy token such as `asio::deferred`: when it is awaited, not when it is
  /// made). A `t` not in the future completes on the next turn.
  template <typename CompletionToken>
  auto async_sleep_until(instant t, CompletionToken&& token) {
    return boost::asio::async_initiate<CompletionToken, void(boost::system::error_code)>(
        [this](auto handler, instant tt) {
          const bool here = runs_here(handler);
          start_sleep(saturating_sub(tt, now()), std::move(handler), here);
        },
        token, t);
  }

  /// Calls `task.on_timer()` after `d` on this scheduler's clock (d <= 0: on
  /// the next turn, never inside this call). The cheapest way to wait: in
  /// virtual time it allocates nothing and `run()` calls the task directly;
  /// in real time it waits on a `steady_timer`. `task` must stay alive until
  /// it is called. Not cancellable: a task that may become moot checks its
  /// own state when called. Ties with `async_sleep` timers complete in the
  /// order they were started; an exception from `on_timer` propagates out of
  /// `run()`.
  void call_after(duration d, timer_task& task);
  /// Calls `task.on_timer()` at `t` (on the next turn when `t` is not in the future).
  void call_at(instant t, timer_task& task);

  /// Coroutine form: `co_await sched.sleep(d)`. Throws `system_error`
  /// (operation_aborted) when cancelled. An `asio::awaitable`, so that it
  /// also goes where one is needed (`co_spawn`, `||`); a coroutine that only
  /// awaits it saves an Asio frame per sleep with
  /// `co_await sched.async_sleep(d, asio::deferred)`, which behaves the same.
  boost::asio::awaitable<void> sleep(duration d);
  /// Sleeps until `t` (at once when `t` is not in the future).
  boost::asio::awaitable<void> sleep_until(instant t);

  /// Number of timers waiting (virtual time) - for tests and diagnostics.
  std::size_t pending_timers() const noexcept;
  /// Virtual time: the instant the earliest pending timer is due, or nullopt
  /// when none is (always nullopt in real time). Lets a loop that also waits
  /// for outside events (a server's sockets) decide when to move the clock:
  /// `run_until(*next_due())` fires that timer and nothing later.
  std::optional<instant> next_due() const noexcept;

 private:
  struct impl;
  explicit scheduler(std::unique_ptr<impl> p);
  /// `here`: runs_here(h), asked before `h` was erased.
  void start_sleep(duration d, boost::asio::any_completion_handler<void(boost::system::error_code)> h, bool here);
  bool on_context(boost::asio::any_io_executor const& ex) noexcept;
  bool on_context(boost::asio::any_completion_executor const& ex) noexcept;
  std::unique_ptr<impl> impl_;
};

}  // namespace stepsim::sim
