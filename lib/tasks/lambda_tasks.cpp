#include <stepsim/tasks/lambda_tasks.hpp>

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

void bind_lambda(registry& r, lambda::service& svc) {
  r.add_async("arn:aws:lambda:*:function:*", [&svc](invocation const& inv) -> boost::asio::awaitable<json::value> {
    return call(svc, std::string(inv.resource), inv.input);
  });
  r.add_async("arn:aws:states:::lambda:invoke", [&svc](invocation const& inv) -> boost::asio::awaitable<json::value> {
    return [](lambda::service& s, json::value input) -> boost::asio::awaitable<json::value> {
      auto const* o = input.if_object();
      auto const* name = o ? o->if_contains("FunctionName") : nullptr;
      if (!name || !name->is_string())
        throw task_error("States.TaskFailed",
                         "arn:aws:states:::lambda:invoke needs Parameters.FunctionName: the function's name or ARN");
      auto const* payload = o->if_contains("Payload");
      // Named, not a temporary inside the co_await expression: GCC 12 destroys
      // such a temporary (from the conditional) twice.
      json::value request = payload ? *payload : json::value(nullptr);
      std::string function(name->get_string());
      auto result = co_await call(s, std::move(function), std::move(request));
      json::object shaped;
      shaped["ExecutedVersion"] = "$LATEST";
      shaped["Payload"] = std::move(result);
      shaped["SdkHttpMetadata"] = json::object{{"HttpStatusCode", 200}};
      shaped["SdkResponseMetadata"] = json::object{};
      shaped["StatusCode"] = 200;
      co_return shaped;
    }(svc, inv.input);
  });
}

}  // namespace stepsim::tasks
