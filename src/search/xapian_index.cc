#include "search/xapian_index.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "markdown/markdown.h"

namespace onestop::search {
namespace {

constexpr char kLastSeqKey[] = "onestop.last_seq";
// Document data: kind, id, title, snippet text separated by \x1f.
constexpr char kSep = '\x1f';
constexpr unsigned kTitleWeight = 5, kKeywordWeight = 3, kSummaryWeight = 2, kBodyWeight = 1;
constexpr size_t kSnippetLength = 180;
constexpr char kPublicTerm[] = "XVpublic";
constexpr char kPrivateTerm[] = "XVprivate";

absl::Status XapianError(const Xapian::Error& e, std::string_view what) {
  return absl::InternalError(absl::StrCat("search index: ", std::string(what), ": ", e.get_description()));
}

std::string Lower(std::string_view text) { return absl::AsciiStrToLower(std::string(text)); }

// Lower-cased alphanumeric words of `text`.
std::vector<std::string> Words(std::string_view text) {
  std::vector<std::string> out;
  std::string word;
  for (char ch : text) {
    if (std::isalnum(static_cast<unsigned char>(ch))) {
      word += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    } else if (!word.empty()) {
      out.push_back(std::move(word));
      word.clear();
    }
  }
  if (!word.empty()) out.push_back(std::move(word));
  return out;
}

// Question words carry no meaning in "when is my bin collected"; leaving
// them in would make an AND query miss and confuse spelling correction.
const Xapian::SimpleStopper& EnglishStopper() {
  static const Xapian::SimpleStopper* stopper = [] {
    auto* s = new Xapian::SimpleStopper();
    for (const char* word :
         {"a", "about", "an", "and", "are", "as", "at", "be", "by", "can", "do", "does", "for",
          "from", "how", "i", "in", "is", "it", "me", "my", "of", "on", "or", "our", "the", "to",
          "what", "when", "where", "which", "who", "why", "will", "with", "you", "your", "we",
          "us", "get", "there", "this", "that", "have", "has", "need", "want", "please"}) {
      s->add(word);
    }
    return s;
  }();
  return *stopper;
}

}  // namespace

struct XapianIndex::Doc {
  std::string kind;
  std::string id;
  std::string title;
  std::string keywords;
  std::string summary;
  std::string body;  // plain text
  // The texts in other languages (Welsh …), so a resident finds a document by
  // the words of the language they read; shown data stays English (the
  // pages name hits in the reader's language from the record itself).
  std::string translated_title;
  std::string translated_text;
  std::string snippet_text;
  std::vector<std::string> filters;  // boolean terms
  bool is_public = false;
  std::vector<std::string> exact_terms;  // identifiers indexed verbatim (phone, postcode, ref)
};

XapianIndex::XapianIndex(Xapian::WritableDatabase db, std::string dir)
    : db_(std::move(db)), dir_(std::move(dir)) {}

absl::StatusOr<std::unique_ptr<XapianIndex>> XapianIndex::Open(const std::string& dir) {
  try {
    Xapian::WritableDatabase db(dir, Xapian::DB_CREATE_OR_OPEN);
    return std::unique_ptr<XapianIndex>(new XapianIndex(std::move(db), dir));
  } catch (const Xapian::Error& e) {
    return XapianError(e, absl::StrCat("opening ", dir));
  }
}

absl::Status XapianIndex::Put(const Doc& d) {
  try {
    Xapian::Document doc;
    Xapian::TermGenerator gen;
    gen.set_stemmer(Xapian::Stem("english"));
    gen.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
    gen.set_document(doc);
    gen.index_text(d.title, kTitleWeight);
    gen.increase_termpos();
    gen.index_text(d.keywords, kKeywordWeight);
    gen.increase_termpos();
    gen.index_text(d.summary, kSummaryWeight);
    gen.increase_termpos();
    gen.index_text(d.body, kBodyWeight);
    gen.increase_termpos();
    gen.index_text(d.translated_title, kTitleWeight);
    gen.increase_termpos();
    gen.index_text(d.translated_text, kSummaryWeight);
    for (const std::string& term : d.exact_terms) {
      if (!term.empty() && term.size() < 200) doc.add_boolean_term(Lower(term));
    }
    const std::string id_term = absl::StrCat("Q", d.kind, ":", d.id);
    doc.add_boolean_term(id_term);
    doc.add_boolean_term("XK" + d.kind);
    for (const std::string& f : d.filters) doc.add_boolean_term(f);
    // Exactly one of the two, so that Search can test "not private" when that
    // is the cheaper way to select the public documents.
    doc.add_boolean_term(d.is_public ? kPublicTerm : kPrivateTerm);
    doc.set_data(absl::StrCat(d.kind, std::string(1, kSep), d.id, std::string(1, kSep), d.title,
                              std::string(1, kSep), d.snippet_text));
    std::lock_guard<std::mutex> lock(mu_);
    db_.replace_document(id_term, doc);
    if (d.is_public) {
      // Spelling suggestions come only from what the public may see.
      for (const std::string* text : {&d.title, &d.keywords, &d.summary, &d.body, &d.translated_title,
                                      &d.translated_text}) {
        for (const std::string& word : Words(*text)) {
          if (word.size() >= 3 && !std::isdigit(static_cast<unsigned char>(word[0]))) {
            db_.add_spelling(word);
          }
        }
      }
    }
    return absl::OkStatus();
  } catch (const Xapian::Error& e) {
    return XapianError(e, "indexing a document");
  }
}

absl::Status XapianIndex::PutArticle(const domain::Article& a) {
  Doc d;
  d.kind = "article";
  d.id = absl::StrCat(a.id);
  d.title = a.title;
  d.keywords = absl::StrJoin(a.keywords, " ");
  d.summary = a.summary;
  d.body = markdown::MarkdownToText(a.body);
  d.snippet_text = absl::StrCat(a.summary, " ", d.body);
  for (const auto& [lang, text] : a.translations) {
    absl::StrAppend(&d.translated_title, text.title, " ");
    absl::StrAppend(&d.translated_text, text.summary, " ", markdown::MarkdownToText(text.body), " ");
  }
  for (const std::string& s : a.service_codes) d.filters.push_back("XS" + s);
  for (const std::string& dep : a.departments) d.filters.push_back("XD" + dep);
  d.filters.push_back("XA" + std::string(domain::ArticleAudienceName(a.audience)));
  d.filters.push_back("XT" + std::string(domain::ArticleStatusName(a.status)));
  d.is_public = a.IsPublic();
  return Put(d);
}

absl::Status XapianIndex::PutService(const domain::Service& s) {
  Doc d;
  d.kind = "service";
  d.id = s.code;
  d.title = s.name;
  d.keywords = absl::StrCat(absl::StrJoin(s.keywords, " "), " ", s.group);
  d.body = s.description;
  d.snippet_text = s.description;
  for (const auto& [lang, text] : s.translations) {
    absl::StrAppend(&d.translated_title, text.name, " ");
    absl::StrAppend(&d.translated_text, absl::StrJoin(text.keywords, " "), " ", text.group, " ",
                    text.description, " ");
  }
  d.filters = {"XS" + s.code, "XD" + s.department, "XApublic"};
  d.is_public = s.active;
  return Put(d);
}

absl::Status XapianIndex::PutCitizen(const domain::Citizen& c) {
  Doc d;
  d.kind = "citizen";
  d.id = absl::StrCat(c.id);
  d.title = c.DisplayName();
  std::vector<std::string> details;
  for (const std::string& phone : c.phones) {
    details.push_back(phone);
    d.exact_terms.push_back(phone);
    // Also the national form ("07700 900123" typed as 07700900123).
    if (phone.rfind("+44", 0) == 0) d.exact_terms.push_back(absl::StrCat("0", phone.substr(3)));
  }
  for (const std::string& email : c.emails) {
    details.push_back(email);
    d.exact_terms.push_back(email);
  }
  for (const domain::Address& address : c.addresses) {
    details.push_back(address.postcode);
    std::string compact;
    for (char ch : address.postcode) {
      if (ch != ' ') compact += ch;
    }
    d.exact_terms.push_back(compact);
  }
  d.keywords = absl::StrJoin(details, " ");
  d.snippet_text = absl::StrJoin(details, " · ");
  if (c.merged_into) d.filters.push_back("XMmerged");
  return Put(d);  // never public
}

absl::Status XapianIndex::PutCase(const domain::Case& c) {
  Doc d;
  d.kind = "case";
  d.id = absl::StrCat(c.id);
  d.title = absl::StrCat(c.reference, " — ", c.summary);
  d.keywords = c.reference;
  d.exact_terms.push_back(c.reference);
  std::string compact;
  for (char ch : c.reference) {
    if (ch != '-') compact += ch;
  }
  d.exact_terms.push_back(compact);
  d.summary = c.summary;
  for (const auto& [field, values] : c.values) d.body += absl::StrJoin(values, " ") + " ";
  d.snippet_text = c.summary;
  d.filters = {"XS" + c.service_code, "XD" + c.department};
  return Put(d);  // never public
}

absl::Status XapianIndex::AddSynonyms(const std::vector<std::string>& group) {
  try {
    Xapian::Stem stem("english");
    std::vector<std::string> words;
    for (const std::string& phrase : group) {
      std::vector<std::string> parts = Words(phrase);
      if (parts.size() == 1) words.push_back(parts[0]);  // multi-word synonyms not supported
    }
    std::lock_guard<std::mutex> lock(mu_);
    for (const std::string& from : words) {
      for (const std::string& to : words) {
        if (from == to) continue;
        // The query parser looks up the stemmed form ("Z" + stem) when
        // stemming and the plain word otherwise; map both to the stem.
        db_.add_synonym(absl::StrCat("Z", stem(from)), absl::StrCat("Z", stem(to)));
        db_.add_synonym(from, absl::StrCat("Z", stem(to)));
      }
    }
    return absl::OkStatus();
  } catch (const Xapian::Error& e) {
    return XapianError(e, "adding synonyms");
  }
}

absl::Status XapianIndex::Commit() {
  try {
    std::lock_guard<std::mutex> lock(mu_);
    db_.commit();
    return absl::OkStatus();
  } catch (const Xapian::Error& e) {
    return XapianError(e, "commit");
  }
}

int64_t XapianIndex::LastSeq() {
  std::lock_guard<std::mutex> lock(mu_);
  int64_t seq = 0;
  if (!absl::SimpleAtoi(db_.get_metadata(kLastSeqKey), &seq)) return 0;
  return seq;
}

absl::Status XapianIndex::SetLastSeq(int64_t seq) {
  try {
    std::lock_guard<std::mutex> lock(mu_);
    db_.set_metadata(kLastSeqKey, absl::StrCat(seq));
    return absl::OkStatus();
  } catch (const Xapian::Error& e) {
    return XapianError(e, "set last seq");
  }
}

int64_t XapianIndex::DocumentCount() {
  std::lock_guard<std::mutex> lock(mu_);
  return db_.get_doccount();
}

absl::Status XapianIndex::Clear() {
  try {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<std::string> ids;
    for (Xapian::TermIterator it = db_.allterms_begin("Q"); it != db_.allterms_end("Q"); ++it) {
      ids.push_back(*it);
    }
    for (const std::string& id : ids) db_.delete_document(id);
    std::vector<std::string> keys;
    for (Xapian::TermIterator it = db_.synonym_keys_begin(); it != db_.synonym_keys_end(); ++it) {
      keys.push_back(*it);
    }
    for (const std::string& key : keys) db_.clear_synonyms(key);
    std::vector<std::pair<std::string, int>> spellings;
    for (Xapian::TermIterator it = db_.spellings_begin(); it != db_.spellings_end(); ++it) {
      spellings.emplace_back(*it, it.get_termfreq());
    }
    for (const auto& [word, freq] : spellings) db_.remove_spelling(word, freq);
    db_.set_metadata(kLastSeqKey, "0");
    db_.commit();
    return absl::OkStatus();
  } catch (const Xapian::Error& e) {
    return XapianError(e, "clear");
  }
}

Xapian::Database XapianIndex::Reader() {
  {
    std::lock_guard<std::mutex> lock(readers_mu_);
    if (!readers_.empty()) {
      Xapian::Database db = std::move(readers_.back());
      readers_.pop_back();
      return db;
    }
  }
  return Xapian::Database(dir_);
}

void XapianIndex::ReturnReader(Xapian::Database db) {
  std::lock_guard<std::mutex> lock(readers_mu_);
  if (readers_.size() < 16) readers_.push_back(std::move(db));
}

absl::StatusOr<domain::SearchResult> XapianIndex::Search(const domain::SearchQuery& q) {
  domain::SearchResult result;
  std::string text(absl::StripAsciiWhitespace(q.text));
  if (text.empty()) return result;
  Xapian::Database db;
  try {
    db = Reader();
    db.reopen();  // see the last commit
    Xapian::Stem stem("english");
    Xapian::QueryParser parser;
    parser.set_stopper(&EnglishStopper());
    parser.set_stemmer(stem);
    parser.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    parser.set_database(db);
    parser.set_default_op(Xapian::Query::OP_AND);
    unsigned flags = Xapian::QueryParser::FLAG_PHRASE | Xapian::QueryParser::FLAG_LOVEHATE |
                     Xapian::QueryParser::FLAG_BOOLEAN | Xapian::QueryParser::FLAG_WILDCARD |
                     Xapian::QueryParser::FLAG_AUTO_SYNONYMS;
    if (q.as_you_type) flags |= Xapian::QueryParser::FLAG_PARTIAL;
    Xapian::Query parsed;
    try {
      parsed = parser.parse_query(text, flags);
    } catch (const Xapian::QueryParserError&) {
      parsed = parser.parse_query(text, Xapian::QueryParser::FLAG_AUTO_SYNONYMS);
    }
    // "Did you mean": only words that match nothing at all are replaced (by
    // the dictionary's suggestion, which holds public words only); known
    // words, stopwords, short words and the word still being typed stay.
    std::string corrected;
    {
      std::vector<std::string> words = Words(text);
      bool changed = false;
      for (size_t word_idx = 0; word_idx < words.size(); ++word_idx) {
        std::string& word = words[word_idx];
        const bool typing = q.as_you_type && word_idx + 1 == words.size();
        if (typing || word.size() < 4 || std::isdigit(static_cast<unsigned char>(word[0])) ||
            EnglishStopper()(word) || db.term_exists(word) || db.term_exists(absl::StrCat("Z", stem(word)))) {
          continue;
        }
        std::string suggestion = db.get_spelling_suggestion(word, 2);
        if (!suggestion.empty() && suggestion != word) {
          word = suggestion;
          changed = true;
        }
      }
      if (changed) corrected = absl::StrJoin(words, " ");
    }

    // Identifiers typed verbatim (a phone number, postcode, case reference,
    // email) match the exact terms of staff-only documents.
    Xapian::Query exact;
    if (q.scope == domain::SearchScope::kStaff) {
      std::string compact;
      for (char ch : Lower(text)) {
        if (ch != ' ' && ch != '-') compact += ch;
      }
      std::vector<Xapian::Query> alts = {Xapian::Query(Lower(text)), Xapian::Query(compact)};
      exact = Xapian::Query(Xapian::Query::OP_OR, alts.begin(), alts.end());
      exact = Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, exact, 50);
    }
    // AND is strict; when it finds nothing, fall back to OR so long
    // questions still rank the best partial matches.
    //
    // Public scope: only documents carrying XVpublic. Filtering on it walks
    // the whole XVpublic posting list (about 1 ms per query at 100,000 public
    // articles), so when private documents are the fewer, "AND NOT
    // XVprivate" selects the same set more cheaply. That is only equivalent
    // when every document carries exactly one of the two terms, which Put
    // guarantees and the counts confirm; an index written before XVprivate
    // existed fails the check and keeps the allowlist filter.
    bool public_by_exclusion = false;
    if (q.scope == domain::SearchScope::kPublic) {
      const Xapian::doccount public_count = db.get_termfreq(kPublicTerm);
      const Xapian::doccount private_count = db.get_termfreq(kPrivateTerm);
      public_by_exclusion =
          private_count < public_count && public_count + private_count == db.get_doccount();
    }
    auto with_filters = [&](Xapian::Query query) {
      std::vector<Xapian::Query> filters;
      if (q.scope == domain::SearchScope::kPublic && !public_by_exclusion) {
        filters.emplace_back(kPublicTerm);
      }
      if (!q.kinds.empty()) {
        std::vector<Xapian::Query> kinds;
        for (const std::string& kind : q.kinds) kinds.emplace_back("XK" + kind);
        filters.emplace_back(Xapian::Query::OP_OR, kinds.begin(), kinds.end());
      }
      if (!q.department.empty()) filters.emplace_back("XD" + q.department);
      if (!q.service_code.empty()) filters.emplace_back("XS" + q.service_code);
      if (q.audience) {
        filters.emplace_back("XA" + std::string(domain::ArticleAudienceName(*q.audience)));
      }
      for (const Xapian::Query& f : filters) query = Xapian::Query(Xapian::Query::OP_FILTER, query, f);
      if (public_by_exclusion) {
        query = Xapian::Query(Xapian::Query::OP_AND_NOT, query, Xapian::Query(kPrivateTerm));
      }
      return query;
    };
    Xapian::Enquire enquire(db);
    enquire.set_weighting_scheme(Xapian::BM25Weight());
    Xapian::Query main = exact.empty() ? parsed : Xapian::Query(Xapian::Query::OP_OR, parsed, exact);
    enquire.set_query(with_filters(main));
    const int limit = std::clamp(q.limit <= 0 ? 20 : q.limit, 1, 100);
    Xapian::MSet mset = enquire.get_mset(0, limit);
    Xapian::Query used = parsed;
    if (mset.empty() && !corrected.empty()) {
      Xapian::Query fixed = parser.parse_query(corrected, flags);
      enquire.set_query(with_filters(fixed));
      mset = enquire.get_mset(0, limit);
      used = fixed;
    }
    if (mset.empty()) {
      parser.set_default_op(Xapian::Query::OP_OR);
      Xapian::Query loose = parser.parse_query(corrected.empty() ? text : corrected, flags);
      enquire.set_query(with_filters(loose));
      mset = enquire.get_mset(0, limit);
      used = loose;
    }
    result.estimated_total = mset.get_matches_estimated();
    result.suggestion = corrected;
    for (Xapian::MSetIterator it = mset.begin(); it != mset.end(); ++it) {
      std::vector<std::string> parts = absl::StrSplit(it.get_document().get_data(), kSep);
      if (parts.size() < 4) continue;
      domain::SearchHit hit;
      hit.kind = parts[0];
      hit.id = parts[1];
      hit.title = parts[2];
      // Default snippet flags: the exhaustive and background-model variants
      // cost several times more per hit for little visible gain here.
      std::string snippet = mset.snippet(parts[3], kSnippetLength, stem, 0, "<mark>", "</mark>", "…");
      hit.snippet = snippet.empty() ? markdown::EscapeHtml(parts[3].substr(0, kSnippetLength))
                                    : snippet;
      hit.score = it.get_weight();
      result.hits.push_back(std::move(hit));
    }
    (void)used;
  } catch (const Xapian::Error& e) {
    return XapianError(e, "search");
  }
  ReturnReader(std::move(db));
  return result;
}

}  // namespace onestop::search
