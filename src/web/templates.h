// The page templates (mustache), compiled into the binary so a deployment is
// one file plus the static assets. Names starting with "_" are partials.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace onestop::web {

const std::map<std::string, std::string>& AllTemplates();
const std::string* FindTemplate(std::string_view name);

}  // namespace onestop::web
