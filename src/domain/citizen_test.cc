#include "domain/citizen.h"

#include <string>
#include <vector>

#include "common/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace onestop::domain {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

TEST(CitizenDisplayNameTest, JoinsTitleAndNames) {
  Citizen c;
  c.title = "Mrs";
  c.given_name = "Ada";
  c.family_name = "Lovelace";
  EXPECT_EQ(c.DisplayName(), "Mrs Ada Lovelace");
  c.title = "";
  EXPECT_EQ(c.DisplayName(), "Ada Lovelace");
  c.given_name = "";
  EXPECT_EQ(c.DisplayName(), "Lovelace");
  c.title = "Dr";
  EXPECT_EQ(c.DisplayName(), "Dr Lovelace");
  c.family_name = "";
  c.given_name = " Ada ";
  EXPECT_EQ(c.DisplayName(), "Dr Ada");
}

TEST(CitizenDisplayNameTest, EmptyWithoutANameEvenWithATitle) {
  Citizen c;
  EXPECT_EQ(c.DisplayName(), "");
  c.title = "Mr";
  c.given_name = "  ";
  EXPECT_EQ(c.DisplayName(), "");
}

TEST(CitizenNormalisePhoneTest, UkNumbers) {
  EXPECT_EQ(NormalisePhone("07700 900123"), "07700900123");
  EXPECT_EQ(NormalisePhone("+44 7700 900123"), "07700900123");
  EXPECT_EQ(NormalisePhone("+447700900123"), "07700900123");
  EXPECT_EQ(NormalisePhone("0044 7700 900123"), "07700900123");
  EXPECT_EQ(NormalisePhone("00447700900123"), "07700900123");
  EXPECT_EQ(NormalisePhone("+44 (0)20 7946 0000"), "02079460000");
  EXPECT_EQ(NormalisePhone("(01632) 960 001"), "01632960001");
  EXPECT_EQ(NormalisePhone("01632-960-001"), "01632960001");
  EXPECT_EQ(NormalisePhone("  020 7946 0000  "), "02079460000");
  EXPECT_EQ(NormalisePhone("0161.496.0000"), "01614960000");
}

TEST(CitizenNormalisePhoneTest, OtherCountriesKeepThePlus) {
  EXPECT_EQ(NormalisePhone("+33 1 23 45 67 89"), "+33123456789");
  EXPECT_EQ(NormalisePhone("0033 1 23 45 67 89"), "+33123456789");
  EXPECT_EQ(NormalisePhone("+353 1 234 5678"), "+35312345678");
}

TEST(CitizenNormalisePhoneTest, TooFewOrTooManyDigits) {
  EXPECT_EQ(NormalisePhone(""), "");
  EXPECT_EQ(NormalisePhone("   "), "");
  EXPECT_EQ(NormalisePhone("12345"), "");
  EXPECT_EQ(NormalisePhone("123456"), "123456");  // six digits is the minimum
  EXPECT_EQ(NormalisePhone("ext 123"), "");
  EXPECT_EQ(NormalisePhone("+"), "");
  EXPECT_EQ(NormalisePhone("+44"), "");
  EXPECT_EQ(NormalisePhone("phone me"), "");
  EXPECT_EQ(NormalisePhone("1234567890123456"), "");  // 16 digits: longer than E.164 allows
}

TEST(CitizenNormalisePhoneTest, IsIdempotent) {
  for (std::string_view raw : {"+44 7700 900123", "(01632) 960 001", "+33 1 23 45 67 89"}) {
    std::string once = NormalisePhone(raw);
    EXPECT_EQ(NormalisePhone(once), once) << raw;
  }
}

TEST(CitizenNormaliseEmailTest, TrimsAndLowerCases) {
  EXPECT_EQ(NormaliseEmail("Ada.Lovelace@Example.ORG"), "ada.lovelace@example.org");
  EXPECT_EQ(NormaliseEmail("  someone@example.com\t\n"), "someone@example.com");
  EXPECT_EQ(NormaliseEmail("first+tag@sub.example.co.uk"), "first+tag@sub.example.co.uk");
}

TEST(CitizenNormaliseEmailTest, RejectsWhatIsNotAnEmail) {
  for (std::string_view raw :
       {"", "   ", "plainaddress", "@example.com", "someone@", "someone@localhost",
        "a@b@example.com", "some one@example.com", "someone@exa mple.com", "someone@.example.com",
        "someone@example.com.", "someone@example..com", "some\tone@example.com"}) {
    EXPECT_EQ(NormaliseEmail(raw), "") << "'" << raw << "'";
  }
  EXPECT_EQ(NormaliseEmail(std::string(250, 'a') + "@example.com"), "");
}

