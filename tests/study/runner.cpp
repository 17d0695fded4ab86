#include <stepsim/study/runner.hpp>

#include <stepsim/study/summary.hpp>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

namespace study = stepsim::study;
namespace json = boost::json;

namespace {

std::string const dir = std::string(STEPSIM_SOURCE_DIR) + "/examples/coldstart-accumulation";

study::study const& example() {
  static auto r = study::load_study(dir + "/study.json");
  REQUIRE(r.value);
  return *r.value;
}

json::object const& workflow_row(json::object const& summary, std::string const& scenario, std::string const& wf) {
  for (auto const& sc : summary.at("scenarios").as_array())
    if (sc.at("name") == scenario.c_str())
      for (auto const& w : sc.at("workflows").as_array())
        if (w.at("workflow") == wf.c_str()) return w.as_object();
  FAIL("no row " << scenario << "/" << wf);
  static json::object none;
  return none;
}

}  // namespace

TEST_CASE("The seed study's table lands within 10% of the seed's four numbers", "[study][runner]") {
  auto runs = study::run_all(example(), 1, std::string("aws"));
  auto summary = study::summarize(example(), runs, {});
  auto const& single = workflow_row(summary, "aws", "single-step");
  auto const& four = workflow_row(summary, "aws", "four-steps");
  CHECK(single.at("avg_cold_ms").to_number<double>() == Approx(456.90).epsilon(0.10));
  CHECK(single.at("avg_warm_ms").to_number<double>() == Approx(80.72).epsilon(0.10));
  CHECK(four.at("avg_cold_ms").to_number<double>() == Approx(3339.90).epsilon(0.10));
  CHECK(four.at("avg_warm_ms").to_number<double>() == Approx(335.95).epsilon(0.10));
  // The first period is cold, the four later ones warm.
  CHECK(four.at("cold_executions").to_number<int>() == 10 * example().replications);
  // Nearly every cold execution pays all four cold starts: only an execution
  // whose earlier steps ran slower can find a later step's environment freed
  // by a faster execution of the same burst.
  auto per_execution = four.at("cold_starts_per_cold_execution").to_number<double>();
  CHECK(per_execution > 3.8);
  CHECK(per_execution <= 4.0);
  CHECK(single.at("cold_starts_per_cold_execution").to_number<double>() == 1.0);
}

TEST_CASE("The same study and seed give byte-identical summaries with 1 and 2 jobs", "[study][runner]") {
  auto one = study::summarize(example(), study::run_all(example(), 1), {});
  auto two = study::summarize(example(), study::run_all(example(), 2), {});
  CHECK(json::serialize(one) == json::serialize(two));
}

TEST_CASE("analyze on a simulated AWS export gives simulate's period table", "[study][runner]") {
  auto const& s = example();
  auto runs = study::run_all(s, 1, std::string("aws"));
  study::period_options po;
  po.cold_gap = s.cold_gap;
  auto summary = study::summarize(s, runs, po);
  // Export each replication in the AWS CLI shape, read it back as `analyze` does.
  std::vector<study::exported_execution> rows;
  for (auto const& r : runs) {
    std::string error;
    auto text = json::serialize(study::aws_export(r));
    auto back = study::read_export(text, "export.json", error);
    REQUIRE(back);
    for (auto& x : *back) x.workflow += s.replications > 1 ? "#" + std::to_string(r.replication) : "";
    rows.insert(rows.end(), back->begin(), back->end());
  }
  auto analyzed = study::analyze_periods(rows, po);
  auto const& simulated = summary.at("scenarios").as_array()[0].at("by_period");
  CHECK(json::serialize(analyzed) == json::serialize(simulated));
  // And the period method agrees with the cold starts the simulation saw.
  auto const& first = analyzed[0].as_object();
  CHECK(first.at("cold_periods").to_number<int>() == 1);
}

TEST_CASE("duration_stats gives exact nearest-rank percentiles when it keeps values", "[study][runner]") {
  study::duration_stats d;
  for (int i = 1; i <= 100; ++i) d.add(i);
  CHECK(d.percentile(50) == 50);
  CHECK(d.percentile(90) == 90);
  CHECK(d.percentile(99) == 99);
  CHECK(d.mean() == 50.5);
}

TEST_CASE("duration_stats saves its values sorted, and merging sorted values keeps every percentile exact", "[study][runner]") {
  study::duration_stats a, b, unsorted;
  for (double v : {5.0, 1.0, 9.0, 3.0}) a.add(v);
  for (double v : {4.0, 8.0, 2.0}) b.add(v);
  for (double v : {7.0, 6.0}) unsorted.add(v);
  CHECK(a.save().values == std::vector<double>{1, 3, 5, 9});
  // Restored from their saved (sorted) states, as merge reads a part: the merge is a linear one.
  auto merged = study::duration_stats::restore(a.save());
  merged.merge(study::duration_stats::restore(b.save()));
  CHECK(merged.save().values == std::vector<double>{1, 2, 3, 4, 5, 8, 9});
  // Values added in any order still merge into the same multiset.
  merged.merge(unsorted);
  CHECK(merged.count() == 9);
  CHECK(merged.percentile(50) == 5);
  CHECK(merged.percentile(100) == 9);
  CHECK(merged.save().values == std::vector<double>{1, 2, 3, 4, 5, 6, 7, 8, 9});
  // A state read back unsorted (a part from before values were saved sorted) is sorted when needed.
  study::duration_stats::state s;
  s.n = 3, s.sum = 6, s.min = 1, s.max = 3, s.values = {3, 1, 2};
  auto restored = study::duration_stats::restore(s);
  restored.merge(study::duration_stats::restore(b.save()));
  CHECK(restored.percentile(50) == 2);
  CHECK(restored.save().values == std::vector<double>{1, 2, 2, 3, 4, 8});
}

TEST_CASE("duration_sum keeps the count and the sum, in the order they come, for an exact average", "[study][runner]") {
  study::duration_sum a, b;
  CHECK(a.mean() == 0);
  a.add(0.1);
  a.add(0.2);
  b.add(0.3);
  a.merge(b);
  CHECK(a.count() == 3);
  CHECK(a.sum == (0.1 + 0.2) + 0.3);
  CHECK(a.mean() == ((0.1 + 0.2) + 0.3) / 3);
}

TEST_CASE("duration_stats without values stays within 0.5% and keeps no per-value memory", "[study][runner]") {
  study::duration_stats d(false);
  for (int i = 1; i <= 100000; ++i) d.add(double(i) / 10.0);
  CHECK(d.percentile(50) == Approx(5000).epsilon(0.005));
  CHECK(d.percentile(99) == Approx(9900).epsilon(0.005));
  CHECK(d.count() == 100000);
}
