#include "common/md5.h"

#include <gtest/gtest.h>

namespace onestop {
namespace {

TEST(Md5Test, Rfc1321Vectors) {
  EXPECT_EQ(Md5Hex(""), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(Md5Hex("abc"), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(Md5Hex("message digest"), "f96b697d7cb7938d525a2f31aaf161d0");
}

TEST(Md5Test, BinaryInputIsHashedWhole) {
  EXPECT_NE(Md5Hex(std::string_view("a\0b", 3)), Md5Hex("a"));
}

// RFC 2617 §3.5: user Mufasa, realm testrealm@host.com, password "Circle Of Life".
TEST(Md5Test, DigestHa1Rfc2617Example) {
  EXPECT_EQ(DigestHa1("Mufasa", "testrealm@host.com", "Circle Of Life"),
            "939e7578ed9e3c518a452acee763bce9");
}

}  // namespace
}  // namespace onestop
