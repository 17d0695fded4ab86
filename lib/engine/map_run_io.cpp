#include "engine/map_run_io.hpp"

#include "engine/branches.hpp"
#include "engine/s3_folder.hpp"

#include <stepsim/asl/json_text.hpp>
#include <stepsim/engine/item_reader.hpp>

#include <fmt/format.h>

#include <array>
#include <cmath>

namespace stepsim::engine {

namespace {

[[noreturn]] void reader_failed(std::string cause) { throw asl::states_error("States.ItemReaderFailed", std::move(cause)); }

/// Parameters (JSONPath) or Arguments (JSONata) of a reader or writer, evaluated: an object.
json::object evaluate_arguments(execution::state& ex, asl::s3_arguments const& a, json::value const& input,
                                work_scope scope, char const* error) {
  json::value v;
  if (a.arguments) v = scope.binding->evaluate(*a.arguments);
  else if (a.parameters) {
    if (a.parameters->uses_context()) ex.ensure_context();
    v = a.parameters->evaluate({input, ex.context, &ex.random(), scope.vars});
  }
  if (auto* o = v.if_object()) return std::move(*o);
  throw asl::states_error(error, fmt::format("The Parameters must be an object, not {}", asl::to_text(v)));
}

/// Field `key` of evaluated arguments: a string ("" when absent and not `required`).
std::string text_field(json::object const& o, std::string_view key, bool required, char const* error) {
  auto const* v = o.if_contains(key);
  if (!v) {
    if (required) throw asl::states_error(error, fmt::format("The field '{}' is required in the Parameters", key));
    return {};
  }
  if (auto const* s = v->if_string()) return std::string(*s);
  throw asl::states_error(error, fmt::format("The field '{}' must be a string, not {}", key, asl::to_text(*v)));
}

s3_folder folder_of(execution::state& ex) { return s3_folder(ex.eng.options().s3_root); }

std::string get_object(execution::state& ex, std::string const& bucket, std::string const& key) {
  std::string error;
  auto text = folder_of(ex).get(bucket, key, error);
  if (!error.empty()) reader_failed(std::move(error));
  return text;
}

/// An S3 inventory's manifest.json: the items of its CSV data files, named by its fileSchema.
json::array read_manifest(execution::state& ex, std::string const& text, std::size_t max_items) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  auto const* o = ec ? nullptr : v.if_object();
  if (!o) reader_failed("The S3 inventory manifest is not a JSON object");
  auto field = [&](char const* k) -> std::string {
    auto const* f = o->if_contains(k);
    if (!f || !f->is_string()) reader_failed(fmt::format("The S3 inventory manifest has no '{}' string", k));
    return std::string(f->get_string());
  };
  if (auto format = field("fileFormat"); format != "CSV")
    reader_failed(fmt::format("The S3 inventory format '{}' is not supported; Step Functions reads CSV inventories", format));
  std::string bucket = field("destinationBucket");
  if (auto colon = bucket.rfind(':'); colon != std::string::npos) bucket.erase(0, colon + 1);  // arn:aws:s3:::name
  csv_format format;
  std::string schema = field("fileSchema");
  for (std::size_t start = 0; start <= schema.size();) {
    auto end = std::min(schema.find(',', start), schema.size());
    auto name = std::string_view(schema).substr(start, end - start);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    format.headers.emplace_back(name);
    start = end + 1;
  }
  auto const* files = o->if_contains("files");
  if (!files || !files->is_array()) reader_failed("The S3 inventory manifest has no 'files' array");
  json::array items;
  for (auto const& f : files->get_array()) {
    auto const* key = f.is_object() ? f.get_object().if_contains("key") : nullptr;
    if (!key || !key->is_string()) reader_failed("An entry of the S3 inventory manifest's 'files' has no 'key'");
    std::string k(key->get_string());
    if (k.ends_with(".gz"))
      reader_failed(fmt::format("The inventory file '{}' is gzip-compressed; the S3 stand-in folder reads inventory "
                                "files uncompressed (store it without .gz)",
                                k));
    auto r = read_csv(get_object(ex, bucket, k), format, max_items ? max_items - items.size() : 0);
    if (!r.ok()) reader_failed(std::move(r.error));
    for (auto& item : r.items) items.push_back(std::move(item));
    if (max_items && items.size() >= max_items) break;
  }
  return items;
}

}  // namespace

std::optional<std::int64_t> count_value(execution::state& ex, asl::count_field const& f, std::string const& name,
                                        json::value const& input, work_scope scope) {
  if (f.value) return f.value;
  if (f.from_path) return integer_from_path(ex, *f.from_path, input, (name + "Path").c_str(), scope.vars, true);
  if (f.expression) {
    auto v = scope.binding->evaluate(*f.expression);
    if (auto const* i = v.if_int64()) return *i;
    if (auto const* u = v.if_uint64()) return std::int64_t(std::min<std::uint64_t>(*u, INT64_MAX));
    if (auto const* d = v.if_double(); d && *d == std::floor(*d) && std::abs(*d) < 9e18) return std::int64_t(*d);
    throw asl::states_error("States.QueryEvaluationError", asl::unexpected_type_cause(*f.expression, "integer", v));
  }
  return std::nullopt;
}

