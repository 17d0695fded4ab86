// Private to the stepsim program: `stepsim serve`, the Step Functions API on a local port.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace CLI {
class App;
}

namespace stepsim::cli {

struct serve_options {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8083;
  std::optional<std::string> data;         ///< directory of the SQLite store
  std::optional<std::string> mock_config;  ///< Step Functions Local MockConfigFile
  std::optional<std::string> functions;    ///< a study file whose simulated Lambda functions answer Tasks
  std::optional<std::string> scenario;     ///< the study's scenario whose functions are used (default: the first)
  std::optional<std::string> lambda_endpoint;  ///< http://HOST[:PORT] of a Lambda-compatible endpoint
  bool echo_tasks = false;
  double speed = 1.0;
  bool virtual_time = false;
  std::string region = "us-east-1";
  std::string account = "123456789012";
  std::uint64_t seed = 0;
};

/// Adds the `serve` subcommand to `app`, its options read into `o`.
CLI::App* add_serve_command(CLI::App& app, serve_options& o);
/// Serves until SIGINT or SIGTERM. Exit 0 then; 2 for bad options or an address that cannot be used.
int serve(serve_options const& o);

}  // namespace stepsim::cli
