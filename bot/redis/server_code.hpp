#pragma once

// Code the server keeps (Lua scripts by EVALSHA, functions by FCALL): the
// replies that only say the server lacks it, which eval and fcall answer
// by loading it and trying again (server_code.cpp).

#include "bot/redis/redis_value.hpp"

#include <string_view>

namespace permit::redis {

inline constexpr std::string_view kFunctionNotFound = "ERR Function not found";

// FUNCTION LOAD's answer when another client has just loaded the library.
bool library_exists(const Value& value);

// The replies that only say the server lacks (or has just got) a script
// or function: eval and fcall load it and go on, so they are not errors.
bool code_not_loaded(const Value& value);

}  // namespace permit::redis
