// `stepsim simulate` and `stepsim analyze`.
#include "cli/commands.hpp"

#include <stepsim/study/records.hpp>
#include <stepsim/json/read_file.hpp>
#include <stepsim/study/report.hpp>
#include <stepsim/study/runner.hpp>
#include <stepsim/study/summary.hpp>

#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace stepsim::cli {

namespace json = boost::json;
namespace fs = std::filesystem;

/// Writes `text` to `name` inside `dir`; false (with a message) when it cannot.
bool write_output(fs::path const& dir, fs::path const& name, std::string const& text) {
  auto p = study::output_path(dir, name);
  if (!p) {
    fmt::print(stderr, "stepsim: refusing to write '{}': it is not inside '{}'\n", name.string(), dir.string());
    return false;
  }
  std::ofstream out(*p, std::ios::binary);
  out << text;
  if (!out) fmt::print(stderr, "stepsim: cannot write '{}'\n", p->string());
  return bool(out);
}

bool open_output(std::ofstream& out, fs::path const& dir, char const* name, std::string const& header) {
  auto p = study::output_path(dir, name);
  if (p) out.open(*p, std::ios::binary);
  if (!p || !out) {
    fmt::print(stderr, "stepsim: cannot write '{}'\n", (dir / name).string());
    return false;
  }
  out << header;
  return bool(out);
}

bool make_output_dir(fs::path const& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) fmt::print(stderr, "stepsim: cannot create '{}': {}\n", dir.string(), ec.message());
  return !ec;
}

int write_outputs(fs::path const& dir, json::object const& summary, std::vector<study::run_result> const* runs,
                  std::vector<study::exported_execution> const* rows) {
  if (!make_output_dir(dir)) return bad_input;
  bool ok = write_output(dir, "summary.json", pretty(summary) + "\n");
  ok = ok && write_output(dir, "report.html", study::report_html(summary, runs, rows));
  return ok ? 0 : bad_input;
}

namespace {

/// executions.csv, written one run at a time as the runs end.
class executions_file {
 public:
  bool open(fs::path const& dir) { return open_output(out_, dir, "executions.csv", study::executions_csv_header()); }
  bool is_open() const { return out_.is_open(); }
  void add(study::run_result const& r) { out_ << study::executions_csv_rows(r); }
  bool close() {
    out_.close();
    return bool(out_);
  }

 private:
  std::ofstream out_;
};

/// invocations.csv and environments.csv (--records), each run's parts appended in run order.
class record_files {
 public:
  bool open(fs::path const& dir) {
    return open_output(invocations_, dir, "invocations.csv", study::invocations_csv_header()) &&
           open_output(environments_, dir, "environments.csv", study::environments_csv_header());
  }
  bool is_open() const { return invocations_.is_open(); }
  bool add(study::run_result& r) { return !r.records || r.records->move_into(invocations_, environments_); }
  bool close() {
    invocations_.close();
    environments_.close();
    return invocations_ && environments_;
  }

 private:
  std::ofstream invocations_, environments_;
};

}  // namespace

