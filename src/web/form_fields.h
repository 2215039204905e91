// The form generated from a service's catalogue definition, shared by the
// resident portal and the staff "raise a case" page: one View per field for
// the "_field" template, the answers read back from the posted form, and the
// validator's field errors turned into GOV.UK error messages.
//
// Naming in HTML: the answer to field `code` is posted as "v.<code>" (several
// times for multivaluelist); a datetime field uses the GOV.UK date input and
// posts "v.<code>.day", ".month", ".year". Element ids are "f-<code>" (the
// first radio/checkbox, or the day input for dates, so error-summary links
// move focus to the first control).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/status.h"
#include "domain/case.h"
#include "domain/service.h"
#include "http/request.h"
#include "i18n/translator.h"
#include "web/view.h"

namespace onestop::web {

// Error message per form-element name ("v.bin_type", "c.email", "l.postcode").
using ErrorMap = std::map<std::string, std::string>;

// Raw answers → the FormValues the validator and OpenCase take. Dates are
// composed as "YYYY-MM-DD" from the three boxes (a partly filled or
// non-numeric date is passed on as is so the validator rejects it).
domain::FormValues FormValuesFromAnswers(const domain::Service& service,
                                         const http::ParamList& answers);

// Views for every field of `service`, in order, showing `answers` and `errors`.
// Questions, hints and options are in the language of `tr` where the
// catalogue has it, English otherwise.
std::vector<View> ServiceFieldViews(const domain::Service& service, const http::ParamList& answers,
                                    const ErrorMap& errors, const i18n::Translator& tr);

// A plain field view for forms the adapter defines itself (contact details,
// location, search boxes): kind is "input", "textarea", "radios", "select".
View SimpleField(const std::string& name, const std::string& label, const std::string& kind,
                 const http::ParamList& answers, const ErrorMap& errors, bool required = true,
                 const std::string& hint = "",
                 const std::vector<std::pair<std::string, std::string>>& options = {});

// Field errors from a use case → messages keyed by form-element name. Errors
// on "values.<code>" become GOV.UK wording for that field's datatype; other
// names go through `rename` ("location.postcode" → "l.postcode"), with the
// words of the error's reason (i18n::FieldErrorText). All in the language of
// `tr`. Errors that match nothing are keyed "".
ErrorMap ErrorsFromStatus(const absl::Status& status, const domain::Service* service,
                          const i18n::Translator& tr,
                          const std::map<std::string, std::string>& rename = {});

// The error summary list for `errors`, in the order of `order` (names), then the rest.
std::vector<View> ErrorSummary(const ErrorMap& errors, const std::vector<std::string>& order,
                               const domain::Service* service = nullptr);

// Element id of the control an error on `name` should link to.
std::string ElementId(const std::string& name, const domain::Service* service);

// A field's answer as people read it ("General waste (black bin)", "17 March 2026").
std::string AnswerText(const domain::FormField& field, const domain::FormValues& values,
                       const i18n::Translator& tr);

// Answers whose name starts with `prefix`.
http::ParamList WithPrefix(const http::ParamList& answers, const std::string& prefix);
std::string FirstValue(const http::ParamList& answers, const std::string& name);

}  // namespace onestop::web
