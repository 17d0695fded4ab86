#include <stepsim/lambda/latency.hpp>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

using namespace std::chrono_literals;
namespace json = boost::json;
namespace lambda = stepsim::lambda;
namespace sim = stepsim::sim;
using lambda::latency;

namespace {

latency read(std::string_view text) {
  std::string error;
  auto l = latency::from_json(json::parse(text), error);
  INFO(error);
  REQUIRE(l);
  return *l;
}

std::string error_of(std::string_view text) {
  std::string error;
  CHECK_FALSE(latency::from_json(json::parse(text), error));
  return error;
}

/// Mean and standard deviation (ms) of `n` samples.
std::pair<double, double> moments(latency const& l, int n, std::uint64_t seed = 7) {
  sim::random_stream r(seed);
  double sum = 0, sq = 0;
  for (int i = 0; i < n; ++i) {
    double ms = double(l.sample(r).count()) / 1000.0;
    sum += ms;
    sq += ms * ms;
  }
  double mean = sum / n;
  return {mean, std::sqrt(sq / n - mean * mean)};
}

}  // namespace

TEST_CASE("latency reads every distribution from JSON", "[lambda][latency]") {
  auto c = read("250");
  CHECK(c.type() == latency::kind::constant);
  CHECK(c.a() == 250);
  CHECK(read(R"({"constant": 12.5})").a() == 12.5);
  auto u = read(R"({"uniform": [100, 300]})");
  CHECK((u.type() == latency::kind::uniform && u.a() == 100 && u.b() == 300));
  auto e = read(R"({"exponential": 200})");
  CHECK((e.type() == latency::kind::exponential && e.a() == 200));
  auto n = read(R"({"normal": [200, 20]})");
  CHECK((n.type() == latency::kind::normal && n.a() == 200 && n.b() == 20));
  auto l = read(R"({"lognormal": [250, 0.2]})");
  CHECK((l.type() == latency::kind::lognormal && l.a() == 250 && l.b() == 0.2));
}

TEST_CASE("latency writes JSON that reads back to the same distribution", "[lambda][latency]") {
  for (auto const& l : {latency::constant(5), latency::uniform(1, 2), latency::exponential(3), latency::normal(4, 0.5),
                        latency::lognormal(250, 0.2)}) {
    std::string error;
    auto back = latency::from_json(l.to_json(), error);
    REQUIRE(back);
    CHECK(back->type() == l.type());
    CHECK(back->a() == l.a());
    CHECK(back->b() == l.b());
  }
  CHECK(json::serialize(latency::lognormal(250, 0.2).to_json()) == R"({"lognormal":[2.5E2,2E-1]})");
  CHECK(json::serialize(latency::constant(200).to_json()) == R"({"constant":2E2})");
}

TEST_CASE("latency refuses malformed JSON with a message saying what was expected", "[lambda][latency]") {
  CHECK(error_of("-1") == "a duration in milliseconds must be between 0 and 10000000000, not -1");
  CHECK(error_of("1e308") == "a duration in milliseconds must be between 0 and 10000000000, not 1e+308");
  CHECK(error_of(R"("fast")") ==
        "expected a number of milliseconds or one of {\"constant\": ms}, {\"uniform\": [lo, hi]}, "
        "{\"exponential\": mean}, {\"normal\": [mean, sd]}, {\"lognormal\": [median, sigma]}, "
        "{\"empirical\": [q0, ..., qn]}");
  CHECK(error_of(R"({"constant": 1, "uniform": [1, 2]})").starts_with("expected a number of milliseconds"));
  CHECK(error_of(R"({"gamma": 2})") ==
        "unknown distribution \"gamma\"; expected constant, uniform, exponential, normal, lognormal or empirical");
  CHECK(error_of(R"({"uniform": [300, 100]})") == "\"uniform\" needs lo <= hi");
  CHECK(error_of(R"({"uniform": [100]})") ==
        "\"uniform\" takes [lo, hi] with lo and hi between 0 and 10000000000 ms");
  CHECK(error_of(R"({"normal": [200, -1]})") ==
        "\"normal\" takes [mean, sd] with mean and sd between 0 and 10000000000 ms");
  CHECK(error_of(R"({"lognormal": "250"})") ==
        "\"lognormal\" takes [median, sigma] with median between 0 and 10000000000 ms and sigma between 0 and 10");
  CHECK(error_of(R"({"lognormal": [250, 11]})") ==
        "\"lognormal\" takes [median, sigma] with median between 0 and 10000000000 ms and sigma between 0 and 10");
  CHECK(error_of(R"({"exponential": -5})") ==
        "\"exponential\" takes one number between 0 and 10000000000 (the mean in milliseconds)");
  CHECK(error_of(R"({"constant": 2e10})") == "\"constant\" takes one number between 0 and 10000000000 (milliseconds)");
  CHECK(error_of(R"({"constant": [1]})") == "\"constant\" takes one number between 0 and 10000000000 (milliseconds)");
}

