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

/// The baseline: a bare Beast server on its own thread, answering every request with a fixed 200 `{}`,
/// on the same coroutine-per-connection pattern as server::http_server.
class bare_server {
 public:
  bare_server() : acceptor_(ctx_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    asio::co_spawn(ctx_, accept_loop(), asio::detached);
    thread_ = std::thread([this] { ctx_.run(); });
  }
  ~bare_server() {
    asio::post(ctx_, [this] { ctx_.stop(); });
    thread_.join();
  }
  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }

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
  std::thread thread_;
};

/// `stepsim serve` as the command runs it: http_server over a service on a real-time scheduler, on its own thread.
class real_server {
 public:
  real_server()
      : sched_(sim::scheduler::real_time(sim::instant{} + std::chrono::hours(24 * 365 * 54))),
        svc_(sched_),
        http_(sched_, svc_, server::listen_options{.host = "127.0.0.1", .port = 0}) {
    thread_ = std::thread([this] { http_.run(); });
  }
  ~real_server() {
    asio::post(sched_.context(), [this] { http_.stop(); });
    thread_.join();
  }
  std::uint16_t port() const { return http_.port(); }

 private:
  sim::scheduler sched_;
  server::service svc_;
  server::http_server http_;
  std::thread thread_;
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

std::string field(std::string const& body, char const* name) {
  auto v = json::parse(body);
  auto const* s = v.as_object().if_contains(name);
  return s && s->is_string() ? std::string(s->as_string()) : std::string();
}

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
    if (field(out, "status") != "SUCCEEDED" || field(out, "output") != fmt::format(R"({{"i":{}}})", i))
      throw std::runtime_error("StartSyncExecution: " + out);
    return 1;
  }
  auto started = c.call("StartExecution", fmt::format(R"({{"stateMachineArn": "{}Standard", "input": "{{}}"}})", machine_prefix));
  auto arn = field(started, "executionArn");
  auto described = c.call("DescribeExecution", json::serialize(json::object{{"executionArn", arn}}));
  auto status = field(described, "status");
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
  std::unique_ptr<bare_server> bare;
  std::unique_ptr<real_server> real;
  std::uint16_t port = 0;
  if (mode == "bare-beast") {
    bare = std::make_unique<bare_server>();
    port = bare->port();
  } else {
    real = std::make_unique<real_server>();
    port = real->port();
    connection setup(port);
    auto role = R"("roleArn": "arn:aws:iam::123456789012:role/bench")";
    auto definition = json::serialize(json::value(pass_definition));
    setup.call("CreateStateMachine", fmt::format(R"({{"name": "Sync", "type": "EXPRESS", {}, "definition": {}}})", role, definition));
    setup.call("CreateStateMachine", fmt::format(R"({{"name": "Standard", {}, "definition": {}}})", role, definition));
  }

  auto const minimum = std::max<std::uint64_t>(10, static_cast<std::uint64_t>(2000.0 * o.scale));
  std::vector<std::vector<double>> latencies(serve_connections);
  std::vector<std::uint64_t> requests(serve_connections, 0);
  std::mutex error_mutex;
  std::string error;
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
        std::lock_guard lock(error_mutex);
        if (error.empty()) error = e.what();
      }
    });
  t0 = clock::now();
  go = true;
  for (auto& t : clients) t.join();
  double wall = seconds_since(t0);

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
