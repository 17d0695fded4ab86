// stepsim calibrate's library half: REPORT lines read, durations fitted.
#include <stepsim/study/calibrate.hpp>

#include <stepsim/sim/rng.hpp>

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <cmath>
#include <string>
#include <vector>

namespace json = boost::json;
namespace sim = stepsim::sim;
namespace cal = stepsim::study::calibration;
using stepsim::lambda::latency;

namespace {

std::string report(std::string const& id, double duration, int memory, std::optional<double> init = {}) {
  auto line = fmt::format("REPORT RequestId: {}\tDuration: {:.2f} ms\tBilled Duration: {:.0f} ms\tMemory Size: {} MB\t"
                          "Max Memory Used: 70 MB\t",
                          id, duration, std::ceil(duration), memory);
  if (init) line += fmt::format("Init Duration: {:.2f} ms\t", *init);
  return line;
}

std::string why_not(std::string_view line) {
  std::string why;
  CHECK_FALSE(cal::parse_report_line(line, why));
  return why;
}

}  // namespace

TEST_CASE("a REPORT line as Lambda writes it") {
  std::string why;
  auto r = cal::parse_report_line(
      "REPORT RequestId: 8f5b0c1e-1f6a-4bd3-9c55-0e4a2d6a1b7c\tDuration: 102.25 ms\tBilled Duration: 103 ms\t"
      "Memory Size: 512 MB\tMax Memory Used: 70 MB\tInit Duration: 176.15 ms\t",
      why);
  INFO(why);
  REQUIRE(r);
  CHECK(r->request_id == "8f5b0c1e-1f6a-4bd3-9c55-0e4a2d6a1b7c");
  CHECK(r->duration_ms == 102.25);
  CHECK(r->billed_ms == 103);
  CHECK(r->memory_mb == 512);
  CHECK(r->max_memory_used_mb == 70);
  CHECK(r->init_ms == 176.15);
  CHECK_FALSE(r->status);
}

TEST_CASE("a REPORT line after a timestamp, with blanks for tabs, or with fields Lambda added later") {
  std::string why;
  auto blanks = cal::parse_report_line(
      "2024-05-01T10:00:00.000Z REPORT RequestId: abc Duration: 3.5 ms Billed Duration: 4 ms Memory Size: 128 MB "
      "Max Memory Used: 40 MB",
      why);
  INFO(why);
  REQUIRE(blanks);
  CHECK(blanks->request_id == "abc");
  CHECK(blanks->duration_ms == 3.5);
  CHECK(blanks->billed_ms == 4);
  CHECK_FALSE(blanks->init_ms);
  auto later = cal::parse_report_line(
      "REPORT RequestId: abc\tDuration: 3000.00 ms\tBilled Duration: 3000 ms\tMemory Size: 128 MB\tMax Memory Used: "
      "40 MB\tSomething New: 7 ms\tStatus: timeout",
      why);
  REQUIRE(later);
  CHECK(later->status == "timeout");
}

TEST_CASE("a malformed REPORT line says what is wrong") {
  CHECK(why_not("REPORT RequestId: a\tDuration: 12.x ms\tBilled Duration: 13 ms\tMemory Size: 128 MB") ==
        "'Duration' is \"12.x ms\", not a number of milliseconds between 0 and 10000000000 followed by \" ms\"");
  CHECK(why_not("REPORT RequestId: a\tDuration: -1 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB") ==
        "'Duration' is \"-1 ms\", not a number of milliseconds between 0 and 10000000000 followed by \" ms\"");
  CHECK(why_not("REPORT RequestId: a\tDuration: 12 s\tBilled Duration: 13 ms\tMemory Size: 128 MB").starts_with(
      "'Duration' is \"12 s\""));
  CHECK(why_not("REPORT RequestId: a\tBilled Duration: 13 ms\tMemory Size: 128 MB") == "no 'Duration' field");
  CHECK(why_not("REPORT RequestId: a\tDuration: 1 ms\tDuration: 2 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB") ==
        "'Duration' is given twice");
  CHECK(why_not("REPORT RequestId: a\tDuration: 1 ms\tBilled Duration: 13 ms\tMemory Size: 64 MB") ==
        "'Memory Size' is \"64 MB\", not a whole number of MB from 128 to 10240");
  CHECK(why_not("REPORT RequestId: a\tDuration: 1 ms\tBilled Duration: 13 ms\tMemory Size: 128.5 MB") ==
        "'Memory Size' is \"128.5 MB\", not a whole number of MB from 128 to 10240");
  CHECK(why_not("REPORT RequestId: \tDuration: 1 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB") ==
        "'RequestId' is \"\", not an identifier");
  CHECK(why_not("REPORT RequestId: a\tDuration: nan ms\tBilled Duration: 1 ms\tMemory Size: 128 MB")
            .starts_with("'Duration' is \"nan ms\""));
  CHECK(why_not("REPORT RequestId: a\tDuration: 1e3 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB")
            .starts_with("'Duration' is \"1e3 ms\""));
}

