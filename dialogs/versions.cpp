#include "dialogs/versions.hpp"

namespace permit::dialogs {

std::string Migration::map(const std::string& university, const std::string& node) const {
  auto u = universities.find(university);
  if (u == universities.end()) return node;
  auto n = u->second.find(node);
  return n == u->second.end() ? node : n->second;
}

bool migrate(StudentState& state, const Migration* migration, const Engine& target) {
  const University* u = target.university(state.university);
  auto exists = [&](const std::string& id) { return u != nullptr && u->nodes.contains(id); };
  auto renamed = [&](const std::string& id) {
    return migration != nullptr ? migration->map(state.university, id) : id;
  };
  state.release = target.release();
  state.choices.clear();  // numbered options of the old node
  if (state.node.empty()) return true;
  state.node = renamed(state.node);
  std::vector<std::string> path;
  for (const auto& p : state.path)
    if (auto id = renamed(p); exists(id)) path.push_back(std::move(id));
  state.path = std::move(path);
  if (exists(state.node)) return true;
  state.node.clear();
  state.path.clear();
  return false;
}

VersionedDialog::VersionedDialog(std::map<std::int64_t, Release> releases, std::int64_t current)
    : releases_(std::move(releases)), current_(current) {}

std::int64_t VersionedDialog::release_for(const StudentState& st) const {
  if (st.release == 0 || st.node.empty()) return current_;
  // Pinned to a release this instance has not heard of yet: load it, never
  // move the student back.
  if (st.release >= current_) return st.release;
  // The latest release after the student's that migrates their university.
  for (auto it = releases_.rbegin(); it != releases_.rend(); ++it) {
    if (it->first <= st.release) break;
    if (it->first <= current_ && it->second.migration.covers(st.university)) return it->first;
  }
  return st.release;
}

Outcome VersionedDialog::respond(std::string_view state, const Inbound& message,
                                 std::chrono::system_clock::time_point now) const {
  const Engine& current = current_engine();
  auto st = StudentState::read(state);
  if (!st) return current.keep(state, message, "unreadable");
  return current.bounded(state, message, respond(std::move(*st), message, now));
}

Outcome VersionedDialog::respond(StudentState&& st, const Inbound& message,
                                 std::chrono::system_clock::time_point now) const {
  const std::int64_t wanted = release_for(st);
  auto it = releases_.find(wanted);
  if (it == releases_.end() || it->second.engine == nullptr) it = releases_.find(current_);
  const auto& [number, release] = *it;
  if (st.release == 0) return release.engine->respond(std::move(st), message, now);
  if (st.release == number) {
    // A walkthrough begun anew ("restart") is a new one: on the current
    // release, not the pinned one.
    const bool older = number < current_;
    StudentState before = older ? st : StudentState{};
    auto out = release.engine->respond(std::move(st), message, now);
    if (!out.walkthrough_started || !older) return out;
    before.release = 0;
    before.choices.clear();
    return releases_.at(current_).engine->respond(std::move(before), message, now);
  }
  // Moved to another release: by its migration, or (when the student's own
  // release cannot be loaded) onto the current one as far as the node ids
  // allow. Either way the student gets an answer, never an error.
  const Migration* migration = release.migration.covers(st.university) ? &release.migration : nullptr;
  migrate(st, migration, *release.engine);
  return release.engine->respond(std::move(st), message, now);
}

}  // namespace permit::dialogs
