//===--- DoubleLockCheck.h - threadlint -------------------------*- C++ -*-===//
#ifndef THREADLINT_CHECKS_DOUBLELOCKCHECK_H
#define THREADLINT_CHECKS_DOUBLELOCKCHECK_H

#include "model/ConcurrencyModel.h"
#include "clang-tidy/ClangTidyCheck.h"

namespace clang::tidy::threadlint {

/// Finds a non-recursive mutex taken again by the thread that holds it:
/// directly, through a callee of the translation unit, or through a
/// callback the lock holder calls. On the lock-order model: an edge whose
/// held and taken locks are the same.
///
/// For the user-facing documentation see: docs/checks/double-lock.md
class DoubleLockCheck : public ClangTidyCheck {
public:
  DoubleLockCheck(StringRef Name, ClangTidyContext *Context);
  void registerMatchers(ast_matchers::MatchFinder *Finder) override;
  void check(const ast_matchers::MatchFinder::MatchResult &Result) override;
  void storeOptions(ClangTidyOptions::OptionMap &Opts) override;
  void onEndOfTranslationUnit() override;
  bool isLanguageVersionSupported(const LangOptions &LangOpts) const override {
    return LangOpts.CPlusPlus11;
  }

private:
  const ModelOptions ModelOpts;
  /// Also report a shared (reader) lock taken twice.
  const bool ReportSharedTwice;
  std::shared_ptr<ConcurrencyModel> Model;
  ASTContext *Context = nullptr;
};

} // namespace clang::tidy::threadlint

#endif
