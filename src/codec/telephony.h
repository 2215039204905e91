// JSON ⇄ the council's telephone front door (domain/telephony.h): the
// council file's "telephony" section and the stored "telephony" setting
// share one shape (docs/catalogue-format.md#telephony):
//
//   {"numbers": [{"number": "01632960000", "name": "…", "menu": "main", "language": "en"}],
//    "ivr": {"menus": [{"id": "main", "prompt": {"en": "…", "cy": "…"},
//                       "timeout_seconds": 10, "max_retries": 2,
//                       "options": {"1": {"queue": "council-tax"}, "2": {"menu": "other"},
//                                   "3": {"message": {"en": "…", "cy": "…"}, "then": "main"},
//                                   "9": {"language": "cy", "then": "main"},
//                                   "0": {"operator": true}},
//                       "on_timeout": {"operator": true}}]},
//    "operator_queue": "general", "announce_seconds": 45, "callback_digit": "*",
//    "recording": [{"queue": "council-tax", "retention_days": 90}],
//    "survey": {"queues": [], "prompt": {"en": "…", "cy": "…"},
//               "thanks": {"en": "…", "cy": "…"}, "timeout_seconds": 8}}
//
// "recording" and "survey" are optional (absent: nothing recorded, no
// survey); a survey's "queues" empty or absent covers every queue, its
// "thanks" may be left out (nothing said).
//
// An action object holds exactly one of "queue", "menu", "message",
// "language" or "operator" (true); "then" (the menu after) only goes with
// "message" or "language". Strict (json_reader.h): unknown keys are errors,
// JSON-shape errors are named by JSON path ("telephony.ivr.menus[0].options.x");
// domain::ValidateTelephony runs on what is read and names menus by id
// ("telephony.ivr.menus[main].options[1].queue"). Stateless; any thread.
#pragma once

#include <boost/json/object.hpp>
#include <functional>
#include <optional>
#include <string_view>

#include "absl/status/statusor.h"
#include "codec/json_reader.h"
#include "domain/telephony.h"

namespace onestop::codec {

// Reads the object at `in`'s `key` (nullopt when absent; errors under
// "<path>.<key>"), then checks domain::ValidateTelephony with `queue_exists`
// (null: queue codes unchecked), adding its errors under `in`'s path. The
// domain's field names start with "telephony.", so `key` should be
// "telephony" for the two to agree.
std::optional<domain::Telephony> ReadTelephony(
    ObjectReader& in, std::string_view key,
    const std::function<bool(std::string_view)>& queue_exists = nullptr);

boost::json::object TelephonyToJson(const domain::Telephony& telephony);
// TelephonyToJson's text back (the stored setting); queue codes unchecked.
absl::StatusOr<domain::Telephony> TelephonyFromJsonText(std::string_view text);

}  // namespace onestop::codec
