//===--- SkippedDoneCheck.h - threadlint ------------------------*- C++ -*-===//
#ifndef THREADLINT_CHECKS_SKIPPEDDONECHECK_H
#define THREADLINT_CHECKS_SKIPPEDDONECHECK_H

#include "model/ConcurrencyModel.h"
#include "clang-tidy/ClangTidyCheck.h"
#include "llvm/ADT/DenseSet.h"

namespace clang {
class CFG;
} // namespace clang

namespace clang::tidy::threadlint {

/// Finds an early exit of spawned work (return, continue, break, throw) that
/// skips the completion signal its waiter relies on (a latch's count_down, a
/// wait group's Done, a promise's set_value, ...), so the waiter can hang.
///
/// For the user-facing documentation see: docs/checks/skipped-done.md
class SkippedDoneCheck : public ClangTidyCheck {
public:
  SkippedDoneCheck(StringRef Name, ClangTidyContext *Context);
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

  enum class SignalKind { Latch, Barrier, WaitGroup, Semaphore, Promise,
                          Counter, Notify };
  struct Signal;
  struct Waiter;

private:
  void checkBody(const SpawnRecord &R, const FunctionDecl *Body, bool Entry,
                 bool ThrowsHang, ASTContext &Ctx);
  std::optional<Signal> classify(const Expr *E, ASTContext &Ctx) const;
  std::optional<Waiter> findWait(const Signal &S, const NamedDecl *Object,
                                 const SpawnRecord &R,
                                 const FunctionDecl *Body,
                                 ASTContext &Ctx) const;
  bool claimsItself(const Stmt *Body, const NamedDecl *Object) const;
  void judgeExits(const CFG &Graph, llvm::ArrayRef<const Signal *> Signals,
                  const NamedDecl *Object, const Stmt *Loop,
                  const FunctionDecl *Body, bool ThrowsHang, const Waiter &W,
                  ASTContext &Ctx);
  void report(const Stmt *Exit, int Kind, const Signal &S, const Waiter &W,
              ASTContext &Ctx);

  const ModelOptions ModelOpts;
  const std::vector<std::string> WaitGroupTypes;
  const std::vector<std::string> AddMethods;
  const std::vector<std::string> DoneMethods;
  const std::vector<std::string> WaitMethods;
  /// How many CFG blocks a body may have before it is not analysed.
  const unsigned MaxBlocks;
  /// Locations already reported (template instantiations repeat them).
  llvm::DenseSet<unsigned> Reported;
  /// The translation unit's concurrency model, while the check runs in it.
  std::shared_ptr<ConcurrencyModel> Model;
};

} // namespace clang::tidy::threadlint

#endif
