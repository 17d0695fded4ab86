// Hostile files (issue 13, item 6): every file is read with a bound, checked while reading.
#include <stepsim/json/read_file.hpp>

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

namespace files = stepsim::json;
namespace fs = std::filesystem;

namespace {

/// A file of `bytes` spaces in the build tree.
std::string file_of(std::size_t bytes, std::string const& name) {
  auto path = (fs::path(STEPSIM_BINARY_DIR) / name).string();
  std::ofstream(path, std::ios::binary) << std::string(bytes, ' ');
  return path;
}

}  // namespace

TEST_CASE("Each kind of file has its documented bound", "[hostile][files]") {
  CHECK(files::max_file_bytes(files::file_kind::definition) == 4 << 20);
  CHECK(files::max_file_bytes(files::file_kind::input) == 4 << 20);
  CHECK(files::max_file_bytes(files::file_kind::study) == 4 << 20);
  CHECK(files::max_file_bytes(files::file_kind::mock) == 4 << 20);
  CHECK(files::max_file_bytes(files::file_kind::trace) == 256 << 20);
  CHECK(files::max_file_bytes(files::file_kind::aws_export) == std::size_t(1) << 30);
  CHECK(files::max_file_bytes(files::file_kind::logs) == std::size_t(1) << 30);
}

TEST_CASE("An endless device stops at the bound, with the file and the bound named", "[hostile][files]") {
  std::string error;
  CHECK_FALSE(files::read_file("/dev/zero", files::file_kind::definition, error));
  CHECK(error == "'/dev/zero' is larger than 4 MiB, the most stepsim reads from a definition file");
  CHECK_FALSE(files::read_file("/dev/zero", files::file_kind::input, error));
  CHECK(error == "'/dev/zero' is larger than 4 MiB, the most stepsim reads from an input file");
}

TEST_CASE("A regular file is read up to its bound and refused one byte past it", "[hostile][files]") {
  std::string error;
  auto at_bound = file_of(4 << 20, "hostile-at-bound.txt");
  auto at = files::read_file(at_bound, files::file_kind::study, error);
  fs::remove(at_bound);
  REQUIRE(at);
  CHECK(at->size() == 4 << 20);
  auto past = file_of((4 << 20) + 1, "hostile-past-bound.txt");
  CHECK_FALSE(files::read_file(past, files::file_kind::study, error));
  CHECK(error == "'" + past + "' is larger than 4 MiB, the most stepsim reads from a study file");
  fs::remove(past);
}

TEST_CASE("A directory given as a file says so", "[hostile][files]") {
  std::string error;
  CHECK_FALSE(files::read_file(STEPSIM_SOURCE_DIR, files::file_kind::aws_export, error));
  CHECK(error == "'" STEPSIM_SOURCE_DIR "' is a directory, not an AWS export file");
}

TEST_CASE("A missing file names the file and the reason", "[hostile][files]") {
  std::string error;
  CHECK_FALSE(files::read_file("no/such/file.json", files::file_kind::trace, error));
  CHECK(error == "cannot open 'no/such/file.json': No such file or directory");
}

TEST_CASE("An empty file reads as empty text", "[hostile][files]") {
  std::string error;
  auto text = files::read_file(file_of(0, "hostile-empty.txt"), files::file_kind::definition, error);
  REQUIRE(text);
  CHECK(text->empty());
}
