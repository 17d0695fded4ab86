// The memory and CPU model of include/stepsim/lambda/function.hpp: vcpu_share, cpu_speed, threads, init_cpu_ms
// (their validation is in function.cpp).
#include <stepsim/lambda/function.hpp>

#include <stepsim/lambda/service.hpp>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

using namespace std::chrono_literals;
namespace lambda = stepsim::lambda;
namespace sim = stepsim::sim;
using lambda::latency;

namespace {

/// One sample of a run that is CPU-bound only: `cpu_ms` on `threads` threads at `memory_mb`.
sim::duration cpu_run(double cpu_ms, int threads, int memory_mb) {
  lambda::run_model m;
  m.cpu_ms = cpu_ms;
  m.threads = threads;
  sim::random_stream r(1);
  return m.sample(memory_mb, r);
}

sim::duration ms(double v) { return sim::duration(std::llround(v * 1000)); }

/// The init duration of one cold start of `f` on the simulated service.
sim::duration cold_init(lambda::function_config f) {
  auto sched = sim::scheduler::virtual_time(sim::instant{});
  lambda::service svc{sched, sim::rng(1)};
  f.name = "F";
  svc.add(f);
  lambda::collecting_sink sink;
  svc.set_sink(&sink);
  svc.async_invoke("F", boost::json::value(), [](boost::system::error_code, lambda::invocation_result) {});
  sched.run();
  REQUIRE(sink.invocations.size() == 1);
  CHECK(sink.invocations[0].cold);
  return sink.invocations[0].init;
}

}  // namespace

TEST_CASE("vcpu_share is memory over 1,769 MB: one vCPU at 1,769 MB, 5.79 at 10,240 MB", "[lambda][cpu]") {
  CHECK(lambda::vcpu_share(1769) == 1.0);
  CHECK(lambda::vcpu_share(3538) == 2.0);
  CHECK(lambda::vcpu_share(128) == Approx(0.07236).epsilon(1e-3));
  CHECK(lambda::vcpu_share(10240) == Approx(5.7886).epsilon(1e-4));
}

TEST_CASE("cpu_speed below 1,769 MB is the vCPU share whatever the threads", "[lambda][cpu]") {
  CHECK(lambda::cpu_speed(128, 1) == lambda::vcpu_share(128));
  CHECK(lambda::cpu_speed(128, 8) == lambda::vcpu_share(128));
  CHECK(lambda::cpu_speed(1024, 4) == lambda::vcpu_share(1024));
}

TEST_CASE("cpu_speed above 1,769 MB: single-threaded code stays at one vCPU", "[lambda][cpu]") {
  CHECK(lambda::cpu_speed(1769, 1) == 1.0);
  CHECK(lambda::cpu_speed(3008, 1) == 1.0);
  CHECK(lambda::cpu_speed(10240, 1) == 1.0);
  CHECK(lambda::cpu_speed(10240, 0) == 1.0);  // fewer than one thread counts as one
}

TEST_CASE("cpu_speed above 1,769 MB: multi-threaded code uses up to its threads' worth of vCPUs", "[lambda][cpu]") {
  CHECK(lambda::cpu_speed(3538, 2) == 2.0);
  CHECK(lambda::cpu_speed(3538, 4) == 2.0);           // limited by the share
  CHECK(lambda::cpu_speed(10240, 2) == 2.0);          // limited by the threads
  CHECK(lambda::cpu_speed(10240, 6) == lambda::vcpu_share(10240));
  CHECK(lambda::cpu_speed(10240, 64) == lambda::vcpu_share(10240));  // at most 5.79 vCPUs
}

TEST_CASE("run_model: the CPU part of a single-threaded run is as fast at 10,240 MB as at 1,769 MB", "[lambda][cpu]") {
  CHECK(cpu_run(1000, 1, 1769) == 1000ms);
  CHECK(cpu_run(1000, 1, 10240) == 1000ms);
  CHECK(cpu_run(1000, 1, 885) == ms(1000.0 * 1769 / 885));
}

TEST_CASE("run_model: the CPU part of a 4-thread run is 4 times faster at 7,076 MB than at 1,769 MB", "[lambda][cpu]") {
  CHECK(cpu_run(1000, 4, 1769) == 1000ms);
  CHECK(cpu_run(1000, 4, 3538) == 500ms);
  CHECK(cpu_run(1000, 4, 7076) == 250ms);
  CHECK(cpu_run(1000, 4, 10240) == 250ms);  // no fifth thread to use the fifth vCPU
  CHECK(cpu_run(1000, 8, 10240) == ms(1000 / lambda::vcpu_share(10240)));
}

TEST_CASE("run_model: the part that does not scale stays the same at every memory size", "[lambda][cpu]") {
  lambda::run_model m;
  m.duration = latency::constant(30);
  m.io = latency::constant(70);
  m.cpu_ms = 100;
  m.threads = 2;
  sim::random_stream r(1);
  CHECK(m.sample(128, r) == ms(100 + 100.0 * 1769 / 128));
  CHECK(m.sample(1769, r) == 200ms);
  CHECK(m.sample(3538, r) == 150ms);
  CHECK(m.sample(10240, r) == 150ms);
}

TEST_CASE("init_addition scales init_cpu_ms as single-threaded code and adds init_extra_ms", "[lambda][cpu]") {
  lambda::function_config f;
  f.name = "F";
  f.init_extra_ms = 10;
  f.init_cpu_ms = 100;
  f.run.threads = 6;  // the handler's threads do not speed up init
  f.memory_mb = 1769;
  CHECK(f.init_addition() == 110ms);
  f.memory_mb = 10240;
  CHECK(f.init_addition() == 110ms);
  f.memory_mb = 128;
  CHECK(f.init_addition() == ms(10 + 100.0 * 1769 / 128));
}

TEST_CASE("a cold start's init is the init sample plus the scaled init_cpu_ms", "[lambda][cpu]") {
  lambda::function_config f;
  f.init = latency::constant(50);
  f.init_cpu_ms = 200;
  f.memory_mb = 1769;
  CHECK(cold_init(f) == 250ms);
  f.memory_mb = 512;
  CHECK(cold_init(f) == ms(50 + 200.0 * 1769 / 512));
}
