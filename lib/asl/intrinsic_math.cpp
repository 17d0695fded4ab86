// States.MathAdd, MathRandom, UUID.
#include <boost/json/string.hpp>
#include <climits>
#include <cmath>
#include <stdexcept>
#include <stepsim/sim/rng.hpp>
#include <stepsim/sim/uuid.hpp>

#include "intrinsic_impl.hpp"

namespace stepsim::asl::intrinsic_detail {

namespace {

// Java's Math.round: nearest, ties toward positive infinity (-2.5 -> -2).
std::optional<std::int64_t> java_round(json::value const& v) {
  if (!v.is_double()) return to_integer(v);
  double d = v.get_double();
  double r = std::round(d);  // ties away from zero
  if (d < 0 && r - d == -0.5) r += 1;
  json::value rounded(r);
  return to_integer(rounded);
}

json::value math_add(node const& c, eval_context const& ctx) {
  auto a = evaluate_arg(c.args[0], ctx);
  auto b = evaluate_arg(c.args[1], ctx);
  auto x = java_round(a.get());
  auto y = java_round(b.get());
  std::int64_t sum = 0;
  if (!x || !y || __builtin_add_overflow(*x, *y, &sum)) fail(c.fn);
  return sum;
}

// java.util.Random, so that a seeded States.MathRandom gives what AWS gives
// for the same seed (AWS's service is written in Java).
class java_random {
 public:
  explicit java_random(std::int64_t seed) : seed_((static_cast<std::uint64_t>(seed) ^ multiplier) & mask) {}

  std::int32_t next_int(std::int32_t bound) {
    std::int32_t r = next(31);
    std::int32_t m = bound - 1;
    if ((bound & m) == 0) return static_cast<std::int32_t>((static_cast<std::int64_t>(bound) * r) >> 31);
    for (std::int32_t u = r;
         static_cast<std::int32_t>(static_cast<std::uint32_t>(u) - static_cast<std::uint32_t>(r = u % bound) +
                                   static_cast<std::uint32_t>(m)) < 0;
         u = next(31)) {
    }
    return r;
  }

 private:
  static constexpr std::uint64_t multiplier = 0x5DEECE66DULL;
  static constexpr std::uint64_t mask = (1ULL << 48) - 1;
  std::int32_t next(int bits) {
    seed_ = (seed_ * multiplier + 0xBULL) & mask;
    return static_cast<std::int32_t>(static_cast<std::int64_t>(seed_) >> (48 - bits));
  }
  std::uint64_t seed_;
};

sim::random_stream& stream_of(eval_context const& ctx, function f) {
  if (!ctx.random) throw std::logic_error(std::string(name_of(f)) + " needs eval_context::random");
  return *ctx.random;
}

json::value math_random(node const& c, eval_context const& ctx) {
  // AWS truncates fractional bounds: (1.6, 5.4) draws from [1, 5).
  auto start = to_integer(evaluate_arg(c.args[0], ctx).get());
  auto end = to_integer(evaluate_arg(c.args[1], ctx).get());
  if (!start || !end || *start >= *end || *start < INT32_MIN || *end > INT32_MAX || *end - *start > INT32_MAX)
    fail(c.fn);
  if (c.args.size() == 3) {
    auto seed = to_integer(evaluate_arg(c.args[2], ctx).get());
    if (!seed) fail(c.fn);
    return *start + java_random(*seed).next_int(static_cast<std::int32_t>(*end - *start));
  }
  return stream_of(ctx, c.fn).uniform_int(*start, *end - 1);
}

json::value uuid(node const& c, eval_context const& ctx) {
  auto& random = stream_of(ctx, c.fn);
  auto out = sim::random_uuid(random);
  return json::string(out);
}

}  // namespace

json::value call_math_family(node const& c, eval_context const& ctx) {
  switch (c.fn) {
    case function::math_add:
      return math_add(c, ctx);
    case function::math_random:
      return math_random(c, ctx);
    default:
      return uuid(c, ctx);
  }
}

}  // namespace stepsim::asl::intrinsic_detail
