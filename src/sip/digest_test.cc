#include "sip/digest.h"

#include <gtest/gtest.h>

#include <sofia-sip/auth_digest.h>
#include <sofia-sip/sip.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/su_alloc.h>

#include "absl/strings/str_cat.h"
#include "common/md5.h"

namespace onestop::sip {
namespace {

struct Home {
  su_home_t* home = static_cast<su_home_t*>(su_home_new(sizeof(su_home_t)));
  ~Home() { su_home_unref(home); }
};

std::string Param(const std::string& challenge, const std::string& name) {
  const size_t at = challenge.find(name + "=\"");
  if (at == std::string::npos) return "";
  const size_t from = at + name.size() + 2;
  return challenge.substr(from, challenge.find('"', from) - from);
}

// What a phone sends back for `challenge` (RFC 2617, qop=auth).
std::string Answer(const std::string& challenge, const std::string& user, const std::string& password,
                   const std::string& method, const std::string& uri) {
  const std::string realm = Param(challenge, "realm");
  const std::string nonce = Param(challenge, "nonce");
  const std::string ha1 = DigestHa1(user, realm, password);
  const std::string ha2 = Md5Hex(absl::StrCat(method, ":", uri));
  const std::string response = Md5Hex(absl::StrCat(ha1, ":", nonce, ":00000001:abcdef:auth:", ha2));
  return absl::StrCat("Digest username=\"", user, "\", realm=\"", realm, "\", nonce=\"", nonce, "\", uri=\"", uri,
                      "\", response=\"", response, "\", algorithm=MD5, qop=auth, nc=00000001, cnonce=\"abcdef\"");
}

TEST(DigestTest, AcceptsTheRightPasswordOnly) {
  DigestAuth auth("onestop");
  const absl::Time now = absl::FromUnixSeconds(1'800'000'000);
  const std::string challenge = auth.Challenge(now);
  EXPECT_NE(challenge.find("realm=\"onestop\""), std::string::npos);
  Home home;
  const std::string good = Answer(challenge, "1001", "secret-1001", "REGISTER", "sip:127.0.0.1");
  sip_authorization_t* au = sip_authorization_make(home.home, good.c_str());
  ASSERT_NE(au, nullptr);
  DigestAuth::Check check = auth.Read(au, now + absl::Seconds(2));
  EXPECT_EQ(check.result, DigestAuth::Result::kOk);
  EXPECT_EQ(check.username, "1001");
  const std::string ha1 = DigestHa1("1001", "onestop", "secret-1001");
  EXPECT_TRUE(auth.Verify(au, ha1, "REGISTER"));
  EXPECT_FALSE(auth.Verify(au, ha1, "INVITE")) << "the method is part of the response";
  EXPECT_FALSE(auth.Verify(au, DigestHa1("1001", "onestop", "other"), "REGISTER"));
  EXPECT_FALSE(auth.Verify(au, "short", "REGISTER"));
}

TEST(DigestTest, StaleForgedAndForeignNonces) {
  DigestAuth auth("onestop", absl::Minutes(5));
  const absl::Time now = absl::FromUnixSeconds(1'800'000'000);
  Home home;
  const std::string old = Answer(auth.Challenge(now), "1001", "pw", "REGISTER", "sip:x");
  EXPECT_EQ(auth.Read(sip_authorization_make(home.home, old.c_str()), now + absl::Minutes(6)).result,
            DigestAuth::Result::kStale);
  // Another secret (another node, or this one before a restart): not ours,
  // so a fresh challenge — even with the right password the phone must
  // answer our nonce — and a nonce that is not one at all is refused.
  DigestAuth other("onestop");
  const std::string foreign_node = Answer(other.Challenge(now), "1001", "pw", "REGISTER", "sip:x");
  EXPECT_EQ(auth.Read(sip_authorization_make(home.home, foreign_node.c_str()), now).result,
            DigestAuth::Result::kStale);
  const std::string forged = Answer("Digest realm=\"onestop\", nonce=\"garbage\", qop=\"auth\"", "1001", "pw",
                                    "REGISTER", "sip:x");
  EXPECT_EQ(auth.Read(sip_authorization_make(home.home, forged.c_str()), now).result, DigestAuth::Result::kBad);
  DigestAuth elsewhere("another-realm");
  const std::string foreign = Answer(elsewhere.Challenge(now), "1001", "pw", "REGISTER", "sip:x");
  EXPECT_EQ(auth.Read(sip_authorization_make(home.home, foreign.c_str()), now).result,
            DigestAuth::Result::kWrongRealm);
  EXPECT_EQ(auth.Read(nullptr, now).result, DigestAuth::Result::kMissing);
  sip_authorization_t* basic = sip_authorization_make(home.home, "Basic dXNlcjpwYXNz");
  EXPECT_EQ(auth.Read(basic, now).result, DigestAuth::Result::kWrongRealm);
}

}  // namespace
}  // namespace onestop::sip
