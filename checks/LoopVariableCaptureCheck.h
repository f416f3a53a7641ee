//===--- LoopVariableCaptureCheck.h - threadlint ----------------*- C++ -*-===//
#ifndef THREADLINT_CHECKS_LOOPVARIABLECAPTURECHECK_H
#define THREADLINT_CHECKS_LOOPVARIABLECAPTURECHECK_H

#include "model/SpawnModel.h"
#include "clang-tidy/ClangTidyCheck.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"

namespace clang::tidy::threadlint {

/// Finds tasks that outlive a loop iteration and use a loop variable (or a
/// local of the loop body) by reference.
///
/// For the user-facing documentation see:
/// docs/checks/loop-variable-capture.md
class LoopVariableCaptureCheck : public ClangTidyCheck {
public:
  LoopVariableCaptureCheck(StringRef Name, ClangTidyContext *Context);
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
  struct Use;
  void checkUse(const Use &U, const SpawnSite &Site, ASTContext &Ctx);
  void report(const Use &U, const SpawnSite &Site, const Lifetime &Life,
              unsigned Role, ASTContext &Ctx);

  const SpawnModel Spawns;
  /// (location of the use, location of the variable): one warning per pair,
  /// however many template instantiations repeat it.
  llvm::DenseSet<std::pair<unsigned, unsigned>> Reported;
  /// lifetimeIn() per (spawn site, loop body), for this translation unit.
  llvm::DenseMap<std::pair<const Expr *, const Stmt *>, Lifetime> Lifetimes;
};

} // namespace clang::tidy::threadlint

#endif
