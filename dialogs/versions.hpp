#pragma once

#include "dialogs/engine.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

namespace permit::dialogs {

// Published with a release: moves students who are mid-walkthrough at a
// university on an older release onto this one. Each entry renames a node
// (old id -> new id); a node not named keeps its id.
struct Migration {
  std::map<std::string, std::map<std::string, std::string>> universities;

  bool covers(const std::string& university) const { return universities.contains(university); }
  // The node's id in the new release.
  std::string map(const std::string& university, const std::string& node) const;
};

// One published release of the scripts. The engine is loaded on demand.
struct Release {
  std::shared_ptr<const Engine> engine;
  Migration migration;
};

// Serves each student from the release their walkthrough started on, until
// the walkthrough ends or a later release's migration moves them; everyone
// else gets the current release. A publish therefore never changes the
// ground under a student mid-walkthrough. Pure, like the engine.
class VersionedDialog final : public Dialog {
 public:
  VersionedDialog(std::map<std::int64_t, Release> releases, std::int64_t current);

  // The release whose engine this state needs (loaded or not).
  std::int64_t release_for(const StudentState& state) const;

  Outcome respond(std::string_view state, const Inbound& message,
                  std::chrono::system_clock::time_point now) const override;
  Outcome respond(StudentState&& state, const Inbound& message, std::chrono::system_clock::time_point now) const;

  std::int64_t current() const { return current_; }
  const Engine& current_engine() const { return *releases_.at(current_).engine; }
  const std::map<std::int64_t, Release>& releases() const { return releases_; }

 private:
  std::map<std::int64_t, Release> releases_;
  std::int64_t current_;
};

// Moves a state onto another release's engine: renames the node and the
// path through `migration` (when it covers the university) and forgets what
// pointed into the old release's nodes. False when the node has no
// destination there: a publish with such a migration is refused.
bool migrate(StudentState& state, const Migration* migration, const Engine& target);

}  // namespace permit::dialogs
