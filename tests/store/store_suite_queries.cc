// Store suite, part 2: group commit under concurrency (savepoint isolation,
// gap-free event seq, unique case numbers), durability across reopen,
// merges, and the list/search queries.
#include <algorithm>
#include <map>
#include <atomic>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "tests/store/store_suite.h"

namespace onestop::store_test {

using domain::Case;
using domain::Citizen;
using domain::WriteTxn;

namespace {
const absl::Time kT1 = absl::FromUnixMicros(1'800'000'000'000'001);

// Runs body(thread_idx) on `threads` threads and joins them.
template <typename Body>
void RunThreads(int threads, Body body) {
  std::vector<std::thread> pool;
  for (int thread_idx = 0; thread_idx < threads; ++thread_idx) {
    pool.emplace_back([&body, thread_idx] { body(thread_idx); });
  }
  for (std::thread& t : pool) t.join();
}
}  // namespace

TEST_P(StoreSuite, SavepointsIsolateFailingJobsInABatch) {
  constexpr int kThreads = 48;
  constexpr int kPerThread = 12;
  std::atomic<int> ok_count{0};
  std::vector<std::vector<std::pair<int64_t, bool>>> results(kThreads);  // (case id, should exist)
  RunThreads(kThreads, [&](int thread_idx) {
    for (int write_idx = 0; write_idx < kPerThread; ++write_idx) {
      const bool fail = (thread_idx * kPerThread + write_idx) % 3 == 0;
      int64_t id = 0;
      absl::Status status = store().Write([&](WriteTxn& txn) -> absl::Status {
        absl::StatusOr<int64_t> number = txn.NextCaseNumber();
        if (!number.ok()) return number.status();
        id = *number;
        Case c = FullCase();
        c.id = id;
        c.reference = absl::StrCat("R", id);
        absl::Status inserted = txn.InsertCase(c);
        if (!inserted.ok()) return inserted;
        domain::Event e;
        e.entity = "case";
        e.entity_id = id;
        e.case_id = id;
        e.type = "case.created";
        absl::StatusOr<int64_t> seq = txn.AppendEvent(e);
        if (!seq.ok()) return seq.status();
        if (fail) return absl::InvalidArgumentError(absl::StrCat("job ", id, " fails"));
        return absl::OkStatus();
      });
      if (fail) {
        EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
        EXPECT_EQ(status.message(), absl::StrCat("job ", id, " fails"));
      } else {
        EXPECT_TRUE(status.ok()) << status;
        ++ok_count;
      }
      results[thread_idx].emplace_back(id, !fail);
    }
  });
  std::set<int64_t> expected_cases;
  for (const auto& per_thread : results) {
    for (const auto& [id, should_exist] : per_thread) {
      absl::StatusOr<Case> got = store().GetCase(id);
      if (should_exist) {
        EXPECT_TRUE(got.ok()) << got.status();
        expected_cases.insert(id);
      }
    }
  }
  EXPECT_EQ(static_cast<int>(expected_cases.size()), ok_count.load());
  domain::EventQuery q;
  q.limit = 1000;
  auto events = store().ListEvents(q);
  STORE_ASSERT_OK(events);
  ASSERT_EQ(static_cast<int>(events->size()), ok_count.load());
  std::set<int64_t> event_cases;
  for (size_t event_idx = 0; event_idx < events->size(); ++event_idx) {
    EXPECT_EQ((*events)[event_idx].seq, static_cast<int64_t>(event_idx) + 1);
    event_cases.insert(*(*events)[event_idx].case_id);
  }
  EXPECT_EQ(event_cases, expected_cases);
}

TEST_P(StoreSuite, EventSeqIsGapFreeUnderConcurrency) {
  constexpr int kThreads = 32;
  constexpr int kPerThread = 25;
  std::vector<std::vector<int64_t>> seqs(kThreads);
  RunThreads(kThreads, [&](int thread_idx) {
    for (int write_idx = 0; write_idx < kPerThread; ++write_idx) {
      absl::Status status = store().Write([&](WriteTxn& txn) -> absl::Status {
        domain::Event e;
        e.entity = "citizen";
        e.entity_id = thread_idx;
        e.type = "citizen.updated";
        e.at = kT1;
        absl::StatusOr<int64_t> seq = txn.AppendEvent(e);
        if (!seq.ok()) return seq.status();
        seqs[thread_idx].push_back(*seq);
        return absl::OkStatus();
      });
      EXPECT_TRUE(status.ok()) << status;
    }
  });
  std::vector<int64_t> all;
  for (const auto& per_thread : seqs) {
    EXPECT_TRUE(std::is_sorted(per_thread.begin(), per_thread.end()));
    all.insert(all.end(), per_thread.begin(), per_thread.end());
  }
  std::sort(all.begin(), all.end());
  ASSERT_EQ(all.size(), static_cast<size_t>(kThreads * kPerThread));
  for (size_t seq_idx = 0; seq_idx < all.size(); ++seq_idx) {
    EXPECT_EQ(all[seq_idx], static_cast<int64_t>(seq_idx) + 1);
  }
  domain::EventQuery q;
  q.limit = 1000;
  auto events = store().ListEvents(q);
  STORE_ASSERT_OK(events);
  ASSERT_EQ(events->size(), all.size());
  EXPECT_EQ(events->back().seq, static_cast<int64_t>(all.size()));
}

TEST_P(StoreSuite, CaseNumbersAreUniqueAcrossThreadsAndReopen) {
  if (!GetParam().reopen) GTEST_SKIP() << "backend cannot reopen";
  std::vector<std::vector<int64_t>> numbers(16);
  RunThreads(16, [&](int thread_idx) {
    for (int write_idx = 0; write_idx < 20; ++write_idx) {
      absl::Status status = store().Write([&](WriteTxn& txn) -> absl::Status {
        absl::StatusOr<int64_t> n = txn.NextCaseNumber();
        if (!n.ok()) return n.status();
        numbers[thread_idx].push_back(*n);
        return absl::OkStatus();
      });
      EXPECT_TRUE(status.ok()) << status;
    }
  });
  std::set<int64_t> seen;
  for (const auto& per_thread : numbers) {
    for (int64_t n : per_thread) EXPECT_TRUE(seen.insert(n).second) << "repeated " << n;
  }
  Reopen();
  for (int write_idx = 0; write_idx < 5; ++write_idx) {
    STORE_ASSERT_OK(store().Write([&](WriteTxn& txn) -> absl::Status {
      absl::StatusOr<int64_t> n = txn.NextCaseNumber();
      if (!n.ok()) return n.status();
      EXPECT_TRUE(seen.insert(*n).second) << "repeated after reopen " << *n;
      return absl::OkStatus();
    }));
  }
}

TEST_P(StoreSuite, CommittedDataSurvivesReopen) {
  if (!GetParam().reopen) GTEST_SKIP() << "backend cannot reopen";
  Case c = AddCase(FullCase());
  Citizen citizen = FullCitizen();
  citizen.id = AddCitizen(citizen);
  STORE_ASSERT_OK(store().Write([](WriteTxn& txn) {
    domain::Event e;
    e.entity = "case";
    e.type = "case.created";
    return txn.AppendEvent(e).status();
  }));
  Reopen();
  EXPECT_EQ(*store().GetCase(c.id), c);
  EXPECT_EQ(*store().GetCitizen(citizen.id), citizen);
  EXPECT_EQ(store().ListEvents({})->size(), 1u);
  // The event log continues without a gap after a restart.
  STORE_ASSERT_OK(store().Write([](WriteTxn& txn) -> absl::Status {
    domain::Event e;
    e.entity = "case";
    e.type = "case.updated";
    absl::StatusOr<int64_t> seq = txn.AppendEvent(e);
    if (!seq.ok()) return seq.status();
    EXPECT_EQ(*seq, 2);
    return absl::OkStatus();
  }));
}

TEST_P(StoreSuite, MergeMovesCasesAndContactsAndBack) {
  int64_t from = AddCitizen(FullCitizen());
  int64_t into = AddCitizen(FullCitizen());
  std::vector<int64_t> from_cases;
  for (int case_idx = 0; case_idx < 3; ++case_idx) {
    Case c = FullCase();
    c.citizen_id = from;
    from_cases.push_back(AddCase(c).id);
  }
  Case theirs = FullCase();
  theirs.citizen_id = into;
  theirs = AddCase(theirs);
  std::vector<int64_t> from_contacts;
  STORE_ASSERT_OK(store().Write([&](WriteTxn& txn) -> absl::Status {
    for (int contact_idx = 0; contact_idx < 2; ++contact_idx) {
      domain::Contact contact;
      contact.citizen_id = from;
      contact.at = kT1;
      auto id = txn.InsertContact(contact);
      if (!id.ok()) return id.status();
      from_contacts.push_back(*id);
    }
    return absl::OkStatus();
  }));

  domain::CitizenMerge merge;
  merge.from_citizen = from;
  merge.into_citizen = into;
  merge.merged_by = 9;
  merge.merged_at = kT1;
  STORE_ASSERT_OK(store().Write([&](WriteTxn& txn) -> absl::Status {
    auto cases = txn.MoveAllCases(from, into);
    if (!cases.ok()) return cases.status();
    auto contacts = txn.MoveAllContacts(from, into);
    if (!contacts.ok()) return contacts.status();
    merge.moved_cases = *cases;
    merge.moved_contacts = *contacts;
    auto id = txn.InsertMerge(merge);
    if (!id.ok()) return id.status();
    merge.id = *id;
    return absl::OkStatus();
  }));
  EXPECT_EQ(merge.moved_cases, from_cases);
  EXPECT_EQ(merge.moved_contacts, from_contacts);
  EXPECT_EQ(*store().GetMerge(merge.id), merge);
  for (int64_t id : from_cases) {
    absl::StatusOr<Case> moved = store().GetCase(id);
    STORE_ASSERT_OK(moved);
    EXPECT_EQ(moved->citizen_id, into);
    EXPECT_GT(moved->version, FullCase().version);  // the ETag changes with the owner
  }
  domain::CaseQuery of_into;
  of_into.citizen_id = into;
  EXPECT_EQ(store().ListCases(of_into)->items.size(), 4u);
  domain::ContactQuery contacts_of_from;
  contacts_of_from.citizen_id = from;
  EXPECT_TRUE(store().ListContacts(contacts_of_from)->empty());

  // Unmerge: move exactly the recorded ids back.
  merge.reversed_at = kT1 + absl::Hours(1);
  merge.reversed_by = 10;
  STORE_ASSERT_OK(store().Write([&](WriteTxn& txn) -> absl::Status {
    absl::Status status = txn.MoveCases(merge.moved_cases, from);
    if (status.ok()) status = txn.MoveContacts(merge.moved_contacts, from);
    if (status.ok()) status = txn.UpdateMerge(merge);
    return status;
  }));
  EXPECT_EQ(*store().GetMerge(merge.id), merge);
  domain::CaseQuery of_from;
  of_from.citizen_id = from;
  auto back = store().ListCases(of_from);
  STORE_ASSERT_OK(back);
  ASSERT_EQ(back->items.size(), 3u);
  EXPECT_EQ(store().GetCase(theirs.id)->citizen_id, into);
  EXPECT_EQ(store().ListContacts(contacts_of_from)->size(), 2u);

  absl::Status missing = store().Write([&](WriteTxn& txn) {
    return txn.MoveCases({987654}, from);
  });
  EXPECT_EQ(missing.code(), absl::StatusCode::kNotFound) << missing;
  domain::CitizenMerge ghost = merge;
  ghost.id = 555;
  missing = store().Write([&](WriteTxn& txn) { return txn.UpdateMerge(ghost); });
  EXPECT_EQ(missing.code(), absl::StatusCode::kNotFound) << missing;
}

TEST_P(StoreSuite, ListCasesFiltersAndPages) {
  int64_t citizen = AddCitizen(FullCitizen());
  std::vector<Case> cases;
  for (int case_idx = 0; case_idx < 10; ++case_idx) {
    Case c = FullCase();
    c.status = case_idx % 2 == 0 ? domain::CaseStatus::kOpen : domain::CaseStatus::kClosed;
    c.service_code = case_idx < 5 ? "missed-bin" : "pothole";
    c.team = case_idx % 3 == 0 ? "crews" : "roads";
    c.department = case_idx < 7 ? "waste" : "highways";
    if (case_idx == 4) c.assignee_id.reset();
    if (case_idx == 6) c.assignee_id = 99;
    c.citizen_id = case_idx == 2 ? std::optional<int64_t>(citizen) : std::nullopt;
    c.due_at = kT1 + absl::Hours(case_idx);
    if (case_idx == 9) c.due_at.reset();
    c.summary = case_idx == 8 ? "Fly-tipping 50% of the lane" : absl::StrCat("summary ", case_idx);
    cases.push_back(AddCase(c));
  }
  auto ids = [](const absl::StatusOr<domain::CasePage>& page) {
    std::vector<int64_t> out;
    if (page.ok()) {
      for (const Case& c : page->items) out.push_back(c.id);
    }
    return out;
  };
  auto id_of = [&](std::initializer_list<int> idxs) {
    std::vector<int64_t> out;
    for (int idx : idxs) out.push_back(cases[idx].id);
    return out;
  };
  domain::CaseQuery q;
  q.statuses = {domain::CaseStatus::kOpen};
  EXPECT_EQ(ids(store().ListCases(q)), id_of({0, 2, 4, 6, 8}));
  q.statuses = {domain::CaseStatus::kOpen, domain::CaseStatus::kClosed};
  EXPECT_EQ(ids(store().ListCases(q)).size(), 10u);
  q = {};
  q.service_code = "pothole";
  EXPECT_EQ(ids(store().ListCases(q)), id_of({5, 6, 7, 8, 9}));
  q = {};
  q.team = "crews";
  EXPECT_EQ(ids(store().ListCases(q)), id_of({0, 3, 6, 9}));
  q = {};
  q.department = "highways";
  EXPECT_EQ(ids(store().ListCases(q)), id_of({7, 8, 9}));
  q = {};
  q.assignee_id = 99;
  EXPECT_EQ(ids(store().ListCases(q)), id_of({6}));
  q = {};
  q.unassigned_only = true;
  EXPECT_EQ(ids(store().ListCases(q)), id_of({4}));
  q = {};
  q.citizen_id = citizen;
  EXPECT_EQ(ids(store().ListCases(q)), id_of({2}));
  q = {};
  q.due_before = kT1 + absl::Hours(2);
  EXPECT_EQ(ids(store().ListCases(q)), id_of({0, 1}));
  q = {};
  q.text = "50%";  // a LIKE wildcard in the text is matched literally
  EXPECT_EQ(ids(store().ListCases(q)), id_of({8}));
  q.text = "summary 3";
  EXPECT_EQ(ids(store().ListCases(q)), id_of({3}));
  q.text = absl::AsciiStrToLower(cases[5].reference);  // reference prefix, any case
  EXPECT_EQ(ids(store().ListCases(q)), id_of({5}));
  q = {};
  q.statuses = {domain::CaseStatus::kOpen};
  q.department = "waste";
  q.service_code = "missed-bin";
  EXPECT_EQ(ids(store().ListCases(q)), id_of({0, 2, 4}));

  // Cursor pagination over all ten, three at a time.
  q = {};
  q.limit = 3;
  std::vector<int64_t> seen;
  int pages = 0;
  while (true) {
    auto page = store().ListCases(q);
    STORE_ASSERT_OK(page);
    ++pages;
    for (const Case& c : page->items) seen.push_back(c.id);
    if (page->next_after_id == 0) break;
    EXPECT_EQ(page->next_after_id, page->items.back().id);
    q.after_id = page->next_after_id;
  }
  EXPECT_EQ(pages, 4);
  EXPECT_EQ(seen, id_of({0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
  q = {};
  q.limit = 10;  // exactly all: no next page
  EXPECT_EQ(store().ListCases(q)->next_after_id, 0);

  auto counts = store().CountCasesByStatus();
  STORE_ASSERT_OK(counts);
  std::map<domain::CaseStatus, int64_t> by_status(counts->begin(), counts->end());
  EXPECT_EQ(by_status[domain::CaseStatus::kOpen], 5);
  EXPECT_EQ(by_status[domain::CaseStatus::kClosed], 5);
  EXPECT_EQ(by_status.count(domain::CaseStatus::kNew), 0u);
}

TEST_P(StoreSuite, FindCitizensByEachCriterion) {
  Citizen ada = FullCitizen();
  ada.id = AddCitizen(ada);
  Citizen bob = FullCitizen();
  bob.given_name = "Bob";
  bob.family_name = "Adams";
  bob.phones = {"07700900999"};
  bob.emails = {"bob@example.org"};
  bob.addresses.resize(1);
  bob.addresses[0].postcode = "NW1 1AA";
  bob.id = AddCitizen(bob);
  Citizen merged = FullCitizen();
  merged.given_name = "Adele";
  merged.phones = {"07700900999"};
  merged.merged_into = ada.id;
  merged.id = AddCitizen(merged);

  auto find = [&](domain::CitizenQuery q) {
    std::vector<int64_t> out;
    auto found = store().FindCitizens(q);
    EXPECT_TRUE(found.ok()) << found.status();
    if (found.ok()) {
      for (const Citizen& c : *found) out.push_back(c.id);
    }
    return out;
  };
  domain::CitizenQuery q;
  q.phone = "02079460000";
  EXPECT_EQ(find(q), std::vector<int64_t>{ada.id});
  q.phone = "07700900999";
  EXPECT_EQ(find(q), std::vector<int64_t>{bob.id});
  q.include_merged = true;
  EXPECT_EQ(find(q), (std::vector<int64_t>{bob.id, merged.id}));
  q = {};
  q.email = "a.lovelace@example.com";
  EXPECT_EQ(find(q), std::vector<int64_t>{ada.id});
  q = {};
  q.postcode = "NW1 1AA";
  EXPECT_EQ(find(q), (std::vector<int64_t>{ada.id, bob.id}));
  q.postcode = "NW1 2BB";
  EXPECT_EQ(find(q), std::vector<int64_t>{ada.id});
  q = {};
  q.name = "ad";  // given "Ada", family "Adams"; merged "Adele" skipped
  EXPECT_EQ(find(q), (std::vector<int64_t>{ada.id, bob.id}));
  q.name = "LOVE";
  EXPECT_EQ(find(q), std::vector<int64_t>{ada.id});
  q.name = "%";
  EXPECT_TRUE(find(q).empty());
  q = {};
  q.name = "ad";
  q.postcode = "NW1 2BB";  // ANDed
  EXPECT_EQ(find(q), std::vector<int64_t>{ada.id});
  q.limit = 1;
  q.postcode.clear();
  EXPECT_EQ(find(q), std::vector<int64_t>{ada.id});
  q = {};
  q.email = "nobody@example.org";
  EXPECT_TRUE(find(q).empty());

  // Results are whole citizens.
  q = {};
  q.email = "ada@example.org";
  auto found = store().FindCitizens(q);
  STORE_ASSERT_OK(found);
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ((*found)[0], ada);
}

TEST_P(StoreSuite, ListEventsByTimeRange) {
  // Routing and case events interleaved in seq order, one second apart,
  // plus two whose clocks disagree with the order they were written in: one
  // written first with a late time (50), one written last with an early time (99).
  std::vector<domain::Event> events;
  auto add = [&](int64_t id, const std::string& entity, absl::Duration offset) {
    domain::Event e;
    e.at = kT1 + offset;
    e.entity = entity;
    e.entity_id = id;
    e.type = absl::StrCat(entity, ".x");
    events.push_back(e);
  };
  add(50, "routing", absl::Seconds(5));
  for (int event_idx = 0; event_idx < 8; ++event_idx) {
    add(event_idx, event_idx % 2 == 0 ? "routing" : "case", absl::Seconds(event_idx));
  }
  add(99, "routing", absl::Seconds(3));
  STORE_ASSERT_OK(store().Write([&](WriteTxn& txn) -> absl::Status {
    for (domain::Event& e : events) {
      absl::StatusOr<int64_t> seq = txn.AppendEvent(e);
      if (!seq.ok()) return seq.status();
      e.seq = *seq;
    }
    return absl::OkStatus();
  }));
  auto ids = [&](const domain::EventQuery& q) {
    std::vector<int64_t> out;
    auto found = store().ListEvents(q);
    EXPECT_TRUE(found.ok()) << found.status();
    if (found.ok()) {
      for (const domain::Event& e : *found) out.push_back(e.entity_id);
    }
    return out;
  };
  domain::EventQuery q;
  q.from = kT1 + absl::Seconds(2);
  q.to = kT1 + absl::Seconds(6);  // exclusive
  EXPECT_EQ(ids(q), (std::vector<int64_t>{50, 2, 3, 4, 5, 99}));  // seq order
  q.entity = "routing";
  EXPECT_EQ(ids(q), (std::vector<int64_t>{50, 2, 4, 99}));
  q.from.reset();
  EXPECT_EQ(ids(q), (std::vector<int64_t>{50, 0, 2, 4, 99}));
  q.from = kT1 + absl::Seconds(4);
  q.to.reset();
  EXPECT_EQ(ids(q), (std::vector<int64_t>{50, 4, 6}));
  // Exactly at a bound: `from` is in, `to` is out.
  q.from = kT1 + absl::Seconds(2);
  q.to = kT1 + absl::Seconds(2) + absl::Microseconds(1);
  EXPECT_EQ(ids(q), (std::vector<int64_t>{2}));
  q.to = q.from;
  EXPECT_TRUE(ids(q).empty());
  q.from = kT1 + absl::Hours(1);  // nothing that late
  q.to.reset();
  EXPECT_TRUE(ids(q).empty());
  // Paging by seq through a range.
  q = {};
  q.entity = "routing";
  q.from = kT1 + absl::Seconds(1);
  q.to = kT1 + absl::Seconds(7);
  q.limit = 2;
  EXPECT_EQ(ids(q), (std::vector<int64_t>{50, 2}));
  q.after_seq = events[3].seq;  // entity 2
  EXPECT_EQ(ids(q), (std::vector<int64_t>{4, 6}));
  q.after_seq = events[7].seq;  // entity 6
  EXPECT_EQ(ids(q), (std::vector<int64_t>{99}));
  q.after_seq = events[9].seq;
  EXPECT_TRUE(ids(q).empty());
}

TEST_P(StoreSuite, ListCasesByCreatedAtRange) {
  std::vector<Case> cases;
  for (int case_idx = 0; case_idx < 6; ++case_idx) {
    Case c = FullCase();
    c.created_at = kT1 + absl::Hours(case_idx);
    c.service_code = case_idx % 2 == 0 ? "missed-bin" : "pothole";
    cases.push_back(AddCase(c));
  }
  // A case numbered after the others but created among them.
  Case late = FullCase();
  late.created_at = kT1 + absl::Minutes(150);
  late.service_code = "pothole";
  cases.push_back(AddCase(late));
  auto ids = [](const absl::StatusOr<domain::CasePage>& page) {
    std::vector<int64_t> out;
    EXPECT_TRUE(page.ok()) << page.status();
    if (page.ok()) {
      for (const Case& c : page->items) out.push_back(c.id);
    }
    return out;
  };
  domain::CaseQuery q;
  q.created_from = kT1 + absl::Hours(1);
  q.created_to = kT1 + absl::Hours(4);  // exclusive
  EXPECT_EQ(ids(store().ListCases(q)),
            (std::vector<int64_t>{cases[1].id, cases[2].id, cases[3].id, cases[6].id}));
  q.service_code = "pothole";
  EXPECT_EQ(ids(store().ListCases(q)), (std::vector<int64_t>{cases[1].id, cases[3].id, cases[6].id}));
  q = {};
  q.created_from = kT1 + absl::Hours(4);
  EXPECT_EQ(ids(store().ListCases(q)), (std::vector<int64_t>{cases[4].id, cases[5].id}));
  q = {};
  q.created_to = kT1 + absl::Hours(1);
  EXPECT_EQ(ids(store().ListCases(q)), (std::vector<int64_t>{cases[0].id}));
  // Paging inside a range.
  q = {};
  q.created_from = kT1 + absl::Hours(1);
  q.created_to = kT1 + absl::Hours(5);
  q.limit = 3;
  auto page = store().ListCases(q);
  STORE_ASSERT_OK(page);
  EXPECT_EQ(ids(page), (std::vector<int64_t>{cases[1].id, cases[2].id, cases[3].id}));
  EXPECT_EQ(page->next_after_id, cases[3].id);
  q.after_id = page->next_after_id;
  page = store().ListCases(q);
  EXPECT_EQ(ids(page), (std::vector<int64_t>{cases[4].id, cases[6].id}));
  EXPECT_EQ(page->next_after_id, 0);
  q = {};
  q.created_from = kT1 + absl::Hours(9);  // nothing that late
  EXPECT_TRUE(ids(store().ListCases(q)).empty());
}

}  // namespace onestop::store_test
