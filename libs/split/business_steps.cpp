#include "split/business_steps.hpp"

#include "core/logging.hpp"

namespace mysfits::split {

void process_like(const StepContext& context) {
  core::log_info("like processed",
                 {{"mysfit_id", context.mysfit_id}, {"request_id", context.request_id}});
}

void process_adopt(const StepContext& context) {
  core::log_info("adopt processed",
                 {{"mysfit_id", context.mysfit_id}, {"request_id", context.request_id}});
}

}  // namespace mysfits::split
