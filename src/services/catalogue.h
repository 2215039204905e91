// The service catalogue as the use cases see it: a read-through cache over the
// store (services are read on every case intake) plus the admin use cases that
// change it. Thread-safe: readers get an immutable snapshot.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "domain/service.h"
#include "domain/staff.h"
#include "services/deps.h"

namespace onestop::services {

class Catalogue {
 public:
  // `max_age` bounds how stale the snapshot may get when another node changes
  // the catalogue; changes made through this process invalidate at once.
  Catalogue(domain::Store& store, const Clock& clock, absl::Duration max_age = absl::Seconds(5));

  struct Snapshot {
    std::vector<domain::Service> services;  // ordered by code
    std::vector<domain::Department> departments;
    std::vector<domain::Team> teams;
    absl::flat_hash_map<std::string, size_t> by_code;
    const domain::Service* Find(const std::string& code) const;
    const domain::Team* FindTeam(const std::string& code) const;
    const domain::Department* FindDepartment(const std::string& code) const;
  };
  absl::StatusOr<std::shared_ptr<const Snapshot>> Get();
  void Invalidate();

 private:
  domain::Store& store_;
  const Clock& clock_;
  absl::Duration max_age_;
  std::mutex mu_;
  std::shared_ptr<const Snapshot> snapshot_;  // guarded by mu_
  absl::Time loaded_at_;                      // guarded by mu_
};

// Everything the public may see: active services (optionally only those
// offered on one channel).
class ListServices {
 public:
  explicit ListServices(Deps deps) : deps_(deps) {}
  // Withdrawn (inactive) services are listed only for admins.
  absl::StatusOr<std::vector<domain::Service>> Run(const domain::Actor& actor,
                                                   std::optional<domain::Channel> channel,
                                                   bool include_inactive = false) const;
  // The same list without copying the services (a page lists them all on
  // every request): pointers into the snapshot, which `snapshot` keeps alive.
  struct Shared {
    std::shared_ptr<const Catalogue::Snapshot> snapshot;
    std::vector<const domain::Service*> services;
  };
  absl::StatusOr<Shared> RunShared(const domain::Actor& actor, std::optional<domain::Channel> channel,
                                   bool include_inactive = false) const;

 private:
  Deps deps_;
};

class GetService {
 public:
  explicit GetService(Deps deps) : deps_(deps) {}
  absl::StatusOr<domain::Service> Run(const std::string& code) const;

 private:
  Deps deps_;
};

// Creates or replaces a service definition (admin). `expected_version` set →
// Aborted if the stored version differs; 0 means "must not exist yet" and
// gives AlreadyExists when it does. Records service.created/updated.
class SaveService {
 public:
  explicit SaveService(Deps deps) : deps_(deps) {}
  absl::StatusOr<domain::Service> Run(const domain::Actor& actor, const domain::Service& service,
                                      std::optional<int64_t> expected_version) const;

 private:
  Deps deps_;
};

class SaveDepartment {
 public:
  explicit SaveDepartment(Deps deps) : deps_(deps) {}
  absl::Status Run(const domain::Actor& actor, const domain::Department& department) const;

 private:
  Deps deps_;
};

class SaveTeam {
 public:
  explicit SaveTeam(Deps deps) : deps_(deps) {}
  absl::Status Run(const domain::Actor& actor, const domain::Team& team) const;

 private:
  Deps deps_;
};

}  // namespace onestop::services
