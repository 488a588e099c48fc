// Console sign-in pieces without a socket: password hashing and policy,
// the cookie and origin checks, the built files and their cache headers.

#include "bot/accounts/accounts.hpp"
#include "bot/accounts/password.hpp"
#include "handlers/admin_gate.hpp"
#include "handlers/console_files.hpp"
#include "handlers/console_http.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace permit {
namespace {

using accounts::ScryptCost;
// A cheap cost keeps the tests quick; the format and checks are the same.
constexpr ScryptCost kCheap{10, 8, 1};

TEST(PasswordTest, AHashVerifiesItsPasswordAndNoOther) {
  const std::string hash = accounts::hash_password("correct horse battery", kCheap);
  EXPECT_TRUE(hash.starts_with("scrypt$10$8$1$"));
  EXPECT_TRUE(accounts::verify_password("correct horse battery", hash));
  EXPECT_FALSE(accounts::verify_password("correct horse batterY", hash));
  EXPECT_FALSE(accounts::verify_password("", hash));
  EXPECT_NE(hash, accounts::hash_password("correct horse battery", kCheap)) << "a new salt each time";
}

TEST(PasswordTest, TheDefaultCostIsMemoryHard) {
  const std::string hash = accounts::hash_password("correct horse battery");
  EXPECT_TRUE(hash.starts_with("scrypt$15$8$1$")) << hash;
  EXPECT_TRUE(accounts::verify_password("correct horse battery", hash));
}

TEST(PasswordTest, AMalformedOrExorbitantStoredHashVerifiesNothing) {
  const std::string good = accounts::hash_password("pw-pw-pw-pw", kCheap);
  for (const std::string& bad :
       {std::string(""), std::string("scrypt$10$8$1$"), std::string("argon2$10$8$1$AAAA$AAAA"),
        std::string("scrypt$40$8$1$") + good.substr(14),  // its salt and hash at 2^40: refused, not allocated
        std::string("scrypt$x$8$1$AAAA$AAAA"), good.substr(0, good.size() - 4)})
    EXPECT_FALSE(accounts::verify_password("pw-pw-pw-pw", bad)) << bad;
}

TEST(PasswordTest, ThePolicyWantsTenCharactersAndNotTheName) {
  EXPECT_EQ(accounts::password_problem("bob", "short"), "password_too_short");
  EXPECT_EQ(accounts::password_problem("bob", "九个字的密码不够长"), "password_too_short") << "characters, not bytes";
  EXPECT_EQ(accounts::password_problem("bob", "十个字的密码就够长了吧"), std::nullopt);
  EXPECT_EQ(accounts::password_problem("bobbobbobbob", "BobBobBobBob"), "password_is_name");
  EXPECT_EQ(accounts::password_problem("bob", std::string(300, 'x')), "password_too_long");
  EXPECT_EQ(accounts::password_problem("bob", "a long enough password"), std::nullopt);
}

TEST(AccountNameTest, NamesAreLowerCaseKeySafeWords) {
  for (const char* ok : {"alice", "li.wei", "staff_01", "a-b"}) EXPECT_TRUE(accounts::valid_name(ok)) << ok;
  for (const char* bad : {"", "Alice", "li wei", "a:b", "{x}", ".hidden", "-x", "名字"})
    EXPECT_FALSE(accounts::valid_name(bad)) << bad;
  EXPECT_FALSE(accounts::valid_name(std::string(65, 'a')));
  EXPECT_TRUE(accounts::valid_role("staff"));
  EXPECT_FALSE(accounts::valid_role("root"));
}

server::Request request_with(std::initializer_list<std::pair<server::http::field, std::string>> headers) {
  server::Request r{server::http::verb::post, "/api/v1/session", 11};
  for (const auto& [k, v] : headers) r.set(k, v);
  return r;
}

TEST(ConsoleHttpTest, TheCookieIsFoundAmongOthers) {
  using server::http::field;
  EXPECT_EQ(handlers::cookie_value(request_with({{field::cookie, "a=1; permit_session=abc; b=2"}}), "permit_session"), "abc");
  EXPECT_EQ(handlers::cookie_value(request_with({{field::cookie, "permit_session=xyz"}}), "permit_session"), "xyz");
  EXPECT_EQ(handlers::cookie_value(request_with({{field::cookie, "xpermit_session=1"}}), "permit_session"), "");
  EXPECT_EQ(handlers::cookie_value(request_with({}), "permit_session"), "");
}

TEST(ConsoleHttpTest, OnlyAnOriginNamingThisHostIsTheSameOrigin) {
  using server::http::field;
  EXPECT_TRUE(handlers::same_origin(request_with({{field::host, "bot:8090"}, {field::origin, "http://bot:8090"}})));
  EXPECT_TRUE(handlers::same_origin(request_with({{field::host, "bot:8090"}, {field::origin, "https://bot:8090"}})));
  EXPECT_FALSE(handlers::same_origin(request_with({{field::host, "bot:8090"}, {field::origin, "http://evil:8090"}})));
  EXPECT_FALSE(handlers::same_origin(request_with({{field::host, "bot:8090"}, {field::origin, "http://xbot:8090"}})));
  EXPECT_FALSE(handlers::same_origin(request_with({{field::host, "bot:8090"}, {field::origin, "null"}})));
  EXPECT_FALSE(handlers::same_origin(request_with({{field::host, "bot:8090"}})));
  EXPECT_FALSE(handlers::same_origin(request_with({{field::origin, "http://bot:8090"}})));
}

TEST(ConsoleFilesTest, AssetsAreCachedForAYearAndEveryAppPathIsTheUncachedIndex) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("console-files-" + std::to_string(::getpid()));
  fs::create_directories(dir / "assets");
  std::ofstream(dir / "index.html") << "<!doctype html><title>x</title>";
  std::ofstream(dir / "assets" / "app-ABC123.js") << "console.log(1)";
  // A file beside the console's folder: a path that climbs out must not reach it.
  const std::string secret = "console-secret-" + std::to_string(::getpid());
  std::ofstream(dir.parent_path() / secret) << "not for the browser";
  const handlers::ConsoleFiles files(dir.string());
  fs::remove_all(dir);
  auto get = [&](const std::string& target) {
    server::Request r{server::http::verb::get, target, 11};
    return files.serve(r);
  };
  auto asset = get("/console/assets/app-ABC123.js");
  EXPECT_EQ(asset.result_int(), 200);
  EXPECT_EQ(asset.body(), "console.log(1)");
  EXPECT_EQ(asset[server::http::field::content_type], "text/javascript; charset=utf-8");
  EXPECT_EQ(asset[server::http::field::cache_control], "public, max-age=31536000, immutable");
  for (const char* app : {"/console", "/console/", "/console/broadcasts/3", "/console/?lang=zh"}) {
    auto index = get(app);
    EXPECT_EQ(index.result_int(), 200) << app;
    EXPECT_EQ(index.body(), "<!doctype html><title>x</title>") << app;
    EXPECT_EQ(index[server::http::field::cache_control], "no-store") << app;
  }
  EXPECT_EQ(get("/console/assets/nothing.js").result_int(), 404);
  for (const std::string& climb : {"/console/../" + secret, "/console/assets/../../" + secret}) {
    auto outside = get(climb);
    EXPECT_EQ(outside.result_int(), 404) << climb;
    EXPECT_EQ(outside.body().find("not for the browser"), std::string::npos) << climb;
  }
  // Not decoded into a climb: a path without a file name's dot is the app.
  EXPECT_EQ(get("/console/%2e%2e/" + secret).body(), "<!doctype html><title>x</title>");
  fs::remove(dir.parent_path() / secret);
  server::Request post{server::http::verb::post, "/console/", 11};
  EXPECT_EQ(files.serve(post).result_int(), 405);
  EXPECT_EQ(handlers::ConsoleFiles("/nonexistent").serve(post).result_int(), 405);
}

TEST(ConsoleHttpTest, SecurityHeadersKeepACacheControlAlreadySet) {
  auto r = server::make_response(server::http::status::ok, "x");
  handlers::AdminGate::add_security_headers(r);
  EXPECT_EQ(r[server::http::field::cache_control], "no-store");
  EXPECT_EQ(r["X-Content-Type-Options"], "nosniff");
  auto asset = server::make_response(server::http::status::ok, "x");
  asset.set(server::http::field::cache_control, "public, max-age=31536000, immutable");
  handlers::AdminGate::add_security_headers(asset);
  EXPECT_EQ(asset[server::http::field::cache_control], "public, max-age=31536000, immutable");
}

}  // namespace
}  // namespace permit
