// The guided walkthrough: a university's process as a graph of questions
// and steps, walked one message at a time.

#include "dialogs/closeness.hpp"
#include "dialogs/text.hpp"
#include "dialogs/turn.hpp"

#include <algorithm>
#include <set>

namespace permit::dialogs {

const Node* Turn::current() const {
  if (uni_ == nullptr || st_.node.empty()) return nullptr;
  return uni_->node(st_.node);
}

const Node* Turn::settled_end() const {
  if (uni_ == nullptr || st_.answers.empty()) return nullptr;
  const Node* n = uni_->node(uni_->start);
  // Only through questions already answered; a guide is a few questions
  // deep, and the bound keeps a looping one from running on.
  for (int asked = 0; n != nullptr && n->kind == Node::Kind::question && asked < 16; ++asked) {
    const Option* chosen = nullptr;
    for (const auto& o : n->options)
      if (!o.set.empty() && holds(o.set)) chosen = &o;
    if (chosen == nullptr) return nullptr;
    n = follow(chosen->next);
  }
  return n != nullptr && n->kind == Node::Kind::end ? n : nullptr;
}

std::pair<const Faq*, const Text*> Turn::for_my_case(const Faq& faq) const {
  // (Not a structured binding: clang before 16 cannot capture one.)
  for (const auto& said : faq.situation) {
    const std::string& variable = said.first;
    const std::string& value = said.second;
    auto mine = st_.answers.find(variable);
    if (mine == st_.answers.end() || mine->second == value) continue;
    for (const auto& other : uni_->faq) {
      auto is_mine = [&](const auto& kv) { return kv.first == variable && kv.second == mine->second; };
      // Or an answer with a row for their case, which says the case itself:
      // "how long can I stay?" from an X2 student, for whom the X1 permit's
      // entry is not.
      if (other.by_case && std::any_of(other.by_case->rows.begin(), other.by_case->rows.end(), [&](const ByCase::Row& row) {
            return std::any_of(row.set.begin(), row.set.end(), is_mine);
          }))
        return {&other, nullptr};
      if (std::none_of(other.situation.begin(), other.situation.end(), is_mine)) continue;
      // The guide's own words for the case: the option that sets it.
      const Text* label = nullptr;
      for (const auto& [id, n] : uni_->nodes)
        for (const auto& o : n.options)
          if (std::any_of(o.set.begin(), o.set.end(), is_mine)) label = &o.label;
      return {&other, label};
    }
  }
  return {nullptr, nullptr};
}

namespace {

// Whether a step goes on to a node that is (`end`) or is not the end.
bool leads_to(const Node& step, bool end, const University& u) {
  return std::any_of(step.next.begin(), step.next.end(), [&](const Edge& e) {
    const Node* to = u.node(e.to);
    return to != nullptr && (to->kind == Node::Kind::end) == end;
  });
}

}  // namespace

bool Turn::step_follows(const Thing& t) const {
  const Node* here = step_at(t);
  return here != nullptr && leads_to(*here, false, *uni_);
}

// Every step of the thing is the last, and the answer just given is that
// step's: NENU's ISO gives the letter early on and is told of the new
// permit at the end, so "whats next" after its documents is not "the last
// step".
bool Turn::last_step_answered(const Thing& t) const {
  const Faq* answered = st_.context.faq.empty() ? nullptr : engine_.faq(uni_->id, st_.context.faq);
  bool any = false;
  for (const auto& [id, n] : uni_->nodes) {
    if (n.kind != Node::Kind::step || n.thing != t.id) continue;
    if (leads_to(n, false, *uni_)) return false;
    // (Not after a fact of its place, "where is the ISO office?", which
    // says nothing of the step; the permit's own office's facts are
    // answered with its step.)
    if (answered == nullptr && !st_.context.asked.empty() && !t.main) return false;
    if (answered != nullptr && (!n.source || !answered->source || !same_source(*n.source, *answered->source))) return false;
    any = true;
  }
  return any;
}

bool Turn::reaches(const Node& from, const Node& to) const {
  std::vector<const Node*> todo{&from}, seen;
  while (!todo.empty()) {
    const Node* n = todo.back();
    todo.pop_back();
    if (n == &to) return true;
    if (std::find(seen.begin(), seen.end(), n) != seen.end()) continue;
    seen.push_back(n);
    for (const auto& e : n->next)
      if (const Node* next = uni_->node(e.to)) todo.push_back(next);
  }
  return false;
}

const Thing* Turn::last_done(const std::vector<const Thing*>& things) const {
  const Thing* last = nullptr;
  const Node* last_step = nullptr;
  for (const Thing* t : things) {
    const Node* step = t->main ? nullptr : step_at(*t);
    if (step == nullptr) continue;
    if (last_step == nullptr || (step != last_step && reaches(*last_step, *step))) {
      last = t;
      last_step = step;
    }
  }
  return last;
}

// "Got the form from the police station n the photo receipt": progress
// told, nothing asked. The step after the last of the things done is the
// answer. (Not a step before the place the student said they are at: "got
// my number from reception" at NENU's Immigration Office is not the
// dormitory's reception. Nor when a step named beside them is not done:
// "照片回执拿到了，派出所的表还没拿" still needs the police station's form.)
const Thing* Turn::progress_told(const Reading& r) const {
  if (!r.tells_done || r.asks || !r.attributes.empty() || r.leftover > kLeftoverForProgress) return nullptr;
  // (The place where it was done, named with "at" ("我在市民之家拿到新的
  // 居留许可了"), is done too.)
  const bool all_done = std::all_of(r.things.begin(), r.things.end(), [&](const Thing* t) {
    return t->main || t == r.here || step_at(*t) == nullptr || std::find(r.done.begin(), r.done.end(), t) != r.done.end();
  });
  const Thing* last = all_done ? last_done(r.done) : nullptr;
  if (last == nullptr) return nullptr;
  // Whether the place talked about is a step after the last thing done.
  const Thing* here = context_thing();
  const Node* here_step = here != nullptr ? step_at(*here) : nullptr;
  const Node* done_step = step_at(*last);
  const bool beyond = here_step != nullptr && done_step != nullptr && here_step != done_step && reaches(*done_step, *here_step);
  return beyond ? nullptr : last;
}

bool Turn::answers_told(const Node& question) const {
  return question.kind == Node::Kind::question && std::any_of(question.options.begin(), question.options.end(), [&](const Option& o) {
           return !o.set.empty() && holds(o.set) && std::all_of(o.set.begin(), o.set.end(), [&](const auto& kv) {
             return std::find(told_now_.begin(), told_now_.end(), kv.first) != told_now_.end();
           });
         });
}

bool Turn::in_walkthrough() const {
  const Node* n = current();
  return n != nullptr && n->kind != Node::Kind::end;
}

// "How much does it cost here?" at a step of the guide: its place.
const Thing* Turn::step_thing() const {
  const Node* n = current();
  return n != nullptr && n->kind == Node::Kind::step && !n->thing.empty() ? uni_->thing(n->thing) : nullptr;
}

bool Turn::holds(const Condition& c) const {
  return std::all_of(c.begin(), c.end(), [&](const auto& kv) {
    auto it = st_.answers.find(kv.first);
    return it != st_.answers.end() && it->second == kv.second;
  });
}

const Node* Turn::follow(const std::vector<Edge>& edges) const {
  for (const auto& e : edges)
    if (holds(e.when)) return uni_->node(e.to);
  return nullptr;
}

std::vector<std::size_t> Turn::visible_items(const Node& n) const {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < n.bring.size(); ++i)
    if (holds(n.bring[i].when)) out.push_back(i);
  return out;
}

