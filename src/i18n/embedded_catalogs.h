// The compiled message catalogues, "<lang>.mo", built from po/<lang>/*.po by
// msgcat + msgfmt and compiled into the binary (src/i18n/CMakeLists.txt).
#pragma once

#include <span>

#include "common/embedded_file.h"

namespace onestop::i18n {

std::span<const EmbeddedFile> EmbeddedCatalogList();

}  // namespace onestop::i18n
