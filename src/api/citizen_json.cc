#include "api/citizen_json.h"

#include <utility>
#include <variant>

#include <boost/json.hpp>

#include "api/case_json.h"
#include "api/contact_json.h"
#include "codec/catalogue.h"
#include "codec/json_reader.h"
#include "common/time_format.h"

namespace onestop::api {
namespace {

using codec::ErrorList;
using codec::ObjectReader;
using codec::Presence;

constexpr int64_t kMaxUprn = 999'999'999'999;

boost::json::array StringsToJson(const std::vector<std::string>& values) {
  boost::json::array out;
  for (const std::string& v : values) out.emplace_back(v);
  return out;
}

boost::json::array IdsToJson(const std::vector<int64_t>& ids) {
  boost::json::array out;
  for (int64_t id : ids) out.emplace_back(id);
  return out;
}

// Reads every citizen key present in `in` onto `citizen`. Keys that are
// absent leave the field alone (so the same code serves POST and PATCH).
void ReadCitizenFields(const boost::json::value& json, ObjectReader& in, domain::Citizen& citizen) {
  if (auto v = in.String("title")) citizen.title = *v;
  if (auto v = in.String("given_name")) citizen.given_name = *v;
  if (auto v = in.String("family_name")) citizen.family_name = *v;
  if (auto v = in.StringArray("phones")) citizen.phones = *v;
  if (auto v = in.StringArray("emails")) citizen.emails = *v;
  std::vector<domain::Address> addresses;
  bool have_addresses = in.ForEachObject("addresses", [&](ObjectReader& a, size_t) {
    domain::Address address;
    if (auto uprn = a.Int("uprn")) {
      if (*uprn < 1 || *uprn > kMaxUprn) {
        a.errors().Add(a.PathOf("uprn"), "invalid", "uprn_whole_number");
      } else {
        address.uprn = *uprn;
      }
    }
    if (auto line1 = a.String("line1")) address.line1 = *line1;
    if (auto line2 = a.String("line2")) address.line2 = *line2;
    if (auto town = a.String("town")) address.town = *town;
    if (auto postcode = a.String("postcode")) address.postcode = *postcode;
    addresses.push_back(std::move(address));
  });
  if (have_addresses) citizen.addresses = std::move(addresses);
  // preferred_channel: null clears it (the reader treats null as absent).
  const boost::json::value* raw_channel =
      json.is_object() ? json.get_object().if_contains("preferred_channel") : nullptr;
  if (raw_channel != nullptr && raw_channel->is_null()) {
    in.Raw("preferred_channel");
    citizen.preferred_channel.reset();
  } else if (auto v = in.Enum("preferred_channel", domain::ParseChannel, codec::ChannelNames())) {
    citizen.preferred_channel = *v;
  }
  in.WithObject("consent", [&](ObjectReader& c) {
    if (auto v = c.Bool("contact_by_email")) citizen.consent.contact_by_email = *v;
    if (auto v = c.Bool("contact_by_sms")) citizen.consent.contact_by_sms = *v;
    if (auto v = c.Bool("contact_by_phone")) citizen.consent.contact_by_phone = *v;
    if (auto v = c.Bool("research")) citizen.consent.research = *v;
  });
  in.WithObject("flags", [&](ObjectReader& f) {
    if (auto v = f.Bool("vulnerable")) citizen.flags.vulnerable = *v;
    if (auto v = f.String("vulnerability_note")) citizen.flags.vulnerability_note = *v;
    if (auto v = f.Bool("interpreter_needed")) citizen.flags.interpreter_needed = *v;
    if (auto v = f.String("interpreter_language")) citizen.flags.interpreter_language = *v;
    if (auto v = f.Bool("email_undeliverable")) citizen.flags.email_undeliverable = *v;
  });
}

}  // namespace

boost::json::object AddressToJson(const domain::Address& address) {
  boost::json::object out;
  out["uprn"] = IdOrNull(address.uprn);
  out["line1"] = address.line1;
  out["line2"] = address.line2;
  out["town"] = address.town;
  out["postcode"] = address.postcode;
  return out;
}

boost::json::object CitizenToJson(const domain::Citizen& citizen) {
  boost::json::object out;
  out["id"] = citizen.id;
  out["title"] = citizen.title;
  out["given_name"] = citizen.given_name;
  out["family_name"] = citizen.family_name;
  out["name"] = citizen.DisplayName();
  out["phones"] = StringsToJson(citizen.phones);
  out["emails"] = StringsToJson(citizen.emails);
  boost::json::array addresses;
  for (const domain::Address& a : citizen.addresses) addresses.push_back(AddressToJson(a));
  out["addresses"] = std::move(addresses);
  out["preferred_channel"] =
      citizen.preferred_channel
          ? boost::json::value(std::string(domain::ChannelName(*citizen.preferred_channel)))
          : boost::json::value(nullptr);
  out["consent"] = boost::json::object{{"contact_by_email", citizen.consent.contact_by_email},
                                       {"contact_by_sms", citizen.consent.contact_by_sms},
                                       {"contact_by_phone", citizen.consent.contact_by_phone},
                                       {"research", citizen.consent.research}};
  out["flags"] = boost::json::object{{"vulnerable", citizen.flags.vulnerable},
                                     {"vulnerability_note", citizen.flags.vulnerability_note},
                                     {"interpreter_needed", citizen.flags.interpreter_needed},
                                     {"interpreter_language", citizen.flags.interpreter_language},
                                     {"email_undeliverable", citizen.flags.email_undeliverable}};
  out["merged_into"] = IdOrNull(citizen.merged_into);
  out["created_at"] = FormatRfc3339(citizen.created_at);
  out["updated_at"] = FormatRfc3339(citizen.updated_at);
  out["version"] = citizen.version;
  return out;
}

absl::StatusOr<NewCitizen> NewCitizenFromJson(const boost::json::value& json) {
  ErrorList errors;
  ObjectReader in(json, "", errors);
  NewCitizen out;
  ReadCitizenFields(json, in, out.citizen);
  if (auto v = in.Enum("channel", domain::ParseChannel, codec::ChannelNames())) out.channel = *v;
  in.Finish();
  ONESTOP_RETURN_IF_ERROR(errors.ToStatus("The citizen is not valid"));
  return out;
}

absl::Status ApplyCitizenPatch(const boost::json::value& json, domain::Citizen& citizen) {
  ErrorList errors;
  ObjectReader in(json, "", errors);
  domain::Citizen patched = citizen;
  ReadCitizenFields(json, in, patched);
  in.Finish();
  ONESTOP_RETURN_IF_ERROR(errors.ToStatus("The changes are not valid"));
  citizen = std::move(patched);
  return absl::OkStatus();
}

boost::json::object MergeToJson(const domain::CitizenMerge& merge) {
  boost::json::object out;
  out["id"] = merge.id;
  out["from"] = merge.from_citizen;
  out["into"] = merge.into_citizen;
  out["moved_cases"] = IdsToJson(merge.moved_cases);
  out["moved_contacts"] = IdsToJson(merge.moved_contacts);
  out["merged_by"] = merge.merged_by;
  out["merged_at"] = FormatRfc3339(merge.merged_at);
  out["reversed_at"] = TimeOrNull(merge.reversed_at);
  out["reversed_by"] = IdOrNull(merge.reversed_by);
  return out;
}

absl::StatusOr<MergeRequest> MergeRequestFromJson(const boost::json::value& json) {
  ErrorList errors;
  ObjectReader in(json, "", errors);
  MergeRequest out;
  if (auto v = in.Int("from", Presence::kRequired)) {
    if (*v < 1) errors.Add("from", "invalid", "citizen_id_format");
    out.from = *v;
  }
  if (auto v = in.Int("into", Presence::kRequired)) {
    if (*v < 1) errors.Add("into", "invalid", "citizen_id_format");
    out.into = *v;
  }
  in.Finish();
  ONESTOP_RETURN_IF_ERROR(errors.ToStatus("The merge request is not valid"));
  return out;
}

boost::json::object TimelineEntryToJson(const services::TimelineEntry& entry,
                                        const ServiceLookup& service_for) {
  boost::json::object out;
  out["at"] = FormatRfc3339(entry.at);
  if (const auto* contact = std::get_if<domain::Contact>(&entry.item)) {
    out["kind"] = "contact";
    out["contact"] = ContactToJson(*contact);
  } else if (const auto* c = std::get_if<domain::Case>(&entry.item)) {
    out["kind"] = "case";
    out["case"] = CaseToJson(*c, service_for ? service_for(c->service_code) : nullptr);
  } else if (const auto* event = std::get_if<domain::Event>(&entry.item)) {
    out["kind"] = "event";
    out["event"] = EventToJson(*event);
  }
  return out;
}

}  // namespace onestop::api
