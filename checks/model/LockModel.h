//===--- LockModel.h - which locks are held where ---------------*- C++ -*-===//
//
// The shared lock model (see the catalogue's shared vocabulary): for one
// function body, which mutexes are held on EVERY path to a statement.
//
// Computed on the CFG with implicit destructors, as a forward dataflow with
// intersection at joins: a guard's destructor releases what it owns,
// unique_lock::unlock()/lock()/release() change it, defer_lock/try_to_lock
// start unowned, adopt_lock takes over a held mutex, manual m.lock() /
// m.unlock() and pthread_mutex_lock/unlock act on the mutex itself. A lambda
// body is a function of its own: locks held around the lambda expression are
// not held inside it.
//
// Usage:
//   LockModel Locks(Body, Ctx, Options);   // once per function body
//   if (const LockSet *Held = Locks.heldAt(Call))  // null: unknown
//     for (const HeldLock &L : *Held) ...
//
//===----------------------------------------------------------------------===//
#ifndef THREADLINT_CHECKS_MODEL_LOCKMODEL_H
#define THREADLINT_CHECKS_MODEL_LOCKMODEL_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"
#include <string>
#include <vector>

namespace clang::tidy::threadlint {

/// Extra lock vocabulary, from the LockTypes / GuardTypes check options.
struct LockModelOptions {
  /// Qualified names of mutex classes besides the standard ones and any
  /// class with lock()/unlock() (e.g. "absl::Mutex" with Lock()/Unlock()).
  std::vector<std::string> LockTypes;
  /// Qualified names of RAII guard classes besides the standard ones (e.g.
  /// "absl::MutexLock", a project's own "MutexLock").
  std::vector<std::string> GuardTypes;

  static llvm::StringRef defaultLockTypes();
  static llvm::StringRef defaultGuardTypes();
};

/// One mutex held at a point.
struct HeldLock {
  /// Identity of the mutex: equal for `mu_` and `this->mu_`, for the same
  /// variable or field through the same base, else the spelled text.
  std::string Key;
  /// How to name it in a message: "mu_", "state.mu".
  std::string Name;
  /// Where it was acquired (guard declaration or lock call), for a note.
  const Stmt *Acquisition = nullptr;
  /// The guard variable owning it (null for a manual lock).
  const VarDecl *Guard = nullptr;
  /// Locked in shared (reader) mode.
  bool Shared = false;
};

using LockSet = llvm::SmallVector<HeldLock, 2>;

class LockModel {
public:
  /// Analyses \p Body (a function's or lambda's body). Bodies with more than
  /// \p MaxBlocks CFG blocks are not analysed (every query is unknown).
  LockModel(const Stmt *Body, const Decl *Owner, ASTContext &Ctx,
            const LockModelOptions &Options, unsigned MaxBlocks = 2000);

  /// False when the body could not be analysed (no CFG, too large).
  bool analysed() const { return Analysed; }

  /// The locks held on every path to \p S, just before it runs. Null when
  /// unknown: \p S is not an element of this body's CFG (e.g. inside a
  /// nested lambda), it is unreachable, or the body was not analysed.
  const LockSet *heldAt(const Stmt *S) const;

  /// Whether \p S (typically a function body) contains anything that may
  /// take a lock. A cheap test to skip bodies before building the model.
  static bool mayLock(const Stmt *S, const LockModelOptions &Options);

  /// The identity and display name of the mutex \p E denotes (strips '&',
  /// '*', parentheses and casts).
  static HeldLock describeMutex(const Expr *E, ASTContext &Ctx);

  /// The mutex keys guard variable \p Guard refers to (whether or not it
  /// currently owns them), e.g. for `cv.wait(lk)`.
  llvm::ArrayRef<HeldLock> mutexesOf(const VarDecl *Guard) const;

  /// Whether \p T is a guard type (standard or GuardTypes).
  static bool isGuardType(QualType T, const LockModelOptions &Options);

private:
  friend class LockTransfer;
  bool Analysed = false;
  /// Distinct lock sets; each analysed statement maps to one.
  std::vector<LockSet> States;
  llvm::DenseMap<const Stmt *, unsigned> StateOf;
  /// What each guard variable was constructed on.
  llvm::DenseMap<const VarDecl *, LockSet> GuardMutexes;
};

} // namespace clang::tidy::threadlint

#endif
