#include <stepsim/task_adapters/lambda_tasks.hpp>

#include <stepsim/asl/parse.hpp>
#include <stepsim/engine/engine.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <array>
#include <string>
#include <vector>

using namespace std::chrono_literals;
namespace asio = boost::asio;
namespace json = boost::json;
namespace lambda = stepsim::lambda;
namespace sim = stepsim::sim;
namespace asl = stepsim::asl;
namespace engine = stepsim::engine;
namespace tasks = stepsim::tasks;

namespace {

const sim::instant t0{sim::duration{1704067200000000}};  // 2024-01-01T00:00:00Z

/// A Lambda service bound to a registry, and an engine over both.
struct bound {
  sim::scheduler sched = sim::scheduler::virtual_time(t0);
  lambda::service svc{sched, sim::rng(1)};
  lambda::collecting_sink sink;
  tasks::registry registry;
  engine::engine eng{sched, registry};

  bound() {
    svc.set_sink(&sink);
    tasks::bind_lambda(registry, svc);
  }
  /// Adds a function with constant init and run (ms).
  lambda::function_config& add(std::string name, double init_ms = 100, double run_ms = 200) {
    lambda::function_config f;
    f.name = std::move(name);
    f.init = lambda::latency::constant(init_ms);
    f.run.duration = lambda::latency::constant(run_ms);
    pending = f;
    return pending;
  }
  void commit() { svc.add(pending); }
  engine::execution_result run(std::string_view definition, std::string_view input = "{}") {
    return eng.run(asl::parse_or_throw(definition), json::parse(input));
  }
  lambda::function_config pending;
};

}  // namespace

TEST_CASE("A Task with a function ARN invokes it and its result is the function's result", "[lambda][tasks]") {
  bound b;
  b.add("Double").handler = [](json::value const& in) -> json::value {
    return json::object{{"n", in.at("n").to_number<int>() * 2}};
  };
  b.commit();
  auto r = b.run(R"({"StartAt": "T", "States": {"T": {"Type": "Task",
      "Resource": "arn:aws:lambda:us-east-1:123456789012:function:Double", "End": true}}})",
                 R"({"n": 21})");
  REQUIRE(r.succeeded());
  CHECK(*r.output == json::parse(R"({"n": 42})"));
  CHECK(*r.stop_date - r.start_date == 300ms);  // cold: 100 ms init + 200 ms run
  REQUIRE(b.sink.invocations.size() == 1);
  CHECK(b.sink.invocations[0].cold);
}

TEST_CASE("A function ARN with a qualifier invokes the function", "[lambda][tasks]") {
  bound b;
  b.add("F");
  b.commit();
  auto r = b.run(R"({"StartAt": "T", "States": {"T": {"Type": "Task",
      "Resource": "arn:aws:lambda:us-east-1:123456789012:function:F:prod", "End": true}}})",
                 R"({"a": 1})");
  REQUIRE(r.succeeded());
  CHECK(*r.output == json::parse(R"({"a": 1})"));  // no handler: the result is the payload
}

TEST_CASE("lambda:invoke returns ExecutedVersion, Payload, SDK metadata and StatusCode 200", "[lambda][tasks]") {
  bound b;
  b.add("Double").handler = [](json::value const& in) -> json::value { return in.at("n").to_number<int>() * 2; };
  b.commit();
  auto r = b.run(R"({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
      "Parameters": {"FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:Double", "Payload.$": "$"},
      "End": true}}})",
                 R"({"n": 4})");
  REQUIRE(r.succeeded());
  CHECK(*r.output == json::parse(R"({"ExecutedVersion": "$LATEST", "Payload": 8,
      "SdkHttpMetadata": {"HttpStatusCode": 200}, "SdkResponseMetadata": {}, "StatusCode": 200})"));
}

TEST_CASE("lambda:invoke with OutputPath $.Payload passes on the function's result", "[lambda][tasks]") {
  bound b;
  b.add("Echo");
  b.commit();
  auto r = b.run(R"({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
      "Parameters": {"FunctionName": "Echo", "Payload": {"fixed": true}}, "OutputPath": "$.Payload", "End": true}}})");
  REQUIRE(r.succeeded());
  CHECK(*r.output == json::parse(R"({"fixed": true})"));
}

TEST_CASE("lambda:invoke without FunctionName fails with States.TaskFailed", "[lambda][tasks]") {
  bound b;
  auto r = b.run(R"({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
      "Parameters": {"Payload": {}}, "End": true}}})");
  CHECK(r.status == engine::execution_status::failed);
  CHECK(r.error == "States.TaskFailed");
  CHECK(r.cause == "arn:aws:states:::lambda:invoke needs Parameters.FunctionName: the function's name or ARN");
}

