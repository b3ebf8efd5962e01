#include "store/dynamodb/sigv4.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace mysfits::store::dynamodb {
namespace {

// The inputs and expected values below are AWS's published examples: the "Signature Version 4
// test suite" (credentials AKIDEXAMPLE, 2015-08-30 12:36:00 UTC, us-east-1, service "service")
// and the IAM ListUsers walk-through of the SigV4 documentation.
constexpr const char* kAccessKey = "AKIDEXAMPLE";
constexpr const char* kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr const char* kSuiteDate = "20150830T123600Z";
constexpr const char* kSuiteToken =
    "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfp"
    "SPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQ"
    "DYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+s"
    "cqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";
constexpr const char* kEmptyHash =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

std::chrono::system_clock::time_point suite_time() {
  // 2015-08-30T12:36:00Z
  return std::chrono::system_clock::time_point(std::chrono::seconds(1'440'938'160));
}

const SigningScope kSuiteScope{"us-east-1", "service"};

SignableRequest suite_request(std::string method, std::string query = "", Headers extra = {}) {
  SignableRequest request;
  request.method = std::move(method);
  request.query = std::move(query);
  request.headers = {{"Host", "example.amazonaws.com"}};
  for (auto& header : extra) {
    request.headers.push_back(std::move(header));
  }
  return request;
}

std::string authorization_of(const SignableRequest& request) {
  for (const auto& [name, value] : request.headers) {
    if (name == "Authorization") {
      return value;
    }
  }
  return "";
}

std::string suite_authorization(const std::string& signed_headers, const std::string& sig) {
  return "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
         "SignedHeaders=" +
         signed_headers + ", Signature=" + sig;
}

TEST(SigV4, FormatsTheAmzDateInUtc) {
  EXPECT_EQ(amz_date(suite_time()), kSuiteDate);
}

TEST(SigV4, GetVanillaCanonicalRequestAndStringToSign) {
  SignableRequest request = suite_request("GET");
  request.headers.emplace_back("X-Amz-Date", kSuiteDate);
  std::string canonical = canonical_request(request);
  EXPECT_EQ(canonical, std::string("GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:") +
                           kSuiteDate + "\n\nhost;x-amz-date\n" + kEmptyHash);
  EXPECT_EQ(string_to_sign(kSuiteDate, kSuiteScope, canonical),
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
            "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63");
}

TEST(SigV4, GetVanillaSignature) {
  SignableRequest request = suite_request("GET");
  sign(request, {kAccessKey, kSecret, ""}, kSuiteScope, suite_time());
  EXPECT_EQ(
      authorization_of(request),
      suite_authorization("host;x-amz-date",
                          "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"));
}

TEST(SigV4, PostVanillaSignature) {
  SignableRequest request = suite_request("POST");
  sign(request, {kAccessKey, kSecret, ""}, kSuiteScope, suite_time());
  EXPECT_EQ(
      authorization_of(request),
      suite_authorization("host;x-amz-date",
                          "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"));
}

TEST(SigV4, QueryParametersAreSortedByKey) {
  SignableRequest request = suite_request("GET", "Param2=value2&Param1=value1");
  sign(request, {kAccessKey, kSecret, ""}, kSuiteScope, suite_time());
  EXPECT_EQ(
      authorization_of(request),
      suite_authorization("host;x-amz-date",
                          "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"));
}

TEST(SigV4, HeaderValuesAreTrimmedAndInnerSpacesCollapsed) {
  SignableRequest request =
      suite_request("GET", "", {{"My-Header1", " value1"}, {"My-Header2", "\"a   b   c\""}});
  sign(request, {kAccessKey, kSecret, ""}, kSuiteScope, suite_time());
  EXPECT_EQ(
      authorization_of(request),
      suite_authorization("host;my-header1;my-header2;x-amz-date",
                          "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736"));
}

TEST(SigV4, HeaderNamesAreLowerCasedAndSorted) {
  SignableRequest request = suite_request("POST", "", {{"My-Header1", "value1"}});
  sign(request, {kAccessKey, kSecret, ""}, kSuiteScope, suite_time());
  EXPECT_EQ(
      authorization_of(request),
      suite_authorization("host;my-header1;x-amz-date",
                          "c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c"));
}

TEST(SigV4, PayloadIsHashedIntoTheSignature) {
  SignableRequest request =
      suite_request("POST", "", {{"Content-Type", "application/x-www-form-urlencoded"}});
  request.payload = "Param1=value1";
  sign(request, {kAccessKey, kSecret, ""}, kSuiteScope, suite_time());
  EXPECT_EQ(
      authorization_of(request),
      suite_authorization("content-type;host;x-amz-date",
                          "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a"));
}

TEST(SigV4, SessionTokenIsASignedHeader) {
  SignableRequest request = suite_request("POST");
  sign(request, {kAccessKey, kSecret, kSuiteToken}, kSuiteScope, suite_time());
  EXPECT_EQ(
      authorization_of(request),
      suite_authorization("host;x-amz-date;x-amz-security-token",
                          "85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead"));
  bool has_token = false;
  for (const auto& [name, value] : request.headers) {
    has_token = has_token || (name == "X-Amz-Security-Token" && value == kSuiteToken);
  }
  EXPECT_TRUE(has_token);
}

TEST(SigV4, DerivesTheDocumentedSigningKey) {
  Digest key = derive_signing_key(kSecret, "20120215", {"us-east-1", "iam"});
  EXPECT_EQ(hex(key.data(), key.size()),
            "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
}

TEST(SigV4, TheSigningKeyIsDerivedOncePerDayRegionServiceAndSecret) {
  SigningKeyCache cache;
  const SigningScope scope{"us-east-1", "dynamodb"};
  const auto first = cache.key("secret", "20150830", scope);
  EXPECT_EQ(first, derive_signing_key("secret", "20150830", scope));
  for (int i = 0; i < 100; ++i)
    EXPECT_EQ(cache.key("secret", "20150830", scope), first);
  EXPECT_EQ(cache.derivations(), 1u);
  // Each input that takes part in the key makes a new one, and the right one.
  const SigningScope other_region{"eu-west-1", "dynamodb"};
  const SigningScope other_service{"us-east-1", "sts"};
  EXPECT_EQ(cache.key("secret", "20150831", scope),
            derive_signing_key("secret", "20150831", scope));
  EXPECT_EQ(cache.key("secret", "20150831", other_region),
            derive_signing_key("secret", "20150831", other_region));
  EXPECT_EQ(cache.key("secret", "20150831", other_service),
            derive_signing_key("secret", "20150831", other_service));
  EXPECT_EQ(cache.key("rotated", "20150831", other_service),
            derive_signing_key("rotated", "20150831", other_service));
  EXPECT_EQ(cache.derivations(), 5u);
}

TEST(SigV4, IamListUsersExample) {
  SignableRequest request;
  request.method = "GET";
  request.query = "Action=ListUsers&Version=2010-05-08";
  request.headers = {{"Host", "iam.amazonaws.com"},
                     {"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"},
                     {"X-Amz-Date", kSuiteDate}};
  std::string canonical = canonical_request(request);
  EXPECT_EQ(sha256_hex(canonical),
            "f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59");
  Digest key = derive_signing_key(kSecret, "20150830", {"us-east-1", "iam"});
  EXPECT_EQ(hex(key.data(), key.size()),
            "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9");
  EXPECT_EQ(signature(key, string_to_sign(kSuiteDate, {"us-east-1", "iam"}, canonical)),
            "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
}

TEST(SigV4, UriEncodingKeepsOnlyUnreservedCharacters) {
  EXPECT_EQ(uri_encode("a b/c~d._-*", false), "a%20b%2Fc~d._-%2A");
  EXPECT_EQ(uri_encode("/a b/", true), "/a%20b/");
}

TEST(SigV4, QueryIsReEncodedCanonically) {
  // Already-encoded and raw spellings of the same query sign the same.
  SignableRequest raw = suite_request("GET", "b=x y&a=1");
  SignableRequest encoded = suite_request("GET", "a=1&b=x%20y");
  EXPECT_EQ(canonical_request(raw), canonical_request(encoded));
}

TEST(SigV4, RepeatedHeadersAreJoinedInOrder) {
  SignableRequest request = suite_request("GET", "", {{"Zoo", "b"}, {"zoo", "a"}});
  std::string canonical = canonical_request(request);
  EXPECT_NE(canonical.find("\nzoo:b,a\n"), std::string::npos);
  EXPECT_EQ(signed_header_names(request.headers), "host;zoo");
}

}  // namespace
}  // namespace mysfits::store::dynamodb
