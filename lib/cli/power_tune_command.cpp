// `stepsim power-tune`: AWS Lambda Power Tuning, offline, on a function described by its settings.
#include "cli/commands.hpp"

#include <stepsim/asl/json_text.hpp>
#include <stepsim/json/read_file.hpp>
#include <stepsim/study/function_settings.hpp>
#include <stepsim/study/power_tuning.hpp>

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <fmt/format.h>

#include <filesystem>

namespace stepsim::cli {

namespace json = boost::json;

CLI::App* add_power_tune_command(CLI::App& app, power_tune_options& o) {
  auto* cmd = app.add_subcommand(
      "power-tune", "Run AWS Lambda Power Tuning offline: invoke the function described in FUNCTION.json num times\n"
                    "at each memory size in virtual time and print the tool's output; write output.json and\n"
                    "report.html (the cost/speed chart) with --out.\n"
                    "Exit 0 when the tuning succeeded, 1 when it failed, 2 for bad input.");
  cmd->add_option("function", o.function, "the function's settings (JSON object, as under a study's \"functions\")")
      ->required();
  auto* in = cmd->add_option("--input", o.input, "the state machine input as JSON text: {\"lambdaARN\", \"num\", ...}");
  cmd->add_option("--input-file", o.input_file, "read the input from this file")->excludes(in);
  cmd->add_option("--out", o.out, "directory for output.json and report.html");
  cmd->add_option("--seed", o.seed, "seed of the function's random durations (default 1)");
  cmd->add_flag("-q,--quiet", o.quiet, "print nothing but errors");
  return cmd;
}

int power_tune(power_tune_options const& o) {
  if (!o.input && !o.input_file) return fail_usage("power-tune: --input or --input-file is required");
  std::string error;
  auto settings_text = stepsim::json::read_file(o.function, stepsim::json::file_kind::input, error);
  if (!settings_text) return fail_usage(error);
  auto settings = asl::parse_json(*settings_text, error);
  if (!settings) return fail_usage(fmt::format("{}: not valid JSON: {}", o.function, error));
  auto function = study::parse_function_settings(*settings, "function");
  for (auto const& e : function.errors)
    fmt::print(stderr, "{}: {}: {}\n", o.function, e.pointer.empty() ? "/" : e.pointer, e.message);
  if (!function.value) return bad_input;

  std::string input_name = "--input";
  std::string input_text;
  if (o.input) {
    input_text = *o.input;
  } else {
    input_name = *o.input_file;
    auto text = stepsim::json::read_file(*o.input_file, stepsim::json::file_kind::input, error);
    if (!text) return fail_usage(error);
    input_text = std::move(*text);
  }
  auto input = asl::parse_json(input_text, error);
  if (!input) return fail_usage(fmt::format("{}: not valid JSON: {}", input_name, error));
  auto checked = study::parse_power_tuning_input(*input);
  for (auto const& e : checked.errors)
    fmt::print(stderr, "{}: {}: {}\n", input_name, e.pointer.empty() ? "/" : e.pointer, e.message);
  if (!checked.value) return bad_input;

  study::power_tuning_options options;
  options.seed = o.seed;
  auto run = study::run_power_tuning(std::move(*function.value), *input, options);
  json::value output = run.execution.output ? *run.execution.output : json::value();
  if (!run.execution.succeeded()) {
    fmt::print(stderr, "stepsim: power-tune: the tuning failed: {}: {}\n", run.execution.error.value_or(""),
               run.execution.cause.value_or(""));
  } else if (!o.quiet) {
    fmt::print("{}\n", pretty(output, number_style::javascript));
  }
  if (o.out) {
    std::filesystem::path dir(*o.out);
    if (!make_output_dir(dir)) return bad_input;
    bool written = write_output(dir, "output.json", pretty(output, number_style::javascript) + "\n") &&
                   write_output(dir, "report.html", study::power_tuning_report_html(run, *input));
    if (!written) return bad_input;
  }
  return run.execution.succeeded() ? ok : execution_failed;
}

}  // namespace stepsim::cli
