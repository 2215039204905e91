// SqliteWriteTxn: the shared SQL write transaction (store/common/
// sql_write_txn.h) on an SQLite connection.
#pragma once

#include "store/common/sql_write_txn.h"
#include "store/sqlite/db.h"

namespace onestop::store::sqlite {

using SqliteWriteTxn = SqlWriteTxn<Db>;

}  // namespace onestop::store::sqlite
