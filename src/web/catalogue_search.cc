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
    const auto byte = static_cast<unsigned char>(ch);
    // Bytes of multi-byte UTF-8 letters (ŵ, ŷ, â) belong to the word.
    if (std::isalnum(byte) || byte >= 0x80) {
      current += static_cast<char>(std::tolower(byte));
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
                                            std::string_view query, std::string_view lang) {
  std::vector<const domain::Service*> pointers;
  for (const auto& s : services) pointers.push_back(&s);
  std::vector<domain::Service> out;
  for (const domain::Service* s : SearchServices(pointers, query, lang)) out.push_back(*s);
  return out;
}

std::vector<const domain::Service*> SearchServices(const std::vector<const domain::Service*>& services,
                                                   std::string_view query, std::string_view lang) {
  const std::vector<std::string> query_words = Words(query);
  std::vector<std::pair<int, const domain::Service*>> scored;
  if (query_words.empty()) return {};
  for (const domain::Service* service : services) {
    const domain::Service& s = *service;
    std::string keywords;
    for (const auto& k : s.keywords) keywords += k + " ";
    std::string names = s.name;
    std::string rest_text = s.group + " " + s.description;
    if (lang != "en") {
      for (const auto& k : domain::KeywordsIn(s, lang)) keywords += k + " ";
      names += " " + domain::NameIn(s, lang);
      rest_text += " " + domain::GroupIn(s, lang) + " " + domain::DescriptionIn(s, lang);
    }
    const auto name = Words(names);
    const auto keys = Words(keywords);
    const auto rest = Words(rest_text);
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
  std::sort(scored.begin(), scored.end(), [lang](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first
                              : domain::NameIn(*a.second, lang) < domain::NameIn(*b.second, lang);
  });
  std::vector<const domain::Service*> out;
  for (const auto& [score, s] : scored) out.push_back(s);
  return out;
}

}  // namespace onestop::web
