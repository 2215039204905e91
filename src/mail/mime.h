// The MIME parser for inbound email: one RFC 5322 message, as an MTA delivers
// it over LMTP, becomes a domain::InboundMail (src/domain/mail.h) — headers
// decoded, the body made into UTF-8 text, the quoted earlier message trimmed
// for the timeline, attachments decoded and sniffed, and the message classed
// as person-written or automatic (RFC 3834) so nobody answers a robot.
//
// GMime 3 does the MIME work; its headers stay in mime.cc. ParseMail is a pure
// function: it owns nothing after it returns, keeps no state besides GMime's
// one-time initialisation (std::call_once), and any thread may call it at the
// same time as others.
//
// Hostile input is expected: every limit below is checked, a message that
// passes one gives ResourceExhausted (attachments over theirs are dropped and
// counted in InboundMail::dropped_attachments instead), and no input makes it
// crash, hang, or use memory out of proportion to its size.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "domain/mail.h"

namespace onestop::mail {

struct MimeLimits {
  size_t max_message_bytes = 25 * 1024 * 1024;
  size_t max_parts = 200;                          // MIME parts walked; beyond: ResourceExhausted
  size_t max_depth = 20;                           // nesting of multiparts / message/rfc822
  size_t max_text_bytes = 1024 * 1024;             // the text kept (cut at a UTF-8 boundary beyond)
  size_t max_attachment_bytes = 10 * 1024 * 1024;  // each; larger ones are dropped
  size_t max_attachments = 20;                     // further ones are dropped
};

// Parses one RFC 5322 message (as delivered: CRLF or LF line ends).
// InvalidArgument when it is not a message at all (GMime constructs none, or
// there are no headers); ResourceExhausted when a limit is passed.
// `our_addresses` are the council's mailbox addresses, lower case: an X-Loop
// header naming one makes auto_kind kLoop.
absl::StatusOr<domain::InboundMail> ParseMail(std::string_view raw, const MimeLimits& limits = {},
                                              const std::vector<std::string>& our_addresses = {});

// The pieces ParseMail is built from, public because they are useful alone and
// tested alone. All take and return UTF-8.

// `text` without the quoted earlier message ("On … wrote:" + "> " lines,
// Outlook's "-----Original Message-----" or "From:/Sent:/To:/Subject:" block,
// "____" separators) and without a signature after "-- ". The full text when
// trimming would leave nothing.
std::string TrimQuotedReply(std::string_view text);

// HTML made into plain text without running anything: tags stripped,
// script/style/head content dropped, entities decoded, block elements and
// <br> as line breaks, blockquote lines prefixed with "> ". Stops reading
// once the text passes `max_bytes` (the caller cuts it exactly).
std::string HtmlToText(std::string_view html, size_t max_bytes = SIZE_MAX);

// `bytes` as valid UTF-8: each invalid sequence becomes U+FFFD.
std::string ToValidUtf8(std::string_view bytes);

// What the first bytes of `content` look like, as a MIME type
// ("application/pdf", "image/png", … "application/octet-stream").
std::string SniffContentType(std::string_view content);

}  // namespace onestop::mail