TEST_CASE("CloudWatch text: reports read, other lines counted, malformed reports counted with their line") {
  std::string text = "START RequestId: a Version: $LATEST\n" + report("a", 10, 256, 300.5) +
                     "\nhello from the handler\nEND RequestId: a\r\n" + report("b", 12, 256) +
                     "\nXRAY TraceId: 1-2-3\tSegmentId: 4\tSampled: true\n"
                     "REPORT RequestId: c\tDuration: oops ms\tBilled Duration: 1 ms\tMemory Size: 256 MB\n";
  auto r = cal::read_logs(text);
  CHECK(r.format == "text");
  CHECK_FALSE(r.error);
  REQUIRE(r.reports.size() == 2);
  CHECK(r.reports[0].init_ms == 300.5);
  CHECK(r.reports[1].duration_ms == 12);
  CHECK(r.other_count == 4);
  CHECK(r.malformed_count == 1);
  REQUIRE(r.malformed.size() == 1);
  CHECK(r.malformed[0].line == 7);
  CHECK(r.malformed[0].reason.starts_with("'Duration' is \"oops ms\""));
}

TEST_CASE("every malformed report is counted, the first 20 kept") {
  std::string text;
  for (int i = 0; i < 30; ++i) text += "REPORT RequestId: x\tDuration: 1 ms\n";
  auto r = cal::read_logs(text);
  CHECK(r.reports.empty());
  CHECK(r.malformed_count == 30);
  CHECK(r.malformed.size() == 20);
  CHECK(r.malformed[19].line == 20);
  CHECK(r.malformed[0].reason == "no 'Billed Duration' field");
}

TEST_CASE("the JSON of aws logs filter-log-events") {
  json::object doc{{"events", json::array{json::object{{"logStreamName", "2024/05/01/[$LATEST]abc"},
                                                         {"timestamp", 1714557600000},
                                                         {"message", report("a", 20, 1024, 250) + "\n"}},
                                            json::object{{"message", "START RequestId: b\n"}},
                                            json::object{{"timestamp", 1}},
                                            json::object{{"message", report("b", 30, 1024)}}}},
                   {"searchedLogStreams", json::array{}}};
  auto r = cal::read_logs(json::serialize(doc));
  CHECK(r.format == "log-events");
  REQUIRE(r.reports.size() == 2);
  CHECK(r.reports[0].init_ms == 250);
  CHECK(r.reports[1].duration_ms == 30);
  CHECK(r.other_count == 1);
  REQUIRE(r.malformed.size() == 1);
  CHECK(r.malformed[0].line == 3);
  CHECK(r.malformed[0].reason == "an event without a 'message' string");

  auto cut = cal::read_logs("{\n  \"events\": [\n    {\"message\": \"REPORT RequestId: a");
  REQUIRE(cut.error);
  CHECK(cut.error->starts_with("not valid JSON (aws logs filter-log-events output?)"));
  auto other = cal::read_logs(R"({"something": []})");
  REQUIRE(other.error);
  CHECK(*other.error == "a JSON document without 'events': not the output of aws logs filter-log-events");
}

