// Private to the stepsim program: its subcommands.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace CLI {
class App;
}
namespace stepsim::asl {
class state_machine;
}
namespace stepsim::tasks {
class registry;
}
namespace stepsim::engine {
class engine;
}
namespace stepsim::study {
struct run_result;
struct exported_execution;
struct study;
}

namespace stepsim::cli {

/// Exit codes of every command.
enum exit_code : int { ok = 0, execution_failed = 1, expression_failed = 1, bad_input = 2 };

struct run_options {
  std::string definition;
  std::optional<std::string> input;
  std::optional<std::string> input_file;
  bool history = false;
  bool real_time = false;
  double speed = 1.0;
  bool echo_tasks = false;
  std::string name;
  std::string state_machine_name;
  std::uint64_t seed = 0;
  std::string type = "STANDARD";
  std::optional<std::string> start_time;
  std::uint64_t max_transitions = 1'000'000;
  std::optional<double> time_budget_seconds;
  std::optional<std::string> mock_config;  ///< Step Functions Local MockConfigFile
  std::optional<std::string> test_case;    ///< its test case to use
  std::string s3_root;                      ///< folder standing in for S3 (bucket = subfolder)
  std::vector<std::string> machines;        ///< NAME=FILE: machines nested executions start
};

struct simulate_options {
  std::string study;
  std::optional<std::string> out;
  std::optional<std::uint64_t> seed;
  int jobs = 1;
  std::optional<std::string> scenario;
  bool aws_export = false;
  bool records = false;
  bool quiet = false;
  bool allow_large = false;
  std::optional<std::string> shard;  ///< "I/N": write part I of N (study/part.hpp)
};

/// `stepsim merge OUT PART...`: the outputs of a sharded simulation.
struct merge_options {
  std::string out;
  std::vector<std::string> parts;
  bool quiet = false;
};

struct analyze_options {
  std::vector<std::string> files;
  std::optional<std::string> out;
  double period_gap_s = 1;
  double cold_gap_s = 60;
  bool quiet = false;
};

/// `stepsim test-state`: the fields of AWS's TestState request.
struct test_state_options {
  std::string definition;  ///< JSON text, or file://PATH
  std::optional<std::string> input;
  std::optional<std::string> role_arn;  ///< shown in the default context object
  std::string inspection_level = "INFO";
  bool reveal_secrets = false;
  std::optional<std::string> variables;
  std::optional<std::string> state_name;
  std::optional<std::string> mock;  ///< {"result": "<JSON text>"} or {"errorOutput": {"error": ..., "cause": ...}}
  std::optional<std::string> context;
  std::optional<std::string> state_configuration;
};

int run(run_options const& o);
/// With --mock-config: makes `tasks` answer the states the test case names
/// from the file (the handlers `tasks` had answer the others). Returns what
/// keeps the mocks alive, or null with `code` set to bad_input after saying
/// why (a bad file, an unknown test case); null and `code` untouched without
/// --mock-config.
std::shared_ptr<void> bind_mock_config(run_options const& o, asl::state_machine const& machine,
                                       std::string const& machine_name, tasks::registry& tasks, engine::engine& eng,
                                       int& code);
int test_state(test_state_options const& o);

struct jsonata_options {
  std::string expression;
  std::optional<std::string> input_file;  ///< "-" = standard input
  std::optional<std::string> input_json;
  std::optional<std::string> bindings;
  std::string dialect = "jsonata";
  std::optional<std::string> now;  ///< ISO-8601 instant for $now()/$millis()
  std::uint64_t seed = 0;
  std::uint64_t time_limit_ms = 0;
  std::size_t max_depth = 0;
  std::size_t max_line_bytes = 16 << 20;  ///< --jsonl: the longest request line read
  bool jsonl = false;
  bool compact = false;
  bool verbose = false;
};

int jsonata_eval(jsonata_options const& o);

/// `stepsim calibrate`: functions fitted from their Lambda logs.
struct calibrate_options {
  std::vector<std::string> logs;  ///< FILE or NAME=FILE
  std::string out;                ///< the functions block written
  std::optional<std::string> report;
  std::optional<int> memory_mb;
  std::string fit = "auto";
  double max_ks = 0.05;
  std::size_t quantiles = 101;
  bool quiet = false;
};

int calibrate(calibrate_options const& o);
/// `simulate --shard`: runs the shard's share of `s` and writes its part.
int simulate_shard(simulate_options const& o, study::study const& s);
int simulate(simulate_options const& o);
int merge(merge_options const& o);
int analyze(analyze_options const& o);
int validate(std::vector<std::string> const& files, bool quiet);

/// How `pretty` writes floating-point numbers.
enum class number_style {
  java,        ///< as Step Functions (Java) prints them: `1.0`, `1.0E10`
  javascript,  ///< as JSON.stringify does (JSONata): `1`, `1e+21`
};

/// JSON text indented by two spaces, as the AWS CLI prints results.
std::string pretty(boost::json::value const& v, number_style numbers = number_style::java);

/// Prints "stepsim: <reason>" on stderr and returns `bad_input`.
int fail_usage(std::string const& reason);

/// Creates the output directory `dir`; false (with a message) when it cannot.
bool make_output_dir(std::filesystem::path const& dir);
/// summary.json and report.html in `dir` (created when missing).
int write_outputs(std::filesystem::path const& dir, boost::json::object const& summary,
                  std::vector<study::run_result> const* runs, std::vector<study::exported_execution> const* rows);
/// Writes `text` to `name` inside `dir` (through study::output_path); false (with a message) when it cannot.
bool write_output(std::filesystem::path const& dir, std::filesystem::path const& name, std::string const& text);
/// Opens `dir`/`name` for writing in binary and writes `header` (a CSV file's
/// header line); false, with the message printed, when it cannot.
bool open_output(std::ofstream& out, std::filesystem::path const& dir, char const* name, std::string const& header);

struct power_tune_options {
  std::string function;  ///< FUNCTION.json: one function's settings, as in a study file
  std::optional<std::string> input;
  std::optional<std::string> input_file;
  std::optional<std::string> out;
  std::uint64_t seed = 1;
  bool quiet = false;
};
int power_tune(power_tune_options const& o);
/// Adds the `power-tune` subcommand to `app`, filling `o`.
CLI::App* add_power_tune_command(CLI::App& app, power_tune_options& o);

}  // namespace stepsim::cli
