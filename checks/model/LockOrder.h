//===--- LockOrder.h - which locks are taken while which are held -*- C++ -*-===//
//
// The lock-order model of one translation unit, on the lock model: for
// every function, the locks it takes (itself or through its callees) and
// the orders it takes them in ("held A, took B").
//
// Per function a summary, computed on demand and memoised:
//  - Acquires: every lock the function may take, directly or through a
//    callee of the translation unit (a direct call to a function with a
//    body: free functions, methods, a lambda's call operator called through
//    a template parameter, template instances), with the call it goes
//    through. Try-locks are not in it (they back off), nor a lock a callee
//    takes back after releasing its caller's (`mu.Unlock(); ...; mu.Lock()`).
//  - Edges: "held From, took To": each acquisition against the locks held
//    on every path to it (LockModel::acquisitions), each call against what
//    its callee acquires, and the callees' own edges.
//
// Lock identities are the lock model's keys, rebound at each call: a
// member of `this` in the callee (`mu_`) becomes the member of the object
// the call is made on (`other.mu_`) unless the call is on `this`, and a
// parameter (`from.mu`) becomes the argument (`a.mu`). A member of `this`
// never rebound (the same member in methods of one class) stands for that
// member of any one object, the usual reading of lock-order checkers. Keys
// spelled from text (`locks[i]`, `get()`) are left out: the same text may
// name different mutexes.
//
// Bounds: calls are followed MaxDepth levels; a summary keeps at most
// MaxLocks acquisitions and MaxEdges edges; recursion cuts the cycle.
// Functions in system headers are not analysed.
//
//===----------------------------------------------------------------------===//
#ifndef THREADLINT_CHECKS_MODEL_LOCKORDER_H
#define THREADLINT_CHECKS_MODEL_LOCKORDER_H

#include "model/LockGraph.h"
#include "model/LockModel.h"
#include "clang/AST/Decl.h"
#include "llvm/ADT/DenseMap.h"
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace clang::tidy::threadlint {

class ConcurrencyModel;

/// One lock a function takes, in that function's naming.
struct OrderLock {
  std::string Key;  ///< the lock model's key, rebound to this function
  std::string Name; ///< display: "mu_", "a.mu"
  /// In the function: the acquisition, or the call that leads to it.
  const Stmt *Site = nullptr;
  /// The acquisition itself (in the innermost callee when through calls).
  const Stmt *Inner = nullptr;
  const FunctionDecl *InnerIn = nullptr;
  /// The callees from Site to Inner ("Sessions::size"), "" when direct.
  std::string Via;
  const Expr *Object = nullptr; ///< the mutex expression at Inner
  bool Shared = false;
  bool Try = false;
  /// Taken only on some paths of a function on the way: inside an if or
  /// switch branch, a ?: arm, the right of && or ||, or after an early
  /// return (`if (!is_locked) mu_.Lock();`, rocksdb's flags).
  bool Conditional = false;
};

/// "Holding From, the function took To."
struct OrderEdge {
  OrderLock From; ///< Site: where From was taken (in Frame)
  OrderLock To;   ///< Site: the acquisition of To or the call (in Frame)
  /// The function From and To's sites are in.
  const FunctionDecl *Frame = nullptr;
  /// When the edge comes from a callee whose locks a call rebound (a
  /// parameter or the object it is called on): that call, and the function
  /// it is in. Null otherwise.
  const Stmt *Call = nullptr;
  const FunctionDecl *CallIn = nullptr;

  /// The statement and function that decide when the edge happens: the
  /// call when there is one, else To's site.
  const Stmt *when() const { return Call ? Call : To.Site; }
  const FunctionDecl *whenIn() const { return Call ? CallIn : Frame; }
};

class LockOrderModel {
public:
  LockOrderModel(ConcurrencyModel &Model, unsigned MaxDepth = 5,
                 unsigned MaxLocks = 32, unsigned MaxEdges = 64);
  ~LockOrderModel();
  LockOrderModel(const LockOrderModel &) = delete;
  LockOrderModel &operator=(const LockOrderModel &) = delete;

  struct Summary {
    std::vector<OrderLock> Acquires;
    std::vector<OrderEdge> Edges;
  };
  /// The summary of \p FD (a definition; empty for one without a body or in
  /// a system header).
  const Summary &summaryOf(const FunctionDecl *FD);

  /// Every edge of every function defined in the translation unit outside
  /// system headers (template instances included, uninstantiated templates
  /// not), without repeats, in source order of To's site. Self-edges (the
  /// same key held and taken) included.
  const std::vector<OrderEdge> &edges();

  /// The edge as exported: names of locks that mean the same in every
  /// translation unit (LockGraph.h), sites as file/offset/line/column.
  /// False when a lock has no such name (a local, a parameter).
  bool exportEdge(const OrderEdge &E, LockOrderEdge &Out) const;
  /// The edge with sites and display names only (identities as keys), for
  /// messages inside one translation unit.
  LockOrderEdge describe(const OrderEdge &E) const;

  /// Whether the mutex \p E denotes may be locked again by the thread that
  /// holds it: a recursive mutex type (by name: recursive, reentrant), a
  /// class wrapping one, or a pthread mutex in a translation unit that sets
  /// mutex types.
  bool mayBeRecursive(const Expr *E);

  /// The identity of a lock in the lock-order graph: its key, except that a
  /// member reached through members of `this` (`ledger_->mu`) stands for
  /// that member of its class (`Ledger::mu`), as `mu` does inside Ledger's
  /// methods: lock classes, as lockdep has them. (Double-lock compares the
  /// keys themselves: `next->mu` under `mu` is hand-over-hand locking.)
  static std::string orderIdentity(llvm::StringRef Key);

  /// A readable name of \p FD for messages ("Sessions::size", "lambda").
  static std::string functionName(const FunctionDecl *FD);

private:
  struct Impl;
  std::unique_ptr<Impl> P;
};

} // namespace clang::tidy::threadlint

#endif
