// Map and Parallel states under TestState: the mock stands for their
// iterations and branches; what the state computes around them (items,
// ItemSelector, ItemBatcher, limits, the tolerated failures, the result's
// data flow) is computed and shown.
#include "testing/state_tester.hpp"

#include <stepsim/asl/json_text.hpp>
#include <stepsim/engine/state_rules.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace stepsim::testing {

namespace data_flow = engine::data_flow;

namespace {

/// The items of a Map state's ItemReader, from `mapItemReaderData`.
json::array reader_items(asl::item_reader const& reader, std::string const& text) {
  using type = asl::item_reader::input_type;
  auto refuse = [](std::string const& why) -> json::array {
    throw test_state_error("stateConfiguration.mapItemReaderData: " + why, test_state_error::kind::validation);
  };
  json::array items;
  std::string why;
  if (reader.from != asl::item_reader::source::get_object || (reader.type != type::json && reader.type != type::jsonl))
    return refuse("only an ItemReader of s3:getObject with InputType JSON or JSONL is read from it");
  if (reader.type == type::json) {
    auto v = asl::parse_json(text, why);
    if (!v) return refuse("not valid JSON: " + why);
    if (!v->is_array()) return refuse("the JSON must be an array of the items");
    items = std::move(v->as_array());
  } else {
    std::size_t line = 0;
    for (std::size_t at = 0; at < text.size();) {
      auto end = std::min(text.find('\n', at), text.size());
      auto one = text.substr(at, end - at);
      ++line;
      at = end + 1;
      if (one.find_first_not_of(" \t\r") == std::string::npos) continue;
      auto v = asl::parse_json(one, why);
      if (!v) return refuse(fmt::format("line {} is not valid JSON: {}", line, why));
      items.push_back(std::move(*v));
    }
  }
  if (reader.max_items.value && std::int64_t(items.size()) > *reader.max_items.value)
    items.resize(static_cast<std::size_t>(*reader.max_items.value));
  return items;
}

}  // namespace

std::optional<std::int64_t> state_tester::count_of(asl::count_field const& f, json::value const& effective,
                                                   char const* field) {
  if (f.value) return f.value;
  if (f.expression) return integer(*f.expression, 0);
  if (!f.from_path) return std::nullopt;
  auto const* v = f.from_path->find_in(effective, context_, &vars_);
  if (v) {
    if (auto const* i = v->if_int64(); i && *i >= 0) return *i;
    if (auto const* u = v->if_uint64()) return static_cast<std::int64_t>(std::min<std::uint64_t>(*u, INT64_MAX));
  }
  throw asl::states_error("States.Runtime",
                          fmt::format("The {} field refers to value \"{}\" which is not a valid integer: {}", field,
                                      v ? asl::to_text(*v) : std::string("null"), f.from_path->text()));
}

json::value state_tester::map_items(json::value const& effective) {
  auto const* reader = s_.map_run && s_.map_run->reader ? &*s_.map_run->reader : nullptr;
  if (reader) return reader_items(*reader, *o_.map_item_reader_data);
  if (jsonata_) {
    auto const& f = *s_.jsonata;
    json::value items = f.items ? evaluate(*f.items) : input_;
    if (!items.is_array()) {
      if (f.items)
        throw asl::states_error("States.QueryEvaluationError", asl::unexpected_type_cause(*f.items, "array", items));
      throw asl::states_error("States.QueryEvaluationError",
                              fmt::format("Map state input must be an array but was: {}", asl::to_text(items)));
    }
    return items;
  }
  json::value items = effective;
  if (s_.items_path) {
    auto const& p = *s_.items_path;
    auto const* v = p.find_in(effective, context_, &vars_);
    if (!v)
      throw asl::states_error("States.Runtime",
                              fmt::format("Invalid path '{}' : No results for path: {}", p.text(), p.canonical()));
    items = *v;
  }
  if (!items.is_array()) {
    // AWS names a context path from the context object: `$$.Execution.Input` as "$.Execution.Input".
    std::string path = s_.items_path ? s_.items_path->text() : std::string("$");
    if (s_.items_path && s_.items_path->is_context()) path.erase(0, 1);
    throw asl::states_error("States.Runtime", fmt::format("Reference path \"{}\" must point to array.", path));
  }
  note("afterItemsPath", items);
  return items;
}

