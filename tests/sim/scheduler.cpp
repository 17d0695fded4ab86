#include <stepsim/sim/scheduler.hpp>

#include <stepsim/sim/rng.hpp>

#include <catch2/catch.hpp>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace asio = boost::asio;
using namespace std::chrono_literals;
using stepsim::sim::duration;
using stepsim::sim::instant;
using stepsim::sim::scheduler;

namespace {

// 2024-01-01T00:00:00Z
const instant start{duration{1704067200000000}};

// Coroutine lambdas are named and outlive run(): the frame refers to the
// lambda's captures, which a temporary lambda would take away.
void spawn(scheduler& s, asio::awaitable<void> a) {
  asio::co_spawn(s.get_executor(), std::move(a), [](std::exception_ptr e) {
    if (e) std::rethrow_exception(e);
  });
}

}  // namespace

TEST_CASE("virtual time: a one-year sleep completes at once with the clock one year on") {
  auto s = scheduler::virtual_time(start);
  CHECK(s.mode() == stepsim::sim::time_mode::virtual_time);
  bool done = false;
  auto body = [&]() -> asio::awaitable<void> {
    co_await s.sleep(std::chrono::years{1});
    done = true;
  };
  spawn(s, body());
  s.run();
  CHECK(done);
  CHECK(s.now() - start == std::chrono::duration_cast<duration>(std::chrono::years{1}));
  CHECK(s.pending_timers() == 0);
}

TEST_CASE("virtual time: timers due at the same instant complete first-in-first-out") {
  auto s = scheduler::virtual_time(start);
  std::vector<int> order;
  for (int i = 0; i < 5; ++i)
    s.async_sleep(10s, [&order, i](boost::system::error_code ec) {
      CHECK_FALSE(ec);
      order.push_back(i);
    });
  CHECK(s.pending_timers() == 5);
  s.run();
  CHECK(order == std::vector<int>{0, 1, 2, 3, 4});
  CHECK(s.now() == start + 10s);
}

TEST_CASE("virtual time: two coroutines interleave in time order") {
  auto s = scheduler::virtual_time(start);
  std::vector<std::string> log;
  auto worker = [&](std::string name, duration step) -> asio::awaitable<void> {
    for (int i = 0; i < 3; ++i) {
      co_await s.sleep(step);
      log.push_back(name + "@" + std::to_string((s.now() - start) / 1s));
    }
  };
  spawn(s, worker("a", 2s));
  spawn(s, worker("b", 3s));
  s.run();
  // At 6 s both are due; b's timer was started first (at 3 s, a's at 4 s).
  CHECK(log == std::vector<std::string>{"a@2", "b@3", "a@4", "b@6", "a@6", "b@9"});
  CHECK(s.now() == start + 9s);
}

TEST_CASE("virtual time: a sleep of zero or less never completes inside the initiating call") {
  auto s = scheduler::virtual_time(start);
  int completions = 0;
  s.async_sleep(0s, [&](boost::system::error_code) { ++completions; });
  s.async_sleep(-5s, [&](boost::system::error_code) { ++completions; });
  CHECK(completions == 0);
  s.run();
  CHECK(completions == 2);
  CHECK(s.now() == start);
}

TEST_CASE("virtual time: sleep_until a past instant completes without moving the clock") {
  auto s = scheduler::virtual_time(start);
  bool done = false;
  auto body = [&]() -> asio::awaitable<void> {
    co_await s.sleep_until(start + 90s);
    CHECK(s.now() == start + 90s);
    co_await s.sleep_until(start + 30s);
    done = true;
  };
  spawn(s, body());
  s.run();
  CHECK(done);
  CHECK(s.now() == start + 90s);
}

TEST_CASE("virtual time: async_sleep_until with deferred takes its delay when awaited, not when made") {
  auto s = scheduler::virtual_time(start);
  std::vector<instant> woke;
  auto body = [&]() -> asio::awaitable<void> {
    auto later = s.async_sleep_until(start + 60s, asio::deferred);  // made at `start`
    co_await s.async_sleep(40s, asio::deferred);
    co_await std::move(later);  // awaited at start + 40 s: 20 s left
    woke.push_back(s.now());
    co_await s.async_sleep_until(start + 10s, asio::deferred);  // past: the next turn, the clock stays
    woke.push_back(s.now());
  };
  spawn(s, body());
  s.run();
  CHECK(woke == std::vector<instant>{start + 60s, start + 60s});
  CHECK(s.pending_timers() == 0);
}

