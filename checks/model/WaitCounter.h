//===--- WaitCounter.h - counters and wait groups a waiter waits on -*- C++ -*-===//
//
// The vocabulary of "work counted down to zero" that more than one check
// reads: a wait group (a class with Add-like and Wait-like methods, Go's
// sync.WaitGroup), an atomic integer counter, and the tests a waiter makes
// on it (a spin loop until it is zero, a condition-variable predicate that
// it is zero). add-inside-spawned-task asks whether the counter is raised
// inside the task; skipped-done whether it is lowered on every path.
//
//===----------------------------------------------------------------------===//
#ifndef THREADLINT_CHECKS_MODEL_WAITCOUNTER_H
#define THREADLINT_CHECKS_MODEL_WAITCOUNTER_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "llvm/ADT/APSInt.h"
#include <optional>
#include <string>
#include <vector>

namespace clang::tidy::threadlint {

/// An integer literal's value, if \p E is one (through casts and parentheses).
std::optional<llvm::APSInt> literalValue(const Expr *E, ASTContext &Ctx);

/// An argument that may add: not a literal <= 0, not a negation.
bool mayBePositive(const Expr *Arg, ASTContext &Ctx);

/// The object is a std::atomic of an integer type (not bool), seen through
/// the implicit conversion to its base class libstdc++'s members need.
bool isStdAtomicIntegral(const Expr *Obj);

/// \p E reads \p Object's value: `c`, `c.load()`, a conversion of `c`.
bool readsObject(const Expr *E, const NamedDecl *Object);

/// \p Cond holds while \p Object is not zero: `c`, `c != 0`, `c > 0`,
/// `0 < c`, either side of && or ||.
bool testsNonZero(const Expr *Cond, const NamedDecl *Object, ASTContext &Ctx);

/// \p Cond holds once \p Object is zero: `c == 0`, `c <= 0`, `!c`, `0 == c`.
bool testsZero(const Expr *Cond, const NamedDecl *Object, ASTContext &Ctx);

/// The value a one-statement predicate lambda returns:
/// `[&] { return c == 0; }` gives `c == 0`.
const Expr *predicateResult(const Expr *Arg);

/// Whether \p RD is a wait group: named in \p Types, or a class with an
/// Add-like method (a name of \p AddMethods taking at most one integer) and
/// a Wait-like method (a name of \p WaitMethods). A pool's `add(task)`
/// takes a task, not a count: no wait group.
bool isWaitGroupClass(const CXXRecordDecl *RD,
                      llvm::ArrayRef<std::string> Types,
                      llvm::ArrayRef<std::string> AddMethods,
                      llvm::ArrayRef<std::string> WaitMethods);

} // namespace clang::tidy::threadlint

#endif
