#include "sip/sdp.h"

#include <sofia-sip/sdp.h>
#include <sofia-sip/su_alloc.h>
#include <sofia-sip/su_string.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace onestop::sip {
namespace {

struct Home {
  su_home_t* home = static_cast<su_home_t*>(su_home_new(sizeof(su_home_t)));
  ~Home() { su_home_unref(home); }
};

}  // namespace

absl::StatusOr<SdpAudio> ParseSdp(std::string_view body) {
  if (body.empty()) return absl::InvalidArgumentError("no SDP");
  Home home;
  sdp_parser_t* parser = sdp_parse(home.home, body.data(), static_cast<issize_t>(body.size()), 0);
  sdp_session_t* session = sdp_session(parser);
  if (session == nullptr) {
    std::string why = sdp_parsing_error(parser) != nullptr ? sdp_parsing_error(parser) : "unreadable";
    sdp_parser_free(parser);
    return absl::InvalidArgumentError(absl::StrCat("SDP: ", why));
  }
  SdpAudio out;
  const sdp_media_t* audio = nullptr;
  for (const sdp_media_t* m = session->sdp_media; m != nullptr; m = m->m_next) {
    if (m->m_type == sdp_media_audio && m->m_port != 0) {
      audio = m;
      break;
    }
  }
  if (audio == nullptr) {
    sdp_parser_free(parser);
    return absl::InvalidArgumentError("SDP: no audio stream");
  }
  const sdp_connection_t* c = audio->m_connections != nullptr ? audio->m_connections : session->sdp_connection;
  if (c == nullptr || c->c_address == nullptr) {
    sdp_parser_free(parser);
    return absl::InvalidArgumentError("SDP: no connection address");
  }
  out.address = c->c_address;
  out.port = static_cast<uint16_t>(audio->m_port > 65535 ? 0 : audio->m_port);
  for (const sdp_rtpmap_t* rm = audio->m_rtpmaps; rm != nullptr; rm = rm->rm_next) {
    if (rm->rm_encoding == nullptr) continue;
    if (su_casematch(rm->rm_encoding, "telephone-event") && rm->rm_rate == 8000) {
      if (out.telephone_event_pt < 0) out.telephone_event_pt = rm->rm_pt;
    } else if (rm->rm_pt == 0 || (su_casematch(rm->rm_encoding, "PCMU") && rm->rm_rate == 8000)) {
      out.codecs.push_back(media::Codec::kPcmu);
    } else if (rm->rm_pt == 8 || (su_casematch(rm->rm_encoding, "PCMA") && rm->rm_rate == 8000)) {
      out.codecs.push_back(media::Codec::kPcma);
    }
  }
  if (out.codecs.empty()) {
    // Static payload types listed without an rtpmap.
    for (const sdp_list_t* f = audio->m_format; f != nullptr; f = f->l_next) {
      if (f->l_text == nullptr) continue;
      std::string_view pt = f->l_text;
      if (pt == "0") out.codecs.push_back(media::Codec::kPcmu);
      if (pt == "8") out.codecs.push_back(media::Codec::kPcma);
    }
  }
  out.hold = audio->m_mode == sdp_sendonly || audio->m_mode == sdp_inactive || out.address == "0.0.0.0";
  sdp_parser_free(parser);
  if (out.codecs.empty()) return absl::InvalidArgumentError("SDP: no G.711 codec offered");
  if (out.port == 0) return absl::InvalidArgumentError("SDP: bad port");
  return out;
}

std::string WriteSdp(const SdpOut& sdp) {
  const bool v6 = sdp.address.find(':') != std::string::npos;
  const char* ip = v6 ? "IP6" : "IP4";
  std::string formats;
  std::string maps;
  for (media::Codec codec : sdp.codecs) {
    const int pt = static_cast<int>(codec);
    absl::StrAppend(&formats, " ", pt);
    absl::StrAppend(&maps, "a=rtpmap:", pt, " ", std::string(media::CodecName(codec)), "/8000\r\n");
  }
  if (sdp.telephone_event_pt >= 0) {
    absl::StrAppend(&formats, " ", sdp.telephone_event_pt);
    absl::StrAppend(&maps, "a=rtpmap:", sdp.telephone_event_pt, " telephone-event/8000\r\n", "a=fmtp:",
                    sdp.telephone_event_pt, " 0-15\r\n");
  }
  return absl::StrCat("v=0\r\n", "o=onestop ", sdp.session_id, " ", sdp.version, " IN ", ip, " ", sdp.address,
                      "\r\n", "s=onestop\r\n", "c=IN ", ip, " ", sdp.address, "\r\n", "t=0 0\r\n",
                      "m=audio ", sdp.port, " RTP/AVP", formats, "\r\n", maps, "a=ptime:20\r\n",
                      "a=sendrecv\r\n");
}

SdpOut AnswerTo(const SdpAudio& offer, std::string address, uint16_t port, uint64_t session_id) {
  SdpOut out;
  out.address = std::move(address);
  out.port = port;
  out.codecs = {offer.codecs.front()};
  out.telephone_event_pt = offer.telephone_event_pt;
  out.session_id = session_id;
  return out;
}

uint16_t SipUrlPort(const char* url_port) {
  if (url_port == nullptr || *url_port == '\0') return 5060;
  int port = 0;
  if (!absl::SimpleAtoi(url_port, &port) || port <= 0 || port > 65535) return 0;
  return static_cast<uint16_t>(port);
}

}  // namespace onestop::sip
