// libFuzzer target: AWS CLI output -> study::read_export, then study::analyze_periods.
#include <stepsim/study/summary.hpp>

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  std::string text(reinterpret_cast<char const*>(data), size);
  std::string error;
  auto rows = stepsim::study::read_export(text, "export.json", error);
  // Contract: rows xor an error naming the file; no execution stops before it starts.
  if (rows.has_value() == !error.empty()) __builtin_trap();
  if (!rows) return 0;
  if (rows->empty()) __builtin_trap();
  for (auto const& r : *rows)
    if (r.stop < r.start) __builtin_trap();
  auto table = stepsim::study::analyze_periods(*rows, {});
  if (table.empty()) __builtin_trap();
  return 0;
}
