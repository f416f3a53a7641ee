//===--- LockOrderInversionCheck.h - threadlint -----------------*- C++ -*-===//
#ifndef THREADLINT_CHECKS_LOCKORDERINVERSIONCHECK_H
#define THREADLINT_CHECKS_LOCKORDERINVERSIONCHECK_H

#include "model/ConcurrencyModel.h"
#include "clang-tidy/ClangTidyCheck.h"

namespace clang::tidy::threadlint {

/// Finds locks taken in orders that form a cycle (A then B here, B then A
/// there; A→B→C→A), on the lock-order model of the translation unit, and
/// reports each cycle once, at the acquisition that closes it. In a
/// threadlint worker it also hands the translation unit's exportable edges
/// to the driver, which joins those of all files.
///
/// For the user-facing documentation see:
/// docs/checks/lock-order-inversion.md
class LockOrderInversionCheck : public ClangTidyCheck {
public:
  LockOrderInversionCheck(StringRef Name, ClangTidyContext *Context);
  void registerMatchers(ast_matchers::MatchFinder *Finder) override;
  void check(const ast_matchers::MatchFinder::MatchResult &Result) override;
  void storeOptions(ClangTidyOptions::OptionMap &Opts) override;
  void onEndOfTranslationUnit() override;
  bool isLanguageVersionSupported(const LangOptions &LangOpts) const override {
    return LangOpts.CPlusPlus11;
  }

private:
  const ModelOptions ModelOpts;
  /// Cycles longer than this are not searched.
  const unsigned MaxCycleLength;
  const bool Verbose;
  std::shared_ptr<ConcurrencyModel> Model;
  ASTContext *Context = nullptr;
};

} // namespace clang::tidy::threadlint

#endif