json::array read_map_items(execution::state& ex, asl::item_reader const& r, json::value const& input,
                           work_scope scope, std::size_t max_items) {
  auto args = evaluate_arguments(ex, r.arguments, input, scope, "States.ItemReaderFailed");
  std::string bucket = text_field(args, "Bucket", true, "States.ItemReaderFailed");
  if (r.from == asl::item_reader::source::list_objects) {
    std::string error;
    auto objects = folder_of(ex).list(bucket, text_field(args, "Prefix", false, "States.ItemReaderFailed"), error);
    if (!error.empty()) reader_failed(std::move(error));
    json::array items;
    for (auto& o : objects) {
      if (max_items && items.size() >= max_items) break;
      items.push_back(json::object{{"Etag", o.etag},
                                   {"Key", o.key},
                                   {"LastModified", o.last_modified},
                                   {"Size", o.size},
                                   {"StorageClass", "STANDARD"}});
    }
    return items;
  }
  auto text = get_object(ex, bucket, text_field(args, "Key", true, "States.ItemReaderFailed"));
  read_items got;
  switch (r.type) {
    case asl::item_reader::input_type::json: got = read_json_array(text, max_items); break;
    case asl::item_reader::input_type::jsonl: got = read_json_lines(text, max_items); break;
    case asl::item_reader::input_type::csv:
      got = read_csv(text, csv_format{r.csv_delimiter, r.csv_header_given ? r.csv_headers : std::vector<std::string>{}},
                     max_items);
      break;
    case asl::item_reader::input_type::manifest: return read_manifest(ex, text, max_items);
  }
  if (!got.ok()) reader_failed(std::move(got.error));
  return std::move(got.items);
}

std::vector<json::value> batch_items(execution::state& ex, asl::item_batcher const& b,
                                     json::value const& input, work_scope scope, std::vector<json::value> inputs) {
  auto per_batch = count_value(ex, b.max_items_per_batch, "MaxItemsPerBatch", input, scope);
  auto bytes = count_value(ex, b.max_input_bytes_per_batch, "MaxInputBytesPerBatch", input, scope);
  if ((per_batch && *per_batch <= 0) || (bytes && *bytes <= 0))
    throw asl::states_error("States.Runtime", fmt::format("The field {} must be a positive integer",
                                                          per_batch && *per_batch <= 0 ? "MaxItemsPerBatch"
                                                                                       : "MaxInputBytesPerBatch"));
  json::value batch_input;
  if (b.batch_input_jsonata) batch_input = scope.binding->evaluate(*b.batch_input_jsonata);
  else if (b.batch_input) {
    if (b.batch_input->uses_context()) ex.ensure_context();
    batch_input = b.batch_input->evaluate({input, ex.context, &ex.random(), scope.vars});
  }
  // Bytes of {"Items":[]} or {"BatchInput":...,"Items":[]} before any item; each item adds its size and a comma.
  std::size_t const base = batch_input.is_null() ? 12 : 26 + asl::text_size(batch_input);
  std::size_t const max_bytes = bytes ? std::size_t(*bytes) : SIZE_MAX;
  std::size_t const max_count = per_batch ? std::size_t(*per_batch) : SIZE_MAX;
  std::vector<json::value> batches;
  json::array current;
  std::size_t size = base;
  auto close = [&] {
    json::object o;
    if (!batch_input.is_null()) o["BatchInput"] = batch_input;
    o["Items"] = std::move(current);
    batches.emplace_back(std::move(o));
    current = json::array();
    size = base;
  };
  for (auto& item : inputs) {
    std::size_t const item_size = asl::text_size(item, max_bytes);
    if (base + item_size > max_bytes)
      throw asl::states_error("States.ItemReaderFailed",
                              fmt::format("An item is larger than MaxInputBytesPerBatch ({} bytes)", max_bytes));
    if (!current.empty() && (current.size() >= max_count || size + 1 + item_size > max_bytes)) close();
    size += item_size + (current.empty() ? 0 : 1);
    current.push_back(std::move(item));
  }
  if (!current.empty()) close();
  return batches;
}

