#include "bot/scripts/script_reader.hpp"

#include "bot/util/digest.hpp"
#include "bot/util/text_diff.hpp"

namespace permit::core {
namespace asio = boost::asio;
using boost::system::result;

asio::awaitable<result<ScriptReader::Overview>> ScriptReader::overview(std::string author) {
  auto current = co_await store_.current();
  if (!current) co_return current.error();
  auto manifest = co_await store_.manifest(*current);
  if (!manifest) co_return manifest.error();
  auto draft = co_await store_.draft(author);
  if (!draft) co_return draft.error();
  Overview out;
  out.release = *current;
  out.files = std::move(*manifest);
  out.draft_base = draft->base;
  for (const auto& [name, bytes] : draft->files) out.drafted[name] = util::sha256_hex(bytes);
  co_return out;
}

asio::awaitable<result<std::optional<ScriptReader::ReleaseFiles>>> ScriptReader::release_files(std::int64_t release) {
  if (release == 0) {
    auto current = co_await store_.current();
    if (!current) co_return current.error();
    release = *current;
  }
  auto files = co_await store_.files(release);
  if (!files) co_return files.error();
  if (!*files) co_return std::optional<ReleaseFiles>();
  co_return std::optional<ReleaseFiles>(ReleaseFiles{release, std::move(**files)});
}

asio::awaitable<result<std::optional<std::string>>> ScriptReader::drafted(std::string author, std::string name) {
  auto draft = co_await store_.draft(author);
  if (!draft) co_return draft.error();
  auto mine = draft->files.find(name);
  if (mine == draft->files.end()) co_return std::optional<std::string>();
  co_return std::optional<std::string>(std::move(mine->second));
}

asio::awaitable<result<std::optional<std::string>>> ScriptReader::draft_diff(std::string author, std::string name) {
  auto mine = co_await drafted(author, name);
  if (!mine || !*mine) co_return mine;
  auto current = co_await store_.current();
  if (!current) co_return current.error();
  auto published = co_await store_.files(*current);
  if (!published) co_return published.error();
  std::string before;
  if (*published)
    if (auto it = (*published)->find(name); it != (*published)->end()) before = it->second;
  const std::string label = "release " + std::to_string(*current);
  co_return std::optional<std::string>(
      util::unified_diff(before, **mine, name + " (" + label + ")", name + " (draft)"));
}

}  // namespace permit::core
