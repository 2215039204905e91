// Encoding of the store's JSON text columns (lists and maps that are read and
// written whole and never searched by SQL: form values, media URLs, service
// form fields (with their translations), keywords, channels, staff skills, event field changes, the id
// lists of a merge). Boost.JSON does the work; the store is an adapter, so the
// JSON shape lives here and nowhere in the domain.
//
// Decoders return DataLoss when a column does not hold what was written
// (a corrupted or hand-edited row). Pure functions; any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "domain/article.h"
#include "domain/case.h"
#include "domain/channel.h"
#include "domain/event.h"
#include "domain/service.h"
#include "domain/staff.h"

namespace onestop::store {

std::string EncodeStrings(const std::vector<std::string>& values);
absl::StatusOr<std::vector<std::string>> DecodeStrings(std::string_view json);

// Template placeholders, in order: [["key","value"], ...].
std::string EncodeParams(const std::vector<std::pair<std::string, std::string>>& params);
absl::StatusOr<std::vector<std::pair<std::string, std::string>>> DecodeParams(std::string_view json);

std::string EncodeIds(const std::vector<int64_t>& ids);
absl::StatusOr<std::vector<int64_t>> DecodeIds(std::string_view json);

std::string EncodeFormValues(const domain::FormValues& values);
absl::StatusOr<domain::FormValues> DecodeFormValues(std::string_view json);

std::string EncodeChannels(const std::vector<domain::Channel>& channels);
absl::StatusOr<std::vector<domain::Channel>> DecodeChannels(std::string_view json);

std::string EncodeFormFields(const std::vector<domain::FormField>& fields);
absl::StatusOr<std::vector<domain::FormField>> DecodeFormFields(std::string_view json);

std::string EncodeSkills(const std::vector<domain::Skill>& skills);
absl::StatusOr<std::vector<domain::Skill>> DecodeSkills(std::string_view json);

std::string EncodeChanges(const std::vector<domain::FieldChange>& changes);
absl::StatusOr<std::vector<domain::FieldChange>> DecodeChanges(std::string_view json);

// Translations columns ({"cy": ...}): a service's texts, a department's
// name, an article's texts. "{}" is none.
std::string EncodeServiceTexts(const domain::Translations<domain::ServiceText>& texts);
absl::StatusOr<domain::Translations<domain::ServiceText>> DecodeServiceTexts(std::string_view json);
std::string EncodeNameTexts(const domain::Translations<std::string>& names);
absl::StatusOr<domain::Translations<std::string>> DecodeNameTexts(std::string_view json);
std::string EncodeArticleTexts(const domain::Translations<domain::ArticleText>& texts);
absl::StatusOr<domain::Translations<domain::ArticleText>> DecodeArticleTexts(std::string_view json);

}  // namespace onestop::store