Citizen ValidCitizen() {
  Citizen c;
  c.given_name = "Ada";
  c.family_name = "Lovelace";
  c.phones = {"07700 900123"};
  c.emails = {"ada@example.org"};
  Address home;
  home.line1 = "12 Mill Lane";
  home.postcode = "SW1A 1AA";
  home.uprn = 100023336956;
  c.addresses = {home};
  return c;
}

std::vector<std::string> ErrorFields(const absl::Status& status) {
  std::vector<std::string> fields;
  for (const FieldError& e : FieldErrorsOf(status)) fields.push_back(e.field);
  return fields;
}

TEST(CitizenValidateTest, AcceptsAValidCitizen) {
  EXPECT_TRUE(ValidateCitizen(ValidCitizen()).ok());
  Citizen minimal;
  minimal.family_name = "Smith";
  EXPECT_TRUE(ValidateCitizen(minimal).ok());
  Citizen given_only;
  given_only.given_name = "Cher";
  EXPECT_TRUE(ValidateCitizen(given_only).ok());
}

TEST(CitizenValidateTest, NeedsAName) {
  Citizen c = ValidCitizen();
  c.given_name = "";
  c.family_name = "  ";
  absl::Status status = ValidateCitizen(c);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(FieldErrorsOf(status),
              ElementsAre(FieldError{"given_name", "required", "citizen_name_required", {}}));
}

TEST(CitizenValidateTest, NamesAtMostOneHundredCharacters) {
  Citizen c = ValidCitizen();
  c.given_name = std::string(100, 'a');
  c.family_name = std::string(50, 'b');
  EXPECT_TRUE(ValidateCitizen(c).ok());
  // Characters, not bytes: 100 two-byte letters are fine.
  std::string accented;
  for (int i = 0; i < 100; ++i) accented += "\xC3\xA9";  // é
  c.given_name = accented;
  EXPECT_TRUE(ValidateCitizen(c).ok());
  c.given_name = std::string(101, 'a');
  c.family_name = std::string(101, 'b');
  c.title = std::string(101, 't');
  absl::Status status = ValidateCitizen(c);
  EXPECT_THAT(ErrorFields(status), UnorderedElementsAre("given_name", "family_name", "title"));
  for (const FieldError& e : FieldErrorsOf(status)) {
    EXPECT_EQ(e.code, "too_long");
    EXPECT_EQ(e.reason, "name_length");
    EXPECT_THAT(e.params, ElementsAre(std::pair<std::string, std::string>("max", "100")));
  }
}

TEST(CitizenValidateTest, NamesEachBadPhoneAndEmail) {
  Citizen c = ValidCitizen();
  c.phones = {"07700 900123", "12", "+44 20 7946 0000", "call me"};
  c.emails = {"bad", "ada@example.org", "x@y"};
  absl::Status status = ValidateCitizen(c);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ErrorFields(status), ElementsAre("phones[1]", "phones[3]", "emails[0]", "emails[2]"));
  for (const FieldError& e : FieldErrorsOf(status)) {
    EXPECT_EQ(e.code, "invalid");
    EXPECT_EQ(e.reason, e.field[0] == 'p' ? "phone_format" : "email_format");
  }
}

TEST(CitizenValidateTest, Postcodes) {
  Citizen c = ValidCitizen();
  c.addresses[0].postcode = "sw1a1aa";  // normalisable is enough
  EXPECT_TRUE(ValidateCitizen(c).ok());

  Address no_postcode;
  no_postcode.line1 = "The Old Mill";
  Address nothing;
  Address bad_postcode;
  bad_postcode.line1 = "1 High Street";
  bad_postcode.postcode = "Q1 1AA";
  c.addresses = {no_postcode, nothing, bad_postcode};
  absl::Status status = ValidateCitizen(c);
  EXPECT_THAT(FieldErrorsOf(status),
              ElementsAre(Field(&FieldError::field, "addresses[1].postcode"),
                          Field(&FieldError::field, "addresses[2].postcode")));
  EXPECT_EQ(FieldErrorsOf(status)[0].code, "required");
  EXPECT_EQ(FieldErrorsOf(status)[0].reason, "postcode_or_line1_required");
  EXPECT_EQ(FieldErrorsOf(status)[1].code, "invalid");
  EXPECT_EQ(FieldErrorsOf(status)[1].reason, "postcode_format");
}

TEST(CitizenValidateTest, Uprn) {
  Citizen c = ValidCitizen();
  for (int64_t good : {int64_t{1}, int64_t{100023336956}, int64_t{999999999999}}) {
    c.addresses[0].uprn = good;
    EXPECT_TRUE(ValidateCitizen(c).ok()) << good;
  }
  for (int64_t bad : {int64_t{0}, int64_t{-5}, int64_t{1000000000000}}) {
    c.addresses[0].uprn = bad;
    absl::Status status = ValidateCitizen(c);
    EXPECT_THAT(FieldErrorsOf(status),
                ElementsAre(FieldError{"addresses[0].uprn", "invalid", "uprn_digits", {}}))
        << bad;
  }
  c.addresses[0].uprn.reset();
  EXPECT_TRUE(ValidateCitizen(c).ok());
}

