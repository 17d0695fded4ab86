#include <stepsim/task_adapters/lambda_tasks.hpp>

#include <boost/json.hpp>
#include <fmt/format.h>

namespace stepsim::tasks {

namespace json = boost::json;

namespace {

boost::asio::awaitable<json::value> call(lambda::service& svc, std::string function, json::value payload) {
  auto res = co_await svc.invoke(function, std::move(payload));
  if (res.result != lambda::outcome::success) throw task_error(res.error, res.cause);
  co_return std::move(res.payload);
}

}  // namespace

lambda_invoke_request read_lambda_invoke(json::value const& input) {
  auto const* o = input.if_object();
  auto const* name = o ? o->if_contains("FunctionName") : nullptr;
  if (!name || !name->is_string())
    throw task_error("States.TaskFailed",
                     "arn:aws:states:::lambda:invoke needs Parameters.FunctionName: the function's name or ARN");
  auto const* payload = o->if_contains("Payload");
  return {std::string(name->get_string()), payload ? *payload : json::value(nullptr)};
}

json::value lambda_invoke_result(json::value payload) {
  json::object shaped;
  shaped["ExecutedVersion"] = "$LATEST";
  shaped["Payload"] = std::move(payload);
  shaped["SdkHttpMetadata"] = json::object{{"HttpStatusCode", 200}};
  shaped["SdkResponseMetadata"] = json::object{};
  shaped["StatusCode"] = 200;
  return shaped;
}

void bind_lambda(registry& r, lambda::service& svc) {
  r.add_async("arn:aws:lambda:*:function:*", [&svc](invocation const& inv) -> boost::asio::awaitable<json::value> {
    return call(svc, std::string(inv.resource), inv.input);
  });
  r.add_async("arn:aws:states:::lambda:invoke", [&svc](invocation const& inv) -> boost::asio::awaitable<json::value> {
    return [](lambda::service& s, lambda_invoke_request req) -> boost::asio::awaitable<json::value> {
      // Named, not a temporary inside the co_await expression: GCC 12 destroys some twice.
      auto result = co_await call(s, std::move(req.function), std::move(req.payload));
      co_return lambda_invoke_result(std::move(result));
    }(svc, read_lambda_invoke(inv.input));
  });
}

}  // namespace stepsim::tasks
