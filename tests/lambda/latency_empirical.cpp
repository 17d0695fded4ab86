// The empirical duration distribution: quantiles at equally spaced probabilities.
#include <stepsim/lambda/latency.hpp>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace json = boost::json;
namespace sim = stepsim::sim;
using stepsim::lambda::latency;

namespace {

std::string error_of(std::string_view text) {
  std::string error;
  CHECK_FALSE(latency::from_json(json::parse(text), error));
  return error;
}

}  // namespace

TEST_CASE("an empirical distribution reads its quantiles and writes them back") {
  std::string error;
  auto l = latency::from_json(json::parse(R"({"empirical": [100, 150, 200, 900]})"), error);
  REQUIRE(l);
  CHECK(l->type() == latency::kind::empirical);
  CHECK(l->quantiles() == std::vector<double>{100, 150, 200, 900});
  CHECK(json::serialize(l->to_json()) == R"({"empirical":[1E2,1.5E2,2E2,9E2]})");
}

TEST_CASE("an empirical distribution's quantiles and mean are those of its piecewise-linear quantile function") {
  auto l = latency::empirical({100, 200, 400});
  CHECK(l.quantile_ms(0) == 100);
  CHECK(l.quantile_ms(0.25) == 150);
  CHECK(l.quantile_ms(0.5) == 200);
  CHECK(l.quantile_ms(0.75) == 300);
  CHECK(l.quantile_ms(1) == 400);
  // (100 + 200) / 2 and (200 + 400) / 2, averaged.
  CHECK(l.mean_ms() == 225);
}

TEST_CASE("samples of an empirical distribution follow its quantiles") {
  auto l = latency::empirical({100, 200, 400});
  sim::random_stream r(42);
  std::vector<double> xs;
  for (int i = 0; i < 40000; ++i) xs.push_back(double(l.sample(r).count()) / 1000.0);
  std::sort(xs.begin(), xs.end());
  CHECK(xs.front() >= 100);
  CHECK(xs.back() <= 400);
  CHECK(xs[xs.size() / 2] == Approx(200).epsilon(0.02));
  CHECK(xs[xs.size() / 4] == Approx(150).epsilon(0.02));
  double mean = 0;
  for (double x : xs) mean += x;
  CHECK(mean / double(xs.size()) == Approx(225).epsilon(0.01));
}

TEST_CASE("the quantiles of the other distributions") {
  CHECK(latency::constant(5).quantile_ms(0.99) == 5);
  CHECK(latency::uniform(100, 200).quantile_ms(0.25) == 125);
  CHECK(latency::exponential(100).quantile_ms(0.5) == Approx(69.3147).epsilon(1e-5));
  CHECK(latency::normal(100, 10).quantile_ms(0.975) == Approx(119.59964).epsilon(1e-6));
  CHECK(latency::normal(10, 100).quantile_ms(0.01) == 0);  // truncated at 0
  CHECK(latency::lognormal(200, 0.5).quantile_ms(0.5) == Approx(200).epsilon(1e-9));
  CHECK(latency::lognormal(200, 0.5).quantile_ms(0.99) == Approx(200 * std::exp(0.5 * 2.3263479)).epsilon(1e-6));
}

TEST_CASE("a malformed empirical distribution is refused, naming what is wrong") {
  CHECK(error_of(R"({"empirical": [100]})") ==
        "\"empirical\" takes an array of 2 to 10001 quantiles in milliseconds, at the probabilities 0, 1/n, ..., 1");
  CHECK(error_of(R"({"empirical": 100})").starts_with("\"empirical\" takes an array"));
  CHECK(error_of(R"({"empirical": [100, "x"]})") ==
        "\"empirical\" quantile 1 must be a number between 0 and 10000000000 ms");
  CHECK(error_of(R"({"empirical": [100, -1]})") ==
        "\"empirical\" quantile 1 must be a number between 0 and 10000000000 ms");
  CHECK(error_of(R"({"empirical": [100, 300, 200]})") ==
        "\"empirical\" quantiles must not decrease: quantile 2 (200) is below quantile 1 (300)");
  json::array big(10002, json::value(1));
  std::string error;
  CHECK_FALSE(latency::from_json(json::object{{"empirical", big}}, error));
  CHECK(error.starts_with("\"empirical\" takes an array of 2 to 10001"));
}
