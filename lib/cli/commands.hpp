// Private to the stepsim program: its subcommands.
#pragma once

#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace stepsim::cli {

/// Exit codes of every command.
enum exit_code : int { ok = 0, execution_failed = 1, bad_input = 2 };

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
};

struct simulate_options {
  std::string study;
  std::optional<std::string> out;
  std::optional<std::uint64_t> seed;
  int jobs = 1;
  std::optional<std::string> scenario;
  bool aws_export = false;
  bool quiet = false;
  bool allow_large = false;
};

struct analyze_options {
  std::vector<std::string> files;
  std::optional<std::string> out;
  double period_gap_s = 1;
  double cold_gap_s = 60;
  bool quiet = false;
};

int run(run_options const& o);
int simulate(simulate_options const& o);
int analyze(analyze_options const& o);
int validate(std::vector<std::string> const& files, bool quiet);

/// JSON text indented by two spaces, as the AWS CLI prints results.
std::string pretty(boost::json::value const& v);

}  // namespace stepsim::cli
