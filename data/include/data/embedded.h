// Files from data/ compiled into the binary (see data/CMakeLists.txt).
#pragma once

#include <string_view>

namespace onestop::data {

// data/bank-holidays-england-and-wales.txt: one "YYYY-MM-DD" per line.
extern const std::string_view kBankHolidaysEnglandWales;
// data/demo/council.json: the fictional demo council (departments, teams,
// services, staff, citizens). Format: docs/catalogue-format.md.
extern const std::string_view kDemoCouncil;

}  // namespace onestop::data
