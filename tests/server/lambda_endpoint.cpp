// `stepsim serve --lambda-endpoint URL`: the URL, the function names, and Lambda Tasks answered by a fake
// Lambda Invoke API served on the test's own io_context.
#include <stepsim/server/lambda_endpoint.hpp>

#include "server/api_client.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <catch2/catch.hpp>

namespace tasks = stepsim::tasks;
using namespace stepsim::server;
using namespace stepsim::server::test;
namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

TEST_CASE("serve --lambda-endpoint: URLs it takes, and what it says about the others", "[server][lambda_endpoint]") {
  auto u = parse_endpoint_url("http://127.0.0.1:3001");
  CHECK(u.host == "127.0.0.1");
  CHECK(u.port == 3001);
  CHECK(u.path.empty());
  u = parse_endpoint_url("HTTP://localhost/base/");
  CHECK(u.host == "localhost");
  CHECK(u.port == 80);
  CHECK(u.path == "/base");
  u = parse_endpoint_url("http://[::1]:9000");
  CHECK(u.host == "::1");
  CHECK(u.port == 9000);
  auto message = [](std::string const& url) {
    try {
      parse_endpoint_url(url);
    } catch (endpoint_url_error const& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  CHECK(message("https://h:1") ==
        "--lambda-endpoint 'https://h:1': https is not supported (stepsim speaks plain HTTP to the endpoint) "
        "(expected http://HOST[:PORT][/PATH])");
  CHECK_THAT(message("ftp://h"), Catch::Contains("not an http:// URL"));
  CHECK_THAT(message("http://h:0"), Catch::Contains("the port '0' is not a number from 1 to 65535"));
  CHECK_THAT(message("http://h:3001x"), Catch::Contains("the port '3001x'"));
  CHECK_THAT(message("http://h:"), Catch::Contains("an empty port"));
  CHECK_THAT(message("http://u@h"), Catch::Contains("user information"));
  CHECK_THAT(message("http:///x"), Catch::Contains("no host"));
  CHECK_THAT(message("http://h/#f"), Catch::Contains("a query or fragment"));
  CHECK_THAT(message("http://[::1"), Catch::Contains("closing ']'"));
}

TEST_CASE("serve --lambda-endpoint: the function name and qualifier of each form of FunctionName",
          "[server][lambda_endpoint]") {
  auto check = [](std::string_view f, std::string const& name, std::string const& qualifier) {
    auto r = function_of(f);
    CHECK(r.name == name);
    CHECK(r.qualifier == qualifier);
  };
  check("Greet", "Greet", "");
  check("Greet:live", "Greet", "live");
  check("arn:aws:lambda:us-east-1:123456789012:function:Greet", "Greet", "");
  check("arn:aws:lambda:us-east-1:123456789012:function:Greet:3", "Greet", "3");
  check("123456789012:function:Greet:$LATEST", "Greet", "$LATEST");
}

namespace {

/// A fake Lambda Invoke API: answers each request by the function named in its path; while `*hold`
/// is true it keeps the request of the function Echo unanswered.
asio::awaitable<void> fake_lambda(tcp::acceptor acceptor, std::shared_ptr<bool> hold) {
  for (;;) {
    auto socket = co_await acceptor.async_accept(asio::use_awaitable);
    boost::beast::flat_buffer buffer;
    http::request<http::string_body> req;
    co_await http::async_read(socket, buffer, req, asio::use_awaitable);
    asio::steady_timer pause(socket.get_executor());
    while (*hold && req.target().find("/Echo/") != boost::beast::string_view::npos) {
      pause.expires_after(std::chrono::milliseconds(1));
      co_await pause.async_wait(asio::use_awaitable);
    }
    http::response<http::string_body> res{http::status::ok, 11};
    std::string target(req.target().data(), req.target().size());
    if (target.find("/Boom/") != std::string::npos) {
      res.result(http::status::internal_server_error);
      res.body() = R"({"message": "internal"})";
    } else if (target.find("/Busy/") != std::string::npos) {
      res.result(http::status::too_many_requests);
      res.set("X-Amzn-ErrorType", "TooManyRequestsException:http://internal.amazon.com/coral/");
      res.body() = R"({"Reason": "ReservedFunctionConcurrentInvocationLimitExceeded", "message": "Rate Exceeded."})";
    } else if (target.find("/Crash/") != std::string::npos) {
      res.set("X-Amz-Function-Error", "Unhandled");
      res.body() = R"({"errorMessage": "Process exited before completing request"})";
    } else {
      res.body() = R"({"echo": )" + req.body() + "}";
    }
    res.keep_alive(false);
    res.prepare_payload();
    co_await http::async_write(socket, res, asio::use_awaitable);
    boost::system::error_code ignored;
    socket.shutdown(tcp::socket::shutdown_both, ignored);
  }
}

/// Runs `c` until execution `arn` ends (network I/O included), at most 10 s of wall time.
json::object finish(client& c, std::string const& arn) {
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  for (;;) {
    c.settle();
    auto d = c.describe(arn);
    if (d.at("status") != "RUNNING" || std::chrono::steady_clock::now() > until) return d;
    c.sched.context().restart();
    c.sched.context().run_one_for(std::chrono::milliseconds(20));
  }
}

std::string task_machine(std::string const& function) {
  return R"({"StartAt": "T", "States": {"T": {"Type": "Task", "TimeoutSeconds": 1, "Resource": "arn:aws:lambda:us-east-1:123456789012:function:)" +
         function + R"(", "End": true}}})";
}

}  // namespace

