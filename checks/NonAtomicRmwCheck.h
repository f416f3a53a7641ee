//===--- NonAtomicRmwCheck.h - threadlint -----------------------*- C++ -*-===//
#ifndef THREADLINT_CHECKS_NONATOMICRMWCHECK_H
#define THREADLINT_CHECKS_NONATOMICRMWCHECK_H

#include "model/ConcurrencyModel.h"
#include "model/LockModel.h"
#include "clang-tidy/ClangTidyCheck.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include <memory>

namespace clang::tidy::threadlint {

/// Finds read-modify-writes of a std::atomic / std::atomic_ref split into a
/// separate load and store (`a = a + x`, `a.store(a.load() + x)`) and
/// check-then-act claims (`if (!a) a = true;`).
///
/// For the user-facing documentation see: docs/checks/non-atomic-rmw.md
class NonAtomicRmwCheck : public ClangTidyCheck {
public:
  NonAtomicRmwCheck(StringRef Name, ClangTidyContext *Context);
  ~NonAtomicRmwCheck() override;
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
  void checkStore(const Expr *Store, ASTContext &Ctx);
  void checkClaim(const IfStmt *If, ASTContext &Ctx);
  bool lockHeldAt(const Stmt *S, ASTContext &Ctx);
  bool sequentialAt(const Expr *Object, const Stmt *S, ASTContext &Ctx);
  /// Whether every write of the atomic \p Object names, in the translation
  /// unit, holds one common lock (in its function or at its entry).
  bool writesShareALock(const Expr *Object, ASTContext &Ctx);
  /// Whether the atomic \p Object names is also updated by a
  /// compare-exchange in the translation unit.
  bool updatedByCompareExchange(const Expr *Object, ASTContext &Ctx);
  bool oneWriterPath(const Expr *Object, const Stmt *S, ASTContext &Ctx);
  /// Whether every write of the member atomic \p Object names is made by
  /// the one thread its object runs.
  bool writtenByOneThread(const Expr *Object, ASTContext &Ctx);

  struct AtomicWrites;
  const AtomicWrites &writes(ASTContext &Ctx);
  EntryLocks &entryLocks(ASTContext &Ctx);

  const bool IgnoreExplicitOrders;
  const ModelOptions ModelOpts;
  LockModelOptions LockOptions;
  /// The translation unit's concurrency model, while the check runs on it.
  std::shared_ptr<ConcurrencyModel> Model;
  llvm::DenseSet<unsigned> Reported;
  /// Per translation unit, built on first use.
  std::unique_ptr<AtomicWrites> Writes;
  llvm::DenseMap<const ValueDecl *, bool> SharedLock;
};

} // namespace clang::tidy::threadlint

#endif
