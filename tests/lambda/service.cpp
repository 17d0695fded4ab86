#include <stepsim/lambda/service.hpp>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/detached.hpp>
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

using namespace std::chrono_literals;
namespace asio = boost::asio;
namespace json = boost::json;
namespace lambda = stepsim::lambda;
namespace sim = stepsim::sim;

namespace {

const sim::instant t0{sim::duration{1704067200000000}};  // 2024-01-01T00:00:00Z

/// A service with one function "F" (init 100 ms, run 200 ms, both constant),
/// recording everything.
struct fixture {
  sim::scheduler sched = sim::scheduler::virtual_time(t0);
  lambda::service svc;
  lambda::collecting_sink sink;
  std::vector<lambda::invocation_result> results;

  explicit fixture(lambda::function_config f = base(), lambda::service_config cfg = {})
      : svc(sched, sim::rng(1), std::move(cfg)) {
    svc.set_sink(&sink);
    svc.add(std::move(f));
  }
  static lambda::function_config base() {
    lambda::function_config f;
    f.name = "F";
    f.init = lambda::latency::constant(100);
    f.run.duration = lambda::latency::constant(200);
    return f;
  }
  /// Starts `n` invocations of F at the current instant.
  void burst(int n, std::string fn = "F") {
    for (int i = 0; i < n; ++i)
      asio::co_spawn(sched.get_executor(), invoke(fn), asio::detached);
  }
  asio::awaitable<void> invoke(std::string fn) {
    json::value payload = json::object{{"n", 1}};
    auto r = co_await svc.invoke(fn, std::move(payload));
    results.push_back(std::move(r));
  }
  /// Advances the clock to t0 + d, running everything due before.
  void until(sim::duration d) {
    asio::co_spawn(sched.get_executor(), [](sim::scheduler& s, sim::instant t) -> asio::awaitable<void> {
      co_await s.sleep_until(t);
    }(sched, t0 + d), asio::detached);
    sched.run();
  }
  /// Results with this outcome.
  int count(lambda::outcome o) const {
    int n = 0;
    for (auto const& r : results) n += r.result == o;
    return n;
  }
  int count(bool cold) const {
    int n = 0;
    for (auto const& r : results)
      if (r.result == lambda::outcome::success && r.record.cold == cold) ++n;
    return n;
  }
};

}  // namespace

TEST_CASE("Ten simultaneous requests to a cold function create ten containers", "[lambda][service]") {
  fixture fx;
  fx.burst(10);
  fx.until(1s);
  CHECK(fx.count(true) == 10);
  CHECK(fx.svc.containers("F") == 10);
  for (auto const& r : fx.results) {
    CHECK(r.record.init == 100ms);
    CHECK(r.record.finished - r.record.requested == 300ms);
  }
}

TEST_CASE("A second burst 5 s later reuses all ten containers warm", "[lambda][service]") {
  fixture fx;
  fx.burst(10);
  fx.until(5s);
  fx.burst(10);
  fx.until(10s);
  CHECK(fx.count(true) == 10);
  CHECK(fx.count(false) == 10);
  CHECK(fx.svc.containers("F") == 10);
  for (std::size_t i = 10; i < 20; ++i) CHECK(fx.results[i].record.finished - fx.results[i].record.requested == 200ms);
}

TEST_CASE("A burst after the keep-alive creates ten new containers", "[lambda][service]") {
  fixture fx;
  fx.burst(10);
  fx.until(1s);
  fx.until(1s + 10min + 1s);  // default keep-alive: 10 minutes after going idle at 0.3 s
  CHECK(fx.svc.containers("F") == 0);
  fx.burst(10);
  fx.until(20min);
  CHECK(fx.count(true) == 20);
  REQUIRE(fx.sink.containers.size() == 10);  // the first ten, reaped
  for (auto const& c : fx.sink.containers) {
    CHECK(c.reason == "keep-alive");
    CHECK(*c.reaped == t0 + 300ms + 10min);
  }
}

