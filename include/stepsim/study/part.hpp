// stepsim::study parts: a shard's share of a study's runs, simulated on one
// machine, and the merge of every shard's part into the study's outputs.
#pragma once

#include <stepsim/study/runner.hpp>
#include <stepsim/study/study.hpp>
#include <stepsim/study/summary.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace stepsim::study {

/// Reads a shard "I/N" (`stepsim simulate --shard`): N >= 1 shards, and I,
/// from 0 to N - 1, either a number or the name of an environment variable
/// that holds one (SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX, ...), read
/// through `getenv`. nullopt, with `error` saying why, when it is not one.
std::optional<shard> parse_shard(std::string_view text, std::string& error,
                                 std::function<char const*(char const*)> const& getenv);

/// The file name of shard `s`'s part: "part-I-of-N.part".
std::string part_file_name(shard s);

/// A part that cannot be read, or parts that do not make one whole.
class part_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The outputs a part carries besides what summary.json, executions.csv and
/// report.html need: those `simulate --records` and `--aws-export` write, so
/// that `merge` writes them too.
struct part_contents {
  bool records = false;     ///< each run's invocations.csv and environments.csv rows
  bool aws_export = false;  ///< each run's aws/SCENARIO-REPLICATION.json
  bool operator==(part_contents const&) const = default;
};

/// One run's share of those outputs, as the unsharded run writes them.
struct run_files {
  std::string invocations, environments;  ///< CSV rows, without the header line
  std::string aws_export;                 ///< the text of its aws/ file
};

/// Writes one shard's part: a header naming the study (its name, a digest of
/// its files, seed, scenario filter), the shard and its `part_contents`,
/// then, per run in run order, its totals (`run_totals`), its
/// executions.csv rows, for the first replication of a scenario what the
/// report draws of its executions and its environments, and the `run_files`
/// the contents name. The file appears under its name only once `finish`
/// succeeds: it is written to "NAME.tmp" first.
class part_writer {
 public:
  /// Throws part_error when the file cannot be created.
  part_writer(study const& s, std::optional<std::string> const& only, shard part, std::filesystem::path const& file,
              part_contents contents = {});
  part_writer(part_writer const&) = delete;
  part_writer& operator=(part_writer const&) = delete;
  ~part_writer();  ///< removes the temporary file unless finished

  /// Adds a run of the shard (in run order; `r`'s durations are moved out)
  /// with its `files` (those of the part's contents; the others are ignored).
  void add(run_result& r, run_files const& files = {});
  /// Checks every run of the shard was added, closes and renames; throws part_error.
  void finish();

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

/// One run as `part_set::each` hands it over. The views are valid during the call only.
struct part_run {
  run_totals totals;
  std::string_view csv_rows;        ///< its executions.csv rows
  /// The run as the report draws it, when it is the first of its scenario:
  /// its start, end, seed and environments, and of each execution only its
  /// workflow, start, stop and whether it was cold (`cold_starts` 1 or 0).
  std::optional<run_result> whole;
  std::string_view invocations, environments, aws_export;  ///< its run_files; empty unless the parts carry them
};

/// The parts of one sharded simulation, checked to make exactly one whole:
/// the same study, digest, seed, scenario filter, contents and N, each shard
/// index from 0 to N - 1 exactly once.
class part_set {
 public:
  /// `paths`: part files, or directories whose "*.part" files are all taken.
  /// nullopt, with `error` naming the parts at fault, when they do not make one whole.
  static std::optional<part_set> open(std::vector<std::filesystem::path> const& paths, std::string& error);

  /// The study as far as its outputs need it: name, seed, replications,
  /// start, executions_csv, scenarios (names, descriptions, sweep points).
  study const& info() const noexcept { return study_; }
  std::size_t runs() const noexcept { return runs_; }

  /// What the parts carry besides the summary's needs.
  part_contents contents() const noexcept { return contents_; }

  /// Hands over every run in (scenario, replication) order, as the
  /// unsharded simulation does. Throws part_error when a part is damaged.
  void each(std::function<void(part_run&&)> const& consume) const;

 private:
  study study_;
  std::optional<std::string> only_;
  part_contents contents_;
  std::size_t runs_ = 0;
  struct part {
    std::filesystem::path file;
    std::uint64_t data_offset = 0;  ///< where its runs begin
    std::size_t runs = 0;
  };
  std::vector<part> parts_;  ///< by shard index
};

}  // namespace stepsim::study
