//===--- SleepAsSyncCheck.h - threadlint ------------------------*- C++ -*-===//
#ifndef THREADLINT_CHECKS_SLEEPASSYNCCHECK_H
#define THREADLINT_CHECKS_SLEEPASSYNCCHECK_H

#include "model/ConcurrencyModel.h"
#include "model/SpawnModel.h"
#include "clang-tidy/ClangTidyCheck.h"
#include "llvm/ADT/DenseSet.h"
#include <string>
#include <vector>

namespace clang::tidy::threadlint {

/// Finds places where a sleep stands in for waiting on spawned work.
///
/// For the user-facing documentation see: docs/checks/sleep-as-sync.md
class SleepAsSyncCheck : public ClangTidyCheck {
public:
  SleepAsSyncCheck(StringRef Name, ClangTidyContext *Context);
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
  struct Finding;
  void analyzeFunction(const Decl *Fn, Stmt *Body, ASTContext &Ctx);
  void report(const Finding &F, ASTContext &Ctx);
  void analyzeAcrossMethods(const FunctionDecl *FD,
                            llvm::ArrayRef<const CallExpr *> Sleeps,
                            ASTContext &Ctx);

  const std::vector<std::string> SleepFunctions;
  const ModelOptions ModelOpts;
  const SpawnModel Spawns;
  /// Say, as remarks, what the concurrency model inferred and where its
  /// bounds cut the search.
  const bool Verbose;
  /// The translation unit's concurrency model, while the check runs in it.
  std::shared_ptr<ConcurrencyModel> Model;
  /// Functions (and lambda call operators) already analysed in this
  /// translation unit: every sleep of a function is judged in one pass.
  llvm::DenseSet<const Decl *> Analyzed;
  /// Sleeps already reported (template instantiations repeat them).
  llvm::DenseSet<unsigned> Reported;
};

} // namespace clang::tidy::threadlint

#endif