TEST_CASE("Reserved concurrency 3 throttles 7 of 10 simultaneous requests", "[lambda][service]") {
  auto f = fixture::base();
  f.reserved_concurrency = 3;
  fixture fx(f);
  fx.burst(10);
  fx.until(1s);
  int throttled = 0;
  for (auto const& r : fx.results)
    if (r.result == lambda::outcome::throttled) {
      ++throttled;
      CHECK(r.error == "Lambda.TooManyRequestsException");
      CHECK(r.record.finished == t0);
    }
  CHECK(throttled == 7);
  CHECK(fx.count(true) == 3);
}

TEST_CASE("The account concurrency limit throttles requests beyond it", "[lambda][service]") {
  lambda::service_config cfg;
  cfg.account_concurrency = 4;
  fixture fx(fixture::base(), cfg);
  fx.burst(6);
  fx.until(1s);
  CHECK(fx.count(lambda::outcome::success) == 4);
  CHECK(fx.count(lambda::outcome::throttled) == 2);
}

TEST_CASE("Provisioned concurrency serves without init and spills over to on-demand", "[lambda][service]") {
  auto f = fixture::base();
  f.provisioned_concurrency = 2;
  fixture fx(f);
  fx.burst(5);
  fx.until(1s);
  int provisioned = 0;
  for (auto const& r : fx.results) {
    if (r.record.provisioned) {
      ++provisioned;
      CHECK_FALSE(r.record.cold);
      CHECK(r.record.init == 0us);
    }
  }
  CHECK(provisioned == 2);
  CHECK(fx.count(true) == 3);
}

TEST_CASE("A warm request takes the most recently used idle container", "[lambda][service]") {
  fixture fx;
  fx.burst(1);  // container 1, idle at 0.3 s
  fx.until(1s);
  fx.burst(2);  // container 1 again and a new container 2; both idle at 1.3 s (2 at 1.4 s after init)
  fx.until(2s);
  fx.burst(1);
  fx.until(3s);
  auto const& last = fx.results.back().record;
  CHECK_FALSE(last.cold);
  CHECK(last.container == 2);  // container 2 went idle last (1.4 s)
}

TEST_CASE("A run longer than the timeout fails with Lambda.Unknown at the timeout and destroys the container",
          "[lambda][service]") {
  auto f = fixture::base();
  f.run.duration = lambda::latency::constant(5000);
  f.timeout = 3s;
  fixture fx(f);
  fx.burst(1);
  fx.until(10s);
  auto const& r = fx.results.at(0);
  CHECK(r.result == lambda::outcome::timeout);
  CHECK(r.error == "Lambda.Unknown");
  CHECK(r.record.finished == t0 + 100ms + 3s);
  CHECK(r.record.billed_ms == 3100);
  CHECK(fx.svc.containers("F") == 0);
  REQUIRE(fx.sink.containers.size() == 1);
  CHECK(fx.sink.containers[0].reason == "timeout");
}

TEST_CASE("A function error carries its errorType and a JSON cause", "[lambda][service]") {
  auto f = fixture::base();
  f.handler = [](json::value const&) -> json::value { throw lambda::function_error("OrderError", "no stock"); };
  fixture fx(f);
  fx.burst(1);
  fx.until(1s);
  auto const& r = fx.results.at(0);
  CHECK(r.result == lambda::outcome::function_error);
  CHECK(r.error == "OrderError");
  CHECK(r.cause == R"({"errorMessage":"no stock","errorType":"OrderError","stackTrace":[]})");
  CHECK(fx.svc.containers("F") == 1);  // a handled error keeps the container
}

TEST_CASE("An injected fault fails with Lambda.ServiceException without running", "[lambda][service]") {
  auto f = fixture::base();
  f.fault_probability = 1.0;
  fixture fx(f);
  fx.burst(1);
  fx.until(1s);
  CHECK(fx.results.at(0).error == "Lambda.ServiceException");
  CHECK(fx.results.at(0).record.container == 0);
  CHECK(fx.svc.containers("F") == 0);
}

