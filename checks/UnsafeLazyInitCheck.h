//===--- UnsafeLazyInitCheck.h - threadlint ---------------------*- C++ -*-===//
#ifndef THREADLINT_CHECKS_UNSAFELAZYINITCHECK_H
#define THREADLINT_CHECKS_UNSAFELAZYINITCHECK_H

#include "model/ConcurrencyModel.h"
#include "clang-tidy/ClangTidyCheck.h"
#include "llvm/ADT/DenseSet.h"
#include <memory>

namespace clang::tidy::threadlint {

/// Finds check-then-create on a plain pointer, smart pointer, optional or
/// flag that several threads reach (`if (!p) p = new T;`), and
/// double-checked locking whose first check reads the plain variable
/// outside the lock.
///
/// For the user-facing documentation see: docs/checks/unsafe-lazy-init.md
class UnsafeLazyInitCheck : public ClangTidyCheck {
public:
  UnsafeLazyInitCheck(StringRef Name, ClangTidyContext *Context);
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
  /// Why two threads may run the check-then-create at once.
  struct Evidence;
  std::optional<Evidence> concurrentRuns(const IfStmt *If,
                                         const FunctionDecl *FD,
                                         ASTContext &Ctx);

  const ModelOptions ModelOpts;
  /// The translation unit's concurrency model, while the check runs on it.
  std::shared_ptr<ConcurrencyModel> Model;
  llvm::DenseSet<unsigned> Reported;
};

} // namespace clang::tidy::threadlint

#endif
