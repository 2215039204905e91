// SqliteStore::TryLead / GetLeader: a role is held by the process holding an
// exclusive flock(2) on "<database file>-<role>.leader". The kernel drops the
// lock when the process dies, so a second process on the same file (not a
// supported deployment, but possible) waits as a standby.
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "store/common/sql_leadership.h"
#include "store/sqlite/db.h"
#include "store/sqlite/read_pool.h"
#include "store/sqlite/sqlite_store.h"

namespace onestop::store::sqlite {
namespace {

class FileLeadership final : public domain::Leadership {
 public:
  FileLeadership(int fd, int64_t epoch, std::string role, SqliteStore& store)
      : fd_(fd), epoch_(epoch), role_(std::move(role)), store_(store) {}
  ~FileLeadership() override { ::close(fd_); }  // releases the flock

  int64_t epoch() const override { return epoch_; }

  absl::Status Check() override {
    ONESTOP_ASSIGN_OR_RETURN(std::optional<domain::LeaderInfo> leader, store_.GetLeader(role_));
    if (!leader || leader->epoch != epoch_) {
      return absl::UnavailableError(absl::StrCat("another process has taken ", role_));
    }
    return absl::OkStatus();
  }

 private:
  const int fd_;
  const int64_t epoch_;
  const std::string role_;
  SqliteStore& store_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<domain::Leadership>> SqliteStore::TryLead(const std::string& role,
                                                                         const std::string& node,
                                                                         absl::Time now) {
  ONESTOP_RETURN_IF_ERROR(sql_leadership::CheckRole(role));
  const std::string lock_path = absl::StrCat(path_, "-", role, ".leader");
  int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return absl::UnavailableError(absl::StrCat("cannot open ", lock_path, ": ", std::strerror(errno)));
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    int err = errno;
    ::close(fd);
    if (err == EWOULDBLOCK) return std::unique_ptr<domain::Leadership>();
    return absl::UnavailableError(absl::StrCat("cannot lock ", lock_path, ": ", std::strerror(err)));
  }
  absl::StatusOr<int64_t> epoch = sql_leadership::TakeEpoch(*this, role, node, now);
  if (!epoch.ok()) {
    ::close(fd);
    return epoch.status();
  }
  return std::unique_ptr<domain::Leadership>(new FileLeadership(fd, *epoch, role, *this));
}

absl::StatusOr<std::optional<domain::LeaderInfo>> SqliteStore::GetLeader(const std::string& role) {
  ReadPool::Lease lease = readers_->Acquire();
  return sql_leadership::Get(lease.db(), role);
}

}  // namespace onestop::store::sqlite
