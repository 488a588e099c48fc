#include "bot/redis/redis_error.hpp"

#include <string>

namespace permit::redis {
namespace {

class Category final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "redis"; }
  std::string message(int ev) const override {
    switch (static_cast<Error>(ev)) {
      case Error::not_connected: return "redis is not connected";
      case Error::timeout: return "redis command timed out";
      case Error::connection_lost: return "redis connection lost";
      case Error::closing: return "redis client is closing";
      case Error::unexpected_reply: return "unexpected redis reply";
    }
    return "unknown redis error";
  }
};

}  // namespace

const boost::system::error_category& error_category() noexcept {
  static const Category category;
  return category;
}

}  // namespace permit::redis
