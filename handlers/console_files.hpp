#pragma once

#include "bot/server/http_types.hpp"

#include <map>
#include <string>

namespace permit::handlers {

// The console's built files (console/ -> build/console-www/), read into memory
// once at start: they are small (well under a megabyte), and a request then
// touches no disk.
//   /console/assets/NAME-HASH.EXT   the file, cached for a year (immutable:
//                                   a new build has new names)
//   /console/ and any other /console/PATH without a dot
//                                   index.html, never cached (the app routes)
class ConsoleFiles {
 public:
  // An empty or missing directory serves 404s that say the console is not built.
  explicit ConsoleFiles(const std::string& directory);

  server::Response serve(const server::Request& request) const;
  std::size_t size() const { return files_.size(); }

 private:
  struct File {
    std::string bytes, type;
  };
  std::map<std::string, File> files_;  // by path below the directory: "index.html", "assets/app-X.js"
};

// The directory holding the built console: PERMIT_BOT_CONSOLE_DIR, or
// "console-www" beside the running binary (build/console-www for
// build/permit-bot), or else ../share/permit-bot/console from it (where
// the Debian package installs it).
std::string default_console_dir();

}  // namespace permit::handlers
