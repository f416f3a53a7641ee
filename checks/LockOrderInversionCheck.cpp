//===--- LockOrderInversionCheck.cpp - threadlint -------------------------===//
#include "LockOrderInversionCheck.h"
#include "model/LockGraph.h"
#include "model/LockOrder.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include <set>

using namespace clang::ast_matchers;

namespace clang::tidy::threadlint {

LockOrderInversionCheck::LockOrderInversionCheck(StringRef Name,
                                                 ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context), ModelOpts(ModelOptions::read(Options)),
      MaxCycleLength(Options.get("MaxCycleLength", 6U)),
      Verbose(Options.get("Verbose", false)) {}

void LockOrderInversionCheck::storeOptions(ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "MaxCycleLength", MaxCycleLength);
  ModelOpts.store(Options, Opts);
  Options.store(Opts, "Verbose", Verbose);
}

void LockOrderInversionCheck::registerMatchers(MatchFinder *Finder) {
  Finder->addMatcher(translationUnitDecl().bind("tu"), this);
}

void LockOrderInversionCheck::check(const MatchFinder::MatchResult &Result) {
  Context = Result.Context;
}

namespace {
bool isMain(const FunctionDecl *FD) { return FD && FD->isMain(); }
} // namespace

void LockOrderInversionCheck::onEndOfTranslationUnit() {
  if (!Context)
    return;
  ASTContext &Ctx = *Context;
  Context = nullptr;
  ConcurrencyModel &M = ConcurrencyModel::get(Ctx, ModelOpts, Model);
  LockOrderModel &Orders = M.lockOrder();

  // The orders that may happen while other threads run: not self-edges
  // (threadlint-double-lock), not orders taken only before the function
  // that takes them starts its first thread.
  std::vector<const OrderEdge *> Edges;
  for (const OrderEdge &E : Orders.edges()) {
    if (LockOrderModel::orderIdentity(E.From.Key) ==
        LockOrderModel::orderIdentity(E.To.Key))
      continue;
    const FunctionDecl *In = E.whenIn();
    llvm::SmallVector<unsigned, 4> Spawns = M.spawnsIn(In);
    if (!Spawns.empty() && llvm::all_of(Spawns, [&](unsigned S) {
          return M.isBeforeSpawn(E.when(), S, In);
        }))
      continue;
    Edges.push_back(&E);
  }

  if (std::vector<LockOrderEdge> *Out = lockEdgeCollector())
    for (const OrderEdge *E : Edges) {
      LockOrderEdge X;
      if (Orders.exportEdge(*E, X))
        Out->push_back(std::move(X));
    }

  std::vector<std::pair<std::string, std::string>> Pairs;
  Pairs.reserve(Edges.size());
  for (const OrderEdge *E : Edges)
    Pairs.emplace_back(LockOrderModel::orderIdentity(E->From.Key),
                       LockOrderModel::orderIdentity(E->To.Key));
  const SourceManager &SM = Ctx.getSourceManager();
  std::set<std::pair<unsigned, std::string>> Reported;
  for (const std::vector<size_t> &Cycle :
       findLockCycles(Pairs, MaxCycleLength)) {
    std::vector<const OrderEdge *> Es;
    Es.reserve(Cycle.size());
    for (size_t I : Cycle)
      Es.push_back(Edges[I]);
    // A deadlock needs every order of the cycle on a thread of its own, all
    // at once: no two of them may be ordered (a spawn, a join, a hand-off,
    // a lock both hold, one thread running both).
    bool Ordered = false;
    for (size_t I = 0; I < Es.size() && !Ordered; ++I)
      for (size_t J = I + 1; J < Es.size() && !Ordered; ++J)
        Ordered = M.order(Es[I]->when(), Es[J]->when(), Es[I]->whenIn(),
                          Es[J]->whenIn()) ==
                  ConcurrencyModel::Order::Ordered;
    if (Ordered)
      continue;
    // main() runs once: orders that are all its own need another thread.
    if (llvm::all_of(Es, [](const OrderEdge *E) {
          return isMain(E->whenIn());
        }))
      continue;

    std::vector<LockOrderEdge> Described;
    Described.reserve(Es.size());
    for (const OrderEdge *E : Es)
      Described.push_back(Orders.describe(*E));
    std::vector<const LockOrderEdge *> Ptrs;
    Ptrs.reserve(Described.size());
    for (const LockOrderEdge &D : Described)
      Ptrs.push_back(&D);
    size_t Closing = closingEdge(Ptrs);
    const OrderEdge &C = *Es[Closing];
    SourceLocation Loc = SM.getFileLoc(C.To.Site->getBeginLoc());
    std::string Message = lockCycleMessage(Ptrs, Closing);
    if (!Reported.emplace(Loc.getRawEncoding(), Message).second)
      continue;
    diag(Loc, Message);
    // Notes in the order the other threads take the locks, the closing
    // edge last.
    for (size_t K = 1; K <= Es.size(); ++K) {
      size_t I = (Closing + K) % Es.size();
      const OrderEdge &E = *Es[I];
      diag(SM.getFileLoc(E.From.Site->getBeginLoc()),
           lockHeldNote(Described[I]), DiagnosticIDs::Note);
      diag(SM.getFileLoc(E.To.Site->getBeginLoc()),
           lockTakenNote(Described[I]), DiagnosticIDs::Note);
      if (E.Call)
        diag(SM.getFileLoc(E.Call->getBeginLoc()),
             "in this call to '%0', which takes '%1' then '%2'",
             DiagnosticIDs::Note)
            << LockOrderModel::functionName(E.Frame) << E.From.Name
            << E.To.Name;
    }
  }
  if (Verbose && Model)
    for (const ConcurrencyModel::Remark &R : Model->remarks())
      diag(R.Loc, R.Text, DiagnosticIDs::Remark);
  Model.reset();
}

} // namespace clang::tidy::threadlint
