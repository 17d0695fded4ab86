#include "study_bench.hpp"

#include <stepsim/study/runner.hpp>
#include <stepsim/study/summary.hpp>

#include <boost/json.hpp>
#include <fmt/format.h>

#include <chrono>

namespace stepsim::bench {

namespace json = boost::json;

namespace {

std::string const example_dir = STEPSIM_BENCH_EXAMPLES_DIR "/coldstart-accumulation";

std::uint64_t executions_in(json::object const& summary) {
  std::uint64_t n = 0;
  for (auto const& sc : summary.at("scenarios").as_array())
    for (auto const& w : sc.at("workflows").as_array()) n += w.at("executions").to_number<std::uint64_t>();
  return n;
}

}  // namespace

cell_result run_study(std::string const& mode, std::uint64_t executions, cell_options const& o) {
  cell_result r;
  r.workload = "study";
  r.mode = mode;
  r.batch = 1;
  auto loaded = study::load_study(example_dir + "/study.json");
  if (!loaded.value) {
    r.error = "cannot load the example study: " + (loaded.errors.empty() ? "" : loaded.errors[0].message);
    return r;
  }
  auto s = std::move(*loaded.value);
  std::uint64_t expected = 0;
  if (mode == "poisson") {
    // Only the baseline, only the four-step workflow, Poisson over a day.
    s.scenarios.resize(1);
    auto& c = s.scenarios[0];
    c.workloads.clear();
    study::workload_spec w;
    w.type = study::workload_spec::kind::poisson;
    w.workflow = "four-steps";
    w.duration = std::chrono::hours(24);
    w.rate_per_s = double(executions) / 86400.0;
    c.workloads["day"] = w;
    s.replications = 1;
    s.write_executions = false;
  }
  auto start = std::chrono::steady_clock::now();
  std::uint64_t rounds = 0, done = 0;
  do {
    auto runs = study::run_all(s, 1);
    auto summary = study::summarize(s, runs, {});
    auto n = executions_in(summary);
    if (mode == "seed") {
      expected = 0;
      for (auto const& c : s.scenarios)
        for (auto const& [name, w] : c.workloads) expected += std::uint64_t(w.threads * w.loops) * std::uint64_t(s.replications);
      if (n != expected) {
        r.error = fmt::format("the study ran {} executions, expected {}", n, expected);
        return r;
      }
    } else if (n < executions * 98 / 100 || n > executions * 102 / 100) {
      r.error = fmt::format("the Poisson day ran {} executions, expected about {}", n, executions);
      return r;
    }
    done += n;
    ++rounds;
  } while (std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() < o.min_time_s &&
           mode == "seed");
  r.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  r.executions = mode == "seed" ? rounds : done;
  r.exec_per_s = double(r.executions) / r.wall_s;
  r.ms_per_op = r.wall_s * 1000.0 / double(r.executions);
  r.transitions_per_s = double(done) / r.wall_s;  // workflow executions per second
  return r;
}

}  // namespace stepsim::bench
