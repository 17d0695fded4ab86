// Distributed Map runs: items from S3 (a local folder), batches, child executions and result files.
#include <stepsim/engine/engine.hpp>

#include "engine/harness.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

using stepsim::engine::execution_options;
using stepsim::engine::execution_status;
using stepsim::engine::history_level;
using stepsim::test::harness;
using stepsim::test::types;
namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

/// A fresh folder standing in for S3, removed at the end of the test.
struct s3_root {
  fs::path root;
  explicit s3_root(std::string const& name) {
    root = fs::temp_directory_path() / ("stepsim-map-run-" + name + "-" + std::to_string(::getpid()));
    fs::remove_all(root);
    fs::create_directories(root);
  }
  ~s3_root() { fs::remove_all(root); }
  void put(std::string const& bucket, std::string const& key, std::string const& text) const {
    auto p = root / bucket / key;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
  }
  void bucket(std::string const& name) const { fs::create_directories(root / name); }
  std::string get(std::string const& bucket, std::string const& key) const {
    std::ifstream in(root / bucket / key, std::ios::binary);
    REQUIRE(in);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }
};

/// A distributed Map named Map with `fields`, whose children run one Pass state.
std::string dmap(std::string const& fields, std::string const& type = "STANDARD", std::string const& child = "") {
  return R"({"StartAt": "Map", "States": {"Map": {"Type": "Map", "End": true, )" + fields +
         R"(, "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": ")" + type +
         R"("}, "StartAt": "P", "States": {"P": )" +
         (child.empty() ? std::string(R"({"Type": "Pass", "End": true})") : child) + "}}}}}";
}

std::string const csv_reader = R"("ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
    "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"},
    "Parameters": {"Bucket.$": "$.bucket", "Key.$": "$.key"}})";

}  // namespace

TEST_CASE("A distributed Map reads CSV rows from the S3 folder and gives each to a child", "[engine][dmap]") {
  s3_root s3("csv");
  s3.put("data", "in/rows.csv", "id,name\n1,ann\n2,bob\n");
  harness h;
  h.engine_opts.s3_root = s3.root;
  execution_options o;
  o.history = history_level::full;
  auto r = h.run(dmap(csv_reader), R"({"bucket": "data", "key": "in/rows.csv"})", o);
  INFO(r.error.value_or("") << " " << r.cause.value_or(""));
  REQUIRE(r.succeeded());
  CHECK(*r.output == json::parse(R"([{"id": "1", "name": "ann"}, {"id": "2", "name": "bob"}])"));
  CHECK(types(r.events) == std::vector<std::string>{"ExecutionStarted", "MapStateEntered", "MapStateStarted",
                                                    "MapRunStarted", "MapRunSucceeded", "MapStateSucceeded",
                                                    "MapStateExited", "ExecutionSucceeded"});
  CHECK(r.events[2].details.at("length") == 0);
  auto arn = std::string(r.events[3].details.at("mapRunArn").as_string());
  CHECK(arn.starts_with("arn:aws:states:us-east-1:123456789012:mapRun:StateMachine/Map:"));
  CHECK(arn.size() == std::string("arn:aws:states:us-east-1:123456789012:mapRun:StateMachine/Map:").size() + 36);
}

TEST_CASE("A distributed Map over the input keeps MapStateStarted's length and uses the Label in the run ARN",
          "[engine][dmap]") {
  harness h;
  execution_options o;
  o.history = history_level::summary;
  auto r = h.run(dmap(R"("Label": "Batch")"), R"(["a", "b", "c"])", o);
  REQUIRE(r.succeeded());
  CHECK(*r.output == json::parse(R"(["a", "b", "c"])"));
  CHECK(r.events[2].details.at("length") == 3);
  CHECK(std::string(r.events[3].details.at("mapRunArn").as_string()).find(":mapRun:StateMachine/Batch:") !=
        std::string::npos);
}

TEST_CASE("An ItemReader ignores ItemsPath: the items are the object's", "[engine][dmap]") {
  s3_root s3("itemspath");
  s3.put("b", "f.json", R"([["from-bucket-item-0"]])");
  harness h;
  h.engine_opts.s3_root = s3.root;
  auto r = h.run(dmap(R"("ItemsPath": "$.from_previous", "ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
      "ReaderConfig": {"InputType": "JSON"}, "Parameters": {"Bucket": "b", "Key": "f.json"}})"),
                 R"({"from_previous": ["x"]})");
  REQUIRE(r.succeeded());
  CHECK(*r.output == json::parse(R"([["from-bucket-item-0"]])"));
}

