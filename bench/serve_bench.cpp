#include "serve_bench.hpp"

#include <stepsim/server/http_server.hpp>
#include <stepsim/server/service.hpp>
#include <stepsim/sim/scheduler.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

namespace stepsim::bench {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
using tcp = asio::ip::tcp;

/// The servers run on the thread that calls run() until another thread calls stop(): `stepsim serve`
/// runs its server on the process's main thread, and so does this cell (a thread of its own would
/// allocate from another malloc arena, which grows a page at a time, each a system call).
class server_base {
 public:
  virtual ~server_base() = default;
  virtual std::uint16_t port() const = 0;
  virtual void run() = 0;
  virtual void stop() = 0;
};

/// The baseline: a bare Beast server answering every request with a fixed 200 `{}`, on the same
/// coroutine-per-connection pattern as server::http_server.
class bare_server final : public server_base {
 public:
  bare_server() : acceptor_(ctx_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    asio::co_spawn(ctx_, accept_loop(), asio::detached);
  }
  std::uint16_t port() const override { return acceptor_.local_endpoint().port(); }
  void run() override { ctx_.run(); }
  void stop() override {
    asio::post(ctx_, [this] { ctx_.stop(); });
  }

 private:
  asio::awaitable<void> accept_loop() {
    for (;;) {
      auto [ec, socket] = co_await acceptor_.async_accept(asio::as_tuple(asio::use_awaitable));
      if (ec) co_return;
      asio::co_spawn(ctx_, session(std::move(socket)), asio::detached);
    }
  }
  static asio::awaitable<void> session(tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
    beast::flat_buffer buffer;
    for (;;) {
      http::request<http::string_body> req;
      auto [ec, n] = co_await http::async_read(stream, buffer, req, asio::as_tuple(asio::use_awaitable));
      (void)n;
      if (ec) break;
      http::response<http::string_body> res{http::status::ok, req.version()};
      res.set(http::field::content_type, "application/x-amz-json-1.0");
      res.body() = "{}";
      res.keep_alive(req.keep_alive());
      res.prepare_payload();
      auto [wec, wn] = co_await http::async_write(stream, res, asio::as_tuple(asio::use_awaitable));
      (void)wn;
      if (wec || !req.keep_alive()) break;
    }
  }

  asio::io_context ctx_;
  tcp::acceptor acceptor_;
};

/// `stepsim serve` as the command runs it: http_server over a service on a real-time scheduler.
class real_server final : public server_base {
 public:
  real_server()
      : sched_(sim::scheduler::real_time(sim::instant{} + std::chrono::hours(24 * 365 * 54))),
        svc_(sched_),
        http_(sched_, svc_, server::listen_options{.host = "127.0.0.1", .port = 0}) {}
  std::uint16_t port() const override { return http_.port(); }
  void run() override { http_.run(); }
  void stop() override {
    asio::post(sched_.context(), [this] { http_.stop(); });
  }

 private:
  sim::scheduler sched_;
  server::service svc_;
  server::http_server http_;
};

/// One keep-alive connection sending AWS JSON 1.0 requests.
class connection {
 public:
  explicit connection(std::uint16_t port) : socket_(ctx_) {
    socket_.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    socket_.set_option(tcp::no_delay(true));
  }
  /// Sends one request; returns the response's body, throwing unless the status is 200.
  std::string call(std::string_view op, std::string body) {
    http::request<http::string_body> req{http::verb::post, "/", 11};
    req.set(http::field::host, "127.0.0.1");
    req.set("X-Amz-Target", fmt::format("AWSStepFunctions.{}", op));
    req.set(http::field::content_type, "application/x-amz-json-1.0");
    req.body() = std::move(body);
    req.keep_alive(true);
    req.prepare_payload();
    http::write(socket_, req);
    http::response<http::string_body> res;
    http::read(socket_, buffer_, res);
    if (res.result_int() != 200) throw std::runtime_error(fmt::format("{}: HTTP {} {}", op, res.result_int(), res.body()));
    return std::move(res.body());
  }

 private:
  asio::io_context ctx_;
  tcp::socket socket_;
  beast::flat_buffer buffer_;
};

/// A response's fields, read as a client reads them: one parse per response, into a buffer on the
/// stack, so that checking the answers costs the clients as little as it can.
class response_fields {
 public:
  explicit response_fields(std::string const& body) : value_(json::parse(body, json::storage_ptr(&resource_))) {}
  std::string_view operator[](char const* name) const {
    auto const* s = value_.is_object() ? value_.as_object().if_contains(name) : nullptr;
    return s && s->is_string() ? std::string_view(s->as_string()) : std::string_view();
  }

