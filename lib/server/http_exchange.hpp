// Private to the server: one HTTP request/response exchange of the API, apart from sockets, so the
// server's session loop and the request fuzz target (tests/fuzz/fuzz_server.cpp) share it.
#pragma once

#include <stepsim/server/service.hpp>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <cstdint>
#include <optional>
#include <string_view>

namespace stepsim::server {

using http_request = boost::beast::http::request<boost::beast::http::string_body>;
using http_response = boost::beast::http::response<boost::beast::http::string_body>;
using http_request_parser = boost::beast::http::request_parser<boost::beast::http::string_body>;

/// Sets the limits of `parser` (made for the next request of a connection):
/// bodies up to `service::max_body_size`.
void set_limits(http_request_parser& parser);

/// The answer to a request the service never sees: a method other than POST
/// or a target other than "/" (404, UnknownOperationException). Nullopt when
/// the service answers it (`request_target` and the body then go to
/// `service::async_handle`).
std::optional<response> reject(http_request const& req);

/// The request's `X-Amz-Target` header (empty when absent).
std::string_view request_target(http_request const& req);

/// The answer to a body over `service::max_body_size` (413; the connection is then closed).
response body_too_large();

/// `r` as an HTTP/1.x response of version `version` (10 or 11), with the
/// AWS JSON content type, a request id made from `request_number`, and the
/// connection kept alive or not.
http_response make_http_response(unsigned version, response r, bool keep_alive, std::uint64_t request_number);

}  // namespace stepsim::server
