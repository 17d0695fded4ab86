// The callback pattern (.waitForTaskToken), heartbeats and task tokens.
#include <stepsim/engine/engine.hpp>

#include "engine/harness.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <catch2/catch.hpp>

using namespace std::chrono_literals;
using stepsim::engine::execution_status;
using stepsim::test::harness;
using stepsim::test::iso;
using stepsim::test::t0;
namespace json = boost::json;
namespace asio = boost::asio;
namespace tasks = stepsim::tasks;
namespace engine = stepsim::engine;
namespace sim = stepsim::sim;

namespace {

constexpr char const* callback = R"({"StartAt": "Ask", "States": {"Ask": {"Type": "Task",
    "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
    "Parameters": {"QueueUrl": "q", "MessageBody": {"token.$": "$$.Task.Token", "order.$": "$.order"}}, %EXTRA%
    "End": true}}})";

std::string with(std::string_view extra) {
  std::string d = callback;
  d.replace(d.find("%EXTRA%"), 7, std::string(extra));
  return d;
}

/// Runs `definition` with a plain handler that remembers the message it was
/// sent, and calls `reply(engine, token)` at `at` seconds of simulated time.
template <typename Reply>
engine::execution_result run_with_reply(std::string const& definition, sim::duration at, Reply reply,
                                        json::value* sent = nullptr) {
  harness h;
  json::value message;
  h.tasks.add("arn:aws:states:::sqs:sendMessage.waitForTaskToken", [&](json::value const& in) {
    message = in.at("MessageBody");
    return json::value("sent");
  });
  engine::engine eng(h.sched, h.tasks);
  auto ex = eng.start(stepsim::asl::parse_or_throw(definition), json::parse(R"({"order": 42})"));
  asio::co_spawn(h.sched.get_executor(), [&]() -> asio::awaitable<void> {
    co_await h.sched.sleep(at);
    reply(eng, std::string(message.at("token").as_string()));
  }, asio::detached);
  h.sched.run();
  if (sent) *sent = message;
  return ex->result();
}

}  // namespace

TEST_CASE("A waitForTaskToken Task waits for send_task_success and takes its output", "[engine][callback]") {
  json::value sent;
  auto r = run_with_reply(with(""), 30s, [](engine::engine& e, std::string const& token) {
    CHECK(e.send_task_success(token, json::object{{"approved", true}}));
    CHECK_FALSE(e.send_task_success(token, json::value()));  // already completed
  }, &sent);
  REQUIRE(r.status == execution_status::succeeded);
  CHECK(json::serialize(*r.output) == R"({"approved":true})");
  CHECK(iso(r.stop_date) == "2024-01-01T00:00:30.000Z");
  CHECK(sent.at("order") == 42);
}

TEST_CASE("send_task_failure fails the Task with the given error and cause", "[engine][callback]") {
  auto r = run_with_reply(with(""), 5s, [](engine::engine& e, std::string const& token) {
    CHECK(e.send_task_failure(token, "Order.Rejected", "out of stock"));
  });
  CHECK(r.status == execution_status::failed);
  CHECK(r.error == "Order.Rejected");
  CHECK(r.cause == "out of stock");
  CHECK(iso(r.stop_date) == "2024-01-01T00:00:05.000Z");
}

TEST_CASE("An unknown token is refused", "[engine][callback]") {
  harness h;
  engine::engine eng(h.sched, h.tasks);
  CHECK_FALSE(eng.send_task_success("nope", json::value()));
  CHECK_FALSE(eng.send_task_failure("nope", "E", "c"));
  CHECK_FALSE(eng.send_task_heartbeat("nope"));
}

TEST_CASE("A callback Task without heartbeats past HeartbeatSeconds fails with States.HeartbeatTimeout",
          "[engine][callback]") {
  auto r = run_with_reply(with(R"("HeartbeatSeconds": 10,)"), 60s,
                          [](engine::engine& e, std::string const& token) { e.send_task_success(token, 1); });
  CHECK(r.status == execution_status::failed);
  CHECK(r.error == "States.HeartbeatTimeout");
  CHECK(iso(r.stop_date) == "2024-01-01T00:00:10.000Z");
}

TEST_CASE("send_task_heartbeat keeps a callback Task alive until its TimeoutSeconds", "[engine][callback]") {
  harness h;
  std::string token;
  h.tasks.add("arn:aws:states:::sqs:sendMessage.waitForTaskToken", [&](json::value const& in) {
    token = std::string(in.at("MessageBody").at("token").as_string());
    return json::value();
  });
  engine::engine eng(h.sched, h.tasks);
  auto ex = eng.start(stepsim::asl::parse_or_throw(with(R"("HeartbeatSeconds": 10, "TimeoutSeconds": 35,)")),
                      json::parse(R"({"order": 1})"));
  asio::co_spawn(h.sched.get_executor(), [&]() -> asio::awaitable<void> {
    for (int i = 0; i < 10; ++i) {
      co_await h.sched.sleep(8s);
      eng.send_task_heartbeat(token);
    }
  }, asio::detached);
  h.sched.run();
  CHECK(ex->result().error == "States.Timeout");
  CHECK(iso(ex->result().stop_date) == "2024-01-01T00:00:35.000Z");
}

TEST_CASE("An awaitable handler's heartbeats keep its Task alive", "[engine][heartbeat]") {
  harness h;
  h.tasks.add_async("arn:aws:states:::work", [](tasks::invocation const& inv) -> asio::awaitable<json::value> {
    for (int i = 0; i < 5; ++i) {
      co_await inv.scheduler.sleep(4s);
      inv.send_heartbeat();
    }
    co_return json::value("done");
  });
  auto ok = h.run(R"({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::work",
      "HeartbeatSeconds": 5, "End": true}}})");
  CHECK(ok.status == execution_status::succeeded);
  CHECK(iso(ok.stop_date) == "2024-01-01T00:00:20.000Z");
  auto late = h.run(R"({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::work",
      "HeartbeatSeconds": 3, "End": true}}})");
  CHECK(late.error == "States.HeartbeatTimeout");
  CHECK(iso(late.stop_date) == "2024-01-01T00:00:23.000Z");  // the second run starts at 00:00:20
}

TEST_CASE("The task token is in $$.Task.Token and in the invocation", "[engine][callback]") {
  harness h;
  std::string from_invocation, from_parameters;
  h.tasks.add_async("arn:aws:states:::lambda:invoke.waitForTaskToken",
                    [&](tasks::invocation const& inv) -> asio::awaitable<json::value> {
                      from_invocation = std::string(inv.task_token);
                      from_parameters = std::string(inv.input.at("Payload").at("t").as_string());
                      co_return json::value();
                    });
  engine::engine eng(h.sched, h.tasks);
  auto ex = eng.start(stepsim::asl::parse_or_throw(R"({"StartAt": "T", "States": {"T": {"Type": "Task",
      "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
      "Parameters": {"FunctionName": "f", "Payload": {"t.$": "$$.Task.Token"}}, "TimeoutSeconds": 5, "End": true}}})"),
                      json::object());
  h.sched.run();
  CHECK_FALSE(from_invocation.empty());
  CHECK(from_invocation == from_parameters);
  CHECK(ex->result().error == "States.Timeout");  // nobody answered
}
