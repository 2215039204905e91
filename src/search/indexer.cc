#include "search/indexer.h"

#include <set>
#include <string>
#include <utility>

#include "absl/strings/numbers.h"
#include "common/status.h"
#include "search/xapian_index.h"
#include "spdlog/spdlog.h"

namespace onestop::search {

Indexer::Indexer(domain::Store& store, XapianIndex& index, absl::Duration poll)
    : store_(store), index_(index), poll_(poll) {}

Indexer::~Indexer() { Stop(); }

absl::Status Indexer::IndexSynonyms() {
  ONESTOP_ASSIGN_OR_RETURN(std::vector<domain::Service> services, store_.ListServices());
  for (const domain::Service& service : services) {
    if (service.keywords.size() >= 2) ONESTOP_RETURN_IF_ERROR(index_.AddSynonyms(service.keywords));
  }
  return absl::OkStatus();
}

absl::Status Indexer::CatchUp() {
  while (true) {
    domain::EventQuery query;
    query.after_seq = index_.LastSeq();
    query.limit = 1000;
    ONESTOP_ASSIGN_OR_RETURN(std::vector<domain::Event> events, store_.ListEvents(query));
    if (events.empty()) return absl::OkStatus();
    std::set<int64_t> articles, citizens, cases;
    std::set<std::string> services;
    for (const domain::Event& event : events) {
      if (event.entity == "article") articles.insert(event.entity_id);
      if (event.entity == "service") services.insert(event.entity_key);
      if (event.entity == "citizen" && event.entity_id > 0) citizens.insert(event.entity_id);
      if (event.citizen_id) citizens.insert(*event.citizen_id);
      if (event.case_id) cases.insert(*event.case_id);
      if (event.entity == "case" && event.entity_id > 0) cases.insert(event.entity_id);
    }
    for (int64_t id : articles) {
      absl::StatusOr<domain::Article> article = store_.GetArticle(id);
      if (article.ok()) ONESTOP_RETURN_IF_ERROR(index_.PutArticle(*article));
    }
    for (const std::string& code : services) {
      absl::StatusOr<domain::Service> service = store_.GetService(code);
      if (service.ok()) ONESTOP_RETURN_IF_ERROR(index_.PutService(*service));
    }
    if (!services.empty()) ONESTOP_RETURN_IF_ERROR(IndexSynonyms());
    for (int64_t id : citizens) {
      absl::StatusOr<domain::Citizen> citizen = store_.GetCitizen(id);
      if (citizen.ok()) ONESTOP_RETURN_IF_ERROR(index_.PutCitizen(*citizen));
    }
    for (int64_t id : cases) {
      absl::StatusOr<domain::Case> c = store_.GetCase(id);
      if (c.ok()) ONESTOP_RETURN_IF_ERROR(index_.PutCase(*c));
    }
    ONESTOP_RETURN_IF_ERROR(index_.SetLastSeq(events.back().seq));
    ONESTOP_RETURN_IF_ERROR(index_.Commit());
  }
}

absl::Status Indexer::Rebuild(const std::function<void(int64_t, int64_t)>& progress) {
  // The seq to resume from is read first: anything committed during the
  // rebuild is at a later seq and is picked up by the next CatchUp.
  ONESTOP_ASSIGN_OR_RETURN(std::vector<domain::Event> tail, [&]() {
    domain::EventQuery q;
    q.after_seq = 0;
    q.limit = 1;
    return store_.ListEvents(q);
  }());
  int64_t last_seq = 0;
  {
    // Walk to the end of the log (ListEvents pages forward).
    domain::EventQuery q;
    q.limit = 1000;
    while (true) {
      q.after_seq = last_seq;
      ONESTOP_ASSIGN_OR_RETURN(std::vector<domain::Event> page, store_.ListEvents(q));
      if (page.empty()) break;
      last_seq = page.back().seq;
    }
  }
  (void)tail;
  ONESTOP_RETURN_IF_ERROR(index_.Clear());
  ONESTOP_ASSIGN_OR_RETURN(std::vector<domain::Article> articles, store_.ListArticles());
  ONESTOP_ASSIGN_OR_RETURN(std::vector<domain::Service> services, store_.ListServices());
  // Citizens and cases are found through the event log's ids (the store has
  // no "list every citizen" query), which covers every record ever written.
  std::set<int64_t> citizen_ids, case_ids;
  {
    domain::EventQuery q;
    q.limit = 1000;
    int64_t after = 0;
    while (after < last_seq) {
      q.after_seq = after;
      ONESTOP_ASSIGN_OR_RETURN(std::vector<domain::Event> page, store_.ListEvents(q));
      if (page.empty()) break;
      for (const domain::Event& event : page) {
        if (event.entity == "citizen" && event.entity_id > 0) citizen_ids.insert(event.entity_id);
        if (event.citizen_id) citizen_ids.insert(*event.citizen_id);
        if (event.case_id) case_ids.insert(*event.case_id);
        if (event.entity == "case" && event.entity_id > 0) case_ids.insert(event.entity_id);
      }
      after = page.back().seq;
    }
  }
  const int64_t total = static_cast<int64_t>(articles.size() + services.size() +
                                             citizen_ids.size() + case_ids.size());
  int64_t done = 0;
  auto tick = [&] {
    ++done;
    if (progress && (done % 100 == 0 || done == total)) progress(done, total);
  };
  for (const domain::Article& article : articles) {
    ONESTOP_RETURN_IF_ERROR(index_.PutArticle(article));
    tick();
  }
  for (const domain::Service& service : services) {
    ONESTOP_RETURN_IF_ERROR(index_.PutService(service));
    tick();
  }
  ONESTOP_RETURN_IF_ERROR(IndexSynonyms());
  for (int64_t id : citizen_ids) {
    absl::StatusOr<domain::Citizen> citizen = store_.GetCitizen(id);
    if (citizen.ok()) ONESTOP_RETURN_IF_ERROR(index_.PutCitizen(*citizen));
    tick();
  }
  for (int64_t id : case_ids) {
    absl::StatusOr<domain::Case> c = store_.GetCase(id);
    if (c.ok()) ONESTOP_RETURN_IF_ERROR(index_.PutCase(*c));
    tick();
  }
  if (progress && total == 0) progress(0, 0);
  ONESTOP_RETURN_IF_ERROR(index_.SetLastSeq(last_seq));
  return index_.Commit();
}

void Indexer::Start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { Run(); });
}

void Indexer::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Indexer::Wake() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    woken_ = true;
  }
  cv_.notify_all();
}

void Indexer::Run() {
  while (true) {
    absl::Status status = CatchUp();
    if (!status.ok()) spdlog::warn("search indexer: {}", std::string(status.message()));
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, absl::ToChronoMilliseconds(poll_), [this] { return woken_ || stopping_; });
    if (stopping_) return;
    woken_ = false;
  }
}

}  // namespace onestop::search
