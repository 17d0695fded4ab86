// stepsim::json::text_memo: remembered answers for a few short texts.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

namespace stepsim::json {

/// A small direct-mapped memo from texts (resource ARNs, function names) to
/// values, for lookups that repeat the same few keys at a high rate: a Task's
/// Resource each time the state is entered, a Lambda function per call. A
/// slot is picked from the text's length and last characters (where ARNs and
/// names differ) and holds a copy of its text, so an answer is reused only
/// for the same text; a new text in an occupied slot replaces the old one.
/// Not thread-safe; clear it when the answers may have changed.
template <typename T, std::size_t N = 16>
class text_memo {
 public:
  /// The value remembered for `text`, or null.
  T const* find(std::string_view text) const noexcept {
    auto const& s = slots_[slot_of(text)];
    return s.used && s.text == text ? &s.value : nullptr;
  }
  /// Remembers `value` for `text` (in place of what its slot held).
  T const& put(std::string_view text, T value) {
    auto& s = slots_[slot_of(text)];
    s.used = true;
    s.text.assign(text);
    s.value = std::move(value);
    return s.value;
  }
  void clear() noexcept {
    for (auto& s : slots_) s.used = false;
  }

 private:
  static std::size_t slot_of(std::string_view text) noexcept {
    std::size_t key = text.size();
    for (std::size_t i = text.size() > 4 ? text.size() - 4 : 0; i < text.size(); ++i)
      key = key * 31 + static_cast<unsigned char>(text[i]);
    return key % N;
  }
  struct slot {
    bool used = false;
    std::string text;
    T value{};
  };
  std::array<slot, N> slots_{};
};

}  // namespace stepsim::json
