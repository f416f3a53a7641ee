//===--- LockAcrossBlockingCallCheck.cpp - threadlint ---------------------===//
#include "LockAcrossBlockingCallCheck.h"
#include "model/AstHelpers.h"
#include "model/ConcurrencyModel.h"
#include "model/OptionLists.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang::ast_matchers;

namespace clang::tidy::threadlint {

namespace {

/// The calls and constructions of a body, in source order, not entering
/// lambdas (a lambda's body is analysed as a function of its own).
struct CallCollector : RecursiveASTVisitor<CallCollector> {
  std::vector<const Expr *> Calls;
  bool shouldVisitLambdaBody() const { return false; }
  bool VisitCallExpr(CallExpr *E) {
    Calls.push_back(E);
    return true;
  }
  bool VisitCXXConstructExpr(CXXConstructExpr *E) {
    Calls.push_back(E);
    return true;
  }
};

/// 'f', 'Class::f' or 'lambda': short enough for a message.
std::string functionName(const FunctionDecl *FD) {
  if (const auto *MD = dyn_cast<CXXMethodDecl>(FD)) {
    if (MD->getParent()->isLambda())
      return "lambda";
    return MD->getParent()->getNameAsString() + "::" + MD->getNameAsString();
  }
  return FD->getNameAsString();
}

SourceLocation callLoc(const Expr *E) {
  if (const auto *Construct = dyn_cast<CXXConstructExpr>(E))
    return Construct->getBeginLoc();
  return E->getExprLoc();
}

/// "'a'", "'a' and 'b'", "'a', 'b' and 'c'".
std::string lockNames(const LockSet &Locks) {
  std::string Out;
  for (size_t I = 0; I < Locks.size(); ++I) {
    if (I > 0)
      Out += I + 1 == Locks.size() ? " and " : ", ";
    Out += "'" + Locks[I].Name + "'";
  }
  return Out;
}

} // namespace

LockAcrossBlockingCallCheck::LockAcrossBlockingCallCheck(
    StringRef Name, ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context),
      LockOptions(ModelOptions::read(Options).Locks),
      Blocking(parseList(Options.get("BlockingFunctions", "")),
               Options.get("IncludeConsoleOutput", false)),
      MaxCallDepth(Options.get("MaxCallDepth", 4U)),
      Summary(Blocking, MaxCallDepth, LockOptions) {}

void LockAcrossBlockingCallCheck::storeOptions(
    ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "LockTypes", serializeList(LockOptions.LockTypes));
  Options.store(Opts, "GuardTypes", serializeList(LockOptions.GuardTypes));
  Options.store(Opts, "BlockingFunctions",
                serializeList(Blocking.extraFunctions()));
  Options.store(Opts, "IncludeConsoleOutput", Blocking.includeConsoleOutput());
  Options.store(Opts, "MaxCallDepth", MaxCallDepth);
}

void LockAcrossBlockingCallCheck::registerMatchers(MatchFinder *Finder) {
  Finder->addMatcher(
      functionDecl(isDefinition(), unless(isExpansionInSystemHeader()))
          .bind("fn"),
      this);
  Finder->addMatcher(lambdaExpr(unless(isExpansionInSystemHeader()))
                         .bind("lambda"),
                     this);
}

void LockAcrossBlockingCallCheck::onEndOfTranslationUnit() {
  Done.clear();
  ReportedCalls.clear();
  ReportedSections.clear();
  Summary.clear();
}

void LockAcrossBlockingCallCheck::check(const MatchFinder::MatchResult &Result) {
  if (const auto *FD = Result.Nodes.getNodeAs<FunctionDecl>("fn"))
    checkBody(FD, *Result.Context);
  else if (const auto *L = Result.Nodes.getNodeAs<LambdaExpr>("lambda"))
    checkBody(L->getCallOperator(), *Result.Context);
}

void LockAcrossBlockingCallCheck::checkBody(const FunctionDecl *FD,
                                            ASTContext &Ctx) {
  if (!FD || !FD->doesThisDeclarationHaveABody() || FD->isInvalidDecl() ||
      FD->isDependentContext() || !Done.insert(FD).second)
    return;
  const Stmt *Body = FD->getBody();
  // Cheapest filters first: most functions take no lock.
  if (!Body || Ctx.getSourceManager().isInSystemHeader(FD->getLocation()) ||
      !LockModel::mayLock(Body, LockOptions) || hasErrors(Body))
    return;
  LockModel Locks(Body, FD, Ctx, LockOptions);
  if (!Locks.analysed())
    return;
  CallCollector Collector;
  Collector.TraverseStmt(const_cast<Stmt *>(Body));
  for (const Expr *Call : Collector.Calls)
    checkCall(Call, Locks, Ctx);
}