TEST_CASE("Lambda's JSON log format: platform.report records") {
  std::string text =
      R"({"time":"2024-05-01T10:00:00.000Z","type":"platform.start","record":{"requestId":"a"}})" "\n"
      R"({"time":"2024-05-01T10:00:00.100Z","type":"platform.report","record":{"requestId":"a","metrics":{"durationMs":15.5,"billedDurationMs":16,"memorySizeMB":512,"maxMemoryUsedMB":60,"initDurationMs":210.25},"status":"success"}})" "\n"
      R"({"time":"2024-05-01T10:00:01.100Z","type":"platform.report","record":{"requestId":"b","metrics":{"durationMs":3000,"billedDurationMs":3000,"memorySizeMB":512},"status":"timeout"}})" "\n"
      R"({"time":"2024-05-01T10:00:02.100Z","type":"platform.report","record":{"requestId":"c","metrics":{"durationMs":"fast","billedDurationMs":1,"memorySizeMB":512}}})" "\n"
      R"({"level":"INFO","message":"handler output"})" "\n";
  auto r = cal::read_logs(text);
  CHECK(r.format == "json-lines");
  REQUIRE(r.reports.size() == 2);
  CHECK(r.reports[0].duration_ms == 15.5);
  CHECK(r.reports[0].init_ms == 210.25);
  CHECK(r.reports[0].memory_mb == 512);
  CHECK_FALSE(r.reports[0].status);
  CHECK(r.reports[1].status == "timeout");
  CHECK(r.other_count == 2);
  REQUIRE(r.malformed.size() == 1);
  CHECK(r.malformed[0].line == 4);
  CHECK(r.malformed[0].reason == "record.metrics.durationMs is \"fast\", not a number between 0 and 10000000000");
}

TEST_CASE("fitting: a lognormal when it fits, quantiles when it does not, a constant when nothing varies") {
  sim::random_stream r(7);
  std::vector<double> logn, unif;
  for (int i = 0; i < 5000; ++i) logn.push_back(r.lognormal(std::log(200.0), 0.4));
  for (int i = 0; i < 5000; ++i) unif.push_back(r.uniform(100, 300));
  auto a = cal::fit_durations(logn, {});
  CHECK(a.chosen.type() == latency::kind::lognormal);
  CHECK(*a.lognormal_median_ms == Approx(200).epsilon(0.02));
  CHECK(*a.lognormal_sigma == Approx(0.4).epsilon(0.03));
  CHECK(*a.ks_distance < 0.03);
  CHECK(a.choice.starts_with("lognormal: Kolmogorov-Smirnov distance"));

  auto b = cal::fit_durations(unif, {});
  CHECK(b.chosen.type() == latency::kind::empirical);
  CHECK(b.chosen.quantiles().size() == 101);
  CHECK(*b.ks_distance > 0.05);
  CHECK(b.choice.starts_with("empirical (101 quantiles): the lognormal's Kolmogorov-Smirnov distance"));
  CHECK(b.choice.ends_with("> 0.05 and > 0.01253 (Lilliefors test at 5%)"));

  // Few samples: a distance above 0.05 that a lognormal's own samples show.
  std::vector<double> few(logn.begin(), logn.begin() + 40);
  auto c = cal::fit_durations(few, {.max_ks = 0.0});
  CHECK(c.chosen.type() == latency::kind::lognormal);
  CHECK(c.choice.ends_with("samples of a lognormal show (Lilliefors test at 5%: 0.1401)"));

  auto forced = cal::fit_durations(unif, {.mode = cal::fit_mode::lognormal});
  CHECK(forced.chosen.type() == latency::kind::lognormal);
  auto quant = cal::fit_durations(logn, {.mode = cal::fit_mode::empirical, .quantiles = 11});
  CHECK(quant.chosen.quantiles().size() == 11);

  auto zero = cal::fit_durations({0, 1, 2, 3}, {});
  CHECK(zero.chosen.type() == latency::kind::empirical);
  CHECK_FALSE(zero.lognormal_median_ms);
  CHECK(zero.choice == "empirical (101 quantiles): a sample is 0 ms, which a lognormal cannot take");

  auto same = cal::fit_durations({5, 5, 5}, {});
  CHECK(same.chosen.type() == latency::kind::constant);
  CHECK(same.chosen.a() == 5);
  CHECK(same.choice == "constant: every sample is 5 ms");
}

