#include "handlers/console_files.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace permit::handlers {
namespace fs = std::filesystem;
using server::http::status;

namespace {

std::string type_of(const fs::path& p) {
  const std::string ext = p.extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".json") return "application/json";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".woff2") return "font/woff2";
  return "application/octet-stream";
}

}  // namespace

ConsoleFiles::ConsoleFiles(const std::string& directory) {
  std::error_code ec;
  if (directory.empty() || !fs::is_directory(directory, ec)) return;
  for (auto it = fs::recursive_directory_iterator(directory, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (!it->is_regular_file(ec) || it->path().extension() == ".map") continue;
    std::ifstream in(it->path(), std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    files_[fs::relative(it->path(), directory, ec).generic_string()] = File{bytes.str(), type_of(it->path())};
  }
}

server::Response ConsoleFiles::serve(const server::Request& request) const {
  const unsigned version = request.version();
  if (request.method() != server::http::verb::get)
    return server::make_response(status::method_not_allowed, "method not allowed\n", version);
  std::string_view path = server::target_path(request.target());
  path.remove_prefix(std::min<std::size_t>(path.size(), std::string_view("/console").size()));
  while (path.starts_with("/")) path.remove_prefix(1);
  const bool asset = path.find('.') != std::string_view::npos;
  const std::string name = asset ? std::string(path) : "index.html";
  auto it = files_.find(name);
  if (it == files_.end() || name.find("..") != std::string::npos) {
    auto missing = files_.empty() ? "the console is not built: run cmake --build build\n" : "not found\n";
    return server::make_response(status::not_found, missing, version);
  }
  auto answer = server::make_response(status::ok, it->second.bytes, version, it->second.type);
  // Hashed names change with their content; index.html names them, so it
  // must always be fetched anew.
  answer.set(server::http::field::cache_control,
             name.starts_with("assets/") ? "public, max-age=31536000, immutable" : "no-store");
  return answer;
}

std::string default_console_dir() {
  if (const char* dir = std::getenv("PERMIT_BOT_CONSOLE_DIR"); dir != nullptr) return dir;
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return "";
  // A build: build/console-www beside build/permit-bot. Installed by the
  // Debian package: /usr/share/permit-bot/console for /usr/bin/permit-bot.
  const fs::path beside = self.parent_path() / "console-www";
  if (fs::is_directory(beside, ec)) return beside.string();
  return (self.parent_path().parent_path() / "share" / "permit-bot" / "console").string();
}

}  // namespace permit::handlers
