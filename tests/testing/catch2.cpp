#include <stepsim/testing/catch2.hpp>

#include <stepsim/testing/workflow.hpp>

#include <boost/json.hpp>

namespace json = boost::json;
using namespace stepsim::testing;

namespace {

char const* const flow = R"({"StartAt": "A", "States": {
    "A": {"Type": "Pass", "Result": {"n": 1, "deep": {"x": [1, 2], "y": "z"}}, "Next": "B"},
    "B": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "ResultPath": "$.b", "End": true}}})";

}  // namespace

TEST_CASE("The matchers accept what they name and refuse the rest", "[testing][catch2]") {
  auto wf = workflow::from_text(flow);
  wf.mock("B").throws("Boom", "it broke").returns("ok");
  auto failed = wf.run();
  auto wf2 = workflow::from_text(flow);
  wf2.mock("B").returns("ok");
  auto ok = wf2.run();

  CHECK_THAT(ok, succeeded());
  CHECK_THAT(failed, !succeeded());
  CHECK_THAT(failed, failed_with("Boom"));
  CHECK_THAT(failed, failed_with("Boom", "it broke"));
  CHECK_THAT(failed, !failed_with("Boom", "other"));
  CHECK_THAT(ok, !failed_with("Boom"));
  CHECK_THAT(failed, !timed_out());
  CHECK_THAT(ok, has_output(json::parse(R"({"n": 1, "deep": {"x": [1, 2], "y": "z"}, "b": "ok"})")));
  CHECK_THAT(ok, !has_output(json::parse(R"({"n": 1})")));
  CHECK_THAT(ok, output_contains(json::parse(R"({"deep": {"y": "z"}, "b": "ok"})")));
  CHECK_THAT(ok, output_contains(json::parse(R"({"deep": {"x": [1, 2]}})")));
  CHECK_THAT(ok, !output_contains(json::parse(R"({"deep": {"x": [1]}})")));
  CHECK_THAT(ok, !output_contains(json::parse(R"({"missing": null})")));
  CHECK_THAT(failed, !output_contains(json::object{}));
  CHECK_THAT(ok, visited({"A", "B"}));
  CHECK_THAT(ok, !visited({"A"}));
  CHECK_THAT(failed, has_event("TaskFailed") && has_event("ExecutionFailed"));
  CHECK_THAT(ok, !has_event("TaskFailed"));
}

TEST_CASE("A timed-out execution matches timed_out()", "[testing][catch2]") {
  auto wf = workflow::from_text(R"({"StartAt": "W", "TimeoutSeconds": 5, "States": {"W": {"Type": "Wait", "Seconds": 60, "End": true}}})");
  CHECK_THAT(wf.run(), timed_out());
}

TEST_CASE("Results print their status, error, cause, output and path", "[testing][catch2]") {
  stepsim::engine::execution_result r;
  r.status = stepsim::engine::execution_status::failed;
  r.error = "Boom";
  r.cause = "it \"broke\"";
  r.path = {"A", "B"};
  CHECK(Catch::Detail::stringify(r) == R"({status: FAILED, error: "Boom", cause: "it \"broke\"", path: [A, B]})");
  r.status = stepsim::engine::execution_status::succeeded;
  r.error.reset();
  r.cause.reset();
  r.output = json::parse(R"({"x": 1.5})");
  CHECK(Catch::Detail::stringify(r) == R"({status: SUCCEEDED, output: {"x":1.5}, path: [A, B]})");
  CHECK(Catch::Detail::stringify(r.status) == "SUCCEEDED");
  CHECK(failed_with("E", "C").describe() == R"(failed with error "E" and cause "C")");
  CHECK(visited({"A", "B"}).describe() == R"(visited exactly ["A", "B"])");
}

// Run by the CTest test testing.catch2_failure_message, which checks what
// Catch2 prints for it; hidden from the normal run because it fails.
TEST_CASE("A failing matcher shows the result", "[.][matcher-failure-demo]") {
  auto wf = workflow::from_text(flow);
  wf.mock("B").throws("Payment.Declined", "card expired");
  auto r = wf.run();
  CHECK_THAT(r, succeeded());
}
