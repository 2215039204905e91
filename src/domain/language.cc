#include "domain/language.h"

namespace onestop::domain {

bool IsLanguageCode(std::string_view code) {
  auto lower = [](char c) { return c >= 'a' && c <= 'z'; };
  auto upper = [](char c) { return c >= 'A' && c <= 'Z'; };
  size_t letters = 0;
  while (letters < code.size() && lower(code[letters])) ++letters;
  if (letters < 2 || letters > 3) return false;
  std::string_view region = code.substr(letters);
  if (region.empty()) return true;
  return region.size() == 3 && region[0] == '-' && upper(region[1]) && upper(region[2]);
}

}  // namespace onestop::domain
