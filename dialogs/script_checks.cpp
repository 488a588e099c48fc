// The checks of one university's script across its parts, which the
// schema cannot express: the walkthrough's graph, and its things' facts.

#include "dialogs/script_reader.hpp"

#include <algorithm>
#include <deque>
#include <set>

namespace permit::dialogs {

// Targets exist, every node is reachable from the start, and conditions
// only test answers some question sets.
void ScriptReader::check_graph(const University& u) {
  const std::string nodes_at = "/walkthrough/nodes/";
  if (!u.nodes.contains(u.start)) error("/walkthrough/start", in_quotes(u.start) + " is not a node");
  std::map<std::string, std::set<std::string>> settable;
  for (const auto& [id, n] : u.nodes)
    for (const auto& o : n.options)
      for (const auto& [var, value] : o.set) settable[var].insert(value);
  auto check_condition = [&](const Condition& c, const std::string& at) {
    for (const auto& [var, value] : c)
      if (!settable[var].contains(value)) error(at, "no question sets " + in_quotes(var) + " to " + in_quotes(value));
  };
  auto check_edges = [&](const std::vector<Edge>& edges, const std::string& at) {
    for (std::size_t i = 0; i < edges.size(); ++i) {
      if (!u.nodes.contains(edges[i].to)) error(at, in_quotes(edges[i].to) + " is not a node");
      check_condition(edges[i].when, at);
    }
    if (!edges.empty() && !edges.back().when.empty()) error(at, "the last edge needs no \"when\", so one always applies");
  };
  for (const auto& [id, n] : u.nodes) {
    std::string at = nodes_at + escape_pointer_token(id);
    check_edges(n.next, at + "/next");
    for (std::size_t i = 0; i < n.options.size(); ++i)
      check_edges(n.options[i].next, at + "/options/" + std::to_string(i) + "/next");
    for (std::size_t i = 0; i < n.bring.size(); ++i) check_condition(n.bring[i].when, at + "/bring/" + std::to_string(i));
  }
  for (std::size_t i = 0; i < u.faq.size(); ++i) check_condition(u.faq[i].situation, "/faq/" + std::to_string(i) + "/situation");
  std::set<std::string> seen{u.start};
  std::deque<std::string> queue{u.start};
  while (!queue.empty()) {
    auto it = u.nodes.find(queue.front());
    queue.pop_front();
    if (it == u.nodes.end()) continue;
    auto visit = [&](const std::vector<Edge>& edges) {
      for (const auto& e : edges)
        if (seen.insert(e.to).second) queue.push_back(e.to);
    };
    visit(it->second.next);
    for (const auto& o : it->second.options) visit(o.next);
  }
  for (const auto& [id, n] : u.nodes)
    if (!seen.contains(id)) error(nodes_at + escape_pointer_token(id), "is not reachable from the start");
}

// Things have unique ids, at most one is the main one, and what points at
// a thing or an FAQ entry in this file finds it.
void ScriptReader::check_things(const University& u) {
  std::set<std::string> ids;
  int mains = 0;
  for (std::size_t i = 0; i < u.things.size(); ++i) {
    const std::string at = "/things/" + std::to_string(i);
    if (!ids.insert(u.things[i].id).second) error(at + "/id", "a second thing " + in_quotes(u.things[i].id));
    if (u.things[i].main && ++mains > 1) error(at + "/main", "only one thing can be the main one");
    for (const auto& [attribute, f] : u.things[i].facts) {
      if (f.faq.empty()) continue;
      // (Captured by name: clang before 16 cannot capture a structured binding.)
      const bool known =
          std::any_of(u.faq.begin(), u.faq.end(), [&faq = f.faq](const Faq& q) { return q.id == faq; });
      if (!known) error(at + "/facts/" + escape_pointer_token(attribute) + "/faq", in_quotes(f.faq) + " is not an FAQ entry here");
    }
    if (const std::string& inside = u.things[i].inside;
        !inside.empty() && std::none_of(u.faq.begin(), u.faq.end(), [&](const Faq& q) { return q.id == inside; }))
      error(at + "/inside", in_quotes(inside) + " is not an FAQ entry here");
  }
  for (std::size_t i = 0; i < u.faq.size(); ++i)
    if (!u.faq[i].about.empty() && !ids.contains(u.faq[i].about))
      error("/faq/" + std::to_string(i) + "/about", in_quotes(u.faq[i].about) + " is not a thing here");
  for (const auto& [list, rules] : {std::pair{"/deadlines/", &u.deadlines}, std::pair{"/expected/", &u.expected}})
    for (std::size_t i = 0; i < rules->size(); ++i)
      if (const std::string& place = (*rules)[i].at; !place.empty() && !ids.contains(place))
        error(list + std::to_string(i) + "/at", in_quotes(place) + " is not a thing here");
  for (const auto& [id, n] : u.nodes)
    if (!n.thing.empty() && !ids.contains(n.thing))
      error("/walkthrough/nodes/" + escape_pointer_token(id) + "/thing", in_quotes(n.thing) + " is not a thing here");
}

}  // namespace permit::dialogs
