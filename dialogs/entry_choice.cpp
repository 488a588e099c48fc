// Which FAQ entry answers: the ranker's closest entries decided on, narrowed
// to a place named, and the entry chosen by what it gives (the attribute
// asked) among the close ones, the ones just offered, or with the answer
// just given.

#include "dialogs/closeness.hpp"
#include "dialogs/turn.hpp"

#include <algorithm>

namespace permit::dialogs {

namespace {

// `r`, read as asking `attribute` (what was asked last, asked again).
Reading asking(Reading r, std::size_t attribute) {
  r.attributes = {attribute};
  r.asks = true;
  return r;
}

}  // namespace

// What a question is understood as: the thing and attribute it asks, or
// the entry that answers it (answers.cpp: interpret), then narrowed by
// what the entries give, the answer just given, the case the student told
// and the dates they gave.
Understood Turn::understand(const Reading& r, const Thing* context, bool lost) const {
  // "And at the Immigration Office?" right after "can I pay with Alipay
  // there?" at the hospital: that question, about the place now named.
  // So is "and at the hospital?" after "can i pay the immigration fee with
  // wechat" at NENU, whose Immigration Office is the permit's own place.
  // (Only after a question about a place the conversation still holds:
  // "can i still get my rp extended" after a statement on unpaid fees
  // names the permit, not the fee asked of it.)
  // (After the permit's own office, only in the words of a follow-up: "and
  // at the hospital?", "那医院呢"; "do i need a physical exam?" right after
  // where the Immigration Office is asks whether, not where.)
  auto follows_up = [&] {
    const Thing* was = context_thing();
    return was == nullptr || !was->main || r.analysis.text.starts_with("and ") || asks_it_again(r.analysis.text);
  };
  if (r.attributes.empty() && r.leftover == 0 && !r.asks_next && r.step == 0 && r.things.size() == 1 &&
      !st_.context.asked.empty() && !st_.context.thing.empty() && r.things.front()->id != st_.context.thing &&
      follows_up()) {
    return understand(asking(r, attribute_index(st_.context.asked)), context, lost);
  }
  // "怎么办啊" alone right after a loss the bot answered ("我在光谷丢了护照"):
  // what to do after that loss, asked again, not whatever entry the two
  // words rank first.
  // (Not "what does he have to do there": someone else's, somewhere else;
  // nor after a statement not placed, which the question is read with.)
  // (The attribute asked of a place, or of the permit: "我的护照被偷了".)
  const std::string& last_asked = !st_.context.asked.empty() ? st_.context.asked : st_.context.attribute;
  if (r.attributes.empty() && r.things.empty() && r.leftover == 0 && !r.asks_next && r.step == 0 &&
      !r.refers_back && statement_.empty() && !last_asked.empty() && engine_.says(Words::what_to_do, r.analysis))
    // (After an entry that gives it, that entry stays: "我的护照好像昨天在
    // 公交上丢了" answered with the lost passport's steps, then "咋办".)
    if (const std::size_t asked = attribute_index(last_asked);
        common_.attributes[asked].by_entries && !last_answer_gives(asked)) {
      return understand(asking(r, asked), context, lost);
    }
  Understood u = giving(interpret(r, context, lost), r);
  u = about_last_answer(std::move(u), r);
  // Asked of another university's page ("东北师范大学也有这个规定吗"): the
  // bot's own entries (what it does, what it keeps) are no answer from it;
  // nor to a message that asks nothing ("我的护照被洗衣机洗了" is no
  // question about the passport numbers the bot never keeps), unless it
  // tells a number ("my passport number is E1234...": the notice is for it).
  auto tells_number = [&] {
    return std::any_of(r.analysis.text.begin(), r.analysis.text.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (u.kind == Understood::Kind::faq && !u.faq->source &&
      (uni_->id != st_.university || (!r.asks && !tells_number()))) {
    u.kind = Understood::Kind::none;
    u.faq = nullptr;
    u.options.clear();
  }
  // (The student's case first: their own dates, counted by a rule, say more.)
  u = by_told_case(std::move(u), r);
  u = by_own_dates(std::move(u), r);
  u = by_overstay_told(std::move(u), r);
  // "学期注册需要上传体检证明吗" at CPU, whose page never mentions an
  // examination: that is said first, before whatever the page says about
  // the rest of the question; and instead of "I could not find that".
  u.unmentioned = engine_.unmentioned(uni_->id, r.analysis);
  // (Or told just before, in a statement not placed: "我是从别的学校转过来的",
  // then "要在几天内去变更居留许可".)
  if (u.unmentioned.empty() && !statement_.empty())
    u.unmentioned = engine_.unmentioned_case(uni_->id, engine_.analyse(statement_));
  u.amount = r.amount;
  return u;
}


bool Turn::only_amount_asked(const Analysis& a) const {
  const auto amounts = engine_.words(Words::amount).find(a);
  const std::size_t fee = attribute_index("fee");
  const auto asked = engine_.attribute_words().find(a);
  return !amounts.empty() && std::all_of(asked.begin(), asked.end(), [&](const PhraseIndex::Hit& h) {
    return h.id != fee || std::any_of(amounts.begin(), amounts.end(),
                                      [&](const PhraseIndex::Hit& m) { return m.begin <= h.begin && h.end <= m.end; });
  });
}

Understood Turn::rank(const Reading& r) const { return decide(engine_.rank(uni_->id, r.analysis, 8)); }

// "Do I need to book at the hospital?": with a place or office named, the
// entries about other places and offices are not the answer. The permit
// itself (the main thing) narrows nothing: every entry is about it.
Understood Turn::rank_about(const Reading& r, const Thing* pointed) const {
  // A place pointed at ("its hours" after the Immigration Office) narrows
  // even when it is the permit's own office.
  std::vector<const Thing*> things;
  for (const Thing* t : r.things)
    if (!t->main) things.push_back(t);
  if (pointed != nullptr && std::find(things.begin(), things.end(), pointed) == things.end()) things.push_back(pointed);
  const bool narrows = !things.empty();
  // Entries about the named places and offices, or about none.
  auto named = [&](const std::string& about) {
    return std::any_of(things.begin(), things.end(), [&](const Thing* t) { return t->id == about; });
  };
  if (!narrows || r.leftover == 0) return rank(r);  // nothing but the name: an entry about the thing in general
  auto matches = engine_.rank(uni_->id, r.analysis, kEveryEntry);
  // Out go the entries about other places and offices.
  std::erase_if(matches, [&](const Engine::Match& m) {
    const Thing* about = uni_->thing(m.faq->about);
    return about != nullptr && !named(about->id) && !(about->main && pointed == nullptr);
  });
  // (Narrowed to the place named, entries level there are its own: no
  // coin toss between places.)
  Understood u = decide(std::move(matches), false);
  // Nothing close among them: the name may have been incidental.
  return u.kind == Understood::Kind::faq || !u.options.empty() ? u : rank(r);
}

Understood Turn::answered_by(const Faq& faq) const {
  Understood u;
  u.kind = Understood::Kind::faq;
  u.faq = &faq;
  u.thing = uni_->thing(faq.about);
  return u;
}

Understood Turn::decide(std::vector<Engine::Match> matches, bool level_is_unsure) const {
  Understood u;
  if (matches.size() > 3) matches.resize(3);
  if (matches.empty()) return u;
  const auto& top = matches.front();
  const double next = matches.size() > 1 ? matches[1].score : 0.0;
  // A word no entry holds ("can my dog come to the police station?") may be
  // what the question is about: the entry must lead by more.
  const bool clear_lead = top.score >= (top.unknown_words > 0 ? Engine::kLead : Engine::kMargin) * next;
  // Far ahead of the rest, on a question with no word the entries lack.
  const bool far_ahead =
      top.score >= Engine::kLead * next && top.confidence >= Engine::kLeadConfidence && top.unknown_words == 0;
  // (Sure, but not level with the next: "do i need to tell the ISO or
  // something" holds two words that three entries hold in full. Of those
  // level, the one just answered or about the place just talked about is
  // the answer: "打车过去大概多少钱" after the hospital.)
  const bool level = level_is_unsure && top.confidence >= Engine::kSure && top.score < Engine::kSureLead * next;
  if (level && !far_ahead && !(top.confidence >= Engine::kAnswer && clear_lead)) {
    for (const auto& m : matches) {
      if (m.score < kContextFactClose * top.score) break;
      if ((!st_.context.faq.empty() && m.faq->id == st_.context.faq) ||
          (!st_.context.thing.empty() && m.faq->about == st_.context.thing))
        return answered_by(*m.faq);
    }
  }
  if ((top.confidence >= Engine::kAnswer && clear_lead) || (top.confidence >= Engine::kSure && !level) || far_ahead) {
    return answered_by(*top.faq);
  }
  u.kind = top.confidence >= Engine::kOffer ? Understood::Kind::clarify : Understood::Kind::none;
  u.options = std::move(matches);
  return u;
}

// "My permit expires soon, how much is the fee?": the closest entry (when
// to apply) does not give what is asked; an entry that does, close behind
// it, is the answer.
Understood Turn::giving(Understood u, const Reading& r) const {
  // The entries that give the attribute, offered (nullopt when none do).
  auto entries_giving = [&](std::size_t attribute) -> std::optional<Understood> {
    constexpr std::size_t kOffered = 3;
    Understood offer;
    offer.kind = Understood::Kind::clarify;
    for (const auto& m : engine_.rank(uni_->id, r.analysis, kEveryEntry))
      if (engine_.gives(*m.faq, attribute) && offer.options.size() < kOffered) offer.options.push_back(m);
    if (offer.options.empty()) return std::nullopt;
    return offer;
  };
  // "Lost" alone, asked again at a university whose page has entries on a
  // loss (the permit has no such fact of its own): those are offered,
  // rather than "the page does not give the steps after a loss".
  if (u.kind == Understood::Kind::fact && u.thing != nullptr && u.thing->main &&
      common_.attributes[u.attribute].by_entries && !u.thing->facts.contains(common_.attributes[u.attribute].id))
    return entries_giving(u.attribute).value_or(u);
  // "我护照昨天在公交上丢了": the closest entry, unsure, that gives what is
  // asked (a loss) and whose topic the question names (the lost passport,
  // not the lost permit).
  // (Only one such among the close ones: "我的居留许可丢了 护照还在" names both.)
  // (Named by a word beside the loss's own: "stolen" is in the topic of
  // a stolen permit, and names no passport or permit.)
  std::optional<Analysis> beside;
  auto names = [&](const Faq& f) {
    if (!beside)
      beside = engine_.analyse(blanked(r.analysis.text, without_overlaps(engine_.attribute_words().find(r.analysis))));
    return names_topic(*beside, f);
  };
  // The one of `options` close behind the first that gives `attribute` and
  // whose topic the question names, if only one does.
  auto the_named = [&](const std::vector<Engine::Match>& options, std::size_t attribute) -> const Faq* {
    const Engine::Match* named = only_one(options, [&](const Engine::Match& m) {
      return m.score >= kContextEntryClose * options.front().score && engine_.gives(*m.faq, attribute) && names(*m.faq);
    });
    return named != nullptr ? named->faq : nullptr;
  };
  // (Or close behind the closest: "我的居留许可丢了" ranks the lost
  // passport, whose sample questions name the permit, first.)
  if ((u.kind == Understood::Kind::clarify || u.kind == Understood::Kind::none) && u.asked &&
      common_.attributes[*u.asked].by_entries && !u.options.empty())
    if (const Faq* named = the_named(u.options, *u.asked)) {
      u = answered_by(*named, u.asked);
      return u;
    }
  // "如果勤工助学超出规定的岗位范围会怎么样": unsure between the illegal-work
  // fine and the work-study rule, the first is the one close entry that
  // gives what is asked (a penalty), and answerable by itself.
  // (Not a place's attribute or a thing's property: "那天开门吗" after the
  // Immigration Office's address is not the hospital's hours, the one
  // entry giving hours; nor "which": "哪个更快" names no entry.)
  if (u.kind == Understood::Kind::clarify && u.asked && !common_.attributes[*u.asked].of_a_place &&
      !common_.attributes[*u.asked].property && common_.attributes[*u.asked].id != "name" &&
      !u.options.empty() && u.options.front().confidence >= Engine::kAnswer)
    if (const Engine::Match* giver = only_one(u.options, [&](const Engine::Match& m) {
          return m.score >= kContextEntryClose * u.options.front().score && engine_.gives(*m.faq, *u.asked);
        });
        giver == &u.options.front()) {
      u = answered_by(*giver->faq, u.asked);
      return u;
    }
  // ...and when the ranker is sure of an entry on a loss whose topic the
  // question does not name: "我把居留许可弄丢了", "someone stole my
  // residence permit" are the lost permit's, not the lost passport's.
  if (u.kind == Understood::Kind::faq && (!u.asked || *u.asked == attribute_index("loss"))) {
    const std::size_t loss = attribute_index("loss");
    // (Nor an entry that names the thing but whose topic is not the loss,
    // which it mentions in passing: "我丢的是护照" is the lost passport's,
    // among the closest three, not updating the mini program after a new
    // passport.)
    auto topic_of_loss = [&](const Faq& f) {
      const auto hits = engine_.attribute_words().find(engine_.analyse(f.topic.in(lang)));
      return std::any_of(hits.begin(), hits.end(), [&](const PhraseIndex::Hit& h) { return h.id == loss; });
    };
    if (u.asked && engine_.gives(*u.faq, loss) && names(*u.faq) && !topic_of_loss(*u.faq)) {
      const auto matches = engine_.rank(uni_->id, r.analysis, 3);
      if (const Engine::Match* about_loss = only_one(matches, [&](const Engine::Match& m) {
            return m.faq != u.faq && engine_.gives(*m.faq, loss) && names(*m.faq) && topic_of_loss(*m.faq);
          })) {
        u = answered_by(*about_loss->faq, u.asked);
        return u;
      }
    }
    if (engine_.gives(*u.faq, loss) && !names(*u.faq)) {
      const auto matches = engine_.rank(uni_->id, r.analysis, 3);
      if (!matches.empty() && matches.front().faq == u.faq)
        if (const Faq* named = the_named(matches, loss); named != nullptr && named != u.faq) {
          u = answered_by(*named, u.asked);
          return u;
        }
    }
  }
  if (u.kind != Understood::Kind::faq || !u.asked || engine_.gives(*u.faq, *u.asked)) return u;
  // "护照不见了" answered by an entry that gives no steps after a loss, at a
  // university whose page has such entries: those are offered, rather than
  // "the page does not say" and the entry.
  if (common_.attributes[*u.asked].by_entries) return entries_giving(*u.asked).value_or(u);
  // (Only about the permit itself: "how much is a passport photo?" is not
  // answered with the permit's fee.)
  if (r.things.empty() || std::any_of(r.things.begin(), r.things.end(), [](const Thing* t) { return !t->main; }))
    return u;
  const auto matches = engine_.rank(uni_->id, r.analysis, kEveryEntry);
  const auto it = std::find_if(matches.begin(), matches.end(),
                               [&](const Engine::Match& m) { return engine_.gives(*m.faq, *u.asked); });
  if (it != matches.end() && it->confidence >= Engine::kAnswer &&
      it->score * Engine::kGivesLead >= matches.front().score) {
    u.faq = it->faq;
    u.thing = uni_->thing(it->faq->about);
  }
  return u;
}

const Faq* Turn::offered_giving(std::size_t attribute) const {
  const Faq* giving = nullptr;
  for (const auto& choice : offered_) {
    if (!choice.starts_with("faq:")) continue;
    const Faq* f = engine_.faq(uni_->id, choice.substr(4));
    if (f == nullptr || !engine_.gives(*f, attribute)) continue;
    if (giving != nullptr) return nullptr;  // two of them: not for this rule to choose
    giving = f;
  }
  return giving;
}

const Faq* Turn::close_entry_giving(const Reading& r, const Faq& last, std::size_t attribute) const {
  const auto joined = engine_.rank(uni_->id, read_after(r, last).analysis, kEveryEntry);
  const Engine::Match* giving = close_behind(
      joined, [&](const Engine::Match& m) { return engine_.gives(*m.faq, attribute); }, kContextEntryClose);
  return giving != nullptr && giving->faq != &last ? giving->faq : nullptr;
}

bool Turn::is_fact_of_another(const Faq& faq, const Thing& thing, std::size_t attribute) const {
  const Thing* about = uni_->thing(faq.about);
  if (about == nullptr || about == &thing) return false;
  const auto f = about->facts.find(common_.attributes[attribute].id);
  return f != about->facts.end() && f->second.faq == faq.id;
}

bool Turn::is_permit_fact(const Faq& faq, std::size_t attribute) const {
  const Thing* main = uni_->main_thing();
  if (main == nullptr) return true;
  const auto f = main->facts.find(common_.attributes[attribute].id);
  // (What only entries give, the steps after a loss, is of the permit
  // whichever entry gave it: "然后呢" asks it again.)
  if (f == main->facts.end()) return common_.attributes[attribute].by_entries;
  return f->second.faq.empty() || f->second.faq == faq.id;
}

bool Turn::answered_by_another_place(const Faq& faq, const Thing& thing, std::size_t attribute, const Reading& r) const {
  const Thing* other = uni_->thing(faq.about);
  const bool named = std::find(r.things.begin(), r.things.end(), other) != r.things.end();
  // "Where is the international college office?": the entry that is
  // another place's own answer to it (the exit-entry branch's address) is
  // that place's, never this one's; unless the student names that place
  // too ("拿到公函以后去哪里办居留许可").
  if (!thing.main) return is_fact_of_another(faq, thing, attribute) && !named;
  // Nor is an entry about another place the permit's own time asked by
  // name: "几天能拿到居留许可" is not the letter's 3 working days.
  return thing.facts.contains("duration") && common_.attributes[attribute].id == "duration" && other != nullptr &&
         !other->main && !named;
}

// The entry the question's own words choose once the attribute's words
// are taken out, when it is not the one ranked (which gives the
// attribute) and gives no such attribute itself: the question asks that
// attribute of another topic. nullptr otherwise.
const Faq* Turn::topic_without_attribute(const Reading& r, const Understood& ranked, std::size_t asked) const {
  // The entry the attribute's words chose: answered, or first of those offered.
  const Faq* chosen = ranked.kind == Understood::Kind::faq ? ranked.faq
                      : !ranked.options.empty()            ? ranked.options.front().faq
                                                           : nullptr;
  // (Only a property: "I lost my passport on the train" without "lost" is
  // about the passport held, and "what happens if i work without
  // permission" asks the fine of working so, which the fine's entry gives.)
  if (chosen == nullptr || !common_.attributes[asked].property || !r.things.empty()) return nullptr;
  const std::string rest = blanked(r.analysis.text, without_overlaps(engine_.attribute_words().find(r.analysis)));
  const auto own = engine_.rank(uni_->id, engine_.analyse(rest), 2);
  if (own.empty() || engine_.gives(*own.front().faq, asked)) return nullptr;
  // (Or the entry ranked first, unsure, that gives no such attribute, and
  // that the words beside it choose surely: "学校公函几天能拿到" at CQUPT,
  // the letter level with the permit's 15 workdays.)
  // (Not a place's attribute: "where do i collect my passport" is asked
  // of the place the words name.)
  if (engine_.gives(*chosen, asked) ? own.front().faq == chosen
                                    : own.front().faq != chosen || common_.attributes[asked].of_a_place)
    return nullptr;
  return own.front().confidence >= Engine::kSure && well_ahead(own) ? own.front().faq : nullptr;
}

// Whether the question holds a word of the entry's topic ("passport" of
// "If your passport changed") or of one of its cases ("X2" of JSNU's X1/X2
// stay), not counting synonym groups and word pairs.
bool Turn::names_topic(const Analysis& question, const Faq& entry) const {
  auto holds = [&](const std::string& words) {
    const auto terms = engine_.analyse(words).terms;
    return std::any_of(question.terms.begin(), question.terms.end(), [&](const std::string& t) {
      return t[0] != '^' && t[0] != '~' && std::find(terms.begin(), terms.end(), t) != terms.end();
    });
  };
  if (holds(entry.topic.in(lang))) return true;
  if (entry.by_case)
    for (const auto& row : entry.by_case->rows)
      for (const auto& w : row.words)
        if (holds(w)) return true;
  return false;
}

// "What happens with my residence permit?" right after dropping out, "会被
// 罚多少钱" right after the overstay rule: a question of nothing but what
// it asks and the permit itself, with the answer just given (which gives
// that) as close as the entry chosen, is about that answer, not about
// another entry the same few words fit (the unpaid fees', the illegal-work
// fine).
Understood Turn::about_last_answer(Understood u, const Reading& r) const {
  // "还没在小程序上报" told right after the rule on moving off campus, its
  // entries unsure between that rule and others: what the student tells is
  // their case under the answer just given.
  if (u.kind == Understood::Kind::clarify && !r.asks && r.attributes.empty() && !st_.context.faq.empty() &&
      !u.options.empty())
    if (const Engine::Match* last = close_behind(
            u.options, [&](const Engine::Match& m) { return m.faq->id == st_.context.faq; }, kContextFactClose))
      return answered_by(*last->faq);
  // "学期注册的时候要怎么办" right after the remittance told and answered:
  // what to do, unsure alone, read with that answer's topic, is that
  // answer. (Naming the process it is about: a bare "现在该怎么办" is read
  // by the rules on losses and steps; nor the next step.)
  if ((u.kind == Understood::Kind::clarify || u.kind == Understood::Kind::none) && r.asks && !r.asks_next &&
      !r.things.empty() && r.attributes.empty() &&
      r.only_the_permit() &&
      !st_.context.faq.empty() && engine_.says(Words::what_to_do, r.analysis))
    if (const Faq* last = engine_.faq(uni_->id, st_.context.faq); last != nullptr && last->source)
      if (const Understood joined = rank(read_after(r, *last)); joined.kind == Understood::Kind::faq && joined.faq == last)
        return answered_by(*last);
  if (u.kind != Understood::Kind::faq || !r.asks || r.leftover > kLeftoverForPointer || st_.context.faq.empty()) return u;
  if (!r.only_the_permit()) return u;
  const Faq* last = engine_.faq(uni_->id, st_.context.faq);
  if (last == nullptr || last == u.faq || (u.asked && !engine_.gives(*last, *u.asked))) return u;
  // (Nor where the place of that answer has another entry for what is
  // asked: "how much does the exam cost there?" after the hospital's
  // address, whose taxi fare is a sum, is the examination's fee.)
  if (const Thing* place = u.asked ? uni_->thing(last->about) : nullptr)
    if (auto f = place->facts.find(common_.attributes[*u.asked].id);
        f != place->facts.end() && !f->second.faq.empty() && f->second.faq != last->id)
      return u;
  const auto matches = engine_.rank(uni_->id, r.analysis, 3);
  // ("what do i need to do b4 i start" right after the work-study rule:
  // what to do, read with that answer's topic, chooses it; "before" alone
  // chose when to apply for the extension.)
  auto what_to_do_there = [&] {
    // (Not when its own words choose an entry surely: "我的护照丢了怎么办"
    // right after a stolen permit.)
    // (Nor when they name the topic of the entry they chose and not that
    // of the answer: "what do i need to do if i overstay?" after the
    // work-study rule; "然后去哪办签证" after leaving on an X visa names both.)
    if (!engine_.says(Words::what_to_do, r.analysis) || (!matches.empty() && matches.front().confidence >= Engine::kSure) ||
        (names_topic(r.analysis, *u.faq) && !names_topic(r.analysis, *last)))
      return false;
    const Understood joined = rank(read_after(r, *last));
    return joined.kind == Understood::Kind::faq && joined.faq == last;
  };
  // ("what do i have to upload" right after CPU's tuition item, whose
  // answer says to upload the e-receipt: a question of one word besides
  // what asks, and that word is in the answer just given.)
  auto word_of_the_answer = [&] {
    // (Not a word of the topic of the entry the words chose: "when would
    // i get my passport back" after the checklist, which holds "passport".)
    if (r.leftover != 1 || r.leftover_stems.size() != 1 || !r.attributes.empty() || !r.things.empty() ||
        names_topic(r.analysis, *u.faq))
      return false;
    const Analysis answer = engine_.analyse(last->answer.in(lang));
    return std::any_of(answer.words.begin(), answer.words.end(),
                       [&](const auto& a) { return a.stem == r.leftover_stems.front(); });
  };
  // (Closer still when the question is nothing but what it asks, and the
  // answer just given gives that: "what happens if I'm late?" right after
  // HUST's copy of the new permit is its bad record, not the silence on
  // when to apply that its few words choose.)
  const double close = r.leftover == 0 && u.asked ? kContextEntryClose : kContextFactClose;
  if (!close_behind(matches, [&](const Engine::Match& m) { return m.faq == last; }, close) && !what_to_do_there() &&
      !word_of_the_answer())
    return u;
  return answered_by(*last, u.asked);
}

// "which option do i pick if its still the same passport as last year"
// right after the passport item: the answer just given, nearly level with
// an entry the other words chose ("option": the tuition payment types), is
// what the question is about; only when the question names the topic of
// that answer ("要是被拒了咋办" after how to submit is a new one).
//
// So is a question that points back at it and asks nothing of its own
// ("do i need it for my first residence permit?" right after the
// certificate of attendance), when that answer is close behind, even
// behind an entry the other words chose with certainty (who needs the
// physical examination), unless the question names that entry's topic.
const Faq* Turn::topic_kept(const Understood& u, const Reading& r) const {
  // (The permit itself named is no thing of its own: "for my first
  // residence permit".)
  if (!r.asks || !r.only_the_permit() || st_.context.faq.empty()) return nullptr;
  const Faq* top = u.kind == Understood::Kind::faq                                 ? u.faq
                   : u.kind == Understood::Kind::clarify && !u.options.empty() ? u.options.front().faq
                                                                                   : nullptr;
  const Faq* last = engine_.faq(uni_->id, st_.context.faq);
  if (top == nullptr || last == nullptr || top == last) return nullptr;
  const bool named = r.things.empty() && names_topic(r.analysis, *last);
  const bool pointed =
      !named && r.attributes.empty() && r.leftover <= kLeftoverForPointer && engine_.says(Words::the_answer, r.analysis);
  if (!named && !pointed) return nullptr;
  const auto matches = engine_.rank(uni_->id, r.analysis, 3);
  if (matches.empty() || (named && matches.front().confidence >= Engine::kSure)) return nullptr;
  return close_behind(matches, [&](const Engine::Match& m) { return m.faq == last; },
                      named ? kContextFactClose : kContextEntryClose)
             ? last
             : nullptr;
}

}  // namespace permit::dialogs
