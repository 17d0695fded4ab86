#include <stepsim/engine/item_reader.hpp>

#include <stepsim/json/csv.hpp>
#include <stepsim/json/parse.hpp>

#include <boost/json/parse.hpp>
#include <fmt/format.h>

#include <unordered_set>

namespace stepsim::engine {

namespace json = boost::json;

namespace {

bool full(read_items const& r, std::size_t max_items) { return max_items != 0 && r.items.size() >= max_items; }

}  // namespace

read_items read_csv(std::string_view text, csv_format const& format, std::size_t max_items) {
  read_items out;
  stepsim::json::csv_reader records(text, {.delimiter = format.delimiter});
  std::vector<std::string> fields;
  std::vector<std::string> headers = format.headers;
  if (headers.empty()) {
    if (!records.next(fields)) {
      if (!records.error().empty()) out.error = "CSV " + records.error();
      return out;  // no header row: no items
    }
    headers = std::move(fields);
  }
  std::unordered_set<std::string_view> seen;
  for (auto const& h : headers)
    if (!seen.insert(h).second) {
      out.error = "CSV headers cannot contain duplicates.";
      return out;
    }
  std::vector<json::string_view> keys(headers.begin(), headers.end());
  while (!full(out, max_items) && records.next(fields)) {
    json::object item(out.items.storage());
    item.reserve(keys.size());
    for (std::size_t i = 0; i < keys.size(); ++i)
      item.emplace(keys[i], i < fields.size() ? json::string_view(fields[i]) : json::string_view());
    out.items.emplace_back(std::move(item));
  }
  if (!records.error().empty()) out.error = "CSV " + records.error();
  return out;
}

read_items read_json_lines(std::string_view text, std::size_t max_items) {
  read_items out;
  text = stepsim::json::skip_bom(text);
  std::size_t line = 0;
  while (!text.empty() && !full(out, max_items)) {
    ++line;
    auto end = text.find('\n');
    auto row = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    if (row.ends_with('\r')) row.remove_suffix(1);
    if (row.find_first_not_of(" \t") == std::string_view::npos) continue;
    boost::system::error_code ec;
    auto v = json::parse(row, ec);
    if (ec) {
      out.error = fmt::format("JSON Lines line {} is not JSON: {}", line, ec.message());
      return out;
    }
    out.items.push_back(std::move(v));
  }
  return out;
}

read_items read_json_array(std::string_view text, std::size_t max_items) {
  read_items out;
  boost::system::error_code ec;
  auto v = json::parse(stepsim::json::skip_bom(text), ec);
  if (ec) {
    out.error = fmt::format("The object is not JSON: {}", ec.message());
    return out;
  }
  auto* a = v.if_array();
  if (!a) {
    out.error = "Attempting to map over non-iterable node.";
    return out;
  }
  if (max_items != 0 && a->size() > max_items) a->resize(max_items);
  out.items = std::move(*a);
  return out;
}

}  // namespace stepsim::engine
