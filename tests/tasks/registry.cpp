#include <stepsim/tasks/registry.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <string>

using stepsim::tasks::registry;
namespace json = boost::json;

namespace {

// A plain handler that answers `tag`, so a test can tell which entry was found.
stepsim::tasks::handler answering(std::string tag) {
  return [tag](json::value const&) { return json::value(tag); };
}

// What the handler found for `resource` answers, or "<none>".
std::string who_handles(registry const& r, std::string_view resource) {
  auto const* e = r.find(resource);
  if (!e) return "<none>";
  REQUIRE(e->sync);
  return std::string(e->sync(json::value{}).as_string());
}

constexpr std::string_view charge = "arn:aws:lambda:us-east-1:123456789012:function:Charge";

}  // namespace

TEST_CASE("An exact resource finds its handler and nothing else", "[tasks][registry]") {
  registry r;
  r.add(std::string(charge), answering("charge"));
  CHECK(who_handles(r, charge) == "charge");
  CHECK(who_handles(r, "arn:aws:lambda:us-east-1:123456789012:function:ChargeX") == "<none>");
  CHECK(who_handles(r, "arn:aws:lambda:us-east-1:123456789012:function:Charg") == "<none>");
  CHECK(who_handles(r, "") == "<none>");
}

TEST_CASE("An empty registry finds nothing", "[tasks][registry]") {
  registry r;
  CHECK(r.find(charge) == nullptr);
}

TEST_CASE("A wildcard pattern finds every resource it matches", "[tasks][registry]") {
  registry r;
  r.add("arn:aws:lambda:*:*:function:Charge*", answering("charge-any"));
  CHECK(who_handles(r, charge) == "charge-any");
  CHECK(who_handles(r, "arn:aws:lambda:eu-west-1:999:function:ChargeV2") == "charge-any");
  CHECK(who_handles(r, "arn:aws:lambda:eu-west-1:999:function:Refund") == "<none>");
}

TEST_CASE("Among wildcard patterns the first registered wins", "[tasks][registry]") {
  registry r;
  r.add("arn:aws:lambda:*", answering("first"));
  r.add("arn:aws:lambda:*:function:Charge", answering("second"));
  CHECK(who_handles(r, charge) == "first");

  registry reversed;
  reversed.add("arn:aws:lambda:*:function:Charge", answering("second"));
  reversed.add("arn:aws:lambda:*", answering("first"));
  CHECK(who_handles(reversed, charge) == "second");
  CHECK(who_handles(reversed, "arn:aws:lambda:x:function:Other") == "first");
}

TEST_CASE("An exact match beats a pattern registered before it", "[tasks][registry]") {
  registry r;
  r.add("*", answering("catch-all"));
  r.add(std::string(charge), answering("exact"));
  CHECK(who_handles(r, charge) == "exact");
  CHECK(who_handles(r, "arn:aws:states:::sqs:sendMessage") == "catch-all");
}

TEST_CASE("Adding the same exact resource again replaces its handler", "[tasks][registry]") {
  registry r;
  r.add(std::string(charge), answering("old"));
  r.add(std::string(charge), answering("new"));
  CHECK(who_handles(r, charge) == "new");
  CHECK(r.remove(charge));
  CHECK(who_handles(r, charge) == "<none>");
}

TEST_CASE("Adding the same pattern again replaces it in its original place", "[tasks][registry]") {
  registry r;
  r.add("arn:*", answering("a-old"));
  r.add("arn:aws:*", answering("b"));
  r.add("arn:*", answering("a-new"));
  CHECK(who_handles(r, charge) == "a-new");
  CHECK(r.remove("arn:*"));
  CHECK(who_handles(r, charge) == "b");
}

TEST_CASE("add_async replaces a plain handler under the same pattern", "[tasks][registry]") {
  registry r;
  r.add("arn:*", answering("plain"));
  r.add_async("arn:*", [](stepsim::tasks::invocation const&) -> boost::asio::awaitable<json::value> {
    co_return json::value(1);
  });
  auto const* e = r.find(charge);
  REQUIRE(e);
  CHECK_FALSE(e->sync);
  CHECK(e->async);
}

TEST_CASE("remove takes out exactly the pattern given and reports whether it was there", "[tasks][registry]") {
  registry r;
  r.add(std::string(charge), answering("exact"));
  r.add("arn:aws:lambda:*", answering("pattern"));
  CHECK_FALSE(r.remove("arn:aws:lambda:us-east-1:*"));
  CHECK_FALSE(r.remove("nothing"));
  CHECK(r.remove(charge));
  CHECK(who_handles(r, charge) == "pattern");
  CHECK_FALSE(r.remove(charge));
  CHECK(r.remove("arn:aws:lambda:*"));
  CHECK(who_handles(r, charge) == "<none>");
  CHECK_FALSE(r.remove("arn:aws:lambda:*"));
}

TEST_CASE("add returns the registry so calls chain", "[tasks][registry]") {
  registry r;
  r.add("a", answering("A")).add("b*", answering("B"));
  CHECK(who_handles(r, "a") == "A");
  CHECK(who_handles(r, "bee") == "B");
}