TEST_CASE("JSON Lines, GIVEN CSV headers, delimiters and MaxItems read as the ReaderConfig says", "[engine][dmap]") {
  s3_root s3("formats");
  s3.put("b", "l.jsonl", "{\"n\": 1}\n{\"n\": 2}\n{\"n\": 3}\n");
  s3.put("b", "p.csv", "1|x\n2|y\n");
  harness h;
  h.engine_opts.s3_root = s3.root;
  SECTION("JSONL with MaxItems") {
    auto r = h.run(dmap(R"("ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
        "ReaderConfig": {"InputType": "JSONL", "MaxItems": 2}, "Parameters": {"Bucket": "b", "Key": "l.jsonl"}})"));
    REQUIRE(r.succeeded());
    CHECK(*r.output == json::parse(R"([{"n": 1}, {"n": 2}])"));
  }
  SECTION("CSV with GIVEN headers and a PIPE delimiter, MaxItemsPath") {
    auto r = h.run(dmap(R"("ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
        "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "GIVEN", "CSVHeaders": ["id", "v"],
                         "CSVDelimiter": "PIPE", "MaxItemsPath": "$.max"},
        "Parameters": {"Bucket": "b", "Key": "p.csv"}})"),
                   R"({"max": 1})");
    REQUIRE(r.succeeded());
    CHECK(*r.output == json::parse(R"([{"id": "1", "v": "x"}])"));
  }
  SECTION("MaxItems 0 reads every item") {
    auto r = h.run(dmap(R"("ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
        "ReaderConfig": {"InputType": "JSONL", "MaxItems": 0}, "Parameters": {"Bucket": "b", "Key": "l.jsonl"}})"));
    REQUIRE(r.succeeded());
    CHECK(r.output->as_array().size() == 3);
  }
}

TEST_CASE("A JSONata distributed Map reads its bucket and key from Arguments", "[engine][dmap]") {
  s3_root s3("jsonata");
  s3.put("b", "a.json", R"([{"x": 1}, {"x": 2}, {"x": 3}])");
  harness h;
  h.engine_opts.s3_root = s3.root;
  auto r = h.run(R"({"QueryLanguage": "JSONata", "StartAt": "Map", "States": {"Map": {"Type": "Map", "End": true,
      "ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
          "ReaderConfig": {"InputType": "JSON", "MaxItems": "{% $states.input.max %}"},
          "Arguments": {"Bucket": "{% $states.input.bucket %}", "Key": "a.json"}},
      "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
          "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}}}})",
                 R"({"bucket": "b", "max": 2})");
  INFO(r.cause.value_or(""));
  REQUIRE(r.succeeded());
  CHECK(*r.output == json::parse(R"([{"x": 1}, {"x": 2}])"));
}

TEST_CASE("listObjectsV2 gives one item per object under the prefix, shaped as AWS gives them", "[engine][dmap]") {
  s3_root s3("list");
  s3.put("b", "logs/a.txt", "hello world\n");
  s3.put("b", "logs/sub/b.txt", "");
  s3.put("b", "other.txt", "x");
  harness h;
  h.engine_opts.s3_root = s3.root;
  auto r = h.run(dmap(R"("ItemReader": {"Resource": "arn:aws:states:::s3:listObjectsV2",
      "Parameters": {"Bucket": "b", "Prefix": "logs/"}})"));
  REQUIRE(r.succeeded());
  auto const& items = r.output->as_array();
  REQUIRE(items.size() == 2);
  auto const& a = items[0].as_object();
  CHECK(a.at("Key") == "logs/a.txt");
  CHECK(a.at("Size") == 12);
  CHECK(a.at("Etag") == "\"6f5902ac237024bdd0c176cb93063dc4\"");  // MD5 of "hello world\n"
  CHECK(a.at("StorageClass") == "STANDARD");
  CHECK(a.at("LastModified").is_int64());
  CHECK(items[1].at("Key") == "logs/sub/b.txt");
  CHECK(items[1].at("Etag") == "\"d41d8cd98f00b204e9800998ecf8427e\"");
}