TEST_CASE("A function error is caught by a Catch on its errorType with the JSON cause", "[lambda][tasks]") {
  bound b;
  b.add("Order").handler = [](json::value const&) -> json::value {
    throw lambda::function_error("OrderError", "no stock");
  };
  b.commit();
  auto r = b.run(R"({"StartAt": "T", "States": {
      "T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:Order",
            "Catch": [{"ErrorEquals": ["OrderError"], "ResultPath": "$.error", "Next": "Handled"}], "End": true},
      "Handled": {"Type": "Pass", "End": true}}})",
                 R"({"id": 7})");
  REQUIRE(r.succeeded());
  CHECK(r.path == std::vector<std::string>{"T", "Handled"});
  CHECK(*r.output == json::parse(R"({"id": 7, "error": {"Error": "OrderError",
      "Cause": "{\"errorMessage\":\"no stock\",\"errorType\":\"OrderError\",\"stackTrace\":[]}"}})"));
}

TEST_CASE("An uncaught function error fails the execution with the errorType", "[lambda][tasks]") {
  bound b;
  b.add("Order").handler = [](json::value const&) -> json::value {
    throw lambda::function_error("OrderError", "no stock");
  };
  b.commit();
  auto r = b.run(R"({"StartAt": "T", "States": {"T": {"Type": "Task",
      "Resource": "arn:aws:lambda:us-east-1:123456789012:function:Order", "End": true}}})");
  CHECK(r.status == engine::execution_status::failed);
  CHECK(r.error == "OrderError");
  CHECK(r.cause == R"({"errorMessage":"no stock","errorType":"OrderError","stackTrace":[]})");
}

TEST_CASE("Throttling is retried on Lambda.TooManyRequestsException at IntervalSeconds x BackoffRate",
          "[lambda][tasks]") {
  bound b;
  b.add("F", 100, 2500).reserved_concurrency = 1;
  b.commit();
  // Another caller holds F's only slot from 0 to 2.6 s (100 ms init + 2.5 s run).
  asio::co_spawn(b.sched.get_executor(), [&]() -> asio::awaitable<void> { co_await b.svc.invoke("F", nullptr); },
                 asio::detached);
  auto r = b.run(R"({"StartAt": "T", "States": {"T": {"Type": "Task",
      "Resource": "arn:aws:lambda:us-east-1:123456789012:function:F",
      "Retry": [{"ErrorEquals": ["Lambda.TooManyRequestsException"], "IntervalSeconds": 1, "MaxAttempts": 3,
                 "BackoffRate": 2}], "End": true}}})");
  REQUIRE(r.succeeded());
  REQUIRE(b.sink.invocations.size() == 4);
  // Sink order is completion order: the two throttled attempts (0 s, 1 s), the
  // other caller (done at 2.6 s), then the third attempt at 3 s, warm, done at 5.5 s.
  auto const& inv = b.sink.invocations;
  CHECK(inv[0].result == lambda::outcome::throttled);
  CHECK(inv[0].requested == t0);
  CHECK(inv[1].result == lambda::outcome::throttled);
  CHECK(inv[1].requested == t0 + 1s);
  CHECK(inv[2].finished == t0 + 2600ms);
  CHECK(inv[3].result == lambda::outcome::success);
  CHECK(inv[3].requested == t0 + 3s);
  CHECK_FALSE(inv[3].cold);
  CHECK(*r.stop_date == t0 + 5500ms);
}

TEST_CASE("Throttling past the retries fails with Lambda.TooManyRequestsException", "[lambda][tasks]") {
  bound b;
  b.add("F").reserved_concurrency = 0;
  b.commit();
  auto r = b.run(R"({"StartAt": "T", "States": {"T": {"Type": "Task",
      "Resource": "arn:aws:lambda:us-east-1:123456789012:function:F",
      "Retry": [{"ErrorEquals": ["Lambda.TooManyRequestsException"], "IntervalSeconds": 1, "MaxAttempts": 2}],
      "End": true}}})");
  CHECK(r.status == engine::execution_status::failed);
  CHECK(r.error == "Lambda.TooManyRequestsException");
  CHECK(r.cause == "Rate Exceeded.");
  CHECK(*r.stop_date == t0 + 3s);  // attempts at 0, 1 s and 3 s
  CHECK(b.sink.invocations.size() == 3);
}

TEST_CASE("A Task calling an unknown function fails with Lambda.ResourceNotFoundException", "[lambda][tasks]") {
  bound b;
  auto r = b.run(R"({"StartAt": "T", "States": {"T": {"Type": "Task",
      "Resource": "arn:aws:lambda:us-east-1:123456789012:function:Nope", "End": true}}})");
  CHECK(r.status == engine::execution_status::failed);
  CHECK(r.error == "Lambda.ResourceNotFoundException");
  CHECK(r.cause == "Function not found: arn:aws:lambda:us-east-1:123456789012:function:Nope");
}

