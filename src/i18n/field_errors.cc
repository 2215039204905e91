#include "i18n/field_errors.h"

#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace onestop::i18n {
namespace {

struct Message {
  std::string_view reason;
  const char* msgid;
};

// reason -> English message id. Wording follows GOV.UK error messages where
// residents read it; API, Open311 and council-file texts are for developers
// and administrators. Keep each msgid's {placeholders} equal to the params
// its producers set.
constexpr Message kMessages[] = {
    // A citizen's details (domain/citizen.cc; also services/self_service.cc).
    {"name_control_chars", N_("Must not contain control characters such as tabs or line breaks")},
    {"name_length", N_("Must be {max} characters or fewer")},
    {"citizen_name_required", N_("Enter a first name or a last name")},
    {"too_many_phones", N_("At most {max} phones may be recorded")},
    {"too_many_emails", N_("At most {max} emails may be recorded")},
    {"too_many_addresses", N_("At most {max} addresses may be recorded")},
    {"phone_format", N_("Enter a telephone number, like 01632 960 001 or 07700 900 982")},
    {"email_format", N_("Enter an email address in the correct format, like name@example.com")},
    {"postcode_or_line1_required", N_("Enter a postcode or the first line of the address")},
    {"postcode_format", N_("Enter a real postcode, like SW1A 1AA")},
    {"uprn_digits", N_("A UPRN is a number of up to 12 digits")},
    {"interpreter_language_required", N_("Enter the language the resident needs an interpreter for")},
    {"interpreter_language_length", N_("The language must be {max} characters or fewer")},
    {"vulnerability_note_length", N_("The note must be {max} characters or fewer")},

    // Duplicates and followers (services/duplicates.cc).
    {"duplicate_of_itself", N_("A case cannot be a duplicate of itself")},
    {"duplicate_already_marked", N_("{reference} is already marked as a duplicate")},
    {"duplicate_cycle", N_("{reference} is itself a duplicate of this case")},
    {"duplicate_original_finished", N_("{reference} is closed, so it cannot be the original")},
    {"duplicate_case_finished", N_("{reference} is already finished")},
    {"follow_case_finished", N_("{reference} is closed, so it cannot be followed")},
    {"popular_services_max", N_("List at most {max} popular services")},
    {"popular_service_missing", N_("No service '{code}' in the file")},
    {"duplicate_reference_unknown", N_("Enter the reference of an open case, like 4K7P-9QX3")},

    // The service catalogue (domain/service.cc, services/catalogue.cc, codec/catalogue.cc).
    {"service_code_format", N_("Service code must be 1-64 of a-z, 0-9 and '-'")},
    {"service_name_length", N_("Service name must be {min}-{max} characters")},
    {"department_required", N_("Department is required")},
    {"sla_amount_range", N_("SLA amount must be between {min} and {max}")},
    {"field_code_format", N_("Field code must be 1-64 of a-z, 0-9 and '_'")},
    {"field_code_repeated", N_("Field code '{code}' is repeated")},
    {"list_values_required", N_("A list field needs allowed values")},
    {"values_only_for_lists", N_("Only list fields have allowed values")},
    {"value_keys_unique", N_("Allowed value keys must be unique and non-empty")},

    // Answers to a service's questions (domain/form_validation.cc).
    {"one_answer_only", N_("Give only one answer")},
    {"answer_characters", N_("The answer contains characters that are not allowed")},
    {"answer_one_line", N_("The answer must be one line of plain text")},
    {"answer_length", N_("The answer must be {max} characters or fewer")},
    {"number_format", N_("Enter a number, like 12 or 3.5")},
    {"datetime_format", N_("Enter a date like 2026-11-25 or a time like 2026-11-25T09:30:00Z")},
    {"not_a_choice", N_("'{value}' is not one of the choices")},
    {"answer_required", N_("Answer this question")},
    {"unknown_question", N_("This service does not ask that question")},

    // Routing: interactions, presence, queues, profiles, statistics (services/routing.cc).
    {"media_values", N_("Media is voice, chat, email, walk_in or case_task")},
    {"queue_required", N_("Give the queue")},
    {"caller_length", N_("Caller is too long")},
    {"reference_length", N_("Reference is too long")},
    {"priority_range", N_("Priority is {min} to {max}")},
    {"skill_level", N_("Each skill is a code with a level of {min} to {max}")},
    {"no_such_queue", N_("No such queue")},
    {"presence_values", N_("Presence is offline, available or on_break")},
    {"presence_reason_length", N_("Reason is too long")},
    {"transfer_to_self", N_("That is you; requeue the interaction instead")},
    {"no_such_agent", N_("No such agent")},

    // Wrap-up dispositions (domain/disposition.cc, services/interactions.cc).
    {"disposition_code_format", N_("A disposition code is 1 to 64 of a-z, 0-9, - and _")},
    {"disposition_code_repeated", N_("Disposition code '{code}' is repeated")},
    {"disposition_name_required", N_("Give the disposition a name of up to 200 characters")},
    {"disposition_required", N_("Select how the contact ended")},
    {"no_such_disposition", N_("Select how the contact ended from the list")},
    {"disposition_not_for_queue", N_("That outcome is not used for this queue or service")},
    {"interaction_not_connected", N_("You are not connected to that interaction")},
    {"service_unknown_for_contact", N_("Select the service the contact was about from the list")},
    {"routing_code_format", N_("A code is 1 to 64 of a-z, 0-9, - and _")},
    {"routing_name_length", N_("Give a name of up to {max} characters")},
    {"queue_strategy",
     N_("'{value}' is not a routing strategy: "
        "use longest_idle, least_occupied, round_robin or best_fit")},
    {"queue_steps",
     N_("A skill step needs after_seconds >= 0, keep_skills >= -1, level_drop >= 0")},
    {"queue_times", N_("Times cannot be negative")},
    {"queue_settings", N_("Check the queue's settings")},
    {"queue_media", N_("Select the kind of work the queue holds")},
    {"queue_sl_targets",
     N_("The amber service level must be between 0% and the green service level")},
    {"queue_wait_targets", N_("The red longest wait must be longer than the amber longest wait")},
    {"agent_skill_unknown", N_("Select a skill from the list")},
    {"agent_profile_unknown", N_("Select a routing profile from the list")},
    {"agent_state_values", N_("Select available, on break or offline")},
    {"capacity_range", N_("Capacity per media is {min} to {max}")},
    {"profile_queue_unknown", N_("No queue '{queue}'")},
    {"profile_queues", N_("Check the profile's queues")},
    {"period_range", N_("Give from < to, at most {max_days} days apart")},
    {"interval_range", N_("Interval is {min} to {max} minutes")},

    // Finding and merging citizens (services/citizens.cc).
    {"search_phone_digits", N_("Enter at least {min} digits")},
    {"search_email_format", N_("Enter a full email address")},
    {"search_postcode_format", N_("Enter a full UK postcode")},
    {"search_name_length", N_("Name is too long")},
    {"search_terms_required", N_("Give a phone, email, postcode or name")},
    {"merge_same_citizen", N_("Choose two different citizens")},

    // Knowledge articles and search (services/articles.cc).
    {"title_required", N_("Enter a title")},
    {"title_length", N_("Title must be at most {max} characters")},
    {"summary_max_length", N_("Summary must be at most {max} characters")},
    {"reply_required", N_("Enter your reply")},
    {"reply_max_length", N_("A reply must be at most {max} characters")},
    {"resident_has_no_email_or_mobile",
     N_("The resident has no email address or mobile number: add one to their record, or telephone them")},
    {"resident_email_undeliverable",
     N_("Email to the resident bounced: check their address on their record, or telephone them")},
    {"resident_has_no_email", N_("The resident has no email address: add one to their record, or telephone them")},
    {"mailbox_service_missing", N_("No service has this code")},
    {"mailbox_service_not_on_email", N_("This service is not offered by email")},
    {"mailbox_service_needs_answers", N_("This service asks questions an email cannot answer: route the mailbox to a queue instead")},
    {"body_length", N_("Body must be at most {max} characters")},
    {"too_many_keywords", N_("At most {max} keywords")},
    {"no_such_service", N_("No service '{code}'")},
    {"no_such_department", N_("No department '{code}'")},
    {"query_length", N_("At most {max} characters")},

    // Client keys, sign-in and staff (services/api_keys.cc, auth.cc, staff_admin.cc).
    {"api_key_name",
     N_("Name the client application in {min} to {max} characters, no control characters")},

    // Cases: opening, updating, notes, attachments, locations (services/cases.cc, case_rules.cc).
    {"service_not_offered", N_("{service} is not offered on the {channel} channel")},
    {"no_such_citizen", N_("No citizen {id}")},
    {"citizen_merged", N_("Citizen {id} was merged into {into}")},
    {"anonymous_not_allowed", N_("{service} cannot be reported anonymously")},
    {"summary_length", N_("Summary must be {min} to {max} characters")},
    {"no_such_team", N_("No team '{code}'")},
    {"no_such_staff", N_("No active staff member {id}")},
    {"note_length", N_("A note has {min} to {max} characters")},
    {"file_name", N_("A file name has {min} to {max} characters and no '/'")},
    {"media_type", N_("Give a media type such as image/jpeg")},
    {"file_size", N_("Size must be between 0 and 16 GiB")},
    {"https_url", N_("The URL starts with https://")},
    {"sha256_format", N_("A SHA-256 is 64 hexadecimal characters")},
    {"lat_lng_pair", N_("Give both latitude and longitude, or neither")},
    {"latitude_range", N_("Latitude must be between -90 and 90")},
    {"longitude_range", N_("Longitude must be between -180 and 180")},
    {"location_description_length", N_("Location description must be at most {max} characters")},
    {"too_many_media_urls", N_("At most {max} media URLs")},
    {"media_url", N_("A media URL starts with https:// and is at most {max} characters")},
    {"password_min_length", N_("Password must be at least {min} characters")},
    {"password_max_length", N_("Password must be at most {max} characters")},
    {"staff_email_format", N_("Enter an email address like name@example.com")},
    {"display_name_length", N_("Name must be at most {max} characters")},
    {"officer_department_required", N_("Officers belong to a department")},
    {"skill_proficiency", N_("A skill has a code and a proficiency from {min} to {max}")},
    // Staff phone extensions (services/sip_accounts.cc).
    {"sip_extension_format", N_("An extension is {min} to {max} digits, like 1001")},
    {"password_control_chars", N_("Password must not contain control characters such as tabs or line breaks")},
    {"idempotency_key_reused",
     N_("This key was already used for a different request; use a new key")},

    // Contacts (services/contacts.cc).
    {"contact_in_future", N_("A contact cannot be in the future")},
    {"contact_reason_length", N_("Reason must be at most {max} characters")},
    {"duration_range", N_("Duration must be {min} to {max} seconds")},
    {"no_such_case", N_("No case {id}")},

    // Departments and teams (services/catalogue.cc).
    {"code_and_name_required", N_("Code and name are required")},

    // Resident self-service sign-up (services/self_service.cc).
    {"given_name_required", N_("Enter your first name")},
    {"family_name_required", N_("Enter your last name")},
    {"resident_phone_format", N_("Enter a telephone number, like 01632 960 001")},
    {"email_or_phone_required", N_("Enter an email address or a telephone number")},
    {"resident_postcode_format", N_("Enter a real postcode, like FH1 4AB")},

    // Reading JSON (codec/json_reader.cc); "expected" and "found" are JSON kinds,
    // put into words through kKinds.
    {"json_syntax", N_("Not valid JSON at line {line}, column {column}: {detail}")},
    {"duplicate_key", N_("This key appears twice in one object")},
    {"wrong_type", N_("Expected {expected}, found {found}")},
    {"expected_type", N_("Expected {expected}")},
    {"key_required", N_("'{key}' is required")},
    {"unknown_key", N_("Unknown key '{key}'")},
    {"not_one_of", N_("'{value}' is not one of: {allowed}")},
    {"integer_range", N_("Must be between {min} and {max}")},
    {"number_too_large", N_("The number is too large")},

    // Catalogue JSON (codec/catalogue.cc).
    {"slug_code_format", N_("Code must be 1-64 of a-z, 0-9 and '-'")},
    {"key_blank", N_("'{key}' must not be blank")},
    {"channel_listed_twice", N_("Channel '{channel}' is listed twice")},
    {"order_used", N_("Order {order} is already used by {other}")},

    // The council file (codec/council_file.cc).
    {"not_an_email", N_("'{value}' is not an email address")},
    {"key_empty", N_("'{key}' must not be empty")},
    {"not_a_phone", N_("'{value}' is not a phone number")},
    {"not_a_postcode", N_("'{value}' is not a UK postcode")},
    {"uprn_whole_number", N_("A UPRN is a whole number of up to 12 digits")},
    {"queue_code_format", N_("A queue code is 1 to 64 of a-z, 0-9, - and _")},
    {"profile_code_format", N_("A profile code is 1 to 64 of a-z, 0-9, - and _")},
    {"department_defined_twice", N_("Department '{code}' is defined twice")},
    {"team_defined_twice", N_("Team '{code}' is defined twice")},
    {"team_department_missing",
     N_("Team '{team}' names department '{department}', which is not in departments")},
    {"service_defined_twice", N_("Service '{code}' is defined twice")},
    {"service_department_missing",
     N_("Service '{service}' names department '{department}', which is not in departments")},
    {"service_team_missing", N_("Service '{service}' names team '{team}', which is not in teams")},
    {"staff_email_twice", N_("Staff email '{email}' is used twice")},
    {"sip_extension_twice", N_("Phone extension '{extension}' is used twice")},
    {"officer_needs_department", N_("An officer needs a department")},
    {"department_not_in_file", N_("Department '{code}' is not in departments")},
    {"team_not_in_file", N_("Team '{code}' is not in teams")},
    {"team_other_department",
     N_("Team '{team}' belongs to department '{team_department}', not '{department}'")},
    {"queue_defined_twice", N_("Queue '{code}' is defined twice")},
    {"profile_defined_twice", N_("Profile '{code}' is defined twice")},
    {"queue_not_in_file", N_("Queue '{code}' is not in routing.queues")},
    {"service_not_in_file", N_("Service '{code}' is not in services")},

    // The council file's telephony section (domain/telephony.cc, codec/telephony.cc).
    {"telephone_number_digits", N_("'{value}' is not a telephone number: use digits, with + in front if need be")},
    {"telephone_number_twice", N_("Number {number} is listed twice")},
    {"ivr_menu_missing", N_("Menu '{menu}' is not in telephony.ivr.menus")},
    {"ivr_menu_required", N_("Name a menu")},
    {"ivr_menu_id_format", N_("A menu id is 1 to 64 of a-z, 0-9, - and _")},
    {"ivr_menu_twice", N_("Menu '{menu}' is defined twice")},
    {"ivr_prompt_required", N_("Give the menu's prompt in English")},
    {"ivr_message_required", N_("Give the message's words in English")},
    {"ivr_digit", N_("'{value}' is not a telephone key: use 0 to 9, * or #")},
    {"ivr_digit_twice", N_("Key {digit} has two options")},
    {"ivr_queue_required", N_("Name a routing queue")},
    {"ivr_action_required", N_("Give one of: {allowed}")},
    {"ivr_action_twice", N_("'{key}' cannot go with another action in the same option")},
    {"ivr_operator_true", N_("operator must be true")},

    // The JSON API (api/*.cc).
    {"values_object", N_("Expected an object of field code → value")},
    {"answer_type", N_("Expected a string, a number or an array of strings")},
    {"citizen_id_format", N_("Expected a citizen id")},
    {"agent_id_format", N_("Expected a staff id")},
    {"too_many_urls", N_("At most {max} URLs")},
    {"staff_id_or_null", N_("Expected a staff id or null")},
    {"size_bytes_format", N_("Expected a size of 0 or more bytes")},
    {"not_a_case_status", N_("'{value}' is not a case status")},
    {"assignee_or_unassigned", N_("Give either assignee or unassigned=true, not both")},
    {"case_id_format", N_("Expected a case id")},
    {"rfc3339_time", N_("Expected an RFC 3339 time such as 2026-11-25T09:30:00Z")},
    {"audience_values", N_("Expected public or staff")},
    {"article_status_values", N_("Expected published or draft")},
    {"search_kind_values", N_("Expected article, service, citizen or case")},
    {"staff_id_format", N_("Expected a staff id")},
    {"date_format", N_("Expected a date such as 2027-03-31")},
    {"code_matches_path", N_("Must match the code in the path")},
    {"if_none_match_star", N_("Only * (create only) is supported")},
    {"if_none_match_with_if_match", N_("Not allowed together with If-Match")},
    {"queue_or_agent", N_("Give exactly one of queue and agent_id")},
    {"colleague", N_("Choose a colleague to talk to first")},
    {"give_rfc3339_time", N_("Give an RFC 3339 time")},
    {"top_level_object", N_("Expected a JSON object at the top level")},
    {"entity_tag", N_("Expected an entity tag such as \"3\"")},
    {"integer_from_to", N_("Expected an integer from {min} to {max}")},
    {"true_or_false", N_("Expected true or false")},
    {"parameter_once", N_("Give this parameter once")},
    {"printable_ascii", N_("Expected {min} to {max} printable ASCII characters")},

    // Open311 GeoReport v2 (open311/*.cc): its own lower-case style, naming parameters.
    {"open311_param_required", N_("{name} is required")},
    {"open311_description_length", N_("description must be at most {max} characters")},
    {"open311_unknown_status", N_("unknown status '{value}'")},
    {"open311_updated_datetime_format", N_("updated_datetime must be a W3C datetime")},
    {"open311_illegal_transition",
     N_("request {reference} is {status} and cannot move to {target}")},
    {"open311_update_needs_description",
     N_("an update that changes no status needs a description")},
    {"open311_dates_together", N_("give start_date and end_date together, or neither")},
    {"open311_start_date_format", N_("start_date must be a W3C datetime with a zone")},
    {"open311_end_date_format", N_("end_date must be a W3C datetime with a zone")},
    {"open311_end_before_start", N_("end_date must not be before start_date")},
    {"open311_date_span", N_("start_date and end_date may be at most {max_days} days apart")},
    {"open311_unknown_service_code", N_("unknown service_code '{code}'")},
    {"open311_status_values", N_("status must be open, closed or both")},
    {"open311_name_required",
     N_("give first_name or last_name with the resident's email or phone")},
    {"open311_resident_required", N_("{service} needs the resident's email or phone and name")},
    {"open311_duplicate_action", N_("duplicate_action must be create or follow")},
    {"open311_follow_needs_resident", N_("Give the requester's email or phone and name to follow the existing report")},
    {"open311_param_utf8", N_("parameter {name} is not valid UTF-8")},
    {"open311_param_repeated", N_("parameter {name} is given more than once")},
    {"open311_attribute_syntax",
     N_("write attributes as attribute[code]=value or attribute[code][]=value")},
    {"open311_attribute_both", N_("attribute[{code}] is given both as one value and as a list")},
    {"open311_lat_long_together", N_("lat and long must be given together")},
    {"open311_lat_range", N_("lat must be a WGS84 latitude, -90 to 90")},
    {"open311_long_range", N_("long must be a WGS84 longitude, -180 to 180")},
    {"open311_address_id_format", N_("address_id must be a UPRN (1 to 12 digits)")},
    {"open311_location_required",
     N_("give a location: lat and long, address_string or address_id")},

    // The council's theme (domain/theme.cc).
    {"theme_name_required", N_("Enter the council's name")},
    {"theme_name_length", N_("The name must be at most {max} bytes")},
    {"colour_format", N_("'{value}' is not a colour: give it as #rrggbb, like #1d70b8")},
    {"contrast",
     N_("The contrast is {ratio}:1; it must be at least {minimum}:1 so that everyone can read it")},
    {"logo_size", N_("The logo must be at most {max_kb} KB")},
    {"logo_content", N_("The logo is not a safe {type} file")},
    {"logo_type", N_("The logo must be an SVG or PNG image, not {type}")},
    {"footer_links_count", N_("At most {max} footer links")},
    {"link_text_required", N_("Enter the link text")},
    {"link_href", N_("A link starts with /, https://, http://, mailto: or tel:")},
    {"language_code", N_("'{code}' is not a language code, like cy or en")},
    // codec/theme.cc: the council file's theme.
    {"logo_path", N_("'{path}' must be a path inside the council file's folder")},
    {"logo_extension", N_("'{path}' must end in .svg or .png")},
    {"logo_unreadable", N_("The logo file '{path}' cannot be read")},
    {"base64", N_("This is not valid base64")},
};

// JSON kinds in "expected" / "found" params (codec/json_reader.h).
constexpr Message kKinds[] = {
    {"string", N_("a string")},
    {"integer", N_("an integer")},
    {"number", N_("a number")},
    {"boolean", N_("a boolean")},
    {"true_or_false", N_("true or false")},
    {"object", N_("an object")},
    {"array", N_("an array")},
    {"null", N_("null")},
    {"nothing", N_("nothing")},
    {"value", N_("a value")},
};

using Table = std::unordered_map<std::string_view, const char*>;

Table MakeTable(const Message* begin, const Message* end) {
  Table table;
  for (const Message* m = begin; m != end; ++m) table.emplace(m->reason, m->msgid);
  return table;
}

const Table& Messages() {
  static const Table* table = new Table(MakeTable(std::begin(kMessages), std::end(kMessages)));
  return *table;
}

const Table& Kinds() {
  static const Table* table = new Table(MakeTable(std::begin(kKinds), std::end(kKinds)));
  return *table;
}

// For a reason the table does not know: a sentence by the error's kind.
const char* FallbackFor(std::string_view code) {
  if (code == "required") return N_("Answer this question");
  if (code == "too_long") return N_("The answer is too long");
  if (code == "too_short") return N_("The answer is too short");
  if (code == "too_many") return N_("There are too many of these");
  if (code == "duplicate") return N_("This is given more than once");
  if (code == "unknown" || code == "not_found") return N_("This is not recognised");
  return N_("Check this answer");
}

}  // namespace

const char* FieldErrorMessageId(std::string_view reason) {
  auto it = Messages().find(reason);
  return it == Messages().end() ? nullptr : it->second;
}

std::string FieldErrorText(const FieldError& error, const Translator& tr) {
  const char* msgid = FieldErrorMessageId(error.reason);
  if (msgid == nullptr) return tr(FallbackFor(error.code));
  std::vector<std::pair<std::string, std::string>> params = error.params;
  for (auto& [name, value] : params) {
    if (name != "expected" && name != "found") continue;
    if (auto kind = Kinds().find(value); kind != Kinds().end()) value = tr(kind->second);
  }
  return Substitute(tr(msgid), params);
}

}  // namespace onestop::i18n