TEST_CASE("matches: a lone * matches any text, including empty", "[tasks][registry]") {
  CHECK(registry::matches("*", ""));
  CHECK(registry::matches("*", "anything at all"));
  CHECK(registry::matches("**", "x"));
}

TEST_CASE("matches: an empty pattern matches only empty text", "[tasks][registry]") {
  CHECK(registry::matches("", ""));
  CHECK_FALSE(registry::matches("", "a"));
  CHECK_FALSE(registry::matches("a", ""));
  CHECK_FALSE(registry::matches("a*", ""));
}

TEST_CASE("matches: a pattern without * must equal the text", "[tasks][registry]") {
  CHECK(registry::matches("abc", "abc"));
  CHECK_FALSE(registry::matches("abc", "abcd"));
  CHECK_FALSE(registry::matches("abc", "ab"));
  CHECK_FALSE(registry::matches("abc", "ABC"));
}

TEST_CASE("matches: several * match runs in order, as a whole", "[tasks][registry]") {
  CHECK(registry::matches("a*b*c", "abc"));
  CHECK(registry::matches("a*b*c", "aXXbYYc"));
  CHECK(registry::matches("a*b*c", "abcbc"));
  CHECK(registry::matches("a*b*c", "acbc"));
  CHECK_FALSE(registry::matches("a*b*c", "acb"));
  CHECK_FALSE(registry::matches("a*b*c", "abcX"));
  CHECK_FALSE(registry::matches("a*b*c", "Xabc"));
  CHECK(registry::matches("*c", "abc"));
  CHECK(registry::matches("a*", "a"));
  CHECK(registry::matches("*a*", "bab"));
  CHECK_FALSE(registry::matches("*a*", "bbb"));
  CHECK(registry::matches("ab*ab", "abab"));
  CHECK_FALSE(registry::matches("ab*ab", "aba"));
}

TEST_CASE("matches: the pieces between * never overlap the head or the tail", "[tasks][registry]") {
  CHECK(registry::matches("arn:aws:lambda:*:function:*", "arn:aws:lambda:us-east-1:123456789012:function:Step1"));
  CHECK_FALSE(registry::matches("arn:aws:lambda:*:function:*", "arn:aws:lambda:us-east-1:123456789012:layer:L"));
  CHECK(registry::matches("*aa*a", "aaa"));
  CHECK_FALSE(registry::matches("*aa*a", "aa"));
  CHECK_FALSE(registry::matches("a*a", "a"));
  CHECK(registry::matches("a*ab*b", "aabb"));
  CHECK_FALSE(registry::matches("a*ab*b", "aab"));
}

TEST_CASE("matches: a ? is an ordinary character, not a wildcard", "[tasks][registry]") {
  CHECK(registry::matches("a?c", "a?c"));
  CHECK_FALSE(registry::matches("a?c", "abc"));
}

TEST_CASE("matches: many * against a long text has no exponential blow-up", "[tasks][registry]") {
  std::string text(100000, 'a');
  auto start = std::chrono::steady_clock::now();
  CHECK_FALSE(registry::matches("a*a*a*a*a*a*b", text));
  CHECK(registry::matches("a*a*a*a*a*a*a", text));
  CHECK_FALSE(registry::matches("*a*a*a*a*a*a*a*a*a*a*b*", text));
  auto elapsed = std::chrono::steady_clock::now() - start;
  CHECK(elapsed < std::chrono::seconds(1));
}

TEST_CASE("add_consuming registers a plain handler taking its input by value", "[tasks][registry]") {
  registry r;
  r.add_consuming("*", [](json::value in) { return in; });
  auto const* e = r.find(charge);
  REQUIRE(e);
  CHECK_FALSE(e->sync);
  CHECK_FALSE(e->async);
  REQUIRE(e->consuming);
  CHECK(e->consuming(json::value("x")) == json::value("x"));
}

TEST_CASE("add_async records whether the handler reads the context object", "[tasks][registry]") {
  registry r;
  auto h = [](stepsim::tasks::invocation const&) -> boost::asio::awaitable<json::value> { co_return json::value(); };
  r.add_async("a", h);
  r.add_async("b", h, stepsim::tasks::context_use::ignores);
  CHECK(r.find("a")->reads_context);
  CHECK_FALSE(r.find("b")->reads_context);
}

TEST_CASE("The generation changes with every add and remove, and only then", "[tasks][registry]") {
  registry r;
  auto g0 = r.generation();
  r.find(charge);
  CHECK(r.generation() == g0);
  r.add(std::string(charge), answering("charge"));
  auto g1 = r.generation();
  CHECK(g1 != g0);
  r.add(std::string(charge), answering("again"));  // replaces: still a change
  auto g2 = r.generation();
  CHECK(g2 != g1);
  CHECK_FALSE(r.remove("arn:aws:lambda:*"));  // nothing removed: no change
  CHECK(r.generation() == g2);
  CHECK(r.remove(charge));
  CHECK(r.generation() != g2);
}
