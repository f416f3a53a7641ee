//===--- ExceptionEscapesThreadCheck.h - threadlint -------------*- C++ -*-===//
#ifndef THREADLINT_CHECKS_EXCEPTIONESCAPESTHREADCHECK_H
#define THREADLINT_CHECKS_EXCEPTIONESCAPESTHREADCHECK_H

#include "model/ConcurrencyModel.h"
#include "model/ExceptionModel.h"
#include "clang-tidy/ClangTidyCheck.h"
#include "llvm/ADT/DenseSet.h"
#include <memory>

namespace clang::tidy::threadlint {

/// Finds a body run by std::thread, std::jthread, boost::thread or
/// pthread_create that can let an exception escape (which calls
/// std::terminate): a throw, or a call that throws by contract, that no
/// handler in the thread catches.
///
/// For the user-facing documentation see:
/// docs/checks/exception-escapes-thread.md
class ExceptionEscapesThreadCheck : public ClangTidyCheck {
public:
  ExceptionEscapesThreadCheck(StringRef Name, ClangTidyContext *Context);
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
  void report(const SpawnRecord &R, const ExceptionEscape &E,
              ASTContext &Ctx);

  const ModelOptions ModelOpts;
  /// `new` counts as throwing std::bad_alloc.
  const bool ReportAllocation;
  /// Say, as a remark, where the search for exceptions stopped at a bound.
  const bool Verbose;
  /// The translation unit's concurrency model, while the check runs in it.
  std::shared_ptr<ConcurrencyModel> Model;
  /// Warning locations already reported (template instantiations repeat
  /// spawn sites).
  llvm::DenseSet<unsigned> Reported;
};

} // namespace clang::tidy::threadlint

#endif
