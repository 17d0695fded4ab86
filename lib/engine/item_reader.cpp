#include <stepsim/engine/item_reader.hpp>

#include <boost/json/parse.hpp>
#include <fmt/format.h>

#include <unordered_set>

namespace stepsim::engine {

namespace json = boost::json;

namespace {

constexpr std::string_view bom = "\xEF\xBB\xBF";

std::string_view skip_bom(std::string_view text) {
  if (text.starts_with(bom)) text.remove_prefix(bom.size());
  return text;
}

/// One record of CSV text at a time.
class csv_records {
 public:
  csv_records(std::string_view text, char delimiter) : text_(skip_bom(text)), delimiter_(delimiter) {}

  /// Reads the next record into `fields`; false at the end or on an error.
  bool next(std::vector<std::string>& fields) {
    fields.clear();
    // Empty lines hold no record.
    while (pos_ < text_.size() && (text_[pos_] == '\n' || (text_[pos_] == '\r' && peek(1) == '\n'))) {
      pos_ += text_[pos_] == '\r' ? 2 : 1;
      ++line_;
    }
    if (pos_ >= text_.size()) return false;
    record_line_ = line_;
    std::string field;
    for (;;) {
      field.clear();
      if (pos_ < text_.size() && text_[pos_] == '"') {
        if (!quoted(field)) return false;
      } else {
        while (pos_ < text_.size() && text_[pos_] != delimiter_ && text_[pos_] != '\n' &&
               !(text_[pos_] == '\r' && peek(1) == '\n'))
          field += text_[pos_++];
      }
      fields.push_back(std::move(field));
      if (pos_ >= text_.size()) return true;
      if (text_[pos_] == delimiter_) {
        ++pos_;
        continue;
      }
      pos_ += text_[pos_] == '\r' ? 2 : 1;  // end of the record
      ++line_;
      return true;
    }
  }

  std::string const& error() const noexcept { return error_; }
  std::size_t line() const noexcept { return record_line_; }

 private:
  char peek(std::size_t ahead) const noexcept {
    return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0';
  }

  bool quoted(std::string& field) {
    std::size_t opened = line_;
    ++pos_;
    for (;;) {
      if (pos_ >= text_.size()) {
        error_ = fmt::format("CSV line {}: a quoted field is never closed", opened);
        return false;
      }
      char c = text_[pos_++];
      if (c == '"') {
        if (pos_ < text_.size() && text_[pos_] == '"') {
          field += '"';
          ++pos_;
          continue;
        }
        break;
      }
      if (c == '\n') ++line_;
      field += c;
    }
    bool at_end = pos_ >= text_.size() || text_[pos_] == delimiter_ || text_[pos_] == '\n' ||
                  (text_[pos_] == '\r' && peek(1) == '\n');
    if (!at_end) error_ = fmt::format("CSV line {}: text after the closing quote of a field", line_);
    return at_end;
  }

  std::string_view text_;
  char delimiter_;
  std::size_t pos_ = 0, line_ = 1, record_line_ = 0;
  std::string error_;
};

bool full(read_items const& r, std::size_t max_items) { return max_items != 0 && r.items.size() >= max_items; }

}  // namespace

read_items read_csv(std::string_view text, csv_format const& format, std::size_t max_items) {
  read_items out;
  csv_records records(text, format.delimiter);
  std::vector<std::string> fields;
  std::vector<std::string> headers = format.headers;
  if (headers.empty()) {
    if (!records.next(fields)) {
      out.error = records.error();
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
  if (!records.error().empty()) out.error = records.error();
  return out;
}

read_items read_json_lines(std::string_view text, std::size_t max_items) {
  read_items out;
  text = skip_bom(text);
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
  auto v = json::parse(skip_bom(text), ec);
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
