// The page templates of web/templates, compiled into the binary by
// cmake/embed_files.cmake (paths relative to web/templates).
#pragma once

#include <span>

#include "common/embedded_file.h"

namespace onestop::web {

std::span<const EmbeddedFile> EmbeddedTemplateList();

}  // namespace onestop::web