json::object child_record(child_outcome const& c) {
  auto const& r = c.result;
  json::object o;
  if (!c.started) {
    o["Input"] = asl::to_text(r.input);
    o["InputDetails"] = json::object{{"Included", true}};
    o["Status"] = "PENDING";
    return o;
  }
  if (r.cause) o["Cause"] = *r.cause;
  if (r.error) o["Error"] = *r.error;
  o["ExecutionArn"] = r.execution_arn;
  o["Input"] = asl::to_text(r.input);
  o["InputDetails"] = json::object{{"Included", true}};
  o["Name"] = r.name;
  if (r.output) {
    o["Output"] = asl::to_text(*r.output);
    o["OutputDetails"] = json::object{{"Included", true}};
  }
  o["RedriveCount"] = 0;
  if (r.succeeded()) {
    o["RedriveStatus"] = "NOT_REDRIVABLE";
    o["RedriveStatusReason"] = "Execution is SUCCEEDED and cannot be redriven";
  } else {
    // An EXPRESS child is redriven only by redriving its Map Run.
    o["RedriveStatus"] = r.execution_arn.find(":express:") != std::string::npos ? "REDRIVABLE_BY_MAP_RUN" : "REDRIVABLE";
  }
  o["StartDate"] = sim::format_iso8601(r.start_date);
  o["StateMachineArn"] = r.state_machine_arn;
  o["Status"] = to_string(r.status);
  if (r.stop_date) o["StopDate"] = sim::format_iso8601(*r.stop_date);
  return o;
}

namespace {

/// What child `c` contributes to the results under Transformation `t`.
void append_shaped(json::array& out, child_outcome const& c, asl::result_writer::transformation t) {
  if (t == asl::result_writer::transformation::none || !c.result.succeeded()) {
    out.push_back(child_record(c));
  } else if (t == asl::result_writer::transformation::flatten && c.result.output->is_array()) {
    for (auto const& v : c.result.output->get_array()) out.push_back(v);
  } else {
    out.push_back(*c.result.output);
  }
}

}  // namespace

json::array map_run_output(std::vector<child_outcome> const& children, asl::result_writer const* w) {
  auto t = w && w->writer_config ? w->transform : asl::result_writer::transformation::compact;
  json::array out;
  out.reserve(children.size());
  for (auto const& c : children)
    if (c.started) append_shaped(out, c, t);
  return out;
}

json::object write_map_run_results(execution::state& ex, asl::result_writer const& w, json::value const& input,
                                   work_scope scope, std::string const& map_run_arn, std::string const& run_id,
                                   std::vector<child_outcome> const& children) {
  auto args = evaluate_arguments(ex, w.arguments, input, scope, "States.ResultWriterFailed");
  std::string bucket = text_field(args, "Bucket", true, "States.ResultWriterFailed");
  std::string prefix = text_field(args, "Prefix", false, "States.ResultWriterFailed");
  if (!prefix.empty() && !prefix.ends_with('/')) prefix += '/';
  prefix += run_id + '/';
  auto t = w.writer_config ? w.transform : asl::result_writer::transformation::none;
  std::array<std::vector<child_outcome const*>, 3> groups;  // SUCCEEDED, FAILED, PENDING
  for (auto const& c : children) groups[!c.started ? 2 : c.result.succeeded() ? 0 : 1].push_back(&c);
  static constexpr std::array<char const*, 3> names{"SUCCEEDED", "FAILED", "PENDING"};
  auto folder = folder_of(ex);
  std::string error;
  json::object files;
  for (std::size_t g : {1u, 2u, 0u}) {  // the manifest's order: FAILED, PENDING, SUCCEEDED
    json::array listed;
    if (!groups[g].empty()) {
      json::array entries;
      for (auto const* c : groups[g]) {
        if (g == 2) entries.push_back(child_record(*c));
        else append_shaped(entries, *c, t);
      }
      std::string text = w.jsonl ? "" : "[";
      for (std::size_t i = 0; i < entries.size(); ++i) {
        if (!w.jsonl && i) text += ',';
        asl::append_text(text, entries[i]);
        if (w.jsonl) text += '\n';
      }
      if (!w.jsonl) text += ']';
      std::string key = fmt::format("{}{}_0.{}", prefix, names[g], w.jsonl ? "jsonl" : "json");
      folder.put(bucket, key, text, error);
      if (!error.empty()) throw asl::states_error("States.ResultWriterFailed", error);
      listed.push_back(json::object{{"Key", key}, {"Size", text.size()}});
    }
    files[names[g]] = std::move(listed);
  }
  std::string manifest_key = prefix + "manifest.json";
  json::object manifest{{"DestinationBucket", bucket}, {"MapRunArn", map_run_arn}, {"ResultFiles", std::move(files)}};
  folder.put(bucket, manifest_key, asl::to_text(manifest), error);
  if (!error.empty()) throw asl::states_error("States.ResultWriterFailed", error);
  return json::object{{"MapRunArn", map_run_arn},
                      {"ResultWriterDetails", json::object{{"Bucket", bucket}, {"Key", manifest_key}}}};
}

}  // namespace stepsim::engine
