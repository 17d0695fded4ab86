// Tests of the server: calls to a service in virtual time, and the botocore model they are checked against.
#pragma once

#include <stepsim/server/service.hpp>
#include <stepsim/sim/scheduler.hpp>

#include <boost/json.hpp>

#include <memory>
#include <string>

namespace stepsim::server::test {

namespace json = boost::json;

/// The instant every test's clock starts at: 2024-01-01T00:00:00Z.
inline sim::instant t0() { return sim::instant{std::chrono::seconds(1704067200)}; }

/// A service on a virtual-time scheduler, called as a client would call it.
struct client {
  sim::scheduler sched = sim::scheduler::virtual_time(t0());
  std::unique_ptr<service> svc;

  explicit client(service_options o = {}) : svc(std::make_unique<service>(sched, std::move(o))) {}

  /// The raw response to `body` (JSON text) for `AWSStepFunctions.<op>`.
  response raw(std::string const& op, std::string const& body) { return svc->handle_now("AWSStepFunctions." + op, body); }
  /// The response body of a call that must succeed (fails the test otherwise).
  json::object call(std::string const& op, json::object const& body = {});
  /// The error code (after '#') of a call that must fail with HTTP 400; `message` receives its message.
  std::string error(std::string const& op, json::object const& body, std::string* message = nullptr);

  /// Creates a state machine named `name` from `definition` and returns its ARN.
  std::string create(std::string const& name, std::string const& definition, std::string const& type = "STANDARD");
  /// Starts an execution and returns its ARN.
  std::string start(std::string const& machine_arn, std::string const& input = "{}", std::string const& name = "");
  /// DescribeExecution.
  json::object describe(std::string const& execution_arn);
  /// Runs the scheduler as `stepsim serve --virtual` does until it would
  /// wait for a client: ready work first, then the next timer, but no timer
  /// while an execution waits for a callback or an activity worker.
  void settle();
};

/// The botocore service model of Step Functions (`stepfunctions`, 2016-11-23),
/// read once through the python3 botocore package; throws when it is missing.
json::object const& model();

/// Checks `body` against the output shape of `op` in the model: every member
/// exists there with the right JSON type (recursively), every required member
/// is present. Returns the problems found (empty when none).
std::string output_problems(std::string const& op, json::object const& body);

}  // namespace stepsim::server::test
