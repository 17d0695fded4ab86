// Private to study: CSV records written as RFC 4180 has them (stepsim::json::csv_reader reads them), and
// echoing what was read.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace stepsim::study::detail {

/// Appends one CSV record to `out` (RFC 4180): fields separated by commas,
/// the record ended by CRLF. A field holding a comma, a double quote, a CR
/// or an LF, or starting or ending with a space or tab (which `csv_reader`
/// would drop), is written in double quotes with its quotes doubled; any
/// other field as it is. `json::csv_reader` with `trim_blanks` reads back
/// exactly the fields written.
/// No byte order mark is written (the files are ASCII unless a name is not).
class csv_record {
 public:
  explicit csv_record(std::string& out) : out_(out) {}
  csv_record(csv_record const&) = delete;
  csv_record& operator=(csv_record const&) = delete;
  ~csv_record() { out_ += "\r\n"; }

  /// Appends a text field, quoted when it needs it.
  csv_record& operator<<(std::string_view field);
  csv_record& operator<<(char const* field) { return *this << std::string_view(field); }
  csv_record& operator<<(std::string const& field) { return *this << std::string_view(field); }
  /// Appends a number in its shortest form that reads back exactly (never the locale's).
  csv_record& operator<<(double v);
  csv_record& operator<<(std::int64_t v);
  csv_record& operator<<(std::uint64_t v);
  csv_record& operator<<(int v) { return *this << std::int64_t(v); }
  csv_record& operator<<(bool v) { return *this << (v ? "true" : "false"); }

 private:
  void separate() {
    if (!first_) out_ += ',';
    first_ = false;
  }
  std::string& out_;
  bool first_ = true;
};

/// `text` as a JSON string literal, control characters and NUL escaped
/// (`"a\u0000b"`), cut after 80 bytes: how error messages echo user text.
std::string echo(std::string_view text);

}  // namespace stepsim::study::detail
