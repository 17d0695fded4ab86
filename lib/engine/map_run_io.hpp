// Private: what a Map Run reads (ItemReader), how it batches items
// (ItemBatcher) and what it writes (ResultWriter), apart from running children.
#pragma once

#include "engine/execution_state.hpp"
#include "engine/error_handling.hpp"

#include <stepsim/asl/distributed_map.hpp>

#include <cstddef>
#include <vector>

namespace stepsim::engine {

/// A count field (MaxItems, MaxItemsPerBatch...) of Map `s`: its value, the
/// integer its path names, or its expression's value; nullopt when not given.
/// A path that gives no integer fails with States.Runtime as AWS words it
/// ("The MaxItemsPath field refers to value "1.5" which is not a valid
/// integer: $.MaxItems"); a negative value is returned as it is.
std::optional<std::int64_t> count_value(execution::state& ex, asl::count_field const& f, std::string const& name,
                                        json::value const& input, work_scope scope);

/// The items ItemReader `r` reads from the engine's S3 folder, at most
/// `max_items` (0 = all). Fails with States.ItemReaderFailed (a missing
/// bucket or object, text that is not what InputType says).
json::array read_map_items(execution::state& ex, asl::item_reader const& r, json::value const& input,
                           work_scope scope, std::size_t max_items);

/// Groups `inputs` (each iteration's input, after ItemSelector) into batches
/// as ItemBatcher `b` says: {"Items": [...]} plus "BatchInput" when given.
/// A single item larger than MaxInputBytesPerBatch fails with States.ItemReaderFailed.
std::vector<json::value> batch_items(execution::state& ex, asl::item_batcher const& b,
                                     json::value const& input, work_scope scope, std::vector<json::value> inputs);

/// One child execution of a Map Run as it ended (or never started: PENDING).
struct child_outcome {
  bool started = false;
  execution_result result;
};

/// A child's record as the result files and Transformation NONE show it:
/// ExecutionArn, Input, InputDetails, Name, Output / Error and Cause,
/// OutputDetails, RedriveCount, RedriveStatus(Reason), StartDate,
/// StateMachineArn, Status, StopDate.
json::object child_record(child_outcome const& c);

/// The Map state's result without an S3 ResultWriter: the children's outputs
/// shaped by WriterConfig's Transformation (COMPACT when absent); a failed
/// child's entry is its whole record.
json::array map_run_output(std::vector<child_outcome> const& children, asl::result_writer const* w);

/// Writes PREFIX/RUN_ID/manifest.json and SUCCEEDED_0 / FAILED_0 / PENDING_0
/// (.json, or .jsonl with OutputType JSONL) for the children that have such
/// an end, and returns {"MapRunArn", "ResultWriterDetails": {"Bucket", "Key"}}.
/// Fails with States.ResultWriterFailed when the bucket is missing or a file
/// cannot be written.
json::object write_map_run_results(execution::state& ex, asl::result_writer const& w, json::value const& input,
                                   work_scope scope, std::string const& map_run_arn, std::string const& run_id,
                                   std::vector<child_outcome> const& children);

}  // namespace stepsim::engine
