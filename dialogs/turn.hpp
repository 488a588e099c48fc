#pragma once

// Internal to the engine: one message being answered.

#include "dialogs/dates.hpp"
#include "dialogs/engine.hpp"
#include "dialogs/student_state.hpp"

#include <string>
#include <utility>
#include <vector>

namespace permit::dialogs {

using Fill = std::vector<std::pair<std::string, std::string>>;

// Replaces each {name} in a template.
std::string fill(std::string_view pattern, const Fill& values);

class Turn {
 public:
  // The student's university and reply language come from the state; a
  // university no script knows any more is forgotten.
  Turn(const Engine& engine, StudentState& state, Outcome& out, Date today)
      : engine_(engine), common_(engine.scripts().common), st_(state), out_(out), today_(today),
        uni_(engine.university(state.university)), lang(state.pinned.value_or(state.last)) {
    if (uni_ == nullptr) st_.university.clear();
  }

  void handle_text(const std::string& raw);
  void welcome();
  void unsupported();
  std::string reply() const;  // the parts said, one message
  Lang language() const { return lang; }
  // On a walkthrough node that is not its end.
  bool in_walkthrough() const;

 private:
  // engine.cpp
  bool command(const std::string& norm, const char* name) const;
  bool starts_with_command(const std::string& norm, const char* name, std::string& rest) const;
  void say(std::string text) { parts_.push_back(std::move(text)); }
  std::string text(const std::string& key, const Fill& values = {}) const;
  std::string university_list();
  const University* find_university_in(const std::string& norm, std::string* rest) const;
  void pick_university(const University& u, const std::string& rest);
  std::string strip_filler(const std::string& text) const;
  void choose(int number);
  void answer_question(const std::string& raw);
  void answer_faq(const Faq& faq);
  bool handle_date(const std::string& raw);
  void give_deadline();
  std::vector<Effect::Reminder> reminders(Date by, const Fill& values, const char* key) const;
  void menu();
  std::string source_ref(const Source& s) const;   // "JSNU regulation, Article 9"
  std::string source_line(const Source& s) const;  // "Source: JSNU regulation, Article 9"

  // walkthrough.cpp
  void start_walkthrough();
  void render_node();
  void render_step(const Node& n);
  void go_next();
  void go_back();
  void progress();
  void tick(int number);
  void choose_option(std::size_t index);
  bool answer_by_label(const std::string& norm);
  std::vector<std::size_t> visible_items(const Node& n) const;
  bool holds(const Condition& c) const;
  const Node* follow(const std::vector<Edge>& edges) const;
  const Node* current() const;
  int step_number(std::size_t path_length) const;

  const Engine& engine_;
  const Common& common_;
  StudentState& st_;
  Outcome& out_;
  Date today_;
  const University* uni_;
  Lang lang;
  std::vector<std::string> parts_;
};

}  // namespace permit::dialogs
