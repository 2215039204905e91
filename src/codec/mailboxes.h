// JSON ⇄ the council's mailboxes (domain/mail.h Mailbox): the council file's
// "mailboxes" and the stored "mailboxes" setting share one shape
// (docs/catalogue-format.md#mailboxes):
//
//   [{"address": "contact@fairhaven.example", "team": "contact-centre",
//     "queue": "email-enquiries", "service_code": "general-enquiry"}]
//
// Strict (json_reader.h): an address is lower-cased and must look like
// local@domain, once; the queue is required. Stateless; any thread.
#pragma once

#include <boost/json/array.hpp>
#include <functional>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "codec/json_reader.h"
#include "domain/mail.h"

namespace onestop::codec {

// Reads the array at `in`'s `key`; `queue_known` (when set) checks each
// queue (errors "<path>.<key>[i].queue").
// `service_problem` (when set) checks a service_code: "" when the mailbox
// may raise it, else the reason code of the error
// ("<path>.<key>[i].service_code").
std::vector<domain::Mailbox> ReadMailboxes(
    ObjectReader& in, std::string_view key, const std::function<bool(std::string_view)>& queue_known = nullptr,
    const std::function<std::string(std::string_view)>& service_problem = nullptr);
boost::json::array MailboxesToJson(const std::vector<domain::Mailbox>& mailboxes);
absl::StatusOr<std::vector<domain::Mailbox>> MailboxesFromJsonText(std::string_view text);

}  // namespace onestop::codec
