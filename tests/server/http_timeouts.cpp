// stepsim::server::http_server: connections that send nothing, or never finish a request, are closed
// after the idle timeout, while the other connections are served.
#include <stepsim/server/http_server.hpp>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;
using stepsim::server::http_server;
using stepsim::server::listen_options;
using stepsim::server::service;

namespace {

/// A real-time server on a free loopback port, run on a thread of its own for the test.
struct running_server {
  stepsim::sim::scheduler sched = stepsim::sim::scheduler::real_time(stepsim::sim::instant{} + std::chrono::hours(24 * 365 * 54));
  service svc{sched};
  http_server http;
  std::thread thread;
  explicit running_server(std::chrono::milliseconds idle)
      : http(sched, svc, listen_options{.host = "127.0.0.1", .port = 0, .idle_timeout = idle}) {
    thread = std::thread([this] { http.run(); });
  }
  ~running_server() {
    asio::post(sched.context(), [this] { http.stop(); });
    thread.join();
  }
};

tcp::socket connect(asio::io_context& ctx, std::uint16_t port) {
  tcp::socket s(ctx);
  s.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  return s;
}

/// Blocks until the server closes `s` (what it may still send is read and dropped); returns how long that took.
std::chrono::steady_clock::duration until_closed(tcp::socket& s) {
  auto t0 = std::chrono::steady_clock::now();
  char buffer[1024];
  boost::system::error_code ec;
  while (!ec) s.read_some(asio::buffer(buffer), ec);
  CHECK(ec == asio::error::eof);
  return std::chrono::steady_clock::now() - t0;
}

int list_state_machines(tcp::socket& s, boost::beast::flat_buffer& buffer) {
  http::request<http::string_body> req{http::verb::post, "/", 11};
  req.set(http::field::host, "127.0.0.1");
  req.set("X-Amz-Target", "AWSStepFunctions.ListStateMachines");
  req.set(http::field::content_type, "application/x-amz-json-1.0");
  req.body() = "{}";
  req.prepare_payload();
  http::write(s, req);
  http::response<http::string_body> res;
  http::read(s, buffer, res);
  return res.result_int();
}

}  // namespace

TEST_CASE("serve: a connection that never finishes its request is closed after the idle timeout, the others are served",
          "[server][http]") {
  running_server server(300ms);
  asio::io_context ctx;
  auto stalled = connect(ctx, server.http.port());
  asio::write(stalled, asio::buffer(std::string_view("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Tar")));
  std::thread other([&] {
    asio::io_context c2;
    auto busy = connect(c2, server.http.port());
    boost::beast::flat_buffer buffer;
    for (int i = 0; i < 8; ++i) {  // 800 ms of requests, one every 100 ms: never idle for long
      CHECK(list_state_machines(busy, buffer) == 200);
      std::this_thread::sleep_for(100ms);
    }
  });
  auto waited = until_closed(stalled);
  other.join();
  CHECK(waited >= 250ms);  // the deadline was set a moment before this side started to wait
  CHECK(waited < 10s);
}

TEST_CASE("serve: a kept-alive connection that sends nothing more is closed after the idle timeout", "[server][http]") {
  running_server server(300ms);
  asio::io_context ctx;
  auto idle = connect(ctx, server.http.port());
  boost::beast::flat_buffer buffer;
  CHECK(list_state_machines(idle, buffer) == 200);
  auto waited = until_closed(idle);
  CHECK(waited >= 250ms);  // the deadline was set a moment before this side started to wait
  CHECK(waited < 10s);
}
