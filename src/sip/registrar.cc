// SipServer::Impl (sip/server_impl.h): the registrar (REGISTER, the phones' digest auth, bindings).
#include "sip/server_impl.h"

#include <sofia-sip/nua_tag.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/sip_tag.h>

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/sip_accounts.h"
#include "spdlog/spdlog.h"

namespace onestop::sip {

// ---- registrar -------------------------------------------------------

bool SipServer::Impl::Throttled(const std::string& ip, absl::Time now) {
  auto it = auth_failures.find(ip);
  if (it == auth_failures.end()) return false;
  if (now - it->second.first > absl::Minutes(1)) {
    auth_failures.erase(it);
    return false;
  }
  return it->second.second >= 20;
}

void SipServer::Impl::CountFailure(const std::string& ip, absl::Time now) {
  if (auth_failures.size() > 10000) auth_failures.clear();  // bounded under a flood
  auto& [since, count] = auth_failures[ip];
  if (count == 0 || now - since > absl::Minutes(1)) {
    since = now;
    count = 0;
  }
  ++count;
}

std::string SipServer::Impl::ThrottleKey(sip_t const* sip, const std::string& ip) const {
  if (TrunkOf(ip) < 0 || sip->sip_via == nullptr || sip->sip_via->v_next == nullptr) return ip;
  const sip_via_t* via = sip->sip_via;
  while (via->v_next != nullptr) via = via->v_next;  // the phone's own, below the proxies'
  const char* host = via->v_received != nullptr ? via->v_received : via->v_host;
  return absl::StrCat(ip, "/", host != nullptr ? host : "");
}

std::optional<domain::SipAccount> SipServer::Impl::Authenticate(nua_t* n, nua_handle_t* nh, sip_t const* sip,
                                                                const char* method, const std::string& ip) {
  const absl::Time now = deps.clock.Now();
  const std::string key = ThrottleKey(sip, ip);
  if (Throttled(key, now)) {
    nua_respond(nh, SIP_403_FORBIDDEN, NUTAG_WITH_THIS(n), TAG_END());
    return std::nullopt;
  }
  DigestAuth::Check check = auth.Read(sip->sip_authorization, now);
  if (check.result == DigestAuth::Result::kMissing || check.result == DigestAuth::Result::kWrongRealm ||
      check.result == DigestAuth::Result::kStale) {
    const std::string challenge = auth.Challenge(now, check.result == DigestAuth::Result::kStale);
    nua_respond(nh, SIP_401_UNAUTHORIZED, NUTAG_WITH_THIS(n), SIPTAG_WWW_AUTHENTICATE_STR(challenge.c_str()),
                TAG_END());
    return std::nullopt;
  }
  absl::StatusOr<domain::SipAccount> account = absl::NotFoundError("");
  // NotFound for an unknown extension or a disabled staff member.
  if (check.result == DigestAuth::Result::kOk) account = services::FindSipAccount(deps.store).Run(check.username);
  if (!account.ok() || account->realm != options.realm ||
      !auth.Verify(sip->sip_authorization, account->ha1, method)) {
    CountFailure(key, now);
    spdlog::info("sip: {} from {} refused: bad credentials", method, key);
    nua_respond(nh, SIP_403_FORBIDDEN, NUTAG_WITH_THIS(n), TAG_END());
    return std::nullopt;
  }
  return *account;
}

void SipServer::Impl::OnRegister(nua_t* n, nua_handle_t* nh, sip_t const* sip) {
  const std::string ip = SourceIp(n);
  if (sip == nullptr || sip->sip_to == nullptr) {
    nua_respond(nh, SIP_400_BAD_REQUEST, NUTAG_WITH_THIS(n), TAG_END());
    nua_handle_destroy(nh);
    return;
  }
  if (!engine.leading()) {
    // A standby does not ring phones: the phone (or Kamailio) tries the leader.
    nua_respond(nh, SIP_503_SERVICE_UNAVAILABLE, NUTAG_WITH_THIS(n), SIPTAG_RETRY_AFTER_STR("1"), TAG_END());
    nua_handle_destroy(nh);
    return;
  }
  std::optional<domain::SipAccount> account = Authenticate(n, nh, sip, "REGISTER", ip);
  if (!account) {
    nua_handle_destroy(nh);
    return;
  }
  const std::string to_user = UrlUser(sip->sip_to->a_url);
  if (to_user != account->extension) {
    nua_respond(nh, SIP_403_FORBIDDEN, NUTAG_WITH_THIS(n), TAG_END());
    nua_handle_destroy(nh);
    return;
  }
  const absl::Time now = deps.clock.Now();
  int expires = options.max_expires;
  if (sip->sip_expires != nullptr) expires = static_cast<int>(std::min<unsigned long>(sip->sip_expires->ex_delta, 86400));
  sip_contact_t const* contact = sip->sip_contact;
  if (contact != nullptr && contact->m_expires != nullptr) {
    int e = 0;
    if (absl::SimpleAtoi(contact->m_expires, &e)) expires = e;
  }
  if (contact == nullptr) {
    // A query: answer with the current binding.
    auto it = bindings.find(account->extension);
    if (it != bindings.end()) {
      nua_respond(nh, SIP_200_OK, NUTAG_WITH_THIS(n), SIPTAG_CONTACT_STR(absl::StrCat("<", it->second.contact, ">").c_str()), TAG_END());
    } else {
      nua_respond(nh, SIP_200_OK, NUTAG_WITH_THIS(n), TAG_END());
    }
    nua_handle_destroy(nh);
    return;
  }
  if (contact->m_url->url_type == url_any || expires == 0) {  // "*" or expires=0: unregister
    RemoveBinding(account->extension);
    if (absl::Status s = services::RemoveSipBinding(deps.store).Run(account->extension); !s.ok()) {
      spdlog::warn("sip: the store did not forget extension {}'s phone: {}", account->extension, s.ToString());
    }
    nua_respond(nh, SIP_200_OK, NUTAG_WITH_THIS(n), TAG_END());
    nua_handle_destroy(nh);
    spdlog::info("sip: extension {} unregistered", account->extension);
    return;
  }
  if (expires < options.min_expires) {
    const std::string min = absl::StrCat(options.min_expires);
    nua_respond(nh, SIP_423_INTERVAL_TOO_BRIEF, NUTAG_WITH_THIS(n), SIPTAG_MIN_EXPIRES_STR(min.c_str()), TAG_END());
    nua_handle_destroy(nh);
    return;
  }
  expires = std::min(expires, options.max_expires);
  absl::StatusOr<domain::StaffUser> staff = deps.store.GetStaff(account->staff_id);
  if (!staff.ok() || !staff->active) {
    nua_respond(nh, SIP_403_FORBIDDEN, NUTAG_WITH_THIS(n), TAG_END());
    nua_handle_destroy(nh);
    return;
  }
  char* url_text = url_as_string(nua_handle_home(nh), contact->m_url);
  Binding binding;
  binding.staff_id = account->staff_id;
  binding.extension = account->extension;
  binding.contact = url_text != nullptr ? url_text : "";
  binding.expires = now + absl::Seconds(expires);
  binding.actor = domain::Actor{staff->id, staff->role, staff->department, true};
  const bool fresh = !bindings.contains(account->extension);
  // One binding per extension: the phone that registered last rings.
  extension_of_staff[account->staff_id] = account->extension;
  bindings[account->extension] = binding;
  // In the store as well, for the node that takes over after a failover. A
  // failure still registers the phone here.
  if (absl::Status s = services::SaveSipBinding(deps.store)
                           .Run(domain::SipBinding{binding.extension, binding.staff_id, binding.contact,
                                                   binding.expires, options.node, now});
      !s.ok()) {
    spdlog::warn("sip: extension {}'s phone is not in the store: {}", account->extension, s.ToString());
  }
  const std::string contact_out = absl::StrCat("<", binding.contact, ">;expires=", expires);
  nua_respond(nh, SIP_200_OK, NUTAG_WITH_THIS(n), SIPTAG_CONTACT_STR(contact_out.c_str()), TAG_END());
  nua_handle_destroy(nh);
  if (fresh) spdlog::info("sip: extension {} registered (staff {}, {} s)", account->extension, account->staff_id, expires);
  UpdateStats();
}

void SipServer::Impl::RemoveBinding(const std::string& extension) {
  auto it = bindings.find(extension);
  if (it == bindings.end()) return;
  extension_of_staff.erase(it->second.staff_id);
  bindings.erase(it);
  UpdateStats();
}

void SipServer::Impl::LoadBindings() {
  absl::StatusOr<std::vector<services::RegisteredPhone>> stored =
      services::ListSipBindings(deps.store).Run(deps.clock.Now());
  if (!stored.ok()) {
    spdlog::warn("sip: cannot load the phones' registrations: {} (they ring once they register again)",
                 stored.status().ToString());
    return;
  }
  int loaded = 0;
  for (const auto& [b, staff] : *stored) {
    if (auto it = bindings.find(b.extension); it != bindings.end() && it->second.expires >= b.expires_at) continue;
    if (auto old = extension_of_staff.find(b.staff_id); old != extension_of_staff.end() && old->second != b.extension) {
      bindings.erase(old->second);  // the member's extension changed since
    }
    Binding binding;
    binding.staff_id = b.staff_id;
    binding.extension = b.extension;
    binding.contact = b.contact;
    binding.expires = b.expires_at;
    binding.actor = domain::Actor{staff.id, staff.role, staff.department, true};
    extension_of_staff[b.staff_id] = b.extension;
    bindings[b.extension] = std::move(binding);
    ++loaded;
  }
  spdlog::info("sip: {} phone registrations loaded from the store", loaded);
  UpdateStats();
}

const Binding* SipServer::Impl::BindingOf(int64_t staff_id) {
  auto it = extension_of_staff.find(staff_id);
  if (it == extension_of_staff.end()) return nullptr;
  auto b = bindings.find(it->second);
  if (b == bindings.end()) return nullptr;
  if (b->second.expires < deps.clock.Now()) {
    RemoveBinding(it->second);
    return nullptr;
  }
  return &b->second;
}

}  // namespace onestop::sip