int Turn::step_number(std::size_t path_length) const {
  int n = 1;
  for (std::size_t i = 0; i < path_length && i < st_.path.size(); ++i) {
    auto it = uni_->nodes.find(st_.path[i]);
    if (it != uni_->nodes.end() && it->second.kind == Node::Kind::step) ++n;
  }
  return n;
}

void Turn::start_walkthrough() {
  // "start" in the middle of the process resumes it; "restart" begins anew.
  if (current() == nullptr) {
    st_.node = uni_->start;
    st_.path.clear();
    out_.walkthrough_started = true;
  }
  render_node();
}

void Turn::render_node() {
  const Node* n = current();
  if (n == nullptr) return say(text("not_started"));
  switch (n->kind) {
    case Node::Kind::question: {
      std::string message = n->text.in(lang);
      st_.choices.clear();
      for (std::size_t i = 0; i < n->options.size(); ++i) {
        message += "\n" + std::to_string(i + 1) + ". " + n->options[i].label.in(lang);
        st_.choices.push_back("opt:" + std::to_string(i));
      }
      if (n->source) message += "\n" + source_line(*n->source);
      message += "\n" + text("question_footer");
      return say(std::move(message));
    }
    case Node::Kind::step:
      return render_step(*n);
    case Node::Kind::end: {
      std::string message = n->text.in(lang);
      if (n->source) message += "\n" + source_line(*n->source);
      return say(message + "\n" + text("end_footer"));
    }
  }
}

