// stepsim calibrate: Lambda functions fitted from their REPORT log lines.
#include "cli/commands.hpp"

#include <stepsim/asl/json_text.hpp>
#include <stepsim/study/calibrate.hpp>
#include <stepsim/json/read_file.hpp>

#include <boost/json.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

namespace stepsim::cli {

namespace json = boost::json;
namespace cal = study::calibration;

namespace {

/// NAME=FILE, or FILE named by its file name up to the first dot.
std::pair<std::string, std::string> name_and_file(std::string const& arg) {
  auto eq = arg.find('=');
  if (eq != std::string::npos && eq > 0 && arg.find('/') > eq) return {arg.substr(0, eq), arg.substr(eq + 1)};
  auto base = std::filesystem::path(arg).filename().string();
  auto dot = base.find('.');
  return {dot == 0 || dot == std::string::npos ? base : base.substr(0, dot), arg};
}

bool write_file(std::string const& path, std::string const& text) {
  if (path == "-") {
    fmt::print("{}", text);
    return std::fflush(stdout) == 0;
  }
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  if (!out) fmt::print(stderr, "stepsim: cannot write '{}'\n", path);
  return bool(out);
}

/// The functions block as a person reads it: one line per setting, a
/// distribution (quantiles too) on its line.
std::string block_text(json::object const& block) {
  std::string out = "{";
  bool first_fn = true;
  for (auto const& fn : block) {
    out += first_fn ? "\n  " : ",\n  ";
    first_fn = false;
    asl::append_js_text(out, json::value(fn.key()));
    out += ": {";
    bool first = true;
    for (auto const& kv : fn.value().as_object()) {
      out += first ? "\n    " : ",\n    ";
      first = false;
      asl::append_js_text(out, json::value(kv.key()));
      out += ": ";
      asl::append_js_text(out, kv.value());
    }
    out += "\n  }";
  }
  out += block.empty() ? "}\n" : "\n}\n";
  return out;
}

void print_fit(char const* what, cal::duration_fit const& f) {
  fmt::print("  {} ({} samples): mean {:.3f} ms, p50 {:.3f}, p99 {:.3f}, max {:.3f}\n", what, f.samples, f.mean_ms,
             f.p50_ms, f.p99_ms, f.max_ms);
  if (f.lognormal_median_ms)
    fmt::print("    lognormal fit: median {:.3f} ms, sigma {:.4f}, Kolmogorov-Smirnov distance {:.4f}\n",
               *f.lognormal_median_ms, *f.lognormal_sigma, *f.ks_distance);
  fmt::print("    written: {} (mean {:.3f} ms, p99 {:.3f})\n", f.choice, f.chosen.mean_ms(), f.chosen.quantile_ms(0.99));
}

}  // namespace

int calibrate(calibrate_options const& o) {
  // `--out -` writes the block on stdout, alone.
  bool const quiet = o.quiet || o.out == "-";
  cal::fit_options fo;
  fo.mode = o.fit == "lognormal"   ? cal::fit_mode::lognormal
            : o.fit == "empirical" ? cal::fit_mode::empirical
                                   : cal::fit_mode::automatic;
  fo.max_ks = o.max_ks;
  fo.quantiles = o.quantiles;

  // Read every file; pool them by function name, in the order first named.
  std::vector<cal::function_logs> functions;
  std::map<std::string, std::size_t> index;
  json::array files_report;
  bool failed = false;
  for (auto const& arg : o.logs) {
    auto [name, file] = name_and_file(arg);
    if (name.empty()) return fail_usage(fmt::format("'{}': the function name before '=' is empty", arg));
    std::string error;
    auto text = stepsim::json::read_file(file, stepsim::json::file_kind::logs, error);
    if (!text) {
      fmt::print(stderr, "stepsim: {}\n", error);
      return bad_input;
    }
    auto reading = cal::read_logs(*text);
    if (reading.error) {
      fmt::print(stderr, "stepsim: '{}': {}\n", file, *reading.error);
      return bad_input;
    }
    for (auto const& m : reading.malformed)
      fmt::print(stderr, "stepsim: warning: '{}' {} {}: {}; not used\n", file,
                 reading.format == "log-events" ? "event" : "line", m.line, m.reason);
    if (reading.malformed_count > reading.malformed.size())
      fmt::print(stderr, "stepsim: warning: '{}': {} more malformed reports; not used\n", file,
                 reading.malformed_count - reading.malformed.size());
    files_report.push_back(json::object{{"file", file},
                                        {"function", name},
                                        {"format", reading.format},
                                        {"reports", reading.reports.size()},
                                        {"malformed", reading.malformed_count},
                                        {"other_lines", reading.other_count}});
    auto [it, fresh] = index.try_emplace(name, functions.size());
    if (fresh) functions.push_back({name, {}, {}, 0});
    auto& f = functions[it->second];
    f.files.push_back(file);
    f.malformed_count += reading.malformed_count;
    for (auto& r : reading.reports) f.reports.push_back(std::move(r));
  }

  json::object block;
  json::array fitted;
  for (auto const& f : functions) {
    std::string error;
    auto c = cal::calibrate(f, o.memory_mb, fo, error);
    if (!c) {
      fmt::print(stderr, "stepsim: {}\n", error);
      failed = true;
      continue;
    }
    block[c->name] = c->settings();
    auto rep = c->report();
    rep["malformed"] = f.malformed_count;
    fitted.push_back(std::move(rep));
    if (!quiet) {
      fmt::print("{}: {} MB, {} invocations ({} cold, {} with a Status left out), billed mean {:.3f} ms{}\n", c->name,
                 c->memory_mb, c->invocations, c->cold_starts, c->unsuccessful, c->billed_mean_ms,
                 f.malformed_count ? fmt::format(", {} malformed reports not used", f.malformed_count) : "");
      if (c->init) print_fit("init", *c->init);
      else fmt::print("  init: no cold start in the logs; init_ms is left to the runtime's default\n");
      print_fit("run", c->run);
    }
  }
  if (failed) return bad_input;
  if (!write_file(o.out, block_text(block))) return bad_input;
  if (o.report &&
      !write_file(*o.report, pretty(json::object{{"files", files_report}, {"functions", fitted}}, number_style::javascript) + "\n"))
    return bad_input;
  return ok;
}

}  // namespace stepsim::cli
