// dialogs/dates: find_dates, find_date, find_relative_dates,
// find_time_of_day and parse_iso on a student's text. The first two bytes
// choose "today" (a day within 2000..2089), so that dates without a year
// are read too.

#include "dialogs/dates.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace {

using namespace std::chrono;
using permit::dialogs::Date;
using permit::dialogs::DateFound;

void check(const DateFound& d, std::string_view text) {
  if (d.begin > d.end || d.end > text.size()) std::abort();
  if (d.status == DateFound::Status::found && !d.date.ok()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const int day_number = (data[0] << 8 | data[1]) % (90 * 366);
  const Date today{sys_days{year{2000} / January / 1} + days{day_number}};
  const std::string_view text(reinterpret_cast<const char*>(data) + 2, size - 2);

  for (const auto& d : permit::dialogs::find_dates(text)) check(d, text);
  for (const auto& d : permit::dialogs::find_dates(text, today)) check(d, text);
  for (const auto& d : permit::dialogs::find_relative_dates(text, today)) check(d, text);
  check(permit::dialogs::find_date(text, today), text);
  if (auto t = permit::dialogs::find_time_of_day(text); t && (*t < minutes{0} || *t >= hours{24})) std::abort();
  // parse_iso takes exactly what iso() writes.
  if (auto d = permit::dialogs::parse_iso(text)) {
    if (!d->ok() || permit::dialogs::iso(*d) != text) std::abort();
  }
  return 0;
}
