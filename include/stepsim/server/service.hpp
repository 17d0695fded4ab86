// stepsim::server::service: the AWS Step Functions API (AWS JSON 1.0) over an engine, without sockets.
#pragma once

#include <stepsim/sim/scheduler.hpp>
#include <stepsim/task_adapters/mock_config.hpp>
#include <stepsim/tasks/registry.hpp>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/async_result.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace stepsim::server {

class store;
class lambda_endpoint;

/// Settings of a service.
struct service_options {
  std::string region = "us-east-1";     ///< in every ARN the service makes
  std::string account = "123456789012"; ///< in every ARN the service makes
  /// Every Task with no other handler returns its input.
  bool echo_tasks = false;
  /// Step Functions Local's MockConfigFile: an execution started on
  /// `<stateMachineArn>#<TestCase>` answers the Task states the test case
  /// names with its mocked responses.
  std::optional<tasks::mock_config> mock_config;
  /// Handlers for Task resources (e.g. simulated Lambda functions), tried
  /// before `echo_tasks`. Must outlive the service. May be null.
  tasks::registry const* handlers = nullptr;
  /// Where state machines, executions and histories are kept across
  /// restarts (see store.hpp). Null: in memory only. Must outlive the service.
  store* persistence = nullptr;
  /// The endpoint Lambda Tasks are forwarded to (its handlers are in
  /// `handlers`), when there is one: while it has invocations in flight, the
  /// service is waiting for a client (see waiting_for_clients). May be null.
  lambda_endpoint const* lambda = nullptr;
  /// Seeds the names of executions started without one.
  std::uint64_t seed = 0;
};

/// One API answer: the HTTP status (200, or 400 / 500 for an error) and the
/// JSON body. An error body is `{"__type": "<namespace>#<Code>", "message": ...}`
/// as AWS sends it; AWS SDKs read the code after the '#'.
struct response {
  unsigned status = 200;
  std::string body;
};

/// The Step Functions API on one scheduler: state machines (with versions
/// and aliases), executions, histories, activities, callbacks, tags, map
/// runs and TestState. Executions run as the engine runs them on
/// `sched`, in its time mode. Single-threaded: call it from the thread that
/// runs the scheduler.
class service {
 public:
  service(sim::scheduler& sched, service_options options = {});
  ~service();
  service(service const&) = delete;
  service& operator=(service const&) = delete;

  /// Handles one request. `target` is the `X-Amz-Target` header
  /// (`AWSStepFunctions.<Operation>`), `body` the request's JSON text.
  /// Completes with the response, never inside this call (most operations on
  /// the next turn of the scheduler; GetActivityTask when a task arrives or
  /// after 60 s of wall time; StartSyncExecution when the execution ends).
  /// Errors are responses, never exceptions: an unknown operation gives
  /// UnknownOperationException, text that is not a JSON object or a member
  /// of the wrong type SerializationException, a missing member or one out
  /// of the model's range ValidationException, and each operation's own
  /// errors as AWS names them.
  template <typename CompletionToken>
  auto async_handle(std::string_view target, std::string_view body, CompletionToken&& token) {
    return boost::asio::async_initiate<CompletionToken, void(response)>(
        [this](auto handler, std::string_view t, std::string_view b) { start(t, b, std::move(handler)); }, token,
        target, body);
  }

  /// Runs the scheduler until the request is answered (a test's call; the
  /// scheduler must not already be running). Throws std::logic_error when the
  /// scheduler runs out of work first (a long poll with nothing to answer it).
  response handle_now(std::string_view target, std::string_view body);

  /// True when an execution waits for a client: a `.waitForTaskToken` Task
  /// for SendTaskSuccess / SendTaskFailure, an activity Task for a worker, or
  /// a Lambda Task for `options.lambda`'s answer.
  /// A virtual-time server must not move the clock then (a Task's timeout
  /// would fire before any client could answer).
  bool waiting_for_clients();

  /// How many executions the service holds: every STANDARD one (running or
  /// ended, as AWS keeps them for DescribeExecution), and EXPRESS ones only
  /// while they run (AWS keeps no EXPRESS execution for the API once it ends).
  std::size_t executions_held() const;

  /// Largest request body the API accepts (bytes): a definition of 1,048,576
  /// characters, every one escaped, fits.
  static constexpr std::size_t max_body_size = 8u << 20;

  struct impl;

 private:
  void start(std::string_view target, std::string_view body, boost::asio::any_completion_handler<void(response)> h);
  std::unique_ptr<impl> impl_;
};

}  // namespace stepsim::server
