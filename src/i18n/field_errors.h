// The words for field errors.
//
// Domain, services and codecs describe a problem as codes: FieldError{field,
// code, reason, params} (common/status.h). This is the one table that turns
// a reason into a sentence: each reason has an English message id (marked
// N_ so extraction finds it; the Welsh is in po/cy/errors.po), translated
// with the reader's Translator and its {placeholders} filled from params.
// A reason missing from the table falls back to a generic sentence chosen by
// the error's code ("Answer this question" for "required", "Check this
// answer" otherwise), so a new reason is never shown as a key.
//
// Params named "expected" and "found" hold JSON kinds ("string", "integer",
// "object", "true_or_false", ...) and are put into words as well.
//
// Pure functions over an immutable table; safe from any thread.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "i18n/translator.h"

namespace onestop::i18n {

// The words for a field error in the reader's language.
std::string FieldErrorText(const FieldError& error, const Translator& tr);

// The English message id for `reason`, or nullptr when the table has none.
const char* FieldErrorMessageId(std::string_view reason);

}  // namespace onestop::i18n
