#include "codec/mailboxes.h"

#include <boost/json.hpp>
#include <set>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/status.h"

namespace onestop::codec {
namespace {

boost::json::string Js(const std::string& s) { return boost::json::string(s.data(), s.size()); }

bool LooksLikeAddress(const std::string& a) {
  const size_t at = a.find('@');
  if (at == std::string::npos || at == 0 || at + 1 >= a.size() || a.find('@', at + 1) != std::string::npos) {
    return false;
  }
  if (a.size() > 254) return false;
  for (char c : a) {
    if (static_cast<unsigned char>(c) <= ' ' || c == '<' || c == '>' || c == ',' || c == '"') return false;
  }
  return a.find('.', at) != std::string::npos;
}

}  // namespace

std::vector<domain::Mailbox> ReadMailboxes(ObjectReader& in, std::string_view key,
                                           const std::function<bool(std::string_view)>& queue_known,
                                           const std::function<std::string(std::string_view)>& service_problem) {
  std::vector<domain::Mailbox> out;
  std::set<std::string> seen;
  in.ForEachObject(key, [&](ObjectReader& m_in, size_t) {
    domain::Mailbox m;
    if (auto v = m_in.String("address", Presence::kRequired)) m.address = absl::AsciiStrToLower(*v);
    if (auto v = m_in.String("team")) m.team = *v;
    if (auto v = m_in.String("queue", Presence::kRequired)) m.queue = *v;
    if (auto v = m_in.String("service_code")) m.service_code = *v;
    if (!m.service_code.empty() && service_problem) {
      if (std::string reason = service_problem(m.service_code); !reason.empty()) {
        m_in.errors().Add(m_in.path() + ".service_code", "invalid", reason, {{"service", m.service_code}});
      }
    }
    if (!m.address.empty() && !LooksLikeAddress(m.address)) {
      m_in.errors().Add(m_in.path() + ".address", "invalid", "mailbox_address_format");
    } else if (!m.address.empty() && !seen.insert(m.address).second) {
      m_in.errors().Add(m_in.path() + ".address", "duplicate", "mailbox_defined_twice", {{"address", m.address}});
    }
    if (!m.queue.empty() && queue_known && !queue_known(m.queue)) {
      m_in.errors().Add(m_in.path() + ".queue", "not_found", "mailbox_queue_missing", {{"queue", m.queue}});
    }
    m_in.Finish();
    out.push_back(std::move(m));
  });
  return out;
}

boost::json::array MailboxesToJson(const std::vector<domain::Mailbox>& mailboxes) {
  boost::json::array out;
  for (const domain::Mailbox& m : mailboxes) {
    boost::json::object o{{"address", Js(m.address)}, {"queue", Js(m.queue)}};
    if (!m.team.empty()) o["team"] = Js(m.team);
    if (!m.service_code.empty()) o["service_code"] = Js(m.service_code);
    out.push_back(std::move(o));
  }
  return out;
}

absl::StatusOr<std::vector<domain::Mailbox>> MailboxesFromJsonText(std::string_view text) {
  absl::StatusOr<boost::json::value> json = ParseJson(text);
  if (!json.ok()) return json.status();
  boost::json::value value(boost::json::object{{"mailboxes", std::move(*json)}});
  ErrorList errors;
  ObjectReader in(value, "", errors);
  std::vector<domain::Mailbox> out = ReadMailboxes(in, "mailboxes");
  in.Finish();
  ONESTOP_RETURN_IF_ERROR(errors.ToStatus("The stored mailboxes are not valid"));
  return out;
}

}  // namespace onestop::codec
