#include <stepsim/lambda/prewarm.hpp>

#include <stepsim/asl/parse.hpp>
#include <stepsim/engine/engine.hpp>
#include <stepsim/task_adapters/lambda_tasks.hpp>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <string>

using namespace std::chrono_literals;
namespace json = boost::json;
namespace lambda = stepsim::lambda;
namespace sim = stepsim::sim;
namespace asl = stepsim::asl;
namespace engine = stepsim::engine;
namespace tasks = stepsim::tasks;

namespace {

const sim::instant t0{sim::duration{1704067200000000}};  // 2024-01-01T00:00:00Z

constexpr char const* four_steps = R"({"StartAt": "Step1", "States": {
  "Step1": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:S1", "Next": "Step2"},
  "Step2": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:S2", "Next": "Step3"},
  "Step3": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:S3", "Next": "Step4"},
  "Step4": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:S4", "End": true}}})";

/// A 4-step workflow over functions S1..S4 (init 100 ms, run 200 ms, constant)
/// on an engine whose hooks drive a prewarmer in `mode`.
struct workflow {
  sim::scheduler sched = sim::scheduler::virtual_time(t0);
  lambda::service svc{sched, sim::rng(1)};
  lambda::collecting_sink sink;
  tasks::registry registry;
  lambda::prewarmer prewarmer;
  engine::engine eng;

  explicit workflow(lambda::prewarm_mode mode)
      : prewarmer(svc, mode), eng(sched, registry, hooks(prewarmer)) {
    svc.set_sink(&sink);
    for (auto name : {"S1", "S2", "S3", "S4"}) {
      lambda::function_config f;
      f.name = name;
      f.init = lambda::latency::constant(100);
      f.run.duration = lambda::latency::constant(200);
      svc.add(f);
    }
    tasks::bind_lambda(registry, svc);
  }
  static engine::engine_options hooks(lambda::prewarmer& p) {
    engine::engine_options o;
    o.on_execution_started = [&p](asl::state_machine const& top, std::string const&) { p.execution_started(top); };
    o.on_state_entered = [&p](asl::state_machine const& m, asl::state const& s) { p.state_entered(m, s); };
    return o;
  }
  engine::execution_result run(char const* definition = four_steps) {
    return eng.run(asl::parse_or_throw(definition), json::object{{"order", 1}});
  }
  int request_cold_starts() const {
    int n = 0;
    for (auto const& r : sink.invocations) n += r.cold;
    return n;
  }
};

asl::state task(std::string resource, std::string parameters = "") {
  auto def = R"({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": ")" + resource + "\"" +
             (parameters.empty() ? "" : ", \"Parameters\": " + parameters) + R"(, "End": true}}})";
  return asl::parse_or_throw(def)->at(0);
}

}  // namespace

TEST_CASE("parse_prewarm_mode reads none, next-step and at-start only", "[lambda][prewarm]") {
  lambda::prewarm_mode m = lambda::prewarm_mode::none;
  CHECK(lambda::parse_prewarm_mode("next-step", m));
  CHECK(m == lambda::prewarm_mode::next_step);
  CHECK(lambda::parse_prewarm_mode("at-start", m));
  CHECK(m == lambda::prewarm_mode::at_start);
  CHECK(lambda::parse_prewarm_mode("none", m));
  CHECK(m == lambda::prewarm_mode::none);
  CHECK_FALSE(lambda::parse_prewarm_mode("next_step", m));
  CHECK(m == lambda::prewarm_mode::none);
}

