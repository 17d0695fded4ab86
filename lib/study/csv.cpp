#include "study/csv.hpp"

#include <stepsim/asl/json_text.hpp>

#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>
#include <fmt/format.h>

#include <iterator>

namespace stepsim::study::detail {

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