TEST_CASE("An S3 inventory manifest gives the rows of its CSV files, named by its fileSchema", "[engine][dmap]") {
  s3_root s3("manifest");
  s3.put("inv", "m/manifest.json", R"({"sourceBucket": "src", "destinationBucket": "arn:aws:s3:::inv",
      "fileFormat": "CSV", "fileSchema": "Bucket, Key, Size",
      "files": [{"key": "m/data/1.csv", "size": 10}, {"key": "m/data/2.csv", "size": 10}]})");
  s3.put("inv", "m/data/1.csv", "\"src\",\"a.txt\",\"3\"\n");
  s3.put("inv", "m/data/2.csv", "\"src\",\"b.txt\",\"4\"\n");
  harness h;
  h.engine_opts.s3_root = s3.root;
  auto r = h.run(dmap(R"("ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
      "ReaderConfig": {"InputType": "MANIFEST"}, "Parameters": {"Bucket": "inv", "Key": "m/manifest.json"}})"));
  INFO(r.cause.value_or(""));
  REQUIRE(r.succeeded());
  CHECK(*r.output == json::parse(R"([{"Bucket": "src", "Key": "a.txt", "Size": "3"},
      {"Bucket": "src", "Key": "b.txt", "Size": "4"}])"));
}

TEST_CASE("ItemReader failures are States.ItemReaderFailed after MapRunStarted", "[engine][dmap]") {
  s3_root s3("reader-errors");
  s3.put("b", "dup.csv", "a,a\n1,2\n");
  s3.put("b", "obj.json", R"({"a": 1})");
  harness h;
  h.engine_opts.s3_root = s3.root;
  execution_options o;
  o.history = history_level::full;
  auto get = [&](std::string const& key, std::string const& type, std::string const& more = "") {
    return h.run(dmap(R"("ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
        "ReaderConfig": {"InputType": ")" + type + "\"" + more + R"(}, "Parameters": {"Bucket": "b", "Key": ")" + key +
                      R"("}})"),
                 "{}", o);
  };
  SECTION("duplicate CSV headers") {
    auto r = get("dup.csv", "CSV", R"(, "CSVHeaderLocation": "FIRST_ROW")");
    CHECK(r.status == execution_status::failed);
    CHECK(r.error == "States.ItemReaderFailed");
    CHECK(r.cause == "CSV headers cannot contain duplicates.");
    CHECK(types(r.events) == std::vector<std::string>{"ExecutionStarted", "MapStateEntered", "MapStateStarted",
                                                      "MapRunStarted", "MapRunFailed", "MapStateFailed",
                                                      "ExecutionFailed"});
    CHECK(r.events[4].details == json::parse(R"({"cause": "CSV headers cannot contain duplicates.",
                                                 "error": "States.ItemReaderFailed"})"));
    CHECK(r.events[5].details.empty());
  }
  SECTION("a JSON object that is not an array") {
    auto r = get("obj.json", "JSON");
    CHECK(r.error == "States.ItemReaderFailed");
    CHECK(r.cause == "Attempting to map over non-iterable node.");
  }
  SECTION("a missing object") {
    auto r = get("none.json", "JSON");
    CHECK(r.error == "States.ItemReaderFailed");
    CHECK(r.cause == "The specified key does not exist. (Service: S3, Status Code: 404, Error Code: NoSuchKey; "
                     "Bucket: 'b', Key: 'none.json')");
  }
  SECTION("a negative MaxItemsPath") {
    auto r = h.run(dmap(R"("ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
        "ReaderConfig": {"InputType": "JSON", "MaxItemsPath": "$.m"}, "Parameters": {"Bucket": "b", "Key": "obj.json"}})"),
                   R"({"m": -1})");
    CHECK(r.error == "States.ItemReaderFailed");
    CHECK(r.cause == "field MaxItems must be positive");
  }
  SECTION("a MaxItemsPath that is not an integer fails the state with States.Runtime") {
    auto r = h.run(dmap(R"("ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
        "ReaderConfig": {"InputType": "JSON", "MaxItemsPath": "$.m"}, "Parameters": {"Bucket": "b", "Key": "obj.json"}})"),
                   R"({"m": 1.5})", o);
    CHECK(r.error == "States.Runtime");
    CHECK(r.cause == "An error occurred while executing the state 'Map' (entered at the event id #2). The "
                     "MaxItemsPath field refers to value \"1.5\" which is not a valid integer: $.m");
    CHECK(types(r.events) == std::vector<std::string>{"ExecutionStarted", "MapStateEntered", "MapStateStarted",
                                                      "ExecutionFailed"});
  }
  SECTION("no S3 folder") {
    harness none;
    auto r = none.run(dmap(R"("ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
        "ReaderConfig": {"InputType": "JSON"}, "Parameters": {"Bucket": "b", "Key": "obj.json"}})"));
    CHECK(r.error == "States.ItemReaderFailed");
    CHECK(r.cause == "No S3 stand-in folder is set (stepsim run --s3-root DIR, or engine_options::s3_root)");
  }
}

