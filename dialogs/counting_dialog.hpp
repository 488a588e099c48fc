#pragma once

#include "dialogs/dialog.hpp"

namespace permit::dialogs {

// Placeholder until the scripted engine lands: counts a student's messages.
class CountingDialog final : public Dialog {
 public:
  Outcome respond(std::string_view state, const Inbound& message,
                  std::chrono::system_clock::time_point now) const override;
};

}  // namespace permit::dialogs