TEST_CASE("serve --lambda-endpoint: answers become results and Lambda's errors, and the virtual clock waits for them",
          "[server][lambda_endpoint]") {
  client c;
  tcp::acceptor acceptor(c.sched.context(), tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  auto port = acceptor.local_endpoint().port();
  auto hold = std::make_shared<bool>(true);
  asio::co_spawn(c.sched.context(), fake_lambda(std::move(acceptor), hold), asio::detached);
  lambda_endpoint endpoint(c.sched.get_executor(), parse_endpoint_url("http://127.0.0.1:" + std::to_string(port)));
  tasks::registry handlers;
  endpoint.bind(handlers);
  c.svc = std::make_unique<service>(c.sched, service_options{.handlers = &handlers, .lambda = &endpoint});

  auto ok = c.start(c.create("Ok", task_machine("Echo")), R"({"n": 1})");
  c.settle();
  // Echo's answer is held: the call is in flight, and the virtual clock must not jump past the Task's timeout.
  CHECK(endpoint.in_flight() == 1);
  CHECK(c.svc->waiting_for_clients());
  *hold = false;
  auto d = finish(c, ok);
  CHECK(d.at("status") == "SUCCEEDED");  // the 1 s TimeoutSeconds did not fire while the endpoint answered
  CHECK(d.at("output") == R"({"echo":{"n":1}})");
  CHECK(endpoint.in_flight() == 0);

  auto fails = [&](std::string const& function) {
    return finish(c, c.start(c.create(function, task_machine(function))));
  };
  d = fails("Boom");
  CHECK(d.at("error") == "Lambda.ServiceException");
  CHECK(d.at("cause") == "internal (Service: AWSLambda; Status Code: 500; Error Code: ServiceException)");
  d = fails("Busy");
  CHECK(d.at("error") == "Lambda.TooManyRequestsException");
  CHECK(d.at("cause") == "Rate Exceeded. (Service: AWSLambda; Status Code: 429; Error Code: TooManyRequestsException)");
  d = fails("Crash");
  CHECK(d.at("error") == "Lambda.Unknown");
  CHECK(d.at("cause") == R"({"errorMessage": "Process exited before completing request"})");
  c.svc.reset();  // before the handlers and the endpoint it uses
}
