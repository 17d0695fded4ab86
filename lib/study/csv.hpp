// Private to study: CSV records as RFC 4180 writes them, and echoing what was read.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stepsim::study::detail {

/// Reads CSV text record by record (RFC 4180): fields separated by commas,
/// records by CRLF or LF; a field in double quotes may hold commas, line
/// breaks and doubled quotes (`"a ""b"""` is `a "b"`). Spaces around an
/// unquoted field are dropped. A leading UTF-8 byte order mark is skipped.
class csv_reader {
 public:
  explicit csv_reader(std::string_view text);

  /// The next record's fields, or nullopt at the end or on an error (then
  /// `error()` is set, naming the line). Blank lines are skipped.
  std::optional<std::vector<std::string>> next();

  /// The line the last record returned starts on (1-based).
  std::size_t line() const noexcept { return record_line_; }
  std::string const& error() const noexcept { return error_; }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1, record_line_ = 0;
  std::string error_;
};

/// `text` as a JSON string literal, control characters and NUL escaped
/// (`"a\u0000b"`), cut after 80 bytes: how error messages echo user text.
std::string echo(std::string_view text);

}  // namespace stepsim::study::detail
