//===--- GuardModel.h - which mutex guards which field -----------*- C++ -*-===//
//
// The guard model of one translation unit, on the lock model: for every
// field (accessed through `this` in its class's member functions and the
// lambdas written in them) and every global, each plain access with the
// locks held on every path to it, and the mutex that guards it.
//
// Accesses. A read is a load of the value (an lvalue-to-rvalue conversion,
// a copy, a const member call or a non-mutating call of a standard
// container, string, optional or smart pointer); a write is an assignment,
// an increment, or a mutating call of such a standard type (push_back,
// insert, erase, clear, `map[k]`, reset, ...). A member reached with `.`
// (`stats_.hits++`, `arr_[i] = v`) is an access of the outer field. What is
// neither (a call of a project type's method, an address taken, a
// non-const reference bound) is not an access: the project type may lock
// inside, the reference may never be used. Fields of atomic, mutex or any
// other type outside that list are never accessed in this sense; const
// fields neither.
//
// Held locks: the lock model's, on every path, plus the locks the function
// holds at entry (EntryLocks: thread-safety annotations, AssertHeld, a
// private helper every caller calls with the lock held).
//
// Guards: a field's guard is declared (GUARDED_BY(mu) on the field) or
// inferred: the mutex held at the most writes of the field, when it is held
// at no fewer than MinWritePercent of its writes (and at one at least) and
// at MinAccessPercent of all its accesses. Accesses in constructors and
// destructors, and in private member functions nothing in the translation
// unit calls, do not count. A class that declares a guard for one field is
// taken at its word for the others: their guards are not inferred. A mutex
// that is a local variable of the function never guards.
//
// Template instantiations are not walked: their patterns are.
//
//===----------------------------------------------------------------------===//
#ifndef THREADLINT_CHECKS_MODEL_GUARDMODEL_H
#define THREADLINT_CHECKS_MODEL_GUARDMODEL_H

#include "model/LockModel.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "llvm/ADT/DenseMap.h"
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace clang::tidy::threadlint {

/// One read or write of a field (through `this`) or of a global.
struct GuardedAccess {
  /// The expression naming the field (the MemberExpr or DeclRefExpr).
  const Expr *E = nullptr;
  /// The statement the lock state is asked at: the outermost expression
  /// that reads or writes (the assignment, the call, the load).
  const Stmt *At = nullptr;
  /// The function (or lambda call operator) whose body holds it.
  const FunctionDecl *In = nullptr;
  const ValueDecl *Target = nullptr;
  bool Write = false;
  /// Held on every path to it (body and entry); meaningful when Known.
  LockSet Held;
  /// The lock state is known (the access is reachable and analysed).
  bool Known = false;
  /// In a constructor or destructor of the field's class (or a lambda
  /// written in one, not spawned), or in a private member function nothing
  /// in the translation unit calls: does not count as evidence.
  bool Excluded = false;
};

/// How much evidence makes a mutex a field's guard.
struct GuardThresholds {
  unsigned MinWritePercent = 50;
  unsigned MinAccessPercent = 25;
};

/// The mutex that guards a field or global.
struct FieldGuard {
  const ValueDecl *Target = nullptr;
  std::string Key;  ///< the lock model's key of the mutex
  std::string Name; ///< how to name it: "mu_"
  /// Declared with GUARDED_BY: the attribute, for a note.
  const Attr *Declared = nullptr;
  /// A counted access with the guard held, a write if there is one.
  const GuardedAccess *Witness = nullptr;
  /// The mutex is the object's own (a member through `this`), not a
  /// global, one handed in, or another object's.
  bool OwnMutex = false;
  /// Counted accesses and writes, and those with the guard held.
  unsigned Accesses = 0, Guarded = 0, Writes = 0, GuardedWrites = 0;
};

class GuardModel {
public:
  GuardModel(ASTContext &Ctx, const LockModelOptions &Options);
  ~GuardModel();
  GuardModel(const GuardModel &) = delete;
  GuardModel &operator=(const GuardModel &) = delete;

  /// The fields and globals with at least one access, in the order of their
  /// first access.
  llvm::ArrayRef<const ValueDecl *> targets();
  /// The accesses of \p Target, in traversal order.
  llvm::ArrayRef<GuardedAccess> accessesOf(const ValueDecl *Target);
  /// The guard of \p Target, if it has one under \p T.
  std::optional<FieldGuard> guardOf(const ValueDecl *Target,
                                    const GuardThresholds &T = {});
  /// The field (through `this`) or global that \p Obj denotes, or whose
  /// part it denotes (`file_`, `*file_`, `buf_.data()`'s object), when
  /// \p Lock guards it (with the default thresholds); null otherwise.
  /// \p In is the function \p Obj is in.
  const ValueDecl *guardedBy(const Expr *Obj, const HeldLock &Lock,
                             const FunctionDecl *In);
  /// The locks held at entry of \p FD (EntryLocks).
  EntryLocks &entryLocks() { return *Entry; }

private:
  void collect();
  ASTContext &Ctx;
  std::unique_ptr<EntryLocks> Entry;
  bool Collected = false;
  std::vector<const ValueDecl *> Order;
  llvm::DenseMap<const ValueDecl *, std::vector<GuardedAccess>> ByTarget;
  llvm::DenseMap<const ValueDecl *, std::optional<FieldGuard>> Defaults;
};

/// The field (through `this`, possibly through `.` members and array
/// subscripts) or non-const global that \p E names at its root, or null.
const ValueDecl *rootTarget(const Expr *E);

} // namespace clang::tidy::threadlint

#endif
