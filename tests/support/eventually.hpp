#pragma once

#include <chrono>
#include <thread>

namespace permit::testing {

// Polls until `done` holds or the time is up, and returns whether it holds:
// the condition is what the test checks, the time only bounds a failure.
template <class Condition>
bool eventually(Condition done, std::chrono::milliseconds limit = std::chrono::seconds(15)) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return done();
}

}  // namespace permit::testing
