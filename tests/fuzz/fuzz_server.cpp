// libFuzzer target: requests to `stepsim serve` -> the server's HTTP request parsing (server/http_exchange)
// and the service's dispatcher (service::async_handle and every operation), without sockets, on a
// virtual-time scheduler. Two input forms:
//   - text starting "AWSStepFunctions.": one request per line, "TARGET BODY" (the X-Amz-Target header
//     and the JSON body), so the fuzzer reaches the operations without having to frame HTTP;
//   - anything else: raw HTTP/1.x bytes, possibly several pipelined requests, parsed as the server's
//     connections parse them (set_limits, reject, request_target, make_http_response).
// Each input gets a fresh service holding a few fixed state machines, an activity and executions (see
// `fixture`), whose ARNs the seeds use. Contract: every answer is 200 with a JSON object, or an AWS
// error (400, 404 or 413) `{"__type": "<namespace>#<Code>", "message": "..."}`; never 500 (an exception
// the service did not turn into an AWS error).
#include <stepsim/json/parse.hpp>
#include <stepsim/server/service.hpp>

#include "server/http_exchange.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/json.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string_view>

namespace {

using namespace stepsim;
namespace json = boost::json;
namespace http = boost::beast::http;

/// The service a single input talks to, with what the seeds refer to:
/// stateMachine:Hello (one Pass), :Wait (a Wait of an hour, execution "running" in it), :Callback (a
/// .waitForTaskToken Task, execution "asking" in it), :Express (EXPRESS, one Pass), :Act (a Task on
/// activity:work, execution "working" in it), and execution Hello:done (SUCCEEDED).
struct fixture {
  sim::scheduler sched = sim::scheduler::virtual_time(sim::instant{} + std::chrono::hours(24 * 365 * 54));
  server::service svc{sched, server::service_options{.echo_tasks = true}};

  fixture() {
    constexpr char const* role = R"("roleArn": "arn:aws:iam::123456789012:role/r")";
    auto create = [&](char const* name, char const* definition, char const* type = "STANDARD") {
      handle("AWSStepFunctions.CreateStateMachine",
             std::string(R"({"name": ")") + name + R"(", "type": ")" + type + R"(", )" + role +
                 R"(, "definition": )" + json::serialize(json::value(definition)) + "}");
    };
    create("Hello", R"({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}})");
    create("Wait", R"({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": true}}})");
    create("Callback", R"({"StartAt": "T", "States": {"T": {"Type": "Task",
        "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken", "HeartbeatSeconds": 600,
        "Parameters": {"QueueUrl": "q", "MessageBody": {"token.$": "$$.Task.Token"}}, "End": true}}})");
    create("Express", R"({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}})", "EXPRESS");
    handle("AWSStepFunctions.CreateActivity", R"({"name": "work"})");
    create("Act", R"({"StartAt": "T", "States": {"T": {"Type": "Task",
        "Resource": "arn:aws:states:us-east-1:123456789012:activity:work", "End": true}}})");
    auto start = [&](char const* machine, char const* name) {
      handle("AWSStepFunctions.StartExecution",
             std::string(R"({"stateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:)") + machine +
                 R"(", "name": ")" + name + R"(", "input": "{\"k\": [1, \"two\"]}"})");
    };
    start("Hello", "done");
    start("Wait", "running");
    start("Callback", "asking");
    start("Act", "working");
  }

  /// Sends one request and runs the scheduler until it is answered, for a bounded number of steps (a
  /// long poll with no task, a callback nobody answers, ... are left unanswered). Virtual time moves
  /// to the next timer whenever nothing is ready, even while an execution waits for a client.
  std::optional<server::response> handle(std::string_view target, std::string_view body) {
    auto out = std::make_shared<std::optional<server::response>>();
    svc.async_handle(target, body, [out](server::response r) { *out = std::move(r); });
    auto& ctx = sched.context();
    for (int step = 0; step < 100000 && !*out; ++step) {
      ctx.restart();
      if (ctx.poll_one() > 0) continue;
      auto due = sched.next_due();
      if (!due) break;
      sched.run_until(*due);
    }
    return std::move(*out);
  }
};