TEST_CASE("An unknown function fails with Lambda.ResourceNotFoundException", "[lambda][service]") {
  fixture fx;
  fx.burst(1, "Nope");
  fx.until(1s);
  CHECK(fx.results.at(0).error == "Lambda.ResourceNotFoundException");
  CHECK(fx.results.at(0).cause == "Function not found: Nope");
}

TEST_CASE("The scaling rate allows 1,000 new environments per 10 s per function", "[lambda][service]") {
  lambda::service_config cfg;
  cfg.account_concurrency = 5000;
  fixture fx(fixture::base(), cfg);
  fx.burst(1200);
  fx.until(1s);
  CHECK(fx.count(lambda::outcome::success) == 1000);
  CHECK(fx.count(lambda::outcome::throttled) == 200);
}

TEST_CASE("Billing rounds up to the millisecond and bills on-demand init", "[lambda][service]") {
  auto f = fixture::base();
  f.init = lambda::latency::constant(100.4);
  f.run.duration = lambda::latency::constant(200.4);
  f.memory_mb = 1024;
  fixture fx(f);
  fx.burst(1);
  fx.until(1s);
  auto const& r = fx.results.at(0).record;
  CHECK(r.billed_ms == 301);  // 300.8 ms rounded up
  CHECK(r.cost == Approx(0.20 / 1e6 + 0.301 * 1.0 * 0.0000166667).epsilon(1e-12));
}

TEST_CASE("Function names resolve from names, qualifiers and ARNs", "[lambda][service]") {
  fixture fx;
  CHECK(fx.svc.find("F"));
  CHECK(fx.svc.find("F:prod"));
  CHECK(fx.svc.find("arn:aws:lambda:us-east-1:123456789012:function:F"));
  CHECK(fx.svc.find("arn:aws:lambda:us-east-1:123456789012:function:F:$LATEST"));
  CHECK(fx.svc.find("123456789012:function:F"));
  CHECK_FALSE(fx.svc.find("G"));
}

TEST_CASE("Invalid function settings are refused with the field named", "[lambda][service]") {
  fixture fx;
  auto f = fixture::base();
  f.name = "G";
  f.memory_mb = 64;
  CHECK_THROWS_WITH(fx.svc.add(f), "function 'G': memory_mb must be 128 to 10240, not 64");
  f.memory_mb = 128;
  f.timeout = 901s;
  CHECK_THROWS_WITH(fx.svc.add(f), "function 'G': timeout must be more than 0 and at most 900 s");
}

TEST_CASE("The same seed gives the same init and run samples", "[lambda][service]") {
  auto run_once = [] {
    auto f = fixture::base();
    f.init = lambda::latency::lognormal(100, 0.2);
    f.run.duration = lambda::latency::exponential(50);
    fixture fx(f);
    fx.burst(5);
    fx.until(5s);
    std::vector<std::int64_t> v;
    for (auto const& r : fx.results) v.push_back((r.record.finished - r.record.requested).count());
    return v;
  };
  CHECK(run_once() == run_once());
}

TEST_CASE("An idle container is reaped when its max_lifetime ends, before its keep-alive", "[lambda][service]") {
  sim::scheduler sched = sim::scheduler::virtual_time(t0);
  lambda::service_config cfg;
  cfg.max_lifetime = 1min;
  lambda::service svc{sched, sim::rng(1), cfg};
  lambda::collecting_sink sink;
  svc.set_sink(&sink);
  svc.add(fixture::base());
  std::vector<lambda::invocation_record> recs;
  for (auto at : {0s, 59s, 61s})
    asio::co_spawn(sched.get_executor(), [&, at]() -> asio::awaitable<void> {
      co_await sched.sleep(at);
      recs.push_back((co_await svc.invoke("F", json::value())).record);
    }, asio::detached);
  sched.run();
  REQUIRE(recs.size() == 3);
  CHECK(recs[0].cold);
  CHECK_FALSE(recs[1].cold);  // idle since 0.3 s, within its lifetime
  CHECK(recs[2].cold);        // container 1 was reaped at 60 s, its lifetime's end
  REQUIRE(sink.containers.size() == 1);
  CHECK(sink.containers[0].id == 1);
  CHECK(sink.containers[0].reason == "lifetime");
  CHECK(*sink.containers[0].reaped == t0 + 60s);
}

