#pragma once

#include <functional>

#include "core/router.hpp"
#include "split/business_steps.hpp"
#include "store/store.hpp"

namespace mysfits::monolith {

// The business steps the monolith runs itself in the monolith-only stage. A seam: tests and,
// later, real rules plug in here; the like and adopt services call the same functions.
struct BusinessSteps {
  std::function<void(const split::StepContext&)> like = split::process_like;
  std::function<void(const split::StepContext&)> adopt = split::process_adopt;
};

// The monolith's routes (docs/api.md) over a Store. Each handler validates its input (400,
// nothing touched), makes one store call, and serialises the result; store errors map to
// their status (404 unknown id, 409 already adopted, 5xx when the store fails).
class MysfitApi {
 public:
  MysfitApi(store::Store& store, BusinessSteps steps);

  // GET /mysfits, GET /mysfits/{id}, POST /mysfits/{id}/{like,adopt,fulfill-like,fulfill-adopt}
  void add_routes(core::Router& router);

  void list(const core::Request& request, core::Responder responder);
  void get(const core::Request& request, core::Responder responder);
  // Business step, then persistence (the monolith-only stage).
  void like(const core::Request& request, core::Responder responder);
  void adopt(const core::Request& request, core::Responder responder);
  // Persistence only: what the like and adopt services call once they have run the step.
  void fulfill_like(const core::Request& request, core::Responder responder);
  void fulfill_adopt(const core::Request& request, core::Responder responder);

 private:
  void persist_like(const core::Request& request, core::Responder responder);
  void persist_adopt(const core::Request& request, core::Responder responder);

  store::Store& store_;
  BusinessSteps steps_;
};

}  // namespace mysfits::monolith
