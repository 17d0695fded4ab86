// Private: a local folder standing in for Amazon S3 (bucket = subfolder, key = path below it).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stepsim::engine {

/// Objects of S3 as files: `root/BUCKET/KEY`. A bucket name holds no '/',
/// and a key no empty, "." or ".." segment, so nothing outside `root` is
/// ever read or written. Each call returns an error text (empty on success)
/// that names the bucket and key, as the S3 error Step Functions quotes.
class s3_folder {
 public:
  explicit s3_folder(std::filesystem::path root) : root_(std::move(root)) {}

  struct object_info {
    std::string key;
    std::uint64_t size = 0;
    std::string etag;           ///< quoted MD5 of the content, as S3 gives it for a simple upload
    std::int64_t last_modified = 0;  ///< the file's modification time, seconds since the Unix epoch
  };

  /// The content of BUCKET/KEY.
  std::string get(std::string_view bucket, std::string_view key, std::string& error) const;
  /// Every object of the bucket whose key starts with `prefix`, sorted by key (as ListObjectsV2).
  std::vector<object_info> list(std::string_view bucket, std::string_view prefix, std::string& error) const;
  /// Writes BUCKET/KEY (folders made as needed); the bucket folder must exist, as a bucket must on S3.
  void put(std::string_view bucket, std::string_view key, std::string_view content, std::string& error) const;

 private:
  std::optional<std::filesystem::path> locate(std::string_view bucket, std::string_view key, std::string& error) const;
  std::filesystem::path root_;
};

}  // namespace stepsim::engine
