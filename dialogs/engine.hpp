#pragma once

#include "dialogs/analyzer.hpp"
#include "dialogs/dialog.hpp"
#include "dialogs/phrases.hpp"
#include "dialogs/ranker.hpp"
#include "dialogs/script.hpp"
#include "dialogs/student_state.hpp"

#include <array>
#include <map>
#include <set>
#include <unordered_set>
#include <memory>

namespace permit::dialogs {

// Word lists of common.json's `commands` that the reading of a message
// looks for, in the order of kWordLists' names.
enum class Words : std::size_t {
  pointers,        // "it", "there": about what was last talked about
  question_words,  // "what", "how", "怎么": what a question is made of, not about
  interrogatives,  // "what", "is", "吗": what makes a sentence a question
  next_step,       // "what next", "下一步": the step after a thing
  next_step_at_end,  // "now what": the same, said at the end of the message
  go_there,        // "can i go", "能去": whether the student may go (then)
  going,           // "go", "去": going somewhere
  condition,       // "if", "如果"
  first_person,    // "i", "my", "我"
  already_have,    // "拿到了": what comes before it is done
  carrying,        // "拿着", "with the": the thing named next is carried
  where_to_take,   // "去哪", "where do i take": where a carried thing goes
  after_getting,   // "after i get the": the thing named next is a when, not a topic
  that_was,        // "that was", "那是": dates what was just told
  correction,      // "sorry i meant", "不对": a date that corrects the last one
  past_tense,      // "did", "做的": a date without its year told as done is past
  others,          // "my friend", "同学": a situation not the student's own
  first_step,      // "where do i start", "从哪开始": the process's first step
  meant,           // "i meant", "我是说": the date after it corrects the last one
  have_done,       // "got", "拿到了": progress told (the things named are done)
  asked_again,     // "same question", "what about", "呢": asks the last question, at another university
  the_same,        // "the same", "too", "一样": with a question, the last one again
  just_now,        // "just", "刚": right before an event told, that it happened today
  afterwards,      // "以后", "之后": closes a Chinese "after getting" ("拿到公函以后")
  future_tense,    // "will", "打算": a day without its month told of as to come
  time_ago,        // "ago", "个月": an event told with how long ago it was
  apology,         // "sorry", "不好意思": before a date alone, it corrects the last one
  amount,          // "how much", "多少": with a fine, its amount, not a fee
  mine,            // "mine", "我的": the student's own, after someone else's date
  reasons,         // "for medical reasons", "因病": why, not an event a date could be
  subjects,        // "i", "there": after "is", "do", "can" past a comma, they ask
  left_place,      // "moved out of", "搬出": the place named with it is one the student left
  not_events,      // "体检报告", "exam report": a date-kind word inside names a paper, not an event done then
  being_at,        // "i'm at", "我在": with a place named right after, where the student is now
  landed,          // "landed", "落地": with no word of a date's kind, the date is the entry into China
  left_behind,     // "left my", "落在": a thing left behind, lost
  address_named,   // "address", "地址": the address asked by name, not a "where"
  where_it_happened,  // "on the bus", "在地铁上": where something happened, not the way there asked
  what_to_do,      // "what do i do", "怎么办": what to do asked, with no object
  third_person,    // "he", "她": someone else than the student (not "其他": see Turn::of_third_person)
  other_universities,  // "the other unis", "其他学校": every university but the student's
  family,          // "my wife", "家属": a family member, whose permit a page may not cover
  overstayed,      // "overstayed", "逾期": with a count of days, how long the student overstayed
  reply_in_english,  // "in english pls": this reply in English
  reply_in_chinese,  // "用中文": this reply in Chinese
  other_papers,    // "passport", "保险": a paper whose expiry is not the permit's
  permit_papers,   // "permit", "签证": the permit or visa itself
  comparing,       // "vs", "哪个便宜": a question asked at several universities compares them
  compared_by_time,  // "faster", "更久": ...by how long it takes
  the_answer,      // "it", "这个": the thing the last answer was about (not a person)
  here,            // "here", "我这": the student's own place, said with another university named
  compared_to,     // "like at", "跟": right before a university's name, compares with it
  compared_and,    // "和": the same, only with one of `alike` right after the name
  alike,           // "一样", "不同": right after a university's name, a comparison
  came_from,       // "from", "从": right before a university's name, where the student came from
  calls,           // "human", "人工": a call for a person, left out of the question after it
  overstay_by,     // "overstayed by", "逾期": a count of days right after it is the overstay's length
  choices,         // "还是": "A还是B", a question with its options and no question word
  count
};
inline constexpr std::array<const char*, static_cast<std::size_t>(Words::count)> kWordLists = {
    "pointers", "question_words", "interrogatives", "next_step", "next_step_at_end", "go_there",      "going",   "condition",
    "first_person", "already_have", "carrying", "where_to_take", "after_getting", "that_was",
    "correction", "past_tense", "others", "first_step", "meant", "have_done", "asked_again", "the_same", "just_now", "afterwards", "future_tense", "time_ago", "apology", "amount", "mine", "reasons", "subjects", "left_place", "not_events", "being_at", "landed", "left_behind", "address_named", "where_it_happened", "what_to_do", "third_person", "other_universities", "family", "overstayed", "reply_in_english", "reply_in_chinese", "other_papers", "permit_papers", "comparing", "compared_by_time", "the_answer", "here", "compared_to", "compared_and", "alike", "came_from", "calls", "overstay_by", "choices"};

// The dialog engine: (scripts, student state, message, now) -> (new state,
// replies, effects). Pure: no I/O, no clock of its own, no randomness.
// Every fact it states comes from the scripts.
class Engine final : public Dialog {
 public:
  // `release`: the published script release these scripts are; a student
  // mid-walkthrough is stamped with it (see VersionedDialog).
  explicit Engine(ScriptSet scripts, std::int64_t release = 0);
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  Outcome respond(std::string_view state, const Inbound& message,
                  std::chrono::system_clock::time_point now) const override;
  // The same from a state already parsed, taken from the caller: passed
  // by value, a message's state was moved once more at every level.
  Outcome respond(StudentState&& state, const Inbound& message, std::chrono::system_clock::time_point now) const;

