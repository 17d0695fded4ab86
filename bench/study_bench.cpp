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

namespace {

/// The study's baseline scenario reduced to its four-step workflow arriving
/// as a Poisson process over 24 simulated hours, `executions` per
/// replication, aggregates only.
void make_poisson_day(study::study& s, std::uint64_t executions, int replications) {
  s.scenarios.resize(1);
  auto& c = s.scenarios[0];
  c.workloads.clear();
  study::workload_spec w;
  w.type = study::workload_spec::kind::poisson;
  w.workflow = "four-steps";
  w.duration = std::chrono::hours(24);
  w.rate_per_s = double(executions) / 86400.0;
  c.workloads["day"] = w;
  s.replications = replications;
  s.write_executions = false;
}

/// What `stepsim simulate` does without --out: every run folded into the
/// summary as it ends, on `jobs` threads.
json::object simulate(study::study const& s, int jobs) {
  study::period_options po;
  po.cold_gap = s.cold_gap;
  study::study_aggregate aggregate(s, po);
  study::run_each(s, jobs, std::nullopt, [&](study::run_result&& r) { aggregate.add(std::move(r)); });
  return aggregate.summary();
}

std::string check_count(std::uint64_t n, std::uint64_t expected) {
  if (n >= expected * 98 / 100 && n <= expected * 102 / 100) return {};
  return fmt::format("the Poisson day ran {} executions, expected about {}", n, expected);
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
  if (mode == "poisson-jobs2") {
    // Two replications of the day, on one thread and then on two: the
    // ratio is the speed-up over 2 (1 = twice as fast).
    make_poisson_day(s, executions, 2);
    auto t0 = clock::now();
    auto one = simulate(s, 1);
    double one_s = seconds_since(t0);
    auto t1 = clock::now();
    auto two = simulate(s, 2);
    double two_s = seconds_since(t1);
    r.error = check_count(executions_in(two), 2 * executions);
    if (r.error.empty() && json::serialize(one) != json::serialize(two))
      r.error = "--jobs 2 gave another summary than --jobs 1";
    finish(r, 2 * executions, 2 * executions, two_s);
    r.ratio = one_s / two_s / 2.0;
    return r;
  }
  if (mode == "poisson") {
    make_poisson_day(s, executions, 1);
    auto t0 = clock::now();
    auto n = executions_in(simulate(s, 1));
    r.error = check_count(n, executions);
    finish(r, n, n, seconds_since(t0));
    return r;
  }
  auto start = clock::now();
  std::uint64_t rounds = 0, done = 0;
  do {
    auto n = executions_in(simulate(s, 1));
    std::uint64_t expected = 0;
    for (auto const& c : s.scenarios)
      for (auto const& [name, w] : c.workloads) expected += std::uint64_t(w.threads * w.loops) * std::uint64_t(s.replications);
    if (n != expected) {
      r.error = fmt::format("the study ran {} executions, expected {}", n, expected);
      return r;
    }
    ++rounds;
    done += n;
  } while (seconds_since(start) < o.min_time_s);
  finish(r, rounds, done, seconds_since(start));  // one execution = one study; "transitions": workflow executions
  return r;
}

}  // namespace stepsim::bench
