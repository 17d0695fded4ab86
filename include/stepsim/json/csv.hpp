// stepsim::json::csv_reader: CSV text (RFC 4180) read record by record, for
// every reader of CSV (study traces, a distributed Map's ItemReader).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace stepsim::json {

/// How a CSV text is read.
struct csv_options {
  char delimiter = ',';  ///< between fields (any character but '"', CR and LF)
  /// Drop spaces and tabs around an unquoted field and between a closing
  /// quote and the delimiter; a line of only blanks is then empty. Off, every
  /// character outside quotes is part of its field.
  bool trim_blanks = false;
};

/// Reads CSV text one record at a time (RFC 4180): fields separated by the
/// delimiter, records ended by LF, CRLF, or a CR that ends the text; a field
/// that starts with a double quote (after blanks, when they are trimmed) is
/// quoted, and may hold delimiters, line breaks and doubled quotes
/// (`"a ""b"""` is `a "b"`); a quote inside an unquoted field is an
/// ordinary character. A leading UTF-8 byte order mark is skipped; empty
/// lines hold no record. Linear in the length of the text.
///
/// Errors (then `next` returns false and `error()` says what, naming the
/// line): a quoted field never closed ("line 3: the quoted field opened on
/// this line is not closed"), and anything but the delimiter or the end of
/// the line after a closing quote ("line 2: \"x\" after the closing quote of
/// a field; a quote inside a quoted field is written twice").
class csv_reader {
 public:
  explicit csv_reader(std::string_view text, csv_options options = {});

  /// Reads the next record into `fields` (cleared first); false at the end
  /// of the text or on an error.
  bool next(std::vector<std::string>& fields);

  /// The line the last record read starts on (1-based).
  std::size_t line() const noexcept { return record_line_; }
  /// Empty unless `next` stopped at an error.
  std::string const& error() const noexcept { return error_; }

 private:
  bool at_line_end() const noexcept;
  void skip_line_end() noexcept;
  bool quoted_field(std::string& field);

  std::string_view text_;
  csv_options options_;
  std::size_t pos_ = 0, line_ = 1, record_line_ = 0;
  std::string error_;
};

}  // namespace stepsim::json
