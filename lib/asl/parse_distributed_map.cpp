// A distributed Map's ItemReader, ItemBatcher and ResultWriter.
#include "asl/parse_detail.hpp"

#include <fmt/format.h>

#include <array>
#include <set>

namespace stepsim::asl::detail {

namespace {

// AWS's ceilings: items a Map Run reads, and bytes of one batch (a state's payload limit).
constexpr std::int64_t max_items_limit = 100'000'000;
constexpr std::int64_t max_batch_bytes = 262'144;

bool is_jsonata(state const& s) { return s.language == query_language::jsonata; }

void refuse_unknown(field_reader const& r, std::set<std::string_view> const& known, std::string_view where) {
  for (auto const& kv : r.object)
    if (!known.contains(kv.key()))
      r.error(kv.key(), fmt::format("unknown field '{}' in {}", std::string_view(kv.key()), where));
}

/// `key` as an integer in [min, max], `keyPath` as a reference path, or (JSONata) `key` as `{% %}`.
count_field read_count(field_reader const& r, state& s, std::string const& key, std::int64_t min, std::int64_t max) {
  count_field c;
  std::string const path_key = key + "Path";
  if (is_jsonata(s) && r.expression(key)) {
    c.expression = jsonata_template::parse(*r.find(key), r.at(key), key, r.out);
    if (c.expression) {
      check_states_reads(r, key, c.expression->reads(),
                         unsigned(states_field::input) | unsigned(states_field::context));
      if (c.expression->reads() & unsigned(states_field::context)) s.uses_context = true;
    }
  } else {
    c.value = r.integer(key, min, max);
  }
  if (r.find(path_key)) {
    if (is_jsonata(s))
      r.error(path_key, fmt::format("'{}' is a JSONPath field, not allowed in a JSONata state; use '{}' with a "
                                    "{{% %}} expression",
                                    path_key, key));
    else c.from_path = r.path_value(path_key, true);
    if (c.from_path && c.from_path->is_context()) s.uses_context = true;
  }
  if (r.find(key) && r.find(path_key))
    r.error(path_key, fmt::format("'{}' and '{}' cannot both be given", key, path_key));
  return c;
}

/// `Parameters` (JSONPath) or `Arguments` (JSONata) of an ItemReader or ResultWriter.
s3_arguments read_arguments(field_reader const& r, state& s, std::string_view where) {
  s3_arguments a;
  char const* mine = is_jsonata(s) ? "Arguments" : "Parameters";
  char const* other = is_jsonata(s) ? "Parameters" : "Arguments";
  if (r.find(other))
    r.error(other, fmt::format("'{}' is not allowed in the {} of a {} state; use '{}'", other, where,
                               is_jsonata(s) ? "JSONata" : "JSONPath", mine));
  auto const* v = r.find(mine);
  if (!v) return a;
  if (!v->is_object() && !(is_jsonata(s) && jsonata_template::is_expression(*v))) {
    r.error(mine, fmt::format("'{}' must be an object", mine));
    return a;
  }
  if (is_jsonata(s)) {
    a.arguments = jsonata_template::parse(*v, r.at(mine), mine, r.out);
    if (a.arguments) {
      check_states_reads(r, mine, a.arguments->reads(), unsigned(states_field::input) | unsigned(states_field::context));
      if (a.arguments->reads() & unsigned(states_field::context)) s.uses_context = true;
    }
  } else {
    a.parameters = payload_template::parse(*v, r.at(mine), r.out);
    if (a.parameters && a.parameters->uses_context()) s.uses_context = true;
  }
  return a;
}

void read_reader_config(field_reader const& r, state& s, item_reader& ir) {
  auto const* v = r.find("ReaderConfig");
  if (!v) {
    if (ir.from == item_reader::source::get_object)
      r.out.push_back({r.pointer, "an ItemReader with arn:aws:states:::s3:getObject needs 'ReaderConfig' with "
                                  "'InputType' (JSON, JSONL, CSV or MANIFEST)"});
    return;
  }
  auto const* o = v->if_object();
  if (!o) {
    r.error("ReaderConfig", "'ReaderConfig' must be an object");
    return;
  }
  field_reader c{*o, r.at("ReaderConfig"), r.out};
  refuse_unknown(c,
                 {"InputType", "CSVHeaderLocation", "CSVHeaders", "CSVDelimiter", "MaxItems", "MaxItemsPath"},
                 "ReaderConfig");
  ir.max_items = read_count(c, s, "MaxItems", 0, max_items_limit);
  auto type = c.string("InputType");
  if (type) {
    if (*type == "JSON") ir.type = item_reader::input_type::json;
    else if (*type == "JSONL") ir.type = item_reader::input_type::jsonl;
    else if (*type == "CSV") ir.type = item_reader::input_type::csv;
    else if (*type == "MANIFEST") ir.type = item_reader::input_type::manifest;
    else c.error("InputType", fmt::format("'InputType' must be JSON, JSONL, CSV or MANIFEST, not '{}'", *type));
  } else if (ir.from == item_reader::source::get_object && !c.find("InputType")) {
    c.out.push_back({c.pointer, "'InputType' is required with arn:aws:states:::s3:getObject: JSON, JSONL, CSV or "
                                "MANIFEST"});
  }
  bool csv = type && *type == "CSV";
  for (auto key : {"CSVHeaderLocation", "CSVHeaders", "CSVDelimiter"})
    if (c.find(key) && !csv) c.error(key, fmt::format("'{}' applies only to 'InputType': CSV", key));
  if (!csv) return;
  if (auto loc = c.string("CSVHeaderLocation")) {
    if (*loc == "GIVEN") ir.csv_header_given = true;
    else if (*loc != "FIRST_ROW")
      c.error("CSVHeaderLocation", fmt::format("'CSVHeaderLocation' must be FIRST_ROW or GIVEN, not '{}'", *loc));
  } else if (!c.find("CSVHeaderLocation")) {
    c.out.push_back({c.pointer, "'CSVHeaderLocation' is required with 'InputType': CSV (FIRST_ROW or GIVEN)"});
  }
  if (auto const* h = c.find("CSVHeaders")) {
    auto const* a = h->if_array();
    if (!a || a->empty()) c.error("CSVHeaders", "'CSVHeaders' must be a non-empty array of strings");
    else
      for (std::size_t i = 0; i < a->size(); ++i) {
        if (auto const* str = (*a)[i].if_string()) ir.csv_headers.emplace_back(*str);
        else c.out.push_back({pointer_append(c.at("CSVHeaders"), i), "a CSV header must be a string"});
      }
    if (!ir.csv_header_given) c.error("CSVHeaders", "'CSVHeaders' is given only with 'CSVHeaderLocation': GIVEN");
  } else if (ir.csv_header_given) {
    c.out.push_back({c.pointer, "'CSVHeaderLocation': GIVEN needs 'CSVHeaders', the column names"});
  }
  if (auto d = c.string("CSVDelimiter")) {
    static constexpr std::array<std::pair<std::string_view, char>, 5> names{
        {{"COMMA", ','}, {"PIPE", '|'}, {"SEMICOLON", ';'}, {"SPACE", ' '}, {"TAB", '\t'}}};
    auto it = std::find_if(names.begin(), names.end(), [&](auto const& n) { return n.first == *d; });
    if (it == names.end())
      c.error("CSVDelimiter",
              fmt::format("'CSVDelimiter' must be COMMA, PIPE, SEMICOLON, SPACE or TAB, not '{}'", *d));
    else ir.csv_delimiter = it->second;
  }
}

std::optional<item_reader> read_item_reader(field_reader const& r, state& s) {
  item_reader ir;
  refuse_unknown(r, {"Resource", "ReaderConfig", "Parameters", "Arguments"}, "ItemReader");
  auto resource = r.string("Resource");
  if (!resource) {
    if (!r.find("Resource"))
      r.out.push_back({r.pointer, "an ItemReader needs 'Resource': arn:aws:states:::s3:getObject or "
                                  "arn:aws:states:::s3:listObjectsV2"});
    return std::nullopt;
  }
  if (*resource == "arn:aws:states:::s3:getObject") ir.from = item_reader::source::get_object;
  else if (*resource == "arn:aws:states:::s3:listObjectsV2") ir.from = item_reader::source::list_objects;
  else {
    r.error("Resource", fmt::format("an ItemReader reads from arn:aws:states:::s3:getObject or "
                                    "arn:aws:states:::s3:listObjectsV2, not '{}'",
                                    *resource));
    return std::nullopt;
  }
  read_reader_config(r, s, ir);
  ir.arguments = read_arguments(r, s, "ItemReader");
  if (!ir.arguments.parameters && !ir.arguments.arguments && !r.find("Parameters") && !r.find("Arguments"))
    r.out.push_back({r.pointer, fmt::format("an ItemReader needs '{}' with the 'Bucket'{}",
                                            is_jsonata(s) ? "Arguments" : "Parameters",
                                            ir.from == item_reader::source::get_object ? " and 'Key' of the object"
                                                                                       : " to list")});
  return ir;
}

std::optional<item_batcher> read_item_batcher(field_reader const& r, state& s) {
  item_batcher b;
  refuse_unknown(r,
                 {"MaxItemsPerBatch", "MaxItemsPerBatchPath", "MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath",
                  "BatchInput"},
                 "ItemBatcher");
  b.max_items_per_batch = read_count(r, s, "MaxItemsPerBatch", 1, max_items_limit);
  b.max_input_bytes_per_batch = read_count(r, s, "MaxInputBytesPerBatch", 1, max_batch_bytes);
  if (!b.max_items_per_batch.given() && !b.max_input_bytes_per_batch.given() && !r.find("MaxItemsPerBatch") &&
      !r.find("MaxItemsPerBatchPath") && !r.find("MaxInputBytesPerBatch") && !r.find("MaxInputBytesPerBatchPath"))
    r.out.push_back({r.pointer, "an ItemBatcher needs 'MaxItemsPerBatch' or 'MaxInputBytesPerBatch' (or their "
                                "...Path forms)"});
  if (auto const* v = r.find("BatchInput")) {
    if (is_jsonata(s)) {
      b.batch_input_jsonata = jsonata_template::parse(*v, r.at("BatchInput"), "BatchInput", r.out);
      if (b.batch_input_jsonata && (b.batch_input_jsonata->reads() & unsigned(states_field::context)))
        s.uses_context = true;
    } else if (!v->is_object()) {
      r.error("BatchInput", "'BatchInput' must be an object");
    } else {
      b.batch_input = payload_template::parse(*v, r.at("BatchInput"), r.out);
      if (b.batch_input && b.batch_input->uses_context()) s.uses_context = true;
    }
  }
  return b;
}

std::optional<result_writer> read_result_writer(field_reader const& r, state& s) {
  result_writer w;
  refuse_unknown(r, {"Resource", "Parameters", "Arguments", "WriterConfig"}, "ResultWriter");
  if (auto res = r.string("Resource")) {
    if (*res != "arn:aws:states:::s3:putObject")
      r.error("Resource", fmt::format("a ResultWriter writes with arn:aws:states:::s3:putObject, not '{}'", *res));
    w.to_s3 = true;
    w.arguments = read_arguments(r, s, "ResultWriter");
    if (!r.find("Parameters") && !r.find("Arguments"))
      r.out.push_back({r.pointer, fmt::format("a ResultWriter with 'Resource' needs '{}' with 'Bucket' and 'Prefix'",
                                              is_jsonata(s) ? "Arguments" : "Parameters")});
  } else if (r.find("Parameters") || r.find("Arguments")) {
    r.out.push_back({r.pointer, "a ResultWriter with 'Parameters' or 'Arguments' needs 'Resource': "
                                "arn:aws:states:::s3:putObject"});
  }
  if (auto const* v = r.find("WriterConfig")) {
    w.writer_config = true;
    if (auto const* o = v->if_object()) {
      field_reader c{*o, r.at("WriterConfig"), r.out};
      refuse_unknown(c, {"Transformation", "OutputType"}, "WriterConfig");
      if (auto t = c.string("Transformation")) {
        if (*t == "NONE") w.transform = result_writer::transformation::none;
        else if (*t == "COMPACT") w.transform = result_writer::transformation::compact;
        else if (*t == "FLATTEN") w.transform = result_writer::transformation::flatten;
        else c.error("Transformation", fmt::format("'Transformation' must be NONE, COMPACT or FLATTEN, not '{}'", *t));
      } else if (!c.find("Transformation")) {
        c.out.push_back({c.pointer, "'WriterConfig' needs 'Transformation': NONE, COMPACT or FLATTEN"});
      }
      if (auto t = c.string("OutputType")) {
        if (*t == "JSONL") w.jsonl = true;
        else if (*t != "JSON") c.error("OutputType", fmt::format("'OutputType' must be JSON or JSONL, not '{}'", *t));
      } else if (!c.find("OutputType")) {
        c.out.push_back({c.pointer, "'WriterConfig' needs 'OutputType': JSON or JSONL"});
      }
    } else {
      r.error("WriterConfig", "'WriterConfig' must be an object");
    }
  }
  if (!w.to_s3 && !w.writer_config && !r.find("Parameters") && !r.find("Arguments"))
    r.out.push_back({r.pointer, "a ResultWriter cannot be empty: give 'Resource' with 'Parameters' (Bucket, "
                                "Prefix), 'WriterConfig', or both"});
  return w;
}

}  // namespace

void parse_distributed_map(field_reader const& r, state& s, bool express_children) {
  auto m = std::make_shared<distributed_map>();
  m->express_children = express_children;
  auto sub = [&](char const* key, auto read) {
    auto const* v = r.find(key);
    if (!v) return;
    if (!s.distributed) {
      r.error(key, fmt::format("'{}' needs a distributed Map: set \"ProcessorConfig\": {{\"Mode\": \"DISTRIBUTED\"}} "
                               "in the ItemProcessor",
                               key));
      return;
    }
    auto const* o = v->if_object();
    if (!o) {
      r.error(key, fmt::format("'{}' must be an object", key));
      return;
    }
    std::string where = r.at(key);
    field_reader fr{*o, where, r.out};
    read(fr);
  };
  sub("ItemReader", [&](field_reader const& fr) { m->reader = read_item_reader(fr, s); });
  sub("ItemBatcher", [&](field_reader const& fr) { m->batcher = read_item_batcher(fr, s); });
  sub("ResultWriter", [&](field_reader const& fr) { m->writer = read_result_writer(fr, s); });
  if (s.distributed) s.map_run = std::move(m);
}

}  // namespace stepsim::asl::detail
