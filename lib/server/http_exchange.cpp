#include "server/http_exchange.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

namespace stepsim::server {

namespace http = boost::beast::http;

namespace {

std::string error_body(char const* type, std::string const& message) {
  return boost::json::serialize(boost::json::object{{"__type", type}, {"message", message}});
}

}  // namespace

void set_limits(http_request_parser& parser) { parser.body_limit(service::max_body_size); }

std::optional<response> reject(http_request const& req) {
  if (req.method() == http::verb::post && req.target() == "/") return std::nullopt;
  return response{404, error_body("com.amazon.coral.service#UnknownOperationException",
                                  "The Step Functions API answers POST / requests only")};
}

std::string_view request_target(http_request const& req) {
  auto target = req["X-Amz-Target"];
  return {target.data(), target.size()};
}

response body_too_large() {
  return response{413, error_body("com.amazon.coral.service#SerializationException",
                                  fmt::format("The request body is larger than {} bytes", service::max_body_size))};
}

http_response make_http_response(unsigned version, response r, bool keep_alive, std::uint64_t request_number) {
  http_response res;
  res.version(version);
  res.result(r.status);
  res.body() = std::move(r.body);
  res.set(http::field::content_type, "application/x-amz-json-1.0");
  res.set("x-amzn-RequestId", fmt::format("00000000-0000-4000-8000-{:012x}", request_number));
  res.keep_alive(keep_alive);
  res.prepare_payload();
  return res;
}

}  // namespace stepsim::server
