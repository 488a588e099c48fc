#include "dialogs/engine.hpp"

#include "dialogs/text.hpp"
#include "dialogs/turn.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <limits>

namespace permit::dialogs {
namespace {

Date to_date(std::chrono::system_clock::time_point now) {
  return Date{std::chrono::floor<std::chrono::days>(now)};
}


}  // namespace

std::string fill(std::string_view pattern, const Fill& values) {
  std::string out;
  out.reserve(pattern.size() + 32);
  std::size_t i = 0;
  while (i < pattern.size()) {
    if (pattern[i] == '{') {
      auto close = pattern.find('}', i);
      if (close != std::string_view::npos) {
        auto name = pattern.substr(i + 1, close - i - 1);
        auto it = std::find_if(values.begin(), values.end(), [&](const auto& v) { return v.first == name; });
        if (it != values.end()) {
          out += it->second;
          i = close + 1;
          continue;
        }
      }
    }
    out.push_back(pattern[i++]);
  }
  return out;
}

// ---- Engine -------------------------------------------------------------

Engine::Engine(ScriptSet scripts, std::int64_t release)
    : scripts_(std::move(scripts)), release_(release), analyzer_(scripts_.common.synonyms) {
  for (const auto& u : scripts_.universities) {
    Index index;
    index.ranker = std::make_unique<Ranker>(analyzer_);
    auto add = [&](const Faq& f) {
      std::string doc = f.topic.en + "\n" + f.topic.zh + "\n" + f.answer.en + "\n" + f.answer.zh;
      for (const auto& q : f.questions) doc += "\n" + q;
      index.ranker->add(doc);
      index.entries.push_back(&f);
    };
    for (const auto& f : u.faq) add(f);
    for (const auto& f : scripts_.common.faq) add(f);
    index.ranker->finish();
    indexes_.emplace(u.id, std::move(index));
  }
}

const University* Engine::university(const std::string& id) const {
  for (const auto& u : scripts_.universities)
    if (u.id == id) return &u;
  return nullptr;
}

std::vector<Engine::Match> Engine::rank(const std::string& university, std::string_view question,
                                        std::size_t limit) const {
  std::vector<Match> out;
  auto it = indexes_.find(university);
  if (it == indexes_.end()) return out;
  for (const auto& hit : it->second.ranker->search(question, limit))
    out.push_back({it->second.entries[hit.document], hit.confidence});
  return out;
}

Outcome Engine::respond(std::string_view state, const Inbound& message,
                        std::chrono::system_clock::time_point now) const {
  return respond(StudentState::parse(state), message, now);
}

Outcome Engine::respond(StudentState st, const Inbound& message, std::chrono::system_clock::time_point now) const {
  Outcome out;
  Turn turn(*this, st, out, to_date(now));
  switch (message.kind) {
    case Inbound::Kind::text:
      if (st.messages < std::numeric_limits<std::int64_t>::max()) ++st.messages;
      turn.handle_text(message.text);
      break;
    case Inbound::Kind::subscribe:
      st.subscribed = true;
      turn.welcome();
      break;
    case Inbound::Kind::unsubscribe:
      st.subscribed = false;
      break;
    case Inbound::Kind::unsupported:
      turn.unsupported();
      break;
    case Inbound::Kind::ignored:
      break;
  }
  st.last = turn.language();
  st.release = turn.in_walkthrough() ? release_ : 0;
  if (auto r = turn.reply(); !r.empty()) out.replies.push_back(std::move(r));
  out.state = st.serialise();
  return out;
}

// ---- Turn: the conversation -----------------------------------------------

std::string Turn::reply() const {
  std::string joined;
  for (const auto& p : parts_) {
    if (!joined.empty()) joined += "\n\n";
    joined += p;
  }
  return joined;
}

std::string Turn::text(const std::string& key, const Fill& values) const {
  Fill all = values;
  if (uni_ != nullptr) {
    all.emplace_back("university", uni_->short_name.in(lang));
    all.emplace_back("office", uni_->office.in(lang));
    all.emplace_back("document", uni_->document.in(lang));
  }
  return fill(common_.text(key).in(lang), all);
}

bool Turn::command(const std::string& norm, const char* name) const {
  const auto& phrases = common_.commands.at(name);
  return std::find(phrases.begin(), phrases.end(), norm) != phrases.end();
}

bool Turn::starts_with_command(const std::string& norm, const char* name, std::string& rest) const {
  for (const auto& p : common_.commands.at(name)) {
    if (norm.size() > p.size() && norm.compare(0, p.size(), p) == 0) {
      rest = normalise(norm.substr(p.size()));
      return true;
    }
  }
  return false;
}

std::string Turn::university_list() {
  std::string list;
  st_.choices.clear();
  for (std::size_t i = 0; i < engine_.scripts().universities.size(); ++i) {
    const auto& u = engine_.scripts().universities[i];
    list += (i ? "\n" : "") + std::to_string(i + 1) + ". " + u.name.in(lang);
    if (u.short_name.in(lang) != u.name.in(lang)) list += " (" + u.short_name.in(lang) + ")";
    st_.choices.push_back("u:" + u.id);
  }
  return list;
}

void Turn::welcome() {
  if (uni_ != nullptr) return menu();
  say(text("welcome", {{"list", university_list()}}));
}

void Turn::unsupported() { say(text("unsupported")); }

std::string Turn::source_ref(const Source& s) const {
  return uni_->document.in(lang) + (lang == Lang::zh ? "，" : ", ") + s.ref.in(lang);
}

std::string Turn::source_line(const Source& s) const { return text("source", {{"source", source_ref(s)}}); }

void Turn::menu() { say(text("menu")); }

const University* Turn::find_university_in(const std::string& norm, std::string* rest) const {
  const University* best = nullptr;
  std::size_t best_length = 0;
  for (const auto& u : engine_.scripts().universities) {
    for (const auto& alias : u.aliases) {
      if (alias.size() <= best_length || !contains_phrase(norm, alias)) continue;
      // A city inside a longer message is a place, not a choice: "can I
      // travel to Wuhan?" must not move a JSNU student to HUST.
      const bool is_city = u.city && (alias == normalise(u.city->en) || alias == normalise(u.city->zh));
      if (is_city && uni_ != nullptr && norm != alias) continue;
      best = &u;
      best_length = alias.size();
    }
  }
  if (best != nullptr && rest != nullptr) {
    std::string remaining = norm;
    for (const auto& alias : best->aliases)
      if (auto at = remaining.find(alias); at != std::string::npos && contains_phrase(remaining, alias))
        remaining.erase(at, alias.size());
    *rest = normalise(remaining);
  }
  return best;
}

std::string Turn::strip_filler(const std::string& text) const {
  std::string out = text;
  auto it = common_.commands.find("filler");
  if (it == common_.commands.end()) return normalise(out);
  auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
  for (const auto& filler : it->second) {
    // Whole words for Latin fillers: "i am at" must not eat "i am attending".
    std::size_t from = 0;
    for (auto at = out.find(filler, from); at != std::string::npos; at = out.find(filler, from)) {
      const std::size_t after = at + filler.size();
      const bool left_ok = !word(filler.front()) || at == 0 || !word(out[at - 1]);
      const bool right_ok = !word(filler.back()) || after == out.size() || !word(out[after]);
      if (left_ok && right_ok) {
        out.erase(at, filler.size());
        from = at;
      } else {
        from = at + 1;
      }
    }
  }
  return normalise(out);
}

void Turn::pick_university(const University& u, const std::string& rest) {
  if (st_.university != u.id) {
    st_.node.clear();
    st_.path.clear();
    st_.answers.clear();
    st_.ticked.clear();
  }
  st_.university = u.id;
  uni_ = &u;
  say(text("university_set"));
  if (!st_.expiry.empty()) give_deadline();
  // A question sent before the pick is answered now, or recorded if there
  // is no answer. Words around the name ("I study at HUST") are answered
  // only when they make a confident question.
  if (!st_.deferred_question.empty()) {
    std::string deferred = std::move(st_.deferred_question);
    st_.deferred_question.clear();
    return handle_text(deferred);
  }
  const std::string question = strip_filler(rest);
  if (question.empty()) return;
  auto matches = engine_.rank(u.id, question, 1);
  if (!matches.empty() && matches.front().confidence >= Engine::kConfidence) answer_faq(*matches.front().faq);
}

void Turn::handle_text(const std::string& raw) {
  const std::string norm = normalise(raw);
  if (!st_.pinned) {
    if (has_cjk(raw)) lang = Lang::zh;
    else if (std::any_of(norm.begin(), norm.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)); }))
      lang = Lang::en;
  }
  std::vector<std::string> choices = std::move(st_.choices);
  st_.choices.clear();

  if (st_.confirming_delete) {
    st_.confirming_delete = false;
    if (command(norm, "yes")) {
      const std::string university = st_.university;
      const auto messages = st_.messages;
      st_ = StudentState{};
      st_.messages = messages;  // keeps the state moving forward, nothing personal
      uni_ = nullptr;
      out_.effects.push_back({Effect::Kind::forget_student, university, lang_code(lang), "", "", "", {}});
      return say(text("delete_done"));
    }
    say(text("delete_cancelled"));
    if (common_.commands.contains("no") && command(norm, "no")) return;
  }
  if (norm.empty()) {
    // "?" alone asks for help; punctuation is otherwise dropped.
    if (raw.find('?') != std::string::npos || raw.find("？") != std::string::npos) return say(text("help"));
    return say(text("ask_question"));
  }
  if (command(norm, "english") || command(norm, "chinese")) {
    lang = command(norm, "english") ? Lang::en : Lang::zh;
    st_.pinned = lang;
    return say(text("language_set"));
  }
  if (command(norm, "delete")) {
    st_.confirming_delete = true;
    return say(text("delete_confirm"));
  }
  if (command(norm, "help")) return say(text("help"));
  if (command(norm, "stop_reminders")) {
    out_.effects.push_back({Effect::Kind::stop_reminders, st_.university, lang_code(lang), "", "", "", {}});
    return say(text("reminders_stopped"));
  }
  if (command(norm, "change_university")) return say(text("choose_university", {{"list", university_list()}}));

  if (int n = parse_small_number(norm); n > 0 && !choices.empty()) {
    const Node* here = current();
    const bool at_question = here != nullptr && here->kind == Node::Kind::question;
    if (static_cast<std::size_t>(n) <= choices.size() || !at_question) {
      st_.choices = std::move(choices);
      return choose(n);
    }
  }
  std::string rest;
  const University* named = find_university_in(norm, &rest);
  // Once a student has a university, naming another one inside a longer
  // message ("my friend at HUST said...") is not a switch: only the name
  // on its own, or the "change university" command, is.
  if (named != nullptr && uni_ != nullptr && named != uni_ && !strip_filler(rest).empty()) named = nullptr;
  if (named != nullptr) {
    // A name alone, or a name with a question; a date with it is handled below.
    if (find_date(raw).status == DateFound::Status::none) return pick_university(*named, rest);
    pick_university(*named, "");
  }
  if (handle_date(raw)) return;
  if (uni_ == nullptr) {
    if (parse_small_number(norm) <= 0 && engine_.meaningful(raw)) st_.deferred_question = mask_numbers(raw);
    return say(text("choose_university", {{"list", university_list()}}));
  }
  if (command(norm, "menu")) return menu();
  if (command(norm, "start")) return start_walkthrough();
  if (command(norm, "restart")) {
    st_.node.clear();
    st_.path.clear();
    st_.answers.clear();
    st_.ticked.clear();
    say(text("restarted"));
    return start_walkthrough();
  }
  if (command(norm, "next")) return go_next();
  if (command(norm, "back")) return go_back();
  if (command(norm, "progress")) return progress();
  if (command(norm, "staff")) return say(text("staff"));
  if (command(norm, "done")) return tick(-1);
  if (std::string number; starts_with_command(norm, "done", number)) {
    if (int n = parse_small_number(number); n >= 0) return tick(n);
  }
  if (int number = parse_small_number(norm); number >= 0) {
    // At a question of the walkthrough a number picks its option, even
    // after "progress" or "help" in between.
    if (const Node* n = current(); n != nullptr && n->kind == Node::Kind::question) {
      if (number >= 1 && static_cast<std::size_t>(number) <= n->options.size())
        return choose_option(static_cast<std::size_t>(number) - 1);
      return say(text("choice_invalid", {{"n", std::to_string(n->options.size())}}));
    }
    return say(text("ask_question"));
  }
  if (answer_by_label(norm)) return;
  answer_question(raw);
}