  // The turn that leaves the stored state as it is (see Outcome::kept): an
  // apology in the message's language, nothing else.
  Outcome keep(std::string_view state, const Inbound& message, std::string why) const;
  // `out`, unless its state is larger than the reader accepts: then the
  // stored state is kept.
  Outcome bounded(std::string_view state, const Inbound& message, Outcome out) const;

  // When the ranker's best entry is answered, offered, or not. Measured on
  // the development set (tests/devset/dev; `permit-dialog eval`), where
  // these gave the most right answers with the fewest wrong ones.
  // Confidence is the share of the question's weight the entry matched.
  static constexpr double kAnswer = 0.4;          // answer at or above this...
  static constexpr double kMargin = 1.2;          // ...when it scores this much above the next entry,
  static constexpr double kSure = 0.75;           // or at or above this, when not level with the next one
  static constexpr double kSureLead = 1.03;       //   (ahead by this much: 11 fewer wrong, 9 fewer right over 52 sets),
  static constexpr double kLead = 1.3;            // or when it scores this much above the next one
  static constexpr double kLeadConfidence = 0.2;  // with at least this confidence and no unknown word
  static constexpr double kOffer = 0.25;          // below an answer: offer the closest topics from this
  // An entry that gives the attribute asked (a fee, an address) replaces a
  // better-ranked one that does not, when it scores within this factor of
  // it and reaches kAnswer (chosen on dev and the holdouts: it changed one
  // case of 1,303, for the better, and no wrong answer appeared).
  static constexpr double kGivesLead = 1.5;

  struct Match {
    const Faq* faq;
    double confidence;
    double score;
    int unknown_words;  // see Ranker::Hit
  };
  // The best FAQ entries for a question at a university, best first.
  std::vector<Match> rank(const std::string& university, const Analysis& question, std::size_t limit) const;
  std::vector<Match> rank(const std::string& university, std::string_view question, std::size_t limit) const {
    return rank(university, analyse(question), limit);
  }

  Analysis analyse(std::string_view text) const { return analyzer_.analyse(text); }
  // Whether the text holds anything to rank (not only greetings, filler
  // words or punctuation).
  bool meaningful(std::string_view text) const { return !analyse(text).terms.empty(); }