void LockAcrossBlockingCallCheck::checkCall(const Expr *Call,
                                            const LockModel &Locks,
                                            ASTContext &Ctx) {
  const LockSet *HeldPtr = Locks.heldAt(Call);
  if (!HeldPtr || HeldPtr->empty() || BlockingModel::hasZeroTimeout(Call))
    return;
  LockSet Held = *HeldPtr;
  const FunctionDecl *Callee = calleeOf(Call);
  std::optional<BlockingCall> Direct = Blocking.blocks(Call);
  const std::vector<BlockingStep> *Chain = nullptr;

  if (!Direct)
    if (const Expr *Released = BlockingModel::conditionWaitLock(Call)) {
      // The wait releases its own lock: only the others stay held.
      llvm::SmallVector<std::string, 2> Keys;
      const Expr *L = Released->IgnoreParenImpCasts();
      const auto *DRE = dyn_cast<DeclRefExpr>(L);
      const auto *Guard = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
      if (Guard && LockModel::isGuardType(Guard->getType(), LockOptions)) {
        for (const HeldLock &M : Locks.mutexesOf(Guard))
          Keys.push_back(M.Key);
        if (Keys.empty())
          return; // a guard we know nothing of (a parameter): do not guess
      } else {
        Keys.push_back(LockModel::describeMutex(Released, Ctx).Key);
      }
      llvm::erase_if(Held, [&](const HeldLock &H) {
        return llvm::is_contained(Keys, H.Key);
      });
      if (Held.empty())
        return;
      Direct = BlockingCall{
          Callee, Callee ? displayName(Call, Callee) : std::string("wait"),
          "condition variable wait"};
    }
  // Indirectly, through a function of the translation unit; not through a
  // macro another file defines (doctest's REQUIRE calls a reporter that
  // reads files when an assertion fails): its user cannot move that call.
  if (!Direct && Callee && !Callee->isInStdNamespace() &&
      !inForeignMacro(Call->getBeginLoc(), Ctx.getSourceManager())) {
    Chain = Summary.mayBlock(Callee, Ctx);
    // A helper that releases its caller's lock before it blocks (rocksdb's
    // ErrorHandler: `db_mutex_->Unlock(); thread.join(); db_mutex_->Lock();`)
    // does not block under it. Which lock it releases cannot always be
    // matched (a pointer member): precision first, none is assumed held.
    if (Chain && BlockingSummary::releasesCallersLock(*Chain))
      Chain = nullptr;
    // A helper's condition-variable wait releases its own (global) mutex.
    if (Chain)
      if (std::optional<std::string> Released =
              BlockingModel::globalMutexWaitedOn(Chain->back().Call, Ctx)) {
        llvm::erase_if(Held,
                       [&](const HeldLock &H) { return H.Key == *Released; });
        if (Held.empty())
          return;
      }
  }
  if (!Direct && !Chain)
    return;

  std::string Family;
  std::string Name;
  if (Direct) {
    Family = Direct->Family.str();
    Name = Direct->Name;
  } else {
    Family = "blocking call";
    Name = "?";
    const Expr *Last = Chain->back().Call;
    if (std::optional<BlockingCall> End = Summary.blockingEnd(*Chain)) {
      Family = End->Family.str();
      Name = End->Name;
    } else if (BlockingModel::conditionWaitLock(Last)) {
      Family = "condition variable wait";
      const FunctionDecl *W = calleeOf(Last);
      Name = W ? displayName(Last, W) : "wait";
    }
  }

  // One report per location (template instantiations share them), and one
  // per kind of wait in a critical section: the first file write under a
  // lock says what the next ones would.
  const SourceManager &SM = Ctx.getSourceManager();
  SourceLocation Loc = callLoc(Call);
  if (!ReportedCalls.insert(SM.getExpansionLoc(Loc).getRawEncoding()).second)
    return;
  if (!ReportedSections.insert({Held.front().Acquisition, Family}).second)
    return;

  if (Direct)
    diag(Loc, "blocking call '%0' (%1) while holding %2; move the call out of "
              "the critical section")
        << Name << Family << lockNames(Held);
  else
    diag(Loc, "call to '%0' may block (%1 in '%2') while holding %3; move the "
              "call out of the critical section")
        << functionName(Callee) << Family << Name << lockNames(Held);
  for (const HeldLock &H : Held)
    if (H.Acquisition)
      diag(H.Acquisition->getBeginLoc(), "'%0' is acquired here",
           DiagnosticIDs::Note)
          << H.Name;
  if (Chain)
    for (size_t I = 0; I < Chain->size(); ++I) {
      const BlockingStep &Step = (*Chain)[I];
      const FunctionDecl *Next = Step.Callee;
      std::string NextName = Next ? functionName(Next) : "?";
      if (I + 1 == Chain->size()) {
        if (std::optional<BlockingCall> End = Blocking.blocks(Step.Call))
          NextName = End->Name;
        diag(callLoc(Step.Call), "'%0' blocks here, calling '%1'",
             DiagnosticIDs::Note)
            << functionName(Step.Caller) << NextName;
      } else {
        diag(callLoc(Step.Call), "'%0' calls '%1' here", DiagnosticIDs::Note)
            << functionName(Step.Caller) << NextName;
      }
    }
}

} // namespace clang::tidy::threadlint
