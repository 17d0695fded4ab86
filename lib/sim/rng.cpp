#include <stepsim/sim/rng.hpp>

#include <cmath>

namespace stepsim::sim {

namespace {

// splitmix64 (Steele, Lea, Flood): the seeding generator recommended for xoshiro.
std::uint64_t splitmix64(std::uint64_t& state) noexcept {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

constexpr std::uint64_t rotl(std::uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }

}  // namespace

std::uint64_t fnv1a64(std::string_view s, std::uint64_t h) noexcept {
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

random_stream::random_stream(std::uint64_t seed) noexcept {
  // splitmix64 outputs are distinct for consecutive states, so the xoshiro
  // state can never be all zero.
  std::uint64_t sm = seed;
  for (auto& word : s_) word = splitmix64(sm);
}

// xoshiro256** 1.0 (Blackman, Vigna).
std::uint64_t random_stream::next_u64() noexcept {
  const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
  const std::uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

double random_stream::uniform01() noexcept {
  return static_cast<double>(next_u64() >> 11) * 0x1.0p-53;
}

double random_stream::uniform(double a, double b) noexcept { return a + (b - a) * uniform01(); }

std::int64_t random_stream::uniform_int(std::int64_t lo, std::int64_t hi) noexcept {
  const std::uint64_t range = static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo) + 1;
  if (range == 0) return static_cast<std::int64_t>(next_u64());  // the full 64-bit range
  // Reject the lowest (2^64 mod range) values so every residue is equally likely;
  // portable (no 128-bit multiply), and at most half the draws are rejected.
  const std::uint64_t threshold = (0 - range) % range;
  std::uint64_t x = next_u64();
  while (x < threshold) x = next_u64();
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(lo) + x % range);
}

double random_stream::exponential(double mean) noexcept {
  // u in [0, 1) keeps log1p(-u) finite.
  return -mean * std::log1p(-uniform01());
}

double random_stream::normal(double mu, double sigma) noexcept {
  // Marsaglia's polar method, keeping one of the two variates it makes: no
  // cached value, so a stream's output depends only on the calls made on it.
  // Uses only log and sqrt (no sin/cos), the libm calls most alike across platforms.
  double u = 0, v = 0, s = 0;
  do {
    u = 2.0 * uniform01() - 1.0;
    v = 2.0 * uniform01() - 1.0;
    s = u * u + v * v;
  } while (s >= 1.0 || s == 0.0);
  return mu + sigma * u * std::sqrt(-2.0 * std::log(s) / s);
}

double random_stream::lognormal(double mu, double sigma) noexcept { return std::exp(normal(mu, sigma)); }

bool random_stream::bernoulli(double p) noexcept { return uniform01() < p; }

random_stream rng::stream(std::string_view name) const noexcept {
  // Mix the seed first so that seeds differing in one bit give unrelated streams.
  std::uint64_t sm = seed_;
  return random_stream{splitmix64(sm) ^ fnv1a64(name)};
}

}  // namespace stepsim::sim
