// `stepsim serve`: the AWS Step Functions API for the AWS CLI and SDKs.
#include "cli/serve_command.hpp"

#include "cli/commands.hpp"

#include <stepsim/server/http_server.hpp>
#include <stepsim/server/lambda_endpoint.hpp>
#include <stepsim/server/service.hpp>
#include <stepsim/server/store.hpp>
#include <stepsim/json/read_file.hpp>
#include <stepsim/lambda/service.hpp>
#include <stepsim/study/runner.hpp>
#include <stepsim/study/study.hpp>
#include <stepsim/task_adapters/lambda_tasks.hpp>
#include <stepsim/task_adapters/mock_config.hpp>
#include <stepsim/tasks/registry.hpp>

#include <CLI/CLI.hpp>
#include <boost/asio/signal_set.hpp>
#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <cstdio>

namespace stepsim::cli {

CLI::App* add_serve_command(CLI::App& app, serve_options& o) {
  auto* cmd = app.add_subcommand(
      "serve", "Serve the AWS Step Functions API (AWS JSON 1.0 over HTTP) for the AWS CLI and SDKs:\n"
               "  aws stepfunctions --endpoint-url http://127.0.0.1:8083 list-state-machines\n"
               "For local use only: any credentials are accepted. Prints 'listening on http://HOST:PORT' when ready;\n"
               "stops on SIGINT or SIGTERM (exit 0). Exit 2 for bad options or an address that cannot be used.");
  cmd->add_option("--host", o.host, "IP address to listen on (default 127.0.0.1: this machine only)");
  cmd->add_option("--port", o.port, "TCP port (default 8083; 0 picks a free one)");
  cmd->add_option("--data", o.data,
                  "keep state machines, executions and histories in DIR/stepsim.db (SQLite) across restarts");
  cmd->add_option("--mock-config", o.mock_config,
                  "Step Functions Local MockConfigFile: start an execution on '<stateMachineArn>#<TestCase>' to mock "
                  "the Tasks the test case names");
  cmd->add_option("--functions", o.functions,
                  "a study file: its simulated Lambda functions (cold starts, keep-alive, concurrency) answer "
                  "Tasks on arn:aws:lambda:...:function:NAME and arn:aws:states:::lambda:invoke");
  cmd->add_option("--scenario", o.scenario, "with --functions: the study's scenario whose functions are used "
                                            "(default: its first)");
  cmd->add_option("--lambda-endpoint", o.lambda_endpoint,
                  "forward Lambda Tasks (arn:aws:lambda:...:function:NAME, arn:aws:states:::lambda:invoke) to a "
                  "Lambda-compatible endpoint, e.g. http://127.0.0.1:3001 of 'sam local start-lambda' (http:// only)");
  cmd->add_flag("--echo-tasks", o.echo_tasks, "every Task with no other handler returns its input");
  auto* virt = cmd->add_flag("--virtual", o.virtual_time,
                             "virtual time: the clock jumps to the next timer whenever every execution waits "
                             "(Waits and retries take no time)");
  cmd->add_option("--speed", o.speed, "real time this many times faster (default 1: a 60 s Wait takes 60 s)")
      ->excludes(virt);
  cmd->add_option("--region", o.region, "region in ARNs (default us-east-1)");
  cmd->add_option("--account", o.account, "account id in ARNs (default 123456789012)");
  cmd->add_option("--seed", o.seed, "seed of execution names and States.MathRandom / States.UUID (default 0)");
  return cmd;
}

namespace {

/// The settings of `scenario` (default: the first) of the study `file`, or nullopt after saying why not.
std::optional<study::run_config> functions_of(std::string const& file, std::optional<std::string> const& scenario) {
  auto loaded = study::load_study(file);
  if (!loaded.value) {
    for (auto const& e : loaded.errors)
      fmt::print(stderr, "{}: {}: {}\n", file, e.pointer.empty() ? "/" : e.pointer, e.message);
    return std::nullopt;
  }
  auto& scenarios = loaded.value->scenarios;
  for (auto& c : scenarios)
    if (!scenario || c.scenario == *scenario) return std::move(c);
  std::string names;
  for (auto const& c : scenarios) names += (names.empty() ? "" : ", ") + c.scenario;
  fmt::print(stderr, "stepsim: no scenario named '{}' in {} (it has: {})\n", *scenario, file, names);
  return std::nullopt;
}

}  // namespace

int serve(serve_options const& o) {
  if (!(o.speed > 0 && std::isfinite(o.speed))) return fail_usage("--speed must be a positive number");
  if (o.lambda_endpoint && o.functions)
    return fail_usage("--lambda-endpoint and --functions both answer Lambda Tasks: give only one");
  std::optional<server::endpoint_url> lambda_url;
  if (o.lambda_endpoint) {
    try {
      lambda_url = server::parse_endpoint_url(*o.lambda_endpoint);
    } catch (server::endpoint_url_error const& e) {
      return fail_usage(e.what());
    }
  }
  server::service_options so;
  so.region = o.region;
  so.account = o.account;
  so.echo_tasks = o.echo_tasks;
  so.seed = o.seed;
  if (o.mock_config) {
    std::string error;
    auto text = stepsim::json::read_file(*o.mock_config, stepsim::json::file_kind::mock, error);
    if (!text) return fail_usage(error);
    try {
      so.mock_config = tasks::read_mock_config_or_throw(*text, *o.mock_config);
    } catch (tasks::mock_config_error const& e) {
      fmt::print(stderr, "{}\n", e.what());
      return bad_input;
    }
  }
  std::optional<server::store> store;
  if (o.data) {
    try {
      store.emplace(*o.data);
    } catch (server::store_error const& e) {
      return fail_usage(e.what());
    }
    so.persistence = &*store;
  }
  std::optional<study::run_config> functions;
  if (o.functions) {
    functions = functions_of(*o.functions, o.scenario);
    if (!functions) return bad_input;
  } else if (o.scenario) {
    return fail_usage("--scenario needs --functions");
  }
  // The command line is the one place that may read the wall clock.
  auto start = std::chrono::time_point_cast<sim::duration>(std::chrono::system_clock::now());
  auto sched = o.virtual_time ? sim::scheduler::virtual_time(start) : sim::scheduler::real_time(start, o.speed);
  // Declared before the service, which holds on to the registry and (through it) the Lambda service.
  std::optional<lambda::service> lambdas;
  tasks::registry lambda_tasks;
  if (functions) {
    lambdas.emplace(sched, sim::rng(o.seed), functions->service);
    lambdas->set_keep_alive(study::make_keep_alive(functions->keep_alive));
    for (auto const& [name, f] : functions->functions) lambdas->add(f);
    tasks::bind_lambda(lambda_tasks, *lambdas);
    so.handlers = &lambda_tasks;
  }
  std::optional<server::lambda_endpoint> endpoint;
  if (lambda_url) {
    try {
      endpoint.emplace(sched.get_executor(), std::move(*lambda_url));
    } catch (server::endpoint_url_error const& e) {
      return fail_usage(e.what());
    }
    endpoint->bind(lambda_tasks);
    so.handlers = &lambda_tasks;
    so.lambda = &*endpoint;
  }
  server::service svc(sched, std::move(so));
  std::optional<server::http_server> http;
  try {
    http.emplace(sched, svc, server::listen_options{.host = o.host, .port = o.port});
  } catch (boost::system::system_error const& e) {
    return fail_usage(fmt::format("cannot listen on {}:{}: {}", o.host, o.port, e.code().message()));
  }
  boost::asio::signal_set signals(sched.context(), SIGINT, SIGTERM);
  signals.async_wait([&](boost::system::error_code ec, int) {
    if (!ec) http->stop();
  });
  fmt::print("listening on http://{}:{}\n", o.host, http->port());
  std::fflush(stdout);
  http->run();
  return ok;
}

}  // namespace stepsim::cli
