#include "store/dynamodb/credentials/credentials.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "store/dynamodb/credentials/credentials_document.hpp"
#include "store/dynamodb/credentials/environment_provider.hpp"
#include "store/dynamodb/credentials/profile_provider.hpp"
#include "store/dynamodb/credentials/sts_response.hpp"

namespace mysfits::store::dynamodb::credentials {
namespace {

using std::chrono::system_clock;

core::Result<Credentials> load_now(Provider& provider) {
  std::optional<core::Result<Credentials>> out;
  provider.load([&](core::Result<Credentials> r) { out = std::move(r); });
  EXPECT_TRUE(out.has_value()) << "file and environment providers complete inline";
  return out ? std::move(*out) : core::Result<Credentials>(core::Error{});
}

std::string write_temp(const std::string& name, const std::string& content) {
  auto dir =
      std::filesystem::temp_directory_path() / ("mysfits-ddb-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string path = (dir / name).string();
  std::ofstream(path) << content;
  return path;
}

TEST(Iso8601, ParsesUtcAndOffsetsAndFractions) {
  auto base = system_clock::from_time_t(1'440'938'160);  // 2015-08-30T12:36:00Z
  EXPECT_EQ(parse_iso8601("2015-08-30T12:36:00Z"), base);
  EXPECT_EQ(parse_iso8601("2015-08-30T12:36:00.123Z"), base);
  EXPECT_EQ(parse_iso8601("2015-08-30T14:36:00+02:00"), base);
  EXPECT_EQ(parse_iso8601("2015-08-30T11:36:00-01:00"), base);
}

TEST(Iso8601, RejectsWhatIsNotADate) {
  for (const char* text :
       {"", "2015-08-30", "2015-08-30T12:36:00", "2015-13-30T12:36:00Z", "2015-08-30T12:36:00Zjunk",
        "2015-08-30T12:36:00.Z", "abcd-ef-ghTij:kl:mnZ", "4010-08-30T12:36:00Z"}) {
    EXPECT_FALSE(parse_iso8601(text).has_value()) << text;
  }
}

TEST(EnvironmentProvider, ReadsKeysAndSessionToken) {
  EnvironmentProvider provider(fixed_environment({{"AWS_ACCESS_KEY_ID", "AKID"},
                                                  {"AWS_SECRET_ACCESS_KEY", "SECRET"},
                                                  {"AWS_SESSION_TOKEN", "TOKEN"}}));
  EXPECT_FALSE(provider.not_configured());
  auto credentials = load_now(provider);
  ASSERT_TRUE(credentials.ok());
  EXPECT_EQ(credentials->access_key_id, "AKID");
  EXPECT_EQ(credentials->secret_access_key, "SECRET");
  EXPECT_EQ(credentials->session_token, "TOKEN");
  EXPECT_FALSE(credentials->expiration.has_value());
}

TEST(EnvironmentProvider, AbsentKeysAreNotConfigured) {
  EnvironmentProvider provider(fixed_environment({}));
  EXPECT_EQ(provider.not_configured(), "AWS_ACCESS_KEY_ID not set");
}

TEST(EnvironmentProvider, HalfAKeyPairIsAnError) {
  EnvironmentProvider provider(fixed_environment({{"AWS_ACCESS_KEY_ID", "AKID"}}));
  EXPECT_FALSE(provider.not_configured());
  auto credentials = load_now(provider);
  ASSERT_FALSE(credentials.ok());
  EXPECT_NE(credentials.error().message.find("AWS_SECRET_ACCESS_KEY"), std::string::npos);
}

TEST(Ini, ParsesSectionsKeysAndComments) {
  auto sections = parse_ini(
      "# comment\n[default]\naws_access_key_id = A1 \n; other\nAWS_SECRET_ACCESS_KEY=S1\r\n"
      "[dev]\naws_access_key_id=A2\nnot a pair\n[broken\nkey=ignored\n");
  EXPECT_EQ(sections["default"]["aws_access_key_id"], "A1");
  EXPECT_EQ(sections["default"]["aws_secret_access_key"], "S1");
  EXPECT_EQ(sections["dev"]["aws_access_key_id"], "A2");
  EXPECT_EQ(sections.count("broken"), 0u);
}

TEST(ProfileProvider, ReadsTheDefaultProfile) {
  std::string path = write_temp(
      "credentials-default", "[default]\naws_access_key_id=AKID\naws_secret_access_key=SECRET\n");
  ProfileProvider provider(fixed_environment({{"AWS_SHARED_CREDENTIALS_FILE", path}}));
  EXPECT_FALSE(provider.not_configured());
  auto credentials = load_now(provider);
  ASSERT_TRUE(credentials.ok());
  EXPECT_EQ(credentials->access_key_id, "AKID");
  EXPECT_EQ(credentials->session_token, "");
}

TEST(ProfileProvider, ReadsTheProfileNamedByAwsProfile) {
  std::string path =
      write_temp("credentials-named",
                 "[default]\naws_access_key_id=A0\naws_secret_access_key=S0\n"
                 "[dev]\naws_access_key_id=A1\naws_secret_access_key=S1\naws_session_token=T1\n");
  ProfileProvider provider(
      fixed_environment({{"AWS_SHARED_CREDENTIALS_FILE", path}, {"AWS_PROFILE", "dev"}}));
  auto credentials = load_now(provider);
  ASSERT_TRUE(credentials.ok());
  EXPECT_EQ(credentials->access_key_id, "A1");
  EXPECT_EQ(credentials->session_token, "T1");
}

TEST(ProfileProvider, DefaultsToHomeDotAws) {
  ProfileProvider provider(fixed_environment({{"HOME", "/nonexistent-home"}}));
  EXPECT_EQ(provider.path(), "/nonexistent-home/.aws/credentials");
  EXPECT_EQ(provider.not_configured(), "no file /nonexistent-home/.aws/credentials");
}

TEST(ProfileProvider, AFileWithoutTheDefaultProfileIsNotConfigured) {
  std::string path = write_temp("credentials-nodefault", "[dev]\naws_access_key_id=A\n");
  ProfileProvider provider(fixed_environment({{"AWS_SHARED_CREDENTIALS_FILE", path}}));
  ASSERT_TRUE(provider.not_configured());
  EXPECT_NE(provider.not_configured()->find("[default]"), std::string::npos);
}

TEST(ProfileProvider, AMissingChosenProfileIsAnError) {
  std::string path = write_temp("credentials-missing", "[default]\naws_access_key_id=A\n");
  ProfileProvider provider(
      fixed_environment({{"AWS_SHARED_CREDENTIALS_FILE", path}, {"AWS_PROFILE", "prod"}}));
  EXPECT_FALSE(provider.not_configured());
  auto credentials = load_now(provider);
  ASSERT_FALSE(credentials.ok());
  EXPECT_NE(credentials.error().message.find("[prod]"), std::string::npos);
}

TEST(ProfileProvider, AProfileWithoutASecretIsAnError) {
  std::string path = write_temp("credentials-nosecret", "[default]\naws_access_key_id=A\n");
  ProfileProvider provider(fixed_environment({{"AWS_SHARED_CREDENTIALS_FILE", path}}));
  EXPECT_FALSE(load_now(provider).ok());
}

constexpr const char* kStsAnswer =
    R"(<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleWithWebIdentityResult>
    <SubjectFromWebIdentityToken>system:serviceaccount:default:mythical-misfit</SubjectFromWebIdentityToken>
    <Credentials>
      <SessionToken>FwoG&amp;token&#x2F;x</SessionToken>
      <SecretAccessKey>wJalr/secret</SecretAccessKey>
      <Expiration>2015-08-30T12:36:00Z</Expiration>
      <AccessKeyId>ASIAEXAMPLE</AccessKeyId>
    </Credentials>
  </AssumeRoleWithWebIdentityResult>
  <ResponseMetadata><RequestId>ad4156e9-bce1-11e2-82e6-6b6efEXAMPLE</RequestId></ResponseMetadata>
</AssumeRoleWithWebIdentityResponse>)";

TEST(StsResponse, ReadsTheCredentialsOfAnAssumeRoleAnswer) {
  auto credentials = parse_assume_role_response(kStsAnswer);
  ASSERT_TRUE(credentials.ok()) << credentials.error().message;
  EXPECT_EQ(credentials->access_key_id, "ASIAEXAMPLE");
  EXPECT_EQ(credentials->secret_access_key, "wJalr/secret");
  EXPECT_EQ(credentials->session_token, "FwoG&token/x");
  EXPECT_EQ(credentials->expiration, system_clock::from_time_t(1'440'938'160));
}

TEST(StsResponse, IncompleteAnswersAreErrors) {
  EXPECT_FALSE(parse_assume_role_response("").ok());
  EXPECT_FALSE(
      parse_assume_role_response("<Credentials><AccessKeyId>A</AccessKeyId></Credentials>").ok());
  EXPECT_FALSE(parse_assume_role_response("<Credentials/>").ok());
  EXPECT_FALSE(parse_assume_role_response(
                   "<Credentials><AccessKeyId>A</AccessKeyId><SecretAccessKey>S</SecretAccessKey>"
                   "<SessionToken>T</SessionToken><Expiration>soon</Expiration></Credentials>")
                   .ok());
}

TEST(StsResponse, ReadsAnErrorDocument) {
  auto error = parse_sts_error(
      "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidIdentityToken</Code>"
      "<Message>Token expired</Message></Error><RequestId>r1</RequestId></ErrorResponse>");
  EXPECT_EQ(error, "InvalidIdentityToken: Token expired");
  EXPECT_FALSE(parse_sts_error("<html>502</html>").has_value());
}

TEST(StsResponse, ElementNamesMustMatchWhole) {
  EXPECT_EQ(xml_element_text("<ErrorResponse>x</ErrorResponse><Error a=\"1\">y</Error>", "Error"),
            "y");
}

TEST(CredentialsDocument, ReadsContainerAndImdsDocuments) {
  auto credentials = parse_credentials_document(
      R"({"Code":"Success","AccessKeyId":"ASIA1","SecretAccessKey":"S","Token":"T",)"
      R"("Expiration":"2015-08-30T12:36:00Z","AccountId":"123"})");
  ASSERT_TRUE(credentials.ok()) << credentials.error().message;
  EXPECT_EQ(credentials->access_key_id, "ASIA1");
  EXPECT_EQ(credentials->session_token, "T");
  EXPECT_EQ(credentials->expiration, system_clock::from_time_t(1'440'938'160));
}

TEST(CredentialsDocument, RejectsFailuresAndGarbage) {
  EXPECT_FALSE(parse_credentials_document("not json").ok());
  EXPECT_FALSE(parse_credentials_document("[]").ok());
  EXPECT_FALSE(parse_credentials_document(R"({"AccessKeyId":"A"})").ok());
  EXPECT_FALSE(parse_credentials_document(R"({"AccessKeyId":1,"SecretAccessKey":"S"})").ok());
  auto failed =
      parse_credentials_document(R"({"Code":"AssumeRoleUnauthorizedAccess","Message":"no"})");
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.error().message.find("AssumeRoleUnauthorizedAccess"), std::string::npos);
  EXPECT_FALSE(parse_credentials_document(
                   R"({"AccessKeyId":"A","SecretAccessKey":"S","Expiration":"later"})")
                   .ok());
}

TEST(Redact, KeepsOnlyTheEnds) {
  EXPECT_EQ(redact("AKIAIOSFODNN7EXAMPLE"), "AKIA...MPLE");
  EXPECT_EQ(redact("short"), "****");
}

}  // namespace
}  // namespace mysfits::store::dynamodb::credentials