TEST_CASE("virtual time: a cancelled async_sleep_until with deferred throws operation_aborted") {
  auto s = scheduler::virtual_time(start);
  asio::cancellation_signal signal;
  std::string what;
  auto body = [&]() -> asio::awaitable<void> {
    try {
      co_await s.async_sleep_until(start + 1h, asio::deferred);
    } catch (boost::system::system_error const& e) {
      what = e.code() == asio::error::operation_aborted ? "aborted" : e.what();
    }
  };
  asio::co_spawn(s.get_executor(), body(), asio::bind_cancellation_slot(signal.slot(), asio::detached));
  s.async_sleep(5s, [&](boost::system::error_code) { signal.emit(asio::cancellation_type::terminal); });
  s.run();
  CHECK(what == "aborted");
  CHECK(s.now() == start + 5s);
  CHECK(s.pending_timers() == 0);
}

TEST_CASE("virtual time: the losing sleep of || is cancelled and does not advance the clock") {
  using namespace asio::experimental::awaitable_operators;
  auto s = scheduler::virtual_time(start);
  std::size_t winner = 99;
  auto body = [&]() -> asio::awaitable<void> {
    auto r = co_await (s.sleep(1h) || s.sleep(1s));
    winner = r.index();
  };
  spawn(s, body());
  s.run();
  CHECK(winner == 1);
  CHECK(s.now() == start + 1s);
  CHECK(s.pending_timers() == 0);
}

TEST_CASE("virtual time: a cancelled sleep completes with operation_aborted at once") {
  auto s = scheduler::virtual_time(start);
  asio::cancellation_signal signal;
  boost::system::error_code result;
  bool called = false;
  s.async_sleep(1h, asio::bind_cancellation_slot(signal.slot(), [&](boost::system::error_code ec) {
                  called = true;
                  result = ec;
                }));
  signal.emit(asio::cancellation_type::terminal);
  CHECK_FALSE(called);  // posted, not inline
  CHECK(s.pending_timers() == 0);
  s.run();
  CHECK(called);
  CHECK(result == asio::error::operation_aborted);
  CHECK(s.now() == start);
}

TEST_CASE("virtual time: run returns the number of handlers it ran") {
  auto s = scheduler::virtual_time(start);
  s.async_sleep(1s, [](boost::system::error_code) {});
  s.async_sleep(2s, [](boost::system::error_code) {});
  CHECK(s.run() == 2);
  CHECK(s.run() == 0);
}

TEST_CASE("virtual time: an exception thrown by a handler propagates out of run") {
  auto s = scheduler::virtual_time(start);
  bool later_ran = false;
  s.async_sleep(1s, [](boost::system::error_code) { throw std::runtime_error("boom"); });
  s.async_sleep(2s, [&](boost::system::error_code) { later_ran = true; });
  CHECK_THROWS_WITH(s.run(), "boom");
  CHECK(s.now() == start + 1s);
  s.run();
  CHECK(later_ran);
  CHECK(s.now() == start + 2s);
}

TEST_CASE("virtual time: a million sleeps in a loop all complete, each moving the clock 1 ms") {
  auto s = scheduler::virtual_time(start);
  constexpr int n = 1'000'000;
  int count = 0;
  auto body = [&]() -> asio::awaitable<void> {
    for (int i = 0; i < n; ++i) {
      co_await s.sleep(1ms);
      ++count;
    }
  };
  spawn(s, body());
  s.run();
  CHECK(count == n);
  CHECK(s.now() == start + std::chrono::milliseconds{n});
  CHECK(s.pending_timers() == 0);
}

namespace {

/// Records the instant it was called at, under a label, in a shared log.
struct logging_task final : stepsim::sim::timer_task {
  logging_task(scheduler& s, std::vector<std::pair<std::string, instant>>& l, std::string n)
      : sched(s), log(l), name(std::move(n)) {}
  scheduler& sched;
  std::vector<std::pair<std::string, instant>>& log;
  std::string name;
  void on_timer() override { log.emplace_back(name, sched.now()); }
};

}  // namespace

TEST_CASE("virtual time: call_after calls the task at its instant, in start order with sleeps due alike") {
  auto s = scheduler::virtual_time(start);
  std::vector<std::pair<std::string, instant>> log;
  logging_task a{s, log, "a"}, c{s, log, "c"}, early{s, log, "early"};
  s.call_after(2s, a);
  s.async_sleep(2s, [&](boost::system::error_code) { log.emplace_back("b", s.now()); });
  s.call_at(start + 2s, c);
  s.call_after(1s, early);
  CHECK(s.pending_timers() == 4);
  CHECK(s.run() == 4);
  using entry = std::pair<std::string, instant>;
  CHECK(log == std::vector<entry>{{"early", start + 1s}, {"a", start + 2s}, {"b", start + 2s}, {"c", start + 2s}});
}

