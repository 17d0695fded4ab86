#include "lambda/pool.hpp"

#include <catch2/catch.hpp>

using namespace std::chrono_literals;
namespace lambda = stepsim::lambda;
namespace sim = stepsim::sim;

namespace {

const sim::instant t0{sim::duration{1704067200000000}};

struct pool_fixture {
  lambda::collecting_sink sink;
  lambda::pool pool{"F", std::nullopt};
  std::uint64_t next = 0;
  pool_fixture() { pool.sink = &sink; }
  lambda::container make(sim::instant at) { return pool.create(++next, at, false, false); }
};

}  // namespace

TEST_CASE("pool: a request takes the most recently used idle environment", "[lambda][pool]") {
  pool_fixture p;
  auto a = p.make(t0), b = p.make(t0);
  p.pool.idle_until(a, t0 + 10min);
  p.pool.idle_until(b, t0 + 10min);
  auto got = p.pool.take_idle(t0 + 1s);
  REQUIRE(got);
  CHECK(got->id == b.id);
  CHECK(p.pool.alive() == 2);
  CHECK(p.pool.idle() == 1);
}

TEST_CASE("pool: a provisioned idle environment is taken before an on-demand one", "[lambda][pool]") {
  pool_fixture p;
  auto a = p.make(t0);
  p.pool.idle_until(a, t0 + 10min);
  p.pool.idle_provisioned(p.pool.create(99, t0, true, false));
  auto got = p.pool.take_idle(t0 + 1s);
  REQUIRE(got);
  CHECK(got->id == 99);
  CHECK(got->provisioned);
}

TEST_CASE("pool: an expired environment is reaped at its expiry instant, not when noticed", "[lambda][pool]") {
  pool_fixture p;
  auto a = p.make(t0);
  p.pool.idle_until(a, t0 + 10min);
  CHECK_FALSE(p.pool.take_idle(t0 + 1h));
  CHECK(p.pool.alive() == 0);
  REQUIRE(p.sink.containers.size() == 1);
  CHECK(*p.sink.containers[0].reaped == t0 + 10min);
  CHECK(p.sink.containers[0].reason == "keep-alive");
}

TEST_CASE("pool: max_lifetime cuts a keep-alive short and is named as the reason", "[lambda][pool]") {
  lambda::collecting_sink sink;
  lambda::pool pool("F", 30min);
  pool.sink = &sink;
  auto c = pool.create(1, t0, false, false);
  CHECK_FALSE(pool.past_lifetime(c, t0 + 29min));
  CHECK(pool.past_lifetime(c, t0 + 30min));
  pool.idle_until(c, t0 + 25min + 10min);
  pool.sweep(t0 + 31min);
  REQUIRE(sink.containers.size() == 1);
  CHECK(*sink.containers[0].reaped == t0 + 30min);
  CHECK(sink.containers[0].reason == "lifetime");
}

TEST_CASE("pool: sweep_all finds an expired environment behind an unexpired one, sweep does not", "[lambda][pool]") {
  pool_fixture p;
  auto a = p.make(t0), b = p.make(t0);
  p.pool.idle_until(a, t0 + 20min);  // least recently used, expires last
  p.pool.idle_until(b, t0 + 5min);
  p.pool.sweep(t0 + 10min);
  CHECK(p.pool.alive() == 2);
  p.pool.sweep_all(t0 + 10min);
  CHECK(p.pool.alive() == 1);
  REQUIRE(p.sink.containers.size() == 1);
  CHECK(p.sink.containers[0].id == b.id);
}

TEST_CASE("pool: finish reports the idle environments as alive, with the requests they served", "[lambda][pool]") {
  pool_fixture p;
  auto a = p.make(t0);
  a.invocations = 3;
  p.pool.idle_until(a, t0 + 10min);
  p.pool.finish(t0 + 1min);
  REQUIRE(p.sink.containers.size() == 1);
  CHECK_FALSE(p.sink.containers[0].reaped);
  CHECK(p.sink.containers[0].reason.empty());
  CHECK(p.sink.containers[0].invocations == 3);
  CHECK(p.pool.idle() == 0);
}
