// `stepsim simulate --shard I/N` (one machine's part of a study) and `stepsim merge`.
#include "cli/commands.hpp"

#include <stepsim/study/part.hpp>
#include <stepsim/study/records.hpp>
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
  fs::path dir(*o.out);
  if (!make_output_dir(dir)) return bad_input;
  auto file = study::output_path(dir, study::part_file_name(*part));
  if (!file) return fail_usage(fmt::format("cannot write a part in '{}'", dir.string()));
  study::part_contents contents{o.records, o.aws_export};
  try {
    study::part_writer writer(s, o.scenario, *part, *file, contents);
    study::run_files files;
    study::run_each(s, o.jobs, o.scenario, [&](study::run_result&& r) {
      // The records and the aws/ file go into the part; merge writes them out.
      if (r.records && !r.records->move_into(files.invocations, files.environments))
        throw study::part_error(fmt::format("cannot read back the records of run ({}, {}) from '{}'", r.scenario,
                                            r.replication, dir.string()));
      if (contents.aws_export) files.aws_export = pretty(study::aws_export(r)) + "\n";
      writer.add(r, files);
    }, {}, contents.records ? dir : fs::path(), *part);
    writer.finish();
  } catch (study::part_error const& e) {
    fmt::print(stderr, "stepsim: {}\n", e.what());
    return bad_input;
  } catch (std::runtime_error const& e) {  // a run's record files cannot be written
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
  if (s.write_executions && !open_output(csv, out, "executions.csv", study::executions_csv_header())) return bad_input;
  auto contents = parts->contents();
  std::ofstream invocations, environments;
  if (contents.records && !(open_output(invocations, out, "invocations.csv", study::invocations_csv_header()) &&
                            open_output(environments, out, "environments.csv", study::environments_csv_header())))
    return bad_input;
  if (contents.aws_export && !make_output_dir(out / "aws")) return bad_input;
  study::study_aggregate aggregate(s, study::period_options{});
  bool written = true;
  try {
    parts->each([&](study::part_run&& run) {
      if (csv.is_open()) csv << run.csv_rows;
      if (contents.records) {
        invocations << run.invocations;
        environments << run.environments;
      }
      if (contents.aws_export)
        written = write_output(out, fs::path("aws") / fmt::format("{}-{}.json", run.totals.scenario, run.totals.replication),
                               std::string(run.aws_export)) && written;
      aggregate.add(std::move(run.totals), std::move(run.whole));
    });
  } catch (study::part_error const& e) {
    fmt::print(stderr, "stepsim: merge: {}\n", e.what());
    return bad_input;
  }
  for (auto [f, name] : {std::pair{&invocations, "invocations.csv"}, std::pair{&environments, "environments.csv"}})
    if (f->is_open()) {
      f->close();
      if (!*f) {
        fmt::print(stderr, "stepsim: cannot write '{}'\n", (out / name).string());
        return bad_input;
      }
    }
  if (!written) return bad_input;
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