TEST_CASE("virtual time: call_after of zero or less never calls the task inside the initiating call") {
  auto s = scheduler::virtual_time(start);
  std::vector<std::pair<std::string, instant>> log;
  logging_task now{s, log, "now"}, past{s, log, "past"};
  s.call_after(0s, now);
  s.call_at(start - 1h, past);
  CHECK(log.empty());
  s.run();
  using entry = std::pair<std::string, instant>;
  CHECK(log == std::vector<entry>{{"now", start}, {"past", start}});
}

TEST_CASE("virtual time: an exception thrown by a timer task propagates out of run") {
  struct throwing final : stepsim::sim::timer_task {
    void on_timer() override { throw std::runtime_error("task failed"); }
  } t;
  auto s = scheduler::virtual_time(start);
  bool later_ran = false;
  s.call_after(1s, t);
  s.async_sleep(2s, [&](boost::system::error_code) { later_ran = true; });
  CHECK_THROWS_WITH(s.run(), "task failed");
  CHECK(s.now() == start + 1s);
  s.run();
  CHECK(later_ran);
}

TEST_CASE("virtual time: cancelling any of many timers leaves the rest firing in (due, start) order") {
  // 2,000 sleeps with due instants drawn from a few values (many ties);
  // every third one is cancelled at 1 ms. The survivors must fire in the
  // order of (due, start), which exercises removal from inside the heap.
  auto s = scheduler::virtual_time(start);
  stepsim::sim::random_stream r(7);
  constexpr int n = 2000;
  std::vector<asio::cancellation_signal> signals(n);
  std::vector<std::pair<duration, int>> expected;
  std::vector<std::pair<duration, int>> fired;
  int aborted = 0;
  for (int i = 0; i < n; ++i) {
    const duration d = std::chrono::milliseconds{10 * r.uniform_int(1, 20)};
    if (i % 3 != 0) expected.emplace_back(d, i);
    s.async_sleep(d, asio::bind_cancellation_slot(signals[i].slot(), [&, d, i](boost::system::error_code ec) {
                    if (ec == asio::error::operation_aborted) ++aborted;
                    else fired.emplace_back(d, i);
                  }));
  }
  s.async_sleep(1ms, [&](boost::system::error_code) {
    for (int i = 0; i < n; i += 3) signals[i].emit(asio::cancellation_type::terminal);
    CHECK(s.pending_timers() == expected.size());
  });
  s.run();
  std::sort(expected.begin(), expected.end());
  CHECK(aborted == (n + 2) / 3);
  CHECK(fired == expected);
}

TEST_CASE("real time: call_after calls the task after the scaled wait") {
  auto s = scheduler::real_time(start, 1000.0);
  std::vector<std::pair<std::string, instant>> log;
  logging_task t{s, log, "t"};
  s.call_after(2s, t);
  s.run();
  REQUIRE(log.size() == 1);
  CHECK(log[0].second - start >= 2s);
}

TEST_CASE("real time: at speed 1000 a 2 s sleep takes about 2 ms and moves the clock 2 s") {
  auto s = scheduler::real_time(start, 1000.0);
  CHECK(s.mode() == stepsim::sim::time_mode::real_time);
  bool done = false;
  instant woke{};
  auto body = [&]() -> asio::awaitable<void> {
    co_await s.sleep(2s);
    woke = s.now();
    done = true;
  };
  spawn(s, body());
  const auto t0 = std::chrono::steady_clock::now();
  s.run();
  const auto wall = std::chrono::steady_clock::now() - t0;
  CHECK(done);
  CHECK(woke - start >= 2s);
  CHECK(wall >= 2ms);
  CHECK(wall < 1s);
}

TEST_CASE("real time: the losing sleep of || completes with operation_aborted promptly") {
  using namespace asio::experimental::awaitable_operators;
  auto s = scheduler::real_time(start, 1000.0);
  std::size_t winner = 99;
  auto body = [&]() -> asio::awaitable<void> {
    auto r = co_await (s.sleep(24h) || s.sleep(1s));
    winner = r.index();
  };
  spawn(s, body());
  const auto t0 = std::chrono::steady_clock::now();
  s.run();
  CHECK(winner == 1);
  // 24 h at speed 1000 would be 86 s of wall time.
  CHECK(std::chrono::steady_clock::now() - t0 < 10s);
}
