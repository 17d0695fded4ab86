#include <stepsim/lambda/keep_alive.hpp>

#include <stepsim/lambda/service.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <memory>
#include <vector>

using namespace std::chrono_literals;
namespace asio = boost::asio;
namespace lambda = stepsim::lambda;
namespace sim = stepsim::sim;

namespace {

const sim::instant t0{sim::duration{1704067200000000}};  // 2024-01-01T00:00:00Z

/// Feeds `n` arrivals of F spaced by `gap` to `p` and returns its plan after the last.
lambda::idle_plan plan_after(lambda::keep_alive_policy& p, int n, sim::duration gap) {
  auto t = t0;
  for (int i = 0; i < n; ++i, t += gap) p.on_invocation("F", t);
  sim::random_stream r(1);
  return p.plan("F", t, r);
}

}  // namespace

TEST_CASE("fixed_keep_alive keeps every idle container 10 minutes by default", "[lambda][keep_alive]") {
  lambda::fixed_keep_alive p;
  sim::random_stream r(1);
  auto plan = p.plan("F", t0, r);
  CHECK(plan.keep_alive == 10min);
  CHECK_FALSE(plan.prewarm_after);
  CHECK(lambda::fixed_keep_alive(90s).plan("F", t0, r).keep_alive == 90s);
}

TEST_CASE("random_keep_alive draws each idle period's keep-alive from its distribution", "[lambda][keep_alive]") {
  lambda::random_keep_alive p(lambda::latency::uniform(60000, 120000));
  sim::random_stream r(9), same(9);
  for (int i = 0; i < 100; ++i) {
    auto plan = p.plan("F", t0, r);
    CHECK(plan.keep_alive == lambda::latency::uniform(60000, 120000).sample(same));
    CHECK((plan.keep_alive >= 60s && plan.keep_alive <= 120s));
    CHECK_FALSE(plan.prewarm_after);
  }
}

TEST_CASE("hybrid histogram keeps the whole 4-hour range for a function it has not seen", "[lambda][keep_alive]") {
  lambda::hybrid_histogram_keep_alive p;
  sim::random_stream r(1);
  auto plan = p.plan("F", t0, r);
  CHECK(plan.keep_alive == 4h);
  CHECK_FALSE(plan.prewarm_after);
}

TEST_CASE("hybrid histogram falls back to the whole range with fewer than 10 idle times", "[lambda][keep_alive]") {
  lambda::hybrid_histogram_keep_alive p;
  auto plan = plan_after(p, 10, 30min);  // 9 idle times
  CHECK(plan.keep_alive == 4h);
  CHECK_FALSE(plan.prewarm_after);
}

TEST_CASE("hybrid histogram pre-warms at the 5th percentile minus 10% and keeps to the 99th plus 10%",
          "[lambda][keep_alive]") {
  lambda::hybrid_histogram_keep_alive p;
  auto plan = plan_after(p, 11, 30min);  // 10 idle times of 30 min: all in bin 30
  // Head: bin 30 starts at 30 min, minus 10% = 27 min. Tail: bin 30 ends at 31 min,
  // plus 10% = 34.1 min, so the keep-alive window after the pre-warm is 7.1 min.
  REQUIRE(plan.prewarm_after);
  CHECK(*plan.prewarm_after == 27min);
  CHECK(plan.keep_alive == 426s);
}

TEST_CASE("hybrid histogram does not pre-warm when idle times fall in the first minute", "[lambda][keep_alive]") {
  lambda::hybrid_histogram_keep_alive p;
  auto plan = plan_after(p, 20, 20s);  // all idle times in bin 0
  CHECK_FALSE(plan.prewarm_after);
  CHECK(plan.keep_alive == 66s);  // bin 0 ends at 1 min, plus 10%
}

TEST_CASE("hybrid histogram falls back when the idle-time pattern is not representative", "[lambda][keep_alive]") {
  lambda::hybrid_histogram_keep_alive p;
  // One idle time in each of bins 1..100: the bin counts' coefficient of variation is about 1.2 (< 2).
  auto t = t0;
  p.on_invocation("F", t);
  for (int k = 1; k <= 100; ++k) {
    t += std::chrono::minutes(k) + 30s;
    p.on_invocation("F", t);
  }
  sim::random_stream r(1);
  auto plan = p.plan("F", t, r);
  CHECK(plan.keep_alive == 4h);
  CHECK_FALSE(plan.prewarm_after);
}

TEST_CASE("hybrid histogram falls back when most idle times are beyond the range", "[lambda][keep_alive]") {
  lambda::hybrid_histogram_keep_alive p;
  auto plan = plan_after(p, 12, 5h);
  CHECK(plan.keep_alive == 4h);
  CHECK_FALSE(plan.prewarm_after);
}

TEST_CASE("hybrid histogram keeps a separate histogram per function", "[lambda][keep_alive]") {
  lambda::hybrid_histogram_keep_alive p;
  plan_after(p, 11, 30min);
  sim::random_stream r(1);
  CHECK(p.plan("G", t0, r).keep_alive == 4h);
  CHECK(p.plan("F", t0, r).prewarm_after == 27min);
}