TEST_CASE("A timed-out function fails with Lambda.Unknown, which States.ALL catches", "[lambda][tasks]") {
  bound b;
  b.add("Slow", 100, 5000);
  b.commit();
  auto r = b.run(R"({"StartAt": "T", "States": {
      "T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:Slow",
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Fallback"}], "End": true},
      "Fallback": {"Type": "Pass", "Result": "fallback", "End": true}}})");
  REQUIRE(r.succeeded());
  CHECK(*r.output == json::value("fallback"));
  CHECK(*r.stop_date == t0 + 3100ms);  // init, then the 3 s timeout
}

TEST_CASE("A Task that times out leaves its function running, whose environment is reused once the run ends",
          "[lambda][tasks]") {
  bound b;
  b.add("Slow", 100, 2000);
  b.commit();
  auto const definition = R"({"StartAt": "T", "States": {
      "T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:Slow",
            "TimeoutSeconds": 1, "End": true}}})";
  auto first = b.run(definition);
  REQUIRE(!first.succeeded());
  CHECK(first.error == "States.Timeout");
  CHECK(*first.stop_date == t0 + 1s);
  // As in AWS, the function ran on to its end and was billed.
  REQUIRE(b.sink.invocations.size() == 1);
  CHECK(b.sink.invocations[0].result == lambda::outcome::success);
  CHECK(b.sink.invocations[0].finished == t0 + 2100ms);
  CHECK(b.svc.in_flight("Slow") == 0);
  auto second = b.run(R"({"StartAt": "T", "States": {"T": {"Type": "Task",
      "Resource": "arn:aws:lambda:us-east-1:123456789012:function:Slow", "End": true}}})");
  REQUIRE(second.succeeded());
  REQUIRE(b.sink.invocations.size() == 2);
  CHECK(!b.sink.invocations[1].cold);
  CHECK(b.sink.invocations[1].container == b.sink.invocations[0].container);
}

// The seed experiment: bursts of executions of a 1-step and a 4-step Lambda
// workflow, 5 s apart. The first burst finds no environment and pays every
// cold start; later bursts find them all warm.
TEST_CASE("Seed experiment: the first burst pays one cold start per step, later bursts none", "[lambda][tasks]") {
  bound b;
  for (auto name : {"Single", "Step1", "Step2", "Step3", "Step4"}) {
    lambda::function_config f;
    f.name = name;
    f.init = lambda::latency::lognormal(250, 0.2);
    f.run.duration = lambda::latency::constant(200);
    b.svc.add(f);
  }
  auto one = asl::parse_or_throw(R"({"StartAt": "Step", "States": {"Step": {"Type": "Task",
      "Resource": "arn:aws:lambda:us-east-1:123456789012:function:Single", "End": true}}})");
  auto four = asl::parse_or_throw(R"({"StartAt": "Step1", "States": {
      "Step1": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:Step1", "Next": "Step2"},
      "Step2": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:Step2", "Next": "Step3"},
      "Step3": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:Step3", "Next": "Step4"},
      "Step4": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:Step4", "End": true}}})");
  constexpr int periods = 5, per_period = 10;
  std::vector<engine::execution_result> done;
  for (int p = 0; p < periods; ++p)
    for (int i = 0; i < per_period; ++i)
      for (auto const& m : {one, four})
        // Near-simultaneous: the burst's executions start 10 ms apart.
        asio::co_spawn(b.sched.get_executor(), [&, m, p, i]() -> asio::awaitable<void> {
          co_await b.sched.sleep(p * 5s + i * 10ms);
          b.eng.start(m, json::object{}, {}, [&](engine::execution_result const& r) { done.push_back(r); });
        }, asio::detached);
  b.sched.run();
  REQUIRE(done.size() == 2 * periods * per_period);
  for (auto const& r : done) CHECK(r.succeeded());
  // Cold starts per period, by workflow.
  std::array<int, periods> single{}, steps{};
  for (auto const& inv : b.sink.invocations) {
    auto p = (inv.requested - t0) / 5s;
    if (inv.cold) ++(inv.function == "Single" ? single : steps)[static_cast<std::size_t>(p)];
  }
  CHECK(single == std::array<int, periods>{10, 0, 0, 0, 0});
  CHECK(steps == std::array<int, periods>{40, 0, 0, 0, 0});
  // A warm 4-step execution takes exactly 4 runs; a cold one adds 4 inits.
  for (auto const& r : done) {
    bool const is_four = r.path.size() == 4;
    auto const took = *r.stop_date - r.start_date;
    if (r.start_date >= t0 + 5s) CHECK(took == (is_four ? 800ms : 200ms));
    else CHECK(took > (is_four ? 800ms + 4 * 100ms : 200ms + 100ms));
  }
  CHECK(b.svc.containers("Single") == 10);
  CHECK(b.svc.containers("Step3") == 10);
}
