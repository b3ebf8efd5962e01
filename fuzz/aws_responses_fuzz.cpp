// libFuzzer target for what the DynamoDB store reads from the network: STS's XML answer to
// AssumeRoleWithWebIdentity and its error documents, the container/IMDS credentials JSON, and
// DynamoDB items. Input: one selector byte, then the document. A parse either fails cleanly or
// yields something the rest of the code can use: never a crash, never an empty secret.
#include <boost/json.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "store/dynamodb/credentials/credentials_document.hpp"
#include "store/dynamodb/credentials/sts_response.hpp"
#include "store/dynamodb/item_codec.hpp"

namespace {

using namespace mysfits::store::dynamodb;
using namespace mysfits::store::dynamodb::credentials;

void check(const mysfits::core::Result<Credentials>& parsed) {
  if (parsed.ok() && (parsed->access_key_id.empty() || parsed->secret_access_key.empty()))
    std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0)
    return 0;
  std::string_view doc(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 4) {
    case 0:
      check(parse_assume_role_response(doc));
      break;
    case 1:
      (void)parse_sts_error(doc);
      (void)xml_element_text(doc, "Code");
      break;
    case 2:
      check(parse_credentials_document(doc));
      break;
    default: {
      boost::system::error_code ec;
      auto value = boost::json::parse(doc, ec);
      if (!ec && value.is_object()) {
        auto mysfit = item_to_mysfit(value.as_object());
        if (mysfit.ok() && mysfit->id.empty())
          std::abort();
        (void)number_attribute(value.as_object().if_contains("likes"), "likes");
      }
    }
  }
  return 0;
}