void Turn::choose(int number) {
  if (number < 1 || static_cast<std::size_t>(number) > st_.choices.size()) {
    auto n = st_.choices.size();
    return say(text("choice_invalid", {{"n", std::to_string(n)}}));
  }
  const std::string choice = st_.choices[static_cast<std::size_t>(number) - 1];
  st_.choices.clear();
  // The choices come from the stored state: anything that no longer names
  // something real (a renamed entry, a tampered state) gets a prompt.
  if (choice.starts_with("u:")) {
    if (const University* u = engine_.university(choice.substr(2))) return pick_university(*u, "");
  } else if (choice.starts_with("opt:")) {
    std::size_t index = 0;
    const std::string digits = choice.substr(4);
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), index);
    if (ec == std::errc{} && end == digits.data() + digits.size()) return choose_option(index);
  } else if (choice.starts_with("faq:")) {
    const std::string id = choice.substr(4);
    auto find = [&](const std::vector<Faq>& list) -> const Faq* {
      for (const auto& f : list)
        if (f.id == id) return &f;
      return nullptr;
    };
    const Faq* f = uni_ != nullptr ? find(uni_->faq) : nullptr;
    if (f == nullptr) f = find(common_.faq);
    if (f != nullptr) return answer_faq(*f);
  } else if (choice == "staff") {
    return say(text("staff"));
  }
  say(text("ask_question"));
}

