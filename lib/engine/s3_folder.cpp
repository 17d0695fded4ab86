#include "engine/s3_folder.hpp"

#include <stepsim/jsonata/hash.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iterator>

namespace stepsim::engine {

namespace fs = std::filesystem;

namespace {

bool valid_key(std::string_view key) {
  if (key.empty() || key.size() > 1024) return false;
  std::size_t start = 0;
  for (;;) {
    auto end = key.find('/', start);
    auto seg = key.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (seg.empty() || seg == "." || seg == "..") return false;
    if (end == std::string_view::npos) return true;
    start = end + 1;
  }
}

std::int64_t mtime_seconds(fs::path const& p) {
  std::error_code ec;
  auto t = fs::last_write_time(p, ec);
  if (ec) return 0;
  auto sys = std::chrono::file_clock::to_sys(t);
  return std::chrono::duration_cast<std::chrono::seconds>(sys.time_since_epoch()).count();
}

std::string read_all(fs::path const& p, bool& ok) {
  std::ifstream in(p, std::ios::binary);
  ok = bool(in);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

std::optional<fs::path> s3_folder::locate(std::string_view bucket, std::string_view key, std::string& error) const {
  if (root_.empty()) {
    error = "No S3 stand-in folder is set (stepsim run --s3-root DIR, or engine_options::s3_root)";
    return std::nullopt;
  }
  if (bucket.empty() || bucket.find('/') != std::string_view::npos || bucket == "." || bucket == "..") {
    error = fmt::format("The specified bucket is not valid. (Bucket: '{}')", bucket);
    return std::nullopt;
  }
  fs::path b = root_ / fs::path(std::string(bucket));
  std::error_code ec;
  if (!fs::is_directory(b, ec)) {
    error = fmt::format("The specified bucket does not exist (Service: S3, Status Code: 404, Error Code: "
                        "NoSuchBucket; Bucket: '{}')",
                        bucket);
    return std::nullopt;
  }
  if (key.empty()) return b;
  if (!valid_key(key)) {
    error = fmt::format("The key '{}' cannot be stored in the S3 stand-in folder (an empty, '.' or '..' segment)",
                        key);
    return std::nullopt;
  }
  return b / fs::path(std::string(key));
}

std::string s3_folder::get(std::string_view bucket, std::string_view key, std::string& error) const {
  error.clear();
  if (key.empty()) {
    error = "The S3 object key is empty";
    return {};
  }
  auto p = locate(bucket, key, error);
  if (!p) return {};
  std::error_code ec;
  bool ok = fs::is_regular_file(*p, ec);
  std::string text = ok ? read_all(*p, ok) : std::string();
  if (!ok)
    error = fmt::format("The specified key does not exist. (Service: S3, Status Code: 404, Error Code: NoSuchKey; "
                        "Bucket: '{}', Key: '{}')",
                        bucket, key);
  return text;
}

std::vector<s3_folder::object_info> s3_folder::list(std::string_view bucket, std::string_view prefix,
                                                    std::string& error) const {
  error.clear();
  std::vector<object_info> out;
  auto b = locate(bucket, {}, error);
  if (!b) return out;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(*b, ec), end; !ec && it != end; it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    std::string key = fs::relative(it->path(), *b, ec).generic_string();
    if (!key.starts_with(prefix)) continue;
    bool ok = false;
    auto content = read_all(it->path(), ok);
    if (!ok) continue;
    out.push_back({std::move(key), content.size(), "\"" + jsonata::hash::md5_hex(content) + "\"",
                   mtime_seconds(it->path())});
  }
  if (ec) error = fmt::format("The bucket '{}' could not be listed: {}", bucket, ec.message());
  std::sort(out.begin(), out.end(), [](auto const& a, auto const& b) { return a.key < b.key; });
  return out;
}

void s3_folder::put(std::string_view bucket, std::string_view key, std::string_view content,
                    std::string& error) const {
  error.clear();
  auto p = locate(bucket, key, error);
  if (!p) return;
  std::error_code ec;
  fs::create_directories(p->parent_path(), ec);
  std::ofstream out(*p, std::ios::binary | std::ios::trunc);
  out.write(content.data(), std::streamsize(content.size()));
  out.close();
  if (ec || !out)
    error = fmt::format("The object '{}' could not be written to bucket '{}' in the S3 stand-in folder", key, bucket);
}

}  // namespace stepsim::engine
