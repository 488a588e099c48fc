// permit-botctl: the admins' and staff's command line for the bot's API
// (the admin listener). The token comes from PERMIT_BOTCTL_TOKEN, never from
// a flag (flags end up in shell history and process lists).
//
// Exit codes: 0 done; 1 refused (invalid, conflict, not found); 2 usage;
// 3 the API is unreachable or failed; 4 not authorised.

#include "bot/util/json.hpp"
#include "json/parse.hpp"
#include "tools/wechat_sim/push_client.hpp"

#include <rapidjson/document.h>

#include <cstdio>
#include <iostream>
#include <termios.h>
#include <unistd.h>
#include <cstdlib>
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace {

using permit::sim::HttpReply;

constexpr int kOk = 0, kRefused = 1, kUsage = 2, kUnreachable = 3, kUnauthorised = 4;

const char* kUsageText = R"(usage: permit-botctl [--api http://HOST:PORT] COMMAND

  scripts list                          the current release's files and your draft
  scripts history                       every release: author, time, message
  scripts pull [--release N] [--dir D]  write a release's files into D (default dialogs/scripts)
  scripts validate FILE...              check files against the live scripts, saving nothing
  scripts push FILE...                  save files to your draft
  scripts diff NAME                     your draft of NAME against the published one
  scripts publish -m MESSAGE [--base N] [--migrate JSON]
  scripts rollback --to N [-m MESSAGE]
  broadcasts create FILE.json [--dry-run]
  broadcasts status ID
  broadcasts cancel ID
  users list                            the console's accounts (admin)
  users add NAME --role staff|admin     a console account; the password is read from standard input
  users password NAME                   a new password, from standard input (ends NAME's sessions)
  users disable NAME | users enable NAME
  audit                                 the audit log and whether its chain verifies
  unanswered                            questions the bot could not answer

The API token is read from PERMIT_BOTCTL_TOKEN; the address from --api or
PERMIT_BOTCTL_API (default http://127.0.0.1:8090).
)";

struct Api {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8090;
  std::string token;

  HttpReply call(const std::string& method, const std::string& target, const std::string& body = "") const {
    return permit::sim::http_request(host, port, method, target, body, 0, token);
  }
};

int usage(const std::string& why) {
  std::fprintf(stderr, "permit-botctl: %s\n\n%s", why.c_str(), kUsageText);
  return kUsage;
}

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Prints what came back and maps the status to an exit code. A 422's
// errors are printed one per line, like a compiler's.
int report(const HttpReply& reply) {
  if (reply.status == 0) {
    std::fprintf(stderr, "permit-botctl: cannot reach the API (is the bot running, and --api right?)\n");
    return kUnreachable;
  }
  if (reply.status == 422) {
    rapidjson::Document doc;
    if (permit::json::parse(doc, reply.body) && doc.IsObject() && doc.HasMember("errors") && doc["errors"].IsArray()) {
      if (const auto error = permit::util::string_field(doc, "error"); !error.empty())
        std::fprintf(stderr, "%s\n", error.c_str());
      for (const auto& e : doc["errors"].GetArray()) {
        auto str = [&](const char* k) { return permit::util::string_field(e, k); };
        auto num = [&](const char* k) { return e.HasMember(k) && e[k].IsInt() ? e[k].GetInt() : 0; };
        std::fprintf(stderr, "%s:%d:%d: %s: %s\n", str("file").c_str(), num("line"), num("column"),
                     str("pointer").c_str(), str("reason").c_str());
      }
      return kRefused;
    }
  }
  std::FILE* out = reply.status < 300 ? stdout : stderr;
  std::fputs(reply.body.c_str(), out);
  if (!reply.body.empty() && reply.body.back() != '\n') std::fputc('\n', out);
  if (reply.status < 300) return kOk;
  if (reply.status == 401 || reply.status == 403) return kUnauthorised;
  if (reply.status >= 500) return kUnreachable;
  return kRefused;
}

// Options after the command words: "--name value" pairs and plain words.
struct Args {
  std::map<std::string, std::string> options;
  std::vector<std::string> words;
  bool has(const std::string& k) const { return options.contains(k); }
  std::string get(const std::string& k) const { return has(k) ? options.at(k) : ""; }
};

bool parse_args(const std::vector<std::string>& in, Args& out, std::string& error) {
  for (std::size_t i = 0; i < in.size(); ++i) {
    const std::string& a = in[i];
    if (a == "--dry-run") {
      out.options[a] = "1";
    } else if (a.starts_with("-") && a.size() > 1) {
      if (a == "--token") {
        error = "the token is read from PERMIT_BOTCTL_TOKEN, never from a flag";
        return false;
      }
      if (i + 1 >= in.size()) {
        error = a + " needs a value";
        return false;
      }
      out.options[a] = in[++i];
    } else {
      out.words.push_back(a);
    }
  }
  return true;
}

bool number(const std::string& s) { return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos; }

int pull(const Api& api, const Args& args) {
  const std::string release = args.get("--release");
  if (!release.empty() && !number(release)) return usage("--release takes a release number");
  auto reply = api.call("GET", "/api/v1/scripts/export" + (release.empty() ? "" : "?release=" + release));
  if (reply.status != 200) return report(reply);
  rapidjson::Document doc;
  if (!permit::json::parse(doc, reply.body) || !doc.IsObject() || !doc.HasMember("files") || !doc["files"].IsObject() ||
      !doc.HasMember("release") || !doc["release"].IsInt64()) {
    std::fprintf(stderr, "permit-botctl: the export is not what was expected\n");
    return kUnreachable;
  }
  const std::filesystem::path dir = args.has("--dir") ? args.get("--dir") : "dialogs/scripts";
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  for (const auto& f : doc["files"].GetObject()) {
    const std::string name = f.name.GetString();
    if (name.find('/') != std::string::npos || name.starts_with(".")) continue;  // never outside `dir`
    std::ofstream out(dir / name, std::ios::binary | std::ios::trunc);
    out.write(f.value.GetString(), f.value.GetStringLength());
    if (!out) {
      std::fprintf(stderr, "permit-botctl: cannot write %s\n", (dir / name).c_str());
      return kUnreachable;
    }
    std::printf("%s\n", (dir / name).c_str());
  }
  std::printf("release %lld written to %s\n", static_cast<long long>(doc["release"].GetInt64()), dir.c_str());
  return kOk;
}

int scripts(const Api& api, const std::string& verb, const Args& args) {
  if (verb == "list") return report(api.call("GET", "/api/v1/scripts"));
  if (verb == "history") return report(api.call("GET", "/api/v1/scripts/history"));
  if (verb == "pull") return pull(api, args);
  if (verb == "validate" || verb == "push") {
    if (args.words.empty()) return usage("name the files");
    int worst = kOk;
    for (const auto& path : args.words) {
      auto bytes = read_file(path);
      if (!bytes) return usage("cannot read " + path);
      const std::string name = std::filesystem::path(path).filename().string();
      const std::string target = "/api/v1/scripts/" + name + (verb == "push" ? "/draft" : "/validate");
      int code = report(api.call(verb == "push" ? "PUT" : "POST", target, *bytes));
      worst = std::max(worst, code);
    }
    return worst;
  }
  if (verb == "diff") {
    if (args.words.size() != 1) return usage("diff takes one file name, like cqupt.json");
    return report(api.call("GET", "/api/v1/scripts/" + args.words[0] + "/diff"));
  }
  if (verb == "publish") {
    if (!args.has("-m")) return usage("publish needs -m MESSAGE");
    std::string body = "{\"message\":" + permit::util::json_quote(args.get("-m"));
    if (args.has("--base")) {
      if (!number(args.get("--base"))) return usage("--base takes a release number");
      body += ",\"base\":" + args.get("--base");
    }
    if (args.has("--migrate")) body += ",\"migrate\":" + args.get("--migrate");
    return report(api.call("POST", "/api/v1/scripts/publish", body + "}"));
  }
  if (verb == "rollback") {
    if (!number(args.get("--to"))) return usage("rollback needs --to RELEASE");
    std::string body = "{\"to\":" + args.get("--to");
    if (args.has("-m")) body += ",\"message\":" + permit::util::json_quote(args.get("-m"));
    return report(api.call("POST", "/api/v1/scripts/rollback", body + "}"));
  }
  return usage("unknown scripts command: " + verb);
}

int broadcasts(const Api& api, const std::string& verb, const Args& args) {
  if (args.words.size() != 1) return usage("broadcasts " + verb + " takes one argument");
  if (verb == "create") {
    auto body = read_file(args.words[0]);
    if (!body) return usage("cannot read " + args.words[0]);
    return report(api.call("POST", std::string("/api/v1/broadcasts") + (args.has("--dry-run") ? "?dry_run=1" : ""), *body));
  }
  if (!number(args.words[0])) return usage("a broadcast id is a number");
  if (verb == "status") return report(api.call("GET", "/api/v1/broadcasts/" + args.words[0]));
  if (verb == "cancel") return report(api.call("DELETE", "/api/v1/broadcasts/" + args.words[0]));
  return usage("unknown broadcasts command: " + verb);
}

// One line from standard input, without its line end. On a terminal, what
// is typed is not shown.
std::string read_password() {
  const bool terminal = isatty(STDIN_FILENO) == 1;
  termios saved{};
  if (terminal) {
    std::fprintf(stderr, "password: ");
    tcgetattr(STDIN_FILENO, &saved);
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string line;
  std::getline(std::cin, line);
  if (terminal) {
    tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    std::fprintf(stderr, "\n");
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

int users(const Api& api, const std::string& verb, const Args& args) {
  if (verb == "list") return report(api.call("GET", "/api/v1/users"));
  if (args.words.size() != 1) return usage("users " + verb + " takes one account name");
  const std::string& name = args.words[0];
  if (verb == "add") {
    const std::string role = args.get("--role");
    if (role != "staff" && role != "admin") return usage("users add needs --role staff or --role admin");
    const std::string password = read_password();
    return report(api.call("POST", "/api/v1/users",
                           "{\"name\":" + permit::util::json_quote(name) + ",\"role\":" + permit::util::json_quote(role) +
                               ",\"password\":" + permit::util::json_quote(password) + "}"));
  }
  const std::string target = "/api/v1/users/" + name;
  if (name.find_first_of("/?#% ") != std::string::npos) return usage("not an account name: " + name);
  if (verb == "password")
    return report(api.call("PATCH", target, "{\"password\":" + permit::util::json_quote(read_password()) + "}"));
  if (verb == "disable") return report(api.call("PATCH", target, "{\"disabled\":true}"));
  if (verb == "enable") return report(api.call("PATCH", target, "{\"disabled\":false}"));
  return usage("unknown users command: " + verb);
}

bool parse_api(const std::string& url, Api& api) {
  constexpr std::string_view kHttp = "http://";
  if (!url.starts_with(kHttp)) return false;
  std::string rest = url.substr(kHttp.size());
  if (!rest.empty() && rest.back() == '/') rest.pop_back();
  const auto colon = rest.rfind(':');
  if (colon == std::string::npos || !number(rest.substr(colon + 1)) || rest.size() - colon > 6) return false;
  const int port = std::stoi(rest.substr(colon + 1));
  if (port <= 0 || port > 65535) return false;
  api.host = rest.substr(0, colon);
  api.port = static_cast<std::uint16_t>(port);
  return !api.host.empty();
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> in(argv + 1, argv + argc);
  if (in.empty() || in[0] == "--help" || in[0] == "-h") {
    std::fputs(kUsageText, in.empty() ? stderr : stdout);
    return in.empty() ? kUsage : kOk;
  }
  Api api;
  std::string url = std::getenv("PERMIT_BOTCTL_API") ? std::getenv("PERMIT_BOTCTL_API") : "http://127.0.0.1:8090";
  if (in.size() >= 2 && in[0] == "--api") {
    url = in[1];
    in.erase(in.begin(), in.begin() + 2);
  }
  if (!parse_api(url, api)) return usage("the API address must look like http://127.0.0.1:8090, not " + url);
  const char* token = std::getenv("PERMIT_BOTCTL_TOKEN");
  if (token == nullptr || *token == '\0') {
    std::fprintf(stderr, "permit-botctl: set PERMIT_BOTCTL_TOKEN to your API token\n");
    return kUnauthorised;
  }
  api.token = token;
  if (in.empty()) return usage("no command");
  const std::string group = in[0];
  const bool two_words = group == "scripts" || group == "broadcasts" || group == "users";
  if (two_words && in.size() < 2) return usage(group + " needs a command");
  Args args;
  std::string error;
  if (!parse_args(std::vector<std::string>(in.begin() + (two_words ? 2 : 1), in.end()), args, error)) return usage(error);
  if (group == "scripts") return scripts(api, in[1], args);
  if (group == "broadcasts") return broadcasts(api, in[1], args);
  if (group == "users") return users(api, in[1], args);
  if (group == "audit") return report(api.call("GET", "/api/v1/audit"));
  if (group == "unanswered") return report(api.call("GET", "/api/v1/unanswered"));
  return usage("unknown command: " + group);
}
