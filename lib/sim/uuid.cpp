#include <stepsim/sim/uuid.hpp>

namespace stepsim::sim {

std::string uuid_text(std::uint64_t high, std::uint64_t low) {
  constexpr char digits[] = "0123456789abcdef";
  std::string out(36, '-');
  std::size_t pos = 35;
  auto put = [&](std::uint64_t v, int n) {
    for (int i = 0; i < n; ++i, v >>= 4) out[pos--] = digits[v & 0xf];
  };
  put(low, 12), --pos, put(low >> 48, 4), --pos;
  put(high, 4), --pos, put(high >> 16, 4), --pos, put(high >> 32, 8);
  return out;
}

std::string random_uuid(random_stream& r) {
  auto high = r.next_u64(), low = r.next_u64();
  high = (high & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;  // version 4
  low = (low & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;    // variant 10
  return uuid_text(high, low);
}

}  // namespace stepsim::sim
