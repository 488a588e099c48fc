// The JSON the admins' records are written as, to the letter: a release's
// record is stored in Redis and read back, and the console and tests read
// both as text.

#include "bot/scripts/script_store.hpp"
#include "bot/staff/audit_log.hpp"

#include <gtest/gtest.h>

namespace permit::core {
namespace {

TEST(ReleaseInfoJson, IsWrittenInItsFixedOrderWithTheRollbackTarget) {
  ReleaseInfo info;
  info.release = 3;
  info.kind = "rollback";
  info.author = "ada";
  info.time = "2026-12-05T10:00:00Z";
  info.message = "back to \"the page's\" wording\n";
  info.base = 2;
  info.files = {"cqupt.json", "cqupt.txt"};
  info.rolled_back_to = 1;
  const std::string json = release_info_json(info);
  EXPECT_EQ(json,
            R"({"release":3,"kind":"rollback","author":"ada","time":"2026-12-05T10:00:00Z",)"
            R"("message":"back to \"the page's\" wording\n","base":2,"files":["cqupt.json","cqupt.txt"],)"
            R"("rolled_back_to":1})");
  const ReleaseInfo back = release_info_from_json(json);
  EXPECT_EQ(back.message, info.message);
  EXPECT_EQ(back.files, info.files);
  EXPECT_EQ(back.rolled_back_to, 1);
}

TEST(ReleaseInfoJson, AMigrationIsKeptAsItsOwnJson) {
  ReleaseInfo info;
  info.release = 2;
  info.kind = "publish";
  info.base = 1;
  info.migrate = R"({"cqupt":{"photo":"photos"}})";
  const std::string json = release_info_json(info);
  EXPECT_EQ(json,
            R"({"release":2,"kind":"publish","author":"","time":"","message":"","base":1,"files":[],)"
            R"("migrate":{"cqupt":{"photo":"photos"}}})");
  EXPECT_EQ(release_info_from_json(json).migrate, info.migrate);
}

TEST(AuditJson, ListsTheChainsStateThenEveryEntryInItsFixedOrder) {
  AuditChain chain;
  chain.entries.push_back({"1-0", "ada", "admin", "scripts.publish", "release 2", "b4", "af", "2026-12-05T10:00:00Z",
                           AuditLog::kGenesis, "h1"});
  EXPECT_EQ(audit_json(chain),
            std::string(R"({"chain":{"intact":true,"length":1},"entries":[{"id":"1-0","who":"ada","role":"admin",)"
                        R"("time":"2026-12-05T10:00:00Z","action":"scripts.publish","target":"release 2",)"
                        R"("before":"b4","after":"af","prev":")") +
                AuditLog::kGenesis + R"(","hash":"h1"}]})");
  AuditChain broken;
  broken.intact = false;
  broken.broken_at = "7-0";
  broken.problem = "the log ends before the recorded head";
  EXPECT_EQ(audit_json(broken),
            R"({"chain":{"intact":false,"length":0,"broken_at":"7-0",)"
            R"("problem":"the log ends before the recorded head"},"entries":[]})");
}

}  // namespace
}  // namespace permit::core