 private:
  unsigned char buffer_[4096];
  json::monotonic_resource resource_{buffer_, sizeof buffer_};
  json::value value_;
};

constexpr char const* pass_definition = R"({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}})";
constexpr char const* machine_prefix = "arn:aws:states:us-east-1:123456789012:stateMachine:";

/// One request (or pair) of `mode` on `c`; `i` makes inputs distinct. Returns the requests sent.
std::size_t step(std::string const& mode, connection& c, std::uint64_t i) {
  if (mode == "bare-beast") {
    c.call("ListStateMachines", "{}");
    return 1;
  }
  if (mode == "sync-pass") {
    auto input = json::serialize(json::value(fmt::format(R"({{"i": {}}})", i)));
    auto out = c.call("StartSyncExecution", fmt::format(R"({{"stateMachineArn": "{}Sync", "input": {}}})", machine_prefix, input));
    response_fields f(out);
    if (f["status"] != "SUCCEEDED" || f["output"] != fmt::format(R"({{"i":{}}})", i))
      throw std::runtime_error("StartSyncExecution: " + out);
    return 1;
  }
  auto started = c.call("StartExecution", fmt::format(R"({{"stateMachineArn": "{}Standard", "input": "{{}}"}})", machine_prefix));
  auto described = c.call("DescribeExecution", fmt::format(R"({{"executionArn": "{}"}})", response_fields(started)["executionArn"]));
  auto status = response_fields(described)["status"];
  if (status != "SUCCEEDED" && status != "RUNNING") throw std::runtime_error("DescribeExecution: " + described);
  return 2;
}

double percentile(std::vector<double> const& sorted, double p) {
  if (sorted.empty()) return 0;
  auto k = static_cast<std::size_t>(std::ceil(p * static_cast<double>(sorted.size()))) ;
  return sorted[std::min(sorted.size() - 1, k == 0 ? 0 : k - 1)];
}

}  // namespace

cell_result run_serve(std::string const& mode, cell_options const& o) {
  cell_result c;
  c.workload = "serve";
  c.mode = mode;
  c.batch = serve_connections;
  c.states_per_execution = mode == "bare-beast" ? 0 : 1;
  std::unique_ptr<server_base> srv;
  if (mode == "bare-beast")
    srv = std::make_unique<bare_server>();
  else
    srv = std::make_unique<real_server>();
  std::uint16_t const port = srv->port();

  auto const minimum = std::max<std::uint64_t>(10, static_cast<std::uint64_t>(2000.0 * o.scale));
  std::vector<std::vector<double>> latencies(serve_connections);
  std::vector<std::uint64_t> requests(serve_connections, 0);
  std::mutex error_mutex;
  std::string error;
  auto fail = [&](std::exception const& e) {
    std::lock_guard lock(error_mutex);
    if (error.empty()) error = e.what();
  };
  double wall = 0;
  // The load runs on other threads; this one runs the server until the load is over.
  std::thread load([&] {
    try {
      if (mode != "bare-beast") {
        connection setup(port);
        auto role = R"("roleArn": "arn:aws:iam::123456789012:role/bench")";
        auto definition = json::serialize(json::value(pass_definition));
        setup.call("CreateStateMachine", fmt::format(R"({{"name": "Sync", "type": "EXPRESS", {}, "definition": {}}})", role, definition));
        setup.call("CreateStateMachine", fmt::format(R"({{"name": "Standard", {}, "definition": {}}})", role, definition));
      }
      std::atomic<bool> go{false};
      clock::time_point t0;
      std::vector<std::thread> clients;
      for (std::size_t k = 0; k < serve_connections; ++k)
        clients.emplace_back([&, k] {
          try {
            connection conn(port);
            for (std::uint64_t i = 0; i < 20; ++i) step(mode, conn, i);  // warm-up: caches, allocator, first engine
            while (!go.load()) std::this_thread::yield();
            auto& lat = latencies[k];
            for (std::uint64_t i = 0; requests[k] < minimum || seconds_since(t0) < o.min_time_s; ++i) {
              auto before = clock::now();
              auto n = step(mode, conn, i + k * 1'000'000'000ull);
              // A pair's latency is per request: its two requests' time shared.
              double ms = std::chrono::duration<double, std::milli>(clock::now() - before).count() / static_cast<double>(n);
              for (std::size_t j = 0; j < n; ++j) lat.push_back(ms);
              requests[k] += n;
            }
          } catch (std::exception const& e) {
            fail(e);
          }
        });
      t0 = clock::now();
      go = true;
      for (auto& t : clients) t.join();
      wall = seconds_since(t0);
    } catch (std::exception const& e) {
      fail(e);
    }
    srv->stop();
  });
  srv->run();
  load.join();

  std::vector<double> all;
  std::uint64_t total = 0;
  for (std::size_t k = 0; k < serve_connections; ++k) {
    all.insert(all.end(), latencies[k].begin(), latencies[k].end());
    total += requests[k];
  }
  std::sort(all.begin(), all.end());
  finish(c, total, mode == "bare-beast" ? 0 : total / (mode == "start-describe" ? 2 : 1), wall);
  c.p50_ms = percentile(all, 0.50);
  c.p99_ms = percentile(all, 0.99);
  c.error = error;
  return c;
}

}  // namespace stepsim::bench
