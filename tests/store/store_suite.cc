// Store suite, part 1: round trips of every type, errors, unique keys,
// optimistic concurrency, sessions, idempotency records.
#include "tests/store/store_suite.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/status.h"

namespace onestop::store_test {

using domain::Case;
using domain::Citizen;
using domain::WriteTxn;

// A time with microseconds, to check nothing is rounded.
const absl::Time kT0 = absl::FromUnixMicros(1'764'063'000'123'456);

void StoreSuite::SetUp() {
  if (!GetParam().unavailable.empty()) GTEST_SKIP() << GetParam().unavailable;
  store_ = GetParam().make();
  ASSERT_NE(store_, nullptr);
}

void StoreSuite::TearDown() {
  if (store_) store_->Close();
  store_.reset();
}

void StoreSuite::Reopen() {
  store_->Close();
  store_.reset();
  store_ = GetParam().reopen();
  ASSERT_NE(store_, nullptr);
}

Case StoreSuite::AddCase(Case c) {
  absl::Status status = store_->Write([&c](WriteTxn& txn) -> absl::Status {
    absl::StatusOr<int64_t> number = txn.NextCaseNumber();
    if (!number.ok()) return number.status();
    c.id = *number;
    c.reference = absl::StrCat("REF-", *number);
    return txn.InsertCase(c);
  });
  EXPECT_TRUE(status.ok()) << status;
  return c;
}

int64_t StoreSuite::AddCitizen(const Citizen& citizen) {
  int64_t id = 0;
  absl::Status status = store_->Write([&](WriteTxn& txn) -> absl::Status {
    absl::StatusOr<int64_t> inserted = txn.InsertCitizen(citizen);
    if (!inserted.ok()) return inserted.status();
    id = *inserted;
    return absl::OkStatus();
  });
  EXPECT_TRUE(status.ok()) << status;
  return id;
}

Case FullCase() {
  Case c;
  c.reference = "4K7P-9QX3";
  c.service_code = "missed-bin";
  c.department = "waste";
  c.channel = domain::Channel::kPhone;
  c.status = domain::CaseStatus::kWaitingOnCitizen;
  c.priority = domain::Priority::kUrgent;
  c.team = "waste-crews";
  c.assignee_id = 7;
  c.summary = "Green bin missed again — 3rd time";
  c.values = {{"bin_type", {"green"}}, {"days", {"mon", "thu"}}, {"empty", {}}};
  c.location.uprn = 100023336956;
  c.location.lat = 51.501364;
  c.location.lng = -0.14189;
  c.location.description = "outside the Co-op, by the bus stop";
  c.location.postcode = "SW1A 1AA";
  c.media_urls = {"https://example.org/a.jpg", "https://example.org/b.jpg"};
  c.created_at = kT0;
  c.updated_at = kT0 + absl::Microseconds(1);
  c.due_at = kT0 + absl::Hours(48) + absl::Microseconds(3);
  c.sla_paused_at = kT0 + absl::Minutes(5);
  c.sla_remaining = absl::Hours(7) + absl::Microseconds(11);
  c.resolved_at = kT0 + absl::Hours(1);
  c.closed_at = kT0 + absl::Hours(2);
  c.created_by = 3;
  c.version = 4;
  c.duplicate_of = 123456;  // not a foreign key: an original may come later
  return c;
}

Citizen FullCitizen() {
  Citizen c;
  c.title = "Ms";
  c.given_name = "Ada";
  c.family_name = "Lovelace";
  c.phones = {"07700900123", "02079460000"};
  c.emails = {"ada@example.org", "a.lovelace@example.com"};
  domain::Address home;
  home.uprn = 10033544614;
  home.line1 = "12 Mill Lane";
  home.line2 = "Flat 2";
  home.town = "Camden";
  home.postcode = "NW1 1AA";
  domain::Address work;
  work.line1 = "1 High Street";
  work.town = "Camden";
  work.postcode = "NW1 2BB";
  c.addresses = {home, work};
  c.preferred_channel = domain::Channel::kEmail;
  c.consent = {true, false, true, true};
  c.created_at = kT0;
  c.updated_at = kT0 + absl::Microseconds(999);
  c.version = 1;
  return c;
}

TEST_P(StoreSuite, PingWorks) { STORE_EXPECT_OK(store().Ping()); }

TEST_P(StoreSuite, CaseRoundTripsEveryField) {
  Case stored = AddCase(FullCase());
  absl::StatusOr<Case> got = store().GetCase(stored.id);
  STORE_ASSERT_OK(got);
  EXPECT_EQ(*got, stored);

  // The write transaction sees the row too.
  STORE_ASSERT_OK(store().Write([&](WriteTxn& txn) -> absl::Status {
    absl::StatusOr<Case> inside = txn.GetCase(stored.id);
    if (!inside.ok()) return inside.status();
    EXPECT_EQ(*inside, stored);
    return absl::OkStatus();
  }));
}

TEST_P(StoreSuite, CaseWithOptionalFieldsUnsetRoundTrips) {
  Case c;
  c.service_code = "pothole";
  c.department = "highways";
  c.created_at = kT0;
  c.updated_at = kT0;
  Case stored = AddCase(c);
  absl::StatusOr<Case> got = store().GetCase(stored.id);
  STORE_ASSERT_OK(got);
  EXPECT_EQ(*got, stored);
  EXPECT_FALSE(got->citizen_id.has_value());
  EXPECT_FALSE(got->due_at.has_value());
  EXPECT_TRUE(got->location.empty());
}

TEST_P(StoreSuite, GetMissingRowsIsNotFound) {
  absl::StatusOr<Case> missing = store().GetCase(42);
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(std::string(missing.status().message()).find("case 42 not found"), std::string::npos)
      << missing.status();
  EXPECT_EQ(store().GetCitizen(5).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(store().GetService("nope").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(store().GetStaff(5).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(store().GetStaffByEmail("x@y.z").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(store().GetSession("abc").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(store().GetMerge(1).status().code(), absl::StatusCode::kNotFound);
  absl::Status update = store().Write([](WriteTxn& txn) {
    Case c = FullCase();
    c.id = 99;
    return txn.UpdateCase(c, 1);
  });
  EXPECT_EQ(update.code(), absl::StatusCode::kNotFound) << update;
  absl::Status in_txn = store().Write([](WriteTxn& txn) { return txn.GetCitizen(77).status(); });
  EXPECT_EQ(in_txn.code(), absl::StatusCode::kNotFound) << in_txn;
}

TEST_P(StoreSuite, UpdateCaseChecksVersion) {
  Case stored = AddCase(FullCase());
  Case edited = stored;
  edited.summary = "edited";
  edited.status = domain::CaseStatus::kOpen;
  edited.due_at.reset();
  edited.version = stored.version + 1;
  STORE_ASSERT_OK(store().Write([&](WriteTxn& txn) { return txn.UpdateCase(edited, stored.version); }));
  absl::StatusOr<Case> got = store().GetCase(stored.id);
  STORE_ASSERT_OK(got);
  EXPECT_EQ(*got, edited);

  Case stale = stored;  // still at the old version
  stale.summary = "lost update";
  stale.version = stored.version + 1;
  absl::Status status =
      store().Write([&](WriteTxn& txn) { return txn.UpdateCase(stale, stored.version); });
  EXPECT_EQ(status.code(), absl::StatusCode::kAborted) << status;
  EXPECT_NE(std::string(status.message())
                .find(absl::StrCat("case ", stored.id, " was changed by someone else (version ",
                                   edited.version, ", you had ", stored.version, ")")),
            std::string::npos)
      << status;
  EXPECT_EQ(store().GetCase(stored.id)->summary, "edited");
}

// References are derived from ids one to one (domain/reference.h), so the
// id is the unique key; a repeated id is AlreadyExists.
TEST_P(StoreSuite, DuplicateCaseIdIsAlreadyExists) {
  Case first = AddCase(FullCase());
  absl::Status status = store().Write([&](WriteTxn& txn) -> absl::Status {
    Case c = FullCase();
    c.id = first.id;
    c.reference = "OTHER-REF";
    return txn.InsertCase(c);
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kAlreadyExists) << status;
}

TEST_P(StoreSuite, ApiKeysInsertFindListRevoke) {
  domain::ApiKey key;
  key.name = "FixMyStreet";
  key.key_hash = std::string(64, 'a');
  key.key_prefix = "abcd1234";
  key.created_by = 0;
  key.created_at = absl::FromUnixMicros(1700000000123456);
  int64_t id = 0;
  STORE_ASSERT_OK(store().Write([&](WriteTxn& txn) -> absl::Status {
    absl::StatusOr<int64_t> inserted = txn.InsertApiKey(key);
    if (!inserted.ok()) return inserted.status();
    id = *inserted;
    return absl::OkStatus();
  }));
  key.id = id;
  absl::StatusOr<domain::ApiKey> found = store().GetApiKeyByHash(key.key_hash);
  STORE_ASSERT_OK(found);
  EXPECT_EQ(*found, key);
  EXPECT_EQ(store().GetApiKeyByHash(std::string(64, 'b')).status().code(),
            absl::StatusCode::kNotFound);
  absl::Status duplicate = store().Write([&](WriteTxn& txn) -> absl::Status {
    return txn.InsertApiKey(key).status();
  });
  EXPECT_EQ(duplicate.code(), absl::StatusCode::kAlreadyExists) << duplicate;
  const absl::Time revoked = absl::FromUnixMicros(1700000999000000);
  STORE_ASSERT_OK(store().Write([&](WriteTxn& txn) { return txn.RevokeApiKey(id, revoked); }));
  EXPECT_EQ(store().GetApiKeyByHash(key.key_hash)->revoked_at, revoked);
  EXPECT_EQ(store().Write([&](WriteTxn& txn) { return txn.RevokeApiKey(id + 99, revoked); }).code(),
            absl::StatusCode::kNotFound);
  absl::StatusOr<std::vector<domain::ApiKey>> all = store().ListApiKeys();
  STORE_ASSERT_OK(all);
  ASSERT_EQ(all->size(), 1u);
}

TEST_P(StoreSuite, CaseForUnknownCitizenIsNotFound) {
  absl::Status status = store().Write([](WriteTxn& txn) -> absl::Status {
    Case c = FullCase();
    c.id = 1;
    c.citizen_id = 31337;
    return txn.InsertCase(c);
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound) << status;
}

TEST_P(StoreSuite, CitizenRoundTripsAndUpdates) {
  Citizen citizen = FullCitizen();
  Citizen merged_into = FullCitizen();
  merged_into.given_name = "Other";
  int64_t other_id = AddCitizen(merged_into);
  citizen.merged_into = other_id;
  citizen.id = AddCitizen(citizen);
  ASSERT_GT(citizen.id, 0);
  absl::StatusOr<Citizen> got = store().GetCitizen(citizen.id);
  STORE_ASSERT_OK(got);
  EXPECT_EQ(*got, citizen);

  Citizen edited = citizen;
  edited.phones = {"01632960001"};
  edited.emails.clear();
  edited.addresses.erase(edited.addresses.begin());
  edited.preferred_channel.reset();
  edited.merged_into.reset();
  edited.version = citizen.version + 1;
  STORE_ASSERT_OK(store().Write([&](WriteTxn& txn) { return txn.UpdateCitizen(edited, citizen.version); }));
  got = store().GetCitizen(citizen.id);
  STORE_ASSERT_OK(got);
  EXPECT_EQ(*got, edited);

  absl::Status stale =
      store().Write([&](WriteTxn& txn) { return txn.UpdateCitizen(edited, citizen.version); });
  EXPECT_EQ(stale.code(), absl::StatusCode::kAborted) << stale;
  Citizen ghost = edited;
  ghost.id = 9999;
  absl::Status missing = store().Write([&](WriteTxn& txn) { return txn.UpdateCitizen(ghost, 1); });
  EXPECT_EQ(missing.code(), absl::StatusCode::kNotFound) << missing;
}

// The single view's flags (migration 9): every flag and text round-trips,
// an update can set and clear them, and a citizen without flags reads back
// with none (the columns' defaults).
TEST_P(StoreSuite, CitizenFlagsRoundTripAndClear) {
  Citizen plain = FullCitizen();
  plain.id = AddCitizen(plain);
  absl::StatusOr<Citizen> got = store().GetCitizen(plain.id);
  STORE_ASSERT_OK(got);
  EXPECT_FALSE(got->flags.Any());
  EXPECT_EQ(got->flags, domain::CitizenFlags{});

  Citizen flagged = FullCitizen();
  flagged.flags.vulnerable = true;
  flagged.flags.vulnerability_note = "Recently bereaved; speak slowly.\nPrefers mornings — ŵyr";
  flagged.flags.interpreter_needed = true;
  flagged.flags.interpreter_language = "Polish";
  flagged.flags.email_undeliverable = true;
  flagged.id = AddCitizen(flagged);
  got = store().GetCitizen(flagged.id);
  STORE_ASSERT_OK(got);
  EXPECT_EQ(got->flags, flagged.flags);
  EXPECT_EQ(*got, flagged);

  Citizen cleared = flagged;
  cleared.flags.vulnerable = false;
  cleared.flags.vulnerability_note.clear();
  cleared.flags.email_undeliverable = false;
  cleared.flags.interpreter_language = "Welsh";
  cleared.version = flagged.version + 1;
  STORE_ASSERT_OK(store().Write([&](WriteTxn& txn) { return txn.UpdateCitizen(cleared, flagged.version); }));
  got = store().GetCitizen(cleared.id);
  STORE_ASSERT_OK(got);
  EXPECT_EQ(got->flags, cleared.flags);
  EXPECT_TRUE(got->flags.interpreter_needed);
  EXPECT_EQ(got->flags.interpreter_language, "Welsh");
  EXPECT_FALSE(got->flags.vulnerable);

  // Found by a search too (the same row mapping).
  absl::StatusOr<std::vector<Citizen>> found = store().FindCitizens({.phone = "07700900123"});
  STORE_ASSERT_OK(found);
  bool seen = false;
  for (const auto& c : *found) {
    if (c.id == cleared.id) {
      seen = true;
      EXPECT_EQ(c.flags, cleared.flags);
    }
  }
  EXPECT_TRUE(seen);
}

TEST_P(StoreSuite, CatalogueRoundTripsAndBumpsServiceVersion) {
  domain::Service s;
  s.code = "missed-bin";
  s.name = "Report a missed bin";
  s.description = "Tell us about a bin we missed";
  s.department = "waste";
  s.group = "Bins and recycling";
  s.keywords = {"bin", "rubbish"};
  s.interaction_type = domain::InteractionType::kBooking;
  s.channels = {domain::Channel::kWeb, domain::Channel::kPhone};
  s.sla = {2, domain::SlaUnit::kWorkingDays};
  s.default_team = "waste-crews";
  s.allow_anonymous = true;
  s.active = false;
  domain::FormField f;
  f.code = "bin_type";
  f.datatype = domain::Datatype::kSingleValueList;
  f.required = true;
  f.order = 1;
  f.description = "Which bin?";
  f.help_text = "The colour of the lid";
  f.values = {{"green", "Green (garden)"}, {"black", "Black (general)"}};
  domain::FormField g;
  g.code = "notes";
  g.datatype = domain::Datatype::kText;
  g.order = 2;
  s.fields = {f, g};
  domain::Service other = s;
  other.code = "abandoned-vehicle";
  other.fields.clear();
  other.keywords.clear();
  other.channels.clear();

  int64_t v1 = 0, v2 = 0;
  STORE_ASSERT_OK(store().Write([&](WriteTxn& txn) -> absl::Status {
    auto a = txn.UpsertService(s);
    if (!a.ok()) return a.status();
    v1 = *a;
    auto b = txn.UpsertService(other);
    if (!b.ok()) return b.status();
    auto c = txn.UpsertService(s);
    if (!c.ok()) return c.status();
    v2 = *c;
    absl::Status d = txn.UpsertDepartment({"waste", "Waste"});
    if (!d.ok()) return d;
    d = txn.UpsertDepartment({"waste", "Waste and Recycling"});
    if (!d.ok()) return d;
    d = txn.UpsertDepartment({"highways", "Highways"});
    if (!d.ok()) return d;
    d = txn.UpsertTeam({"waste-crews", "Crews", "waste"});
    if (!d.ok()) return d;
    return txn.UpsertTeam({"waste-crews", "Waste crews", "waste"});
  }));
  EXPECT_EQ(v1, 1);
  EXPECT_EQ(v2, 2);
  s.version = 2;
  other.version = 1;
  absl::StatusOr<domain::Service> got = store().GetService("missed-bin");
  STORE_ASSERT_OK(got);
  EXPECT_EQ(*got, s);
  auto list = store().ListServices();
  STORE_ASSERT_OK(list);
  EXPECT_EQ(*list, (std::vector<domain::Service>{other, s}));
  auto departments = store().ListDepartments();
  STORE_ASSERT_OK(departments);
  EXPECT_EQ(*departments, (std::vector<domain::Department>{{"highways", "Highways"},
                                                           {"waste", "Waste and Recycling"}}));
  auto teams = store().ListTeams();
  STORE_ASSERT_OK(teams);
  EXPECT_EQ(*teams, (std::vector<domain::Team>{{"waste-crews", "Waste crews", "waste"}}));
}

TEST_P(StoreSuite, StaffAndSessions) {
  domain::StaffUser s;
  s.email = "agent@council.example";
  s.display_name = "Agent Smith";
  s.role = domain::Role::kOfficer;
  s.department = "waste";
  s.team = "waste-crews";
  s.skills = {{"welsh-language", 5}, {"council-tax", 2}};
  s.routing_profile = "counter-staff";
  s.active = false;
  s.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$abc$def";
  s.created_at = kT0;
  s.version = 1;
  STORE_ASSERT_OK(store().Write([&](WriteTxn& txn) -> absl::Status {
    auto id = txn.InsertStaff(s);
    if (!id.ok()) return id.status();
    s.id = *id;
    return absl::OkStatus();
  }));
  EXPECT_EQ(*store().GetStaff(s.id), s);
  EXPECT_EQ(*store().GetStaffByEmail(s.email), s);

  domain::StaffUser dup = s;
  dup.display_name = "Impostor";
  absl::Status status = store().Write([&](WriteTxn& txn) { return txn.InsertStaff(dup).status(); });
  EXPECT_EQ(status.code(), absl::StatusCode::kAlreadyExists) << status;

  domain::StaffUser edited = s;
  edited.role = domain::Role::kAdmin;
  edited.skills.clear();
  edited.routing_profile = "";
  edited.version = 2;
  STORE_ASSERT_OK(store().Write([&](WriteTxn& txn) { return txn.UpdateStaff(edited, 1); }));
  status = store().Write([&](WriteTxn& txn) { return txn.UpdateStaff(edited, 1); });
  EXPECT_EQ(status.code(), absl::StatusCode::kAborted) << status;
  auto all = store().ListStaff();
  STORE_ASSERT_OK(all);
  EXPECT_EQ(*all, std::vector<domain::StaffUser>{edited});

  domain::Session session{"ab12cd", s.id, kT0, kT0 + absl::Hours(8)};
  STORE_ASSERT_OK(store().Write([&](WriteTxn& txn) { return txn.InsertSession(session); }));
  EXPECT_EQ(*store().GetSession("ab12cd"), session);
  status = store().Write([&](WriteTxn& txn) { return txn.InsertSession(session); });
  EXPECT_EQ(status.code(), absl::StatusCode::kAlreadyExists) << status;
  STORE_ASSERT_OK(store().Write([&](WriteTxn& txn) { return txn.DeleteSession("ab12cd"); }));
  EXPECT_EQ(store().GetSession("ab12cd").status().code(), absl::StatusCode::kNotFound);
  STORE_EXPECT_OK(store().Write([&](WriteTxn& txn) { return txn.DeleteSession("ab12cd"); }));
}

TEST_P(StoreSuite, IdempotencyRecords) {
  domain::IdempotencyRecord r{"client-1:abc", std::string(64, 'f'), 201, R"({"id":1})",
                              "/api/cases/1", kT0};
  STORE_ASSERT_OK(store().Write([&](WriteTxn& txn) -> absl::Status {
    auto before = txn.GetIdempotency(r.key);
    if (!before.ok()) return before.status();
    EXPECT_FALSE(before->has_value());
    return txn.PutIdempotency(r);
  }));
  STORE_ASSERT_OK(store().Write([&](WriteTxn& txn) -> absl::Status {
    auto after = txn.GetIdempotency(r.key);
    if (!after.ok()) return after.status();
    EXPECT_EQ(*after, r);
    return absl::OkStatus();
  }));
  absl::Status dup = store().Write([&](WriteTxn& txn) { return txn.PutIdempotency(r); });
  EXPECT_EQ(dup.code(), absl::StatusCode::kAlreadyExists) << dup;
}

TEST_P(StoreSuite, PurgesExpiredSessionsAndOldIdempotencyRecordsInBatches) {
  domain::StaffUser s;
  s.email = "purge@example.org";
  s.display_name = "Purge";
  s.role = domain::Role::kAgent;
  s.password_hash = "$argon2id$x";
  s.created_at = kT0;
  s.version = 1;
  STORE_ASSERT_OK(store().Write([&](WriteTxn& txn) -> absl::Status {
    ONESTOP_ASSIGN_OR_RETURN(s.id, txn.InsertStaff(s));
    for (int i = 0; i < 5; ++i) {
      // Sessions 0-2 expired before kT0 + 1 h; 3 and 4 did not.
      domain::Session session{"tok" + std::to_string(i), s.id, kT0, kT0 + absl::Minutes(30 + 10 * i)};
      ONESTOP_RETURN_IF_ERROR(txn.InsertSession(session));
      domain::IdempotencyRecord r{"k" + std::to_string(i), std::string(64, 'f'), 201, "1", "",
                                  kT0 + absl::Minutes(30 * i)};
      ONESTOP_RETURN_IF_ERROR(txn.PutIdempotency(r));
    }
    return absl::OkStatus();
  }));
  const absl::Time cut = kT0 + absl::Hours(1);
  int64_t first = 0, second = 0, third = 0;
  STORE_ASSERT_OK(store().Write([&](WriteTxn& txn) -> absl::Status {
    ONESTOP_ASSIGN_OR_RETURN(first, txn.DeleteExpiredSessions(cut, 2));
    ONESTOP_ASSIGN_OR_RETURN(second, txn.DeleteExpiredSessions(cut, 2));
    ONESTOP_ASSIGN_OR_RETURN(third, txn.DeleteExpiredSessions(cut, 2));
    return absl::OkStatus();
  }));
  EXPECT_EQ(first, 2);
  EXPECT_EQ(second, 1);
  EXPECT_EQ(third, 0);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(store().GetSession("tok" + std::to_string(i)).ok(), i >= 3) << i;
  }
  int64_t keys = 0;
  STORE_ASSERT_OK(store().Write([&](WriteTxn& txn) -> absl::Status {
    ONESTOP_ASSIGN_OR_RETURN(keys, txn.DeleteIdempotencyBefore(cut, 100));
    return absl::OkStatus();
  }));
  EXPECT_EQ(keys, 2);  // created at +0 and +30 min; +60 min is not before the cut
  STORE_ASSERT_OK(store().Write([&](WriteTxn& txn) -> absl::Status {
    for (int i = 0; i < 5; ++i) {
      ONESTOP_ASSIGN_OR_RETURN(auto r, txn.GetIdempotency("k" + std::to_string(i)));
      EXPECT_EQ(r.has_value(), i >= 2) << i;
    }
    return absl::OkStatus();
  }));
}

TEST_P(StoreSuite, NotesAttachmentsContactsRoundTrip) {
  int64_t citizen = AddCitizen(FullCitizen());
  Case c = FullCase();
  c.citizen_id = citizen;
  c = AddCase(c);
  domain::Note note{0, c.id, domain::NoteVisibility::kPublic, "We will come back Tuesday", 4, kT0};
  domain::Note internal{0, c.id, domain::NoteVisibility::kInternal, "crew sick", 0, kT0};
  domain::Attachment att{0, c.id, "bin.jpg", "image/jpeg", 12345, "blob://x", "ab", 4, kT0};
  domain::Contact contact;
  contact.channel = domain::Channel::kFaceToFace;
  contact.direction = domain::Direction::kOutbound;
  contact.at = kT0;
  contact.staff_id = 4;
  contact.citizen_id = citizen;
  contact.case_id = c.id;
  contact.service_code = "missed-bin";
  contact.reason = "chased";
  contact.outcome = domain::ContactOutcome::kCaseUpdated;
  contact.duration = absl::Seconds(95) + absl::Microseconds(7);
  domain::Contact anonymous;
  anonymous.at = kT0;
  STORE_ASSERT_OK(store().Write([&](WriteTxn& txn) -> absl::Status {
    auto a = txn.InsertNote(note);
    auto b = txn.InsertNote(internal);
    auto d = txn.InsertAttachment(att);
    auto e = txn.InsertContact(contact);
    auto f = txn.InsertContact(anonymous);
    for (auto* r : {&a, &b, &d, &e, &f}) {
      if (!r->ok()) return r->status();
    }
    note.id = *a;
    internal.id = *b;
    att.id = *d;
    contact.id = *e;
    anonymous.id = *f;
    return absl::OkStatus();
  }));
  EXPECT_EQ(*store().ListNotes(c.id), (std::vector<domain::Note>{note, internal}));
  EXPECT_EQ(*store().ListAttachments(c.id), std::vector<domain::Attachment>{att});
  EXPECT_TRUE(store().ListNotes(c.id + 1)->empty());

  domain::ContactQuery all;
  EXPECT_EQ(*store().ListContacts(all), (std::vector<domain::Contact>{contact, anonymous}));
  domain::ContactQuery by_citizen;
  by_citizen.citizen_id = citizen;
  EXPECT_EQ(*store().ListContacts(by_citizen), std::vector<domain::Contact>{contact});
  domain::ContactQuery by_case;
  by_case.case_id = c.id;
  EXPECT_EQ(*store().ListContacts(by_case), std::vector<domain::Contact>{contact});
  domain::ContactQuery by_channel;
  by_channel.channel = domain::Channel::kPhone;
  EXPECT_EQ(*store().ListContacts(by_channel), std::vector<domain::Contact>{anonymous});
  domain::ContactQuery after;
  after.after_id = contact.id;
  EXPECT_EQ(*store().ListContacts(after), std::vector<domain::Contact>{anonymous});

  absl::Status orphan = store().Write([&](WriteTxn& txn) {
    domain::Note n = note;
    n.case_id = 424242;
    return txn.InsertNote(n).status();
  });
  EXPECT_EQ(orphan.code(), absl::StatusCode::kNotFound) << orphan;
}

TEST_P(StoreSuite, EventsRoundTripAndFilter) {
  EXPECT_EQ(*store().LastEventSeq(), 0);
  domain::Event e1;
  e1.at = kT0;
  e1.actor_id = 3;
  e1.channel = domain::Channel::kSms;
  e1.entity = "case";
  e1.entity_id = 10;
  e1.entity_key = "4K7P-9QX3";
  e1.type = "case.status_changed";
  e1.case_id = 10;
  e1.citizen_id = 20;
  e1.changes = {{"status", "new", "open"}, {"assignee", "", "7"}};
  domain::Event e2;
  e2.at = kT0 + absl::Microseconds(1);
  e2.entity = "service";
  e2.entity_key = "missed-bin";
  e2.type = "service.updated";
  domain::Event e3 = e1;
  e3.case_id = 11;
  e3.citizen_id.reset();
  STORE_ASSERT_OK(store().Write([&](WriteTxn& txn) -> absl::Status {
    for (domain::Event* e : {&e1, &e2, &e3}) {
      auto seq = txn.AppendEvent(*e);
      if (!seq.ok()) return seq.status();
      e->seq = *seq;
    }
    return absl::OkStatus();
  }));
  EXPECT_EQ(e1.seq, 1);
  EXPECT_EQ(e2.seq, 2);
  EXPECT_EQ(e3.seq, 3);
  EXPECT_EQ(*store().LastEventSeq(), 3);
  EXPECT_EQ(*store().ListEvents({}), (std::vector<domain::Event>{e1, e2, e3}));
  domain::EventQuery q;
  q.case_id = 10;
  EXPECT_EQ(*store().ListEvents(q), std::vector<domain::Event>{e1});
  q = {};
  q.citizen_id = 20;
  EXPECT_EQ(*store().ListEvents(q), std::vector<domain::Event>{e1});
  q = {};
  q.entity = "service";
  EXPECT_EQ(*store().ListEvents(q), std::vector<domain::Event>{e2});
  q = {};
  q.after_seq = 1;
  q.limit = 1;
  EXPECT_EQ(*store().ListEvents(q), std::vector<domain::Event>{e2});
}

TEST_P(StoreSuite, FailedWriteRollsBackItsChanges) {
  absl::Status status = store().Write([](WriteTxn& txn) -> absl::Status {
    Case c = FullCase();
    c.id = 5;
    absl::Status inserted = txn.InsertCase(c);
    if (!inserted.ok()) return inserted;
    domain::Event e;
    e.entity = "case";
    e.type = "case.created";
    if (!txn.AppendEvent(e).ok()) return absl::InternalError("append failed");
    return absl::FailedPreconditionError("changed my mind");
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(status.message(), "changed my mind");
  EXPECT_EQ(store().GetCase(5).status().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(store().ListEvents({})->empty());
}

TEST_P(StoreSuite, RoutingQueueRoundTripsMediaWallboardAndTargets) {
  domain::RoutingQueue q;
  q.code = "cases-waste";
  q.name = "Waste cases";
  q.strategy = "least_occupied";
  q.skills = {{"waste", 2}};
  q.steps = {{60, 0, 0}};
  q.media = "case_task";
  q.wallboard_group = "Back office";
  q.wallboard_order = -3;
  q.sl_green_pct = 90;
  q.sl_amber_pct = 70;
  q.wait_amber_seconds = 3600;
  q.wait_red_seconds = 14400;
  STORE_ASSERT_OK(store().Write([&](WriteTxn& txn) { return txn.PutRoutingQueue(q, 0); }));
  auto all = store().ListRoutingQueues();
  STORE_ASSERT_OK(all);
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ(all->front(), q);
  q.wallboard_group = "";
  q.media = "voice";
  q.version = 2;
  STORE_ASSERT_OK(store().Write([&](WriteTxn& txn) { return txn.PutRoutingQueue(q, 1); }));
  EXPECT_EQ(store().ListRoutingQueues()->front(), q);
  absl::Status stale = store().Write([&](WriteTxn& txn) { return txn.PutRoutingQueue(q, 1); });
  EXPECT_EQ(stale.code(), absl::StatusCode::kAborted) << stale;
}

TEST_P(StoreSuite, WriteAfterCloseIsUnavailable) {
  store().Close();
  absl::Status status = store().Write([](WriteTxn&) { return absl::OkStatus(); });
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable) << status;
  store().Close();  // idempotent
}

}  // namespace onestop::store_test
