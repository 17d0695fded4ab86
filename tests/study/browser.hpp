// The report pages' browser check: a page rendered in headless Chromium.
//
// Without a browser the check is skipped with a warning, unless
// STEPSIM_REQUIRE_BROWSER=1 (as .ci/run sets it): then it fails. The browser
// is $STEPSIM_CHROMIUM, or /usr/bin/chromium (Debian's package `chromium`).
#pragma once

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

namespace stepsim::test {

/// What headless Chromium made of a page.
struct rendered_page {
  std::string dom;                   ///< the DOM after loading (--dump-dom)
  std::filesystem::path screenshot;  ///< a PNG of the window (--screenshot)
};

/// The browser to use, or nullopt (after a warning, or a failure when
/// STEPSIM_REQUIRE_BROWSER=1) when there is none.
inline std::optional<std::string> chromium() {
  char const* env = std::getenv("STEPSIM_CHROMIUM");
  std::string path = env && *env ? env : "/usr/bin/chromium";
  if (std::filesystem::exists(path)) return path;
  char const* require = std::getenv("STEPSIM_REQUIRE_BROWSER");
  if (require && std::string(require) == "1") FAIL(path << " not found, and STEPSIM_REQUIRE_BROWSER=1 requires it");
  WARN(path << " not found: headless rendering check skipped (STEPSIM_REQUIRE_BROWSER=1 makes it fail)");
  return std::nullopt;
}

/// Renders `page` (an HTML file in `dir`) in headless Chromium at `window`
/// ("W,H"): its DOM and a screenshot, both checked to exist; nullopt when
/// there is no browser (see `chromium`).
inline std::optional<rendered_page> render_in_chromium(std::filesystem::path const& page,
                                                       std::filesystem::path const& dir, std::string const& window) {
  auto browser = chromium();
  if (!browser) return std::nullopt;
  std::string flags = "--headless --no-sandbox --disable-gpu --disable-dev-shm-usage --disable-background-networking "
                      "--disable-component-update --disable-sync --no-first-run --user-data-dir='" +
                      (dir / "profile").string() + "'";
  auto dom = dir / "dom.html";
  rendered_page out;
  out.screenshot = dir / "page.png";
  auto dump = "'" + *browser + "' " + flags + " --dump-dom 'file://" + page.string() + "' > '" + dom.string() +
              "' 2> '" + (dir / "dump.log").string() + "'";
  CHECK(std::system(dump.c_str()) == 0);
  std::stringstream text;
  text << std::ifstream(dom).rdbuf();
  out.dom = text.str();
  auto shot = "'" + *browser + "' " + flags + " --screenshot='" + out.screenshot.string() + "' --window-size=" + window +
              " 'file://" + page.string() + "' > '" + (dir / "shot.log").string() + "' 2>&1";
  CHECK(std::system(shot.c_str()) == 0);
  REQUIRE(std::filesystem::exists(out.screenshot));
  CHECK(std::filesystem::file_size(out.screenshot) > 10'000);
  return out;
}

}  // namespace stepsim::test