TEST_CASE("A container busy when its max_lifetime ends is reaped when its request finishes", "[lambda][service]") {
  sim::scheduler sched = sim::scheduler::virtual_time(t0);
  lambda::service_config cfg;
  cfg.max_lifetime = 1min;
  lambda::service svc{sched, sim::rng(1), cfg};
  lambda::collecting_sink sink;
  svc.set_sink(&sink);
  svc.add(fixture::base());
  for (auto at : {0ms, 59900ms})
    asio::co_spawn(sched.get_executor(), [&, at]() -> asio::awaitable<void> {
      co_await sched.sleep(at);
      co_await svc.invoke("F", json::value());
    }, asio::detached);
  sched.run();
  REQUIRE(sink.containers.size() == 1);
  CHECK(sink.containers[0].reason == "lifetime");
  CHECK(*sink.containers[0].reaped == t0 + 60100ms);
  CHECK(svc.containers("F") == 0);
}

TEST_CASE("Without max_lifetime a container lives as long as it is used", "[lambda][service]") {
  sim::scheduler sched = sim::scheduler::virtual_time(t0);
  lambda::service_config cfg;
  cfg.max_lifetime.reset();
  lambda::service svc{sched, sim::rng(1), cfg};
  svc.add(fixture::base());
  int cold = 0;
  for (int k = 0; k < 100; ++k)  // one request every 5 minutes for 8 h 15 min
    asio::co_spawn(sched.get_executor(), [&, k]() -> asio::awaitable<void> {
      co_await sched.sleep(k * 5min);
      cold += (co_await svc.invoke("F", json::value())).record.cold;
    }, asio::detached);
  sched.run();
  CHECK(cold == 1);
}

TEST_CASE("The default max_lifetime of 4 hours ends a container used every 5 minutes", "[lambda][service]") {
  fixture fx;
  for (int k = 0; k < 100; ++k)
    asio::co_spawn(fx.sched.get_executor(), [&fx, k]() -> asio::awaitable<void> {
      co_await fx.sched.sleep(k * 5min);
      co_await fx.invoke("F");
    }, asio::detached);
  fx.sched.run();
  // Request 48 (at 4 h) finds container 1 past its lifetime: reaped as it went
  // idle after request 47; requests 48 and 96 are cold.
  CHECK(fx.count(true) == 3);
  REQUIRE(fx.sink.containers.size() == 2);
  CHECK(fx.sink.containers[0].reason == "lifetime");
  CHECK(*fx.sink.containers[0].reaped == t0 + 4h);
}

TEST_CASE("containers() counts out expired idle containers whatever their order of expiry", "[lambda][service]") {
  sim::scheduler sched = sim::scheduler::virtual_time(t0);
  lambda::service svc{sched, sim::rng(1)};
  lambda::collecting_sink sink;
  svc.set_sink(&sink);
  // Keep-alives alternate 10 s and 1 s: the second container to go idle expires first.
  struct alternating : lambda::keep_alive_policy {
    int n = 0;
    lambda::idle_plan plan(std::string const&, sim::instant, sim::random_stream&) override {
      return {++n % 2 ? sim::duration(10s) : sim::duration(1s), std::nullopt};
    }
  };
  svc.set_keep_alive(std::make_shared<alternating>());
  svc.add(fixture::base());
  for (int i = 0; i < 2; ++i)
    asio::co_spawn(sched.get_executor(), [&]() -> asio::awaitable<void> { co_await svc.invoke("F", json::value()); },
                   asio::detached);
  asio::co_spawn(sched.get_executor(), sched.sleep(5s), asio::detached);
  sched.run();
  CHECK(svc.containers("F") == 1);
  REQUIRE(sink.containers.size() == 1);
  CHECK(sink.containers[0].id == 2);
  CHECK(*sink.containers[0].reaped == t0 + 1300ms);
}