void state_tester::map_limits(json::value const& effective) {
  auto const* f = jsonata_ ? s_.jsonata.get() : nullptr;
  std::int64_t concurrency = s_.max_concurrency;
  if (f && f->max_concurrency) concurrency = integer(*f->max_concurrency, 0);
  else if (s_.max_concurrency_path) concurrency = *count_of({{}, s_.max_concurrency_path, {}}, effective, "MaxConcurrencyPath");
  note("maxConcurrency", concurrency);

  tolerated_count_ = s_.tolerated_failure_count;
  if (f && f->tolerated_failure_count) tolerated_count_ = integer(*f->tolerated_failure_count, 0);
  else if (s_.tolerated_failure_count_path)
    tolerated_count_ = count_of({{}, s_.tolerated_failure_count_path, {}}, effective, "ToleratedFailureCountPath");
  if (tolerated_count_) note("toleratedFailureCount", *tolerated_count_);

  tolerated_percentage_ = s_.tolerated_failure_percentage;
  json::value const* pct = nullptr;
  json::value computed;
  if (f && f->tolerated_failure_percentage) {
    computed = evaluate(*f->tolerated_failure_percentage);
    pct = &computed;
    if (!computed.is_number() || computed.to_number<double>() < 0 || computed.to_number<double>() > 100)
      throw asl::states_error("States.QueryEvaluationError",
                              asl::unexpected_type_cause(*f->tolerated_failure_percentage,
                                                         "number between 0 and 100", computed));
  } else if (s_.tolerated_failure_percentage_path) {
    pct = s_.tolerated_failure_percentage_path->find_in(effective, context_, &vars_);
    if (!pct || !pct->is_number())
      throw asl::states_error("States.Runtime",
                              fmt::format("The ToleratedFailurePercentagePath field refers to value \"{}\" which is "
                                          "not a valid float: {}",
                                          pct ? asl::to_text(*pct) : std::string("null"),
                                          s_.tolerated_failure_percentage_path->text()));
  }
  if (pct) tolerated_percentage_ = pct->to_number<double>();
  if (tolerated_percentage_) note("toleratedFailurePercentage", *tolerated_percentage_);
}

void state_tester::map() {
  json::value effective = jsonata_ ? input_ : select_input();
  auto items = map_items(effective);
  auto& list = items.as_array();
  map_iterations_ = list.size();

  // ItemSelector: each iteration's input, with `$$.Map.Item` (Index, Value).
  auto const* jsonata_selector = jsonata_ && s_.jsonata->item_selector ? &*s_.jsonata->item_selector : nullptr;
  if (s_.parameters || jsonata_selector) {
    json::array selected;
    selected.reserve(list.size());
    for (std::size_t i = 0; i < list.size(); ++i) {
      json::value context = context_;
      if (auto* c = context.if_object())
        (*c)["Map"] = json::object{{"Item", json::object{{"Index", i}, {"Value", list[i]}}}};
      std::swap(context, context_);
      try {
        selected.push_back(jsonata_selector ? evaluate(*jsonata_selector)
                                            : s_.parameters->evaluate({effective, context_, &random_, &vars_}));
      } catch (...) {
        std::swap(context, context_);
        throw;
      }
      std::swap(context, context_);
    }
    list = std::move(selected);
    note("afterItemSelector", list);
  }

  // ItemBatcher: {"Items": [...], "BatchInput": ...}, MaxItemsPerBatch items each.
  if (s_.map_run && s_.map_run->batcher) {
    auto const& b = *s_.map_run->batcher;
    auto per_batch = count_of(b.max_items_per_batch, effective, "MaxItemsPerBatchPath");
    std::optional<json::value> batch_input;
    if (b.batch_input) batch_input = b.batch_input->evaluate({effective, context_, &random_, &vars_});
    if (b.batch_input_jsonata) batch_input = evaluate(*b.batch_input_jsonata);
    std::size_t size = per_batch && *per_batch > 0 ? static_cast<std::size_t>(*per_batch) : list.size();
    json::array batches;
    for (std::size_t at = 0; at < list.size(); at += size) {
      json::array part(list.begin() + at, list.begin() + std::min(list.size(), at + size));
      json::object batch{{"Items", std::move(part)}};
      if (batch_input) batch["BatchInput"] = *batch_input;
      batches.push_back(std::move(batch));
    }
    note("afterItemBatcher", batches);
  }

  map_limits(effective);
  auto result = mocked();
  if (auto failures = o_.map_iteration_failure_count) {
    bool over_count = tolerated_count_ && *failures > *tolerated_count_;
    bool over_pct = tolerated_percentage_ && map_iterations_ > 0 &&
                    100.0 * double(*failures) / double(map_iterations_) > *tolerated_percentage_;
    if (over_count || over_pct)
      throw asl::states_error("States.ExceedToleratedFailureThreshold",
                              "The specified tolerated failure threshold was exceeded");
  }
  if (jsonata_) return finish_jsonata(std::move(result));
  if (s_.result_selector) result = s_.result_selector->evaluate({result, context_, &random_, &vars_});
  note("afterResultSelector", result);
  finish_jsonpath(std::move(result));
}

void state_tester::parallel() {
  // The branches' input is computed (a failure there fails the state) but,
  // as AWS's TestState does, not shown.
  if (jsonata_) {
    if (s_.jsonata->arguments) evaluate(*s_.jsonata->arguments);
  } else {
    auto effective = data_flow::select(s_.input_path, input_, true, context_, &vars_);
    if (s_.parameters) s_.parameters->evaluate({effective, context_, &random_, &vars_});
  }
  auto result = mocked();
  if (jsonata_) return finish_jsonata(std::move(result));
  if (s_.result_selector) result = s_.result_selector->evaluate({result, context_, &random_, &vars_});
  note("afterResultSelector", result);
  finish_jsonpath(std::move(result));
}

}  // namespace stepsim::testing