void Turn::render_step(const Node& n) {
  std::string m = text("step_header", {{"n", std::to_string(step_number(st_.path.size()))}, {"title", n.text.in(lang)}});
  // Fields the page is silent on are named together in one line.
  std::string silent;
  auto field = [&](const char* label, const std::optional<Text>& value, bool say_when_silent) {
    if (value) {
      std::string name = text(label);
      m += "\n" + name + (name.ends_with("：") ? "" : " ") + value->in(lang);
    } else if (say_when_silent) {
      std::string name = text(label);
      for (std::string_view colon : {":", "："})
        if (name.ends_with(colon)) name.resize(name.size() - colon.size());
      silent += (silent.empty() ? "" : lang == Lang::zh ? "、" : ", ") + name;
    }
  };
  field("label_do", n.action, true);
  field("label_where", n.where, true);
  field("label_hours", n.hours, true);
  const auto items = visible_items(n);
  if (items.empty()) {
    field("label_bring", std::nullopt, true);
  } else {
    m += "\n" + text("label_bring");
    const auto& ticked = st_.ticked[n.id];
    for (std::size_t i = 0; i < items.size(); ++i) {
      bool done = std::find(ticked.begin(), ticked.end(), static_cast<int>(items[i])) != ticked.end();
      m += std::string("\n") + (done ? "☑ " : "☐ ") + std::to_string(i + 1) + ". " + n.bring[items[i]].text.in(lang);
    }
  }
  field("label_cost", n.cost, true);
  field("label_duration", n.duration, true);
  field("label_note", n.note, false);
  if (!silent.empty()) m += "\n" + text("not_stated", {{"items", silent}});
  if (n.source) m += "\n" + source_line(*n.source);
  m += "\n" + text("step_footer");
  if (st_.ticked[n.id].empty()) st_.ticked.erase(n.id);
  say(std::move(m));
}

void Turn::go_next() {
  const Node* n = current();
  if (n == nullptr) return start_walkthrough();
  if (n->kind != Node::Kind::step) return render_node();  // answer the question first; the end has no next
  const Node* target = follow(n->next);
  if (target == nullptr) return render_node();
  st_.path.push_back(n->id);
  st_.node = target->id;
  render_node();
}

void Turn::go_back() {
  if (current() == nullptr) return start_walkthrough();
  if (st_.path.empty()) {
    say(text("at_first_step"));
    return render_node();
  }
  st_.node = st_.path.back();
  st_.path.pop_back();
  render_node();
}

void Turn::choose_option(std::size_t index) {
  const Node* n = current();
  if (n == nullptr || n->kind != Node::Kind::question || index >= n->options.size()) return render_node();
  const auto& option = n->options[index];
  for (const auto& [var, value] : option.set) st_.answers[var] = value;
  const Node* target = follow(option.next);
  if (target == nullptr) return render_node();
  st_.path.push_back(n->id);
  st_.node = target->id;
  render_node();
}

bool Turn::answer_by_label(const std::string& norm) {
  const Node* n = current();
  if (n == nullptr || n->kind != Node::Kind::question) return false;
  for (std::size_t i = 0; i < n->options.size(); ++i) {
    const auto& label = n->options[i].label;
    if (norm == normalise(label.en) || norm == normalise(label.zh)) {
      choose_option(i);
      return true;
    }
  }
  return false;
}

