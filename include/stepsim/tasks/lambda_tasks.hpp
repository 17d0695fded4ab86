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

}  // namespace stepsim::tasks
