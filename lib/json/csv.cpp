#include <stepsim/json/csv.hpp>
#include <stepsim/json/parse.hpp>

#include <boost/json/serialize.hpp>
#include <boost/json/string_view.hpp>
#include <fmt/format.h>

namespace stepsim::json {

namespace {

bool blank(char c) noexcept { return c == ' ' || c == '\t'; }

void trim(std::string& s) {
  while (!s.empty() && blank(s.back())) s.pop_back();
  std::size_t first = 0;
  while (first < s.size() && blank(s[first])) ++first;
  s.erase(0, first);
}

/// One character of the text, as an error message shows it.
std::string shown(char c) {
  auto u = static_cast<unsigned char>(c);
  if (u >= 0x80) return fmt::format("byte 0x{:02X}", u);
  return boost::json::serialize(boost::json::string_view(&c, 1));
}

}  // namespace

csv_reader::csv_reader(std::string_view text, csv_options options) : text_(skip_bom(text)), options_(options) {}

bool csv_reader::at_line_end() const noexcept {
  if (pos_ >= text_.size()) return true;
  char c = text_[pos_];
  return c == '\n' || (c == '\r' && (pos_ + 1 == text_.size() || text_[pos_ + 1] == '\n'));
}

void csv_reader::skip_line_end() noexcept {
  if (pos_ >= text_.size()) return;
  pos_ += text_[pos_] == '\r' && pos_ + 1 < text_.size() ? 2 : 1;
  ++line_;
}

// At the opening quote: reads up to the closing quote and checks what follows it.
bool csv_reader::quoted_field(std::string& field) {
  std::size_t opened = line_;
  ++pos_;
  for (;;) {
    if (pos_ >= text_.size()) {
      error_ = fmt::format("line {}: the quoted field opened on this line is not closed", opened);
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
  if (options_.trim_blanks)
    while (pos_ < text_.size() && blank(text_[pos_])) ++pos_;
  if (at_line_end() || text_[pos_] == options_.delimiter) return true;
  error_ = fmt::format("line {}: {} after the closing quote of a field; a quote inside a quoted field is written twice",
                       line_, shown(text_[pos_]));
  return false;
}

bool csv_reader::next(std::vector<std::string>& fields) {
  for (;;) {
    fields.clear();
    if (pos_ >= text_.size() || !error_.empty()) return false;
    record_line_ = line_;
    bool any_quoted = false;
    for (;;) {
      std::string field;
      std::size_t start = pos_;
      if (options_.trim_blanks)
        while (pos_ < text_.size() && blank(text_[pos_])) ++pos_;
      if (pos_ < text_.size() && text_[pos_] == '"') {
        any_quoted = true;
        if (!quoted_field(field)) return false;
      } else {
        pos_ = start;
        while (!at_line_end() && text_[pos_] != options_.delimiter) field += text_[pos_++];
        if (options_.trim_blanks) trim(field);
      }
      fields.push_back(std::move(field));
      if (at_line_end()) break;
      ++pos_;  // the delimiter
    }
    skip_line_end();
    if (fields.size() == 1 && fields[0].empty() && !any_quoted) continue;  // an empty line
    return true;
  }
}

}  // namespace stepsim::json
