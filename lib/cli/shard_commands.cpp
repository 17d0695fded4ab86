// `stepsim simulate --shard I/N` (one machine's part of a study) and `stepsim merge`.
#include "cli/commands.hpp"

#include <stepsim/study/part.hpp>
#include <stepsim/study/report.hpp>
#include <stepsim/study/runner.hpp>
#include <stepsim/study/summary.hpp>

#include <boost/json.hpp>
#include <fmt/format.h>

#include <cstdlib>
#include <fstream>

namespace stepsim::cli {

namespace fs = std::filesystem;

int simulate_shard(simulate_options const& o, study::study const& s) {
  std::string error;
  auto part = study::parse_shard(*o.shard, error, [](char const* name) { return std::getenv(name); });
  if (!part) return fail_usage(error);
  if (!o.out) return fail_usage("--shard writes a part: it needs --out DIR");
  if (o.records || o.aws_export) return fail_usage("--shard does not write --records or --aws-export: run those unsharded");
  fs::path dir(*o.out);
  if (!make_output_dir(dir)) return bad_input;
  auto file = study::output_path(dir, study::part_file_name(*part));
  if (!file) return fail_usage(fmt::format("cannot write a part in '{}'", dir.string()));
  try {
    study::part_writer writer(s, o.scenario, *part, *file);
    study::run_each(s, o.jobs, o.scenario, [&](study::run_result&& r) { writer.add(r); }, {}, {}, *part);
    writer.finish();
  } catch (study::part_error const& e) {
    fmt::print(stderr, "stepsim: {}\n", e.what());
    return bad_input;
  }
  if (!o.quiet) fmt::print("part {} of {} written to {}\n", part->index, part->count, file->string());
  return ok;
}

int merge(merge_options const& o) {
  std::vector<fs::path> paths(o.parts.begin(), o.parts.end());
  std::string error;
  auto parts = study::part_set::open(paths, error);
  if (!parts) {
    fmt::print(stderr, "stepsim: merge: {}\n", error);
    return bad_input;
  }
  auto const& s = parts->info();
  fs::path out(o.out);
  if (!make_output_dir(out)) return bad_input;
  std::ofstream csv;
  if (s.write_executions) {
    auto p = study::output_path(out, "executions.csv");
    if (p) csv.open(*p, std::ios::binary);
    if (!p || !csv) {
      fmt::print(stderr, "stepsim: cannot write '{}'\n", (out / "executions.csv").string());
      return bad_input;
    }
    csv << study::executions_csv_header();
  }
  study::study_aggregate aggregate(s, study::period_options{});
  try {
    parts->each([&](study::run_totals&& t, std::string_view rows, std::optional<study::run_result>&& whole) {
      if (csv.is_open()) csv << rows;
      aggregate.add(std::move(t), std::move(whole));
    });
  } catch (study::part_error const& e) {
    fmt::print(stderr, "stepsim: merge: {}\n", e.what());
    return bad_input;
  }
  if (csv.is_open()) {
    csv.close();
    if (!csv) {
      fmt::print(stderr, "stepsim: cannot write '{}'\n", (out / "executions.csv").string());
      return bad_input;
    }
  }
  auto summary = aggregate.summary();
  if (!o.quiet) fmt::print("{}", study::summary_table(summary));
  return write_outputs(out, summary, &aggregate.report_runs(), nullptr);
}

}  // namespace stepsim::cli
