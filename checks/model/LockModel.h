//===--- LockModel.h - which locks are held where ---------------*- C++ -*-===//
//
// The shared lock model (see the catalogue's shared vocabulary): for one
// function body, which mutexes are held on EVERY path to a statement.
//
// Computed on the CFG with implicit destructors, as a forward dataflow with
// intersection at joins: a guard's destructor releases what it owns,
// unique_lock::unlock()/lock()/release() change it, defer_lock/try_to_lock
// start unowned, adopt_lock takes over a held mutex, manual m.lock() /
// m.unlock(), pthread_mutex_lock/unlock and C11 mtx_lock/mtx_unlock act on
// the mutex itself; a try-lock (member try_lock/TryLock, pthread_*trylock,
// mtx_trylock/mtx_timedlock, a try_to_lock guard's owns_lock()) tested in a
// branch condition holds the mutex on the branch where it succeeded. A lambda
// body is a function of its own: locks held around the lambda expression are
// not held inside it.
//
// A project's own guard nobody listed in GuardTypes is recognised by what
// its constructor does: a local of a class with a user-written destructor,
// constructed on a lockable object, is a guard when the constructor (in the
// translation unit) locks that object (directly or through the member it
// stores it in), and an *unlocker* (held released until its destructor,
// like rocksdb's InstrumentedMutexUnlock) when the constructor unlocks it.
// A constructor whose body is not visible is judged by its thread-safety
// attributes (acquire_capability / release_capability), else by the class
// name: a guard when its last word is Guard, Lock, Locker or Holder and no
// word says Unlock or Release.
//
// Besides what is held, the model records where a body has released a lock
// it did not take itself (its caller's): `db_mutex_->Unlock()` in a helper.
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
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallVector.h"
#include <functional>
#include <map>
#include <memory>
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
  /// The expression that denoted the mutex (its type tells a recursive
  /// one), where known.
  const Expr *Object = nullptr;
};

using LockSet = llvm::SmallVector<HeldLock, 2>;

/// One place a body takes a lock, with what it held just before.
struct LockAcquisition {
  /// The mutex taken; its Acquisition is the statement that takes it (for
  /// a try-lock, the call in the condition).
  HeldLock Lock;
  /// Held on every path just before (the others of a std::lock or
  /// scoped_lock of several mutexes are not in it).
  LockSet HeldBefore;
  /// A try-lock (or timed lock): it backs off instead of waiting.
  bool Try = false;
  /// Taken together with others by one std::lock / scoped_lock.
  bool Group = false;
  /// Takes back a lock this body released without having taken it (its
  /// caller's): not a second acquisition for the caller.
  bool Retake = false;
};

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

  /// Whether, on some path to \p S, this body released a lock it had not
  /// acquired itself (so its caller's: `db_mutex_->Unlock()`,
  /// `pthread_mutex_unlock(m)`, `lk.unlock()` on a unique_lock it was
  /// handed, an unlocker guard) and did not take it back before \p S.
  /// False when unknown.
  bool releasedCallersLockBefore(const Stmt *S) const {
    return AfterForeignRelease.count(S) != 0;
  }

  /// Every acquisition of this body reached on some path, in CFG order
  /// (guards, lock calls, std::lock, pthread/C11 locks, and the success
  /// branch of a try-lock: `if (m.try_lock())`, `if
  /// (pthread_mutex_trylock(&m) == 0)`, `if (mtx_trylock(&m) ==
  /// thrd_success)`, `if (lk.owns_lock())` of a try_to_lock guard).
  llvm::ArrayRef<LockAcquisition> acquisitions() const { return Acquired; }

  /// Whether \p S contains anything that may release a lock (a cheap test
  /// before building the model for releasedCallersLockBefore).
  static bool mayRelease(const Stmt *S, const LockModelOptions &Options);

private:
  friend class LockTransfer;
  bool Analysed = false;
  /// Distinct lock sets; each analysed statement maps to one.
  std::vector<LockSet> States;
  llvm::DenseMap<const Stmt *, unsigned> StateOf;
  /// What each guard variable was constructed on.
  llvm::DenseMap<const VarDecl *, LockSet> GuardMutexes;
  std::vector<LockAcquisition> Acquired;
  /// Statements some path reaches after releasing a caller's lock.
  llvm::DenseSet<const Stmt *> AfterForeignRelease;
};

/// The locks a function holds on entry because its callers hold them, for
/// one translation unit. Built lazily by whoever needs it, memoised, and
/// dropped at the end of the translation unit. A function holds lock L at
/// entry when
///  (a) it carries a thread-safety annotation naming L:
///      `__attribute__((requires_capability(mu)))`, exclusive_locks_required,
///      shared_locks_required, the REQUIRES(...) macros over them;
///  (b) its body starts (before any lock or unlock) by asserting L:
///      `mu_.AssertHeld()` on a lockable object, or a method annotated
///      assert_capability;
///  (c) it is a private, non-virtual method or a function with internal
///      linkage, it is called in the translation unit (at most MaxCallers
///      times, never referenced other than by a call), and every call holds
///      L: in the caller's body or, up to MaxDepth levels, at the caller's
///      own entry.
/// Keys are in the function's own naming: a member through `this` is its
/// field (`mu_`), as LockModel::describeMutex names it in the body.
class EntryLocks {
public:
  EntryLocks(ASTContext &Ctx, const LockModelOptions &Options,
             unsigned MaxCallers = 16, unsigned MaxDepth = 2);
  ~EntryLocks();
  EntryLocks(const EntryLocks &) = delete;
  EntryLocks &operator=(const EntryLocks &) = delete;

  /// The locks held on every entry to \p FD (empty: none known).
  const LockSet &at(const FunctionDecl *FD) { return atDepth(FD, MaxDepth); }

  /// The lock model of \p FD's body, built once; null when the body takes
  /// no lock or could not be analysed.
  const LockModel *modelOf(const FunctionDecl *FD);

  /// Takes body models from \p S (which builds each once, with the same
  /// options) instead of building its own: one CFG per function for all
  /// who ask. \p S must outlive this object.
  void shareModels(std::function<const LockModel *(const FunctionDecl *)> S) {
    Source = std::move(S);
  }

  /// The locks held just before \p S in \p FD: those its body holds and
  /// those held at its entry. Empty when unknown.
  LockSet heldAt(const Stmt *S, const FunctionDecl *FD);

  /// Whether anything in the translation unit calls \p FD or refers to it.
  bool isReferenced(const FunctionDecl *FD);

  /// A call of a function in the translation unit, and the function (or
  /// lambda call operator) it is in.
  struct CallSite {
    const Expr *Call;
    const FunctionDecl *Caller;
  };
  /// The calls of \p FD in the translation unit (outside system headers).
  llvm::ArrayRef<CallSite> callersOf(const FunctionDecl *FD);

private:
  struct Index;
  const LockSet &atDepth(const FunctionDecl *FD, unsigned Depth);
  LockSet fromCallers(const FunctionDecl *FD, unsigned Depth);
  const Index &index();

  ASTContext &Ctx;
  const LockModelOptions &Options;
  const unsigned MaxCallers;
  const unsigned MaxDepth;
  std::map<std::pair<const FunctionDecl *, unsigned>, LockSet> Memo;
  std::map<const FunctionDecl *, std::unique_ptr<LockModel>> Models;
  /// Where body models come from when set (a cache shared with others).
  std::function<const LockModel *(const FunctionDecl *)> Source;
  std::map<const FunctionDecl *, const LockModel *> Sourced;
  std::unique_ptr<Index> Calls;
};

} // namespace clang::tidy::threadlint

#endif
