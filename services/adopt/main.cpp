// mysfits-adopt: the adopt step, split out of the monolith. It runs the business step, then asks
// the monolith to record the adoption (fulfill-adopt) and relays the monolith's answer.
#include "split/business_steps.hpp"
#include "split/step_service.hpp"
#include "store/mysfit.hpp"

int main(int argc, char** argv) {
  using namespace mysfits;
  const split::StepService service{
      .name = "mysfits-adopt",
      .description =
          "The Mythical Mysfits adopt service: processes an adoption, the monolith records it.",
      .root_message = "Mythical Mysfits adopt service is up.",
      .route = "/mysfits/{id}/adopt",
      .upstream_route = "/mysfits/{id}/fulfill-adopt",
      .valid_id = store::is_valid_mysfit_id,
      .invalid_id_message = store::kInvalidMysfitIdMessage,
      .step = [](std::string_view id, std::string_view request_id) -> core::Result<core::Unit> {
        split::process_adopt({id, request_id});
        return core::Unit{};
      },
  };
  return split::run_step_service(service, argc, argv);
}
