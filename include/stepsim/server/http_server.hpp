// stepsim::server::http_server: the service over HTTP/1.1 (Boost.Beast), as AWS SDKs call it.
#pragma once

#include <stepsim/server/service.hpp>
#include <stepsim/sim/scheduler.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

namespace stepsim::server {

/// Where and how a server listens.
struct listen_options {
  /// An IP address. The loopback by default: the server accepts any
  /// credentials, so it must not be reachable from elsewhere unless asked.
  std::string host = "127.0.0.1";
  std::uint16_t port = 8083;  ///< 0 picks a free port (see `http_server::port`)
  /// Connections served at once; more are accepted and closed at once.
  std::size_t max_connections = 4096;
  /// A connection that sends nothing for this long (wall time), takes longer
  /// than this to send one request, or to take one answer, is closed. The
  /// connections are checked every quarter of it, so one is closed up to a
  /// quarter late; the time a request spends in the service does not count.
  std::chrono::milliseconds idle_timeout{std::chrono::seconds(120)};
};

/// Accepts connections on the scheduler's io_context and answers each
/// request (`POST /`, `X-Amz-Target: AWSStepFunctions.<Operation>`, an
/// AWS JSON 1.0 body) with `service`'s response, keeping connections alive
/// as HTTP/1.1 asks. A request that is not a POST, has a body over
/// `service::max_body_size`, or cannot be read as HTTP gets an AWS-shaped
/// error where the connection still allows it, and its connection is closed;
/// other connections are not affected.
class http_server {
 public:
  /// Binds and listens at once. Throws boost::system::system_error when the
  /// address cannot be used (a port in use, a host that is not an IP address).
  http_server(sim::scheduler& sched, service& svc, listen_options options = {});
  ~http_server();

  /// The port bound (the one the system picked when `options.port` was 0).
  std::uint16_t port() const noexcept;

  /// Serves until `stop()`: runs the scheduler's io_context on this thread.
  /// In virtual time the clock moves to the next timer whenever nothing is
  /// ready to run and no execution waits for a client
  /// (`service::waiting_for_clients`); otherwise it waits for the network.
  void run();
  /// Stops `run()` (from a handler on its thread, e.g. a signal handler).
  void stop();

 private:
  struct impl;
  std::shared_ptr<impl> impl_;
};

}  // namespace stepsim::server
