//===--- LockGraph.cpp - lock-order edges and their cycles ----------------===//

#include "model/LockGraph.h"
#include "llvm/ADT/StringMap.h"
#include <algorithm>
#include <map>
#include <tuple>

namespace clang::tidy::threadlint {

namespace {
llvm::json::Value siteToJson(const LockSite &S) {
  return llvm::json::Object{{"file", S.File},
                            {"offset", S.Offset},
                            {"line", S.Line},
                            {"column", S.Column}};
}

bool siteFromJson(const llvm::json::Object *O, LockSite &S) {
  if (!O)
    return false;
  auto File = O->getString("file");
  auto Offset = O->getInteger("offset");
  auto Line = O->getInteger("line");
  auto Column = O->getInteger("column");
  if (!File || !Offset || !Line || !Column || *Offset < 0 || *Line < 0 ||
      *Column < 0)
    return false;
  S.File = File->str();
  S.Offset = static_cast<unsigned>(*Offset);
  S.Line = static_cast<unsigned>(*Line);
  S.Column = static_cast<unsigned>(*Column);
  return true;
}

std::vector<LockOrderEdge> *Collector = nullptr;
} // namespace

llvm::json::Value lockEdgeToJson(const LockOrderEdge &E) {
  return llvm::json::Object{
      {"from", E.From},           {"to", E.To},
      {"fromName", E.FromName},   {"toName", E.ToName},
      {"held", siteToJson(E.Held)}, {"taken", siteToJson(E.Taken)},
      {"call", siteToJson(E.Call)},
      {"function", E.Function},   {"via", E.Via},
      {"unit", E.Unit}};
}

bool lockEdgeFromJson(const llvm::json::Value &V, LockOrderEdge &E) {
  const llvm::json::Object *O = V.getAsObject();
  if (!O)
    return false;
  auto Str = [&](llvm::StringRef Key, std::string &Out) {
    auto S = O->getString(Key);
    if (!S)
      return false;
    Out = S->str();
    return true;
  };
  return Str("from", E.From) && Str("to", E.To) &&
         Str("fromName", E.FromName) && Str("toName", E.ToName) &&
         Str("function", E.Function) && Str("via", E.Via) &&
         Str("unit", E.Unit) && siteFromJson(O->getObject("held"), E.Held) &&
         siteFromJson(O->getObject("taken"), E.Taken) &&
         (!O->getObject("call") || siteFromJson(O->getObject("call"), E.Call));
}

std::vector<std::vector<size_t>>
findLockCycles(llvm::ArrayRef<std::pair<std::string, std::string>> Edges,
               unsigned MaxLength, unsigned MaxCycles) {
  // Nodes numbered in sorted order, so that a cycle's first node is the
  // same whatever order the edges came in.
  std::map<std::string, unsigned> Index;
  for (const auto &[From, To] : Edges) {
    Index.emplace(From, 0);
    Index.emplace(To, 0);
  }
  unsigned N = 0;
  for (auto &Entry : Index)
    Entry.second = N++;
  // Adjacency over distinct pairs: (target, first edge index).
  std::vector<std::vector<std::pair<unsigned, size_t>>> Out(N);
  for (size_t I = 0; I < Edges.size(); ++I) {
    unsigned A = Index[Edges[I].first], B = Index[Edges[I].second];
    auto &Succ = Out[A];
    if (llvm::none_of(Succ, [&](const auto &P) { return P.first == B; }))
      Succ.emplace_back(B, I);
  }

  std::vector<std::vector<size_t>> Cycles;
  // Each cycle is found once: from its smallest node, through larger ones.
  std::vector<size_t> Path;
  std::vector<bool> OnPath(N, false);
  unsigned Steps = 0;
  const unsigned MaxSteps = 200000; // bound the search on dense graphs
  for (unsigned Start = 0; Start < N && Cycles.size() < MaxCycles; ++Start) {
    // Iterative DFS: a stack of (node, next successor to try).
    std::vector<std::pair<unsigned, size_t>> Stack{{Start, 0}};
    OnPath[Start] = true;
    while (!Stack.empty() && Cycles.size() < MaxCycles && Steps < MaxSteps) {
      ++Steps;
      auto &[Node, Next] = Stack.back();
      if (Next == Out[Node].size()) {
        OnPath[Node] = false;
        Stack.pop_back();
        if (!Path.empty())
          Path.pop_back();
        continue;
      }
      auto [To, Edge] = Out[Node][Next++];
      if (To == Start) {
        std::vector<size_t> Cycle = Path;
        Cycle.push_back(Edge);
        Cycles.push_back(std::move(Cycle));
        continue;
      }
      if (To < Start || OnPath[To] || Stack.size() >= MaxLength)
        continue;
      OnPath[To] = true;
      Path.push_back(Edge);
      Stack.emplace_back(To, 0);
    }
    for (auto &[Node, Next] : Stack)
      OnPath[Node] = false;
    Path.clear();
  }
  return Cycles;
}

size_t closingEdge(llvm::ArrayRef<const LockOrderEdge *> Cycle) {
  size_t Best = 0;
  auto Rank = [&](size_t I) {
    const LockOrderEdge &E = *Cycle[I];
    return std::tie(E.Taken.File, E.Taken.Offset, E.Call.File, E.Call.Offset);
  };
  for (size_t I = 1; I < Cycle.size(); ++I)
    if (Rank(I) > Rank(Best))
      Best = I;
  return Best;
}

std::string lockCycleMessage(llvm::ArrayRef<const LockOrderEdge *> Cycle,
                             size_t Closing) {
  const LockOrderEdge &C = *Cycle[Closing];
  std::string Order;
  // The cycle as the other threads take it: starting after the closing
  // edge, so it reads From ... -> To, the reverse of what closes it.
  for (size_t I = 1; I < Cycle.size(); ++I) {
    const LockOrderEdge &E = *Cycle[(Closing + I) % Cycle.size()];
    Order += "'" + E.FromName + "' -> ";
  }
  Order += "'" + C.FromName + "'";
  if (Cycle.size() == 1 && C.From == C.To)
    return "'" + C.ToName + "' acquired while holding '" + C.FromName +
           "' of another object of the same class; threads passing the "
           "objects in the other order can deadlock";
  return "'" + C.ToName + "' acquired while holding '" + C.FromName +
         "', the reverse of the order taken elsewhere (" + Order +
         "); threads taking both orders can deadlock";
}

std::string lockHeldNote(const LockOrderEdge &E) {
  return "'" + E.FromName + "' acquired here";
}

std::string lockTakenNote(const LockOrderEdge &E) {
  std::string Note = "'" + E.ToName + "' acquired here while '" +
                     E.FromName + "' is held";
  if (!E.Via.empty())
    Note += ", in '" + E.Via + "'";
  return Note;
}

void setLockEdgeCollector(std::vector<LockOrderEdge> *C) { Collector = C; }
std::vector<LockOrderEdge> *lockEdgeCollector() { return Collector; }

} // namespace clang::tidy::threadlint
