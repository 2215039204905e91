// The SQLite side of the group-commit writer (store/common/group_commit.h):
// the one write connection, BEGIN IMMEDIATE … COMMIT with synchronous=FULL
// (one fsync per batch), a SAVEPOINT per job.
//
// Threads: the returned writer owns `db`; only its thread uses it.
#pragma once

#include <memory>

#include "store/common/group_commit.h"
#include "store/sqlite/db.h"

namespace onestop::store::sqlite {

std::unique_ptr<GroupCommitWriter> StartWriter(std::unique_ptr<Db> db, int max_batch);

}  // namespace onestop::store::sqlite
