// stepsim::asl: what a distributed Map reads its items from (ItemReader), how
// it groups them for its child executions (ItemBatcher) and where it writes
// their results (ResultWriter), compiled from the definition.
#pragma once

#include <stepsim/asl/jsonata_template.hpp>
#include <stepsim/asl/path.hpp>
#include <stepsim/asl/payload_template.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace stepsim::asl {

/// A count a field gives as a number, a reference path (`...Path`) or, in a
/// JSONata state, a `{% %}` expression; at most one of the three is set.
struct count_field {
  std::optional<std::int64_t> value;
  std::optional<path> from_path;
  std::optional<jsonata_template> expression;
  bool given() const noexcept { return value || from_path || expression; }
};

/// Where a payload of the reader or writer comes from: `Parameters` (JSONPath
/// state) or `Arguments` (JSONata state); neither when the field is absent.
struct s3_arguments {
  std::optional<payload_template> parameters;
  std::optional<jsonata_template> arguments;
};

/// `ItemReader`: `arn:aws:states:::s3:getObject` (one object holding the
/// items) or `arn:aws:states:::s3:listObjectsV2` (the objects of a bucket).
struct item_reader {
  enum class source { get_object, list_objects };
  enum class input_type { json, jsonl, csv, manifest };
  source from = source::get_object;
  input_type type = input_type::json;  ///< getObject: ReaderConfig.InputType
  bool csv_header_given = false;       ///< CSVHeaderLocation GIVEN (else FIRST_ROW)
  std::vector<std::string> csv_headers;  ///< CSVHeaders with GIVEN
  char csv_delimiter = ',';            ///< CSVDelimiter: COMMA, PIPE, SEMICOLON, SPACE or TAB
  count_field max_items;               ///< ReaderConfig MaxItems / MaxItemsPath
  s3_arguments arguments;              ///< Bucket, Key (getObject) or Bucket, Prefix (listObjectsV2)
};

/// `ItemBatcher`: child executions get {"Items": [...], "BatchInput": ...}.
struct item_batcher {
  count_field max_items_per_batch;        ///< MaxItemsPerBatch / MaxItemsPerBatchPath
  count_field max_input_bytes_per_batch;  ///< MaxInputBytesPerBatch / MaxInputBytesPerBatchPath
  std::optional<payload_template> batch_input;          ///< JSONPath BatchInput
  std::optional<jsonata_template> batch_input_jsonata;  ///< JSONata BatchInput
};

/// `ResultWriter`: the child executions' results as files under
/// Bucket/Prefix (`arn:aws:states:::s3:putObject`), shaped by WriterConfig.
struct result_writer {
  enum class transformation { none, compact, flatten };
  bool to_s3 = false;  ///< Resource and Parameters/Arguments given
  s3_arguments arguments;
  bool writer_config = false;  ///< WriterConfig given
  transformation transform = transformation::none;  ///< default NONE with S3, COMPACT without
  bool jsonl = false;          ///< OutputType JSONL (default JSON)
};

/// Everything of a distributed Map beyond an inline one.
struct distributed_map {
  bool express_children = false;  ///< ProcessorConfig ExecutionType EXPRESS
  std::optional<item_reader> reader;
  std::optional<item_batcher> batcher;
  std::optional<result_writer> writer;
};

}  // namespace stepsim::asl
