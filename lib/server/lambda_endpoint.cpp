// Lambda Tasks forwarded to a Lambda-compatible endpoint over HTTP (the Lambda Invoke REST API).
#include <stepsim/server/lambda_endpoint.hpp>

#include <stepsim/task_adapters/lambda_tasks.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <vector>

namespace stepsim::server {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
using tcp = asio::ip::tcp;

namespace {

/// The largest answer read from the endpoint: Lambda's synchronous payload limit is 6 MB.
constexpr std::size_t max_answer = 16u << 20;

bool iequals_prefix(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
  return true;
}

/// `text` percent-encoded for a URL path segment or query value.
std::string percent(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') out += static_cast<char>(c);
    else out += fmt::format("%{:02X}", c);
  }
  return out;
}

[[noreturn]] void sdk_client_error(endpoint_url const& url, std::string_view what, boost::system::error_code ec) {
  throw tasks::task_error("Lambda.SdkClientException",
                          fmt::format("Unable to execute HTTP request: {} {}:{} failed: {} (the Lambda endpoint of "
                                      "stepsim serve --lambda-endpoint)",
                                      what, url.host, url.port, ec.message()));
}

/// The Task error for a non-2xx answer of the Invoke API.
[[noreturn]] void service_error(http::response<http::string_body> const& res) {
  auto header = res["X-Amzn-ErrorType"];
  std::string type(header.data(), header.size());
  type = type.substr(0, type.find(':'));  // AWS may append ":http://internal.amazon.com/..."
  std::string message;
  boost::system::error_code pec;
  if (auto parsed = json::parse(res.body(), pec); !pec && parsed.is_object()) {
    auto const& o = parsed.get_object();
    for (auto key : {"message", "Message", "errorMessage"})
      if (auto const* m = o.if_contains(key); m && m->is_string()) message = m->get_string();
    if (type.empty())
      if (auto const* t = o.if_contains("__type"); t && t->is_string()) type = t->get_string();
  }
  if (message.empty()) message = res.body();
  auto status = res.result_int();
  if (type.empty())
    type = status == 429 ? "TooManyRequestsException" : status >= 500 ? "ServiceException" : "AWSLambdaException";
  if (!type.ends_with("Exception")) type += "Exception";
  throw tasks::task_error("Lambda." + type, fmt::format("{} (Service: AWSLambda; Status Code: {}; Error Code: {})",
                                                        message, status, type));
}

}  // namespace

endpoint_url parse_endpoint_url(std::string_view url) {
  auto bad = [&](std::string_view why) {
    return endpoint_url_error(fmt::format("--lambda-endpoint '{}': {} (expected http://HOST[:PORT][/PATH])", url, why));
  };
  if (iequals_prefix(url, "https://")) throw bad("https is not supported (stepsim speaks plain HTTP to the endpoint)");
  if (!iequals_prefix(url, "http://")) throw bad("not an http:// URL");
  auto rest = url.substr(7);
  if (rest.find_first_of("?#") != std::string_view::npos) throw bad("a query or fragment is not allowed");
  auto slash = rest.find('/');
  auto authority = rest.substr(0, slash);
  endpoint_url out;
  if (slash != std::string_view::npos) out.path = std::string(rest.substr(slash));
  while (!out.path.empty() && out.path.back() == '/') out.path.pop_back();
  if (authority.find('@') != std::string_view::npos) throw bad("user information is not allowed");
  std::string_view port;
  if (authority.starts_with('[')) {
    auto close = authority.find(']');
    if (close == std::string_view::npos) throw bad("an IPv6 address without its closing ']'");
    out.host = std::string(authority.substr(1, close - 1));
    auto after = authority.substr(close + 1);
    if (!after.empty() && !after.starts_with(':')) throw bad("unexpected text after the IPv6 address");
    if (!after.empty()) port = after.substr(1);
    if (after == ":") throw bad("an empty port");
  } else {
    auto colon = authority.find(':');
    out.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      port = authority.substr(colon + 1);
      if (port.empty()) throw bad("an empty port");
    }
  }
  if (out.host.empty()) throw bad("no host");
  if (!port.empty()) {
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535)
      throw bad(fmt::format("the port '{}' is not a number from 1 to 65535", port));
    out.port = static_cast<std::uint16_t>(value);
  }
  return out;
}

function_ref function_of(std::string_view function) {
  constexpr std::string_view marker = ":function:";
  auto at = function.find(marker);
  auto rest = at == std::string_view::npos ? function : function.substr(at + marker.size());
  auto colon = rest.find(':');
  if (colon == std::string_view::npos) return {std::string(rest), ""};
  return {std::string(rest.substr(0, colon)), std::string(rest.substr(colon + 1))};
}

struct lambda_endpoint::impl {
  asio::any_io_executor executor;
  endpoint_url url;
  std::chrono::seconds timeout;
  std::vector<tcp::endpoint> addresses;
  std::size_t in_flight = 0;
};

