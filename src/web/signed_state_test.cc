#include "web/signed_state.h"

#include "gtest/gtest.h"

namespace onestop::web {
namespace {

TEST(SignerTest, RoundTripsAndRejectsTampering) {
  Signer signer;
  const http::ParamList answers = {{"v.bin_type", "general"}, {"v.notes", "a & b = c\nline"}};
  std::string state = signer.Sign(EncodePairs(answers));
  auto payload = signer.Verify(state);
  ASSERT_TRUE(payload.has_value());
  EXPECT_EQ(DecodePairs(*payload), answers);

  std::string tampered = state;
  tampered[2] = tampered[2] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(signer.Verify(tampered).has_value());
  EXPECT_FALSE(signer.Verify("").has_value());
  EXPECT_FALSE(signer.Verify("no-dot").has_value());
  // Another key (another server without the shared secret) does not accept it.
  EXPECT_FALSE(Signer().Verify(state).has_value());
}

TEST(SignerTest, HexKeysAgreeAcrossInstances) {
  const std::string hex(64, 'a');
  auto a = Signer::FromHex(hex);
  auto b = Signer::FromHex(hex);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_TRUE(b->Verify(a->Sign("x")).has_value());
  EXPECT_TRUE(b->Matches("csrf", a->Mac("csrf")));
  EXPECT_FALSE(b->Matches("csrf", a->Mac("other")));
  EXPECT_FALSE(Signer::FromHex("abc").ok());
}

}  // namespace
}  // namespace onestop::web
