// stepsim::engine item readers: the items of a distributed Map read from the
// text of an S3 object, as Step Functions' ItemReader reads them.
#pragma once

#include <boost/json/array.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace stepsim::engine {

/// What a reader gives: the items, or `error` (non-empty) with the cause
/// Step Functions reports as `States.ItemReaderFailed`.
struct read_items {
  boost::json::array items;
  std::string error;
  bool ok() const noexcept { return error.empty(); }
};

/// How a CSV object is read.
struct csv_format {
  char delimiter = ',';              ///< CSVDelimiter: ',', '|', ';', ' ' or '\t'
  std::vector<std::string> headers;  ///< CSVHeaderLocation GIVEN: the column names; empty = FIRST_ROW
};

/// CSV as RFC 4180 writes it, with `format.delimiter` between fields: records
/// end at LF or CRLF; a field in double quotes may hold delimiters, line
/// breaks and doubled quotes (`"a ""b"""` is `a "b"`); a leading UTF-8 byte
/// order mark is skipped; blanks are kept. Each record becomes an object
/// from column name to field, every value a string. The column names are the
/// first record (FIRST_ROW) or `format.headers` (GIVEN); a record with more
/// fields than names drops the extra ones, one with fewer gives "" for the
/// missing ones; empty lines are skipped. At most `max_items` records are
/// read (0 = all). Errors: duplicate column names ("CSV headers cannot
/// contain duplicates."), a quote left open or text after a closing quote
/// (the line is named). Linear in the length of the text.
read_items read_csv(std::string_view text, csv_format const& format, std::size_t max_items = 0);

/// JSON Lines: one JSON value a line (LF or CRLF); empty lines are skipped.
/// At most `max_items` values (0 = all). Errors name the line that is not JSON.
read_items read_json_lines(std::string_view text, std::size_t max_items = 0);

/// A JSON array; its first `max_items` elements (0 = all). Text that is not
/// JSON, or JSON that is not an array ("Attempting to map over non-iterable
/// node."), is an error.
read_items read_json_array(std::string_view text, std::size_t max_items = 0);

}  // namespace stepsim::engine