TEST_CASE("finish reports idle containers whose keep-alive ended as reaped", "[lambda][service]") {
  fixture fx;
  fx.burst(1);
  fx.until(11min);
  fx.svc.finish();
  REQUIRE(fx.sink.containers.size() == 1);
  CHECK(fx.sink.containers[0].reason == "keep-alive");
  CHECK(*fx.sink.containers[0].reaped == t0 + 300ms + 10min);
}

TEST_CASE("aggregate_sink totals a service's invocations and containers", "[lambda][service]") {
  sim::scheduler sched = sim::scheduler::virtual_time(t0);
  lambda::service svc{sched, sim::rng(1)};
  lambda::aggregate_sink agg;
  svc.set_sink(&agg);
  svc.add(fixture::base());
  for (int k = 0; k < 3; ++k)
    asio::co_spawn(sched.get_executor(), [&, k]() -> asio::awaitable<void> {
      co_await sched.sleep(k * 1s);
      co_await svc.invoke("F", json::value());
    }, asio::detached);
  sched.run();
  svc.finish();
  auto const& t = agg.functions.at("F");
  CHECK(t.invocations == 3);
  CHECK(t.cold == 1);
  CHECK(t.warm == 2);
  CHECK(t.containers == 1);
  CHECK(t.init_time == 100ms);
  CHECK(t.run_time == 600ms);
  CHECK(t.billed_ms == 700);
  CHECK(t.cost == Approx(3 * 0.2e-6 + 0.7 * 0.125 * 0.0000166667).epsilon(1e-12));
}

TEST_CASE("A fault schedule fails the invokes inside its window only", "[lambda][service]") {
  auto f = fixture::base();
  f.fault_schedule.push_back({10s, 20s, 1.0});
  fixture fx(f);
  fx.burst(1);  // at 0 s
  fx.until(15s);
  fx.burst(1);  // at 15 s: inside the window
  fx.until(25s);
  fx.burst(1);  // at 25 s: after it
  fx.until(30s);
  REQUIRE(fx.results.size() == 3);
  CHECK(fx.results[0].result == lambda::outcome::success);
  CHECK(fx.results[1].error == "Lambda.ServiceException");
  CHECK(fx.results[2].result == lambda::outcome::success);
}

TEST_CASE("A periodic warmer keeps its containers warm past the keep-alive", "[lambda][service]") {
  fixture fx;
  fx.svc.start_warmer("F", 5min, 2, 40min);  // pings at 0, 5, ..., 35 min
  fx.until(31min);
  fx.burst(2);  // two requests at 31 min: two warm containers wait
  fx.until(32min);
  REQUIRE(fx.results.size() == 2);
  CHECK(fx.count(false) == 2);
  CHECK(fx.svc.containers("F") == 2);
  int pings = 0;
  for (auto const& r : fx.sink.invocations) pings += r.requested < t0 + 31min;
  CHECK(pings == 14);  // 7 rounds of 2 before 31 min
}

TEST_CASE("A warmer for an unknown function is refused", "[lambda][service]") {
  fixture fx;
  CHECK_THROWS_WITH(fx.svc.start_warmer("G", 5min, 1, 1h), "a warmer for the unknown function 'G'");
}

TEST_CASE("async_invoke with a callback completes at the run's end instant with the result", "[lambda][service]") {
  fixture fx;
  std::vector<sim::instant> done_at;
  std::vector<lambda::invocation_result> got;
  for (int i = 0; i < 2; ++i)
    fx.svc.async_invoke("F", json::object{{"i", i}},
                        [&](boost::system::error_code ec, lambda::invocation_result r) {
                          CHECK(!ec);
                          done_at.push_back(fx.sched.now());
                          got.push_back(std::move(r));
                        });
  CHECK(done_at.empty());  // nothing completes inside the initiating call
  fx.sched.run();
  REQUIRE(got.size() == 2);
  CHECK(done_at == std::vector<sim::instant>{t0 + 300ms, t0 + 300ms});
  CHECK(got[0].payload == json::parse(R"({"i": 0})"));
  CHECK(got[1].payload == json::parse(R"({"i": 1})"));
  CHECK(got[0].record.cold);
  CHECK(got[0].record.container != got[1].record.container);
}

