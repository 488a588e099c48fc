#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace permit::dialogs {

struct StudentState;

// What the student did, with the platform's details stripped away.
struct Inbound {
  enum class Kind {
    text,         // typed text, or a menu click carrying its key as text
    voice,        // a voice message: `text` is the platform's recognition of it, "" when it has none
    subscribe,    // followed the account
    unsubscribe,  // unfollowed it
    unsupported,  // an image, video, location or link
    ignored,      // an event that needs no answer (VIEW, SCAN, LOCATION...)
  };
  Kind kind = Kind::text;
  std::string text;
};

// Something the caller must do besides storing the state and sending the
// replies. The engine itself never does I/O.
struct Effect {
  enum class Kind {
    record_unanswered,  // a question no script answered: university, lang, text
    set_deadline,       // the student's permit expiry: university, date, deadline, reminders
    forget_student,     // the student asked to erase their data
    stop_reminders,     // "stop reminders": cancel the scheduled ones
  };
  struct Reminder {
    std::string on;    // ISO date it is due (sent from 00:00 UTC, 08:00 in China)
    std::string id;    // which reminder: the date kind and the days before ("expiry-30")
    std::string text;  // in the student's language
  };
  Kind kind;
  std::string university;
  std::string lang;
  std::string text;      // the question, with anything like an ID number masked
  std::string date;      // ISO expiry date, if the student gave one
  std::string deadline;  // ISO latest date to apply before it, if the university sets one
  std::vector<Reminder> reminders;  // for every date the student gave; replaces any scheduled before (set_deadline)
};

struct Outcome {
  std::string state;                 // the new state, stored as it is
  // The same state as the engine holds it, so a caller that keeps `state`
  // for the student's next message need not read it again. Null when the
  // state was kept (below).
  std::shared_ptr<const StudentState> parsed;
  std::vector<std::string> replies;  // in order; may be empty
  std::vector<Effect> effects;
  bool walkthrough_started = false;  // a walkthrough began anew in this turn
  // The facts the replies state, by where they come from: "faq:ID",
  // "fact:THING.ATTRIBUTE", "deadline:KIND". Empty when the bot asked back,
  // said the page is silent, or found nothing.
  std::vector<std::string> stated;
  // Why the student's state did not move, when it did not: "unreadable"
  // (the stored state), "too_large" (the new one), "failed" (the dialog
  // threw). `state` is then the stored state, as it was, and the reply an
  // apology. Empty in every normal turn.
  std::string kept;
};

// A dialog is pure: state and message in, new state and replies out. It
// never touches Redis or a socket.
class Dialog {
 public:
  virtual ~Dialog() = default;
  virtual Outcome respond(std::string_view state, const Inbound& message,
                          std::chrono::system_clock::time_point now) const = 0;
};

}  // namespace permit::dialogs
