// scheduler::run_until and run_for: stopping a simulation at an instant.
#include <stepsim/sim/scheduler.hpp>

#include <catch2/catch.hpp>

#include <vector>

using namespace std::chrono_literals;
using stepsim::sim::duration;
using stepsim::sim::instant;
using stepsim::sim::scheduler;

namespace {
const instant t0{duration{1704067200000000}};  // 2024-01-01T00:00:00Z
}

TEST_CASE("run_until fires the timers due up to the instant, inclusive, and leaves the later ones pending") {
  auto s = scheduler::virtual_time(t0);
  std::vector<int> fired;
  s.async_sleep(5s, [&](boost::system::error_code) { fired.push_back(5); });
  s.async_sleep(10s, [&](boost::system::error_code) { fired.push_back(10); });
  s.async_sleep(11s, [&](boost::system::error_code) { fired.push_back(11); });
  s.run_until(t0 + 10s);
  CHECK(fired == std::vector<int>{5, 10});
  CHECK(s.now() == t0 + 10s);
  CHECK(s.pending_timers() == 1);
  s.run();
  CHECK(fired == std::vector<int>{5, 10, 11});
  CHECK(s.now() == t0 + 11s);
}

TEST_CASE("run_until moves the clock to the instant when nothing is due before it") {
  auto s = scheduler::virtual_time(t0);
  s.run_until(t0 + 1h);
  CHECK(s.now() == t0 + 1h);
  s.run_until(t0 + 1s);  // an instant in the past leaves the clock where it is
  CHECK(s.now() == t0 + 1h);
}

TEST_CASE("run_for advances the clock by the duration from now, in steps") {
  auto s = scheduler::virtual_time(t0);
  int fired = 0;
  s.async_sleep(90s, [&](boost::system::error_code) { ++fired; });
  s.run_for(60s);
  CHECK(fired == 0);
  CHECK(s.now() == t0 + 60s);
  s.run_for(60s);
  CHECK(fired == 1);
  CHECK(s.now() == t0 + 120s);
}
