//===--- LockAcrossBlockingCallCheck.h - threadlint -------------*- C++ -*-===//
#ifndef THREADLINT_CHECKS_LOCKACROSSBLOCKINGCALLCHECK_H
#define THREADLINT_CHECKS_LOCKACROSSBLOCKINGCALLCHECK_H

#include "model/BlockingModel.h"
#include "model/ConcurrencyModel.h"
#include "model/LockModel.h"
#include "clang-tidy/ClangTidyCheck.h"
#include "llvm/ADT/DenseSet.h"
#include <set>

namespace clang::tidy::threadlint {

/// Finds calls that block (I/O, sleeps, joins, waits), directly or through
/// functions of the translation unit, while a lock is held on every path to
/// the call. Unless ReportGuardedResource is set, a lock is not counted at
/// a call whose I/O works on a field or global that lock guards (the guard
/// model's answer): serialising that I/O is what the lock is for.
///
/// For the user-facing documentation see:
/// docs/checks/lock-across-blocking-call.md
class LockAcrossBlockingCallCheck : public ClangTidyCheck {
public:
  LockAcrossBlockingCallCheck(StringRef Name, ClangTidyContext *Context);
  void registerMatchers(ast_matchers::MatchFinder *Finder) override;
  void check(const ast_matchers::MatchFinder::MatchResult &Result) override;
  void storeOptions(ClangTidyOptions::OptionMap &Opts) override;
  void onEndOfTranslationUnit() override;
  bool isLanguageVersionSupported(const LangOptions &LangOpts) const override {
    return LangOpts.CPlusPlus11;
  }
  std::optional<TraversalKind> getCheckTraversalKind() const override {
    return TK_AsIs;
  }

private:
  void checkBody(const FunctionDecl *FD, ASTContext &Ctx);
  void checkCall(const Expr *Call, const LockModel &Locks,
                 const FunctionDecl *In, ASTContext &Ctx);
  /// Removes from \p Held the locks that guard what the blocking call
  /// \p Call (in \p In) works on: directly (\p Direct), or through the
  /// callee whose blocking chain is \p Chain, every blocking call of which
  /// must then work on what the lock guards.
  void dropGuardingLocks(LockSet &Held, const Expr *Call,
                         const std::optional<BlockingCall> &Direct,
                         const std::vector<BlockingStep> *Chain,
                         const FunctionDecl *In, ASTContext &Ctx);

  const ModelOptions ModelOpts;
  LockModelOptions LockOptions;
  const BlockingModel Blocking;
  const unsigned MaxCallDepth;
  /// Report blocking calls on a resource the held lock guards.
  const bool ReportGuardedResource;
  BlockingSummary Summary;
  /// The TU's concurrency model (for its guard model), taken on first need.
  std::shared_ptr<ConcurrencyModel> Model;
  /// Bodies already analysed (a lambda's call operator is reached twice).
  llvm::DenseSet<const FunctionDecl *> Done;
  /// Calls already reported (template instantiations share locations), and
  /// (acquisition, kind of wait) pairs: one report per kind per section.
  llvm::DenseSet<unsigned> ReportedCalls;
  std::set<std::pair<const Stmt *, std::string>> ReportedSections;
};

} // namespace clang::tidy::threadlint

#endif
