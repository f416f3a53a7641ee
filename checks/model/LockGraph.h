//===--- LockGraph.h - lock-order edges and their cycles --------*- C++ -*-===//
//
// The lock-order graph shared by threadlint-lock-order-inversion (one
// translation unit) and the threadlint command (a whole project, or the
// shards of one joined by `threadlint merge`). An edge says "a thread took
// To while holding From". A cycle of edges (A→B here, B→A there) is a lock
// order two threads can deadlock on.
//
// Lock identities that cross translation units are names, not declarations:
// a global or namespace-scope mutex is its qualified name (`::g_mu`,
// `::db::Registry::mu`); a member mutex locked through `this` (or through
// any object of its class) is `Class::member` with the class qualified
// (`::Account::mu`). A mutex with internal linkage (a `static` global, one in
// an anonymous namespace) is named with its file, so two translation units
// never share it. Identities of locals and parameters never leave their
// translation unit.
//
// Within a translation unit the check builds edges with its own keys; the
// exported copy (LockOrderEdge) carries the names above and the file, line
// and column of both acquisitions, so the driver can report a cycle whose
// edges come from several files with a note at each.
//
//===----------------------------------------------------------------------===//
#ifndef THREADLINT_CHECKS_MODEL_LOCKGRAPH_H
#define THREADLINT_CHECKS_MODEL_LOCKGRAPH_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/JSON.h"
#include <string>
#include <utility>
#include <vector>

namespace clang::tidy::threadlint {

/// A place in a source file.
struct LockSite {
  std::string File; ///< absolute path
  unsigned Offset = 0;
  unsigned Line = 0;
  unsigned Column = 0;
};

/// "While holding From (acquired at Held), the thread took To (at Taken)."
struct LockOrderEdge {
  std::string From, To;         ///< identities (see the file comment)
  std::string FromName, ToName; ///< as the code spells them, for messages
  LockSite Held;                ///< where From was acquired
  LockSite Taken;               ///< where To is taken (or the call that takes it)
  /// When both locks are a callee's, named here by a call's arguments or
  /// object: that call (File empty otherwise).
  LockSite Call;
  /// The function the order occurs in, qualified ("Bank::audit").
  std::string Function;
  /// How To is reached from Taken when it is taken in a callee: the chain
  /// of callees ("Bank::deposit -> Account::lock"), else "".
  std::string Via;
  /// The translation unit (main file) the edge was found in; set by the
  /// driver, "" inside one translation unit.
  std::string Unit;
};

llvm::json::Value lockEdgeToJson(const LockOrderEdge &E);
/// False when \p V is not an edge written by lockEdgeToJson.
bool lockEdgeFromJson(const llvm::json::Value &V, LockOrderEdge &E);

/// The simple cycles of the graph whose edge I goes from Edges[I].first to
/// Edges[I].second, each given as edge indices in order around the cycle.
/// Parallel edges (the same pair twice) count once: the first is used. A
/// self-edge (A→A) is a cycle of one. Cycles longer than \p MaxLength are
/// not searched and at most \p MaxCycles are returned. Each cycle is
/// returned once, starting with an edge out of the node that sorts first.
std::vector<std::vector<size_t>>
findLockCycles(llvm::ArrayRef<std::pair<std::string, std::string>> Edges,
               unsigned MaxLength = 6, unsigned MaxCycles = 256);

/// The edge of \p Cycle the warning goes on: the one whose Taken site comes
/// last (by file, then offset; then by Call). Index into \p Cycle.
size_t closingEdge(llvm::ArrayRef<const LockOrderEdge *> Cycle);

/// The warning for a cycle closed by \p Cycle[Closing]:
/// "'a' acquired while holding 'b', the reverse of the order taken elsewhere
/// ('a' -> 'b'); threads taking both orders can deadlock".
std::string lockCycleMessage(llvm::ArrayRef<const LockOrderEdge *> Cycle,
                             size_t Closing);

/// The two notes of one edge: at Held "'a' acquired here", and at Taken
/// "'b' acquired here while 'a' is held" (", in 'f'" when Via says so).
std::string lockHeldNote(const LockOrderEdge &E);
std::string lockTakenNote(const LockOrderEdge &E);

/// Where a threadlint worker collects the exported edges of the translation
/// unit it analyses. The check appends to it at the end of each translation
/// unit when one is installed (the plugin and clangd install none).
void setLockEdgeCollector(std::vector<LockOrderEdge> *Collector);
std::vector<LockOrderEdge> *lockEdgeCollector();

} // namespace clang::tidy::threadlint

#endif
