// stepsim::sim::uuid_text and random_uuid: UUIDs as text, from 128 given bits or from a random stream.
#pragma once

#include <stepsim/sim/rng.hpp>

#include <cstdint>
#include <string>

namespace stepsim::sim {

/// The 128 bits `high` then `low` as a UUID's text: 32 lower-case hexadecimal
/// digits, most significant first, grouped 8-4-4-4-12 with '-'. The bits are
/// written as given (no version or variant is set).
std::string uuid_text(std::uint64_t high, std::uint64_t low);

/// A random (version 4, RFC 4122 variant) UUID from the next two numbers of
/// `r`: the first gives the high 64 bits, the second the low 64 bits.
std::string random_uuid(random_stream& r);

}  // namespace stepsim::sim