TEST_CASE("ItemBatcher gives each child {BatchInput, Items} within MaxItemsPerBatch", "[engine][dmap]") {
  harness h;
  auto r = h.run(dmap(R"("ItemBatcher": {"MaxItemsPerBatch": 2, "BatchInput": {"run.$": "$.run"}},
      "ItemsPath": "$.items", "ItemSelector": {"v.$": "$$.Map.Item.Value", "i.$": "$$.Map.Item.Index"})"),
                 R"({"run": 7, "items": ["a", "b", "c"]})");
  INFO(r.cause.value_or(""));
  REQUIRE(r.succeeded());
  CHECK(*r.output == json::parse(R"([
      {"BatchInput": {"run": 7}, "Items": [{"v": "a", "i": 0}, {"v": "b", "i": 1}]},
      {"BatchInput": {"run": 7}, "Items": [{"v": "c", "i": 2}]}])"));
}

TEST_CASE("ItemBatcher closes a batch before MaxInputBytesPerBatch is passed", "[engine][dmap]") {
  harness h;
  // {"Items":["aaaa","bbbb"]} is 25 bytes; a third item would make 32.
  auto r = h.run(dmap(R"("ItemBatcher": {"MaxInputBytesPerBatchPath": "$.bytes"}, "ItemsPath": "$.items")"),
                 R"({"bytes": 25, "items": ["aaaa", "bbbb", "cccc"]})");
  INFO(r.cause.value_or(""));
  REQUIRE(r.succeeded());
  CHECK(*r.output == json::parse(R"([{"Items": ["aaaa", "bbbb"]}, {"Items": ["cccc"]}])"));
  auto too_big = h.run(dmap(R"("ItemBatcher": {"MaxInputBytesPerBatch": 12}, "ItemsPath": "$.items")"),
                       R"({"items": ["aaaa"]})");
  CHECK(too_big.error == "States.ItemReaderFailed");
  CHECK(too_big.cause == "An item is larger than MaxInputBytesPerBatch (12 bytes)");
}

TEST_CASE("A failing child fails the Map Run with States.ExceedToleratedFailureThreshold", "[engine][dmap]") {
  harness h;
  execution_options o;
  o.history = history_level::full;
  auto fail_on_b = R"({"Type": "Choice", "Choices": [{"Variable": "$", "StringEquals": "b", "Next": "F"}],
      "Default": "OK"}, "F": {"Type": "Fail", "Error": "Bad", "Cause": "item b"}, "OK": {"Type": "Succeed"})";
  SECTION("with no tolerance") {
    auto r = h.run(dmap(R"("MaxConcurrency": 1)", "STANDARD", fail_on_b), R"(["a", "b", "c"])", o);
    CHECK(r.status == execution_status::failed);
    CHECK(r.error == "States.ExceedToleratedFailureThreshold");
    CHECK(r.cause == "The specified tolerated failure threshold was exceeded");
    CHECK(types(r.events)[4] == "MapRunFailed");
  }
  SECTION("within ToleratedFailureCount the failed child's record is its output") {
    auto r = h.run(dmap(R"("ToleratedFailureCount": 1)", "STANDARD", fail_on_b), R"(["a", "b", "c"])", o);
    REQUIRE(r.succeeded());
    auto const& out = r.output->as_array();
    CHECK(out[0] == "a");
    CHECK(out[2] == "c");
    auto const& rec = out[1].as_object();
    CHECK(rec.at("Status") == "FAILED");
    CHECK(rec.at("Error") == "Bad");
    CHECK(rec.at("Cause") == "item b");
    CHECK(rec.at("Input") == "\"b\"");
    CHECK(std::string(rec.at("ExecutionArn").as_string()).starts_with(
        "arn:aws:states:us-east-1:123456789012:execution:StateMachine/Map:"));
    CHECK(rec.at("StateMachineArn") == "arn:aws:states:us-east-1:123456789012:stateMachine:StateMachine/Map");
  }
  SECTION("ToleratedFailurePercentage 30 of 3 items tolerates no failure") {
    auto r = h.run(dmap(R"("ToleratedFailurePercentage": 30)", "STANDARD", fail_on_b), R"(["a", "b", "c"])", o);
    CHECK(r.error == "States.ExceedToleratedFailureThreshold");
  }
}

