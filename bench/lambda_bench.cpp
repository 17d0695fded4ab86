#include "lambda_bench.hpp"

#include <stepsim/lambda/service.hpp>
#include <stepsim/sim/scheduler.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/json/value.hpp>
#include <fmt/format.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

namespace stepsim::bench {

cell_result run_lambda(std::uint64_t invocations, bool awaiting, cell_options const& o) {
  cell_result c;
  c.workload = "lambda";
  // the invocation count, so rows at 100k and 1M compare
  c.mode = (awaiting ? "await-" : "") + std::to_string(invocations);
  c.batch = 1;
  c.states_per_execution = 0;
  constexpr int functions = 10;
  constexpr double rate_per_s = 1000;
  try {
    auto sched = sim::scheduler::virtual_time(sim::instant{});
    sim::rng rng(1);
    lambda::service svc{sched, rng};
    lambda::aggregate_sink sink;
    svc.set_sink(&sink);
    std::vector<std::string> names;
    for (int i = 0; i < functions; ++i) {
      lambda::function_config f;
      f.name = fmt::format("fn{}", i);
      f.init = lambda::latency::lognormal(150, 0.2);
      f.run.duration = lambda::latency::constant(100);
      svc.add(f);
      names.push_back(f.name);
    }
    // Poisson arrivals as a scheduler task: each firing sends one request to
    // a random function and schedules the next, as a study's workload does.
    struct arrivals final : sim::timer_task {
      sim::scheduler& sched;
      lambda::service& svc;
      std::vector<std::string> const& names;
      sim::random_stream r;
      std::uint64_t left;
      bool awaiting;
      std::uint64_t completed = 0;
      arrivals(sim::scheduler& s, lambda::service& v, std::vector<std::string> const& n, sim::random_stream rs,
               std::uint64_t count, bool aw)
          : sched(s), svc(v), names(n), r(rs), left(count), awaiting(aw) {}
      void next() {
        sched.call_after(sim::duration(static_cast<std::int64_t>(r.exponential(1e6 / rate_per_s))), *this);
      }
      void on_timer() override {
        auto const& fn = names[static_cast<std::size_t>(r.uniform_int(0, functions - 1))];
        if (awaiting) {
          boost::asio::co_spawn(sched.get_executor(), await_one(fn), boost::asio::detached);
        } else {
          svc.async_invoke(fn, boost::json::value(),
                           [this](boost::system::error_code, lambda::invocation_result const&) { ++completed; });
        }
        if (--left > 0) next();
      }
      boost::asio::awaitable<void> await_one(std::string const& fn) {
        auto result = co_await svc.invoke(fn, boost::json::value());
        (void)result;
        ++completed;
      }
    };
    arrivals gen{sched, svc, names, rng.stream("bench/arrivals"), invocations, awaiting};
    auto const t0 = std::chrono::steady_clock::now();
    if (invocations > 0) gen.next();
    sched.run();
    svc.finish();
    if (gen.completed != invocations)
      throw std::runtime_error(fmt::format("{} of {} invocations completed", gen.completed, invocations));
    double const wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::uint64_t total = 0;
    for (auto const& [name, t] : sink.functions) total += t.invocations;
    if (total != invocations)
      throw std::runtime_error(fmt::format("the sink saw {} invocations, not {}", total, invocations));
    c.executions = invocations;
    c.wall_s = wall;
    c.exec_per_s = wall > 0 ? double(invocations) / wall : 0;
    c.ms_per_op = double(wall) * 1e3 / double(invocations);
  } catch (std::exception const& e) {
    c.error = e.what();
  }
  (void)o;
  return c;
}

}  // namespace stepsim::bench
