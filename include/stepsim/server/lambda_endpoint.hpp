// stepsim::server::lambda_endpoint: Lambda Tasks forwarded to a Lambda-compatible HTTP endpoint
// (`stepsim serve --lambda-endpoint URL`, e.g. SAM's `sam local start-lambda`).
#pragma once

#include <stepsim/tasks/registry.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

namespace stepsim::server {

/// Thrown by parse_endpoint_url for a URL it cannot use; the message names the URL and the problem.
class endpoint_url_error : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// Where a Lambda-compatible endpoint listens: `http://HOST[:PORT][/PATH]`.
struct endpoint_url {
  std::string host;         ///< a name or an IP address (IPv6 in brackets in the URL, without here)
  std::uint16_t port = 80;
  std::string path;         ///< a prefix before `/2015-03-31/...`, without the trailing '/' ("" for none)
};

/// Reads `url`. Only `http://` is supported (no TLS); a query, a fragment,
/// user information, an empty host or a port outside 1-65535 is an
/// endpoint_url_error.
endpoint_url parse_endpoint_url(std::string_view url);

/// The function name and qualifier the Invoke API takes for `function`: a
/// function's name, `NAME:QUALIFIER`, a full ARN
/// (`arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]`) or a partial
/// one (`ACCOUNT:function:NAME[:QUALIFIER]`). The name alone goes in the
/// URL (SAM's `start-lambda` knows functions by name), the qualifier as
/// `?Qualifier=`.
struct function_ref {
  std::string name;
  std::string qualifier;  ///< "" for none
};
function_ref function_of(std::string_view function);

/// Invokes functions with the Lambda Invoke REST API,
/// `POST {URL}/2015-03-31/functions/{NAME}/invocations` (RequestResponse,
/// the payload as body), on an io executor, asynchronously: a scheduler
/// never blocks on the endpoint. One connection per invocation.
///
/// Answers become what Step Functions reports:
/// - 2xx: the function's result (its JSON body);
/// - 2xx with `X-Amz-Function-Error`: the Task fails with the body's
///   `errorType` (`Lambda.Unknown` when it has none), cause the body;
/// - another status: `Lambda.<X-Amzn-ErrorType>` (with `Exception` appended
///   when the type lacks it, as SAM's `ResourceNotFound`), or without that
///   header `Lambda.TooManyRequestsException` for 429,
///   `Lambda.ServiceException` for 5xx, `Lambda.AWSLambdaException` otherwise;
/// - no answer (connection refused, a broken or timed-out connection, a
///   response that is not HTTP):
///   `Lambda.SdkClientException`.
class lambda_endpoint {
 public:
  /// `timeout` bounds one invocation in wall time (Lambda's own limit is 15
  /// minutes). Resolves `url.host` at once, blocking (call it at startup);
  /// throws endpoint_url_error when the name does not resolve.
  lambda_endpoint(boost::asio::any_io_executor executor, endpoint_url url,
                  std::chrono::seconds timeout = std::chrono::seconds(15 * 60 + 30));
  ~lambda_endpoint();
  lambda_endpoint(lambda_endpoint const&) = delete;
  lambda_endpoint& operator=(lambda_endpoint const&) = delete;

  /// Registers in `r` (this must outlive its use) the handlers of
  /// `arn:aws:lambda:*:function:*` (the result is the function's result) and
  /// `arn:aws:states:::lambda:invoke` (FunctionName and Payload from the
  /// Parameters; the result in AWS's shape, `Payload` the function's result,
  /// `ExecutedVersion` from the endpoint's `X-Amz-Executed-Version`).
  void bind(tasks::registry& r);

  /// Invokes `function` with `payload`; throws tasks::task_error as above.
  /// `executed_version`, when given, receives `X-Amz-Executed-Version` ("$LATEST" when absent).
  boost::asio::awaitable<boost::json::value> invoke(std::string function, boost::json::value payload,
                                                    std::string* executed_version = nullptr);

  /// Invocations sent and not answered yet: a virtual-time server does not
  /// move its clock while there are any (see service_options::lambda).
  std::size_t in_flight() const noexcept;

 private:
  struct impl;
  std::shared_ptr<impl> impl_;
};

}  // namespace stepsim::server
