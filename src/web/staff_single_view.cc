// The single view of the resident (/staff/citizens/{id}): flags as tags at
// the top, a summary (details, open cases, recent contacts on every
// channel), the timeline in words, and the knowledge base beside it — the
// call script of the interaction's queue or service, suggested articles for
// the service and the words of the enquiry, and one article read in the
// side panel (?article=) without leaving the resident, with "Answered from
// this" recorded on the resident's contact. Also the flags form and the
// service picker for raising a case. Registered by RegisterStaffRoutes.

#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "markdown/markdown.h"
#include "services/call_recordings.h"
#include "services/permissions.h"
#include "web/catalogue_search.h"
#include "web/context.h"
#include "web/event_words.h"
#include "web/form_fields.h"
#include "web/staff_internal.h"

namespace onestop::web::staff_internal {
namespace {

constexpr int kRecentContacts = 5;
constexpr int kSuggestions = 6;
constexpr absl::Duration kCurrentContactWindow = absl::Hours(2);

std::string Trim(const std::string& s) { return std::string(absl::StripAsciiWhitespace(s)); }

// How a contact ended, as staff read it: the agent's disposition when the
// interaction was wrapped up with one, "In progress" while a routed
// interaction is still going on (no duration yet), else the outcome.
std::string ContactOutcomeText(WebContext& ctx, const domain::Contact& contact, const i18n::Translator& tr) {
  if (!contact.disposition.empty() && ctx.routing_hub != nullptr) {
    const domain::Disposition* d =
        domain::FindDisposition(ctx.routing_hub->desk().dispositions(), contact.disposition);
    if (d != nullptr) return domain::NameIn(*d, tr.lang());
  }
  if (contact.interaction_id && contact.disposition.empty() && contact.duration == absl::ZeroDuration()) {
    return tr("In progress");
  }
  return OutcomeText(contact.outcome, tr);
}

// The resident's current routed interaction at this agent's desk, if any.
struct CallContext {
  std::string queue;
  std::optional<int64_t> contact_id;
};

std::optional<CallContext> CurrentCall(WebContext& ctx, const Staff& staff, int64_t citizen_id) {
  if (ctx.routing_hub == nullptr) return std::nullopt;
  auto desk = ctx.routing_hub->desk().Desk(staff.actor);
  if (!desk.ok()) return std::nullopt;
  for (const auto& item : desk->items) {
    if (!item.citizen || item.citizen->citizen_id != citizen_id) continue;
    CallContext call;
    call.queue = item.item.queue;
    if (item.contact) call.contact_id = item.contact->id;
    return call;
  }
  return std::nullopt;
}

std::vector<domain::Article> Scripts(WebContext& ctx, const Staff& staff, const std::set<std::string>& codes) {
  std::vector<domain::Article> out;
  if (codes.empty()) return out;
  services::ArticleFilter filter;
  filter.status = domain::ArticleStatus::kPublished;
  auto articles = ctx.list_articles.Run(staff.actor, filter);
  if (!articles.ok()) return out;
  for (auto& a : *articles) {
    if (std::any_of(codes.begin(), codes.end(), [&](const std::string& code) { return IsScriptFor(a, code); })) {
      out.push_back(std::move(a));
    }
  }
  return out;
}

std::string Query(const std::vector<std::pair<std::string, std::string>>& pairs) {
  std::vector<std::pair<std::string, std::string>> kept;
  for (const auto& p : pairs) {
    if (!p.second.empty()) kept.push_back(p);
  }
  return kept.empty() ? "" : absl::StrCat("?", EncodePairs(kept));
}

void AddFlagTags(View& v, const domain::Citizen& c, const i18n::Translator& tr) {
  v.List("flag_tags");
  auto tag = [&](std::string text, const char* css) {
    View t;
    t.Set("text", std::move(text)).Set("class", css);
    v.Add("flag_tags", t);
  };
  if (c.flags.vulnerable) tag(tr("Vulnerable"), "govuk-tag--red");
  if (c.flags.interpreter_needed) {
    tag(i18n::Substitute(tr("Interpreter needed: {language}"), {{"language", c.flags.interpreter_language}}),
        "govuk-tag--purple");
  }
  if (c.flags.email_undeliverable) tag(tr("Email undeliverable"), "govuk-tag--orange");
  v.Set("vulnerability_note", c.flags.vulnerability_note);
}

void AddFlagForm(View& v, const domain::Citizen& c, const http::ParamList& answers, const ErrorMap& errors) {
  const bool posted = !answers.empty();
  auto checked = [&](const char* name, bool stored) { return posted ? FirstValue(answers, name) == "1" : stored; };
  v.Flag("f_vulnerable", checked("vulnerable", c.flags.vulnerable));
  v.Flag("f_interpreter", checked("interpreter_needed", c.flags.interpreter_needed));
  v.Flag("f_undeliverable", checked("email_undeliverable", c.flags.email_undeliverable));
  v.Set("f_language", posted ? FirstValue(answers, "interpreter_language") : c.flags.interpreter_language);
  v.Set("f_note", posted ? FirstValue(answers, "vulnerability_note") : c.flags.vulnerability_note);
  v.Flag("flags_open", !errors.empty());
  if (auto it = errors.find("interpreter_language"); it != errors.end()) v.Set("language_error", it->second);
  if (auto it = errors.find("vulnerability_note"); it != errors.end()) v.Set("note_error", it->second);
}

// A recorded call's player (supervisors and admins only: GetContactCallDetails
// leaves the recording out for anyone else) and the caller's survey score.
void AddCallDetails(View& row, WebContext& ctx, Staff& staff, int64_t contact_id,
                    const i18n::Translator& tr) {
  absl::StatusOr<services::ContactCallDetails> details =
      services::GetContactCallDetails(ctx.deps).Run(staff.actor, contact_id);
  if (!details.ok()) return;
  if (details->recording) {
    const domain::CallRecording& r = *details->recording;
    const int64_t seconds = r.duration_ms / 1000;
    row.Set("recording_url", absl::StrCat("/api/v1/contacts/", contact_id, "/recording"));
    row.Set("recording_length",
            i18n::Substitute(tr("Call recording, {min} min {s} s"),
                             {{"min", absl::StrCat(seconds / 60)}, {"s", absl::StrCat(seconds % 60)}}));
    if (r.pauses > 0) {
      row.Set("recording_paused",
              i18n::Substitute(tr.Plural("Paused {n} time for a card payment",
                                         "Paused {n} times for a card payment", r.pauses),
                               {{"n", absl::StrCat(r.pauses)}}));
    }
  }
  if (details->satisfaction) {
    row.Set("satisfaction", i18n::Substitute(tr("Caller's rating: {score} out of 5"),
                                             {{"score", absl::StrCat(*details->satisfaction)}}));
  }
}

}  // namespace

std::string DemoteHeadings(std::string html, int top) {
  // The renderer's output is cmark's own tags (markdown/), so its headings
  // are exactly "<hN>" and "</hN>".
  for (int level = 6; level >= 1; --level) {
    const int to = std::min(6, level + top - 1);
    for (const char* form : {"<h%d>", "</h%d>"}) {
      const std::string from = absl::StrFormat(form, level);
      const std::string into = absl::StrFormat(form, to);
      for (size_t at = html.find(from); at != std::string::npos; at = html.find(from, at + into.size())) {
        html.replace(at, from.size(), into);
      }
    }
  }
  return html;
}

void AddArticleName(WebContext& ctx, const Staff& staff, const domain::Event& event, NameLookup& names) {
  if (event.type != "contact.answered") return;
  for (const auto& change : event.changes) {
    int64_t id = 0;
    if (change.field != "article_id" || !absl::SimpleAtoi(change.after, &id) || names.articles.contains(id)) continue;
    if (auto article = ctx.get_article.Run(staff.actor, id); article.ok()) {
      names.articles[id] = domain::TitleIn(*article, staff.tr().lang());
    }
  }
}

bool IsScriptFor(const domain::Article& article, const std::string& code) {
  if (article.status != domain::ArticleStatus::kPublished) return false;
  const std::string tag = "script:" + code;
  return std::any_of(article.keywords.begin(), article.keywords.end(),
                     [&](const std::string& k) { return absl::AsciiStrToLower(Trim(k)) == tag; });
}

NameLookup NamesFor(WebContext& ctx, const Staff& staff) {
  const i18n::Translator& tr = staff.tr();
  NameLookup names;
  if (auto people = ctx.list_staff_names.Run(staff.actor); people.ok()) {
    for (const auto& s : *people) names.staff[s.id] = s.display_name;
  }
  if (auto snapshot = ctx.deps.catalogue.Get(); snapshot.ok()) {
    for (const auto& t : (*snapshot)->teams) names.teams[t.code] = t.name;
    for (const auto& s : (*snapshot)->services) names.services[s.code] = domain::NameIn(s, tr.lang());
  }
  if (ctx.routing_hub != nullptr) {
    for (const auto& d : ctx.routing_hub->desk().dispositions()) names.dispositions[d.code] = domain::NameIn(d, tr.lang());
  }
  return names;
}

http::Response RenderSingleView(WebContext& ctx, http::Request& request, Staff& staff, int64_t id,
                                const http::ParamList& answers, const ErrorMap& errors,
                                const http::ParamList& flag_answers, const ErrorMap& flag_errors) {
  auto citizen = ctx.get_citizen.Run(staff.actor, id);
  if (!citizen.ok()) return StatusPage(ctx, staff, citizen.status());
  // The bar offers to link the agent's call to the resident on screen.
  staff.viewing_citizen = citizen->id;
  staff.viewing_name = citizen->DisplayName();
  auto timeline = ctx.get_timeline.Run(staff.actor, id, 100);
  if (!timeline.ok()) return StatusPage(ctx, staff, timeline.status());
  const i18n::Translator& tr = staff.tr();
  NameLookup names = NamesFor(ctx, staff);
  const absl::Time now = ctx.deps.clock.Now();
  auto service_name = [&](const std::string& code) {
    auto it = names.services.find(code);
    return it != names.services.end() ? it->second : std::string(tr("Unknown service"));
  };

  View v;
  v.Set("id", std::to_string(id)).Set("name", citizen->DisplayName()).Set("version", std::to_string(citizen->version));
  const std::string flash = request.QueryParam("flash").value_or("");
  if (flash == "created") v.Set("flash", tr("Resident record created"));
  if (flash == "contact") v.Set("flash", tr("Contact recorded"));
  if (flash == "flags") v.Set("flash", tr("Flags saved"));
  if (flash == "answered") v.Set("flash", tr("Recorded: answered from the article"));

  // Flags first, then the details.
  AddFlagTags(v, *citizen, tr);
  AddFlagForm(v, *citizen, flag_answers, flag_errors);
  v.Flag("can_edit_flags", services::Authorize(staff.actor, services::Permission::kEditCitizens).ok());
  v.Set("phones", citizen->phones.empty() ? tr("Not given") : absl::StrJoin(citizen->phones, ", "));
  // Click-to-dial: each number with a Call button, where this node has a telephone.
  if (!citizen->phones.empty() && CanDial(ctx, staff)) {
    v.Flag("dial_phones", true);
    v.List("phone_list");
    for (const std::string& phone : citizen->phones) {
      View p;
      p.Set("number", phone);
      v.Add("phone_list", p);
    }
  }
  v.Set("emails", citizen->emails.empty() ? tr("Not given") : absl::StrJoin(citizen->emails, ", "));
  v.Set("address", citizen->addresses.empty() ? tr("Not given") : AddressText(citizen->addresses.front()));
  v.Set("preferred_channel", citizen->preferred_channel ? ChannelText(*citizen->preferred_channel, tr)
                                                        : tr("No preference"));

  // Open cases: every open case of the resident the reader may see.
  domain::CaseQuery open_query;
  open_query.citizen_id = id;
  open_query.statuses = {domain::CaseStatus::kNew, domain::CaseStatus::kOpen, domain::CaseStatus::kInProgress,
                         domain::CaseStatus::kWaitingOnCitizen};
  open_query.limit = 50;
  v.List("open_cases");
  std::string context_service = Trim(request.QueryParam("service").value_or(""));
  if (auto open = ctx.list_cases.Run(staff.actor, open_query); open.ok()) {
    std::vector<domain::Case> cases = open->items;
    std::sort(cases.begin(), cases.end(), [](const auto& a, const auto& b) { return a.updated_at > b.updated_at; });
    for (const auto& c : cases) {
      View row;
      row.Set("reference", c.reference).Set("service", service_name(c.service_code));
      row.Set("status", StaffStatusWords(c.status, tr)).Set("status_class", StatusTagClass(c.status));
      row.Set("due", c.due_at ? tr.DateTime(*c.due_at) : tr("No target"));
      row.Flag("overdue", c.due_at && *c.due_at < now);
      row.Set("updated", tr.DateTime(c.updated_at));
      v.Add("open_cases", row);
    }
  }

  // Recent contacts on every channel, and the timeline.
  v.List("recent_contacts").List("timeline");
  int contacts_shown = 0;
  for (const auto& entry : *timeline) {
    View item;
    item.Set("at", tr.DateTime(entry.at));
    if (const auto* contact = std::get_if<domain::Contact>(&entry.item)) {
      if (contacts_shown < kRecentContacts) {
        View row;
        row.Set("at", tr.DateTime(contact->at)).Set("channel", ChannelText(contact->channel, tr));
        row.Set("staff", contact->staff_id ? StaffNameOf(*contact->staff_id, names, tr) : tr("Self-service"));
        row.Set("outcome", ContactOutcomeText(ctx, *contact, tr)).Set("reason", contact->reason);
        // The article it was answered from (the contact was read through
        // GetTimeline's permission check above).
        if (auto article_id = ctx.deps.store.GetContactArticle(contact->id); article_id.ok() && *article_id) {
          if (auto article = ctx.get_article.Run(staff.actor, **article_id); article.ok()) {
            row.Set("answered_from", i18n::Substitute(tr("Answered from {title}"),
                                                      {{"title", "‘" + domain::TitleIn(*article, tr.lang()) + "’"}}));
          }
        }
        if (contact->interaction_id && contact->channel == domain::Channel::kPhone) {
          AddCallDetails(row, ctx, staff, contact->id, tr);
        }
        v.Add("recent_contacts", row);
        ++contacts_shown;
      }
      item.Set("kind", i18n::Substitute(tr("Contact {how}"), {{"how", ChannelHow(contact->channel, tr)}}));
      item.Set("title", contact->reason.empty() ? tr("Contact") : contact->reason);
      std::vector<std::string> details = {
          i18n::Substitute(tr("Outcome: {outcome}"), {{"outcome", ContactOutcomeText(ctx, *contact, tr)}})};
      if (contact->staff_id) {
        details.push_back(i18n::Substitute(tr("Taken by {name}"), {{"name", StaffNameOf(*contact->staff_id, names, tr)}}));
      }
      item.Set("detail", absl::StrJoin(details, " · "));
    } else if (const auto* c = std::get_if<domain::Case>(&entry.item)) {
      item.Set("kind", c->created_by != 0
                           ? i18n::Substitute(tr("Case raised {how} by {name}"),
                                              {{"how", ChannelHow(c->channel, tr)},
                                               {"name", StaffNameOf(c->created_by, names, tr)}})
                           : i18n::Substitute(tr("Case raised {how}"), {{"how", ChannelHow(c->channel, tr)}}));
      item.Set("title", absl::StrCat(c->reference, " – ", service_name(c->service_code)));
      item.Set("href", "/staff/cases/" + c->reference);
      item.Set("detail", absl::StrCat(StaffStatusWords(c->status, tr), " · ", c->summary));
    } else if (const auto* e = std::get_if<domain::Event>(&entry.item)) {
      // A case's creation and a contact are shown as themselves above.
      if (e->type == "case.created" || e->type == "contact.recorded") continue;
      AddArticleName(ctx, staff, *e, names);
      EventWords words = DescribeEvent(*e, names, tr);
      item.Set("kind", words.who);
      if (e->entity == "case" && !e->entity_key.empty()) {
        item.Set("title", absl::StrCat(e->entity_key, " – ", words.sentences.front()));
        if (!e->entity_key.empty()) item.Set("href", "/staff/cases/" + e->entity_key);
      } else {
        item.Set("title", words.sentences.front());
      }
      item.Set("detail", absl::StrJoin(words.sentences.begin() + 1, words.sentences.end(), " · "));
    }
    v.Add("timeline", item);
  }

  // Recording a contact (the form of staff_contact.cc), answered from an
  // article found in the side panel.
  v.Flag("can_contact", true);
  v.List("errors");
  for (auto& e : ErrorSummary(errors, {"channel", "reason", "outcome", "article_id"})) v.Add("errors", e);
  for (auto& e : ErrorSummary(flag_errors, {"interpreter_language", "vulnerability_note"})) v.Add("errors", e);
  for (auto& f : ContactFields(answers, errors, tr)) v.Add("contact_fields", f);

  // The knowledge base beside the resident.
  const std::string article_q = Trim(request.QueryParam("article_q").value_or(FirstValue(answers, "article_q")));
  const std::string queue = Trim(request.QueryParam("queue").value_or(""));
  std::optional<CallContext> call = CurrentCall(ctx, staff, id);
  std::set<std::string> script_codes;
  if (!queue.empty()) script_codes.insert(queue);
  if (call && !call->queue.empty()) script_codes.insert(call->queue);
  if (!context_service.empty()) script_codes.insert(context_service);
  v.Set("article_q", article_q).Set("context_service", context_service).Set("queue", queue);
  v.List("scripts");
  for (const auto& script : Scripts(ctx, staff, script_codes)) {
    View s;
    s.Set("title", domain::TitleIn(script, tr.lang()))
        .Set("body_html", DemoteHeadings(markdown::RenderMarkdown(domain::BodyIn(script, tr.lang())), 4));
    v.Add("scripts", s);
  }
  const std::string base_query_service = context_service;
  auto read_href = [&](int64_t article_id) {
    return absl::StrCat("/staff/citizens/", id,
                        Query({{"service", base_query_service}, {"queue", queue}, {"article_q", article_q},
                               {"article", std::to_string(article_id)}}),
                        "#knowledge");
  };
  // Suggestions: the words of the enquiry, else the service in hand (the
  // one asked for, else the resident's most recently updated open case).
  std::string suggestion_text = article_q;
  std::string about;
  if (suggestion_text.empty()) {
    std::string code = context_service;
    if (code.empty() && v.fields().count("has_open_cases")) {
      if (auto open = ctx.list_cases.Run(staff.actor, open_query); open.ok() && !open->items.empty()) {
        auto latest = std::max_element(open->items.begin(), open->items.end(),
                                       [](const auto& a, const auto& b) { return a.updated_at < b.updated_at; });
        code = latest->service_code;
      }
    }
    if (!code.empty() && names.services.contains(code)) {
      suggestion_text = names.services[code];
      about = names.services[code];
    }
  }
  v.Set("suggestions_about", about);
  v.List("suggestions");
  v.List("article_options");
  const std::string chosen = FirstValue(answers, "article_id");
  if (!suggestion_text.empty()) {
    domain::SearchQuery q;
    q.text = suggestion_text.substr(0, 200);
    q.kinds = {"article"};
    q.limit = kSuggestions;
    auto found = ctx.search.Run(staff.actor, q);
    v.Flag("article_searched", !article_q.empty());
    if (found.ok()) {
      for (const auto& hit : found->hits) {
        int64_t article_id = 0;
        if (hit.kind != "article" || !absl::SimpleAtoi(hit.id, &article_id)) continue;
        View s;
        std::string title = hit.title;  // the index holds the English title
        if (tr.lang() != "en") {
          if (auto article = ctx.get_article.Run(staff.actor, article_id); article.ok()) {
            title = domain::TitleIn(*article, tr.lang());
          }
        }
        s.Set("title", title).Set("href", read_href(article_id)).Set("snippet_html", hit.snippet);
        v.Add("suggestions", s);
        if (!article_q.empty()) {
          View option;
          option.Set("value", hit.id).Set("label", hit.title).Flag("checked", chosen == hit.id);
          v.Add("article_options", option);
        }
      }
    }
  }
  // One article read in the panel.
  int64_t reading = 0;
  if (absl::SimpleAtoi(request.QueryParam("article").value_or(""), &reading) && reading > 0) {
    auto article = ctx.get_article.Run(staff.actor, reading);
    if (article.ok()) {
      View a;
      a.Set("article_id", std::to_string(article->id)).Set("title", domain::TitleIn(*article, tr.lang()));
      a.Set("summary", domain::SummaryIn(*article, tr.lang()));
      a.Set("body_html", DemoteHeadings(markdown::RenderMarkdown(domain::BodyIn(*article, tr.lang())), 4));
      a.Set("updated", tr.Date(article->updated_at));
      a.Set("contact_id", call && call->contact_id ? std::to_string(*call->contact_id) : "");
      a.Set("close_href", absl::StrCat("/staff/citizens/", id,
                                       Query({{"service", base_query_service}, {"queue", queue},
                                              {"article_q", article_q}}),
                                       "#knowledge"));
      v.Child("reading", a);
    }
  }

  // Raising a case: the service picker (staff_single_view.cc ServicePicker).
  v.Flag("can_raise", true);
  return StaffPage(ctx, staff, errors.empty() && flag_errors.empty() ? 200 : 400, "citizen",
                   citizen->DisplayName(), v, "/staff", !errors.empty() || !flag_errors.empty());
}

http::Response FlagsPost(WebContext& ctx, http::Request& request, Staff& staff) {
  const i18n::Translator& tr = staff.tr();
  int64_t id = 0;
  if (!ParseId(request.PathParam("id"), &id)) return StatusPage(ctx, staff, absl::NotFoundError(""));
  const http::ParamList form = FormBody(request);
  domain::CitizenFlags flags;
  flags.vulnerable = FirstValue(form, "vulnerable") == "1";
  flags.vulnerability_note = FirstValue(form, "vulnerability_note");
  flags.interpreter_needed = FirstValue(form, "interpreter_needed") == "1";
  flags.interpreter_language = FirstValue(form, "interpreter_language");
  flags.email_undeliverable = FirstValue(form, "email_undeliverable") == "1";
  std::optional<int64_t> version;
  if (int64_t n = 0; absl::SimpleAtoi(FirstValue(form, "version"), &n)) version = n;
  http::ParamList answers = form;
  answers.push_back({"posted", "1"});
  auto saved = ctx.set_citizen_flags.Run(staff.actor, id, flags, version);
  if (!saved.ok()) {
    if (absl::IsInvalidArgument(saved.status())) {
      return RenderSingleView(ctx, request, staff, id, {{"channel", "phone"}}, {}, answers,
                              ErrorsFromStatus(saved.status(), nullptr, tr,
                                               {{"flags.interpreter_language", "interpreter_language"},
                                                {"flags.vulnerability_note", "vulnerability_note"}}));
    }
    if (absl::IsAborted(saved.status())) {
      return RenderSingleView(ctx, request, staff, id, {{"channel", "phone"}}, {}, answers,
                              {{"", tr("Someone else changed this record while you were editing it. "
                                       "Check the flags and save again.")}});
    }
    return StatusPage(ctx, staff, saved.status());
  }
  return Redirect(absl::StrCat("/staff/citizens/", id, "?flash=flags"));
}

// "Answered from this": the article goes on the resident's contact — the
// current call's contact when the desk has one, else this staff member's
// latest contact with the resident in the last two hours, else a new
// contact ("information given") recorded now.
http::Response AnsweredPost(WebContext& ctx, http::Request& request, Staff& staff) {
  int64_t id = 0;
  if (!ParseId(request.PathParam("id"), &id)) return StatusPage(ctx, staff, absl::NotFoundError(""));
  const http::ParamList form = FormBody(request);
  int64_t article_id = 0;
  if (!ParseId(FirstValue(form, "article_id"), &article_id)) return StatusPage(ctx, staff, absl::NotFoundError(""));
  auto article = ctx.get_article.Run(staff.actor, article_id);
  if (!article.ok()) return StatusPage(ctx, staff, article.status());
  std::optional<int64_t> contact_id;
  if (std::optional<CallContext> call = CurrentCall(ctx, staff, id); call && call->contact_id) {
    contact_id = call->contact_id;
  }
  if (!contact_id) {
    auto timeline = ctx.get_timeline.Run(staff.actor, id, 50);
    if (!timeline.ok()) return StatusPage(ctx, staff, timeline.status());
    const absl::Time since = ctx.deps.clock.Now() - kCurrentContactWindow;
    for (const auto& entry : *timeline) {
      const auto* contact = std::get_if<domain::Contact>(&entry.item);
      if (contact == nullptr || contact->at < since) continue;
      if (contact->staff_id != staff.actor.staff_id) continue;
      contact_id = contact->id;
      break;
    }
  }
  if (!contact_id) {
    domain::Contact contact;
    contact.citizen_id = id;
    contact.channel = domain::ParseChannel(FirstValue(form, "channel")).value_or(domain::Channel::kPhone);
    contact.outcome = domain::ContactOutcome::kInformationGiven;
    contact.reason = article->title;
    auto recorded = ctx.record_contact.Run(staff.actor, contact);
    if (!recorded.ok()) return StatusPage(ctx, staff, recorded.status());
    contact_id = recorded->contact.id;
  }
  absl::Status answered = ctx.mark_contact_answered.Run(staff.actor, *contact_id, article_id);
  if (!answered.ok()) return StatusPage(ctx, staff, answered);
  return Redirect(absl::StrCat("/staff/citizens/", id, "?flash=answered&article=", article_id, "#knowledge"));
}

http::Response ServicePicker(WebContext& ctx, http::Request& request, Staff& staff, const domain::Citizen& citizen) {
  const i18n::Translator& tr = staff.tr();
  auto services = ctx.list_services.Run(staff.actor, std::nullopt);
  if (!services.ok()) return StatusPage(ctx, staff, services.status());
  std::map<std::string, std::string> departments;
  if (auto snapshot = ctx.deps.catalogue.Get(); snapshot.ok()) {
    for (const auto& d : (*snapshot)->departments) departments[d.code] = domain::NameIn(d, tr.lang());
  }
  // What this desk may raise: phone or counter services (officers: their department's).
  std::vector<domain::Service> offered;
  for (const auto& s : *services) {
    if (!s.active) continue;
    if (staff.actor.role == domain::Role::kOfficer && s.department != staff.actor.department) continue;
    if (!s.OfferedOn(domain::Channel::kPhone) && !s.OfferedOn(domain::Channel::kFaceToFace)) continue;
    offered.push_back(s);
  }
  const std::string q = Trim(request.QueryParam("q").value_or(""));
  std::vector<domain::Service> shown;
  if (!q.empty()) {
    shown = SearchServices(offered, q.substr(0, 200), tr.lang());
    // A department's name finds its services too ("housing", "council tax").
    for (const auto& s : offered) {
      auto d = departments.find(s.department);
      if (d == departments.end()) continue;
      std::string dept = absl::AsciiStrToLower(d->second);
      if (dept.find(absl::AsciiStrToLower(q)) == std::string::npos) continue;
      if (std::none_of(shown.begin(), shown.end(), [&](const auto& x) { return x.code == s.code; })) {
        shown.push_back(s);
      }
    }
  } else {
    shown = offered;
    std::sort(shown.begin(), shown.end(), [&](const auto& a, const auto& b) {
      return domain::NameIn(a, tr.lang()) < domain::NameIn(b, tr.lang());
    });
  }
  View v;
  v.Set("citizen_id", std::to_string(citizen.id)).Set("citizen_name", citizen.DisplayName()).Set("q", q);
  v.Flag("searched", !q.empty());
  v.List("services");
  for (const auto& s : shown) {
    View item;
    item.Set("code", s.code).Set("name", domain::NameIn(s, tr.lang()));
    item.Set("department", departments.contains(s.department) ? departments[s.department] : "");
    item.Set("description", domain::DescriptionIn(s, tr.lang()));
    item.Set("href", absl::StrCat("/staff/citizens/", citizen.id, "/raise?service=", s.code));
    v.Add("services", item);
  }
  const size_t n = shown.size();
  v.Set("result_count", q.empty() ? i18n::Substitute(tr.Plural("{n} service", "{n} services", n), {{"n", std::to_string(n)}})
                                  : n == 0 ? i18n::Substitute(tr("No services match ‘{q}’"), {{"q", q}})
                                           : i18n::Substitute(tr.Plural("{n} service matches ‘{q}’",
                                                                        "{n} services match ‘{q}’", n),
                                                              {{"n", std::to_string(n)}, {"q", q}}));
  return StaffPage(ctx, staff, 200, "raise_pick", N_("Find the service"), v, "/staff");
}

}  // namespace onestop::web::staff_internal
