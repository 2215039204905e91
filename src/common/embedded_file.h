// A file compiled into the binary by cmake/embed_files.cmake: its path
// relative to the folder it was embedded from, and its exact bytes.
#pragma once

#include <string_view>

namespace onestop {

struct EmbeddedFile {
  std::string_view path;
  std::string_view data;
};

}  // namespace onestop