int simulate(simulate_options const& o) {
  auto loaded = study::load_study(o.study);
  if (!loaded.value) {
    for (auto const& e : loaded.errors)
      fmt::print(stderr, "{}: {}: {}\n", o.study, e.pointer.empty() ? "/" : e.pointer, e.message);
    return bad_input;
  }
  auto& s = *loaded.value;
  if (o.seed) s.seed = *o.seed;
  if (o.scenario) {
    bool found = false;
    for (auto const& c : s.scenarios) found = found || c.scenario == *o.scenario;
    if (!found) {
      std::string names;
      for (auto const& c : s.scenarios) names += (names.empty() ? "" : ", ") + c.scenario;
      fmt::print(stderr, "stepsim: no scenario named '{}' in {} (it has: {})\n", *o.scenario, o.study, names);
      return bad_input;
    }
  }
  if (o.records && !o.out) {
    fmt::print(stderr, "stepsim: --records writes files: it needs --out\n");
    return bad_input;
  }
  if (o.jobs < 1) {
    fmt::print(stderr, "stepsim: --jobs must be at least 1\n");
    return bad_input;
  }
  if (!o.allow_large)
    if (auto too_large = study::check_planned_executions(s, o.scenario)) {
      fmt::print(stderr, "{}: {}: {}\n", o.study, too_large->pointer, too_large->message);
      return bad_input;
    }
  if (o.shard) return simulate_shard(o, s);
  std::optional<fs::path> out;
  executions_file csv;
  record_files records;
  if (o.out) {
    out = fs::path(*o.out);
    if (!make_output_dir(*out) || (o.aws_export && !make_output_dir(*out / "aws"))) return bad_input;
    if (s.write_executions && !csv.open(*out)) return bad_input;
    if (o.records && !records.open(*out)) return bad_input;
  }
  bool bar = isatty(fileno(stderr)) && !o.quiet;
  auto progress = [&](std::size_t done, std::size_t total) {
    if (!bar) return;
    int width = 30;
    int filled = int(double(width) * double(done) / double(total));
    fmt::print(stderr, "\r[{}{}] {}/{} runs", std::string(std::size_t(filled), '#'),
               std::string(std::size_t(width - filled), ' '), done, total);
    if (done == total) fmt::print(stderr, "\n");
  };
  study::period_options po;
  po.cold_gap = s.cold_gap;
  study::study_aggregate aggregate(s, po);
  bool written = true;
  study::run_each(s, o.jobs, o.scenario, [&](study::run_result&& r) {
    if (csv.is_open()) csv.add(r);
    if (records.is_open()) written = records.add(r) && written;
    if (out && o.aws_export)
      written = write_output(*out, fs::path("aws") / fmt::format("{}-{}.json", r.scenario, r.replication),
                             pretty(study::aws_export(r)) + "\n") && written;
    r.records.reset();  // moved into the files above (or not asked for)
    aggregate.add(std::move(r));
  }, progress, records.is_open() ? *out : fs::path());
  auto summary = aggregate.summary();
  if (!o.quiet) fmt::print("{}", study::summary_table(summary));
  if (out) {
    if (csv.is_open() && !csv.close()) {
      fmt::print(stderr, "stepsim: cannot write '{}'\n", (*out / "executions.csv").string());
      return bad_input;
    }
    if (records.is_open() && !records.close()) {
      fmt::print(stderr, "stepsim: cannot write '{}' or '{}'\n", (*out / "invocations.csv").string(),
                 (*out / "environments.csv").string());
      return bad_input;
    }
    if (int rc = write_outputs(*out, summary, &aggregate.report_runs(), nullptr)) return rc;
    if (!written) return bad_input;
  }
  return ok;
}

int analyze(analyze_options const& o) {
  std::vector<study::exported_execution> rows;
  for (auto const& file : o.files) {
    std::string error;
    auto text = stepsim::json::read_file(file, stepsim::json::file_kind::aws_export, error);
    if (!text) {
      fmt::print(stderr, "stepsim: {}\n", error);
      return bad_input;
    }
    auto more = study::read_export(*text, file, error);
    if (!more) {
      fmt::print(stderr, "stepsim: {}\n", error);
      return bad_input;
    }
    rows.insert(rows.end(), more->begin(), more->end());
  }
  auto period_gap = sim::seconds_to_duration(o.period_gap_s), cold_gap = sim::seconds_to_duration(o.cold_gap_s);
  if (!(o.period_gap_s >= 0) || !(o.cold_gap_s >= 0) || !period_gap || !cold_gap) {
    fmt::print(stderr, "stepsim: --period-gap and --cold-gap must be non-negative seconds, and the clock takes {}\n",
               sim::seconds_range());
    return bad_input;
  }
  study::period_options po{*period_gap, *cold_gap};
  auto table = study::analyze_periods(rows, po);
  json::object summary{{"analysis", "periods"},
                       {"period_gap_s", o.period_gap_s},
                       {"cold_gap_s", o.cold_gap_s},
                       {"by_period", table}};
  if (!o.quiet) {
    fmt::print("  {:<16} {:>6} {:>8} {:>6} {:>14} {:>14}\n", "workflow", "execs", "periods", "cold", "avg cold (ms)",
               "avg warm (ms)");
    for (auto const& wv : table) {
      auto const& w = wv.as_object();
      fmt::print("  {:<16} {:>6} {:>8} {:>6} {:>14.2f} {:>14.2f}\n", std::string_view(w.at("workflow").as_string()),
                 w.at("executions").to_number<double>(), w.at("periods").to_number<double>(),
                 w.at("cold_executions").to_number<double>(), w.at("avg_cold_ms").to_number<double>(),
                 w.at("avg_warm_ms").to_number<double>());
    }
  }
  if (o.out) return write_outputs(*o.out, summary, nullptr, &rows);
  return ok;
}

}  // namespace stepsim::cli
