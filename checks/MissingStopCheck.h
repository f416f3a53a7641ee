//===--- MissingStopCheck.h - threadlint ------------------------*- C++ -*-===//
#ifndef THREADLINT_CHECKS_MISSINGSTOPCHECK_H
#define THREADLINT_CHECKS_MISSINGSTOPCHECK_H

#include "model/SpawnModel.h"
#include "clang-tidy/ClangTidyCheck.h"
#include "llvm/ADT/DenseSet.h"

namespace clang::tidy::threadlint {

/// Finds spawned work that can never be stopped: a loop with no way out, a
/// std::jthread task that ignores its std::stop_token, a std::stop_source
/// whose request_stop() is never called.
///
/// For the user-facing documentation see: docs/checks/missing-stop.md
class MissingStopCheck : public ClangTidyCheck {
public:
  MissingStopCheck(StringRef Name, ClangTidyContext *Context);
  void registerMatchers(ast_matchers::MatchFinder *Finder) override;
  void check(const ast_matchers::MatchFinder::MatchResult &Result) override;
  void storeOptions(ClangTidyOptions::OptionMap &Opts) override;
  void onEndOfTranslationUnit() override { Reported.clear(); }
  bool isLanguageVersionSupported(const LangOptions &LangOpts) const override {
    return LangOpts.CPlusPlus11;
  }
  std::optional<TraversalKind> getCheckTraversalKind() const override {
    return TK_AsIs;
  }

private:
  void checkSpawn(const SpawnSite &Site, ASTContext &Ctx);
  void checkStopSource(const ValueDecl *Source, ASTContext &Ctx);

  const SpawnModel Spawns;
  const std::vector<std::string> ExitFunctions;
  /// Loops, parameters and sources already reported.
  llvm::DenseSet<unsigned> Reported;
};

} // namespace clang::tidy::threadlint

#endif