TEST_CASE("lambda_function_of names the function a Task calls", "[lambda][prewarm]") {
  CHECK(lambda::lambda_function_of(task("arn:aws:lambda:us-east-1:123456789012:function:Charge")) == "Charge");
  CHECK(lambda::lambda_function_of(task("arn:aws:lambda:us-east-1:123456789012:function:Charge:prod")) == "Charge");
  CHECK(lambda::lambda_function_of(task("arn:aws:states:::lambda:invoke",
                                        R"({"FunctionName": "Charge", "Payload.$": "$"})")) == "Charge");
  CHECK(lambda::lambda_function_of(
            task("arn:aws:states:::lambda:invoke",
                 R"({"FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:Charge:$LATEST"})")) == "Charge");
  CHECK(lambda::lambda_function_of(task("arn:aws:states:::lambda:invoke", R"({"FunctionName.$": "$.fn"})")) == "");
  CHECK(lambda::lambda_function_of(task("arn:aws:states:::sqs:sendMessage")) == "");
  auto pass = asl::parse_or_throw(R"({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}})");
  CHECK(lambda::lambda_function_of(pass->at(0)) == "");
}

TEST_CASE("Without pre-warming the first execution of a 4-step workflow pays 4 cold starts", "[lambda][prewarm]") {
  workflow w(lambda::prewarm_mode::none);
  auto r = w.run();
  REQUIRE(r.succeeded());
  CHECK(*r.stop_date - r.start_date == 1200ms);  // 4 x (100 ms init + 200 ms run)
  CHECK(w.request_cold_starts() == 4);
}

TEST_CASE("At-start pre-warming overlaps the later steps' cold starts with the first step", "[lambda][prewarm]") {
  workflow w(lambda::prewarm_mode::at_start);
  auto r = w.run();
  REQUIRE(r.succeeded());
  // S1's pre-warmed environment is still initializing when Step1 asks, so Step1
  // starts one of its own; S2..S4 were ready at 100 ms and run warm.
  CHECK(*r.stop_date - r.start_date == 900ms);
  CHECK(w.request_cold_starts() == 1);
  REQUIRE(w.sink.invocations.size() == 4);
  for (int i = 1; i < 4; ++i) CHECK_FALSE(w.sink.invocations[i].cold);
  CHECK(w.svc.containers("S1") == 2);
  CHECK(w.svc.containers("S4") == 1);
}

TEST_CASE("Next-step pre-warming makes every step after the first warm", "[lambda][prewarm]") {
  workflow w(lambda::prewarm_mode::next_step);
  auto r = w.run();
  REQUIRE(r.succeeded());
  CHECK(*r.stop_date - r.start_date == 900ms);
  CHECK(w.request_cold_starts() == 1);
  REQUIRE(w.sink.invocations.size() == 4);
  CHECK(w.sink.invocations[0].cold);
  for (int i = 1; i < 4; ++i) CHECK_FALSE(w.sink.invocations[i].cold);
  // Step k+1's environment starts when step k is entered: S2 at 0, S3 at 300 ms, S4 at 500 ms.
  CHECK(w.sink.invocations[1].requested == t0 + 300ms);
  CHECK(w.sink.invocations[2].requested == t0 + 500ms);
  CHECK(w.sink.invocations[3].requested == t0 + 700ms);
  CHECK(w.svc.containers("S1") == 1);
}

TEST_CASE("A second execution after pre-warming starts no new environments", "[lambda][prewarm]") {
  workflow w(lambda::prewarm_mode::next_step);
  w.run();
  auto r = w.run();
  REQUIRE(r.succeeded());
  CHECK(*r.stop_date - r.start_date == 800ms);
  CHECK(w.request_cold_starts() == 1);
  for (auto name : {"S1", "S2", "S3", "S4"}) CHECK(w.svc.containers(name) == 1);
}

TEST_CASE("Next-step pre-warming reads the literal FunctionName of lambda:invoke Tasks", "[lambda][prewarm]") {
  workflow w(lambda::prewarm_mode::next_step);
  auto r = w.run(R"({"StartAt": "A", "States": {
    "A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
          "Parameters": {"FunctionName": "S1", "Payload.$": "$.order"}, "Next": "B"},
    "B": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
          "Parameters": {"FunctionName": "S2", "Payload.$": "$.Payload"}, "End": true}}})");
  REQUIRE(r.succeeded());
  CHECK(*r.stop_date - r.start_date == 500ms);
  REQUIRE(w.sink.invocations.size() == 2);
  CHECK(w.sink.invocations[0].cold);
  CHECK_FALSE(w.sink.invocations[1].cold);
}