void Turn::tick(int number) {
  const Node* n = current();
  if (n == nullptr) return say(text("not_started"));
  const auto items = n->kind == Node::Kind::step ? visible_items(*n) : std::vector<std::size_t>{};
  if (items.empty()) return say(text("no_checklist"));
  if (number == 0 || number > static_cast<int>(items.size()))
    return say(text("no_such_item", {{"n", std::to_string(items.size())}}));
  auto& ticked = st_.ticked[n->id];
  auto is_ticked = [&](std::size_t item) {
    return std::find(ticked.begin(), ticked.end(), static_cast<int>(item)) != ticked.end();
  };
  std::string message;
  if (number < 0) {  // "done" alone ticks the whole list
    for (auto item : items)
      if (!is_ticked(item)) ticked.push_back(static_cast<int>(item));
    message = text("ticked", {{"item", std::to_string(items.size()) + "/" + std::to_string(items.size())}});
  } else {
    const std::size_t item = items[static_cast<std::size_t>(number) - 1];
    const std::string label = std::to_string(number) + ". " + n->bring[item].text.in(lang);
    if (is_ticked(item)) {
      ticked.erase(std::find(ticked.begin(), ticked.end(), static_cast<int>(item)));
      message = text("unticked", {{"item", label}});
    } else {
      ticked.push_back(static_cast<int>(item));
      message = text("ticked", {{"item", label}});
    }
  }
  std::sort(ticked.begin(), ticked.end());
  std::size_t done = 0;
  for (auto item : items) done += is_ticked(item) ? 1 : 0;
  message += " (" + std::to_string(done) + "/" + std::to_string(items.size()) + ")";
  if (ticked.empty()) st_.ticked.erase(n->id);
  say(std::move(message));
}

void Turn::progress() {
  const Node* here = current();
  if (here == nullptr) return say(text("not_started"));
  std::vector<std::string> done_titles, left_titles;
  for (const auto& id : st_.path) {
    auto it = uni_->nodes.find(id);
    if (it != uni_->nodes.end() && it->second.kind == Node::Kind::step) done_titles.push_back(it->second.text.in(lang));
  }
  // Walk ahead on the answers given so far; stop at a question not yet
  // answered, since what follows depends on it.
  bool open_question = false;
  std::set<std::string> seen{here->id};
  const Node* n = here->kind == Node::Kind::step ? follow(here->next) : here;
  while (n != nullptr && n->kind != Node::Kind::end && seen.insert(n->id).second) {
    if (n->kind == Node::Kind::step) {
      left_titles.push_back(n->text.in(lang));
      n = follow(n->next);
      continue;
    }
    const Option* answered = nullptr;
    for (const auto& o : n->options)
      if (!o.set.empty() && holds(o.set)) answered = &o;
    if (answered == nullptr) {
      open_question = true;
      break;
    }
    n = follow(answered->next);
  }
  const bool at_step = here->kind == Node::Kind::step;
  const std::string done_count = std::to_string(done_titles.size());
  std::string message;
  if (here->kind == Node::Kind::end) {
    message = text("progress_end", {{"done", done_count}});
  } else if (!at_step) {
    message = text("progress_question", {{"done", done_count}, {"title", here->text.in(lang)}});
  } else {
    const auto total = done_titles.size() + 1 + left_titles.size();
    message = text("progress", {{"n", std::to_string(done_titles.size() + 1)},
                                {"total", std::to_string(total) + (open_question ? "+" : "")},
                                {"title", here->text.in(lang)}});
  }
  for (const auto& t : done_titles) message += "\n" + text("progress_item_done", {{"title", t}});
  if (at_step) {
    const auto items = visible_items(*here);
    const auto& ticked = st_.ticked[here->id];
    std::size_t ticked_count = 0;
    for (auto item : items)
      ticked_count += std::find(ticked.begin(), ticked.end(), static_cast<int>(item)) != ticked.end() ? 1 : 0;
    message += "\n→ " + here->text.in(lang);
    if (!items.empty()) message += " (" + std::to_string(ticked_count) + "/" + std::to_string(items.size()) + ")";
    if (ticked.empty()) st_.ticked.erase(here->id);
  }
  for (const auto& t : left_titles) message += "\n" + text("progress_item_left", {{"title", t}});
  say(std::move(message));
}

}  // namespace permit::dialogs
