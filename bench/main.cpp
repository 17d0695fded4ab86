// stepsim-bench: times stepsim on the shared workloads (see bench/README.md).
#include "cell.hpp"
#include "dmap_bench.hpp"
#include "jsonata_bench.hpp"
#include "lambda_bench.hpp"
#include "merge_bench.hpp"
#include "power_tuning_bench.hpp"
#include "serve_bench.hpp"
#include "study_bench.hpp"
#include "validate_bench.hpp"
#include "workload.hpp"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#ifndef STEPSIM_BENCH_WORKLOADS_DIR
#define STEPSIM_BENCH_WORKLOADS_DIR "workloads"
#endif
#ifndef STEPSIM_BENCH_JSONATA_SET
#define STEPSIM_BENCH_JSONATA_SET "jsonata/expressions.json"
#endif

namespace {

using namespace stepsim;
using bench::cell_result;

std::vector<std::string> split(std::string const& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string item; std::getline(in, item, ',');)
    if (!item.empty()) out.push_back(item);
  return out;
}

void print_table(std::vector<cell_result> const& rows) {
  std::vector<std::string> const hdr = {"workload", "mode",          "batch",      "executions", "wall s",
                                        "exec/s",   "states/exec",   "transitions/s", "ms/exec", "peak RSS MB",
                                        "check"};
  std::vector<std::vector<std::string>> data;
  for (auto const& r : rows)
    data.push_back({r.workload, r.mode, std::to_string(r.batch), std::to_string(r.executions),
                    fmt::format("{:.3f}", r.wall_s), fmt::format("{:.1f}", r.exec_per_s),
                    std::to_string(r.states_per_execution), fmt::format("{:.0f}", r.transitions_per_s),
                    fmt::format("{:.4f}", r.ms_per_op), fmt::format("{:.1f}", r.peak_rss_mb),
                    !r.error.empty() ? "FAILED"
                    : r.ratio >= 0   ? fmt::format("ok, ratio {:.2f}%", r.ratio * 100)
                                     : "ok"});
  std::vector<std::size_t> w(hdr.size());
  for (std::size_t i = 0; i < hdr.size(); ++i) {
    w[i] = hdr[i].size();
    for (auto const& d : data) w[i] = std::max(w[i], d[i].size());
  }
  auto line = [&](std::vector<std::string> const& cells) {
    std::string s = "|";
    for (std::size_t i = 0; i < cells.size(); ++i) s += fmt::format(" {:<{}} |", cells[i], w[i]);
    fmt::print("{}\n", s);
  };
  line(hdr);
  std::string sep = "|";
  for (auto n : w) sep += std::string(n + 2, '-') + "|";
  fmt::print("{}\n", sep);
  for (auto const& d : data) line(d);
}

