#include <stepsim/lambda/pricing.hpp>

#include <stepsim/lambda/service.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/json.hpp>
#include <catch2/catch.hpp>

using namespace std::chrono_literals;
namespace asio = boost::asio;
namespace lambda = stepsim::lambda;
namespace sim = stepsim::sim;

namespace {

lambda::function_config function(int memory_mb, lambda::architecture arch = lambda::architecture::x86_64) {
  lambda::function_config f;
  f.name = "F";
  f.memory_mb = memory_mb;
  f.arch = arch;
  return f;
}

/// The record of one cold invocation (init 100 ms, run 200 ms) under `p`.
lambda::invocation_record cold_invocation(lambda::prices p) {
  auto sched = sim::scheduler::virtual_time(sim::instant{});
  lambda::service_config cfg;
  cfg.pricing = p;
  lambda::service svc{sched, sim::rng(1), cfg};
  auto f = function(1024);
  f.init = lambda::latency::constant(100);
  f.run.duration = lambda::latency::constant(200);
  svc.add(f);
  lambda::invocation_record rec;
  asio::co_spawn(sched.get_executor(), [&]() -> asio::awaitable<void> {
    rec = (co_await svc.invoke("F", nullptr)).record;
  }, asio::detached);
  sched.run();
  return rec;
}

constexpr double request = 0.20 / 1e6;

}  // namespace

TEST_CASE("billed_ms rounds up to the next millisecond", "[lambda][pricing]") {
  CHECK(lambda::billed_ms(0us) == 0);
  CHECK(lambda::billed_ms(-5us) == 0);
  CHECK(lambda::billed_ms(1us) == 1);
  CHECK(lambda::billed_ms(1000us) == 1);
  CHECK(lambda::billed_ms(1001us) == 2);
  CHECK(lambda::billed_ms(300800us) == 301);
}

TEST_CASE("A request costs $0.20 per million plus GB-seconds at the x86 price", "[lambda][pricing]") {
  lambda::prices p;
  CHECK(lambda::invocation_cost(p, function(128), 0, false) == Approx(request).epsilon(1e-12));
  // 1,000 ms at 128 MB = 0.125 GB-s.
  CHECK(lambda::invocation_cost(p, function(128), 1000, false) == Approx(request + 0.125 * 0.0000166667).epsilon(1e-12));
  CHECK(lambda::invocation_cost(p, function(1024), 1000, false) == Approx(request + 0.0000166667).epsilon(1e-12));
}

TEST_CASE("Arm64 GB-seconds cost 20% less than x86", "[lambda][pricing]") {
  lambda::prices p;
  auto arm = function(2048, lambda::architecture::arm64);
  CHECK(lambda::invocation_cost(p, arm, 500, false) == Approx(request + 1.0 * 0.0000133334).epsilon(1e-12));
  CHECK(p.gb_second_arm64 / p.gb_second_x86_64 == Approx(0.8).epsilon(1e-5));
}

TEST_CASE("Requests served by provisioned environments pay the lower duration price", "[lambda][pricing]") {
  lambda::prices p;
  CHECK(lambda::invocation_cost(p, function(1024), 1000, true) == Approx(request + 0.0000097222).epsilon(1e-12));
  CHECK(lambda::invocation_cost(p, function(1024, lambda::architecture::arm64), 1000, true) ==
        Approx(request + 0.0000077778).epsilon(1e-12));
}

TEST_CASE("Provisioned concurrency costs GB-seconds of environments kept ready", "[lambda][pricing]") {
  lambda::prices p;
  // 2 environments x 1 GB x 3,600 s.
  CHECK(lambda::provisioned_cost(p, function(1024), 2, 1h) == Approx(2 * 3600 * 0.0000041667).epsilon(1e-12));
  CHECK(lambda::provisioned_cost(p, function(512, lambda::architecture::arm64), 1, 10s) ==
        Approx(0.5 * 10 * 0.0000033334).epsilon(1e-12));
  CHECK(lambda::provisioned_cost(p, function(1024), 0, 1h) == 0);
}

TEST_CASE("A cold start bills init as duration by default", "[lambda][pricing]") {
  auto r = cold_invocation({});
  CHECK(r.billed_ms == 300);
  CHECK(r.cost == Approx(request + 0.3 * 0.0000166667).epsilon(1e-12));
}

TEST_CASE("With bill_init off a cold start bills only the run", "[lambda][pricing]") {
  lambda::prices p;
  p.bill_init = false;
  auto r = cold_invocation(p);
  CHECK(r.init == 100ms);
  CHECK(r.billed_ms == 200);
  CHECK(r.cost == Approx(request + 0.2 * 0.0000166667).epsilon(1e-12));
}

TEST_CASE("A Standard workflow costs $0.025 per 1,000 state transitions", "[lambda][pricing]") {
  lambda::prices p;
  CHECK(lambda::standard_workflow_cost(p, 1000) == Approx(0.025).epsilon(1e-12));
  CHECK(lambda::standard_workflow_cost(p, 4) == Approx(0.0001).epsilon(1e-12));
  CHECK(lambda::standard_workflow_cost(p, 0) == 0);
}

TEST_CASE("An Express workflow costs $1 per million plus 64 MB GB-seconds in 100 ms increments", "[lambda][pricing]") {
  lambda::prices p;
  // 150 ms bills two increments: 0.2 s x 0.0625 GB.
  CHECK(lambda::express_workflow_cost(p, 150ms) == Approx(1e-6 + 0.2 * 0.0625 * 0.00001667).epsilon(1e-12));
  CHECK(lambda::express_workflow_cost(p, 100ms) == Approx(1e-6 + 0.1 * 0.0625 * 0.00001667).epsilon(1e-12));
  CHECK(lambda::express_workflow_cost(p, 100001us) == lambda::express_workflow_cost(p, 200ms));
  CHECK(lambda::express_workflow_cost(p, 0us) == Approx(1e-6).epsilon(1e-12));
}
