// stepsim::study summaries: summary.json, executions.csv, the console table, AWS-CLI-shaped exports, analysis.
#pragma once

#include <stepsim/study/runner.hpp>
#include <stepsim/study/study.hpp>

#include <boost/json/object.hpp>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace stepsim::study {

/// One execution as `aws stepfunctions list-executions` shows it, reduced
/// to what analysis needs.
struct exported_execution {
  std::string workflow;  ///< the state machine's name
  std::string name;
  std::string status;
  sim::instant start{}, stop{};  ///< millisecond precision, as AWS prints them
};

/// Period analysis, as the seed's author did it by hand: per workflow,
/// executions sorted by start are split into periods wherever the idle time
/// since every earlier execution stopped is at least `period_gap`; a period
/// is cold when it is the first one or follows at least `cold_gap` of idle
/// time, and every execution in a cold period counts as cold.
struct period_options {
  sim::duration period_gap = std::chrono::seconds(1);
  sim::duration cold_gap = std::chrono::seconds(60);
};

/// {"workflow", "executions", "periods", "cold_periods", "cold_executions",
///  "warm_executions", "avg_cold_ms", "avg_warm_ms"} per workflow, sorted by name.
boost::json::array analyze_periods(std::vector<exported_execution> const& rows, period_options const& o);

/// The executions of a run in list-executions shape (`{"executions": [...]}`,
/// newest first, as AWS returns them).
boost::json::object aws_export(run_result const& r);

/// Reads list-executions output (one or more JSON documents, each
/// `{"executions": [...]}` or a bare array), and, when given,
/// describe-execution documents to fill in stop dates. Errors name the file
/// and the entry.
std::optional<std::vector<exported_execution>> read_export(std::string const& text, std::string const& source,
                                                           std::string& error);

/// summary.json: per scenario, per workflow and per function, with stable
/// field names (documented in docs/studies.md).
boost::json::object summarize(study const& s, std::vector<run_result> const& runs, period_options const& o);

/// What one run adds to its scenario's totals in summary.json, in the form
/// folding needs: its own sums (durations, counts, costs), the pool's
/// environment-time and lifetimes (in the order the run made them), and
/// its period analysis. Folding the totals of the same runs in the same
/// order gives the same summary bit for bit, wherever each run was
/// simulated: a shard's part stores them, `stepsim merge` folds them.
struct run_totals {
  std::string scenario;
  int replication = 0;
  std::map<std::string, workflow_totals> workflows;
  std::map<std::string, lambda::function_totals> functions;
  sim::duration horizon{};  ///< from the start plus the study's warm_up to the run's end
  struct pool {
    sim::duration alive{}, busy{};     ///< environment-time within the horizon
    std::vector<double> lifetimes_ms;  ///< of the environments created within it
  };
  std::map<std::string, pool> pools;
  double provisioned_cost = 0, workflow_cost = 0;
  std::vector<boost::json::object> periods;  ///< analyze_periods of its executions (when the study keeps them)
};

/// The totals of `r` (of study `s`). Its per-workflow durations are moved
/// out of `r`.
run_totals take_totals(study const& s, run_result& r, period_options const& o);

/// What summary.json and the report need of a study's runs, folded in one
/// run at a time (in (scenario, replication) order, as `run_each` hands
/// them over), so that memory does not grow with the replications: the
/// first run of each scenario is kept whole for the report's charts; of the
/// others only their totals are folded in (durations, kept for exact
/// percentiles when the study keeps executions, and the period analysis of
/// each). `summary()` equals `summarize` of the same runs.
class study_aggregate {
 public:
  study_aggregate(study const& s, period_options o);
  ~study_aggregate();
  study_aggregate(study_aggregate&&) noexcept;

  void add(run_result r);
  /// Folds in a run known by its totals. `whole`: the run itself (its
  /// executions, containers, start and end) when it is the first of its
  /// scenario, which the report draws whole; ignored otherwise.
  void add(run_totals t, std::optional<run_result> whole);
  boost::json::object summary() const;
  /// The runs `report_html` draws from: each scenario's first run, and one
  /// more holding the pooled durations of its other replications.
  std::vector<run_result> const& report_runs() const noexcept;

  struct impl;  // implementation (also behind `summarize`)

 private:
  std::unique_ptr<impl> impl_;
};

/// The seed's table and the main figures, for the console.
std::string summary_table(boost::json::object const& summary);

/// executions.csv: one row per execution, as the seed's author imported AWS
/// output into a spreadsheet, plus what the simulation knows.
std::string executions_csv(std::vector<run_result> const& runs);
/// The header line of executions.csv, then the rows of one run: for writing
/// it one run at a time.
std::string executions_csv_header();
std::string executions_csv_rows(run_result const& r);

}  // namespace stepsim::study
