#include <stepsim/tasks/registry.hpp>

#include <algorithm>

namespace stepsim::tasks {

namespace {

void insert(auto& exact, auto& patterns, std::string pattern, registry::entry e) {
  if (pattern.find('*') == std::string::npos) {
    exact.insert_or_assign(std::move(pattern), std::move(e));
    return;
  }
  auto it = std::find_if(patterns.begin(), patterns.end(), [&](auto const& p) { return p.first == pattern; });
  if (it != patterns.end())
    it->second = std::move(e);
  else
    patterns.emplace_back(std::move(pattern), std::move(e));
}

}  // namespace

registry& registry::add(std::string pattern, handler h) {
  ++generation_;
  insert(exact_, patterns_, std::move(pattern), entry{std::move(h), {}});
  return *this;
}

registry& registry::add_async(std::string pattern, async_handler h) {
  return add_async(std::move(pattern), std::move(h), context_use::reads);
}

registry& registry::add_async(std::string pattern, async_handler h, context_use context) {
  ++generation_;
  insert(exact_, patterns_, std::move(pattern), entry{{}, std::move(h), {}, context == context_use::reads});
  return *this;
}

registry& registry::add_consuming(std::string pattern, consuming_handler h) {
  ++generation_;
  insert(exact_, patterns_, std::move(pattern), entry{{}, {}, std::move(h)});
  return *this;
}

bool registry::remove(std::string_view pattern) {
  if (auto it = exact_.find(pattern); it != exact_.end()) {
    exact_.erase(it);
    ++generation_;
    return true;
  }
  auto it = std::find_if(patterns_.begin(), patterns_.end(), [&](auto const& p) { return p.first == pattern; });
  if (it == patterns_.end()) return false;
  patterns_.erase(it);
  ++generation_;
  return true;
}

registry::entry const* registry::find(std::string_view resource) const {
  if (!exact_.empty())  // (skips hashing `resource` when only patterns are registered)
    if (auto it = exact_.find(resource); it != exact_.end()) return &it->second;
  for (auto const& [pattern, e] : patterns_)
    if (matches(pattern, resource)) return &e;
  return nullptr;
}

bool registry::matches(std::string_view pattern, std::string_view text) noexcept {
  if (pattern == "*") return true;  // the catch-all, common in tests and benchmarks
  // The literal pieces between the '*'s: the first begins the text, the last
  // ends it, and each one between is taken where it first occurs after the
  // one before (the leftmost match never loses a match a later one finds).
  // Linear, and a piece is found with one search instead of a character loop
  // (this runs for every Task state a study's executions enter).
  auto star = pattern.find('*');
  if (star == std::string_view::npos) return pattern == text;
  auto head = pattern.substr(0, star);
  if (!text.starts_with(head)) return false;
  text.remove_prefix(head.size());
  pattern.remove_prefix(star + 1);
  auto last = pattern.rfind('*');
  auto tail = last == std::string_view::npos ? pattern : pattern.substr(last + 1);
  if (!text.ends_with(tail)) return false;
  text.remove_suffix(tail.size());
  auto middle = last == std::string_view::npos ? std::string_view() : pattern.substr(0, last);
  while (!middle.empty()) {
    auto next = middle.find('*');
    auto piece = middle.substr(0, next);
    if (!piece.empty()) {
      auto at = text.find(piece);
      if (at == std::string_view::npos) return false;
      text.remove_prefix(at + piece.size());
    }
    if (next == std::string_view::npos) break;
    middle.remove_prefix(next + 1);
  }
  return true;
}

}  // namespace stepsim::tasks
