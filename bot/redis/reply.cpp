#include "bot/redis/reply.hpp"

#include <hiredis/hiredis.h>

#include <cstring>
#include <sys/socket.h>

namespace permit::redis {

bool connected_to_itself(int fd) {
  sockaddr_storage local{}, peer{};
  socklen_t local_length = sizeof(local), peer_length = sizeof(peer);
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_length) != 0) return false;
  if (getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &peer_length) != 0) return false;
  return local_length == peer_length && std::memcmp(&local, &peer, local_length) == 0;
}

Value convert(const redisReply* reply) {
  Value value;
  switch (reply->type) {
    case REDIS_REPLY_STRING:
    case REDIS_REPLY_STATUS:
    case REDIS_REPLY_ERROR:
      value.type = reply->type == REDIS_REPLY_STRING   ? Value::Type::string
                   : reply->type == REDIS_REPLY_STATUS ? Value::Type::status
                                                       : Value::Type::error;
      value.str.assign(reply->str, reply->len);
      break;
    case REDIS_REPLY_INTEGER:
      value.type = Value::Type::integer;
      value.integer = reply->integer;
      break;
    case REDIS_REPLY_ARRAY:
      value.type = Value::Type::array;
      value.elements.reserve(reply->elements);
      for (std::size_t i = 0; i < reply->elements; ++i) value.elements.push_back(convert(reply->element[i]));
      break;
    default:
      break;  // nil
  }
  return value;
}

}  // namespace permit::redis
