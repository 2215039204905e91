#include "services/sip_accounts.h"

#include <string>
#include <vector>

#include "common/md5.h"
#include "common/status.h"
#include "services/events_util.h"
#include "services/permissions.h"

namespace onestop::services {
namespace {

bool AllDigits(const std::string& text) {
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// C0 controls and DEL; C1 controls (U+0080-U+009F, UTF-8 C2 80-C2 9F).
bool HasControlCharacters(const std::string& text) {
  for (size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x20 || byte == 0x7f) return true;
    if (byte == 0xc2 && i + 1 < text.size()) {
      const auto next = static_cast<unsigned char>(text[i + 1]);
      if (next >= 0x80 && next <= 0x9f) return true;
    }
  }
  return false;
}

}  // namespace

absl::Status ValidateSipCredentials(const std::string& extension, const std::string& password) {
  std::vector<FieldError> errors;
  const int digits = static_cast<int>(extension.size());
  if (digits < kSipExtensionMinDigits || digits > kSipExtensionMaxDigits || !AllDigits(extension)) {
    errors.push_back({"extension",
                      "invalid",
                      "sip_extension_format",
                      {{"min", std::to_string(kSipExtensionMinDigits)},
                       {"max", std::to_string(kSipExtensionMaxDigits)}}});
  }
  if (static_cast<int>(password.size()) < kSipPasswordMinLength) {
    errors.push_back({"password",
                      "too_short",
                      "password_min_length",
                      {{"min", std::to_string(kSipPasswordMinLength)}}});
  } else if (static_cast<int>(password.size()) > kSipPasswordMaxLength) {
    errors.push_back({"password",
                      "too_long",
                      "password_max_length",
                      {{"max", std::to_string(kSipPasswordMaxLength)}}});
  } else if (HasControlCharacters(password)) {
    errors.push_back({"password", "invalid", "password_control_chars", {}});
  }
  if (!errors.empty()) return InvalidFields("The phone extension details are not valid", errors);
  return absl::OkStatus();
}

absl::StatusOr<domain::SipAccount> SetSipAccount::Run(const domain::Actor& actor, int64_t staff_id,
                                                      const std::string& extension,
                                                      const std::string& password) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kEditStaff));
  ONESTOP_ASSIGN_OR_RETURN(domain::StaffUser staff, deps_.store.GetStaff(staff_id));
  ONESTOP_RETURN_IF_ERROR(ValidateSipCredentials(extension, password));
  std::string before;
  if (absl::StatusOr<domain::SipAccount> old = deps_.store.GetSipAccount(staff_id); old.ok()) {
    before = old->extension;
  } else if (old.status().code() != absl::StatusCode::kNotFound) {
    return old.status();
  }
  domain::SipAccount account;
  account.staff_id = staff_id;
  account.extension = extension;
  account.realm = realm_;
  account.ha1 = DigestHa1(extension, realm_, password);
  account.updated_at = deps_.clock.Now();
  ONESTOP_RETURN_IF_ERROR(deps_.store.Write([&](domain::WriteTxn& txn) -> absl::Status {
    ONESTOP_RETURN_IF_ERROR(txn.PutSipAccount(account));
    domain::Event e = MakeEvent(actor, account.updated_at, "staff", staff_id, "staff.sip_set");
    e.entity_key = staff.email;
    // Always recorded (also when only the password changed); never the
    // password or HA1.
    e.changes.push_back({"extension", before, account.extension});
    return txn.AppendEvent(e).status();
  }));
  return account;
}

absl::Status RemoveSipAccount::Run(const domain::Actor& actor, int64_t staff_id) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kEditStaff));
  ONESTOP_ASSIGN_OR_RETURN(domain::StaffUser staff, deps_.store.GetStaff(staff_id));
  ONESTOP_ASSIGN_OR_RETURN(domain::SipAccount old, deps_.store.GetSipAccount(staff_id));
  return deps_.store.Write([&](domain::WriteTxn& txn) -> absl::Status {
    ONESTOP_RETURN_IF_ERROR(txn.DeleteSipAccount(staff_id));
    domain::Event e = MakeEvent(actor, deps_.clock.Now(), "staff", staff_id, "staff.sip_removed");
    e.entity_key = staff.email;
    e.changes.push_back({"extension", old.extension, ""});
    return txn.AppendEvent(e).status();
  });
}

absl::StatusOr<domain::SipAccount> GetSipAccount::Run(const domain::Actor& actor,
                                                      int64_t staff_id) const {
  ONESTOP_RETURN_IF_ERROR(Authorize(actor, Permission::kEditStaff));
  ONESTOP_RETURN_IF_ERROR(deps_.store.GetStaff(staff_id).status());
  return deps_.store.GetSipAccount(staff_id);
}

absl::StatusOr<domain::SipAccount> FindSipAccount::Run(const std::string& extension) const {
  ONESTOP_ASSIGN_OR_RETURN(domain::SipAccount account, store_.GetSipAccountByExtension(extension));
  ONESTOP_ASSIGN_OR_RETURN(domain::StaffUser staff, store_.GetStaff(account.staff_id));
  if (!staff.active) {
    return absl::NotFoundError("no SIP account for extension " + extension);
  }
  return account;
}

absl::Status SaveSipBinding::Run(const domain::SipBinding& binding) const {
  return store_.Write([&](domain::WriteTxn& txn) { return txn.PutSipBinding(binding); });
}

absl::Status RemoveSipBinding::Run(const std::string& extension) const {
  return store_.Write([&](domain::WriteTxn& txn) { return txn.DeleteSipBinding(extension); });
}

absl::StatusOr<std::vector<RegisteredPhone>> ListSipBindings::Run(absl::Time now) const {
  ONESTOP_ASSIGN_OR_RETURN(std::vector<domain::SipBinding> all, store_.ListSipBindings(now));
  std::vector<RegisteredPhone> out;
  out.reserve(all.size());
  for (domain::SipBinding& binding : all) {
    absl::StatusOr<domain::StaffUser> staff = store_.GetStaff(binding.staff_id);
    if (staff.ok() && staff->active) {
      out.push_back({std::move(binding), *std::move(staff)});
    } else if (!staff.ok() && staff.status().code() != absl::StatusCode::kNotFound) {
      return staff.status();
    }
  }
  return out;
}

}  // namespace onestop::services