TEST_CASE("hybrid histogram settings change the bins and percentiles", "[lambda][keep_alive]") {
  lambda::hybrid_histogram_keep_alive::settings s;
  s.bin = 10s;
  s.bins = 60;  // 10 minutes
  s.margin = 0;
  s.min_samples = 3;
  lambda::hybrid_histogram_keep_alive p(s);
  auto plan = plan_after(p, 4, 125s);  // 3 idle times in bin 12 (120-130 s)
  REQUIRE(plan.prewarm_after);
  CHECK(*plan.prewarm_after == 120s);
  CHECK(plan.keep_alive == 10s);
}

TEST_CASE("In the service the hybrid policy unloads after each request and pre-loads before the next",
          "[lambda][keep_alive]") {
  auto sched = sim::scheduler::virtual_time(t0);
  lambda::service_config cfg;
  cfg.max_lifetime.reset();  // container 1 lives past the default 4 hours
  lambda::service svc{sched, sim::rng(1), cfg};
  lambda::collecting_sink sink;
  svc.set_sink(&sink);
  svc.set_keep_alive(std::make_shared<lambda::hybrid_histogram_keep_alive>());
  lambda::function_config f;
  f.name = "F";
  f.init = lambda::latency::constant(100);
  f.run.duration = lambda::latency::constant(200);
  svc.add(f);
  // A request every 30 minutes, 12 in all.
  for (int k = 0; k < 12; ++k)
    asio::co_spawn(sched.get_executor(), [&svc, &sched, k]() -> asio::awaitable<void> {
      co_await sched.sleep(std::chrono::minutes(30 * k));
      co_await svc.invoke("F", nullptr);
    }, asio::detached);
  asio::co_spawn(sched.get_executor(), sched.sleep(400min), asio::detached);
  sched.run();
  svc.finish();
  REQUIRE(sink.invocations.size() == 12);
  CHECK(sink.invocations[0].cold);
  for (int k = 1; k < 12; ++k) CHECK_FALSE(sink.invocations[k].cold);
  for (int k = 0; k < 11; ++k) CHECK(sink.invocations[k].container == 1);
  CHECK(sink.invocations[11].container == 2);  // the pre-loaded one
  REQUIRE(sink.containers.size() == 3);
  // Container 1 served requests 0..10 with the 4-hour fallback; after request 10
  // (10 idle times seen) it is unloaded as soon as it goes idle.
  CHECK(sink.containers[0].id == 1);
  CHECK(*sink.containers[0].reaped == t0 + 300min + 200ms);
  // Container 2 is loaded 27 min later, ready after its 100 ms init, and serves request 11.
  CHECK(sink.containers[1].id == 2);
  CHECK(sink.containers[1].prewarmed);
  CHECK(sink.containers[1].created == t0 + 327min + 200ms);
  CHECK(sink.containers[1].ready == t0 + 327min + 300ms);
  CHECK(*sink.containers[1].reaped == t0 + 330min + 200ms);
  // Container 3 is pre-loaded after request 11 and, with no request, reaped after 7.1 min.
  CHECK(sink.containers[2].created == t0 + 357min + 200ms);
  CHECK(*sink.containers[2].reaped == t0 + 357min + 300ms + 426s);
  CHECK(sink.containers[2].reason == "keep-alive");
}

namespace {

/// A user policy: keeps containers of "Hot" an hour and every other function 1 s.
class per_function_keep_alive : public lambda::keep_alive_policy {
 public:
  lambda::idle_plan plan(std::string const& function, sim::instant, sim::random_stream&) override {
    return {function == "Hot" ? sim::duration(1h) : sim::duration(1s), std::nullopt};
  }
};

}  // namespace

TEST_CASE("A keep_alive_policy subclass decides every idle container's keep-alive", "[lambda][keep_alive]") {
  auto sched = sim::scheduler::virtual_time(t0);
  lambda::service svc{sched, sim::rng(1)};
  lambda::collecting_sink sink;
  svc.set_sink(&sink);
  svc.set_keep_alive(std::make_shared<per_function_keep_alive>());
  for (auto name : {"Hot", "Cold"}) {
    lambda::function_config f;
    f.name = name;
    f.init = lambda::latency::constant(100);
    f.run.duration = lambda::latency::constant(200);
    svc.add(f);
  }
  for (auto name : {"Hot", "Cold"})
    asio::co_spawn(sched.get_executor(), [&svc, name]() -> asio::awaitable<void> { co_await svc.invoke(name, nullptr); },
                   asio::detached);
  asio::co_spawn(sched.get_executor(), sched.sleep(10s), asio::detached);
  sched.run();
  svc.finish();
  REQUIRE(sink.containers.size() == 2);
  for (auto const& c : sink.containers) {
    if (c.function == "Hot") CHECK_FALSE(c.reaped);  // still warm when the run ended at 10 s
    else CHECK(*c.reaped == t0 + 300ms + 1s);
  }
}
