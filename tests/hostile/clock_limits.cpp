// Hostile times: seconds that do not fit the clock, and waits past its end.
#include <stepsim/sim/time.hpp>

#include <stepsim/sim/scheduler.hpp>

#include <catch2/catch.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include <cmath>
#include <limits>

namespace sim = stepsim::sim;
using sim::duration;
using sim::instant;

namespace {

// 2024-01-01T00:00:00Z
const instant start{duration{1704067200000000}};

struct note_time : sim::timer_task {
  sim::scheduler* s = nullptr;
  instant at{};
  int calls = 0;
  void on_timer() override { at = s->now(), ++calls; }
};

}  // namespace

TEST_CASE("seconds_to_duration rounds to the nearest microsecond, halves away from zero", "[hostile][sim]") {
  CHECK(sim::seconds_to_duration(1.5) == duration{1500000});
  CHECK(sim::seconds_to_duration(0.0000015) == duration{2});
  CHECK(sim::seconds_to_duration(-0.0000015) == duration{-2});
  CHECK(sim::seconds_to_duration(0.0000004) == duration{0});
  CHECK(sim::seconds_to_duration(0.0000025) == duration{3});
  CHECK(sim::milliseconds_to_duration(2.0005) == duration{2001});
  CHECK(sim::milliseconds_to_duration(0.0004) == duration{0});
}

TEST_CASE("seconds_to_duration refuses what does not fit: 1e308, 1e13, infinities, NaN", "[hostile][sim]") {
  double const inf = std::numeric_limits<double>::infinity();
  for (double s : {1e308, -1e308, 1e13, 9000000000000.0, 100000000000.5, inf, -inf, std::nan("")}) {
    INFO(s);
    CHECK_FALSE(sim::seconds_to_duration(s));
    CHECK_FALSE(sim::milliseconds_to_duration(s * 1000));
  }
  CHECK(sim::seconds_to_duration(1e11) == duration{100000000000000000});
  CHECK(sim::seconds_to_duration(-1e11) == duration{-100000000000000000});
  CHECK(sim::milliseconds_to_duration(1e14) == duration{100000000000000000});
  CHECK(sim::seconds_range() ==
        "a finite number of seconds between -100000000000 and 100000000000 (about 3,168 years)");
}

TEST_CASE("saturating conversions clamp to the range instead of overflowing", "[hostile][sim]") {
  double const inf = std::numeric_limits<double>::infinity();
  CHECK(sim::saturating_seconds(1e308) == duration{100000000000000000});
  CHECK(sim::saturating_seconds(inf) == duration{100000000000000000});
  CHECK(sim::saturating_seconds(-inf) == duration{-100000000000000000});
  CHECK(sim::saturating_seconds(std::nan("")) == duration{0});
  CHECK(sim::saturating_milliseconds(1e300) == duration{100000000000000000});
  CHECK(sim::saturating_add(instant::max() - duration{5}, duration{10}) == instant::max());
  CHECK(sim::saturating_add(instant::min() + duration{5}, duration{-10}) == instant::min());
  CHECK(sim::saturating_sub(instant::max(), instant::min()) == duration::max());
  CHECK(sim::saturating_sub(instant::min(), instant::max()) == duration::min());
  CHECK(sim::saturating_sub(start, start - duration{3}) == duration{3});
}

TEST_CASE("parse_iso8601 stays inside the clock's range of years 0000 to 9999", "[hostile][sim]") {
  CHECK(sim::parse_iso8601("0000-01-01T00:00:00Z") == sim::earliest_instant);
  CHECK(sim::parse_iso8601("9999-12-31T23:59:59.999999Z") == sim::latest_instant);
  // An offset that moves the instant past either end.
  CHECK_FALSE(sim::parse_iso8601("9999-12-31T23:59:59-01:00"));
  CHECK_FALSE(sim::parse_iso8601("0000-01-01T00:00:00+01:00"));
  CHECK(sim::format_iso8601(sim::latest_instant) == "9999-12-31T23:59:59.999Z");
}

TEST_CASE("virtual time: a timer too far away to name fires at the end of time, never in the past", "[hostile][sim]") {
  // Before 1970, where `instant::max() - now()` itself overflows.
  auto s = sim::scheduler::virtual_time(instant{duration{-1000}});
  note_time far, farther;
  far.s = farther.s = &s;
  s.call_after(duration::max(), far);
  s.call_at(instant::max(), farther);
  s.run();
  CHECK(far.calls == 1);
  CHECK(farther.calls == 1);
  // -1000 us plus the longest duration fits exactly; instant::max() is not
  // reachable by a delay from before 1970, so the end of time is 1 ms short of it.
  CHECK(far.at == instant::max() - duration{1000});
  CHECK(farther.at == instant::max() - duration{1000});

  // From 2024 the same delay passes the end of the tick type: it saturates.
  auto later = sim::scheduler::virtual_time(start);
  note_time last;
  last.s = &later;
  later.call_after(duration::max(), last);
  later.run();
  CHECK(last.at == instant::max());
}

TEST_CASE("virtual time: sleep_until the earliest instant completes at once from any clock", "[hostile][sim]") {
  auto s = sim::scheduler::virtual_time(instant::max() - duration{1});
  bool woke = false;
  auto body = [&]() -> boost::asio::awaitable<void> {
    co_await s.sleep_until(instant::min());
    woke = true;
  };
  boost::asio::co_spawn(s.get_executor(), body(), boost::asio::detached);
  s.run();
  CHECK(woke);
  CHECK(s.now() == instant::max() - duration{1});
}

TEST_CASE("saturating duration arithmetic clamps products and sums", "[hostile][sim]") {
  CHECK(sim::saturating_mul(duration{2000000000000000}, 10000000) == duration::max());
  CHECK(sim::saturating_mul(duration{-2000000000000000}, 10000000) == duration::min());
  CHECK(sim::saturating_mul(duration{3}, -4) == duration{-12});
  CHECK(sim::saturating_add(duration::max(), duration{1}) == duration::max());
  CHECK(sim::saturating_add(duration::min(), duration{-1}) == duration::min());
}
