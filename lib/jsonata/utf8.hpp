// UTF-8 helpers for the string functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stepsim::jsonata::detail {

std::vector<std::string_view> split_code_points(std::string_view s);
std::vector<std::uint32_t> decode_utf8(std::string_view s);
void encode_utf8(std::string& out, std::uint32_t cp);
/// JavaScript `Array.from(s).slice(...)` as `$substring` uses it.
std::string substring_cp(std::string_view s, double start, std::optional<double> length);

/// JavaScript's `toUpperCase`/`toLowerCase` (full Unicode case mapping, no
/// locale; the final sigma rule in lowercase): case_map.cpp.
std::string js_uppercase(std::string_view s);
std::string js_lowercase(std::string_view s);

}  // namespace stepsim::jsonata::detail
