// stepsim::sim::rng: seeded random streams, named per use, identical on every platform.
#pragma once

#include <cstdint>
#include <string_view>

namespace stepsim::sim {

/// FNV-1a, 64 bits, of `s` continuing from `h`: a stable hash (stream names,
/// digests of files), the same on every platform.
std::uint64_t fnv1a64(std::string_view s, std::uint64_t h = 0xcbf29ce484222325ULL) noexcept;

/// One stream of pseudo-random numbers. The generator and every distribution
/// are our own code (not <random>'s distributions, whose output differs
/// between standard libraries), so a (seed, name) pair gives the same
/// sequence on every platform. (The continuous distributions go through
/// std::log, std::log1p and std::exp, so bit-identity there also assumes
/// libm functions that round alike, as glibc's do.)
class random_stream {
 public:
  /// A stream seeded directly (normally made by `rng::stream`).
  explicit random_stream(std::uint64_t seed) noexcept;

  /// Next raw 64-bit value.
  std::uint64_t next_u64() noexcept;
  /// Uniform double in [0, 1), 53 bits of precision.
  double uniform01() noexcept;
  /// Uniform double in [a, b).
  double uniform(double a, double b) noexcept;
  /// Uniform integer in [lo, hi] (inclusive, unbiased). Precondition lo <= hi.
  std::int64_t uniform_int(std::int64_t lo, std::int64_t hi) noexcept;
  /// Exponential with the given mean (mean > 0).
  double exponential(double mean) noexcept;
  /// Normal with mean `mu` and standard deviation `sigma` (Marsaglia's polar
  /// method). Each call draws fresh uniforms and keeps one variate: no second
  /// value is cached, so the output depends only on the calls made on the stream.
  double normal(double mu, double sigma) noexcept;
  /// Lognormal: exp(normal(mu, sigma)); `mu` and `sigma` are of the underlying normal.
  double lognormal(double mu, double sigma) noexcept;
  /// True with probability p.
  bool bernoulli(double p) noexcept;

 private:
  std::uint64_t s_[4];
};

/// A family of random streams derived from one seed: `stream(name)` always
/// gives the same sequence for the same (seed, name), independent of which
/// other streams were made or in which order.
class rng {
 public:
  explicit rng(std::uint64_t seed) noexcept : seed_(seed) {}
  std::uint64_t seed() const noexcept { return seed_; }
  random_stream stream(std::string_view name) const noexcept;

 private:
  std::uint64_t seed_;
};

}  // namespace stepsim::sim
