//===--- InconsistentLockingCheck.h - threadlint ----------------*- C++ -*-===//
#ifndef THREADLINT_CHECKS_INCONSISTENTLOCKINGCHECK_H
#define THREADLINT_CHECKS_INCONSISTENTLOCKINGCHECK_H

#include "model/ConcurrencyModel.h"
#include "model/GuardModel.h"
#include "clang-tidy/ClangTidyCheck.h"

namespace clang::tidy::threadlint {

/// Finds a field or global read or written without the mutex that guards
/// it (declared with GUARDED_BY, or inferred from where the code holds it)
/// where that access can run at the same time as a guarded one: in a
/// thread's work and the code it runs alongside, or in two public member
/// functions of a class that locks for its callers.
///
/// For the user-facing documentation see:
/// docs/checks/inconsistent-locking.md
class InconsistentLockingCheck : public ClangTidyCheck {
public:
  InconsistentLockingCheck(StringRef Name, ClangTidyContext *Context);
  void registerMatchers(ast_matchers::MatchFinder *Finder) override;
  void check(const ast_matchers::MatchFinder::MatchResult &Result) override;
  void storeOptions(ClangTidyOptions::OptionMap &Opts) override;
  void onEndOfTranslationUnit() override;
  bool isLanguageVersionSupported(const LangOptions &LangOpts) const override {
    return LangOpts.CPlusPlus11;
  }

private:
  const ModelOptions ModelOpts;
  GuardThresholds Thresholds;
  std::shared_ptr<ConcurrencyModel> Model;
  ASTContext *Context = nullptr;
};

} // namespace clang::tidy::threadlint

#endif