TEST_CASE("async_invoke never completes a failed request inside the initiating call", "[lambda][service]") {
  auto f = fixture::base();
  f.reserved_concurrency = 1;
  fixture fx{f};
  std::vector<std::string> errors;
  auto keep = [&](boost::system::error_code, lambda::invocation_result r) { errors.push_back(r.error); };
  fx.svc.async_invoke("F", nullptr, keep);
  fx.svc.async_invoke("F", nullptr, keep);        // throttled: reserved concurrency 1
  fx.svc.async_invoke("Missing", nullptr, keep);  // unknown
  CHECK(errors.empty());
  fx.sched.run();
  // The failures come first: they complete on the next turn, the run at 300 ms.
  CHECK(errors == std::vector<std::string>{"Lambda.TooManyRequestsException", "Lambda.ResourceNotFoundException", ""});
}

TEST_CASE("A callback that invokes again is served by the environment it just released", "[lambda][service]") {
  fixture fx;
  std::vector<lambda::invocation_record> recs;
  std::function<void(boost::system::error_code, lambda::invocation_result)> again;
  again = [&](boost::system::error_code, lambda::invocation_result r) {
    recs.push_back(r.record);
    if (recs.size() < 3) fx.svc.async_invoke("F", nullptr, again);
  };
  fx.svc.async_invoke("F", nullptr, again);
  fx.sched.run();
  REQUIRE(recs.size() == 3);
  CHECK(recs[0].cold);
  CHECK(!recs[1].cold);
  CHECK(!recs[2].cold);
  CHECK(recs[2].container == recs[0].container);
  CHECK(recs[2].finished == t0 + 700ms);  // 100 init + 3 x 200 run
}

TEST_CASE("A cancelled caller stops waiting at once while the invocation runs on, is billed and frees its environment",
          "[lambda][service]") {
  fixture fx;
  asio::cancellation_signal signal;
  boost::system::error_code got;
  sim::instant completed{};
  fx.svc.async_invoke("F", nullptr,
                      asio::bind_cancellation_slot(signal.slot(), [&](boost::system::error_code ec, lambda::invocation_result r) {
                        got = ec;
                        completed = fx.sched.now();
                        CHECK(r.record.container == 0);  // an empty result
                      }));
  fx.sched.async_sleep(50ms, [&](boost::system::error_code) {
    signal.emit(asio::cancellation_type::terminal);
    CHECK(fx.svc.in_flight("F") == 1);
  });
  fx.sched.run();
  CHECK(got == asio::error::operation_aborted);
  CHECK(completed == t0 + 50ms);
  // The invocation itself ran to its end and was recorded.
  REQUIRE(fx.sink.invocations.size() == 1);
  CHECK(fx.sink.invocations[0].result == lambda::outcome::success);
  CHECK(fx.sink.invocations[0].finished == t0 + 300ms);
  CHECK(fx.svc.in_flight("F") == 0);
  // Its environment went idle: the next request is warm on it.
  fx.burst(1);
  fx.sched.run();
  REQUIRE(fx.results.size() == 1);
  CHECK(!fx.results[0].record.cold);
  CHECK(fx.results[0].record.container == fx.sink.invocations[0].container);
}

TEST_CASE("co_await invoke throws operation_aborted when its coroutine is cancelled", "[lambda][service]") {
  fixture fx;
  asio::cancellation_signal signal;
  std::string what;
  asio::co_spawn(fx.sched.get_executor(),
                 [&]() -> asio::awaitable<void> {
                   try {
                     co_await fx.svc.invoke("F", nullptr);
                   } catch (boost::system::system_error const& e) {
                     what = e.code() == asio::error::operation_aborted ? "aborted" : e.what();
                   }
                 },
                 asio::bind_cancellation_slot(signal.slot(), asio::detached));
  fx.sched.async_sleep(10ms, [&](boost::system::error_code) { signal.emit(asio::cancellation_type::terminal); });
  fx.sched.run();
  CHECK(what == "aborted");
  REQUIRE(fx.sink.invocations.size() == 1);
  CHECK(fx.sink.invocations[0].finished == t0 + 300ms);
}

