#include <stepsim/asl/distributed_map.hpp>

#include "asl/definitions.hpp"

#include <stepsim/asl/state_machine.hpp>

#include <catch2/catch.hpp>

using stepsim::asl::item_reader;
using stepsim::asl::result_writer;
using stepsim::test::describe;
using stepsim::test::only_error_of;
using stepsim::test::one_state;

namespace {

/// A distributed Map named S with `fields` (ItemReader...) and a one-Pass processor of `type` children.
std::string dmap(std::string const& fields, std::string const& type = "STANDARD") {
  return one_state(R"({"Type": "Map", "End": true, )" + fields + R"(,
      "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": ")" +
                   type + R"("}, "StartAt": "I", "States": {"I": {"Type": "Pass", "End": true}}}})");
}

stepsim::asl::distributed_map const& compiled(std::string const& text) {
  static std::shared_ptr<stepsim::asl::state_machine const> keep;
  auto r = stepsim::asl::parse(text);
  INFO(describe(r.errors));
  REQUIRE(r.ok());
  keep = r.machine;
  REQUIRE(keep->at(0).map_run);
  return *keep->at(0).map_run;
}

}  // namespace

TEST_CASE("A CSV ItemReader compiles with its header location, headers, delimiter and MaxItems", "[asl][dmap]") {
  auto const& m = compiled(dmap(R"("ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
      "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "GIVEN", "CSVHeaders": ["a", "b"],
                       "CSVDelimiter": "SEMICOLON", "MaxItems": 7},
      "Parameters": {"Bucket": "b", "Key.$": "$.key"}})"));
  REQUIRE(m.reader);
  CHECK(m.reader->from == item_reader::source::get_object);
  CHECK(m.reader->type == item_reader::input_type::csv);
  CHECK(m.reader->csv_header_given);
  CHECK(m.reader->csv_headers == std::vector<std::string>{"a", "b"});
  CHECK(m.reader->csv_delimiter == ';');
  CHECK(m.reader->max_items.value == 7);
  CHECK(m.reader->arguments.parameters);
  CHECK_FALSE(m.express_children);
}

TEST_CASE("Each CSVDelimiter name stands for its character", "[asl][dmap]") {
  for (auto [name, c] : std::vector<std::pair<std::string, char>>{
           {"COMMA", ','}, {"PIPE", '|'}, {"SEMICOLON", ';'}, {"SPACE", ' '}, {"TAB", '\t'}}) {
    auto const& m = compiled(dmap(R"("ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
        "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW", "CSVDelimiter": ")" + name + R"("},
        "Parameters": {"Bucket": "b", "Key": "k"}})"));
    CHECK(m.reader->csv_delimiter == c);
  }
}

TEST_CASE("A listObjectsV2 ItemReader needs no ReaderConfig, EXPRESS children are recorded", "[asl][dmap]") {
  auto const& m = compiled(dmap(R"("ItemReader": {"Resource": "arn:aws:states:::s3:listObjectsV2",
      "Parameters": {"Bucket": "b", "Prefix": "p/"}})", "EXPRESS"));
  CHECK(m.reader->from == item_reader::source::list_objects);
  CHECK(m.express_children);
}

TEST_CASE("ItemBatcher and ResultWriter compile with their paths, BatchInput and WriterConfig", "[asl][dmap]") {
  auto const& m = compiled(dmap(R"("ItemBatcher": {"MaxItemsPerBatchPath": "$.n", "MaxInputBytesPerBatch": 1024,
          "BatchInput": {"run.$": "$.run"}},
      "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "out", "Prefix": "p"},
          "WriterConfig": {"Transformation": "FLATTEN", "OutputType": "JSONL"}})"));
  REQUIRE(m.batcher);
  CHECK(m.batcher->max_items_per_batch.from_path->text() == "$.n");
  CHECK(m.batcher->max_input_bytes_per_batch.value == 1024);
  CHECK(m.batcher->batch_input);
  REQUIRE(m.writer);
  CHECK(m.writer->to_s3);
  CHECK(m.writer->transform == result_writer::transformation::flatten);
  CHECK(m.writer->jsonl);
}

TEST_CASE("A JSONata distributed Map takes Arguments and {% %} counts", "[asl][dmap]") {
  auto r = stepsim::asl::parse(R"({"QueryLanguage": "JSONata", "StartAt": "S", "States": {"S": {"Type": "Map",
      "End": true,
      "ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "JSON",
          "MaxItems": "{% $states.input.max %}"}, "Arguments": {"Bucket": "{% $states.input.b %}", "Key": "k"}},
      "ItemBatcher": {"MaxItemsPerBatch": "{% $states.input.n %}",
          "BatchInput": {"at": "{% $states.context.State.EnteredTime %}"}},
      "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
          "StartAt": "I", "States": {"I": {"Type": "Pass", "End": true}}}}}})");
  INFO(describe(r.errors));
  REQUIRE(r.ok());
  auto const& s = r.machine->at(0);
  CHECK(s.map_run->reader->max_items.expression);
  CHECK(s.map_run->reader->arguments.arguments);
  CHECK(s.map_run->batcher->batch_input_jsonata);
  CHECK(s.uses_context);
}

