// `stepsim simulate` and `stepsim analyze`.
#include "cli/commands.hpp"

#include <stepsim/study/file_reader.hpp>
#include <stepsim/study/report.hpp>
#include <stepsim/study/runner.hpp>
#include <stepsim/study/summary.hpp>

#include <boost/json.hpp>
#include <fmt/format.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace stepsim::cli {

namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

bool write_file(fs::path const& p, std::string const& text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
  return bool(out);
}

sim::duration seconds(double s) { return sim::duration(static_cast<std::int64_t>(std::llround(s * 1e6))); }

int write_outputs(fs::path const& dir, study::study const* s, json::object const& summary,
                  std::vector<study::run_result> const* runs, std::vector<study::exported_execution> const* rows) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    fmt::print(stderr, "stepsim: cannot create '{}': {}\n", dir.string(), ec.message());
    return bad_input;
  }
  bool ok = write_file(dir / "summary.json", pretty(summary) + "\n");
  if (runs && s && s->write_executions) ok = ok && write_file(dir / "executions.csv", study::executions_csv(*runs));
  ok = ok && write_file(dir / "report.html", study::report_html(summary, runs, rows));
  if (!ok) {
    fmt::print(stderr, "stepsim: cannot write the outputs in '{}'\n", dir.string());
    return bad_input;
  }
  return ok ? 0 : bad_input;
}

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
  if (o.jobs < 1) {
    fmt::print(stderr, "stepsim: --jobs must be at least 1\n");
    return bad_input;
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
  auto runs = study::run_all(s, o.jobs, o.scenario, progress);
  study::period_options po;
  po.cold_gap = s.cold_gap;
  auto summary = study::summarize(s, runs, po);
  if (!o.quiet) fmt::print("{}", study::summary_table(summary));
  if (o.out) {
    if (int rc = write_outputs(*o.out, &s, summary, &runs, nullptr)) return rc;
    if (o.aws_export) {
      fs::create_directories(fs::path(*o.out) / "aws");
      for (auto const& r : runs)
        write_file(fs::path(*o.out) / "aws" / fmt::format("{}-{}.json", r.scenario, r.replication),
                   pretty(study::aws_export(r)) + "\n");
    }
  }
  return ok;
}

int analyze(analyze_options const& o) {
  std::vector<study::exported_execution> rows;
  for (auto const& file : o.files) {
    std::string error;
    auto text = study::read_file(file, study::file_kind::aws_export, error);
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
  if (!(o.period_gap_s >= 0) || !(o.cold_gap_s >= 0)) {
    fmt::print(stderr, "stepsim: --period-gap and --cold-gap must be non-negative seconds\n");
    return bad_input;
  }
  study::period_options po{seconds(o.period_gap_s), seconds(o.cold_gap_s)};
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
  if (o.out) return write_outputs(*o.out, nullptr, summary, nullptr, &rows);
  return ok;
}

}  // namespace stepsim::cli