void Turn::answer_faq(const Faq& faq) {
  std::string answer = faq.answer.in(lang);
  if (faq.source) answer += "\n" + source_line(*faq.source);
  say(std::move(answer));
}

void Turn::answer_question(const std::string& raw) {
  auto matches = engine_.rank(st_.university, raw, 3);
  // Greetings and filler are not questions: nothing to rank or record.
  if (matches.empty() && !engine_.meaningful(raw)) return say(text("ask_question"));
  if (!matches.empty() && matches.front().confidence >= Engine::kConfidence) return answer_faq(*matches.front().faq);
  out_.effects.push_back(
      {Effect::Kind::record_unanswered, st_.university, lang_code(lang), mask_numbers(raw), "", "", {}});
  if (matches.empty()) {
    st_.choices = {"staff"};
    return say(text("not_found_no_topics"));
  }
  std::string choices;
  for (std::size_t i = 0; i < matches.size(); ++i) {
    choices += std::to_string(i + 1) + ". " + matches[i].faq->topic.in(lang) + "\n";
    st_.choices.push_back("faq:" + matches[i].faq->id);
  }
  st_.choices.push_back("staff");
  say(text("not_found", {{"choices", choices}, {"n", std::to_string(st_.choices.size())}}));
}

}  // namespace permit::dialogs
