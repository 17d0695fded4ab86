// The examples of docs/lambda.md, compiled and run. Each block between a
// "docs:begin" and a "docs:end" line appears verbatim in the doc (checked below).
#include <stepsim/lambda/service.hpp>

#include "examples/golden.hpp"

#include <catch2/catch.hpp>

#include <string>

// docs:begin
#include <stepsim/asl/parse.hpp>
#include <stepsim/engine/engine.hpp>
#include <stepsim/lambda/prewarm.hpp>
#include <stepsim/lambda/service.hpp>
#include <stepsim/task_adapters/lambda_tasks.hpp>

#include <boost/json.hpp>

using namespace stepsim;
using namespace std::chrono_literals;

struct example_result {
  std::uint64_t cold_starts;
  sim::duration first, second;
  double lambda_cost;
};

example_result run_example() {
  auto sched = sim::scheduler::virtual_time(sim::instant{});
  lambda::service svc{sched, sim::rng(42)};  // random streams from seed 42
  lambda::aggregate_sink totals;             // per-function totals only
  svc.set_sink(&totals);

  lambda::function_config checkout;
  checkout.name = "Checkout";
  checkout.memory_mb = 512;
  checkout.runtime = "nodejs20.x";  // init: lognormal, median 140 ms
  checkout.run.duration = lambda::latency::constant(120);
  checkout.handler = [](boost::json::value const& in) -> boost::json::value {
    if (in.at("items").as_array().empty()) throw lambda::function_error("EmptyCart", "nothing to buy");
    return {{"total", 42}};
  };
  svc.add(checkout);

  lambda::function_config notify;
  notify.name = "Notify";
  notify.init = lambda::latency::lognormal(100, 0.2);
  notify.run.duration = lambda::latency::exponential(80);
  svc.add(notify);

  tasks::registry registry;
  tasks::bind_lambda(registry, svc);  // Lambda ARNs and arn:aws:states:::lambda:invoke
  lambda::prewarmer prewarm{svc, lambda::prewarm_mode::next_step};
  engine::engine_options options;
  options.on_state_entered = [&](asl::state_machine const& m, asl::state const& s) { prewarm.state_entered(m, s); };
  engine::engine eng{sched, registry, options};

  auto machine = asl::parse_or_throw(R"({"StartAt": "Checkout", "States": {
    "Checkout": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:Checkout",
                 "Retry": [{"ErrorEquals": ["Lambda.TooManyRequestsException"], "MaxAttempts": 5}],
                 "Catch": [{"ErrorEquals": ["EmptyCart"], "Next": "Rejected"}], "Next": "Notify"},
    "Notify": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
               "Parameters": {"FunctionName": "Notify", "Payload.$": "$"}, "End": true},
    "Rejected": {"Type": "Fail", "Error": "EmptyCart"}}})");

  auto input = boost::json::parse(R"({"items": ["book"]})");
  auto first = eng.run(machine, input);   // Checkout cold; Notify pre-warmed meanwhile
  auto second = eng.run(machine, input);  // both warm
  svc.finish();

  std::uint64_t cold = 0;
  double cost = 0;
  for (auto const& [name, t] : totals.functions) cold += t.cold, cost += t.cost;
  return {cold, *first.stop_date - first.start_date, *second.stop_date - second.start_date, cost};
}
// docs:end

TEST_CASE("The docs/lambda.md example runs: one cold start, then everything warm", "[lambda][docs]") {
  auto r = run_example();
  CHECK(r.cold_starts == 1);
  CHECK(r.first > r.second);
  CHECK(r.second >= 120ms);
  CHECK(r.lambda_cost > 0);
}

// docs:begin
#include <stepsim/lambda/service.hpp>

#include <memory>
#include <vector>

using namespace stepsim;

/// One user in a closed loop: invokes "Resize", waits for the result, thinks
/// for 2 s, and invokes again, `rounds` times in all.
struct user final : sim::timer_task {
  sim::scheduler& sched;
  lambda::service& svc;
  int rounds_left;
  int cold_starts = 0;

  user(sim::scheduler& s, lambda::service& v, int rounds) : sched(s), svc(v), rounds_left(rounds) {}

  void on_timer() override {  // thinking is over: send the next request
    svc.async_invoke("Resize", boost::json::value(), [this](boost::system::error_code, lambda::invocation_result r) {
      cold_starts += r.record.cold;
      if (--rounds_left > 0) sched.call_after(std::chrono::seconds(2), *this);
    });
  }
};

/// Cold starts paid by `users` users who start `stagger` apart.
int closed_loop_cold_starts(int users, sim::duration stagger) {
  auto sched = sim::scheduler::virtual_time(sim::instant{});
  lambda::service svc{sched, sim::rng(7)};
  lambda::function_config resize;
  resize.name = "Resize";
  resize.init = lambda::latency::constant(100);
  resize.run.duration = lambda::latency::constant(300);
  svc.add(resize);

  std::vector<std::unique_ptr<user>> all;
  for (int i = 0; i < users; ++i) {
    all.push_back(std::make_unique<user>(sched, svc, 5));
    sched.call_after(i * stagger, *all.back());
  }
  sched.run();
  int cold = 0;
  for (auto const& u : all) cold += u->cold_starts;
  return cold;
}
// docs:end

TEST_CASE("The docs/lambda.md closed loop pays one cold start per request in flight in its first round",
          "[lambda][docs]") {
  // A cold request takes 400 ms. Users 150 ms apart: the first three overlap
  // (0-400, 150-550, 300-700 ms), the fourth, at 450 ms, finds the first
  // one's environment idle, and every later round is warm.
  CHECK(closed_loop_cold_starts(10, std::chrono::milliseconds(150)) == 3);
  // 10 s apart, each user's five rounds (0.4 + 4 x 2.3 = 9.6 s) end before
  // the next user starts: one environment serves them all.
  CHECK(closed_loop_cold_starts(10, std::chrono::seconds(10)) == 1);
}

TEST_CASE("docs/lambda.md shows the examples of this file verbatim", "[lambda][docs]") {
  std::string const self = stepsim::test::read_text(STEPSIM_SOURCE_DIR "/tests/lambda/docs_example.cpp");
  std::string const doc = stepsim::test::read_text(STEPSIM_SOURCE_DIR "/docs/lambda.md");
  int blocks = 0;
  for (auto begin = self.find("// docs:begin\n"); begin != std::string::npos;
       begin = self.find("// docs:begin\n", begin + 1)) {
    auto const from = begin + std::string("// docs:begin\n").size();
    auto const to = self.find("// docs:end\n", from);
    REQUIRE(to != std::string::npos);
    INFO("block " << blocks + 1 << " of tests/lambda/docs_example.cpp must appear verbatim in docs/lambda.md");
    CHECK(doc.find(self.substr(from, to - from)) != std::string::npos);
    ++blocks;
  }
  CHECK(blocks == 2);
}
