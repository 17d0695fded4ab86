#include <stepsim/tasks/task_token.hpp>

#include <stepsim/sim/scheduler.hpp>

#include <boost/asio/co_spawn.hpp>
#include <catch2/catch.hpp>

#include <optional>
#include <string>

using stepsim::tasks::token_table;
namespace json = boost::json;

TEST_CASE("token_table: tokens are unique, readable and the same on every rerun", "[tasks][task_token]") {
  auto sched = stepsim::sim::scheduler::virtual_time(stepsim::sim::instant{});
  token_table a, b;
  auto [t1, w1] = a.issue(sched.get_executor(), "run-1", "Approve");
  auto [t2, w2] = a.issue(sched.get_executor(), "run-1", "Approve");
  CHECK(t1 == "0000000000000001:run-1:Approve");
  CHECK(t2 == "0000000000000002:run-1:Approve");
  CHECK(b.issue(sched.get_executor(), "run-1", "Approve").first == t1);
  CHECK(a.lookup(t1) == w1);
  CHECK(a.lookup("no-such-token") == nullptr);
  a.forget(t1);
  CHECK(a.lookup(t1) == nullptr);
  CHECK(a.lookup(t2) == w2);
}

TEST_CASE("token_table: a completion is taken once, and only for a token it issued", "[tasks][task_token]") {
  auto sched = stepsim::sim::scheduler::virtual_time(stepsim::sim::instant{});
  token_table t;
  auto [ok, w_ok] = t.issue(sched.get_executor(), "e", "A");
  auto [bad, w_bad] = t.issue(sched.get_executor(), "e", "B");
  int beats = 0;
  w_ok->heartbeat = [&] { ++beats; };

  CHECK_FALSE(t.send_success("unknown", json::value(1)));
  CHECK(t.send_heartbeat(ok));
  CHECK(beats == 1);
  CHECK(t.send_success(ok, json::value(42)));
  CHECK_FALSE(t.send_success(ok, json::value(43)));          // already completed
  CHECK_FALSE(t.send_failure(ok, "E", "too late"));
  CHECK_FALSE(t.send_heartbeat(ok));
  CHECK(*w_ok->output == json::value(42));

  CHECK(t.send_failure(bad, "Approval.Denied", "no"));
  REQUIRE(w_bad->failure);
  CHECK(w_bad->failure->error() == "Approval.Denied");
  CHECK(w_bad->failure->cause() == "no");
}

TEST_CASE("token_table: wait_for resumes the waiter when its token completes", "[tasks][task_token]") {
  auto sched = stepsim::sim::scheduler::virtual_time(stepsim::sim::instant{});
  token_table t;
  auto [token, w] = t.issue(sched.get_executor(), "e", "Wait");
  std::optional<std::int64_t> got;
  boost::asio::co_spawn(
      sched.get_executor(),
      [&, w = w]() -> boost::asio::awaitable<void> {
        co_await stepsim::tasks::wait_for(w);
        got = w->output->as_int64();
      },
      [](std::exception_ptr e) {
        if (e) std::rethrow_exception(e);
      });
  boost::asio::co_spawn(
      sched.get_executor(),
      [&, token = token]() -> boost::asio::awaitable<void> {
        co_await sched.sleep(std::chrono::seconds(5));
        CHECK_FALSE(got);  // still waiting
        CHECK(t.send_success(token, json::value(7)));
      },
      [](std::exception_ptr e) {
        if (e) std::rethrow_exception(e);
      });
  sched.run();
  CHECK(got == 7);
  CHECK(sched.now() == stepsim::sim::instant{} + std::chrono::seconds(5));
}