TEST_CASE("async_invoke_into writes the result and its caller to the caller's storage, then completes", "[lambda][service]") {
  fixture fx;
  lambda::invocation_result res;
  res.error = "untouched";
  sim::instant completed{};
  boost::system::error_code got = asio::error::fault;
  fx.svc.async_invoke_into("F", json::object{{"i", 7}}, "exec-7", res, [&](boost::system::error_code ec) {
    got = ec;
    completed = fx.sched.now();
  });
  CHECK(res.error == "untouched");  // nothing written inside the initiating call
  fx.sched.run();
  CHECK(!got);
  CHECK(completed == t0 + 300ms);
  CHECK(res.result == lambda::outcome::success);
  CHECK(res.payload == json::parse(R"({"i": 7})"));
  CHECK(res.error.empty());
  CHECK(res.record.caller == "exec-7");
  CHECK(res.record.cold);
  REQUIRE(fx.sink.invocations.size() == 1);
  CHECK(fx.sink.invocations[0].caller == "exec-7");
}

TEST_CASE("async_invoke_into reports a throttled request in the result, not in the error code", "[lambda][service]") {
  auto f = fixture::base();
  f.reserved_concurrency = 1;
  fixture fx{f};
  lambda::invocation_result first, second;
  std::vector<std::string> order;
  fx.svc.async_invoke_into("F", nullptr, "a", first, [&](boost::system::error_code ec) {
    CHECK(!ec);
    order.push_back("a");
  });
  fx.svc.async_invoke_into("F", nullptr, "b", second, [&](boost::system::error_code ec) {
    CHECK(!ec);
    order.push_back("b");
  });
  fx.sched.run();
  CHECK(order == std::vector<std::string>{"b", "a"});  // the throttle on the next turn, the run at 300 ms
  CHECK(second.result == lambda::outcome::throttled);
  CHECK(second.error == "Lambda.TooManyRequestsException");
  CHECK(first.result == lambda::outcome::success);
}

TEST_CASE("A cancelled async_invoke_into completes with operation_aborted and never writes the storage",
          "[lambda][service]") {
  fixture fx;
  asio::cancellation_signal signal;
  auto res = std::make_unique<lambda::invocation_result>();
  res->error = "untouched";
  boost::system::error_code got;
  fx.svc.async_invoke_into("F", nullptr, "c", *res, asio::bind_cancellation_slot(signal.slot(), [&](boost::system::error_code ec) {
    got = ec;
    CHECK(fx.sched.now() == t0 + 50ms);
    CHECK(res->error == "untouched");
    res.reset();  // the caller's storage is gone once it stopped waiting
  }));
  fx.sched.async_sleep(50ms, [&](boost::system::error_code) { signal.emit(asio::cancellation_type::terminal); });
  fx.sched.run();
  CHECK(got == asio::error::operation_aborted);
  CHECK(!res);
  REQUIRE(fx.sink.invocations.size() == 1);  // the invocation ran on to its end
  CHECK(fx.sink.invocations[0].finished == t0 + 300ms);
  CHECK(fx.svc.in_flight("F") == 0);
}

TEST_CASE("co_await async_invoke_into with asio::deferred gives the result in place", "[lambda][service]") {
  fixture fx;
  lambda::invocation_result res;
  asio::co_spawn(fx.sched.get_executor(), [&]() -> asio::awaitable<void> {
    auto op = fx.svc.async_invoke_into("F", json::object{{"k", "v"}}, "x", res, asio::deferred);
    co_await std::move(op);
    CHECK(fx.sched.now() == t0 + 300ms);
  }, asio::detached);
  fx.sched.run();
  CHECK(res.payload == json::parse(R"({"k": "v"})"));
  CHECK(res.record.caller == "x");
}

