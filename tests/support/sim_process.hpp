#pragma once

#include "tests/support/process.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace permit::testing {

// The platform's sending API: the built wechat-sim in "serve" mode, on a
// free port, with the test account's appid and the given secret.
class SimProcess {
 public:
  static constexpr const char* kSecret = "simsecret";

  explicit SimProcess(std::vector<std::string> extra_args = {});

  std::uint16_t port() const { return port_; }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  // The student just wrote to the account: the 48-hour window opens.
  void interaction(const std::string& openid) const;
  void invalidate_token() const;
  // The platform forgets the openid (the account was deleted): 40003.
  void forget(const std::string& openid) const;
  // Every send to the openid gets this errcode (times 0), or only the next
  // `times` sends.
  void fail(const std::string& openid, int errcode, int times = 0) const;
  // Sends a template message as an instance of the bot would (with a
  // stable token); returns the platform's errcode.
  int send_template(const std::string& openid, const std::string& template_id, const std::string& text,
                    const std::string& client_msg_id) const;
  // Sends a customer-service text message as an instance of the bot would;
  // returns the platform's errcode (45047 once the window's count is used).
  int send_custom(const std::string& openid, const std::string& text) const;
  // Every call to a sending API, accepted or refused, as its JSON array
  // (at_ms, path, errcode).
  std::string calls() const;
  // How many times the platform's API at this path was called (its quota
  // query, with the token the bot shares in Redis).
  long quota_used(const std::string& access_token, const std::string& cgi_path) const;
  // Every message the API accepted, as its JSON array.
  std::string messages() const;
  // How many recorded messages went to the openid, of the kind, holding text.
  int count(const std::string& openid, const std::string& kind, const std::string& text = "") const;

 private:
  // A stable token, as an instance of the bot would fetch it ("" if refused).
  std::string stable_token() const;
  int send(const std::string& path, const std::string& body) const;

  ChildProcess process_;
  std::uint16_t port_ = 0;
};

// Writes a config file with the test account, the repository's scripts and
// the given extra top-level members; returns its path.
std::string temp_config(const std::string& members);

}  // namespace permit::testing
