// The candidate of the failing-canary test, started by `mysfits migrate --exec like=...`: the
// like service, but its business step refuses one like in five with a 500 before the monolith
// is called (so a refused like is never counted): the kind of bug a canary exists to catch while
// it reaches a tenth of the users instead of all of them.
#include <atomic>

#include "split/business_steps.hpp"
#include "split/step_service.hpp"
#include "store/mysfit.hpp"

int main(int argc, char** argv) {
  using namespace mysfits;
  static std::atomic<unsigned> likes{0};
  const split::StepService service{
      .name = "flaky-like",
      .description = "A like service that fails one like in five (a canary test's candidate).",
      .root_message = "Flaky like service is up.",
      .route = "/mysfits/{id}/like",
      .upstream_route = "/mysfits/{id}/fulfill-like",
      .valid_id = store::is_valid_mysfit_id,
      .invalid_id_message = store::kInvalidMysfitIdMessage,
      .step = [](std::string_view id, std::string_view request_id) -> core::Result<core::Unit> {
        if (likes.fetch_add(1, std::memory_order_relaxed) % 5 == 4)
          return core::Error{core::Errc::kInternal, "one like in five fails here"};
        split::process_like({id, request_id});
        return core::Unit{};
      },
  };
  return split::run_step_service(service, argc, argv);
}
