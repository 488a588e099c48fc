// bench-ranker-compare: the same JSNU + common FAQ entries indexed in Xapian
// (in-memory database, English stemmer, CJK n-grams) and in the engine's own
// BM25 ranker; prints each one's top entry for a few questions and the
// median time per query. Built only where libxapian-dev is installed.
//
//   build/bench-ranker-compare [SCRIPTS_DIR]

#include <xapian.h>
#include "dialogs/engine.hpp"
#include "dialogs/script_loader.hpp"
#include <chrono>
#include <cstdio>
#include <algorithm>
using namespace permit::dialogs;
int main(int argc, char** argv) {
  auto loaded = load_scripts(argc > 1 ? argv[1] : "dialogs/scripts");
  if (!loaded.scripts) return 1;
  const auto& s = *loaded.scripts;
  const University* jsnu = nullptr;
  for (auto& u : s.universities) if (u.id == "jsnu") jsnu = &u;
  Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
  Xapian::TermGenerator tg; tg.set_stemmer(Xapian::Stem("en")); tg.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
  auto add = [&](const Faq& f) { Xapian::Document d; tg.set_document(d);
    std::string t = f.topic.en + "\n" + f.topic.zh + "\n" + f.answer.en + "\n" + f.answer.zh; for (auto& q : f.questions) t += "\n" + q;
    tg.index_text(t); d.set_data(f.id); db.add_document(d); };
  for (auto& f : jsnu->faq) add(f);
  for (auto& f : s.common.faq) add(f);
  db.commit();
  Xapian::QueryParser qp; qp.set_stemmer(Xapian::Stem("en")); qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME); qp.set_database(db);
  const char* qs[] = {"How early do I have to apply for the extension?", "护照丢了怎么办？", "what is the fine for overstaying", "can I work part-time"};
  std::vector<double> times;
  Engine engine(std::move(*loaded.scripts));
  std::vector<double> ours;
  for (int r = 0; r < 3000; ++r) for (auto q : qs) {
    auto t0 = std::chrono::steady_clock::now();
    Xapian::Enquire e(db); e.set_query(qp.parse_query(q, Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_CJK_NGRAM));
    auto m = e.get_mset(0, 3);
    auto t1 = std::chrono::steady_clock::now();
    auto h = engine.rank("jsnu", q, 3);
    auto t2 = std::chrono::steady_clock::now();
    if (r == 0) std::printf("%s -> xapian %s | ours %s\n", q, m.empty() ? "-" : m.begin().get_document().get_data().c_str(), h.empty() ? "-" : h[0].faq->id.c_str());
    times.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
    ours.push_back(std::chrono::duration<double, std::micro>(t2 - t1).count());
  }
  std::sort(times.begin(), times.end()); std::sort(ours.begin(), ours.end());
  std::printf("xapian median %.2f us, ours (bm25+libstemmer) median %.2f us\n", times[times.size()/2], ours[ours.size()/2]);
}