lambda_endpoint::lambda_endpoint(asio::any_io_executor executor, endpoint_url url, std::chrono::seconds timeout)
    : impl_(std::make_shared<impl>(impl{std::move(executor), std::move(url), timeout, {}})) {
  // Once, here: a scheduler's io_context may run single-threaded, where asynchronous name resolution is not available.
  asio::io_context resolving;
  tcp::resolver resolver(resolving);
  boost::system::error_code ec;
  auto const& u = impl_->url;
  for (auto const& r : resolver.resolve(u.host, std::to_string(u.port), ec)) impl_->addresses.push_back(r.endpoint());
  if (ec || impl_->addresses.empty())
    throw endpoint_url_error(fmt::format("--lambda-endpoint: cannot resolve the host '{}': {}", u.host,
                                         ec ? ec.message() : std::string("no address")));
}

lambda_endpoint::~lambda_endpoint() = default;

std::size_t lambda_endpoint::in_flight() const noexcept { return impl_->in_flight; }

asio::awaitable<json::value> lambda_endpoint::invoke(std::string function, json::value payload,
                                                     std::string* executed_version) {
  auto self = impl_;
  auto const& url = self->url;
  ++self->in_flight;
  struct settled {
    impl& i;
    ~settled() { --i.in_flight; }
  } guard{*self};
  // A cancelled Task (its timeout, a stopped execution) is not an endpoint failure.
  auto check = [&](boost::system::error_code ec, std::string_view what) {
    if (ec == asio::error::operation_aborted) throw boost::system::system_error(ec);
    if (ec) sdk_client_error(url, what, ec);
  };

  auto ref = function_of(function);
  std::string target = url.path + "/2015-03-31/functions/" + percent(ref.name) + "/invocations";
  if (!ref.qualifier.empty()) target += "?Qualifier=" + percent(ref.qualifier);
  http::request<http::string_body> req{http::verb::post, target, 11};
  bool v6 = url.host.find(':') != std::string::npos;
  req.set(http::field::host, v6 ? fmt::format("[{}]:{}", url.host, url.port) : fmt::format("{}:{}", url.host, url.port));
  req.set(http::field::content_type, "application/json");
  req.set(http::field::user_agent, "stepsim");
  req.set("X-Amz-Invocation-Type", "RequestResponse");
  req.keep_alive(false);
  req.body() = json::serialize(payload);
  req.prepare_payload();

  beast::tcp_stream stream(self->executor);
  stream.expires_after(self->timeout);
  auto [cec, ep] = co_await stream.async_connect(self->addresses, asio::as_tuple(asio::use_awaitable));
  (void)ep;
  check(cec, "Connect to");
  auto [wec, wn] = co_await http::async_write(stream, req, asio::as_tuple(asio::use_awaitable));
  (void)wn;
  check(wec, "Send to");
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(max_answer);
  auto [rdec, rn] = co_await http::async_read(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
  (void)rn;
  check(rdec, "Read the answer of");
  boost::system::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);

  auto const& res = parser.get();
  if (res.result_int() < 200 || res.result_int() > 299) service_error(res);
  if (res.count("X-Amz-Function-Error")) {
    std::string error = "Lambda.Unknown";
    boost::system::error_code pec;
    auto body = json::parse(res.body(), pec);
    if (!pec && body.is_object())
      if (auto const* t = body.get_object().if_contains("errorType"); t && t->is_string() && !t->get_string().empty())
        error = t->get_string();
    throw tasks::task_error(error, res.body());
  }
  if (executed_version) {
    auto v = res["X-Amz-Executed-Version"];
    *executed_version = v.empty() ? std::string("$LATEST") : std::string(v.data(), v.size());
  }
  if (res.body().empty()) co_return json::value(nullptr);
  boost::system::error_code pec;
  auto result = json::parse(res.body(), pec);
  if (pec)
    throw tasks::task_error("States.TaskFailed",
                            fmt::format("the Lambda endpoint answered function '{}' with a body that is not JSON ({}): {}",
                                        ref.name, pec.message(), res.body().substr(0, 200)));
  co_return result;
}

namespace {

asio::awaitable<json::value> invoke_shaped(lambda_endpoint& endpoint, tasks::lambda_invoke_request req) {
  std::string version;
  // Named, not a temporary inside the co_await expression: GCC 12 destroys some twice.
  auto payload = co_await endpoint.invoke(std::move(req.function), std::move(req.payload), &version);
  auto shaped = tasks::lambda_invoke_result(std::move(payload));
  shaped.as_object()["ExecutedVersion"] = version;
  co_return shaped;
}

}  // namespace

void lambda_endpoint::bind(tasks::registry& r) {
  r.add_async(
      "arn:aws:lambda:*:function:*",
      [this](tasks::invocation const& inv) { return invoke(std::string(inv.resource), inv.input); },
      tasks::context_use::ignores);
  r.add_async(
      "arn:aws:states:::lambda:invoke",
      [this](tasks::invocation const& inv) { return invoke_shaped(*this, tasks::read_lambda_invoke(inv.input)); },
      tasks::context_use::ignores);
}

}  // namespace stepsim::server
