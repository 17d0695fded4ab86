// stepsim::study::study: a what-if study file, parsed and validated.
#pragma once

#include <stepsim/asl/error.hpp>
#include <stepsim/asl/state_machine.hpp>
#include <stepsim/engine/engine.hpp>
#include <stepsim/lambda/function.hpp>
#include <stepsim/lambda/latency.hpp>
#include <stepsim/lambda/prewarm.hpp>
#include <stepsim/lambda/service.hpp>
#include <stepsim/study/workload.hpp>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace stepsim::study {

/// A workflow of the study: a compiled definition and the input its executions get.
struct workflow_spec {
  std::string name;
  std::string definition_file;
  std::shared_ptr<asl::state_machine const> machine;
  boost::json::value input = boost::json::object();
  engine::execution_type type = engine::execution_type::standard;
};

/// Keep-alive policy choice.
struct keep_alive_spec {
  enum class kind { fixed, random, hybrid_histogram } type = kind::fixed;
  sim::duration fixed = std::chrono::minutes(10);
  lambda::latency random = lambda::latency::constant(600000);
};

/// Everything one simulation run needs: the study's settings with one
/// scenario's overrides applied.
struct run_config {
  std::string scenario;     ///< scenario name
  std::string description;
  /// Its coordinates when a sweep made it (axis name -> value, or the
  /// label of an axis without a path); empty otherwise.
  boost::json::object point;
  std::map<std::string, lambda::function_config> functions;
  lambda::service_config service;
  keep_alive_spec keep_alive;
  lambda::prewarm_mode prewarm = lambda::prewarm_mode::none;
  std::optional<lambda::latency> transition_overhead;  ///< per state transition
  std::optional<lambda::latency> invoke_overhead;      ///< per Lambda invoke, before the request reaches Lambda
  std::map<std::string, workload_spec> workloads;
  /// Periodic warmers: every `period`, `concurrency` pings to `function`, for `until`.
  struct warmer {
    std::string function;
    sim::duration period{};
    int concurrency = 1;
    sim::duration until{};
  };
  std::vector<warmer> warmers;
};

/// A parsed study file.
struct study {
  std::string name;
  std::string file;         ///< where it was read from ("" for text)
  sim::instant start{};     ///< the virtual clock's start (default 2024-01-01T00:00:00Z)
  std::uint64_t seed = 1;
  int replications = 1;
  sim::duration cold_gap = std::chrono::seconds(60);  ///< idle gap that starts a new period (analysis)
  std::map<std::string, workflow_spec> workflows;
  std::vector<run_config> scenarios;  ///< at least one ("baseline" when the file has none)
  bool write_executions = true;       ///< executions.csv and per-execution data in memory
  /// The pool's time averages (summary.json's avg_instances, ...) leave out
  /// the first `warm_up` of each run, as SimFaaS's skip_init_time does: the
  /// horizon is [start + warm_up, end of the run].
  sim::duration warm_up{};
};

/// Reads a study. `base_dir` resolves relative file names (definitions,
/// traces). Every problem is reported with the JSON pointer of the field at
/// fault (inside a scenario's overrides: "scenario 'NAME': /functions/F/memory_mb").
struct study_result {
  std::optional<study> value;
  asl::diagnostics errors;
};
study_result parse_study(std::string_view text, std::string const& base_dir);
study_result load_study(std::string const& file);

/// Why `name` cannot name a file stepsim writes (a scenario's name becomes
/// `aws/NAME-R.json`), or nullopt when it can: it must not be empty, be longer
/// than 200 bytes, contain '/', '\\', "..", or a control character (below
/// U+0020, or U+007F).
std::optional<std::string> file_name_problem(std::string_view name);

/// Where the output `name` (a path relative to an output directory, such as
/// "aws/base-0.json") goes: a path inside `dir` once both are resolved
/// (symbolic links included), or nullopt when `name` is empty, absolute,
/// holds "." or "..", or would land outside `dir` or on it. Every file
/// `stepsim` writes under --out goes through here.
std::optional<std::filesystem::path> output_path(std::filesystem::path const& dir, std::filesystem::path const& name);

/// The executions `w` plans in one run: threads x loops (thread group), rate
/// x duration (constant; Poisson at its busiest hour, an upper bound of the
/// expected count), the rows of a trace.
double planned_executions(workload_spec const& w);

/// The most executions a study may plan over all its runs (every scenario,
/// times the replications) unless the caller allows more
/// (`stepsim simulate --allow-large`): a bound on the time and the output a
/// study takes before it starts, not on what it can do.
inline constexpr double max_planned_executions = 1e7;

/// Checks the plan of `s` (only the scenario `only`, when given) against
/// `max_planned_executions`; over it, a diagnostic names the workload that
/// plans the most (its JSON pointer and fields) and the flag that allows it.
std::optional<asl::diagnostic> check_planned_executions(study const& s, std::optional<std::string> const& only = {});

/// Deep-merges `overrides` into `base`: objects merge member by member, any
/// other value replaces. Under "functions" and "workloads", a "*" member is
/// merged into every entry.
boost::json::value merge(boost::json::value base, boost::json::value const& overrides);

}  // namespace stepsim::study
