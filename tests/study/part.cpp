// Shards and parts: --shard I/N, the parts each shard writes, and their merge,
// which gives the unsharded outputs byte for byte.
#include <stepsim/study/part.hpp>

#include <stepsim/study/report.hpp>
#include <stepsim/study/runner.hpp>
#include <stepsim/study/summary.hpp>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <unistd.h>

namespace study = stepsim::study;
namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

std::string const example_file = std::string(STEPSIM_SOURCE_DIR) + "/examples/sharded-study/study.json";

study::study const& example() {
  static auto r = study::load_study(example_file);
  REQUIRE(r.value);
  return *r.value;
}

struct outputs {
  std::string summary, csv, report;
};

outputs unsharded(study::study const& s) {
  study::period_options po;
  po.cold_gap = s.cold_gap;
  study::study_aggregate aggregate(s, po);
  outputs o;
  o.csv = study::executions_csv_header();
  study::run_each(s, 2, std::nullopt, [&](study::run_result&& r) {
    o.csv += study::executions_csv_rows(r);
    aggregate.add(std::move(r));
  });
  auto summary = aggregate.summary();
  o.summary = json::serialize(summary);
  o.report = study::report_html(summary, &aggregate.report_runs(), nullptr);
  return o;
}

fs::path scratch(std::string const& name) {
  auto d = fs::temp_directory_path() / ("stepsim-part-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

/// Writes shard `index` of `count` of `s` into `dir`; returns the part's path.
fs::path write_part(study::study const& s, int index, int count, fs::path const& dir) {
  study::shard part{index, count};
  auto file = dir / study::part_file_name(part);
  study::part_writer writer(s, std::nullopt, part, file);
  study::run_each(s, 1, std::nullopt, [&](study::run_result&& r) { writer.add(r); }, {}, {}, part);
  writer.finish();
  return file;
}

outputs merged(std::vector<fs::path> const& parts) {
  std::string error;
  auto set = study::part_set::open(parts, error);
  INFO(error);
  REQUIRE(set);
  study::study_aggregate aggregate(set->info(), {});
  outputs o;
  o.csv = study::executions_csv_header();
  set->each([&](study::part_run&& run) {
    o.csv += run.csv_rows;
    aggregate.add(std::move(run.totals), std::move(run.whole));
  });
  auto summary = aggregate.summary();
  o.summary = json::serialize(summary);
  o.report = study::report_html(summary, &aggregate.report_runs(), nullptr);
  return o;
}

std::string open_error(std::vector<fs::path> const& parts) {
  std::string error;
  CHECK_FALSE(study::part_set::open(parts, error));
  return error;
}

}  // namespace

TEST_CASE("A shard is I/N, I a number or the name of an environment variable holding it", "[study][part]") {
  std::map<std::string, std::string> env{{"SLURM_ARRAY_TASK_ID", "5"}, {"JOB_COMPLETION_INDEX", "15"}, {"BAD", "x1"}};
  auto getenv = [&](char const* name) -> char const* {
    auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  };
  auto ok = [&](std::string const& text) {
    std::string error;
    auto s = study::parse_shard(text, error, getenv);
    INFO(error);
    REQUIRE(s);
    return std::pair(s->index, s->count);
  };
  auto bad = [&](std::string const& text) {
    std::string error;
    CHECK_FALSE(study::parse_shard(text, error, getenv));
    return error;
  };
  CHECK(ok("0/1") == std::pair(0, 1));
  CHECK(ok("3/8") == std::pair(3, 8));
  CHECK(ok("SLURM_ARRAY_TASK_ID/16") == std::pair(5, 16));
  CHECK(ok("JOB_COMPLETION_INDEX/16") == std::pair(15, 16));
  CHECK(bad("3") == "--shard takes I/N (shard I of N, I from 0), not '3'");
  CHECK(bad("8/8") == "--shard 8/8: I must be from 0 to 7, not 8");
  CHECK(bad("-1/8") == "--shard -1/8: I must be from 0 to 7, not -1");
  CHECK(bad("0/0") == "--shard 0/0: N must be a whole number from 1 to 1000000, not '0'");
  CHECK(bad("1/two") == "--shard 1/two: N must be a whole number from 1 to 1000000, not 'two'");
  CHECK(bad("JOB_COMPLETION_INDEX/8") == "--shard JOB_COMPLETION_INDEX/8: I must be from 0 to 7, not 15 "
                                         "(JOB_COMPLETION_INDEX is '15')");
  CHECK(bad("AWS_BATCH_JOB_ARRAY_INDEX/4") ==
        "--shard AWS_BATCH_JOB_ARRAY_INDEX/4: the environment variable AWS_BATCH_JOB_ARRAY_INDEX is not set");
  CHECK(bad("BAD/4") == "--shard BAD/4: I must be a whole number or the name of an environment variable holding one "
                        "(BAD is 'x1')");
  CHECK(bad("1x/4") == "--shard 1x/4: I must be a whole number or the name of an environment variable holding one");
}

TEST_CASE("Shards share the runs round-robin, and every run keeps its seed", "[study][part]") {
  auto const& s = example();
  auto all = study::runs_of(s, std::nullopt);
  REQUIRE(all.size() == 16);  // 8 grid points x 2 replications
  std::map<std::pair<std::string, int>, std::uint64_t> seeds;
  study::run_each(s, 2, std::nullopt, [&](study::run_result&& r) { seeds[{r.scenario, r.replication}] = r.seed; });
  std::vector<std::pair<std::string, int>> seen;
  for (int i = 0; i < 3; ++i)
    study::run_each(s, 1, std::nullopt, [&](study::run_result&& r) {
      CHECK(r.seed == seeds.at({r.scenario, r.replication}));
      seen.emplace_back(r.scenario, r.replication);
    }, {}, {}, study::shard{i, 3});
  REQUIRE(seen.size() == 16);
  // Shard 0 of 3 runs 0, 3, 6, ...; shard 1 runs 1, 4, ...
  CHECK(seen[0] == std::pair(all[0].first->scenario, all[0].second));
  CHECK(seen[1] == std::pair(all[3].first->scenario, all[3].second));
  CHECK(seen[6] == std::pair(all[1].first->scenario, all[1].second));
}

TEST_CASE("Merging the parts gives the unsharded summary, executions.csv and report byte for byte", "[study][part]") {
  auto const& s = example();
  auto expected = unsharded(s);
  for (int n : {1, 3, 16, 21, 70}) {  // 21 > the 16 runs: five parts hold none; past 64 parts, each is opened per read
    INFO("N = " << n);
    auto dir = scratch("merge-" + std::to_string(n));
    std::vector<fs::path> parts;
    for (int i = n - 1; i >= 0; --i) parts.push_back(write_part(s, i, n, dir));  // written last to first
    std::rotate(parts.begin(), parts.begin() + parts.size() / 2, parts.end());  // given in any order
    auto got = merged(parts);
    CHECK(got.summary == expected.summary);
    CHECK(got.csv == expected.csv);
    CHECK(got.report == expected.report);
    // A directory stands for every part in it.
    CHECK(merged({dir}).summary == expected.summary);
    fs::remove_all(dir);
  }
}

TEST_CASE("Merge refuses parts that do not make one whole", "[study][part]") {
  auto const& s = example();
  auto dir = scratch("refuse");
  auto p0 = write_part(s, 0, 3, dir), p1 = write_part(s, 1, 3, dir), p2 = write_part(s, 2, 3, dir);
  CHECK(open_error({p0, p2}) == "1 of the 3 parts is missing: 1 (shards are numbered from 0)");
  auto copy = dir / "copy.part";
  fs::copy_file(p1, copy);
  CHECK(open_error({p0, p1, copy, p2}) ==
        "part 1 of 3 is given twice: '" + p1.string() + "' and '" + copy.string() + "'");
  fs::remove(copy);
  auto other_n = dir / "n4";
  fs::create_directories(other_n);
  auto q = write_part(s, 1, 4, other_n);
  CHECK(open_error({p0, q, p2}) == "'" + p0.string() + "' and '" + q.string() +
                                       "' are not parts of one simulation: 'shards' is 3 in one and 4 in the other");
  auto reseeded = s;
  reseeded.seed = 99;
  auto other_seed = dir / "seed";
  fs::create_directories(other_seed);
  auto r = write_part(reseeded, 1, 3, other_seed);
  CHECK(open_error({p0, r, p2}) == "'" + p0.string() + "' and '" + r.string() +
                                       "' are not parts of one simulation: 'seed' is 11 in one and 99 in the other");
  auto foreign = dir / "foreign.part";
  std::ofstream(foreign) << "{\"not\": \"a part\"}\n";
  CHECK(open_error({foreign}) == "'" + foreign.string() +
                                     "' is not a part written by stepsim simulate --shard (it does not begin with "
                                     "'stepsim-part 2')");
  // A part of another format version is named as such, not misread.
  auto old_format = dir / "old.part";
  std::ofstream(old_format) << "stepsim-part 1\n{\"study\": \"sharded-sweep\"}\n";
  CHECK(open_error({old_format}) == "'" + old_format.string() +
                                        "' is a part of format 1, written by another version of stepsim; this one "
                                        "reads format 2: write the parts again with it");
  CHECK(open_error({dir / "seed" / "nothing-here"}).find("cannot read") != std::string::npos);
  auto empty = dir / "empty";
  fs::create_directories(empty);
  CHECK(open_error({empty}) == "'" + empty.string() + "' holds no part (no file ending in .part)");

  // A part cut short is found when its runs are read.
  auto size = fs::file_size(p1);
  fs::resize_file(p1, size - 100);
  std::string error;
  auto set = study::part_set::open({p0, p1, p2}, error);
  REQUIRE(set);
  auto consume = [](study::part_run&&) {};
  CHECK_THROWS_WITH(set->each(consume), Catch::Contains(p1.string()) && Catch::Contains("cut short"));
  fs::remove_all(dir);
}

TEST_CASE("A part whose drawn executions name a workflow the run does not list is refused, naming the run", "[study][part]") {
  auto const& s = example();
  auto dir = scratch("drawn");
  auto file = write_part(s, 0, 1, dir);
  std::string bytes;
  {
    std::ifstream in(file, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  // A one-name table ("four-steps") appears in the first run's totals, then in
  // what the report draws of it: the names, the count of executions, then the
  // first execution's workflow index.
  std::string table = std::string("\x01\0\0\0\0\0\0\0\x0a\0\0\0\0\0\0\0", 16) + "four-steps";
  auto totals = bytes.find(table);
  REQUIRE(totals != std::string::npos);
  auto drawn = bytes.find(table, totals + 1);
  REQUIRE(drawn != std::string::npos);
  auto index = drawn + table.size() + 8;
  REQUIRE(bytes.substr(index, 8) == std::string(8, '\0'));
  bytes[index] = 5;
  std::ofstream(file, std::ios::binary | std::ios::trunc) << bytes;
  std::string error;
  auto set = study::part_set::open({file}, error);
  REQUIRE(set);
  CHECK_THROWS_WITH(set->each([](study::part_run&&) {}),
                    Catch::Contains(file.string()) && Catch::Contains("the record of run 0") &&
                        Catch::Contains("is damaged: an execution's workflow 5 at byte") &&
                        Catch::Contains("is not one of the run's 1"));
  fs::remove_all(dir);
}

TEST_CASE("A part carries each run's records and aws/ file, and merge hands them over in run order", "[study][part]") {
  auto const& s = example();
  auto dir = scratch("contents");
  auto files_of = [](std::string const& scenario, int replication) {
    study::run_files f;
    f.invocations = scenario + "," + std::to_string(replication) + ",inv\r\n";
    f.environments = scenario + "," + std::to_string(replication) + ",env\r\n";
    f.aws_export = "{\"run\": \"" + scenario + "-" + std::to_string(replication) + "\"}\n";
    return f;
  };
  for (int i = 0; i < 3; ++i) {
    study::shard part{i, 3};
    study::part_writer writer(s, std::nullopt, part, dir / study::part_file_name(part), {true, true});
    study::run_each(s, 1, std::nullopt, [&](study::run_result&& r) { writer.add(r, files_of(r.scenario, r.replication)); },
                    {}, {}, part);
    writer.finish();
  }
  std::string error;
  auto set = study::part_set::open({dir}, error);
  INFO(error);
  REQUIRE(set);
  CHECK(set->contents() == study::part_contents{true, true});
  std::vector<std::pair<std::string, int>> order;
  set->each([&](study::part_run&& run) {
    auto expected = files_of(run.totals.scenario, run.totals.replication);
    CHECK(run.invocations == expected.invocations);
    CHECK(run.environments == expected.environments);
    CHECK(run.aws_export == expected.aws_export);
    order.emplace_back(run.totals.scenario, run.totals.replication);
  });
  std::vector<std::pair<std::string, int>> runs;
  for (auto const& [config, replication] : study::runs_of(s, std::nullopt)) runs.emplace_back(config->scenario, replication);
  CHECK(order == runs);

  // Parts written with other contents are not parts of one simulation.
  auto plain = dir / "plain";
  fs::create_directories(plain);
  write_part(s, 1, 3, plain);
  CHECK(open_error({dir / "part-0-of-3.part", plain / "part-1-of-3.part", dir / "part-2-of-3.part"})
            .find("'records' is true in one and false in the other") != std::string::npos);
  fs::remove_all(dir);
}
