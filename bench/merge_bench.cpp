#include "merge_bench.hpp"

#include <stepsim/study/part.hpp>
#include <stepsim/study/report.hpp>
#include <stepsim/study/runner.hpp>
#include <stepsim/study/summary.hpp>

#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <unistd.h>

namespace stepsim::bench {

namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

constexpr int shards = 16;

struct outputs {
  std::string summary, report;
  bool operator==(outputs const&) const = default;
};

void write_file(fs::path const& file, std::string const& bytes) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << bytes;
  out.close();
  if (!out) throw std::runtime_error("cannot write " + file.string());
}

/// summary.json and report.html, built and written into `dir` as the commands
/// do (summary.json compact here: its pretty printer is the command line's).
outputs finish_outputs(study::study_aggregate const& aggregate, fs::path const& dir) {
  auto summary = aggregate.summary();
  outputs o{json::serialize(summary) + "\n", study::report_html(summary, &aggregate.report_runs(), nullptr)};
  fs::create_directories(dir);
  write_file(dir / "summary.json", o.summary);
  write_file(dir / "report.html", o.report);
  return o;
}

/// executions.csv, written as `stepsim simulate --out` and `stepsim merge`
/// write it: the header, then each run's rows as the run is handed over.
std::ofstream open_csv(fs::path const& file) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  if (!out) throw std::runtime_error("cannot write " + file.string());
  out << study::executions_csv_header();
  return out;
}

std::string file_bytes(fs::path const& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

cell_result run_merge(cell_options const& o) {
  cell_result r;
  r.workload = "merge";
  r.mode = fmt::format("{}-parts", shards);
  r.batch = 1;
  auto loaded = study::load_study(STEPSIM_BENCH_EXAMPLES_DIR "/sharded-study/study.json");
  if (!loaded.value) {
    r.error = "cannot load examples/sharded-study/study.json";
    return r;
  }
  auto& s = *loaded.value;
  double planned = 0;
  for (auto const& c : s.scenarios)
    for (auto const& [name, w] : c.workloads) planned += study::planned_executions(w) * s.replications;
  double factor = std::max(1.0, 200000.0 * o.scale / planned);
  for (auto& c : s.scenarios)
    for (auto& [name, w] : c.workloads) w.rate_per_s *= factor;

  auto dir = fs::temp_directory_path() / fmt::format("stepsim-bench-merge-{}", ::getpid());
  fs::remove_all(dir);
  fs::create_directories(dir / "parts");
  try {
    // Both sides write executions.csv to a file as they go, as the commands
    // do (no 30 MB string built in memory), then summary.json and
    // report.html; the files are compared untimed. The merge side reads the
    // parts from their files with part_set, as `stepsim merge` does.
    study::period_options po;
    po.cold_gap = s.cold_gap;
    auto t0 = clock::now();
    study::study_aggregate whole(s, po);
    auto csv = open_csv(dir / "unsharded.csv");
    std::uint64_t executions = 0;
    study::run_each(s, 1, std::nullopt, [&](study::run_result&& run) {
      executions += run.executions.size();
      csv << study::executions_csv_rows(run);
      whole.add(std::move(run));
    });
    csv.close();
    auto expected = finish_outputs(whole, dir / "unsharded");
    double unsharded_s = seconds_since(t0);

    for (int i = 0; i < shards; ++i) {
      study::shard part{i, shards};
      study::part_writer writer(s, std::nullopt, part, dir / "parts" / study::part_file_name(part));
      study::run_each(s, 1, std::nullopt, [&](study::run_result&& run) { writer.add(run); }, {}, {}, part);
      writer.finish();
    }
    auto t1 = clock::now();
    std::string error;
    auto set = study::part_set::open({dir / "parts"}, error);
    if (!set) throw study::part_error(error);
    study::study_aggregate merged(set->info(), {});
    auto merged_csv = open_csv(dir / "merged.csv");
    set->each([&](study::part_run&& run) {
      merged_csv << run.csv_rows;
      merged.add(std::move(run.totals), std::move(run.whole));
    });
    merged_csv.close();
    auto got = finish_outputs(merged, dir / "merged");
    double merge_s = seconds_since(t1);
    if (!csv || !merged_csv) r.error = "cannot write executions.csv";
    else if (!(got == expected) || file_bytes(dir / "merged.csv") != file_bytes(dir / "unsharded.csv"))
      r.error = "the merged outputs differ from the unsharded run's";
    finish(r, executions, executions, merge_s);
    r.ratio = merge_s / unsharded_s;
  } catch (std::exception const& e) {
    r.error = e.what();
  }
  fs::remove_all(dir);
  return r;
}

}  // namespace stepsim::bench