TEST_CASE("EXPRESS children have express ARNs", "[engine][dmap]") {
  harness h;
  auto r = h.run(dmap(R"("ToleratedFailureCount": 5)", "EXPRESS",
                      R"({"Type": "Fail", "Error": "E"})"),
                 R"([1])");
  REQUIRE(r.succeeded());
  CHECK(std::string(r.output->at(0).at("ExecutionArn").as_string())
            .starts_with("arn:aws:states:us-east-1:123456789012:express:StateMachine/Map:"));
}

TEST_CASE("ResultWriter writes the manifest and SUCCEEDED/FAILED files and returns ResultWriterDetails",
          "[engine][dmap]") {
  s3_root s3("writer");
  s3.bucket("out");
  harness h;
  h.engine_opts.s3_root = s3.root;
  auto r = h.run(dmap(R"("ToleratedFailureCount": 1, "Label": "Job",
      "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "out", "Prefix": "runs"}})",
                      "STANDARD",
                      R"({"Type": "Choice", "Choices": [{"Variable": "$", "NumericEquals": 2, "Next": "F"}],
                          "Default": "OK"}, "F": {"Type": "Fail", "Error": "Two"}, "OK": {"Type": "Succeed"})"),
                 "[1, 2, 3]");
  INFO(r.cause.value_or(""));
  REQUIRE(r.succeeded());
  auto const& out = r.output->as_object();
  std::string arn(out.at("MapRunArn").as_string());
  std::string run_id = arn.substr(arn.rfind(':') + 1);
  CHECK(arn == "arn:aws:states:us-east-1:123456789012:mapRun:StateMachine/Job:" + run_id);
  CHECK(out.at("ResultWriterDetails") ==
        json::parse(R"({"Bucket": "out", "Key": "runs/)" + run_id + R"(/manifest.json"})"));
  auto manifest = json::parse(s3.get("out", "runs/" + run_id + "/manifest.json"));
  auto succeeded = s3.get("out", "runs/" + run_id + "/SUCCEEDED_0.json");
  auto failed = s3.get("out", "runs/" + run_id + "/FAILED_0.json");
  CHECK(manifest == json::parse(R"({"DestinationBucket": "out", "MapRunArn": ")" + arn + R"(", "ResultFiles": {
      "FAILED": [{"Key": "runs/)" + run_id + R"(/FAILED_0.json", "Size": )" + std::to_string(failed.size()) + R"(}],
      "PENDING": [],
      "SUCCEEDED": [{"Key": "runs/)" + run_id + R"(/SUCCEEDED_0.json", "Size": )" +
                                std::to_string(succeeded.size()) + "}]}}"));
  auto ok = json::parse(succeeded).as_array();
  REQUIRE(ok.size() == 2);
  auto const& first = ok[0].as_object();
  std::vector<std::string> keys;
  for (auto const& kv : first) keys.emplace_back(kv.key());
  CHECK(keys == std::vector<std::string>{"ExecutionArn", "Input", "InputDetails", "Name", "Output", "OutputDetails",
                                         "RedriveCount", "RedriveStatus", "RedriveStatusReason", "StartDate",
                                         "StateMachineArn", "Status", "StopDate"});
  CHECK(first.at("Input") == "1");
  CHECK(first.at("Output") == "1");
  CHECK(first.at("InputDetails") == json::parse(R"({"Included": true})"));
  CHECK(first.at("Status") == "SUCCEEDED");
  CHECK(first.at("RedriveStatus") == "NOT_REDRIVABLE");
  CHECK(first.at("StartDate") == "2024-01-01T00:00:00.000Z");
  auto bad = json::parse(failed).as_array();
  REQUIRE(bad.size() == 1);
  CHECK(bad[0].at("Error") == "Two");
  CHECK(bad[0].at("Status") == "FAILED");
  CHECK_FALSE(bad[0].as_object().contains("Output"));
}

