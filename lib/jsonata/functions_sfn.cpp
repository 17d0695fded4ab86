// Step Functions' additions to JSONata: $partition, $range, $hash, $random
// with a seed, $uuid and $parse.
#include "jsonata/functions.hpp"
#include <stepsim/jsonata/hash.hpp>

#include <boost/json/parse.hpp>

#include <cmath>

namespace stepsim::jsonata::detail {

namespace {

[[noreturn]] void refuse(char const* fn, std::string why) {
  failure f("D3137");
  f.message = std::string("$") + fn + ": " + why;
  throw f;
}

// java.util.Random's nextDouble (AWS's service is written in Java): a seeded
// $random gives the same value for the same seed.
double java_next_double(std::int64_t seed) {
  constexpr std::uint64_t multiplier = 0x5DEECE66DULL;
  constexpr std::uint64_t mask = (1ULL << 48) - 1;
  std::uint64_t s = (static_cast<std::uint64_t>(seed) ^ multiplier) & mask;
  auto next = [&](int bits) {
    s = (s * multiplier + 0xBULL) & mask;
    return static_cast<std::int64_t>(s >> (48 - bits));
  };
  std::int64_t hi = next(26);
  std::int64_t lo = next(27);
  return static_cast<double>((hi << 27) + lo) * 0x1.0p-53;
}

}  // namespace

STEPSIM_JSONATA_FN(fn_partition) {
  (void)ci;
  value arr = arg(a, 0);
  double size = arg(a, 1).number();
  if (!is_integer(size) || size < 1) refuse("partition", "the chunk size must be a positive integer");
  auto items = items_of(arr);
  auto chunk = static_cast<std::size_t>(size);
  std::vector<value> out;
  for (std::size_t i = 0; i < items.size(); i += chunk) {
    std::vector<value> part(items.begin() + static_cast<std::ptrdiff_t>(i),
                            items.begin() + static_cast<std::ptrdiff_t>(std::min(items.size(), i + chunk)));
    out.push_back(array_of(std::move(part)));
  }
  return array_of(std::move(out));
}

STEPSIM_JSONATA_FN(fn_range) {
  (void)ci;
  double start = arg(a, 0).number(), end = arg(a, 1).number(), step = arg(a, 2).number();
  if (!is_integer(start) || !is_integer(end) || !is_integer(step)) refuse("range", "the arguments must be integers");
  if (step == 0) refuse("range", "the step must not be 0");
  std::vector<value> out;
  constexpr std::size_t max_items = 1000;
  for (double x = start; step > 0 ? x <= end : x >= end; x += step) {
    if (out.size() >= max_items) refuse("range", "the range has more than 1000 items");
    out.emplace_back(x);
  }
  return array_of(std::move(out));
}

STEPSIM_JSONATA_FN(fn_hash) {
  (void)ci;
  value data = arg(a, 0);
  if (data.undefined()) return {};
  value algo = arg(a, 1);
  std::string_view name = algo.is_string() ? algo.str() : std::string_view("SHA-256");
  auto digest = hash::digest_for(name);
  if (!digest) refuse("hash", "the algorithm must be one of MD5, SHA-1, SHA-256, SHA-384, SHA-512");
  return value::string(digest(data.str()));
}

STEPSIM_JSONATA_FN(fn_sfn_random) {
  value seed = arg(a, 0);
  if (seed.is_number()) {
    if (!is_integer(seed.number())) refuse("random", "the seed must be an integer");
    return value(java_next_double(static_cast<std::int64_t>(seed.number())));
  }
  return value(ci.ev.random());
}

STEPSIM_JSONATA_FN(fn_uuid) {
  (void)a;
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 36; ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      out += '-';
      continue;
    }
    auto nibble = static_cast<int>(std::floor(ci.ev.random() * 16)) & 15;
    if (i == 14) nibble = 4;
    if (i == 19) nibble = 8 | (nibble & 3);
    out += hex[nibble];
  }
  return value::string(std::move(out));
}

STEPSIM_JSONATA_FN(fn_parse) {
  (void)ci;
  value text = arg(a, 0);
  if (text.undefined()) return {};
  boost::system::error_code ec;
  json::value parsed = json::parse(text.str(), ec);
  if (ec) refuse("parse", "the argument is not valid JSON: " + ec.message());
  return from_owned_json(parsed);
}

}  // namespace stepsim::jsonata::detail