TEST_CASE("ItemReader errors are reported where they are written", "[asl][dmap]") {
  SECTION("an unknown resource") {
    auto d = only_error_of(dmap(R"("ItemReader": {"Resource": "arn:aws:states:::dynamodb:scan",
        "Parameters": {"Bucket": "b"}})"));
    CHECK(d.pointer == "/States/S/ItemReader/Resource");
    CHECK(d.message == "an ItemReader reads from arn:aws:states:::s3:getObject or arn:aws:states:::s3:listObjectsV2, "
                       "not 'arn:aws:states:::dynamodb:scan'");
  }
  SECTION("getObject without InputType") {
    auto d = only_error_of(dmap(R"("ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
        "ReaderConfig": {}, "Parameters": {"Bucket": "b", "Key": "k"}})"));
    CHECK(d.pointer == "/States/S/ItemReader/ReaderConfig");
    CHECK(d.message == "'InputType' is required with arn:aws:states:::s3:getObject: JSON, JSONL, CSV or MANIFEST");
  }
  SECTION("an unknown delimiter") {
    auto d = only_error_of(dmap(R"("ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
        "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW", "CSVDelimiter": "COLON"},
        "Parameters": {"Bucket": "b", "Key": "k"}})"));
    CHECK(d.pointer == "/States/S/ItemReader/ReaderConfig/CSVDelimiter");
    CHECK(d.message == "'CSVDelimiter' must be COMMA, PIPE, SEMICOLON, SPACE or TAB, not 'COLON'");
  }
  SECTION("GIVEN without CSVHeaders") {
    auto d = only_error_of(dmap(R"("ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
        "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "GIVEN"}, "Parameters": {"Bucket": "b", "Key": "k"}})"));
    CHECK(d.pointer == "/States/S/ItemReader/ReaderConfig");
    CHECK(d.message == "'CSVHeaderLocation': GIVEN needs 'CSVHeaders', the column names");
  }
  SECTION("MaxItems and MaxItemsPath together") {
    auto d = only_error_of(dmap(R"("ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
        "ReaderConfig": {"InputType": "JSON", "MaxItems": 1, "MaxItemsPath": "$.m"},
        "Parameters": {"Bucket": "b", "Key": "k"}})"));
    CHECK(d.pointer == "/States/S/ItemReader/ReaderConfig/MaxItemsPath");
    CHECK(d.message == "'MaxItems' and 'MaxItemsPath' cannot both be given");
  }
  SECTION("CSV options on a JSON reader") {
    auto d = only_error_of(dmap(R"("ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
        "ReaderConfig": {"InputType": "JSON", "CSVDelimiter": "PIPE"}, "Parameters": {"Bucket": "b", "Key": "k"}})"));
    CHECK(d.pointer == "/States/S/ItemReader/ReaderConfig/CSVDelimiter");
    CHECK(d.message == "'CSVDelimiter' applies only to 'InputType': CSV");
  }
}

TEST_CASE("ItemBatcher and ResultWriter errors are reported where they are written", "[asl][dmap]") {
  SECTION("a batcher without a limit") {
    auto d = only_error_of(dmap(R"("ItemBatcher": {"BatchInput": {}})"));
    CHECK(d.pointer == "/States/S/ItemBatcher");
    CHECK(d.message == "an ItemBatcher needs 'MaxItemsPerBatch' or 'MaxInputBytesPerBatch' (or their ...Path forms)");
  }
  SECTION("a batch over 256 KiB") {
    auto d = only_error_of(dmap(R"("ItemBatcher": {"MaxInputBytesPerBatch": 262145})"));
    CHECK(d.pointer == "/States/S/ItemBatcher/MaxInputBytesPerBatch");
    CHECK(d.message == "'MaxInputBytesPerBatch' must be between 1 and 262144, not 262145");
  }
  SECTION("an empty result writer") {
    auto d = only_error_of(dmap(R"("ResultWriter": {})"));
    CHECK(d.pointer == "/States/S/ResultWriter");
    CHECK(d.message == "a ResultWriter cannot be empty: give 'Resource' with 'Parameters' (Bucket, Prefix), "
                       "'WriterConfig', or both");
  }
  SECTION("a writer resource other than putObject") {
    auto d = only_error_of(dmap(R"("ResultWriter": {"Resource": "arn:aws:states:::s3:getObject",
        "Parameters": {"Bucket": "b", "Prefix": "p"}})"));
    CHECK(d.pointer == "/States/S/ResultWriter/Resource");
    CHECK(d.message == "a ResultWriter writes with arn:aws:states:::s3:putObject, not 'arn:aws:states:::s3:getObject'");
  }
  SECTION("an unknown Transformation") {
    auto d = only_error_of(dmap(R"("ResultWriter": {"WriterConfig": {"Transformation": "SQUASH", "OutputType": "JSON"}})"));
    CHECK(d.pointer == "/States/S/ResultWriter/WriterConfig/Transformation");
    CHECK(d.message == "'Transformation' must be NONE, COMPACT or FLATTEN, not 'SQUASH'");
  }
}
