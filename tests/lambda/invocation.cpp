#include "lambda/invocation.hpp"

#include <catch2/catch.hpp>

#include <deque>
#include <vector>

using namespace std::chrono_literals;
namespace lambda = stepsim::lambda;
namespace sim = stepsim::sim;

namespace {

const sim::instant t0{sim::duration{1704067200000000}};

/// The invocation steps alone: completed calls are collected, no Asio handler involved.
struct steps final : lambda::invoker {
  struct done {
    lambda::invocation_result res;
    bool from_timer;
    sim::instant at;
  };
  std::vector<done> completions;
  std::deque<lambda::call> calls;
  std::vector<std::pair<sim::duration, sim::duration>> prewarms;

  explicit steps(sim::scheduler& s, lambda::service_config c = {}) : invoker(s, sim::rng(1), std::move(c)) {}
  void completed(lambda::call& cl, bool from_timer) override {
    completions.push_back({std::move(cl.res), from_timer, scheduler().now()});
  }
  void prewarm_later(lambda::function_state&, sim::duration after, sim::duration keep) override {
    prewarms.emplace_back(after, keep);
  }
  void invoke(std::string_view fn) {
    auto& cl = calls.emplace_back();
    cl.owner = this;
    arrive(cl, fn);
  }
};

lambda::function_config f_100_200() {
  lambda::function_config f;
  f.name = "F";
  f.init = lambda::latency::constant(100);
  f.run.duration = lambda::latency::constant(200);
  return f;
}

}  // namespace

TEST_CASE("invoker: a cold request inits, runs, is billed and completes from the scheduler", "[lambda][invocation]") {
  auto sched = sim::scheduler::virtual_time(t0);
  steps s(sched);
  s.add(f_100_200());
  s.invoke("F");
  CHECK(s.completions.empty());
  sched.run();
  REQUIRE(s.completions.size() == 1);
  auto const& d = s.completions[0];
  CHECK(d.from_timer);
  CHECK(d.at == t0 + 300ms);
  CHECK(d.res.record.cold);
  CHECK(d.res.record.init == 100ms);
  CHECK(d.res.record.run == 200ms);
  CHECK(d.res.record.started == t0 + 100ms);
  CHECK(d.res.record.billed_ms == 300);
  CHECK(s.lookup("F")->pool.alive() == 1);
  CHECK(s.lookup("F")->pool.idle() == 1);
}

TEST_CASE("invoker: an unknown function and a throttled request complete inside arrive", "[lambda][invocation]") {
  auto sched = sim::scheduler::virtual_time(t0);
  lambda::service_config c;
  c.account_concurrency = 1;
  steps s(sched, c);
  s.add(f_100_200());
  s.invoke("G");
  REQUIRE(s.completions.size() == 1);
  CHECK(s.completions[0].res.result == lambda::outcome::not_found);
  CHECK_FALSE(s.completions[0].from_timer);
  s.invoke("F");
  s.invoke("F");
  REQUIRE(s.completions.size() == 2);
  CHECK(s.completions[1].res.result == lambda::outcome::throttled);
  CHECK(s.completions[1].res.error == "Lambda.TooManyRequestsException");
  sched.run();
  CHECK(s.completions.size() == 3);
}

TEST_CASE("invoker: each environment counts the requests it served", "[lambda][invocation]") {
  auto sched = sim::scheduler::virtual_time(t0);
  steps s(sched);
  lambda::collecting_sink sink;
  s.set_sink(&sink);
  s.add(f_100_200());
  s.invoke("F");
  sched.run();
  s.invoke("F");
  sched.run();
  s.invoke("F");
  sched.run();
  s.finish();
  REQUIRE(sink.containers.size() == 1);
  CHECK(sink.containers[0].invocations == 3);
  CHECK(sink.invocations.size() == 3);
}

TEST_CASE("invoker: a pre-warming keep-alive unloads the environment and asks for a fresh one",
          "[lambda][invocation]") {
  struct prewarming : lambda::keep_alive_policy {
    lambda::idle_plan plan(std::string const&, sim::instant, sim::random_stream&) override { return {5min, 1min}; }
  };
  auto sched = sim::scheduler::virtual_time(t0);
  steps s(sched);
  lambda::collecting_sink sink;
  s.set_sink(&sink);
  s.set_keep_alive(std::make_shared<prewarming>());
  s.add(f_100_200());
  s.invoke("F");
  sched.run();
  REQUIRE(s.prewarms.size() == 1);
  CHECK(s.prewarms[0] == std::pair<sim::duration, sim::duration>(1min, 5min));
  REQUIRE(sink.containers.size() == 1);
  CHECK(sink.containers[0].reason == "keep-alive");
  CHECK(s.lookup("F")->pool.alive() == 0);
  auto [c, init] = s.start_warming(*s.lookup("F"));
  CHECK(init == 100ms);
  CHECK(c.prewarmed);
  CHECK(s.lookup("F")->warming == 1);
  s.warmed(*s.lookup("F"), c, 5min);
  CHECK(s.lookup("F")->warming == 0);
  CHECK(s.lookup("F")->pool.idle() == 1);
}
