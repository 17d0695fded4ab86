// stepsim::lambda::prewarmer: workflow-aware pre-warming policies for what-if studies.
#pragma once

#include <stepsim/asl/state_machine.hpp>
#include <stepsim/lambda/service.hpp>

#include <string>
#include <vector>

namespace stepsim::lambda {

/// When to start environments ahead of requests.
enum class prewarm_mode {
  none,        ///< what AWS does: environments start only on demand
  next_step,   ///< entering a state predicts one request to each Lambda function its transitions lead to
  at_start,    ///< an execution's start predicts one request to every Lambda function of the workflow
};

/// Parses "none", "next-step", "at-start"; false for anything else.
bool parse_prewarm_mode(std::string_view text, prewarm_mode& out);

/// The Lambda function a Task resource calls: the NAME of
/// `arn:aws:lambda:...:function:NAME[:Q]`, or the literal `FunctionName` of an
/// `arn:aws:states:::lambda:invoke` Task's Parameters; "" when neither.
std::string lambda_function_of(asl::state const& s);

/// Drives `service::expect_request` from engine hooks (wire
/// `engine_options::on_execution_started` / `on_state_entered` to these).
class prewarmer {
 public:
  prewarmer(service& svc, prewarm_mode mode) : svc_(svc), mode_(mode) {}
  void execution_started(asl::state_machine const& top);
  void state_entered(asl::state_machine const& machine, asl::state const& s);

 private:
  service& svc_;
  prewarm_mode mode_;
};

}  // namespace stepsim::lambda
