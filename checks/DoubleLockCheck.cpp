//===--- DoubleLockCheck.cpp - threadlint ---------------------------------===//
#include "DoubleLockCheck.h"
#include "model/LockOrder.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include <set>

using namespace clang::ast_matchers;

namespace clang::tidy::threadlint {

DoubleLockCheck::DoubleLockCheck(StringRef Name, ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context), ModelOpts(ModelOptions::read(Options)),
      ReportSharedTwice(Options.get("ReportSharedTwice", false)) {}

void DoubleLockCheck::storeOptions(ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "ReportSharedTwice", ReportSharedTwice);
  ModelOpts.store(Options, Opts);
}

void DoubleLockCheck::registerMatchers(MatchFinder *Finder) {
  Finder->addMatcher(translationUnitDecl().bind("tu"), this);
}

void DoubleLockCheck::check(const MatchFinder::MatchResult &Result) {
  Context = Result.Context;
}

void DoubleLockCheck::onEndOfTranslationUnit() {
  if (!Context)
    return;
  ASTContext &Ctx = *Context;
  Context = nullptr;
  ConcurrencyModel &M = ConcurrencyModel::get(Ctx, ModelOpts, Model);
  LockOrderModel &Orders = M.lockOrder();
  const SourceManager &SM = Ctx.getSourceManager();
  // Once per held acquisition and mutex: the first relock deadlocks.
  std::set<std::pair<unsigned, std::string>> Reported;
  for (const OrderEdge &E : Orders.edges()) {
    if (E.From.Key != E.To.Key || E.To.Try)
      continue;
    // Through a callee, only a relock on every path of it: a callee that
    // locks under a flag (`if (!is_locked) mu_.Lock();`) is called locked
    // with the flag set.
    if (!E.To.Via.empty() && E.To.Conditional)
      continue;
    // Two reader locks of a shared mutex may both be granted.
    if (E.From.Shared && E.To.Shared && !ReportSharedTwice)
      continue;
    if (Orders.mayBeRecursive(E.From.Object) ||
        Orders.mayBeRecursive(E.To.Object))
      continue;
    SourceLocation Loc = SM.getFileLoc(E.To.Site->getBeginLoc());
    SourceLocation HeldLoc = SM.getFileLoc(E.From.Site->getBeginLoc());
    if (!Reported.emplace(HeldLoc.getRawEncoding(), E.To.Name).second)
      continue;
    if (E.To.Via.empty())
      diag(Loc, "'%0' is locked while this thread already holds it; a "
                "non-recursive mutex locked twice deadlocks")
          << E.To.Name;
    else
      diag(Loc, "'%0' is locked again in '%1' while this thread already "
                "holds it; a non-recursive mutex locked twice deadlocks")
          << E.To.Name << E.To.Via;
    diag(SM.getFileLoc(E.From.Site->getBeginLoc()), "'%0' acquired here",
         DiagnosticIDs::Note)
        << E.From.Name;
    if (!E.To.Via.empty() && E.To.Inner && E.To.Inner != E.To.Site)
      diag(SM.getFileLoc(E.To.Inner->getBeginLoc()),
           "acquired again here, in '%0'", DiagnosticIDs::Note)
          << LockOrderModel::functionName(E.To.InnerIn);
    if (E.Call)
      diag(SM.getFileLoc(E.Call->getBeginLoc()),
           "in this call to '%0', where both name '%1'", DiagnosticIDs::Note)
          << LockOrderModel::functionName(E.Frame) << E.To.Name;
  }
  Model.reset();
}

} // namespace clang::tidy::threadlint
