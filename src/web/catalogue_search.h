// Finding a service by what residents call it: "bin", "rubbish" and "refuse"
// all find the waste services through the catalogue's keywords. Pure
// function over the catalogue; no index needed at a council's size (tens of
// services).
#pragma once

#include <string_view>
#include <vector>

#include "domain/service.h"

namespace onestop::web {

// Services matching every word of `query` (a word matches a word of the
// name, keywords, group or description that it equals or, from three
// letters, begins), in the texts of language `lang` and in English (people
// mix them: "bin" is Welsh too). Best first: keyword hits, then name hits,
// then the rest; ties by name in `lang`.
std::vector<const domain::Service*> SearchServices(const std::vector<const domain::Service*>& services,
                                                   std::string_view query, std::string_view lang = "en");
std::vector<domain::Service> SearchServices(const std::vector<domain::Service>& services,
                                            std::string_view query, std::string_view lang = "en");

}  // namespace onestop::web