TEST_CASE("On a real-time scheduler an invocation takes init and run on the sped-up clock", "[lambda][service]") {
  auto sched = sim::scheduler::real_time(t0, 1000.0);
  lambda::service svc{sched, sim::rng(1)};
  svc.add(fixture::base());
  std::vector<lambda::invocation_record> recs;
  auto keep = [&](boost::system::error_code, lambda::invocation_result r) {
    recs.push_back(r.record);
    if (recs.size() == 1) svc.async_invoke("F", nullptr, [&](boost::system::error_code, lambda::invocation_result r2) {
      recs.push_back(r2.record);
    });
  };
  svc.async_invoke("F", nullptr, keep);
  sched.run();
  REQUIRE(recs.size() == 2);
  CHECK(recs[0].cold);
  CHECK(recs[0].finished - recs[0].requested >= 300ms);
  CHECK(!recs[1].cold);
  CHECK(recs[1].container == recs[0].container);
  CHECK(recs[1].finished - recs[1].requested >= 200ms);
}

TEST_CASE("A callback bound to another executor gets the result there, not on the scheduler", "[lambda][service]") {
  fixture fx;
  asio::io_context other;
  bool called = false;
  fx.svc.async_invoke("F", nullptr, asio::bind_executor(other, [&](boost::system::error_code, lambda::invocation_result r) {
                        called = true;
                        CHECK(r.result == lambda::outcome::success);
                      }));
  fx.sched.run();
  CHECK(!called);
  other.run();
  CHECK(called);
}

namespace {

struct throwing_sink final : lambda::record_sink {
  void on_invocation(lambda::invocation_record const&) override { throw std::runtime_error("sink full"); }
  void on_container(lambda::container_record const&) override {}
};

struct throwing_policy final : lambda::keep_alive_policy {
  void on_invocation(std::string const&, sim::instant) override { throw std::runtime_error("policy broke"); }
  lambda::idle_plan plan(std::string const&, sim::instant, sim::random_stream&) override { return {1min, {}}; }
};

}  // namespace

TEST_CASE("A sink that throws at the end of a run: run() throws it and the caller still gets the result",
          "[lambda][service]") {
  fixture fx;
  throwing_sink sink;
  fx.svc.set_sink(&sink);
  std::optional<lambda::outcome> got;
  fx.svc.async_invoke("F", nullptr, [&](boost::system::error_code, lambda::invocation_result r) { got = r.result; });
  CHECK_THROWS_WITH(fx.sched.run(), "sink full");
  CHECK(got == lambda::outcome::success);
  CHECK(fx.svc.in_flight("F") == 0);
}

TEST_CASE("A keep-alive policy that throws at a request: the caller gets Lambda.ServiceException, run() the exception",
          "[lambda][service]") {
  fixture fx;
  fx.svc.set_keep_alive(std::make_shared<throwing_policy>());
  std::string error, cause;
  REQUIRE_NOTHROW(fx.svc.async_invoke("F", nullptr, [&](boost::system::error_code, lambda::invocation_result r) {
    error = r.error;
    cause = r.cause;
  }));
  CHECK_THROWS_WITH(fx.sched.run(), "policy broke");
  CHECK(error == "Lambda.ServiceException");
  CHECK(cause == "Lambda.ServiceException: the simulation failed: policy broke");
  CHECK(fx.svc.in_flight("F") == 0);
}

TEST_CASE("A handler that throws something other than an exception crashes the run with Lambda.Unknown",
          "[lambda][service]") {
  auto f = fixture::base();
  f.handler = [](json::value const&) -> json::value { throw 42; };
  fixture fx{f};
  fx.burst(1);
  fx.sched.run();
  REQUIRE(fx.results.size() == 1);
  CHECK(fx.results[0].result == lambda::outcome::crash);
  CHECK(fx.results[0].error == "Lambda.Unknown");
  CHECK(fx.results[0].cause.find("an exception that is not a std::exception") != std::string::npos);
  CHECK(fx.svc.containers("F") == 0);  // a crash destroys its environment
}
