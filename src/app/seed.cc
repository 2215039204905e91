#include "app/seed.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <boost/json.hpp>

#include "app/dispositions.h"
#include "app/mailboxes.h"
#include "app/telephony.h"
#include "absl/strings/str_join.h"
#include "app/theme.h"
#include "services/popular_services.h"
#include "codec/dispositions.h"
#include "codec/mailboxes.h"
#include "codec/telephony.h"
#include "codec/council_file.h"
#include "common/status.h"
#include "data/embedded.h"
#include "routing/live_engine.h"
#include "services/catalogue.h"
#include "services/citizens.h"
#include "services/sip_accounts.h"
#include "services/staff_admin.h"

namespace onestop::app {

codec::FileReader DemoCouncilFiles() {
  return [](const std::string& path) -> absl::StatusOr<std::string> {
    if (path == "theme/fairhaven-logo.svg") return std::string(data::kDemoLogoSvg);
    return absl::NotFoundError("the demo council has no file " + path);
  };
}

codec::FileReader FilesNextTo(const std::string& council_path) {
  const std::filesystem::path dir = std::filesystem::path(council_path).parent_path();
  return [dir](const std::string& relative) -> absl::StatusOr<std::string> {
    // The codec allows only plain relative paths, so this stays under `dir`.
    const std::filesystem::path path = dir / relative;
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (ec) return absl::NotFoundError("cannot read " + path.string() + ": " + ec.message());
    if (size > 16 * 1024 * 1024) return absl::ResourceExhaustedError(path.string() + " is too large");
    std::ifstream in(path, std::ios::binary);
    if (!in.is_open()) return absl::NotFoundError("cannot read " + path.string());
    std::ostringstream bytes;
    if (size > 0) bytes << in.rdbuf();
    return bytes.str();
  };
}

absl::StatusOr<SeedReport> SeedCouncil(services::Deps deps, std::string_view council_json,
                                       const codec::FileReader& files, std::string_view sip_realm) {
  ONESTOP_ASSIGN_OR_RETURN(codec::CouncilFile council, codec::ParseCouncilFile(council_json, files));
  // ParseCouncilFile has checked it already; checked again here because
  // nothing may be written for a theme that breaks the rules.
  if (council.theme) ONESTOP_RETURN_IF_ERROR(domain::ValidateTheme(*council.theme));
  const domain::Actor system = domain::Actor::System();
  SeedReport report;

  services::SaveDepartment save_department(deps);
  for (const auto& d : council.departments) {
    ONESTOP_RETURN_IF_ERROR(save_department.Run(system, d));
    ++report.departments;
  }
  services::SaveTeam save_team(deps);
  for (const auto& t : council.teams) {
    ONESTOP_RETURN_IF_ERROR(save_team.Run(system, t));
    ++report.teams;
  }
  services::SaveService save_service(deps);
  for (const auto& s : council.services) {
    ONESTOP_RETURN_IF_ERROR(save_service.Run(system, s, std::nullopt).status());
    ++report.services;
  }

  services::CreateStaff create_staff(deps);
  for (const auto& s : council.staff) {
    report.logins.push_back(s.email + " / " + s.password + " (" + s.role +
                            (s.department.empty() ? "" : ", " + s.department) + ")");
    auto existing = deps.store.GetStaffByEmail(s.email);
    if (existing.ok()) continue;
    if (!absl::IsNotFound(existing.status())) return existing.status();
    services::NewStaff input;
    input.email = s.email;
    input.display_name = s.display_name;
    input.role = domain::ParseRole(s.role).value_or(domain::Role::kAgent);
    input.department = s.department;
    input.team = s.team;
    input.skills = s.skills;
    input.password = s.password;
    ONESTOP_RETURN_IF_ERROR(create_staff.Run(system, input).status());
    ++report.staff_created;
  }

  // Phone extensions: set when the staff member has none yet (an admin may
  // have changed it since), skipped when someone else now has the extension.
  services::SetSipAccount set_sip(deps, std::string(sip_realm));
  for (const auto& s : council.staff) {
    if (s.sip_extension.empty()) continue;
    ONESTOP_ASSIGN_OR_RETURN(domain::StaffUser member, deps.store.GetStaffByEmail(s.email));
    absl::StatusOr<domain::SipAccount> existing = deps.store.GetSipAccount(member.id);
    if (existing.ok()) continue;
    if (!absl::IsNotFound(existing.status())) return existing.status();
    absl::StatusOr<domain::SipAccount> set =
        set_sip.Run(system, member.id, s.sip_extension, s.sip_password);
    if (absl::IsAlreadyExists(set.status())) continue;
    ONESTOP_RETURN_IF_ERROR(set.status());
    ++report.sip_accounts_created;
  }

  services::CreateCitizen create_citizen(deps);
  for (const auto& c : council.citizens) {
    // A demo citizen is identified by its first email (or phone) for idempotency.
    domain::CitizenQuery query;
    if (!c.emails.empty()) {
      query.email = domain::NormaliseEmail(c.emails.front());
    } else if (!c.phones.empty()) {
      query.phone = domain::NormalisePhone(c.phones.front());
    } else {
      continue;
    }
    query.include_merged = true;
    ONESTOP_ASSIGN_OR_RETURN(auto found, deps.store.FindCitizens(query));
    if (!found.empty()) continue;
    ONESTOP_RETURN_IF_ERROR(create_citizen.Run(system, c, std::nullopt).status());
    ++report.citizens_created;
  }

  // Routing queues and profiles: added when absent, never overwritten (a
  // supervisor may have changed them since). The engine reads them at start.
  ONESTOP_ASSIGN_OR_RETURN(std::vector<domain::RoutingQueue> queues, deps.store.ListRoutingQueues());
  ONESTOP_ASSIGN_OR_RETURN(std::vector<domain::RoutingProfile> profiles, deps.store.ListRoutingProfiles());
  auto has = [](const auto& list, const std::string& code) {
    return std::any_of(list.begin(), list.end(), [&](const auto& x) { return x.code == code; });
  };
  for (const domain::RoutingQueue& q : council.routing_queues) {
    ONESTOP_RETURN_IF_ERROR(routing::ToQueueConfig(q).status());
    if (has(queues, q.code)) continue;
    ONESTOP_RETURN_IF_ERROR(deps.store.Write([&](domain::WriteTxn& txn) { return txn.PutRoutingQueue(q); }));
    ++report.routing_queues_created;
  }
  for (const domain::RoutingProfile& p : council.routing_profiles) {
    if (has(profiles, p.code)) continue;
    ONESTOP_RETURN_IF_ERROR(deps.store.Write([&](domain::WriteTxn& txn) { return txn.PutRoutingProfile(p); }));
    ++report.routing_profiles_created;
  }

  if (!council.dispositions.empty()) {
    const std::string text = boost::json::serialize(codec::DispositionsToJson(council.dispositions));
    ONESTOP_RETURN_IF_ERROR(deps.store.Write(
        [&](domain::WriteTxn& txn) { return txn.PutSetting(kDispositionsSetting, text); }));
    report.dispositions = static_cast<int>(council.dispositions.size());
  }
  if (council.telephony) {
    // Replaces what was stored, as the dispositions do.
    const std::string text = boost::json::serialize(codec::TelephonyToJson(*council.telephony));
    ONESTOP_RETURN_IF_ERROR(deps.store.Write(
        [&](domain::WriteTxn& txn) { return txn.PutSetting(kTelephonySetting, text); }));
    report.telephony_stored = true;
  }
  if (!council.mailboxes.empty()) {
    const std::string text = boost::json::serialize(codec::MailboxesToJson(council.mailboxes));
    ONESTOP_RETURN_IF_ERROR(deps.store.Write(
        [&](domain::WriteTxn& txn) { return txn.PutSetting(kMailboxesSetting, text); }));
    report.mailboxes = static_cast<int>(council.mailboxes.size());
  }
  if (!council.popular_services.empty()) {
    // services/popular_services.h: one code per line.
    const std::string text = absl::StrJoin(council.popular_services, "\n");
    ONESTOP_RETURN_IF_ERROR(deps.store.Write([&](domain::WriteTxn& txn) {
      return txn.PutSetting(services::kPopularServicesSetting, text);
    }));
  }
  if (council.theme) {
    const std::string text = boost::json::serialize(codec::ThemeToJson(*council.theme));
    ONESTOP_RETURN_IF_ERROR(deps.store.Write(
        [&](domain::WriteTxn& txn) { return txn.PutSetting(kThemeSetting, text); }));
    report.theme_stored = true;
  }
  return report;
}

}  // namespace onestop::app
