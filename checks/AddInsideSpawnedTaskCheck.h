//===--- AddInsideSpawnedTaskCheck.h - threadlint ---------------*- C++ -*-===//
#ifndef THREADLINT_CHECKS_ADDINSIDESPAWNEDTASKCHECK_H
#define THREADLINT_CHECKS_ADDINSIDESPAWNEDTASKCHECK_H

#include "model/ConcurrencyModel.h"
#include "model/SpawnModel.h"
#include "clang-tidy/ClangTidyCheck.h"
#include "llvm/ADT/DenseSet.h"

namespace clang::tidy::threadlint {

/// Finds a spawned task that adds itself to the wait group (or the pending
/// counter) its spawner waits on: the wait can return before the add runs.
///
/// For the user-facing documentation see:
/// docs/checks/add-inside-spawned-task.md
class AddInsideSpawnedTaskCheck : public ClangTidyCheck {
public:
  AddInsideSpawnedTaskCheck(StringRef Name, ClangTidyContext *Context);
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
  struct Add;
  struct Wait;
  bool isWaitGroup(const CXXRecordDecl *RD) const;
  void collectAdds(const SpawnSite &Site, llvm::SmallVectorImpl<Add> &Adds,
                   ASTContext &Ctx) const;
  std::optional<Wait> findWait(const Add &A, SourceLocation After,
                               const Stmt *Body, ASTContext &Ctx) const;
  std::optional<Wait> findWaitInClass(const Add &A,
                                      const FunctionDecl *Spawner,
                                      ASTContext &Ctx) const;
  void report(const Add &A, const Wait &W, const SpawnSite &Site,
              const FunctionDecl *Spawner, ASTContext &Ctx);

  const ModelOptions ModelOpts;
  /// Say, as remarks, what the concurrency model inferred and where its
  /// bounds cut the search.
  const bool Verbose;
  const SpawnModel Spawns;
  const std::vector<std::string> WaitGroupTypes;
  const std::vector<std::string> AddMethods;
  const std::vector<std::string> WaitMethods;
  /// Locations already reported (template instantiations repeat them).
  llvm::DenseSet<unsigned> Reported;
  /// The translation unit's concurrency model, while the check runs in it.
  std::shared_ptr<ConcurrencyModel> Model;
};

} // namespace clang::tidy::threadlint

#endif
