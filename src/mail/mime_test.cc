// Tests of the MIME parser: one per corpus message (tests/mail/corpus/*.eml,
// shaped like what the real clients send), the limits, and a seeded mutation
// run over the whole corpus that must never crash.
#include "mail/mime.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace onestop::mail {
namespace {

using domain::AutoKind;
using domain::InboundMail;

std::filesystem::path CorpusDir() {
  const char* source = std::getenv("ONESTOP_SOURCE_DIR");
#ifdef ONESTOP_FALLBACK_SOURCE_DIR
  if (source == nullptr) source = ONESTOP_FALLBACK_SOURCE_DIR;
#endif
  return std::filesystem::path(source != nullptr ? source : ".") / "tests" / "mail" / "corpus";
}

std::string ReadCorpus(const std::string& name) {
  std::ifstream in(CorpusDir() / (name + ".eml"), std::ios::binary);
  EXPECT_TRUE(in.good()) << "missing corpus file " << name;
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

InboundMail ParseCorpus(const std::string& name, const std::vector<std::string>& ours = {}) {
  absl::StatusOr<InboundMail> mail = ParseMail(ReadCorpus(name), MimeLimits{}, ours);
  EXPECT_TRUE(mail.ok()) << name << ": " << mail.status();
  return mail.ok() ? *std::move(mail) : InboundMail{};
}

absl::Time Utc(int year, int month, int day, int hour, int minute, int second) {
  return absl::FromCivil(absl::CivilSecond(year, month, day, hour, minute, second),
                         absl::UTCTimeZone());
}

bool IsValidUtf8(const std::string& text) { return ToValidUtf8(text) == text; }

// ---- corpus -----------------------------------------------------------------

TEST(MimeCorpusTest, OutlookReplyPrefersPlainAndCutsOriginalMessage) {
  const InboundMail mail = ParseCorpus("outlook_reply");
  EXPECT_EQ(mail.message_id,
            "DB9PR01MB9123A1B2C3D4E5F6@DB9PR01MB9123.eurprd01.prod.exchangelabs.com");
  EXPECT_EQ(mail.in_reply_to, "case-12345.1765101600@council.example");
  EXPECT_EQ(mail.references, std::vector<std::string>{"case-12345.1765101600@council.example"});
  EXPECT_EQ(mail.from_address, "j.bloggs@example.co.uk");
  EXPECT_EQ(mail.from_name, "Joe Bloggs");
  EXPECT_EQ(mail.to_addresses, std::vector<std::string>{"contact@council.example"});
  EXPECT_EQ(mail.subject, "RE: Missed bin collection - Case 12345");
  EXPECT_EQ(mail.date, Utc(2026, 12, 7, 11, 2, 10));
  EXPECT_FALSE(mail.html_only);
  // Labelled iso-8859-1, but 0x92 is Windows-1252's right quote.
  EXPECT_EQ(mail.reply_text,
            "Hello,\n\nThe bin still hasn\u2019t been emptied. It was due on Monday and the lorry "
            "went straight past.\n\nRegards,\nJoe Bloggs");
  EXPECT_NE(mail.text.find("Thank you for reporting a missed collection."), std::string::npos);
  EXPECT_TRUE(mail.attachments.empty());
  EXPECT_EQ(mail.auto_kind, AutoKind::kNone);
}

TEST(MimeCorpusTest, OutlookHtmlReplyCutsFromSentBlock) {
  const InboundMail mail = ParseCorpus("outlook_html_reply");
  EXPECT_TRUE(mail.html_only);
  EXPECT_EQ(mail.reply_text, "Hi,\n\nAny update on this? The bin is still full.\n\nJoe");
  EXPECT_NE(mail.text.find("From: Onestop Council <contact@council.example>\nSent: 07 December "
                           "2026 10:00\nTo: Joe Bloggs <j.bloggs@example.co.uk>\nSubject: Missed"),
            std::string::npos)
      << mail.text;
  EXPECT_EQ(mail.text.find("font-face"), std::string::npos);
}

TEST(MimeCorpusTest, GmailReplyTrimsAttributionAndQuotes) {
  const InboundMail mail = ParseCorpus("gmail_reply");
  EXPECT_EQ(mail.message_id, "CAJx8Q7nZ=AbC123dEfGhIjKlMnOpQ+rStUvWxYz@mail.gmail.com");
  EXPECT_EQ(mail.in_reply_to, "case-555.1765101600@council.example");
  EXPECT_EQ(mail.references, (std::vector<std::string>{"case-555.1765087200@council.example",
                                                       "case-555.1765101600@council.example"}));
  EXPECT_EQ(mail.from_address, "sarah.jones@gmail.com");
  EXPECT_EQ(mail.from_name, "Sarah Jones");
  EXPECT_EQ(mail.subject, "Re: Bulky waste collection [Case 555]");
  EXPECT_EQ(mail.date, Utc(2026, 12, 7, 10, 15, 30));
  EXPECT_FALSE(mail.html_only);
  EXPECT_EQ(mail.reply_text, "Thanks, the collection is booked for Thursday then.\n\nSarah");
  EXPECT_NE(mail.text.find("> We can collect your bulky waste on Thursday 10 December."),
            std::string::npos);
  EXPECT_EQ(mail.auto_kind, AutoKind::kNone);
}

TEST(MimeCorpusTest, AppleMailQuotedPrintableFlowed) {
  const InboundMail mail = ParseCorpus("apple_mail");
  EXPECT_EQ(mail.message_id, "8F2A1C3B-4D5E-4F60-9A7B-1C2D3E4F5A6B@example.net");
  EXPECT_EQ(mail.from_address, "dafydd.evans@example.net");
  EXPECT_EQ(mail.from_name, "Dafydd Evans");
  EXPECT_EQ(mail.to_addresses, std::vector<std::string>{"contact@council.example"});
  EXPECT_EQ(mail.text,
            "The street light outside number 12 Heol y Bont hasn\u2019t worked for a week. "
            "It\u2019s very dark on the corner and people have tripped.\n\nThanks,\nDafydd\n\n"
            "Sent from my iPhone");
  EXPECT_EQ(mail.reply_text, mail.text);
}

TEST(MimeCorpusTest, ForwardedMessageIsAnAttachmentNotTheBody) {
  const InboundMail mail = ParseCorpus("forwarded");
  EXPECT_EQ(mail.subject, "Fwd: Damp in bedroom");
  EXPECT_EQ(mail.text, "Please see the email below from my landlord.\n\nTom");
  ASSERT_EQ(mail.attachments.size(), 1u);
  const domain::MailAttachment& forwarded = mail.attachments[0];
  EXPECT_EQ(forwarded.filename, "Damp in bedroom.eml");
  EXPECT_EQ(forwarded.declared_type, "message/rfc822");
  EXPECT_EQ(forwarded.sniffed_type, "text/plain");
  EXPECT_NE(forwarded.content.find("Subject: Damp in bedroom"), std::string::npos);
  EXPECT_NE(forwarded.content.find("We will not be treating the damp this winter."),
            std::string::npos);
}

TEST(MimeCorpusTest, HtmlOnlyIsConvertedSafely) {
  const InboundMail mail = ParseCorpus("html_only");
  EXPECT_TRUE(mail.html_only);
  EXPECT_EQ(mail.text,
            "Dear Council,\n\nThe pothole on Station Road is now 30 cm wide & getting worse.\n"
            "Please see this map.\n\nCost of my tyre: \u00a385 \u2013 I\u2019d like it refunded.\n"
            "- First\n- Second\n\nThanks\nPriya");
  for (const char* hidden :
       {"alert", "document", "color", "Report a pothole", "hidden", "evil", "steal", "<", ">"}) {
    EXPECT_EQ(mail.text.find(hidden), std::string::npos) << hidden;
  }
}

TEST(MimeCorpusTest, Windows1252Body) {
  const InboundMail mail = ParseCorpus("windows1252");
  EXPECT_EQ(mail.message_id, "000001db4a1b$2c3d4e50$8596a7b8$@example.co.uk");
  EXPECT_EQ(mail.text,
            "I was charged \u00a3120 for the \u201cgarden waste\u201d permit but I don\u2019t "
            "have a garden bin.");
}

TEST(MimeCorpusTest, EncodedSubjectAndFromName) {
  const InboundMail mail = ParseCorpus("encoded_headers");
  EXPECT_EQ(mail.subject, "Treth y cyngor \u2013 bil \u00a3120");
  EXPECT_EQ(mail.from_name, "Ren\u00e9e Fran\u00e7ois");
  EXPECT_EQ(mail.from_address, "renee.francois@example.fr");
  EXPECT_EQ(mail.reply_to_address, "renee.work@example.fr");
  EXPECT_EQ(mail.to_addresses,
            (std::vector<std::string>{"contact@council.example", "cyswllt@council.example"}));
  EXPECT_EQ(mail.date, Utc(2026, 12, 10, 11, 0, 0));
}

TEST(MimeCorpusTest, WelshMessageWithCircumflexes) {
  const InboundMail mail = ParseCorpus("welsh");
  EXPECT_EQ(mail.subject, "Re: D\u0175r yn gollwng");
  EXPECT_EQ(mail.from_name, "Si\u00f4n Pryce");
  EXPECT_EQ(mail.reply_text,
            "Helo,\n\nMae d\u0175r yn gollwng o'r to yn fy nh\u0177 ers wythnos.\n\nDiolch,\n"
            "Si\u00f4n");
  EXPECT_NE(mail.text.find("ysgrifennodd:\n> Annwyl Si\u00f4n,"), std::string::npos);
}

TEST(MimeCorpusTest, AttachmentsDecodedSniffedAndNamedSafely) {
  const InboundMail mail = ParseCorpus("attachments");
  EXPECT_EQ(mail.text, "Bill and photo attached.");
  ASSERT_EQ(mail.attachments.size(), 3u);
  EXPECT_EQ(mail.attachments[0].filename, "Council tax bill.pdf");
  EXPECT_EQ(mail.attachments[0].declared_type, "application/pdf");
  EXPECT_EQ(mail.attachments[0].sniffed_type, "application/pdf");
  EXPECT_EQ(mail.attachments[0].content.substr(0, 9), "%PDF-1.4\n");
  EXPECT_EQ(mail.attachments[1].filename, "llun y t\u0177.png");  // RFC 2231
  EXPECT_EQ(mail.attachments[1].declared_type, "image/png");
  EXPECT_EQ(mail.attachments[1].sniffed_type, "image/png");
  EXPECT_EQ(mail.attachments[1].content.size(), 70u);
  EXPECT_EQ(mail.attachments[2].filename, "passwd");
  EXPECT_EQ(mail.attachments[2].declared_type, "application/octet-stream");
  EXPECT_EQ(mail.attachments[2].sniffed_type, "text/plain");
  EXPECT_EQ(mail.attachments[2].content, "root:x:0:0:root:/root:/bin/bash\n");
  EXPECT_EQ(mail.dropped_attachments, 0u);
}

TEST(MimeCorpusTest, DeliveryStatusNotification) {
  const InboundMail mail = ParseCorpus("dsn_bounce");
  EXPECT_EQ(mail.auto_kind, AutoKind::kBounce);
  EXPECT_EQ(mail.bounced_addresses, std::vector<std::string>{"jane.doe@example.org"});
  EXPECT_EQ(mail.from_address, "mailer-daemon@mx.council.example");
  EXPECT_NE(mail.text.find("could not\nbe delivered"), std::string::npos);
  EXPECT_TRUE(mail.attachments.empty());
}

TEST(MimeCorpusTest, OutOfOfficeIsAutoSubmitted) {
  const InboundMail mail = ParseCorpus("out_of_office");
  EXPECT_EQ(mail.auto_kind, AutoKind::kAutoSubmitted);
  EXPECT_EQ(mail.subject, "Automatic reply: Your case 888 has been updated");
  EXPECT_EQ(mail.in_reply_to, "case-888.1765533600@council.example");
}

TEST(MimeCorpusTest, MailingListIsBulk) {
  const InboundMail mail = ParseCorpus("mailing_list");
  EXPECT_EQ(mail.auto_kind, AutoKind::kBulk);
  EXPECT_EQ(mail.subject, "[Parish News] December newsletter");
}

TEST(MimeCorpusTest, XLoopOfOurAddress) {
  EXPECT_EQ(ParseCorpus("x_loop", {"contact@council.example"}).auto_kind, AutoKind::kLoop);
  // Not ours: only the Auto-Submitted header counts.
  EXPECT_EQ(ParseCorpus("x_loop", {"other@council.example"}).auto_kind, AutoKind::kAutoSubmitted);
}

TEST(MimeCorpusTest, NoBody) {
  const InboundMail mail = ParseCorpus("no_body");
  EXPECT_EQ(mail.message_id, "empty-1@example.com");
  EXPECT_EQ(mail.subject, "(no subject)");
  EXPECT_EQ(mail.text, "");
  EXPECT_EQ(mail.reply_text, "");
  EXPECT_FALSE(mail.html_only);
  EXPECT_TRUE(mail.attachments.empty());
}

TEST(MimeCorpusTest, GarbageIsNotAMessage) {
  const absl::StatusOr<InboundMail> mail = ParseMail(ReadCorpus("garbage"));
  EXPECT_EQ(mail.status().code(), absl::StatusCode::kInvalidArgument) << mail.status();
  EXPECT_EQ(ParseMail("").status().code(), absl::StatusCode::kInvalidArgument);
}

// ---- automatic mail rules ---------------------------------------------------

std::string Simple(const std::string& headers, const std::string& body = "Hello\n") {
  return headers + "Subject: test\nMessage-ID: <t@example.com>\n\n" + body;
}

TEST(MimeAutoKindTest, SystemSendersAndPriorities) {
  EXPECT_EQ(ParseMail(Simple("From: noreply@shop.example\n"))->auto_kind, AutoKind::kSystemSender);
  // The same list as the one nothing automatic is sent to (domain::IsSystemAddress).
  EXPECT_EQ(ParseMail(Simple("From: root@server.example\n"))->auto_kind, AutoKind::kSystemSender);
  EXPECT_EQ(ParseMail(Simple("From: Abuse@isp.example\n"))->auto_kind, AutoKind::kSystemSender);
  EXPECT_EQ(ParseMail(Simple("From: Postmaster@Example.com\n"))->auto_kind,
            AutoKind::kSystemSender);
  EXPECT_EQ(ParseMail(Simple("Return-Path: <>\nFrom: a@example.com\n"))->auto_kind,
            AutoKind::kSystemSender);
  EXPECT_EQ(ParseMail(Simple("From: a@example.com\nAuto-Submitted: no\n"))->auto_kind,
            AutoKind::kNone);
  EXPECT_EQ(ParseMail(Simple("From: noreply@x.example\nPrecedence: bulk\n"))->auto_kind,
            AutoKind::kBulk);
  EXPECT_EQ(
      ParseMail(Simple("From: a@example.com\nX-Auto-Response-Suppress: DR, OOF\n"))->auto_kind,
      AutoKind::kBulk);
  EXPECT_EQ(ParseMail(Simple("From: a@example.com\nPrecedence: bulk\n"
                             "Auto-Submitted: auto-generated\n"))
                ->auto_kind,
            AutoKind::kAutoSubmitted);
}

// ---- pieces -----------------------------------------------------------------

TEST(MimeTrimTest, OutlookSeparatorAndSignature) {
  EXPECT_EQ(TrimQuotedReply("Yes please.\n\n________________________________\nFrom: Council\n"
                            "Sent: today\n"),
            "Yes please.");
  EXPECT_EQ(TrimQuotedReply("Yes please.\n-- \nJo Bloggs\n07700 900123"), "Yes please.");
  EXPECT_EQ(TrimQuotedReply("Fine.\n\nOn Monday I wrote: the bin"),
            "Fine.\n\nOn Monday I wrote: "
            "the bin");
  // Nothing but quotes: keep it all.
  EXPECT_EQ(TrimQuotedReply("> only a quote\n> here"), "> only a quote\n> here");
  // Interleaved answers are kept.
  EXPECT_EQ(TrimQuotedReply("On Mon, X wrote:\n> q1\nanswer\n> q2"),
            "On Mon, X wrote:\n> q1\nanswer");
}

TEST(MimeHtmlTest, EntitiesQuotesAndHostileMarkup) {
  EXPECT_EQ(HtmlToText("a&lt;b &gt; c &amp;amp; &#0; &#x110000; &bogus; &#150;"),
            "a<b > c &amp; \ufffd \ufffd &bogus; \u2013");
  EXPECT_EQ(HtmlToText("<p>Hi</p><blockquote>quoted<br>two</blockquote>after"),
            "Hi\n\n> quoted\n> two\nafter");
  EXPECT_EQ(HtmlToText("<script>never"), "");
  EXPECT_EQ(HtmlToText("<a href=\"x>y\">link</a> 1 < 2"), "link 1 < 2");
  EXPECT_EQ(HtmlToText("<pre>a\n  b</pre>c"), "a\n  b\nc");
  const std::string gmail =
      "<div dir=\"ltr\">Thanks<div><br></div><div>Sarah</div></div><br><div class=\"gmail_quote\">"
      "<div dir=\"ltr\" class=\"gmail_attr\">On Mon, 7 Dec 2026 at 10:00, Council &lt;<a href="
      "\"mailto:c@council.example\">c@council.example</a>&gt; wrote:<br></div><blockquote "
      "class=\"gmail_quote\">Dear Ms Jones,<br><br>We can collect.<br></blockquote></div>";
  EXPECT_EQ(HtmlToText(gmail),
            "Thanks\n\nSarah\n\nOn Mon, 7 Dec 2026 at 10:00, Council <c@council.example> wrote:\n"
            "> Dear Ms Jones,\n\n> We can collect.");
  EXPECT_EQ(TrimQuotedReply(HtmlToText(gmail)), "Thanks\n\nSarah");
  // A stray '&' does not make the rest be searched for ';'.
  EXPECT_EQ(HtmlToText(std::string(100000, '&')).size(), 100000u);
  // Many unclosed <head> tags stay linear (this would time out otherwise).
  std::string heads;
  for (int idx = 0; idx < 100000; ++idx) heads += "<head>x";
  EXPECT_EQ(HtmlToText(heads).size(), 100000u);
}

TEST(MimeSniffTest, MagicNumbers) {
  EXPECT_EQ(SniffContentType("GIF89a...."), "image/gif");
  EXPECT_EQ(SniffContentType("\xFF\xD8\xFF\xE0"), "image/jpeg");
  EXPECT_EQ(SniffContentType(std::string("PK\x03\x04....word/document.xml", 26)),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  EXPECT_EQ(SniffContentType(std::string("PK\x03\x04", 4)), "application/zip");
  EXPECT_EQ(SniffContentType("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"), "application/x-ole-storage");
  EXPECT_EQ(SniffContentType("  \n<!DOCTYPE HTML><html>"), "text/html");
  EXPECT_EQ(SniffContentType("<HTML>"), "text/html");
  EXPECT_EQ(SniffContentType(std::string("a\0b", 3)), "application/octet-stream");
  EXPECT_EQ(SniffContentType("\xC3"), "application/octet-stream");
  EXPECT_EQ(SniffContentType("caf\xC3\xA9"), "text/plain");
}

TEST(MimeUtf8Test, InvalidUtf8InAUtf8BodyIsReplaced) {
  const std::string raw =
      "From: a@example.com\nSubject: x\nContent-Type: text/plain; charset=utf-8\n"
      "Content-Transfer-Encoding: 8bit\n\ncaf\xC3 \xFF\xFE ok \xED\xA0\x80 \xF0\x9F\x98\x80\n";
  absl::StatusOr<InboundMail> mail = ParseMail(raw);
  ASSERT_TRUE(mail.ok()) << mail.status();
  EXPECT_EQ(mail->text, "caf\ufffd \ufffd\ufffd ok \ufffd \U0001F600");
  EXPECT_TRUE(IsValidUtf8(mail->text));
}

TEST(MimeUtf8Test, UndeclaredEightBitIsWindows1252) {
  absl::StatusOr<InboundMail> mail = ParseMail(
      "From: a@example.com\nSubject: x\n\nPrice \xA3"
      "5\n");
  ASSERT_TRUE(mail.ok()) << mail.status();
  EXPECT_EQ(mail->text, "Price \u00a35");
}

TEST(MimeUtf8Test, OtherCharsetsThroughIconv) {
  absl::StatusOr<InboundMail> mail = ParseMail(
      "From: a@example.com\nSubject: x\nContent-Type: text/plain; charset=iso-8859-14\n\n"
      "d\xF0r, t\xFE\n");
  ASSERT_TRUE(mail.ok()) << mail.status();
  EXPECT_EQ(mail->text, "d\u0175r, t\u0177");
}

// ---- limits -----------------------------------------------------------------

std::string Multipart(int parts) {
  std::string raw =
      "From: a@example.com\nSubject: many\nMIME-Version: 1.0\n"
      "Content-Type: multipart/mixed; boundary=\"b\"\n\n";
  for (int idx = 0; idx < parts; ++idx) {
    raw += "--b\nContent-Type: text/plain\n\npart " + std::to_string(idx) + "\n";
  }
  return raw + "--b--\n";
}

TEST(MimeLimitsTest, TooManyParts) {
  EXPECT_TRUE(ParseMail(Multipart(50)).ok());
  EXPECT_EQ(ParseMail(Multipart(500)).status().code(), absl::StatusCode::kResourceExhausted);
  // So many that the parser is not even started.
  EXPECT_EQ(ParseMail(Multipart(5000)).status().code(), absl::StatusCode::kResourceExhausted);
}

std::string Nested(int depth) {
  std::string raw =
      "From: a@example.com\nSubject: deep\nMIME-Version: 1.0\n"
      "Content-Type: multipart/mixed; boundary=\"b0\"\n\n";
  for (int level = 1; level <= depth; ++level) {
    raw += "--b" + std::to_string(level - 1) + "\nContent-Type: multipart/mixed; boundary=\"b" +
           std::to_string(level) + "\"\n\n";
  }
  raw += "--b" + std::to_string(depth) + "\nContent-Type: text/plain\n\ndeep down\n";
  for (int level = depth; level >= 0; --level) raw += "--b" + std::to_string(level) + "--\n";
  return raw;
}

TEST(MimeLimitsTest, TooDeep) {
  EXPECT_EQ(ParseMail(Nested(10))->text, "deep down");
  EXPECT_EQ(ParseMail(Nested(30)).status().code(), absl::StatusCode::kResourceExhausted);
  MimeLimits generous;
  generous.max_parts = 5000;
  generous.max_depth = 5000;
  // GMime stops nesting at its own level (1024); no stack overflow.
  EXPECT_TRUE(ParseMail(Nested(1500), generous).ok());
}

TEST(MimeLimitsTest, HeaderFloodsStopBeforeGMime) {
  std::string many = "From: a@example.com\n";
  for (int idx = 0; idx < 30000; ++idx) many += "X-A: b\n";
  EXPECT_EQ(ParseMail(many + "\nbody\n").status().code(), absl::StatusCode::kResourceExhausted);
  const std::string long_subject = "From: a@example.com\nSubject: " + std::string(200000, 'x');
  EXPECT_EQ(ParseMail(long_subject + "\n\nbody\n").status().code(),
            absl::StatusCode::kResourceExhausted);
  // The headers of an attached message count too.
  std::string attached =
      "From: a@example.com\nContent-Type: multipart/mixed; boundary=b\n\n"
      "--b\nContent-Type: message/rfc822\n\nFrom: c@example.com\n";
  for (int idx = 0; idx < 30000; ++idx) attached += "X-A: b\n";
  EXPECT_EQ(ParseMail(attached + "\nbody\n--b--\n").status().code(),
            absl::StatusCode::kResourceExhausted);
}

TEST(MimeLimitsTest, MessageTooLarge) {
  MimeLimits small;
  small.max_message_bytes = 100;
  EXPECT_EQ(
      ParseMail(Simple("From: a@example.com\n", std::string(200, 'x')), small).status().code(),
      absl::StatusCode::kResourceExhausted);
}

TEST(MimeLimitsTest, TextCutOnUtf8Boundary) {
  std::string body;
  for (int idx = 0; idx < 2000; ++idx) body += "\u20ac";  // 3 bytes each
  MimeLimits limits;
  limits.max_text_bytes = 1000;
  absl::StatusOr<InboundMail> mail = ParseMail(
      Simple("From: a@example.com\nContent-Type: text/plain; charset=utf-8\n", body), limits);
  ASSERT_TRUE(mail.ok()) << mail.status();
  EXPECT_EQ(mail->text.size(), 999u);
  EXPECT_TRUE(IsValidUtf8(mail->text));
}

TEST(MimeLimitsTest, OversizeAndSurplusAttachmentsDropped) {
  std::string raw =
      "From: a@example.com\nSubject: x\nMIME-Version: 1.0\n"
      "Content-Type: multipart/mixed; boundary=\"b\"\n\n--b\n\nbody\n";
  raw +=
      "--b\nContent-Type: application/pdf\nContent-Disposition: attachment; filename=big.pdf\n\n" +
      std::string(200, 'x') + "\n";
  for (int idx = 0; idx < 3; ++idx) {
    raw += "--b\nContent-Type: image/png; name=p" + std::to_string(idx) + ".png\n\nsmall\n";
  }
  raw += "--b--\n";
  MimeLimits limits;
  limits.max_attachment_bytes = 100;
  limits.max_attachments = 2;
  absl::StatusOr<InboundMail> mail = ParseMail(raw, limits);
  ASSERT_TRUE(mail.ok()) << mail.status();
  EXPECT_EQ(mail->text, "body");
  ASSERT_EQ(mail->attachments.size(), 2u);
  EXPECT_EQ(mail->attachments[0].filename, "p0.png");
  EXPECT_EQ(mail->attachments[1].filename, "p1.png");
  EXPECT_EQ(mail->dropped_attachments, 2u);
}

TEST(MimeFilenameTest, ControlsBidiAndLength) {
  std::string raw =
      "From: a@example.com\nSubject: x\nMIME-Version: 1.0\n"
      "Content-Type: multipart/mixed; boundary=\"b\"\n\n--b\n\nbody\n"
      "--b\nContent-Type: application/octet-stream\n"
      "Content-Disposition: attachment; filename*=utf-8''C%3A%5Cx%5Cinv%01oice"
      "%E2%80%AEfdp.exe\n\nMZ\n"
      "--b\nContent-Type: application/pdf\nContent-Disposition: attachment; "
      "filename=\"" +
      std::string(300, 'a') + ".pdf\"\n\n%PDF\n--b--\n";
  absl::StatusOr<InboundMail> mail = ParseMail(raw);
  ASSERT_TRUE(mail.ok()) << mail.status();
  ASSERT_EQ(mail->attachments.size(), 2u);
  EXPECT_EQ(mail->attachments[0].filename, "invoicefdp.exe");
  EXPECT_EQ(mail->attachments[1].filename, std::string(196, 'a') + ".pdf");
}

// ---- hostile input ----------------------------------------------------------

// Deterministic across platforms: raw mt19937 output, no distributions.
std::string Mutate(const std::string& original, std::mt19937& random) {
  std::string raw = original;
  const int edits = 1 + static_cast<int>(random() % 8);
  for (int edit = 0; edit < edits && !raw.empty(); ++edit) {
    const size_t pos = random() % raw.size();
    switch (random() % 6) {
      case 0:  // byte flip
        raw[pos] = static_cast<char>(random() & 0xFF);
        break;
      case 1:  // truncation
        raw.resize(pos);
        break;
      case 2: {  // a line duplicated, boundary lines by preference
        size_t start = raw.rfind("\n--", pos);
        start = start == std::string::npos ? raw.rfind('\n', pos) : start;
        start = start == std::string::npos ? 0 : start + 1;
        const size_t end = raw.find('\n', start);
        const std::string line =
            raw.substr(start, end == std::string::npos ? std::string::npos : end - start + 1);
        for (uint32_t copy = random() % 4; copy > 0; --copy) raw.insert(start, line);
        break;
      }
      case 3:  // CRs deleted
        raw.erase(std::remove(raw.begin() + static_cast<std::ptrdiff_t>(pos), raw.end(), '\r'),
                  raw.end());
        break;
      case 4:  // a span deleted
        raw.erase(pos, random() % 64);
        break;
      default:  // hostile bytes inserted
        raw.insert(pos, std::string(1 + random() % 4, "<>=\"?\n\0-"[random() % 8]));
        break;
    }
  }
  return raw;
}

TEST(MimeMutationTest, CorpusMutationsNeverCrash) {
  std::vector<std::string> corpus;
  for (const auto& entry : std::filesystem::directory_iterator(CorpusDir())) {
    if (entry.path().extension() == ".eml") corpus.push_back(entry.path().stem().string());
  }
  std::sort(corpus.begin(), corpus.end());
  ASSERT_GE(corpus.size(), 15u);
  size_t parsed = 0;
  for (const std::string& name : corpus) {
    const std::string original = ReadCorpus(name);
    uint32_t seed = 2166136261u;  // FNV-1a of the name: the same seeds everywhere
    for (const char c : name) seed = (seed ^ static_cast<unsigned char>(c)) * 16777619u;
    std::mt19937 random(seed);
    for (int round = 0; round < 300; ++round) {
      const absl::StatusOr<InboundMail> mail =
          ParseMail(Mutate(original, random), MimeLimits{}, {"contact@council.example"});
      if (!mail.ok()) continue;
      ++parsed;
      EXPECT_TRUE(IsValidUtf8(mail->text)) << name << " round " << round;
      EXPECT_TRUE(IsValidUtf8(mail->subject)) << name << " round " << round;
      EXPECT_TRUE(IsValidUtf8(mail->from_name)) << name << " round " << round;
      for (const domain::MailAttachment& attachment : mail->attachments) {
        EXPECT_TRUE(IsValidUtf8(attachment.filename)) << name << " round " << round;
        EXPECT_EQ(attachment.filename.find('/'), std::string::npos);
      }
    }
  }
  EXPECT_GT(parsed, corpus.size() * 150);
}

}  // namespace
}  // namespace onestop::mail