/// The serve cell's requests per second and latencies, each row next to the bare Beast server's.
void print_serve_summary(std::vector<cell_result> const& rows) {
  auto bare = std::find_if(rows.begin(), rows.end(), [](auto const& r) { return r.workload == "serve" && r.mode == "bare-beast"; });
  for (auto const& r : rows) {
    if (r.workload != "serve" || !r.error.empty()) continue;
    std::string ratio;
    if (r.mode != "bare-beast" && bare != rows.end() && bare->exec_per_s > 0)
      ratio = fmt::format(", {:.0f}% of the bare server's requests/s", 100.0 * r.exec_per_s / bare->exec_per_s);
    fmt::print("serve {:<14} {} connections: {:>8.0f} requests/s, p50 {:.3f} ms, p99 {:.3f} ms{}\n", r.mode, r.batch,
               r.exec_per_s, r.p50_ms, r.p99_ms, ratio);
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"stepsim-bench: stepsim on the shared workloads, seq and conc, in virtual time"};
  std::string dir;
  std::string only;
  std::string json_path;
  std::string history = "off";
  bench::cell_options o;
  bool in_process = false;
  std::string jsonata_set = STEPSIM_BENCH_JSONATA_SET;
  app.add_option("--workloads", dir,
                 "folder of the workloads (default: $STEPSIM_BENCH_WORKLOADS, else " STEPSIM_BENCH_WORKLOADS_DIR ")");
  app.add_option("--only", only,
                 "comma-separated workloads to run (parse500, lambda, study and jsonata included), default all");
  app.add_option("--jsonata-set", jsonata_set,
                 "JSONata expressions of the jsonata cells (default " STEPSIM_BENCH_JSONATA_SET ")");
  app.add_option("--json", json_path, "also write the results to this file, one object per (workload, mode)");
  app.add_option("--history", history, "history recording: off (default), summary or full")
      ->check(CLI::IsMember({"off", "summary", "full"}));
  app.add_option("--min-time", o.min_time_s, "repeat rounds of each cell until this many seconds passed")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--scale", o.scale, "multiply every execution count (each at least 1), e.g. 0.01 for a smoke test")
      ->check(CLI::PositiveNumber);
  app.add_option("--map1000-batch", o.map1000_batch, "executions in flight in map1000 conc")
      ->check(CLI::PositiveNumber);
  std::string modes;
  app.add_option("--mode", modes, "comma-separated modes: run only the cells of these modes (e.g. poisson)");
  app.add_flag("--in-process", in_process, "run the cells in this process (for profilers; peak RSS is then cumulative)");
  CLI11_PARSE(app, argc, argv);

  o.history = history == "full"      ? engine::history_level::full
              : history == "summary" ? engine::history_level::summary
                                     : engine::history_level::off;
  if (dir.empty()) {
    char const* env = std::getenv("STEPSIM_BENCH_WORKLOADS");
    dir = env && *env ? env : STEPSIM_BENCH_WORKLOADS_DIR;
  }

  std::vector<bench::workload> workloads;
  try {
    workloads = bench::load_workloads(dir);
  } catch (std::exception const& e) {
    fmt::print(stderr, "stepsim-bench: {}\n", e.what());
    return 2;
  }
  std::vector<std::string> names;
  for (auto const& w : workloads) names.push_back(w.name);
  names.push_back("parse500");
  names.push_back("lambda");
  names.push_back("study");
  names.push_back("validate");
  names.push_back("analyze");
  names.push_back("jsonata");
  names.push_back("dmap100k");
  names.push_back("power-tune");
  names.push_back("serve");
  names.push_back("merge");
  if (!only.empty()) {
    auto picked = split(only);
    for (auto const& p : picked)
      if (std::find(names.begin(), names.end(), p) == names.end()) {
        fmt::print(stderr, "stepsim-bench: no workload named '{}' (have: {})\n", p, fmt::join(names, ", "));
        return 2;
      }
    std::set<std::string> const set(picked.begin(), picked.end());
    std::erase_if(names, [&](std::string const& n) { return !set.contains(n); });
  }

  fmt::print("stepsim-bench: workloads {}, history {}, min-time {} s, scale {}, {}\n", dir, history, o.min_time_s,
             o.scale, in_process ? "in-process" : "one child process per cell");
  std::fflush(stdout);
  std::vector<cell_result> rows;
  auto const picked_modes = split(modes);
  auto run = [&](std::string const& name, std::string const& mode, std::function<cell_result()> const& body) {
    if (!picked_modes.empty() && std::find(picked_modes.begin(), picked_modes.end(), mode) == picked_modes.end()) return;
    auto r = in_process ? body() : bench::run_isolated(name, mode, body);
    if (r.error.empty() && mode == "eval")
      fmt::print(stderr, "done {}: {:.0f} evaluations/s\n", name, r.exec_per_s);
    else if (r.error.empty())
      fmt::print(stderr, "done {} {}: {:.1f} exec/s, {:.0f} transitions/s, peak RSS {:.1f} MB\n", name, mode,
                 r.exec_per_s, r.transitions_per_s, r.peak_rss_mb);
    else
      fmt::print(stderr, "FAILED {} {}: {}\n", name, mode, r.error);
    rows.push_back(std::move(r));
  };
  for (auto const& name : names) {
    if (name == "power-tune") {  // examples/power-tuning end to end, report page included
      run(name, "example", [&] { return bench::run_power_tune(o); });
      continue;
    }
    if (name == "serve") {  // stepsim serve's API under keep-alive load, next to a bare Beast server
      for (std::string mode : {"bare-beast", "sync-pass", "start-describe"})
        run(name, mode, [&] { return bench::run_serve(mode, o); });
      continue;
    }
    if (name == "merge") {  // examples/sharded-study: merging its 16 parts against running it unsharded
      run(name, "16-parts", [&] { return bench::run_merge(o); });
      continue;
    }
    if (name == "parse500") {
      run(name, "parse", [&] { return bench::run_parse500(o); });
      continue;
    }
    if (name == "lambda") {  // invocations on lambda::service; RSS at 100k and 1M shows it does not grow
      for (std::uint64_t n : {100'000, 1'000'000}) {
        auto const k = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(static_cast<double>(n) * o.scale));
        run(name, std::to_string(k), [&] { return bench::run_lambda(k, false, o); });
      }
      auto const k = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(1'000'000.0 * o.scale));
      run(name, "await-" + std::to_string(k), [&] { return bench::run_lambda(k, true, o); });
      continue;
    }
    if (name == "jsonata") {  // each expression of the set compiled once, evaluated repeatedly
      std::vector<bench::jsonata_case> set;
      try {
        set = bench::load_jsonata_set(jsonata_set);
      } catch (std::exception const& e) {
        fmt::print(stderr, "stepsim-bench: {}\n", e.what());
        return 2;
      }
      for (auto const& c : set) run("jsonata/" + c.name, "eval", [&] { return bench::run_jsonata(c, o); });
      continue;
    }
    if (name == "study") {  // the seed study end to end; a 24-hour Poisson day of the four-step workflow
      run(name, "seed", [&] { return bench::run_study("seed", 0, o); });
      auto const k = std::max<std::uint64_t>(1000, static_cast<std::uint64_t>(1'000'000.0 * o.scale));
      run(name, "poisson", [&] { return bench::run_study("poisson", k, o); });
      run(name, "poisson-jobs2", [&] { return bench::run_study("poisson-jobs2", k, o); });
      continue;
    }
    if (name == "validate") {  // references per second stays flat when parsing is linear
      for (std::uint64_t n : {10'000, 100'000, 1'000'000}) {
        auto const k = std::max<std::uint64_t>(10, static_cast<std::uint64_t>(static_cast<double>(n) * o.scale));
        run(name, std::to_string(k), [&] { return bench::run_validate(std::to_string(k), k, o); });
      }
      run(name, "hints", [&] { return bench::run_validate("hints", 0, o); });
      continue;
    }
    if (name == "dmap100k") {  // a distributed Map over 100,000 CSV rows, batches of 100, EXPRESS children
      auto const k = std::max<std::uint64_t>(100, static_cast<std::uint64_t>(100'000.0 * o.scale));
      run(name, std::to_string(k), [&] { return bench::run_dmap(k, o); });
      continue;
    }
    if (name == "analyze") {  // executions per second stays flat when the analysis is linear
      for (std::uint64_t n : {100'000, 1'000'000}) {
        auto const k = std::max<std::uint64_t>(10, static_cast<std::uint64_t>(static_cast<double>(n) * o.scale));
        run(name, std::to_string(k), [&] { return bench::run_analyze(k, o); });
      }
      continue;
    }
    auto const& w = *std::find_if(workloads.begin(), workloads.end(), [&](auto const& x) { return x.name == name; });
    for (std::string mode : {"seq", "conc"}) run(name, mode, [&] { return bench::run_workload(w, mode, o); });
  }
  print_table(rows);
  print_serve_summary(rows);

  if (!json_path.empty()) {
    boost::json::array a;
    for (auto const& r : rows) a.push_back(r.to_json());
    std::ofstream out(json_path);
    out << boost::json::serialize(a) << '\n';
    if (!out) {
      fmt::print(stderr, "stepsim-bench: cannot write {}\n", json_path);
      return 2;
    }
  }
  bool const ok = std::all_of(rows.begin(), rows.end(), [](auto const& r) { return r.error.empty(); });
  return ok ? 0 : 1;
}
