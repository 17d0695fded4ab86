// stepsim::study runner: simulate a study's scenarios, each on its own engine, on several cores.
#pragma once

#include <stepsim/engine/execution.hpp>
#include <stepsim/lambda/keep_alive.hpp>
#include <stepsim/lambda/record.hpp>
#include <stepsim/study/records.hpp>
#include <stepsim/study/study.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace stepsim::study {

/// One simulated execution, with what the Lambda service did for it.
struct execution_record {
  std::uint64_t index = 0;  ///< arrival order within the run
  std::string workflow;
  std::uint32_t period = 0;  ///< thread-group period of its arrival
  sim::instant start{}, stop{};
  engine::execution_status status = engine::execution_status::running;
  std::string error;
  int invocations = 0;
  int cold_starts = 0;  ///< cold Lambda invocations on this execution
  int throttles = 0;
  sim::duration init{};  ///< time spent in init, summed over its invocations
  sim::duration run{};   ///< time spent in function runs, summed
  std::uint64_t transitions = 0;  ///< states entered
  sim::duration duration() const noexcept { return stop - start; }
  bool cold() const noexcept { return cold_starts > 0; }
};

/// Durations in milliseconds: count, mean and percentiles, exact or from a
/// histogram (0.5% resolution) when values are not kept.
class duration_stats {
 public:
  explicit duration_stats(bool keep_values = true) : keep_(keep_values) {}
  void add(double ms);
  std::uint64_t count() const noexcept { return n_; }
  double mean() const noexcept { return n_ ? sum_ / double(n_) : 0; }
  double min() const noexcept { return n_ ? min_ : 0; }
  double max() const noexcept { return n_ ? max_ : 0; }
  /// The p-th percentile (nearest rank), p in [0, 100].
  double percentile(double p) const;
  /// (value, fraction of values <= it) at `points` evenly spaced fractions, for CDFs.
  std::vector<std::pair<double, double>> cdf(std::size_t points) const;
  /// Adds every value of `other` (both must keep values, or neither): in
  /// linear time when the values of both are sorted already (restored from
  /// `save`, or after a percentile), which keeps them sorted.
  void merge(duration_stats const& other);

  /// Its whole state, to store and read back exactly (a shard's part).
  struct state {
    bool keep = true;
    std::uint64_t n = 0;
    double sum = 0, min = 0, max = 0;
    std::vector<double> values;  ///< when it keeps values, sorted (`save` sorts them; `restore` takes any order)
    std::map<int, std::uint64_t> buckets;  ///< when it does not
  };
  state save() const;
  static duration_stats restore(state s);

 private:
  void sort() const;
  bool keep_;
  std::uint64_t n_ = 0;
  double sum_ = 0, min_ = 0, max_ = 0;
  mutable std::vector<double> values_;
  mutable bool sorted_ = true;
  std::map<int, std::uint64_t> buckets_;
};

/// A count and a sum of durations in milliseconds: what the summary needs
/// of cold and warm executions (their averages), without their values.
struct duration_sum {
  std::uint64_t n = 0;
  double sum = 0;
  void add(double ms) noexcept { ++n, sum += ms; }
  void merge(duration_sum const& o) noexcept { n += o.n, sum += o.sum; }
  std::uint64_t count() const noexcept { return n; }
  double mean() const noexcept { return n ? sum / double(n) : 0; }
};

/// Totals of one workflow in one run: the durations of all its executions,
/// and the averages of the cold and the warm ones.
struct workflow_totals {
  duration_stats all;
  duration_sum cold, warm;
  std::uint64_t succeeded = 0, failed = 0, throttles = 0, cold_starts = 0, invocations = 0;
  sim::duration init{}, run{}, orchestration{};
  std::uint64_t transitions = 0;
  explicit workflow_totals(bool keep = true) : all(keep) {}
};

/// A share of a study's runs, for spreading them over machines: of the runs
/// in (scenario, replication) order, numbered from 0, those whose number k
/// has k mod `count` == `index`. Which runs a shard gets never changes what
/// a run does: its seed depends on the replication only.
struct shard {
  int index = 0;
  int count = 1;
};

/// One (scenario, replication) simulation.
struct run_result {
  std::string scenario;
  int replication = 0;
  std::uint64_t seed = 0;
  sim::instant start{}, end{};
  std::vector<execution_record> executions;  ///< when the study keeps them
  std::map<std::string, workflow_totals> workflows;
  lambda::aggregate_sink lambda;  ///< busy time counted from start + the study's warm_up
  std::vector<lambda::container_record> containers;
  std::shared_ptr<record_parts> records;  ///< its invocations.csv / environments.csv rows, when asked
  double provisioned_cost = 0;
  double workflow_cost = 0;  ///< Step Functions: transitions (Standard) or requests and duration (Express)
};

/// Simulates one scenario once. The seed of the run is derived from the
/// study's seed and the replication number, so it does not depend on which
/// other runs exist or on which thread runs it; every scenario of a
/// replication draws the same random numbers (common random numbers), so
/// scenarios compare without sampling noise.
///
/// With `records_dir`, the run also streams its invocation and environment
/// rows into two part files there (`run_result::records`), closed when it
/// ends.
run_result run_once(study const& s, run_config const& c, int replication,
                    std::filesystem::path const& records_dir = {});

/// The keep-alive policy `k` describes, for `lambda::service::set_keep_alive`
/// (each run's service gets one; so does `stepsim serve --functions`).
std::shared_ptr<lambda::keep_alive_policy> make_keep_alive(keep_alive_spec const& k);

/// Runs every scenario (or only `only`) times every replication, on up to
/// `jobs` threads (independent engines); results in (scenario, replication)
/// order, identical whatever `jobs` is. `progress(done, total)` is called
/// from the calling thread.
std::vector<run_result> run_all(study const& s, int jobs, std::optional<std::string> const& only = std::nullopt,
                                std::function<void(std::size_t, std::size_t)> const& progress = {});

/// As `run_all`, but hands each run to `consume` (on the calling thread, in
/// (scenario, replication) order) as soon as it and every run before it
/// have ended, and keeps none: at most 2 x `jobs` runs are held at once, so
/// memory does not grow with the number of replications. `progress(done,
/// total)` follows each `consume`. An exception from a run or from
/// `consume` stops the runs not yet started and propagates once the
/// running ones have ended.
/// `records_dir`: as for `run_once`. `part`: only the runs of that shard.
void run_each(study const& s, int jobs, std::optional<std::string> const& only,
              std::function<void(run_result&&)> const& consume,
              std::function<void(std::size_t, std::size_t)> const& progress = {},
              std::filesystem::path const& records_dir = {}, shard part = {});

/// The (scenario, replication) of every run of `s` (only the scenario
/// `only`, when given), in the order `run_each` hands them over.
std::vector<std::pair<run_config const*, int>> runs_of(study const& s, std::optional<std::string> const& only);

}  // namespace stepsim::study
