//===--- ThreadNotJoinedCheck.h - threadlint --------------------*- C++ -*-===//
#ifndef THREADLINT_CHECKS_THREADNOTJOINEDCHECK_H
#define THREADLINT_CHECKS_THREADNOTJOINEDCHECK_H

#include "model/SpawnModel.h"
#include "clang-tidy/ClangTidyCheck.h"
#include "clang/Analysis/CFG.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include <memory>

namespace clang::tidy::threadlint {

/// Finds a std::thread that can be destroyed while joinable (which calls
/// std::terminate): a local with a path to its scope's exit that neither
/// joins, detaches nor moves it, and a started member that neither the
/// destructor nor a member function it calls joins or detaches.
///
/// For the user-facing documentation see:
/// docs/checks/thread-not-joined.md
class ThreadNotJoinedCheck : public ClangTidyCheck {
public:
  ThreadNotJoinedCheck(StringRef Name, ClangTidyContext *Context);
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
  void checkLocal(const VarDecl *Thread, const Stmt *Start, const Expr *Init,
                  const FunctionDecl *Function, ASTContext &Ctx);
  void noteMemberStart(const SpawnSite &Site, ASTContext &Ctx);
  void checkMembers(ASTContext &Ctx);

  /// A thread member (or a member holding threads) started in a member
  /// function of its class; judged at the end of the translation unit, when
  /// every member function and derived class has been seen.
  struct MemberStart {
    const FieldDecl *Field;
    const Expr *Site;
    const FunctionDecl *In;
  };

  const std::vector<std::string> ThrowingFunctions;
  const bool StrictExceptionPaths;
  const bool ReportExitsInMacros;
  const unsigned MaxBlocks;
  const bool Verbose;
  llvm::DenseSet<const Decl *> Reported;
  /// Each function's CFG, built once for all its local threads (null: it
  /// could not be built); cleared at the end of the translation unit.
  llvm::DenseMap<const FunctionDecl *, std::unique_ptr<CFG>> Graphs;
  std::vector<MemberStart> MemberStarts;
  ASTContext *Context = nullptr;
};

} // namespace clang::tidy::threadlint

#endif
