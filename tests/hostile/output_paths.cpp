// Hostile output names: every file under --out lands inside it.
#include <stepsim/study/study.hpp>

#include <catch2/catch.hpp>

#include <filesystem>

namespace fs = std::filesystem;
using stepsim::study::output_path;

namespace {

// A fresh directory `name` in the build tree, with `out/` and a link `out/link`
// to its sibling `elsewhere/`. Each test case has its own: CTest runs them at once.
fs::path fresh_out(char const* name) {
  auto root = fs::path(STEPSIM_BINARY_DIR) / "hostile-output-paths" / name;
  fs::remove_all(root);
  fs::create_directories(root / "out" / "aws");
  fs::create_directories(root / "elsewhere");
  fs::create_directory_symlink(root / "elsewhere", root / "out" / "link");
  return root / "out";
}

}  // namespace

TEST_CASE("output_path keeps names inside the output directory", "[hostile][study]") {
  auto out = fresh_out("keeps");
  auto canonical = fs::canonical(out);
  CHECK(output_path(out, "summary.json") == canonical / "summary.json");
  CHECK(output_path(out, fs::path("aws") / "base-0.json") == canonical / "aws" / "base-0.json");
  CHECK(output_path(out / "aws" / "..", "summary.json") == canonical / "summary.json");
}

TEST_CASE("output_path refuses names that leave the output directory or name it", "[hostile][study]") {
  auto out = fresh_out("refuses");
  for (fs::path name : {fs::path("../../pwn-0.json"), fs::path("aws/../../pwn-0.json"), fs::path("/etc/passwd"),
                        fs::path(".."), fs::path("."), fs::path(""), fs::path("aws/./x.json")}) {
    INFO(name.string());
    CHECK_FALSE(output_path(out, name));
  }
  // Through a symbolic link inside the directory to one outside it.
  CHECK_FALSE(output_path(out, fs::path("link") / "pwn-0.json"));
}