TEST_CASE("calibrate: one memory size at a time, Status reports left out of the run fit") {
  cal::function_logs logs{"fn", {"fn.log"}, {}, 0};
  std::string why;
  for (auto const& line : {report("a", 10, 128, 100), report("b", 20, 512), report("c", 30, 512, 150)})
    logs.reports.push_back(*cal::parse_report_line(line, why));
  auto timeout = *cal::parse_report_line(report("d", 3000, 512) + "Status: timeout", why);
  logs.reports.push_back(timeout);
  std::string error;
  CHECK_FALSE(cal::calibrate(logs, std::nullopt, {}, error));
  CHECK(error == "'fn': the logs show 2 memory sizes: 128 MB (1 reports), 512 MB (3 reports); calibrate one at a time "
                 "with --memory");
  CHECK_FALSE(cal::calibrate(logs, 1024, {}, error));
  CHECK(error == "'fn': no REPORT line with Memory Size 1024 MB; the logs show 128 MB (1 reports), 512 MB (3 reports)");
  auto c = cal::calibrate(logs, 512, {}, error);
  REQUIRE(c);
  CHECK(c->memory_mb == 512);
  CHECK(c->invocations == 3);
  CHECK(c->cold_starts == 1);
  CHECK(c->unsuccessful == 1);
  CHECK(c->run.samples == 2);
  CHECK(c->billed_mean_ms == Approx((20.0 + 30 + 3000) / 3));
  REQUIRE(c->init);
  CHECK(c->init->samples == 1);
  // Two run samples, 20 and 30 ms: a lognormal of median sqrt(600), sigma ln(1.5) / 2.
  CHECK(c->run.chosen.type() == latency::kind::lognormal);
  CHECK(c->run.chosen.a() == Approx(std::sqrt(600.0)).epsilon(1e-4));
  CHECK(c->run.chosen.b() == Approx(std::log(1.5) / 2).epsilon(1e-5));
  auto s = c->settings();
  CHECK(s.size() == 3);
  CHECK(s.at("memory_mb") == 512);
  CHECK(json::serialize(s.at("init_ms")) == R"({"constant":1.5E2})");
  CHECK(s.at("run_ms") == c->run.chosen.to_json());
}

// Logs generated from known distributions come back within 5% on mean and p99
// (what the functions block written then makes a study sample).
TEST_CASE("calibration recovers known distributions from generated logs") {
  struct truth {
    latency init, run;
  };
  auto check = [](truth const& t, std::uint64_t seed) {
    sim::random_stream r(seed);
    std::string text;
    for (int i = 0; i < 20000; ++i) {
      std::optional<double> init;
      if (i % 10 == 0) init = double(t.init.sample(r).count()) / 1000;
      text += report(fmt::format("req-{}", i), double(t.run.sample(r).count()) / 1000, 1024, init) + "\n";
    }
    auto read = cal::read_logs(text);
    REQUIRE(read.malformed_count == 0);
    cal::function_logs logs{"fn", {"fn.log"}, std::move(read.reports), 0};
    std::string error;
    auto c = cal::calibrate(logs, std::nullopt, {}, error);
    INFO(error);
    REQUIRE(c);
    auto settings = c->settings();
    auto init = latency::from_json(settings.at("init_ms"), error);
    auto run = latency::from_json(settings.at("run_ms"), error);
    REQUIRE((init && run));
    INFO(c->run.choice << " / " << c->init->choice);
    CHECK(run->mean_ms() == Approx(t.run.mean_ms()).epsilon(0.05));
    CHECK(run->quantile_ms(0.99) == Approx(t.run.quantile_ms(0.99)).epsilon(0.05));
    CHECK(init->mean_ms() == Approx(t.init.mean_ms()).epsilon(0.05));
    CHECK(init->quantile_ms(0.99) == Approx(t.init.quantile_ms(0.99)).epsilon(0.05));
    return std::pair{init->type(), run->type()};
  };
  // Lognormal both: fitted as lognormals.
  CHECK(check({latency::lognormal(400, 0.25), latency::lognormal(80, 0.5)}, 1) ==
        std::pair{latency::kind::lognormal, latency::kind::lognormal});
  // Uniform init and run, over a decade each: no lognormal fits; quantiles carry them.
  CHECK(check({latency::uniform(100, 1000), latency::uniform(20, 200)}, 2) ==
        std::pair{latency::kind::empirical, latency::kind::empirical});
}