TEST(CitizenValidateTest, AtMostTenOfEach) {
  Citizen c = ValidCitizen();
  c.phones.assign(10, "07700 900123");
  c.emails.assign(10, "ada@example.org");
  c.addresses.assign(10, c.addresses[0]);
  EXPECT_TRUE(ValidateCitizen(c).ok());
  c.phones.push_back("07700 900124");
  c.emails.push_back("ada2@example.org");
  c.addresses.push_back(c.addresses[0]);
  absl::Status status = ValidateCitizen(c);
  EXPECT_THAT(ErrorFields(status), ElementsAre("phones", "emails", "addresses"));
  for (const FieldError& e : FieldErrorsOf(status)) {
    EXPECT_EQ(e.code, "too_many");
    EXPECT_EQ(e.reason, "too_many_" + e.field);
    EXPECT_THAT(e.params, ElementsAre(std::pair<std::string, std::string>("max", "10")));
  }
}

TEST(CitizenValidateTest, ReportsEverythingAtOnce) {
  Citizen c;
  c.phones = {"1"};
  c.emails = {"nope"};
  c.addresses = {Address{}};
  EXPECT_THAT(ErrorFields(ValidateCitizen(c)),
              ElementsAre("given_name", "phones[0]", "emails[0]", "addresses[0].postcode"));
  EXPECT_THAT(FieldErrorsOf(ValidateCitizen(ValidCitizen())), IsEmpty());
}

TEST(CitizenFlagsTest, InterpreterNeedsALanguageAndTextsAreBounded) {
  CitizenFlags flags;
  EXPECT_THAT(CitizenFlagErrors(flags), IsEmpty());
  flags.interpreter_needed = true;
  EXPECT_THAT(CitizenFlagErrors(flags),
              ElementsAre(Field(&FieldError::reason, "interpreter_language_required")));
  flags.interpreter_language = "   ";
  EXPECT_THAT(CitizenFlagErrors(flags),
              ElementsAre(Field(&FieldError::field, "flags.interpreter_language")));
  flags.interpreter_language = "Cymraeg ŵ";
  EXPECT_THAT(CitizenFlagErrors(flags), IsEmpty());
  flags.interpreter_language = std::string(kMaxInterpreterLanguageChars, 'x');
  EXPECT_THAT(CitizenFlagErrors(flags), IsEmpty());
  flags.interpreter_language += "x";
  EXPECT_THAT(CitizenFlagErrors(flags),
              ElementsAre(Field(&FieldError::reason, "interpreter_language_length")));
  flags.interpreter_language = "Pol\tish";
  EXPECT_THAT(CitizenFlagErrors(flags), ElementsAre(Field(&FieldError::reason, "name_control_chars")));

  CitizenFlags note;
  note.vulnerable = true;
  note.vulnerability_note = "Two lines\nare fine";
  EXPECT_THAT(CitizenFlagErrors(note), IsEmpty());
  note.vulnerability_note = std::string(kMaxVulnerabilityNoteChars + 1, 'n');
  EXPECT_THAT(CitizenFlagErrors(note), ElementsAre(Field(&FieldError::reason, "vulnerability_note_length")));
  note.vulnerability_note = "bell\a";
  EXPECT_THAT(CitizenFlagErrors(note), ElementsAre(Field(&FieldError::field, "flags.vulnerability_note")));

  // ValidateCitizen checks them too.
  Citizen c;
  c.given_name = "Ada";
  c.flags.interpreter_needed = true;
  EXPECT_EQ(ValidateCitizen(c).code(), absl::StatusCode::kInvalidArgument);
}

TEST(CitizenFlagsTest, NormalisingTrimsAndDropsTextsOfFlagsThatAreOff) {
  CitizenFlags flags;
  flags.interpreter_language = " Polish ";
  flags.vulnerability_note = " note ";
  NormaliseCitizenFlags(flags);
  EXPECT_EQ(flags.interpreter_language, "");
  EXPECT_EQ(flags.vulnerability_note, "");
  EXPECT_FALSE(flags.Any());
  flags.interpreter_needed = true;
  flags.interpreter_language = " Polish ";
  flags.vulnerable = true;
  flags.vulnerability_note = " note ";
  NormaliseCitizenFlags(flags);
  EXPECT_EQ(flags.interpreter_language, "Polish");
  EXPECT_EQ(flags.vulnerability_note, "note");
  EXPECT_TRUE(flags.Any());
}

}  // namespace
}  // namespace onestop::domain
