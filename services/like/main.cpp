// mysfits-like: the like step, split out of the monolith. It runs the business step, then asks
// the monolith to persist the like (fulfill-like) and relays the monolith's answer.
#include "split/business_steps.hpp"
#include "split/step_service.hpp"
#include "store/mysfit.hpp"

int main(int argc, char** argv) {
  using namespace mysfits;
  const split::StepService service{
      .name = "mysfits-like",
      .description = "The Mythical Mysfits like service: processes a like, the monolith stores it.",
      .root_message = "Mythical Mysfits like service is up.",
      .route = "/mysfits/{id}/like",
      .upstream_route = "/mysfits/{id}/fulfill-like",
      .valid_id = store::is_valid_mysfit_id,
      .invalid_id_message = store::kInvalidMysfitIdMessage,
      .step = [](std::string_view id, std::string_view request_id) -> core::Result<core::Unit> {
        split::process_like({id, request_id});
        return core::Unit{};
      },
  };
  return split::run_step_service(service, argc, argv);
}
