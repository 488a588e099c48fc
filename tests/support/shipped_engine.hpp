#pragma once

#include "dialogs/engine.hpp"
#include "dialogs/script_loader.hpp"

#include <gtest/gtest.h>

#include <string>

namespace permit::testing {

// The engine with the repository's own scripts, loaded once per test binary.
// A script error fails the test that asked for it.
inline const dialogs::Engine& shipped_engine() {
  static const dialogs::Engine* instance = [] {
    auto loaded = dialogs::load_scripts(std::string(PERMIT_SOURCE_DIR) + "/dialogs/scripts");
    for (const auto& e : loaded.errors) ADD_FAILURE() << e.to_string();
    return new dialogs::Engine(std::move(*loaded.scripts));
  }();
  return *instance;
}

}  // namespace permit::testing
