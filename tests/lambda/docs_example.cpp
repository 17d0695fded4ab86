// The example of docs/lambda.md, compiled and run: keep the two identical
// (between the "docs:begin" and "docs:end" lines).
#include <stepsim/lambda/service.hpp>

#include <catch2/catch.hpp>

// docs:begin
#include <stepsim/asl/parse.hpp>
#include <stepsim/engine/engine.hpp>
#include <stepsim/lambda/prewarm.hpp>
#include <stepsim/lambda/service.hpp>
#include <stepsim/tasks/lambda_tasks.hpp>

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