/// Checks the contract on one answer; says which answer broke it.
void check(server::response const& r) {
  auto broken = [&r] {
    std::fprintf(stderr, "fuzz_server: answer %u breaks the contract: %s\n", r.status, r.body.c_str());
    __builtin_trap();
  };
  auto parsed = stepsim::json::parse(r.body, 1000);
  if (!parsed.value || !parsed.value->is_object()) broken();
  auto const& body = parsed.value->get_object();
  if (r.status == 200) return;
  if (r.status != 400 && r.status != 404 && r.status != 413) broken();
  auto const* type = body.if_contains("__type");
  auto const* message = body.if_contains("message");
  if (!type || !type->is_string() || type->get_string().find('#') == json::string::npos) broken();
  if (!message || !message->is_string()) broken();
}

/// True when `v`, or a JSON text inside one of its strings (a definition), holds `word` anywhere.
bool mentions(json::value const& v, std::string_view word, int depth = 0) {
  switch (v.kind()) {
    case json::kind::string: {
      std::string_view s = v.get_string();
      if (s.find(word) != std::string_view::npos) return true;
      if (depth >= 3) return false;
      auto inner = stepsim::json::parse(s, 1000);
      return inner.value && mentions(*inner.value, word, depth + 1);
    }
    case json::kind::array:
      for (auto const& x : v.get_array())
        if (mentions(x, word, depth)) return true;
      return false;
    case json::kind::object:
      for (auto const& [k, x] : v.get_object())
        if (std::string_view(k).find(word) != std::string_view::npos || mentions(x, word, depth)) return true;
      return false;
    default:
      return false;
  }
}

/// A loop of Pass states in an EXPRESS execution (or in a Distributed Map's EXPRESS children) takes no
/// time, so in virtual time it never reaches the five-minute limit and runs forever (AWS stops it after
/// five minutes of wall time). Requests that could make one are left out: any that names EXPRESS, and
/// updates of the fixture's EXPRESS machine (Express).
bool left_out(std::string_view target, std::string_view body) {
  if (body.find("EXPRESS") != std::string_view::npos) return true;
  auto parsed = stepsim::json::parse(body, 64);
  if (!parsed.value) return false;
  return mentions(*parsed.value, "EXPRESS") ||
         (target.ends_with("UpdateStateMachine") && mentions(*parsed.value, "Express"));
}

void serve(fixture& f, std::string_view target, std::string_view body) {
  if (left_out(target, body)) return;
  if (auto r = f.handle(target, body)) check(*r);
}

/// Raw HTTP: requests one after another, as a connection reads them, until one fails to parse or
/// does not keep the connection alive.
void serve_http(fixture& f, std::string_view bytes) {
  for (int n = 0; n < 16 && !bytes.empty(); ++n) {
    server::http_request_parser parser;
    server::set_limits(parser);
    parser.eager(true);
    boost::beast::error_code ec;
    while (!parser.is_done()) {
      auto used = parser.put(boost::asio::buffer(bytes.data(), bytes.size()), ec);
      bytes.remove_prefix(used);
      if (ec == http::error::need_more) ec = {};
      if (ec) break;
      if (used == 0) {  // all there is was read: the connection ends here
        parser.put_eof(ec);
        break;
      }
    }
    if (ec == http::error::body_limit) {
      auto r = server::body_too_large();
      check(r);
      (void)server::make_http_response(11, std::move(r), false, 1);
      return;
    }
    if (ec || !parser.is_done()) return;
    auto const& req = parser.get();
    std::optional<server::response> r = server::reject(req);
    if (!r) {
      if (left_out(server::request_target(req), req.body())) return;
      r = f.handle(server::request_target(req), req.body());
    }
    if (!r) return;  // a long poll or a synchronous execution still waiting
    check(*r);
    auto res = server::make_http_response(req.version(), std::move(*r), req.keep_alive(), 1);
    if (res.body().size() != res.payload_size().value_or(0)) __builtin_trap();
    if (!req.keep_alive()) return;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  std::string_view text(reinterpret_cast<char const*>(data), size);
  fixture f;
  constexpr std::string_view prefix = "AWSStepFunctions.";
  if (!text.starts_with(prefix)) {
    serve_http(f, text);
    return 0;
  }
  for (int n = 0; n < 16 && !text.empty(); ++n) {
    auto end = text.find('\n');
    auto line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    auto space = line.find(' ');
    serve(f, line.substr(0, space), space == std::string_view::npos ? std::string_view() : line.substr(space + 1));
  }
  return 0;
}