  // The phrases of the scripts, found in a message: hit ids index
  // University::things, Common::attributes and Common::dates.
  std::vector<PhraseIndex::Hit> things_in(const std::string& university, const Analysis& a) const;
  const PhraseIndex& attribute_words() const { return attributes_; }
  const PhraseIndex& date_words() const { return dates_; }
  // The lists of common.json's `commands` that reading a message looks for
  // (dialogs/scripts/README.md says what each means); a list the scripts
  // leave out is empty.
  const PhraseIndex& words(Words list) const { return words_[static_cast<std::size_t>(list)]; }
  // The hits of a word list whose words are as the list writes them, not
  // only of the same stem: "ended" is not "ends" (tenses).
  std::vector<PhraseIndex::Hit> written(Words list, const Analysis& a) const;
  bool says(Words list, const Analysis& a) const { return !words(list).find(a).empty(); }
  // A list as common.json writes it (normalised), for the readings that
  // look at the letters right around a name or a number.
  const std::vector<std::string>& listed(Words list) const;

  const Faq* faq(const std::string& university, const std::string& id) const;
  // Whether a word (as written, normalised) is in the name of a thing of
  // the university ("office", "hospital").
  bool names_word(const std::string& university, const std::string& word) const;
  // Whether any entry of the university holds this index term.
  bool knows(const std::string& university, const std::string& term) const;
  // A place or thing the message names that is another university's ("体检"
  // at CPU, whose page has no examination) and that no entry of this one
  // holds: its words as written, or "" when there is none.
  std::string unmentioned(const std::string& university, const Analysis& a) const;
  // "我是从别的学校转过来的" at HUST, whose page has no rule for a transfer:
  // the words of the case of another page's time limit, said where no rule
  // of this page has that case ("转过来"); "" otherwise.
  std::string unmentioned_case(const std::string& university, const Analysis& a) const;
  // Whether an entry's answer gives an attribute (Attribute::evidence);
  // true for an attribute without evidence words.
  bool gives(const Faq& faq, std::size_t attribute) const;
  // Whether the entry's answer names the thing (the things of its
  // university, found once when the engine is built).
  bool names(const Faq& faq, const Thing& thing) const;

  const ScriptSet& scripts() const { return scripts_; }
  const University* university(const std::string& id) const;
  // "1. Chongqing University of Posts and Telecommunications (CQUPT)\n2. ...",
  // built once, and the choices its numbers stand for ("u:cqupt", ...).
  const std::string& university_list(Lang lang) const { return university_lists_[lang == Lang::zh ? 1 : 0]; }
  const std::vector<std::string>& university_choices() const { return university_choices_; }
  std::int64_t release() const { return release_; }

 private:
  void index_other_cases();
  struct Index {
    std::unique_ptr<Ranker> ranker;
    std::vector<const Faq*> entries;
    std::map<std::string, const Faq*> by_id;
    PhraseIndex things;
    bool covers_family = true;  // see Engine::unmentioned
    std::unordered_set<std::string> name_words;  // the Latin words of the things' names
    PhraseIndex other_cases;    // see Engine::unmentioned_case
    std::set<std::string, std::less<>> other_case_words;  // ...as written: "transferring" is no "transfer"
  };
  ScriptSet scripts_;
  std::int64_t release_;
  Analyzer analyzer_;
  PhraseIndex attributes_, dates_;
  std::array<PhraseIndex, static_cast<std::size_t>(Words::count)> words_;
  std::array<const std::vector<std::string>*, static_cast<std::size_t>(Words::count)> listed_{};  // as written; null: left out
  std::map<std::string, Index> indexes_;
  // Every term some university's entries hold (see Ranker::search).
  std::unordered_set<std::string> vocabulary_;
  // The stems of each university's topics (English): what its page is about.
  std::map<std::string, std::unordered_set<std::string>> topic_words_;
  // Stems of common.json's "not_topics": in topics, but no topic of their own.
  std::unordered_set<std::string> not_topics_;
  std::map<const Faq*, std::uint32_t> evidence_;  // attributes (bits) each answer gives
  std::map<const Faq*, std::set<const Thing*>> named_;  // the things each answer names
  std::array<std::string, 2> university_lists_;   // en, zh
  std::vector<std::string> university_choices_;
};

}  // namespace permit::dialogs
