// stepsim-bench: the `serve` cell, `stepsim serve`'s HTTP API under a keep-alive load on loopback.
#pragma once

#include "cell.hpp"

#include <cstddef>
#include <string>

namespace stepsim::bench {

/// Keep-alive connections of the load generator, one client thread each.
inline constexpr std::size_t serve_connections = 4;

/// Runs one row of the `serve` cell in this process: a server on a free
/// loopback port, run on the calling thread (as `stepsim serve` runs it on its
/// main thread), and `serve_connections` client threads that each keep one
/// connection alive and send requests one after another, each timed from
/// writing the request to reading the whole response. `mode`:
/// - "bare-beast": a bare Boost.Beast server answering every request with a
///   fixed 200 `{}` (the baseline: what HTTP on this machine costs);
/// - "sync-pass": StartSyncExecution of an EXPRESS machine of one Pass state;
/// - "start-describe": StartExecution of a STANDARD machine of one Pass state,
///   then DescribeExecution of it (both requests counted).
/// The real server is `server::http_server` over `server::service` on a
/// real-time scheduler, as `stepsim serve` runs it. `executions` is the
/// number of requests, `exec_per_s` requests per wall second, `batch` the
/// connections, `p50_ms` / `p99_ms` the request latency percentiles.
/// Rounds go on until `o.min_time_s` passed, at least max(10, 2000 x scale)
/// requests per connection. Any answer other than 200 (or a sync execution
/// that did not succeed with its input) fails the row.
cell_result run_serve(std::string const& mode, cell_options const& o);

}  // namespace stepsim::bench
