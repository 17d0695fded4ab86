// stepsim::tasks: Task resources that call the simulated Lambda service.
#pragma once

#include <stepsim/lambda/service.hpp>
#include <stepsim/tasks/registry.hpp>

namespace stepsim::tasks {

/// Registers, in `r`, awaitable handlers that call `svc` (which must outlive
/// the registry's use):
///
/// - `arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]`: invokes NAME
///   with the effective input; the state's result is the function's result.
/// - `arn:aws:states:::lambda:invoke`: invokes `FunctionName` (name or ARN)
///   with `Payload`; the result has AWS's shape: `ExecutedVersion`, `Payload`,
///   `SdkHttpMetadata`, `SdkResponseMetadata`, `StatusCode` 200.
///
/// Failures become the errors Step Functions reports: the function's
/// errorType (cause `{"errorMessage", "errorType", "stackTrace"}`),
/// `Lambda.TooManyRequestsException`, `Lambda.ServiceException`,
/// `Lambda.Unknown` (timeout, crash), `Lambda.ResourceNotFoundException`.
void bind_lambda(registry& r, lambda::service& svc);

/// What an `arn:aws:states:::lambda:invoke` Task asks for.
struct lambda_invoke_request {
  std::string function;        ///< Parameters.FunctionName (name or ARN)
  boost::json::value payload;  ///< Parameters.Payload (null when absent)
};

/// Reads FunctionName and Payload from an invoke Task's effective input;
/// throws task_error (States.TaskFailed) when FunctionName is missing or not a string.
lambda_invoke_request read_lambda_invoke(boost::json::value const& input);

/// The invoke Task's result in AWS's shape around the function's `payload`:
/// `ExecutedVersion`, `Payload`, `SdkHttpMetadata`, `SdkResponseMetadata`, `StatusCode` 200.
boost::json::value lambda_invoke_result(boost::json::value payload);

}  // namespace stepsim::tasks
