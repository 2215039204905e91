// Staff SIP accounts (domain/sip_account.h): the extension a staff member's
// phone registers with (sip:<extension>@host) and its digest credential.
// Admins set, read and remove them (Permission::kEditStaff); the registrar
// (src/sip) looks an extension up with FindSipAccount, which needs no actor.
//
// The password is never stored, logged or put in an event: SetSipAccount
// keeps only HA1 = MD5(extension ":" realm ":" password) for the realm it
// was constructed with, so changing the realm means setting every password
// again. Events "staff.sip_set" / "staff.sip_removed" record the extension
// only.
//
// Thread-safe (holds references to thread-safe Deps only).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "domain/sip_account.h"
#include "domain/staff.h"
#include "services/deps.h"

namespace onestop::services {

inline constexpr int kSipExtensionMinDigits = 2;
inline constexpr int kSipExtensionMaxDigits = 8;
inline constexpr int kSipPasswordMinLength = 8;
inline constexpr int kSipPasswordMaxLength = 128;

// InvalidFields for a bad extension ("extension", reason
// sip_extension_format: 2-8 digits) or password ("password": reasons
// password_min_length / password_max_length (bytes) / password_control_chars).
absl::Status ValidateSipCredentials(const std::string& extension, const std::string& password);

class SetSipAccount {
 public:
  SetSipAccount(Deps deps, std::string realm) : deps_(deps), realm_(std::move(realm)) {}
  // Creates or replaces `staff_id`'s account. NotFound for an unknown staff
  // member, InvalidFields (see ValidateSipCredentials), AlreadyExists when
  // another staff member has the extension. Returns the stored record.
  absl::StatusOr<domain::SipAccount> Run(const domain::Actor& actor, int64_t staff_id,
                                         const std::string& extension,
                                         const std::string& password) const;

 private:
  Deps deps_;
  std::string realm_;
};

class RemoveSipAccount {
 public:
  explicit RemoveSipAccount(Deps deps) : deps_(deps) {}
  // NotFound for an unknown staff member or one without an account.
  absl::Status Run(const domain::Actor& actor, int64_t staff_id) const;

 private:
  Deps deps_;
};

class GetSipAccount {
 public:
  explicit GetSipAccount(Deps deps) : deps_(deps) {}
  // Admins only. NotFound for an unknown staff member or one without an
  // account. The record includes ha1: adapters must not show it.
  absl::StatusOr<domain::SipAccount> Run(const domain::Actor& actor, int64_t staff_id) const;

 private:
  Deps deps_;
};

// The registrar's lookup: the account a REGISTER for sip:<extension>@host
// is checked against. NotFound when no account has that extension or its
// staff member is disabled (a disabled member's phone must not register).
// No actor: the caller is the SIP stack, before anyone is authenticated.
class FindSipAccount {
 public:
  explicit FindSipAccount(domain::Store& store) : store_(store) {}
  absl::StatusOr<domain::SipAccount> Run(const std::string& extension) const;

 private:
  domain::Store& store_;
};

// The registrar's memory of where each phone is (domain::SipBinding), kept
// in the store so that a node taking over the telephone rings the phones at
// once. No actor and no event: the SIP stack writes these after it has
// checked the phone's digest, as often as phones re-register.
class SaveSipBinding {
 public:
  explicit SaveSipBinding(domain::Store& store) : store_(store) {}
  absl::Status Run(const domain::SipBinding& binding) const;

 private:
  domain::Store& store_;
};

// An unregistered phone (REGISTER with expires=0 or Contact: *). OK when
// there was no binding.
class RemoveSipBinding {
 public:
  explicit RemoveSipBinding(domain::Store& store) : store_(store) {}
  absl::Status Run(const std::string& extension) const;

 private:
  domain::Store& store_;
};

// A registered phone and the staff member it rings.
struct RegisteredPhone {
  domain::SipBinding binding;
  domain::StaffUser staff;
};

// The bindings that have not expired at `now` whose staff member is still
// active (a disabled member's phone must not ring), by extension.
class ListSipBindings {
 public:
  explicit ListSipBindings(domain::Store& store) : store_(store) {}
  absl::StatusOr<std::vector<RegisteredPhone>> Run(absl::Time now) const;

 private:
  domain::Store& store_;
};

}  // namespace onestop::services
