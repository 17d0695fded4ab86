#include <stepsim/lambda/record.hpp>

#include <catch2/catch.hpp>

#include <string>

using namespace std::chrono_literals;
namespace lambda = stepsim::lambda;
namespace sim = stepsim::sim;

namespace {

lambda::invocation_record invocation(std::string fn, bool cold, lambda::outcome o = lambda::outcome::success) {
  lambda::invocation_record r;
  r.function = std::move(fn);
  r.container = o == lambda::outcome::throttled || o == lambda::outcome::service_error ? 0 : 1;
  r.cold = cold;
  r.init = cold ? 100ms : 0ms;
  r.run = o == lambda::outcome::throttled ? 0ms : 200ms;
  r.billed_ms = (r.init + r.run).count() / 1000;
  r.cost = 1e-6;
  r.result = o;
  return r;
}

}  // namespace

TEST_CASE("to_string names every outcome", "[lambda][record]") {
  CHECK(std::string(lambda::to_string(lambda::outcome::success)) == "success");
  CHECK(std::string(lambda::to_string(lambda::outcome::function_error)) == "function_error");
  CHECK(std::string(lambda::to_string(lambda::outcome::throttled)) == "throttled");
  CHECK(std::string(lambda::to_string(lambda::outcome::service_error)) == "service_error");
  CHECK(std::string(lambda::to_string(lambda::outcome::timeout)) == "timeout");
  CHECK(std::string(lambda::to_string(lambda::outcome::crash)) == "crash");
  CHECK(std::string(lambda::to_string(lambda::outcome::not_found)) == "not_found");
}

TEST_CASE("collecting_sink keeps every record in order", "[lambda][record]") {
  lambda::collecting_sink s;
  s.on_invocation(invocation("F", true));
  s.on_invocation(invocation("G", false));
  lambda::container_record c;
  c.function = "F";
  c.id = 7;
  s.on_container(c);
  REQUIRE(s.invocations.size() == 2);
  CHECK(s.invocations[1].function == "G");
  REQUIRE(s.containers.size() == 1);
  CHECK(s.containers[0].id == 7);
}

TEST_CASE("aggregate_sink totals invocations per function", "[lambda][record]") {
  lambda::aggregate_sink s;
  s.on_invocation(invocation("F", true));
  s.on_invocation(invocation("F", false));
  s.on_invocation(invocation("F", false));
  s.on_invocation(invocation("F", false, lambda::outcome::throttled));
  s.on_invocation(invocation("F", false, lambda::outcome::function_error));
  s.on_invocation(invocation("F", false, lambda::outcome::service_error));
  s.on_invocation(invocation("G", true));
  lambda::container_record c;
  c.function = "F";
  s.on_container(c);
  s.on_container(c);
  REQUIRE(s.functions.size() == 2);
  auto const& f = s.functions.at("F");
  CHECK(f.invocations == 6);
  CHECK(f.cold == 1);
  CHECK(f.warm == 3);  // the function error ran warm; throttled and service errors had no container
  CHECK(f.throttled == 1);
  CHECK(f.errors == 2);
  CHECK(f.containers == 2);
  CHECK(f.init_time == 100ms);
  CHECK(f.run_time == 1000ms);
  CHECK(f.billed_ms == 1100);
  CHECK(f.cost == Approx(6e-6));
  CHECK(s.functions.at("G").cold == 1);
  CHECK(s.functions.at("G").containers == 0);
}

TEST_CASE("aggregate_sink keeps one entry per function however many invocations it sees", "[lambda][record]") {
  lambda::aggregate_sink s;
  auto r = invocation("F", false);
  for (int i = 0; i < 1'000'000; ++i) s.on_invocation(r);
  REQUIRE(s.functions.size() == 1);
  CHECK(s.functions.at("F").invocations == 1'000'000);
  CHECK(s.functions.at("F").warm == 1'000'000);
  CHECK(s.functions.at("F").run_time == 200'000s);
  // The sink's only state is the map of per-function totals and the instant busy time is counted from.
  CHECK(sizeof(lambda::aggregate_sink) == sizeof(lambda::record_sink) +
                                              sizeof(std::map<std::string, lambda::function_totals>) +
                                              sizeof(stepsim::sim::instant));
}

TEST_CASE("aggregate_sink counts busy time from arrival to end, from measure_from on", "[lambda][record]") {
  lambda::aggregate_sink s;
  s.measure_from = stepsim::sim::instant{} + 10s;
  auto at = [](auto d) { return stepsim::sim::instant{} + d; };
  auto served = invocation("F", true);
  served.requested = at(2s), served.finished = at(5s);  // before the measure: left out
  s.on_invocation(served);
  served.requested = at(8s), served.finished = at(12s);  // straddles it: 2 s
  s.on_invocation(served);
  served.requested = at(20s), served.finished = at(23500ms);  // whole: 3.5 s
  s.on_invocation(served);
  auto throttled = invocation("F", false, lambda::outcome::throttled);
  throttled.requested = throttled.finished = at(30s);
  s.on_invocation(throttled);
  CHECK(s.functions.at("F").busy_time == 5500ms);
}
