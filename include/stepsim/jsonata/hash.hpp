// stepsim::jsonata::hash: message digests as lowercase hexadecimal text, the core of
// Step Functions' JSONata $hash and of ASL's States.Hash. Linear in the length of the data.
#pragma once

#include <string>
#include <string_view>

namespace stepsim::jsonata::hash {

std::string md5_hex(std::string_view data);
std::string sha1_hex(std::string_view data);
std::string sha256_hex(std::string_view data);
std::string sha384_hex(std::string_view data);
std::string sha512_hex(std::string_view data);

using digest_fn = std::string (*)(std::string_view);
/// The digest named as AWS names it ("MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512"); null otherwise.
digest_fn digest_for(std::string_view algorithm) noexcept;

}  // namespace stepsim::jsonata::hash
