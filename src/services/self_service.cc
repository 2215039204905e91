#include "services/self_service.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "common/status.h"
#include "domain/postcode.h"
#include "domain/reference.h"
#include "domain/staff.h"
#include "services/catalogue.h"
#include "services/citizens.h"
#include "services/events_util.h"

namespace onestop::services {
namespace {

// One code for every mismatch (the edge words it for the resident).
constexpr char kNoMatch[] = "track_no_match";

bool SameName(const std::string& a, const std::string& b) {
  return absl::AsciiStrToLower(a) == absl::AsciiStrToLower(b);
}

}  // namespace

namespace {

struct Normalised {
  domain::Citizen citizen;
  std::string email, phone, phone_in;
  domain::Address address;
};

absl::StatusOr<Normalised> Normalise(const ResidentDetails& details) {
  std::vector<FieldError> errors;
  domain::Citizen citizen;
  citizen.given_name = std::string(absl::StripAsciiWhitespace(details.given_name));
  citizen.family_name = std::string(absl::StripAsciiWhitespace(details.family_name));
  if (citizen.given_name.empty()) {
    errors.push_back({"given_name", "required", "given_name_required", {}});
  }
  if (citizen.family_name.empty()) {
    errors.push_back({"family_name", "required", "family_name_required", {}});
  }
  const std::string email_in(absl::StripAsciiWhitespace(details.email));
  const std::string phone_in(absl::StripAsciiWhitespace(details.phone));
  std::string email, phone;
  if (!email_in.empty()) {
    email = domain::NormaliseEmail(email_in);
    if (email.empty()) {
      errors.push_back({"email", "invalid", "email_format", {}});
    }
  }
  if (!phone_in.empty()) {
    phone = domain::NormalisePhone(phone_in);
    if (phone.empty()) {
      errors.push_back({"phone", "invalid", "resident_phone_format", {}});
    }
  }
  if (email_in.empty() && phone_in.empty()) {
    errors.push_back({"email", "required", "email_or_phone_required", {}});
  }
  domain::Address address;
  const std::string postcode_in(absl::StripAsciiWhitespace(details.postcode));
  if (!postcode_in.empty()) {
    auto postcode = domain::NormalisePostcode(postcode_in);
    if (!postcode) {
      errors.push_back({"postcode", "invalid", "resident_postcode_format", {}});
    } else {
      address.postcode = *postcode;
    }
  }
  if (!errors.empty()) return InvalidFields("Check your details", errors);
  return Normalised{citizen, email, phone, phone_in, address};
}

}  // namespace

absl::Status ValidateResidentDetails(const ResidentDetails& details) {
  return Normalise(details).status();
}

absl::StatusOr<int64_t> RegisterResident::Run(const ResidentDetails& details) const {
  ONESTOP_ASSIGN_OR_RETURN(Normalised n, Normalise(details));
  domain::Citizen& citizen = n.citizen;
  const std::string& email = n.email;
  const std::string& phone = n.phone;
  const std::string& phone_in = n.phone_in;
  domain::Address& address = n.address;

  // An existing record: same email, else same phone and family name.
  auto find_one = [&](domain::CitizenQuery q) -> absl::StatusOr<std::optional<int64_t>> {
    q.limit = 5;
    ONESTOP_ASSIGN_OR_RETURN(auto found, deps_.store.FindCitizens(q));
    for (const auto& other : found) {
      if (other.merged_into) continue;
      if (!q.phone.empty() && !SameName(other.family_name, citizen.family_name)) continue;
      return std::optional<int64_t>(other.id);
    }
    return std::optional<int64_t>();
  };
  if (!email.empty()) {
    ONESTOP_ASSIGN_OR_RETURN(auto id, find_one({.email = email}));
    if (id) return *id;
  }
  if (!phone.empty()) {
    ONESTOP_ASSIGN_OR_RETURN(auto id, find_one({.phone = phone}));
    if (id) return *id;
  }

  if (!email.empty()) citizen.emails.push_back(email);
  if (!phone.empty()) citizen.phones.push_back(phone_in);
  if (!address.postcode.empty() || !details.address_line.empty()) {
    address.line1 = std::string(absl::StripAsciiWhitespace(details.address_line));
    citizen.addresses.push_back(address);
  }
  citizen.preferred_channel = domain::Channel::kWeb;
  ONESTOP_RETURN_IF_ERROR(NormaliseAndValidateCitizen(citizen));
  citizen.created_at = citizen.updated_at = deps_.clock.Now();
  citizen.version = 1;
  ONESTOP_RETURN_IF_ERROR(deps_.store.Write([&](domain::WriteTxn& txn) -> absl::Status {
    ONESTOP_ASSIGN_OR_RETURN(citizen.id, txn.InsertCitizen(citizen));
    domain::Event e = MakeEvent(domain::Actor::Public(), citizen.created_at, "citizen", citizen.id,
                                "citizen.created");
    e.channel = domain::Channel::kWeb;
    e.citizen_id = citizen.id;
    return txn.AppendEvent(e).status();
  }));
  return citizen.id;
}

absl::StatusOr<TrackedCase> TrackCase::Run(const std::string& reference,
                                           const std::string& email_or_postcode) const {
  const absl::Status no_match = absl::NotFoundError(kNoMatch);
  auto number = domain::DecodeCaseReference(std::string(absl::StripAsciiWhitespace(reference)));
  if (!number.ok()) return no_match;
  auto c = deps_.store.GetCase(*number);
  if (absl::IsNotFound(c.status())) return no_match;
  if (!c.ok()) return c.status();

  const std::string given(absl::StripAsciiWhitespace(email_or_postcode));
  const std::string email = domain::NormaliseEmail(given);
  const std::optional<std::string> postcode = domain::NormalisePostcode(given);
  bool matches = postcode && !c->location.postcode.empty() && *postcode == c->location.postcode;
  if (!matches && c->citizen_id) {
    auto citizen = deps_.store.GetCitizen(*c->citizen_id);
    if (!citizen.ok() && !absl::IsNotFound(citizen.status())) return citizen.status();
    if (citizen.ok()) {
      if (!email.empty()) {
        matches = std::find(citizen->emails.begin(), citizen->emails.end(), email) !=
                  citizen->emails.end();
      }
      if (!matches && postcode) {
        for (const auto& address : citizen->addresses) matches |= address.postcode == *postcode;
      }
    }
  }
  if (!matches && !email.empty()) {
    // A resident following the case (their duplicate was closed into it, or
    // they asked to be kept informed) tracks it with their own email.
    ONESTOP_ASSIGN_OR_RETURN(auto followers, deps_.store.ListFollowers(c->id));
    for (const domain::CaseFollower& f : followers) {
      auto follower = deps_.store.GetCitizen(f.citizen_id);
      if (!follower.ok()) continue;
      if (std::find(follower->emails.begin(), follower->emails.end(), email) != follower->emails.end()) {
        matches = true;
        break;
      }
    }
  }
  if (!matches) return no_match;

  TrackedCase out;
  out.reference = c->reference;
  ONESTOP_ASSIGN_OR_RETURN(auto catalogue, deps_.catalogue.Get());
  const domain::Service* service = catalogue->Find(c->service_code);
  out.service_code = c->service_code;
  out.service_name = service ? service->name : c->service_code;
  out.status = c->status;
  out.created_at = c->created_at;
  out.due_at = c->due_at;
  out.resolved_at = c->resolved_at;
  ONESTOP_ASSIGN_OR_RETURN(auto notes, deps_.store.ListNotes(c->id));
  for (auto& note : notes) {
    if (note.visibility == domain::NoteVisibility::kPublic) out.public_notes.push_back(note);
  }
  if (c->duplicate_of) {
    auto original = deps_.store.GetCase(*c->duplicate_of);
    if (!original.ok() && !absl::IsNotFound(original.status())) return original.status();
    if (original.ok()) {
      TrackedCase::Original o;
      o.reference = original->reference;
      o.status = original->status;
      o.due_at = original->due_at;
      o.resolved_at = original->resolved_at;
      ONESTOP_ASSIGN_OR_RETURN(auto original_notes, deps_.store.ListNotes(original->id));
      for (auto& note : original_notes) {
        if (note.visibility == domain::NoteVisibility::kPublic) o.public_notes.push_back(note);
      }
      out.original = std::move(o);
    }
  }
  return out;
}

}  // namespace onestop::services
