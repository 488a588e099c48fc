#include "bot/scripts/script_store.hpp"

#include "bot/redis/keys.hpp"
#include "bot/redis/lua_script.hpp"
#include "bot/staff/student_states.hpp"
#include "bot/redis/stream_entries.hpp"
#include "bot/util/digest.hpp"
#include "bot/util/json.hpp"

#include <utility>

namespace permit::core {
namespace asio = boost::asio;
using boost::system::result;

namespace {


// KEYS[1] current. ARGV: base, meta JSON, draft key ("" for none), then
// (name, sha, bytes) triples; bytes "" when the blob is already stored.
// Returns {1, new release} or {0, current release}.
const redis::LuaScript kCommit(R"lua(
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if current ~= tonumber(ARGV[1]) then return {0, current} end
local release = current + 1
local prefix = '{scripts}:'  -- keys::kScriptsPrefix
local manifest = prefix .. 'release:' .. release
for i = 4, #ARGV, 3 do
  if ARGV[i + 2] ~= '' then redis.call('SET', prefix .. 'blob:' .. ARGV[i + 1], ARGV[i + 2], 'NX') end
  redis.call('HSET', manifest, ARGV[i], ARGV[i + 1])
end
redis.call('SET', prefix .. 'meta:' .. release, ARGV[2])
redis.call('SET', KEYS[1], release)
if ARGV[3] ~= '' then redis.call('DEL', ARGV[3]) end
redis.call('PUBLISH', prefix .. 'published', release)
return {1, release}
)lua");

// A draft is one hash: file name -> bytes, and its base release under a
// field no file can be named (file names end in .json or .txt).
const std::string kBaseField = "#base";

// KEYS[1] draft. ARGV: name, bytes, base, base field.
const redis::LuaScript kSaveDraft(R"lua(
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('HSETNX', KEYS[1], ARGV[4], ARGV[3])
return 1
)lua");

// KEYS[1] draft. ARGV[1] name. Returns the file's bytes (nil if the draft
// had no such file); the last file gone takes the base with it.
const redis::LuaScript kDiscardDraft(R"lua(
local bytes = redis.call('HGET', KEYS[1], ARGV[1])
if not bytes then return false end
redis.call('HDEL', KEYS[1], ARGV[1])
if redis.call('HLEN', KEYS[1]) <= 1 then redis.call('DEL', KEYS[1]) end
return bytes
)lua");

std::string draft_key(const std::string& author) { return keys::script_draft(author); }

}  // namespace

void write_release_info(util::JsonWriter& w, const ReleaseInfo& i) {
  w.StartObject();
  w.Key("release");
  w.Int64(i.release);
  for (auto [name, value] : {std::pair<const char*, const std::string*>{"kind", &i.kind}, {"author", &i.author},
                             {"time", &i.time}, {"message", &i.message}}) {
    w.Key(name);
    w.String(*value);
  }
  w.Key("base");
  w.Int64(i.base);
  w.Key("files");
  w.StartArray();
  for (const auto& f : i.files) w.String(f);
  w.EndArray();
  if (!i.migrate.empty()) {
    // Checked JSON already (the publish request's own "migrate"), kept as sent.
    w.Key("migrate");
    w.RawValue(i.migrate.data(), i.migrate.size(), rapidjson::kObjectType);
  }
  if (i.rolled_back_to > 0) {
    w.Key("rolled_back_to");
    w.Int64(i.rolled_back_to);
  }
  w.EndObject();
}

std::string release_info_json(const ReleaseInfo& info) {
  return util::write_json([&](util::JsonWriter& w) { write_release_info(w, info); });
}

ReleaseInfo release_info_from_json(const std::string& json) {
  ReleaseInfo i;
  rapidjson::Document doc;
  if (doc.Parse(json.c_str(), json.size()).HasParseError() || !doc.IsObject()) return i;
  auto integer = [&](const char* name) -> std::int64_t {
    return doc.HasMember(name) && doc[name].IsInt64() ? doc[name].GetInt64() : 0;
  };
  i.release = integer("release");
  i.base = integer("base");
  i.rolled_back_to = integer("rolled_back_to");
  i.kind = util::string_field(doc, "kind");
  i.author = util::string_field(doc, "author");
  i.time = util::string_field(doc, "time");
  i.message = util::string_field(doc, "message");
  if (doc.HasMember("files") && doc["files"].IsArray())
    for (const auto& f : doc["files"].GetArray())
      if (f.IsString()) i.files.emplace_back(f.GetString(), f.GetStringLength());
  if (doc.HasMember("migrate") && doc["migrate"].IsObject()) i.migrate = util::to_json(doc["migrate"]);
  return i;
}

std::string ScriptStore::manifest_hash(const std::map<std::string, std::string>& manifest) {
  std::string lines;
  for (const auto& [name, sha] : manifest) lines += name + " " + sha + "\n";
  return util::sha256_hex(lines);
}

asio::awaitable<result<std::int64_t>> ScriptStore::current() {
  std::vector<std::string> get{"GET", keys::kScriptsCurrent};
  auto r = co_await redis_.exec(std::move(get));
  if (!r) co_return r.error();
  if (r->is_error()) co_return redis::Error::unexpected_reply;
  co_return redis::to_int(*r).value_or(0);
}

asio::awaitable<result<std::map<std::string, std::string>>> ScriptStore::manifest(std::int64_t release) {
  std::vector<std::string> all{"HGETALL", keys::script_release(std::to_string(release))};
  auto r = co_await redis_.exec(std::move(all));
  if (!r) co_return r.error();
  if (!r->is_array()) co_return redis::Error::unexpected_reply;
  std::map<std::string, std::string> out;
  redis::add_fields(*r, out);
  co_return out;
}

asio::awaitable<result<std::optional<Files>>> ScriptStore::files(std::int64_t release) {
  auto names = co_await manifest(release);
  if (!names) co_return names.error();
  if (names->empty()) co_return std::nullopt;
  std::vector<std::string> get{"MGET"};
  for (const auto& [name, sha] : *names) get.push_back(keys::script_blob(sha));
  auto blobs = co_await redis_.exec(std::move(get));
  if (!blobs) co_return blobs.error();
  if (!blobs->is_array() || blobs->elements.size() != names->size()) co_return redis::Error::unexpected_reply;
  Files out;
  std::size_t i = 0;
  for (const auto& [name, sha] : *names) {
    const auto& blob = blobs->elements[i++];
    if (!blob.is_string()) co_return redis::Error::unexpected_reply;  // a release never loses a file
    out[name] = blob.str;
  }
  co_return out;
}

asio::awaitable<result<std::optional<ReleaseInfo>>> ScriptStore::info(std::int64_t release) {
  std::vector<std::string> get{"GET", keys::script_meta(std::to_string(release))};
  auto r = co_await redis_.exec(std::move(get));
  if (!r) co_return r.error();
  if (!r->is_string()) co_return std::nullopt;
  co_return release_info_from_json(r->str);
}

asio::awaitable<result<std::vector<ReleaseInfo>>> ScriptStore::history() {
  auto now = co_await current();
  if (!now) co_return now.error();
  std::vector<ReleaseInfo> out;
  if (*now == 0) co_return out;
  std::vector<std::string> get{"MGET"};
  for (std::int64_t n = *now; n >= 1; --n) get.push_back(keys::script_meta(std::to_string(n)));
  auto r = co_await redis_.exec(std::move(get));
  if (!r) co_return r.error();
  if (!r->is_array()) co_return redis::Error::unexpected_reply;
  for (const auto& v : r->elements)
    if (v.is_string()) out.push_back(release_info_from_json(v.str));
  co_return out;
}

asio::awaitable<result<Draft>> ScriptStore::draft(const std::string& author) {
  std::vector<std::string> all{"HGETALL", draft_key(author)};
  auto fields = co_await redis_.exec(std::move(all));
  if (!fields) co_return fields.error();
  if (!fields->is_array()) co_return redis::Error::unexpected_reply;
  Draft d;
  redis::add_fields(*fields, d.files);
  std::int64_t base = 0;
  if (auto field = d.files.extract(kBaseField)) base = redis::to_int(field.mapped()).value_or(0);
  d.base = d.files.empty() ? 0 : base;
  co_return d;
}

asio::awaitable<result<void>> ScriptStore::save_draft(const std::string& author, const std::string& name,
                                                      const std::string& bytes, std::int64_t base) {
  std::vector<std::string> keys{draft_key(author)};
  std::vector<std::string> args{name, bytes, std::to_string(base), kBaseField};
  auto r = co_await redis_.eval(kSaveDraft, std::move(keys), std::move(args));
  if (!r) co_return r.error();
  if (r->is_error()) co_return redis::Error::unexpected_reply;
  co_return result<void>();
}

asio::awaitable<result<std::optional<std::string>>> ScriptStore::discard_draft(const std::string& author,
                                                                               const std::string& name) {
  std::vector<std::string> keys{draft_key(author)};
  std::vector<std::string> args{name};
  auto r = co_await redis_.eval(kDiscardDraft, std::move(keys), std::move(args));
  if (!r) co_return r.error();
  if (r->is_error()) co_return redis::Error::unexpected_reply;
  if (r->is_nil()) co_return std::optional<std::string>{};
  co_return std::optional<std::string>{std::move(r->str)};
}

asio::awaitable<result<std::map<std::string, std::int64_t>>> ScriptStore::stranded(const dialogs::Migration& migration,
                                                                                   const dialogs::Engine& target,
                                                                                   std::int64_t release) {
  std::map<std::string, std::int64_t> out;
  auto walked = co_await for_each_student_state(redis_, [&](dialogs::StudentState st) {
    if (st.release == 0 || st.release >= release || st.node.empty() || !migration.covers(st.university)) return;
    const std::string node = st.university + ":" + st.node;
    if (!dialogs::migrate(st, &migration, target)) ++out[node];
  });
  if (!walked) co_return walked.error();
  co_return out;
}

asio::awaitable<result<ScriptStore::Commit>> ScriptStore::commit(std::int64_t base, const Files& files,
                                                                 ReleaseInfo info, const std::string& drafted_by) {
  auto known = co_await manifest(base);
  if (!known) co_return known.error();
  info.release = base + 1;
  info.base = base;
  std::vector<std::string> args{std::to_string(base), "", drafted_by.empty() ? "" : draft_key(drafted_by)};
  std::map<std::string, std::string> manifest;
  for (const auto& [name, bytes] : files) {
    const std::string sha = util::sha256_hex(bytes);
    manifest[name] = sha;
    auto was = known->find(name);
    const bool stored = was != known->end() && was->second == sha;
    if (!stored && info.kind != "rollback") info.files.push_back(name);
    args.push_back(name);
    args.push_back(sha);
    args.push_back(stored ? "" : bytes);
  }
  args[1] = release_info_json(info);
  std::vector<std::string> keys{keys::kScriptsCurrent};
  auto r = co_await redis_.eval(kCommit, std::move(keys), std::move(args));
  if (!r) co_return r.error();
  if (!r->is_array() || r->elements.size() != 2) co_return redis::Error::unexpected_reply;
  co_return Commit{r->elements[0].integer == 0, r->elements[1].integer, manifest_hash(*known), manifest_hash(manifest)};
}

}  // namespace permit::core
