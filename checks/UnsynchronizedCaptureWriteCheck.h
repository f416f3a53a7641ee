//===--- UnsynchronizedCaptureWriteCheck.h - threadlint ---------*- C++ -*-===//
#ifndef THREADLINT_CHECKS_UNSYNCHRONIZEDCAPTUREWRITECHECK_H
#define THREADLINT_CHECKS_UNSYNCHRONIZEDCAPTUREWRITECHECK_H

#include "model/ConcurrencyModel.h"
#include "model/LockModel.h"
#include "model/SpawnModel.h"
#include "clang-tidy/ClangTidyCheck.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/MapVector.h"

namespace clang::tidy::threadlint {

/// Finds writes, inside spawned work, to a variable captured by reference
/// or to a global, that other running work or the spawning function may
/// access at the same time, with no lock held and a non-atomic type.
///
/// For the user-facing documentation see:
/// docs/checks/unsynchronized-capture-write.md
class UnsynchronizedCaptureWriteCheck : public ClangTidyCheck {
public:
  UnsynchronizedCaptureWriteCheck(StringRef Name, ClangTidyContext *Context);
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
  /// An unlocked write of a shared variable in one spawned body.
  struct Write {
    const VarDecl *Var = nullptr;
    const Expr *Where = nullptr;
    const Expr *Site = nullptr;       ///< the spawn site
    SourceLocation Capture;           ///< by-reference capture, if any
    const FunctionDecl *Spawner = nullptr; ///< the function that spawns
    const NamedDecl *Holder = nullptr;     ///< thread / future variable
    bool OutlivesSpawner = false;          ///< may run after it returns
    /// The write sets one element of a std::vector<bool> (or, with
    /// Bitset, of a std::bitset): a bit in a word other elements share.
    bool BitElement = false;
    bool Bitset = false;
  };

  /// Whether the work of two spawn sites may run at the same time.
  bool mayOverlap(const Write &A, const Write &B, ASTContext &Ctx);
  enum class Why { SeveralInstances, TwoSites, ParentUses };

  void checkSite(const SpawnSite &Site, ASTContext &Ctx);
  void report(const Write &W, Why Reason, SourceLocation Other,
              ASTContext &Ctx);

  const ModelOptions ModelOpts;
  const SpawnModel Spawns;
  LockModelOptions LockOptions;
  /// The translation unit's concurrency model, while the check runs on it:
  /// whether and where the spawner waits for the work, on its CFG.
  std::shared_ptr<ConcurrencyModel> Model;
  /// Unlocked writes per variable, for "written by two spawn sites".
  llvm::MapVector<const VarDecl *, std::vector<Write>> Writes;
  llvm::DenseSet<const Expr *> SitesSeen;
  llvm::DenseSet<unsigned> Reported;
  ASTContext *Context = nullptr;
};

} // namespace clang::tidy::threadlint

#endif
