#include "study/csv.hpp"

#include <stepsim/asl/json_text.hpp>

#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>
#include <fmt/format.h>

#include <iterator>

namespace stepsim::study::detail {

csv_reader::csv_reader(std::string_view text) : text_(asl::skip_bom(text)) {}

std::optional<std::vector<std::string>> csv_reader::next() {
  auto trim = [](std::string& s) {
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.pop_back();
    auto first = s.find_first_not_of(" \t");
    s.erase(0, first == std::string::npos ? s.size() : first);
  };
  for (;;) {
    if (pos_ >= text_.size()) return std::nullopt;
    record_line_ = line_;
    std::vector<std::string> fields;
    std::string field;
    bool quoted = false;  // the current field was quoted: nothing but spaces may follow its closing quote
    for (;;) {
      char c = pos_ < text_.size() ? text_[pos_] : '\n';
      if (pos_ >= text_.size() || c == '\n' || (c == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') ||
          (c == '\r' && pos_ + 1 == text_.size())) {
        pos_ += c == '\r' ? 2 : 1;
        ++line_;
        if (!quoted) trim(field);
        fields.push_back(std::move(field));
        break;
      }
      ++pos_;
      if (c == ',') {
        if (!quoted) trim(field);
        fields.push_back(std::move(field));
        field.clear();
        quoted = false;
      } else if (c == '"' && !quoted && field.find_first_not_of(" \t") == std::string::npos) {
        field.clear();
        quoted = true;
        std::size_t open_line = line_;
        for (;;) {
          if (pos_ >= text_.size()) {
            error_ = fmt::format("line {}: the quoted field opened on this line is not closed", open_line);
            return std::nullopt;
          }
          char q = text_[pos_++];
          if (q == '"') {
            if (pos_ < text_.size() && text_[pos_] == '"') {
              field += '"';
              ++pos_;
            } else {
              break;
            }
          } else {
            if (q == '\n') ++line_;
            field += q;
          }
        }
      } else if (quoted && c != ' ' && c != '\t') {
        error_ = fmt::format("line {}: {} after the closing quote of a field; a quote inside a quoted field is "
                             "written twice",
                             line_, echo(std::string_view(&c, 1)));
        return std::nullopt;
      } else if (!quoted) {
        field += c;
      }
    }
    if (fields.size() == 1 && fields[0].empty() && !quoted) continue;  // a blank line
    return fields;
  }
}

csv_record& csv_record::operator<<(std::string_view field) {
  separate();
  bool quote = !field.empty() && (field.front() == ' ' || field.front() == '\t' || field.back() == ' ' ||
                                  field.back() == '\t' || field.find_first_of(",\"\r\n") != std::string_view::npos);
  if (!quote) {
    out_ += field;
    return *this;
  }
  out_ += '"';
  for (char c : field) {
    if (c == '"') out_ += '"';
    out_ += c;
  }
  out_ += '"';
  return *this;
}

csv_record& csv_record::operator<<(double v) {
  separate();
  fmt::format_to(std::back_inserter(out_), "{}", v);  // shortest exact form, no locale
  return *this;
}

csv_record& csv_record::operator<<(std::int64_t v) {
  separate();
  fmt::format_to(std::back_inserter(out_), "{}", v);
  return *this;
}

csv_record& csv_record::operator<<(std::uint64_t v) {
  separate();
  fmt::format_to(std::back_inserter(out_), "{}", v);
  return *this;
}

std::string echo(std::string_view text) {
  constexpr std::size_t most = 80;
  bool cut = text.size() > most;
  auto out = boost::json::serialize(boost::json::string(text.substr(0, most)));
  if (cut) out.insert(out.size() - 1, "...");
  return out;
}

}  // namespace stepsim::study::detail
