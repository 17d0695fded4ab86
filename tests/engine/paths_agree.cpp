// The engine runs states that cannot wait on one call (the synchronous path)
// and everything else as coroutines on the scheduler (the awaitable path).
// These tests run the AWS conformance corpus and the example workflows both
// ways and require the same result and the same history, event for event.
#include <stepsim/engine/engine.hpp>

#include "engine/harness.hpp"

#include <stepsim/asl/parse.hpp>
#include <stepsim/tasks/registry.hpp>

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace asl = stepsim::asl;
namespace engine = stepsim::engine;
namespace sim = stepsim::sim;
namespace tasks = stepsim::tasks;
namespace json = boost::json;

namespace {

std::string slurp(std::filesystem::path const& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

struct workload {
  std::string id;
  std::shared_ptr<asl::state_machine const> machine;
  json::value input;
};

// The corpus has no Task states: these put Tasks where the two paths part (Parallel
// branches, Map iterations, Retry and Catch).
constexpr char const* with_tasks[] = {
    R"({"StartAt": "P", "States": {"P": {"Type": "Parallel", "Next": "M", "Branches": [
      {"StartAt": "T1", "States": {"T1": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:A", "ResultPath": "$.t1", "End": true}}},
      {"StartAt": "T2", "States": {"T2": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:B", "Next": "F"},
                                   "F": {"Type": "Fail", "Error": "E", "Cause": "c"}}}],
      "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.err", "Next": "M"}]},
     "M": {"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 2, "ResultPath": "$.m", "End": true,
           "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:C", "End": true,
             "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 1}]}}}}}})",
    R"({"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [
      {"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:A", "End": true}}},
      {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 5, "Next": "B"},
                                  "B": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:B", "End": true}}}]}}})",
};

// Every JSONPath and JSONata case of the corpus that stepsim accepts, every example workflow, and with_tasks.
std::vector<workload> corpus() {
  std::vector<workload> out;
  std::istringstream lines(slurp(STEPSIM_SOURCE_DIR "/tests/conformance/cases.jsonl"));
  for (std::string line; std::getline(lines, line);) {
    if (line.empty()) continue;
    auto c = json::parse(line).as_object();
    auto parsed = asl::parse(json::serialize(c.at("definition")));
    if (!parsed.machine) continue;  // the cases AWS refused, and those listed as expected failures
    out.push_back({std::string(c.at("id").as_string()), parsed.machine, c.at("input")});
  }
  for (auto const* d : with_tasks)
    out.push_back({"with_tasks", asl::parse_or_throw(d), json::parse(R"({"items": [1, 2, 3]})")});
  for (auto const& f : std::filesystem::directory_iterator(STEPSIM_SOURCE_DIR "/examples/workflows")) {
    auto name = f.path().filename().string();
    if (!name.ends_with(".asl.json")) continue;
    auto parsed = asl::parse(slurp(f.path()));
    if (!parsed.machine) continue;  // broken.asl.json shows validation
    auto input_file = f.path().parent_path() / (name.substr(0, name.size() - 9) + ".input.json");
    out.push_back({name, parsed.machine,
                   std::filesystem::exists(input_file) ? json::parse(slurp(input_file)) : json::value(json::object{})});
  }
  return out;
}

enum class handlers { plain, awaitable };

struct variant {
  handlers kind;
  bool overhead_hook;  // a transition_overhead of zero: no time, but every transition goes through the scheduler
};

// Result and full history as text, one event a line.
std::string run(workload const& w, variant v) {
  sim::scheduler sched = sim::scheduler::virtual_time(stepsim::test::t0);
  tasks::registry tasks;
  if (v.kind == handlers::plain) {
    tasks.add("*", [](json::value const& in) { return in; });
  } else {
    tasks.add_async("*", [](tasks::invocation const& inv) -> boost::asio::awaitable<json::value> { co_return inv.input; });
  }
  engine::engine_options opts;
  if (v.overhead_hook) opts.transition_overhead = [](sim::random_stream&) { return sim::duration{0}; };
  engine::engine eng(sched, tasks, opts);
  engine::execution_options xo;
  xo.name = "run";
  xo.history = engine::history_level::full;
  xo.max_transitions = 5000;
  auto r = eng.run(w.machine, w.input, xo);
  std::string out = fmt::format("status {} error {} cause {}\noutput {}\n", engine::to_string(r.status),
                                r.error.value_or("-"), r.cause.value_or("-"),
                                r.output ? json::serialize(*r.output) : "-");
  for (auto const& e : r.events) out += json::serialize(e.to_json()) + "\n";
  return out;
}

}  // namespace

TEST_CASE("The corpus and the examples run alike with plain and awaitable handlers, with and without an overhead hook") {
  auto all = corpus();
  REQUIRE(all.size() > 400);
  std::size_t tasks_run = 0;
  for (auto const& w : all) {
    INFO(w.id);
    auto reference = run(w, {handlers::plain, false});
    CHECK(run(w, {handlers::plain, true}) == reference);
    CHECK(run(w, {handlers::awaitable, false}) == reference);
    CHECK(run(w, {handlers::awaitable, true}) == reference);
    tasks_run += reference.find("TaskStateEntered") != std::string::npos;
  }
  CHECK(tasks_run >= 5);  // the examples' and the ones above
}

namespace {

// A Parallel whose second branch reaches a callback Task with no Retry or Wait before it.
constexpr char const* parallel_callback = R"({"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true,
  "Branches": [
    {"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": "a", "End": true}}},
    {"StartAt": "B", "States": {"B": {"Type": "Pass", "Next": "Ask"},
      "Ask": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
              "Parameters": {"token.$": "$$.Task.Token"}, "End": true}}}]}}})";

}  // namespace

TEST_CASE("A Parallel branch that reaches a waitForTaskToken Task waits for its token instead of failing") {
  sim::scheduler sched = sim::scheduler::virtual_time(stepsim::test::t0);
  tasks::registry tasks;
  std::string token;
  tasks.add("arn:aws:states:::sqs:sendMessage.waitForTaskToken", [&](json::value const& in) {
    token = std::string(in.at("token").as_string());
    return json::value("sent");
  });
  engine::engine eng(sched, tasks);
  auto ex = eng.start(asl::parse_or_throw(parallel_callback), json::object{});
  sched.run_for(std::chrono::hours(1));
  REQUIRE(ex->result().status == engine::execution_status::running);
  REQUIRE_FALSE(token.empty());
  CHECK(eng.send_task_success(token, "answer"));
  sched.run();
  CHECK(ex->result().status == engine::execution_status::succeeded);
  CHECK(ex->result().output == json::parse(R"(["a", "answer"])"));
}

TEST_CASE("A Parallel branch Task with TimeoutSeconds and an awaitable handler times out in the branch") {
  sim::scheduler sched = sim::scheduler::virtual_time(stepsim::test::t0);
  tasks::registry tasks;
  tasks.add_async("slow", [](tasks::invocation const& inv) -> boost::asio::awaitable<json::value> {
    co_await inv.scheduler.sleep(std::chrono::seconds(10));
    co_return json::value("late");
  });
  engine::engine eng(sched, tasks);
  auto r = eng.run(asl::parse_or_throw(R"({"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true,
    "Branches": [{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "slow", "TimeoutSeconds": 3,
                                                   "End": true}}}]}}})"),
                   json::object{});
  CHECK(r.status == engine::execution_status::failed);
  CHECK(r.error == "States.Timeout");
}
