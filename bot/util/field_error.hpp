#pragma once

#include <string>

namespace permit::util {

// Why a request from outside is refused: the JSON pointer of the field at
// fault ("/" for the whole body) and what is wrong with it, in words a
// person fixing the request can act on.
struct FieldError {
  std::string pointer;
  std::string message;
};

}  // namespace permit::util
