#include "web/catalogue_search.h"

#include <algorithm>
#include <cctype>
#include <string>

namespace onestop::web {
namespace {

std::vector<std::string> Words(std::string_view text) {
  std::vector<std::string> words;
  std::string current;
  for (char ch : text) {
    if (std::isalnum(static_cast<unsigned char>(ch))) {
      current += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    } else if (!current.empty()) {
      words.push_back(std::move(current));
      current.clear();
    }
  }
  if (!current.empty()) words.push_back(std::move(current));
  return words;
}

bool Hit(const std::vector<std::string>& words, const std::string& q) {
  return std::any_of(words.begin(), words.end(), [&](const std::string& w) {
    return w == q || (q.size() >= 3 && w.rfind(q, 0) == 0);
  });
}

}  // namespace

std::vector<domain::Service> SearchServices(const std::vector<domain::Service>& services,
                                            std::string_view query) {
  const std::vector<std::string> query_words = Words(query);
  std::vector<std::pair<int, const domain::Service*>> scored;
  if (query_words.empty()) return {};
  for (const auto& s : services) {
    std::string keywords;
    for (const auto& k : s.keywords) keywords += k + " ";
    const auto name = Words(s.name);
    const auto keys = Words(keywords);
    const auto rest = Words(s.group + " " + s.description);
    int score = 0;
    bool all = true;
    for (const auto& q : query_words) {
      if (Hit(keys, q)) {
        score += 3;
      } else if (Hit(name, q)) {
        score += 2;
      } else if (Hit(rest, q)) {
        score += 1;
      } else {
        all = false;
        break;
      }
    }
    if (all) scored.push_back({score, &s});
  }
  std::sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second->name < b.second->name;
  });
  std::vector<domain::Service> out;
  for (const auto& [score, s] : scored) out.push_back(*s);
  return out;
}

}  // namespace onestop::web
