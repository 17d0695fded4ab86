#include <stepsim/study/workload.hpp>

#include <catch2/catch.hpp>

using namespace std::chrono_literals;
namespace study = stepsim::study;
namespace sim = stepsim::sim;

namespace {
std::vector<std::int64_t> ms(std::vector<study::arrival> const& v) {
  std::vector<std::int64_t> out;
  for (auto const& a : v) out.push_back(std::chrono::duration_cast<std::chrono::milliseconds>(a.at).count());
  return out;
}
}  // namespace

TEST_CASE("A thread group starts each period's requests evenly over the ramp-up, periods ramp-up plus pause apart",
          "[study][workload]") {
  study::workload_spec w;
  w.workflow = "wf";
  w.threads = 4;
  w.ramp_up = 200ms;
  w.loops = 3;
  w.pause = 5s;
  auto a = study::arrivals(w, sim::rng(1).stream("x"));
  CHECK(ms(a) == std::vector<std::int64_t>{0, 50, 100, 150, 5200, 5250, 5300, 5350, 10400, 10450, 10500, 10550});
  CHECK(a[4].period == 1);
  CHECK(a[11].period == 2);
  CHECK(a[0].workflow == "wf");
}

TEST_CASE("A constant rate starts executions exactly 1/rate apart for the duration", "[study][workload]") {
  study::workload_spec w;
  w.type = study::workload_spec::kind::constant;
  w.rate_per_s = 4;
  w.duration = 1s;
  w.start_offset = 10s;
  CHECK(ms(study::arrivals(w, sim::rng(1).stream("x"))) == std::vector<std::int64_t>{10000, 10250, 10500, 10750});
}

TEST_CASE("Poisson arrivals have the given rate and are reproducible from the seed", "[study][workload]") {
  study::workload_spec w;
  w.type = study::workload_spec::kind::poisson;
  w.rate_per_s = 10;
  w.duration = 1000s;
  auto a = study::arrivals(w, sim::rng(3).stream("p"));
  auto b = study::arrivals(w, sim::rng(3).stream("p"));
  CHECK(ms(a) == ms(b));
  CHECK(a.size() == Approx(10000).epsilon(0.03));
  for (std::size_t i = 1; i < a.size(); ++i) REQUIRE(a[i].at >= a[i - 1].at);
}

TEST_CASE("An hourly profile scales a Poisson rate by the hour of the day", "[study][workload]") {
  study::workload_spec w;
  w.type = study::workload_spec::kind::poisson;
  w.rate_per_s = 1;
  w.duration = 2h;
  w.hourly.assign(24, 0.0);
  w.hourly[1] = 1.0;  // only the second hour has traffic
  auto a = study::arrivals(w, sim::rng(5).stream("p"));
  REQUIRE_FALSE(a.empty());
  for (auto const& x : a) CHECK(x.at >= 1h);
  CHECK(a.size() == Approx(3600).epsilon(0.06));
}

TEST_CASE("A trace reads offsets or instants and the workflow per row, sorted", "[study][workload]") {
  std::string error;
  auto origin = *sim::parse_iso8601("2024-01-01T00:00:00Z");
  auto t = study::read_trace("start,workflow\n2.5,b\n0,a\n2024-01-01T00:00:01Z,\n", origin, "dflt", error);
  REQUIRE(t);
  CHECK(ms(*t) == std::vector<std::int64_t>{0, 1000, 2500});
  CHECK((*t)[0].workflow == "a");
  CHECK((*t)[1].workflow == "dflt");
  CHECK((*t)[2].workflow == "b");
}

TEST_CASE("A bad trace row is reported with its line", "[study][workload]") {
  std::string error;
  auto origin = *sim::parse_iso8601("2024-01-01T00:00:00Z");
  CHECK_FALSE(study::read_trace("start\n1\nsoon\n", origin, "w", error));
  CHECK(error == "line 3: start \"soon\" is neither seconds from the study start nor an ISO-8601 instant");
  CHECK_FALSE(study::read_trace("when\n1\n", origin, "w", error));
  CHECK(error == "line 1: the header must name a 'start' column (and optionally 'workflow')");
}
