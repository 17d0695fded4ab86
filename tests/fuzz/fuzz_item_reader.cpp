// libFuzzer target: the CSV and JSON Lines item readers of a distributed Map.
// The first byte picks the reader and its options (delimiter, GIVEN headers,
// MaxItems); the rest is the object's text. Checks: a failure always says
// why; CSV items are objects whose values are all strings, one member per
// column; no reader returns more than MaxItems items.
#include <stepsim/engine/item_reader.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  if (size == 0) return 0;
  std::uint8_t const mode = data[0];
  std::string_view text(reinterpret_cast<char const*>(data + 1), size - 1);
  std::size_t const max_items = (mode >> 5) & 3;  // 0 = all
  stepsim::engine::read_items r;
  std::size_t columns = 0;
  if (mode & 1) {
    r = stepsim::engine::read_json_lines(text, max_items);
  } else {
    static constexpr char delimiters[] = {',', '|', ';', ' ', '\t'};
    stepsim::engine::csv_format f;
    f.delimiter = delimiters[((mode >> 1) & 7) % 5];
    if (mode & 16) f.headers = {"a", "b", "c"};
    columns = f.headers.size();
    r = stepsim::engine::read_csv(text, f, max_items);
    for (auto const& item : r.items) {
      auto const* o = item.if_object();
      if (!o) __builtin_trap();
      if (columns && o->size() != columns) __builtin_trap();
      for (auto const& kv : *o)
        if (!kv.value().is_string()) __builtin_trap();
    }
  }
  if (!r.ok() && r.error.empty()) __builtin_trap();
  if (max_items && r.items.size() > max_items) __builtin_trap();
  return 0;
}
