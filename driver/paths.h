// The one spelling of a file's path that the driver compares paths by.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace lbcheck {

/// `path` made absolute and lexically normal, with forward slashes (as given
/// when the working directory cannot be read).
inline std::string absolutePath(std::string_view path) {
  std::error_code ec;
  std::filesystem::path p = std::filesystem::absolute(std::filesystem::path(path), ec);
  if (ec) p = std::filesystem::path(path);
  return p.lexically_normal().generic_string();
}

}  // namespace lbcheck
