//===--- HandOff.h - what one thread publishes and another receives -*- C++ -*-===//
//
// The hand-off vocabulary of the concurrency model's happens-before edges
// (docs/model.md). A thread *publishes* through an object: it notifies a
// condition variable, releases a semaphore, sets a promise's value, or
// stores to an atomic with release (or stronger) order. Another thread
// *receives* through the same object: it waits on the condition variable,
// acquires the semaphore, waits for (or gets) a future made by that
// promise's get_future(), waits on the atomic (C++20 `wait`), or spins until
// an acquire (or stronger) load of it sees the store. What the publisher did before publishing happens
// before what the receiver does after receiving.
//
// A load receives only in a spin: the condition of a loop (`while
// (!done.load())`), or an `if` in a loop body whose branch is `break`. A
// load tested once (`if (done)`) may have missed the store and orders
// nothing. A condition-variable wait with no predicate may wake spuriously:
// it receives as the exit test of the loop around it. Relaxed operations order nothing. An order the code computes at
// run time counts as strong enough: in doubt, the model does not report.
//
//===----------------------------------------------------------------------===//
#ifndef THREADLINT_CHECKS_MODEL_HANDOFF_H
#define THREADLINT_CHECKS_MODEL_HANDOFF_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "llvm/ADT/DenseMap.h"

namespace clang::tidy::threadlint {

/// The object \p E publishes through (notify, semaphore release, a release
/// store or read-modify-write of an atomic), or null.
const NamedDecl *publishedThrough(const Expr *E, ASTContext &Ctx);

/// The object \p E receives through (a condition-variable or semaphore
/// wait, an atomic's `wait`; an acquire load or read-modify-write of an
/// atomic when \p Spins: it is in a spin loop's exit test), or null.
const NamedDecl *receivedThrough(const Expr *E, bool Spins, ASTContext &Ctx);

/// What an operation does to an atomic object.
enum class AtomicAccess {
  None,            ///< not an operation on an atomic
  Load,            ///< load, test, the conversion to the value
  Store,           ///< store, clear, `a = v`
  ReadModifyWrite, ///< exchange, fetch_*, compare-exchange, `++a`, __sync_*
  Wait,            ///< C++20 wait
  Notify,          ///< C++20 notify_one / notify_all
  Other,           ///< any other member (is_lock_free, ...)
};

/// One operation on an atomic object: what it does, the object, and the
/// memory order it names (null: the default, sequentially consistent).
struct AtomicOperation {
  AtomicAccess Access = AtomicAccess::None;
  const NamedDecl *Object = nullptr;
  const Expr *Order = nullptr;
};

/// \p E as an operation on an atomic (Access None for anything else).
AtomicOperation atomicOperationOf(const Expr *E);

/// Whether \p Object is a condition variable (std::condition_variable[_any],
/// a project's `CondVar` or `Condition`).
bool isConditionVariable(const Expr *Object);

/// What \p E does to an atomic: a `__atomic_*`/`__c11_atomic_*` builtin, a
/// `__sync_*` builtin (other than `__sync_synchronize`), or a member or
/// operator call on a std::atomic, atomic_ref or atomic_flag.
AtomicAccess atomicAccessOf(const Expr *E);

/// The expressions of \p Body that decide a spin loop's exit (the condition
/// of a while, do or for loop; the condition of an `if` whose branch is a
/// `break` directly in a loop body; not crossing a lambda), each with the
/// expression that receives for it: itself, or, for the test of a loop
/// around a condition-variable wait (`while (!ready) cv.wait(lock);`), that
/// wait.
llvm::DenseMap<const Expr *, const Expr *> spinExitTests(const Stmt *Body);

} // namespace clang::tidy::threadlint

#endif
