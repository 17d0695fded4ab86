// The stepsim command: thin, over the library.
#include "cli/commands.hpp"
#include "cli/serve_command.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <charconv>
#include <cstdint>
#include <exception>
#include <thread>

namespace {

/// A whole number that fits 64 bits unsigned, written in decimal digits only:
/// CLI11 alone would wrap "-1" and saturate 18446744073709551616 silently.
CLI::Validator const whole_number(
    [](std::string& text) -> std::string {
      std::uint64_t v = 0;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
      if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos ||
          end != text.data() + text.size())
        return "'" + text + "' is not a whole number from 0 to 18446744073709551615";
      if (ec == std::errc::result_out_of_range) return "'" + text + "' is larger than 18446744073709551615";
      return {};
    },
    "UINT64");

}  // namespace

int main(int argc, char** argv) try {
  using namespace stepsim::cli;
  CLI::App app{"stepsim: run AWS Step Functions state machines locally, in virtual or real time"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "stepsim 0.1.0");

  run_options ro;
  auto* run_cmd = app.add_subcommand(
      "run", "Run one execution and print its result as AWS DescribeExecution does.\n"
             "Exit 0 when it succeeded, 1 when it failed, timed out or was aborted, 2 for bad input.");
  run_cmd->add_option("definition", ro.definition, "state machine definition (ASL JSON file)")->required();
  auto* in = run_cmd->add_option("--input", ro.input, "execution input as JSON text (default {})");
  run_cmd->add_option("--input-file", ro.input_file, "read the execution input from this file")->excludes(in);
  run_cmd->add_flag("--history", ro.history, "add the execution history (\"events\", as GetExecutionHistory)");
  auto* rt = run_cmd->add_flag("--real-time", ro.real_time, "run on the wall clock instead of virtual time");
  run_cmd->add_option("--speed", ro.speed, "with --real-time: how much faster than real time (1000: a 60 s Wait takes 60 ms)")
      ->needs(rt);
  run_cmd->add_flag("--echo-tasks", ro.echo_tasks, "every Task returns its input (no handler needed)");
  run_cmd->add_option("--name", ro.name, "execution name (default: a UUID drawn from --seed)");
  run_cmd->add_option("--state-machine-name", ro.state_machine_name,
                      "state machine name in ARNs and $$ (default: the file name without .asl.json)");
  run_cmd->add_option("--type", ro.type, "STANDARD (default) or EXPRESS: Express runs at most 5 minutes")
      ->check(CLI::IsMember({"STANDARD", "EXPRESS"}));
  run_cmd->add_option("--seed", ro.seed, "seed for execution names, States.MathRandom and States.UUID (default 0)")
      ->check(whole_number);
  run_cmd->add_option("--start-time", ro.start_time,
                      "the instant the clock starts at, ISO-8601 (default: now); pin it for identical reruns");
  run_cmd->add_option("--max-transitions", ro.max_transitions,
                      "abort after this many states entered, 0 = no limit (default 1000000)")
      ->check(whole_number);
  run_cmd->add_option("--time-budget", ro.time_budget_seconds,
                      "abort when still running after this many seconds of scheduler time");

  run_cmd->add_option("--mock-config", ro.mock_config,
                      "Step Functions Local MockConfigFile: Task states named in --test-case return its mocked responses");
  run_cmd->add_option("--test-case", ro.test_case, "the test case of --mock-config to use");
  run_cmd->add_option("--s3-root", ro.s3_root,
                      "folder standing in for S3 (bucket = subfolder, key = path below it): read by a distributed "
                      "Map's ItemReader, written by its ResultWriter")
      ->check(CLI::ExistingDirectory);
  run_cmd->add_option("--machine", ro.machines,
                      "NAME=FILE: a state machine that a Task with Resource arn:aws:states:::states:startExecution "
                      "(.sync, .sync:2, .waitForTaskToken) starts by name or ARN; repeatable");

  test_state_options to;
  auto* ts_cmd = app.add_subcommand(
      "test-state", "Test one state as AWS's TestState API does and print its response.\n"
                    "Exit 0 when the status is SUCCEEDED, 1 for FAILED, RETRIABLE or CAUGHT_ERROR, 2 for bad input.");
  ts_cmd->add_option("--definition", to.definition, "the state (or a state machine with --state-name): JSON text or file://PATH")
      ->required();
  ts_cmd->add_option("--input", to.input, "the state's input as JSON text (default {})");
  ts_cmd->add_option("--role-arn", to.role_arn, "the execution role: shown as $$.Execution.RoleArn (no call needs it)");
  ts_cmd->add_option("--inspection-level", to.inspection_level, "INFO (default), DEBUG or TRACE")
      ->check(CLI::IsMember({"INFO", "DEBUG", "TRACE"}));
  ts_cmd->add_flag("--reveal-secrets", to.reveal_secrets, "refused with --mock, as AWS does; else ignored (no HTTP Tasks are called)");
  ts_cmd->add_option("--variables", to.variables, "workflow variables as a JSON object");
  ts_cmd->add_option("--state-name", to.state_name, "the state to test when --definition is a whole state machine");
  ts_cmd->add_option("--mock", to.mock,
                     "the mocked outcome of a Task, Map or Parallel state: {\"result\": \"<JSON text>\"} or "
                     "{\"errorOutput\": {\"error\": ..., \"cause\": ...}}, and fieldValidationMode");
  ts_cmd->add_option("--context", to.context, "the context object ($$) as a JSON object");
  ts_cmd->add_option("--state-configuration", to.state_configuration,
                     "JSON object: retrierRetryCount (retries already made), errorCausedByState, "
                     "mapIterationFailureCount, mapItemReaderData (text)");

  std::vector<std::string> files;
  bool quiet = false;
  auto* validate_cmd = app.add_subcommand("validate", "Check definitions; print every error with its location.\n"
                                                      "Exit 0 when all are valid, 2 otherwise.");
  validate_cmd->add_option("definitions", files, "definition files")->required();
  validate_cmd->add_flag("-q,--quiet", quiet, "print only errors");

  simulate_options so;
  auto* sim_cmd = app.add_subcommand(
      "simulate", "Run a what-if study in virtual time and print its table; write summary.json, executions.csv and "
                  "report.html with --out.\nExit 0 on success, 2 for a bad study file or bad usage.");
  sim_cmd->add_option("study", so.study, "study file (JSON)")->required();
  sim_cmd->add_option("--out", so.out, "directory for summary.json, executions.csv, report.html");
  sim_cmd->add_option("--seed", so.seed, "override the study's seed")->check(whole_number);
  unsigned hw = std::thread::hardware_concurrency();
  so.jobs = hw ? int(hw) : 1;
  sim_cmd->add_option("--jobs", so.jobs, "runs in parallel (default: the number of cores); results do not depend on it");
  sim_cmd->add_option("--scenario", so.scenario, "run only this scenario");
  sim_cmd->add_flag("--aws-export", so.aws_export,
                    "with --out: also write each run's executions as aws stepfunctions list-executions prints them");
  sim_cmd->add_flag("--records", so.records,
                    "with --out: also write invocations.csv and environments.csv (one row per Lambda request and "
                    "per execution environment)");
  sim_cmd->add_flag("-q,--quiet", so.quiet, "print nothing but errors");
  sim_cmd->add_flag("--allow-large", so.allow_large,
                    "run a study that plans more than 10,000,000 executions in all (refused otherwise)");
  sim_cmd->add_option("--shard", so.shard,
                      "I/N: run only shard I of N (I from 0, or the name of an environment variable holding it, "
                      "e.g. SLURM_ARRAY_TASK_ID/16) and write its part to --out; see stepsim merge");

  merge_options mo;
  auto* merge_cmd = app.add_subcommand(
      "merge", "Merge the parts of a sharded simulation (simulate --shard) into summary.json, executions.csv and "
               "report.html, as the unsharded run writes them.\nExit 0 on success, 2 for parts that do not make one "
               "whole.");
  merge_cmd->add_option("out", mo.out, "output directory")->required();
  merge_cmd->add_option("parts", mo.parts, "part files, or directories of them (every *.part file)")->required();
  merge_cmd->add_flag("-q,--quiet", mo.quiet, "print nothing but errors");

  analyze_options ao;
  auto* an_cmd = app.add_subcommand(
      "analyze", "Compute the cold/warm period table from AWS CLI output (list-executions, describe-execution).");
  an_cmd->add_option("files", ao.files, "JSON files printed by the AWS CLI")->required();
  an_cmd->add_option("--out", ao.out, "directory for summary.json and report.html");
  an_cmd->add_option("--period-gap", ao.period_gap_s, "idle seconds that start a new period (default 1)");
  an_cmd->add_option("--cold-gap", ao.cold_gap_s, "idle seconds after which a period counts as cold (default 60)");
  an_cmd->add_flag("-q,--quiet", ao.quiet, "print nothing but errors");

  power_tune_options po;
  auto* pt_cmd = add_power_tune_command(app, po);

  jsonata_options jo;
  auto* jn_cmd = app.add_subcommand(
      "jsonata", "Evaluate a JSONata expression and print its result as JSON (nothing when it is undefined).\n"
                 "Exit 0 on a result or undefined, 1 on an expression error (CODE at position N: message on "
                 "stderr), 2 for bad usage or input.\nWith --jsonl: one JSON request a line on stdin, one answer a "
                 "line on stdout.");
  auto* jn_expr = jn_cmd->add_option("expression", jo.expression, "the JSONata expression");
  auto* jn_in = jn_cmd->add_option("--input", jo.input_file, "read the input (JSON) from this file; - = stdin");
  jn_cmd->add_option("--input-json", jo.input_json, "the input as JSON text (default: no input, undefined)")
      ->excludes(jn_in);
  jn_cmd->add_option("--bindings", jo.bindings, "variables as a JSON object: {\"x\": 1} binds $x");
  jn_cmd->add_option("--dialect", jo.dialect,
                     "jsonata (default) or step-functions (adds $partition, $range, $hash, $random, $uuid, $parse; "
                     "no $eval)")
      ->check(CLI::IsMember({"jsonata", "step-functions"}));
  jn_cmd->add_option("--now", jo.now, "the instant $now() and $millis() read, ISO-8601 (default: the system clock)");
  jn_cmd->add_option("--seed", jo.seed, "seed of $random(), $shuffle() and $uuid() (default 0)");
  jn_cmd->add_option("--time-limit", jo.time_limit_ms, "fail with U1001 after this many ms (default: no limit)");
  jn_cmd->add_option("--max-depth", jo.max_depth, "fail with U1001 past this evaluation depth (default: the engine's)");
  jn_cmd->add_flag("--compact", jo.compact, "print the result on one line");
  jn_cmd->add_flag("-v,--verbose", jo.verbose, "say on stderr when the result is undefined");
  auto* jn_lines = jn_cmd->add_flag("--jsonl", jo.jsonl,
                                    "read requests {\"expr\", \"data\"?, \"bindings\"?, \"timelimit\"?, "
                                    "\"depth\"?} on stdin, write {\"result\"}|{\"undefined\"}|{\"error\"} lines");
  jn_lines->excludes(jn_expr)->excludes(jn_in);
  jn_cmd->add_option("--max-line", jo.max_line_bytes,
                     "with --jsonl: the longest request line in bytes; a longer one is answered with a bad-line "
                     "error (default 16777216)")
      ->needs(jn_lines)
      ->check(CLI::PositiveNumber);

  calibrate_options co;
  auto* cal_cmd = app.add_subcommand(
      "calibrate", "Fit Lambda functions' init and run durations from their REPORT log lines and write a study's "
                   "'functions' block.");
  cal_cmd->add_option("logs", co.logs,
                      "log files, FILE or NAME=FILE (default NAME: the file name up to its first dot); files with "
                      "one NAME are pooled")
      ->required();
  cal_cmd->add_option("--out", co.out, "the functions block (JSON) to write; - = stdout (then nothing else is printed there)")->required();
  cal_cmd->add_option("--report", co.report, "also write what was read and fitted (JSON)");
  cal_cmd->add_option("--memory", co.memory_mb, "use only reports of this memory size (MB)")->check(CLI::Range(128, 10240));
  cal_cmd->add_option("--fit", co.fit, "auto (default: lognormal when it fits, else quantiles), lognormal or empirical")
      ->check(CLI::IsMember({"auto", "lognormal", "empirical"}));
  cal_cmd->add_option("--max-ks", co.max_ks,
                      "with --fit auto: the largest Kolmogorov-Smirnov distance a lognormal may have (default 0.05)")
      ->check(CLI::Range(0.0, 1.0));
  cal_cmd->add_option("--quantiles", co.quantiles, "quantiles of an empirical fit (default 101: every percentile)")
      ->check(CLI::Range(2, 10001));
  cal_cmd->add_flag("-q,--quiet", co.quiet, "print nothing but errors and warnings");

  serve_options svo;
  auto* serve_cmd = add_serve_command(app, svo);

  try {
    app.parse(argc, argv);
  } catch (CLI::CallForHelp const& e) {
    return app.exit(e);
  } catch (CLI::CallForAllHelp const& e) {
    return app.exit(e);
  } catch (CLI::CallForVersion const& e) {
    return app.exit(e);
  } catch (CLI::ParseError const& e) {
    fmt::print(stderr, "stepsim: {}\nRun 'stepsim --help' for usage.\n", e.what());
    return bad_input;
  }
  if (*run_cmd) return run(ro);
  if (*serve_cmd) return serve(svo);
  if (*ts_cmd) return test_state(to);
  if (*sim_cmd) return simulate(so);
  if (*an_cmd) return analyze(ao);
  if (*merge_cmd) return merge(mo);
  if (*pt_cmd) return power_tune(po);
  if (*cal_cmd) return calibrate(co);
  if (*jn_cmd) {
    if (!jo.jsonl && jn_expr->count() == 0) {
      fmt::print(stderr, "stepsim: jsonata: an expression (or --jsonl) is required\nRun 'stepsim jsonata --help' for usage.\n");
      return bad_input;
    }
    return jsonata_eval(jo);
  }
  return validate(files, quiet);
} catch (std::exception const& e) {
  fmt::print(stderr, "stepsim: internal error: {}\n", e.what());
  return 3;
}
