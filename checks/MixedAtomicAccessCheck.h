//===--- MixedAtomicAccessCheck.h - threadlint ------------------*- C++ -*-===//
#ifndef THREADLINT_CHECKS_MIXEDATOMICACCESSCHECK_H
#define THREADLINT_CHECKS_MIXEDATOMICACCESSCHECK_H

#include "model/ConcurrencyModel.h"
#include "clang-tidy/ClangTidyCheck.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/MapVector.h"

namespace clang::tidy::threadlint {

/// Finds plain reads and writes of a variable or field that the translation
/// unit also accesses atomically (std::atomic_ref, __atomic_*, __sync_*,
/// AtomicFunctions). Reported at the end of the translation unit.
///
/// For the user-facing documentation see: docs/checks/mixed-atomic-access.md
class MixedAtomicAccessCheck : public ClangTidyCheck {
public:
  MixedAtomicAccessCheck(StringRef Name, ClangTidyContext *Context);
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
  enum class Style { AtomicRef, Builtin, Other };
  struct AtomicUse {
    SourceLocation Loc;
    Style How = Style::Other;
    /// For AtomicRef: the type as written ("std::atomic_ref<long>").
    std::string RefType;
  };

  /// One atomic access, for the model's order: a load orders nothing
  /// against a plain read.
  struct AtomicSite {
    const Expr *E = nullptr;
    bool Load = false;
  };

  void recordAtomic(const Expr *Target, const Expr *Site, bool Load,
                    Style How, std::string RefType);
  /// Every atomic access of \p D that conflicts with the plain access \p E
  /// (in \p In) is ordered with it by the concurrency model (a spawn, a
  /// wait, a hand-off, a lock both hold); false when there is none.
  bool orderedWithAtomicAccesses(const ValueDecl *D, const Expr *E,
                                 bool Write, const FunctionDecl *In,
                                 ConcurrencyModel &M);

  const ModelOptions ModelOpts;
  /// Say, as remarks, what the concurrency model inferred and where its
  /// bounds cut the search.
  const bool Verbose;
  const std::vector<std::string> AtomicFunctions;
  /// The translation unit's concurrency model, while the check runs in it.
  std::shared_ptr<ConcurrencyModel> Model;
  ASTContext *Context = nullptr;
  /// Atomically accessed variables and fields, with their first atomic use.
  llvm::MapVector<const ValueDecl *, AtomicUse> Atomic;
  /// Every atomic access of each of them.
  llvm::DenseMap<const ValueDecl *, std::vector<AtomicSite>> Sites;
};

} // namespace clang::tidy::threadlint

#endif
