#include "merge_bench.hpp"

#include <stepsim/study/part.hpp>
#include <stepsim/study/report.hpp>
#include <stepsim/study/runner.hpp>
#include <stepsim/study/summary.hpp>

#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <unistd.h>

namespace stepsim::bench {

namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

constexpr int shards = 16;

struct outputs {
  std::string summary, csv, report;
  bool operator==(outputs const&) const = default;
};

outputs finish_outputs(study::study_aggregate const& aggregate, std::string csv) {
  auto summary = aggregate.summary();
  return {json::serialize(summary), std::move(csv), study::report_html(summary, &aggregate.report_runs(), nullptr)};
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

  study::period_options po;
  po.cold_gap = s.cold_gap;
  auto t0 = clock::now();
  study::study_aggregate whole(s, po);
  std::string csv = study::executions_csv_header();
  std::uint64_t executions = 0;
  study::run_each(s, 1, std::nullopt, [&](study::run_result&& run) {
    executions += run.executions.size();
    csv += study::executions_csv_rows(run);
    whole.add(std::move(run));
  });
  auto expected = finish_outputs(whole, std::move(csv));
  double unsharded_s = seconds_since(t0);

  auto dir = fs::temp_directory_path() / fmt::format("stepsim-bench-merge-{}", ::getpid());
  fs::remove_all(dir);
  fs::create_directories(dir);
  try {
    for (int i = 0; i < shards; ++i) {
      study::shard part{i, shards};
      study::part_writer writer(s, std::nullopt, part, dir / study::part_file_name(part));
      study::run_each(s, 1, std::nullopt, [&](study::run_result&& run) { writer.add(run); }, {}, {}, part);
      writer.finish();
    }
    auto t1 = clock::now();
    std::string error;
    auto set = study::part_set::open({dir}, error);
    if (!set) throw study::part_error(error);
    study::study_aggregate merged(set->info(), {});
    std::string merged_csv = study::executions_csv_header();
    set->each([&](study::part_run&& run) {
      merged_csv += run.csv_rows;
      merged.add(std::move(run.totals), std::move(run.whole));
    });
    auto got = finish_outputs(merged, std::move(merged_csv));
    double merge_s = seconds_since(t1);
    if (!(got == expected)) r.error = "the merged outputs differ from the unsharded run's";
    finish(r, executions, executions, merge_s);
    r.ratio = merge_s / unsharded_s;
  } catch (std::exception const& e) {
    r.error = e.what();
  }
  fs::remove_all(dir);
  return r;
}

}  // namespace stepsim::bench
