#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace permit::dialogs {

// What the student did, with the platform's details stripped away.
struct Inbound {
  enum class Kind {
    text,         // typed text, or a menu click carrying its key as text
    subscribe,    // followed the account
    unsubscribe,  // unfollowed it
    unsupported,  // an image, voice, video, location or link
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
    std::string text;  // in the student's language
  };
  Kind kind;
  std::string university;
  std::string lang;
  std::string text;      // the question, with anything like an ID number masked
  std::string date;      // ISO expiry date
  std::string deadline;  // ISO latest date to apply, if the university sets one
  std::vector<Reminder> reminders;  // replaces any scheduled before (set_deadline)
};

struct Outcome {
  std::string state;                 // the new state, stored as it is
  std::vector<std::string> replies;  // in order; may be empty
  std::vector<Effect> effects;
  bool walkthrough_started = false;  // a walkthrough began anew in this turn
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