TEST_CASE("latency samples round to the microsecond and are never negative", "[lambda][latency]") {
  sim::random_stream r(1);
  CHECK(latency::constant(12.3456).sample(r) == 12346us);
  CHECK(latency::constant(0.0004).sample(r) == 0us);
  CHECK(latency::constant(0.0005).sample(r) == 1us);
  CHECK(latency::normal(-50, 1).sample(r) == 0us);
  CHECK(latency::lognormal(0, 0.5).sample(r) == 0us);
  CHECK(latency::uniform(7, 7).sample(r) == 7ms);
}

TEST_CASE("latency mean_ms is the distribution's mean", "[lambda][latency]") {
  CHECK(latency::constant(200).mean_ms() == 200);
  CHECK(latency::uniform(100, 300).mean_ms() == 200);
  CHECK(latency::exponential(1991).mean_ms() == 1991);
  CHECK(latency::normal(200, 20).mean_ms() == 200);
  CHECK(latency::lognormal(200, 0.2).mean_ms() == Approx(200 * std::exp(0.02)).epsilon(1e-15));
}

TEST_CASE("latency samples have the distribution's mean and spread", "[lambda][latency]") {
  constexpr int n = 200000;
  auto [em, esd] = moments(latency::exponential(200), n);
  CHECK(em == Approx(200).epsilon(0.01));
  CHECK(esd == Approx(200).epsilon(0.015));
  auto [um, usd] = moments(latency::uniform(100, 300), n);
  CHECK(um == Approx(200).epsilon(0.005));
  CHECK(usd == Approx(200 / std::sqrt(12.0)).epsilon(0.01));
  auto [nm, nsd] = moments(latency::normal(200, 20), n);
  CHECK(nm == Approx(200).epsilon(0.002));
  CHECK(nsd == Approx(20).epsilon(0.01));
  auto [lm, lsd] = moments(latency::lognormal(250, 0.2), n);
  CHECK(lm == Approx(latency::lognormal(250, 0.2).mean_ms()).epsilon(0.005));
  CHECK(lsd == Approx(250 * std::exp(0.02) * std::sqrt(std::exp(0.04) - 1)).epsilon(0.02));
}

TEST_CASE("latency lognormal has its median at the given value", "[lambda][latency]") {
  sim::random_stream r(3);
  std::vector<sim::duration> v;
  for (int i = 0; i < 100001; ++i) v.push_back(latency::lognormal(250, 0.2).sample(r));
  std::nth_element(v.begin(), v.begin() + 50000, v.end());
  CHECK(double(v[50000].count()) / 1000.0 == Approx(250).epsilon(0.005));
}

TEST_CASE("latency uniform samples stay at or above lo and below hi", "[lambda][latency]") {
  sim::random_stream r(5);
  auto l = latency::uniform(100, 300);
  for (int i = 0; i < 10000; ++i) {
    auto d = l.sample(r);
    CHECK((d >= 100ms && d <= 300ms));
  }
}

TEST_CASE("latency samples are the same for the same stream seed", "[lambda][latency]") {
  sim::random_stream a(42), b(42);
  auto l = latency::lognormal(250, 0.2);
  for (int i = 0; i < 100; ++i) CHECK(l.sample(a) == l.sample(b));
}

TEST_CASE("latency samples are capped at max_ms whatever the parameters", "[lambda][latency]") {
  sim::random_stream r(3);
  auto const cap = sim::duration(static_cast<std::int64_t>(lambda::latency::max_ms * 1000));
  CHECK(lambda::latency::constant(1e308).sample(r) == cap);
  CHECK(lambda::latency::exponential(1e300).sample(r) == cap);
  for (int i = 0; i < 100; ++i) {
    auto d = lambda::latency::lognormal(1000, 1e300).sample(r);  // exp(±huge): 0 or the cap
    CHECK((d == sim::duration::zero() || d == cap));
  }
}
