// JSON ⇄ the council's wrap-up codes (domain/disposition.h): the council
// file's "routing.dispositions" and the stored "dispositions" setting share
// one shape (docs/catalogue-format.md#dispositions):
//
//   [{"code": "answered_from_kb", "name": "Answered from the knowledge base",
//     "outcome": "resolved_first_contact", "avoidable": false,
//     "queues": ["general"], "services": [],
//     "translations": {"cy": {"name": "…"}}}]
//
// Strict (json_reader.h); domain::ValidateDispositions runs on what is read.
// Stateless; any thread.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "codec/json_reader.h"
#include "domain/disposition.h"

namespace onestop::codec {

// Reads the array at `in`'s `key` (errors under "<path>.<key>[i]"), then
// checks domain::ValidateDispositions, adding its errors under `in`'s path.
std::vector<domain::Disposition> ReadDispositions(ObjectReader& in, std::string_view key);

boost::json::array DispositionsToJson(const std::vector<domain::Disposition>& dispositions);
// DispositionsToJson's text back (the stored setting).
absl::StatusOr<std::vector<domain::Disposition>> DispositionsFromJsonText(std::string_view text);

}  // namespace onestop::codec