TEST_CASE("WriterConfig shapes the results: COMPACT, FLATTEN, and JSONL files", "[engine][dmap]") {
  s3_root s3("writer-config");
  s3.bucket("out");
  harness h;
  h.engine_opts.s3_root = s3.root;
  auto child = R"j({"Type": "Pass", "Parameters": {"pair.$": "States.Array($, $)"}, "OutputPath": "$.pair", "End": true})j";
  SECTION("FLATTEN without S3 flattens the children's arrays into the state's output") {
    auto r = h.run(dmap(R"("ResultWriter": {"WriterConfig": {"Transformation": "FLATTEN", "OutputType": "JSON"}})",
                        "STANDARD", child),
                   "[1, 2]");
    REQUIRE(r.succeeded());
    CHECK(*r.output == json::parse("[1, 1, 2, 2]"));
  }
  SECTION("NONE without S3 gives each child's record") {
    auto r = h.run(dmap(R"("ResultWriter": {"WriterConfig": {"Transformation": "NONE", "OutputType": "JSON"}})"),
                   "[1]");
    REQUIRE(r.succeeded());
    CHECK(r.output->at(0).at("Output") == "1");
  }
  SECTION("COMPACT JSONL files hold one output a line") {
    auto r = h.run(dmap(R"("ResultWriter": {"Resource": "arn:aws:states:::s3:putObject",
        "Parameters": {"Bucket": "out", "Prefix": "p/"},
        "WriterConfig": {"Transformation": "COMPACT", "OutputType": "JSONL"}})",
                        "STANDARD", child),
                   "[1, 2]");
    REQUIRE(r.succeeded());
    std::string key(r.output->at("ResultWriterDetails").at("Key").as_string());
    auto dir = key.substr(0, key.size() - std::string("manifest.json").size());
    CHECK(dir.starts_with("p/"));
    CHECK(s3.get("out", dir + "SUCCEEDED_0.jsonl") == "[1,1]\n[2,2]\n");
  }
}

TEST_CASE("A ResultWriter whose bucket does not exist fails with States.ResultWriterFailed", "[engine][dmap]") {
  s3_root s3("writer-missing");
  harness h;
  h.engine_opts.s3_root = s3.root;
  auto r = h.run(dmap(R"("ResultWriter": {"Resource": "arn:aws:states:::s3:putObject",
      "Parameters": {"Bucket": "nope", "Prefix": "p"}})"),
                 "[1]");
  CHECK(r.error == "States.ResultWriterFailed");
  CHECK(r.cause == "The specified bucket does not exist (Service: S3, Status Code: 404, Error Code: NoSuchBucket; "
                   "Bucket: 'nope')");
}

TEST_CASE("A key that climbs out of the bucket is refused, never read", "[engine][dmap]") {
  s3_root s3("escape");
  s3.put("b", "x.json", "[1]");
  harness h;
  h.engine_opts.s3_root = s3.root;
  auto r = h.run(dmap(R"("ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
      "ReaderConfig": {"InputType": "JSON"}, "Parameters": {"Bucket": "b", "Key": "../b/x.json"}})"));
  CHECK(r.error == "States.ItemReaderFailed");
  CHECK(r.cause == "The key '../b/x.json' cannot be stored in the S3 stand-in folder (an empty, '.' or '..' segment)");
}

TEST_CASE("An EXPRESS child still running after five minutes ends TIMED_OUT, a STANDARD one goes on",
          "[engine][dmap]") {
  using namespace std::chrono_literals;
  harness h;
  auto wait = R"({"Type": "Wait", "Seconds": 301, "End": true})";
  auto express = h.run(dmap(R"("ToleratedFailureCount": 1)", "EXPRESS", wait), "[1]");
  REQUIRE(express.succeeded());
  CHECK(express.output->at(0).at("Status") == "TIMED_OUT");
  CHECK(express.output->at(0).at("Error") == "States.Timeout");
  CHECK(*express.stop_date == stepsim::test::t0 + 5min);
  harness h2;
  auto standard = h2.run(dmap("\"MaxConcurrency\": 0", "STANDARD", wait), "[1]");
  REQUIRE(standard.succeeded());
  CHECK(*standard.output == json::parse("[1]"));
  CHECK(*standard.stop_date == stepsim::test::t0 + 301s);
}
