//===--- ExceptionModel.h - what can throw out of a function ---*- C++ -*-===//
//
// Which exceptions can leave a function's body uncaught: `throw`
// expressions, rethrows (`throw;` in a handler, of what its try block is
// known to throw), calls that throw by
// contract (`.at()` of the standard containers, `std::stoi` and friends,
// `std::future::get`, `std::optional::value`, `std::any_cast` of a value,
// `std::get` of a `std::variant`, a second `set_value` on one promise on
// every path, optionally `new`), and calls of functions of the translation
// unit that let one of these escape, followed within bounds (not noexcept
// callees, not virtual calls that may go elsewhere, not system headers).
// Each candidate is matched against the handlers around it (`catch (...)`,
// the thrown class or a base of it, the standard exception hierarchy for the
// by-contract calls). Summaries are computed once per function and bound,
// and composed at each call site. The model knows no check.
//
//===----------------------------------------------------------------------===//
#ifndef THREADLINT_CHECKS_MODEL_EXCEPTIONMODEL_H
#define THREADLINT_CHECKS_MODEL_EXCEPTIONMODEL_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"
#include <memory>
#include <string>
#include <utility>

namespace clang::tidy::threadlint {

/// What is known of a thrown exception's type.
struct ThrownType {
  enum class Kind {
    Class, ///< a class: `throw ParseError(...)`
    Std,   ///< a standard exception a by-contract call throws (StdName)
    Other, ///< a non-class type: `throw 42`, `throw "bad"`
    Any,   ///< unknown: what a future stores
  };
  Kind K = Kind::Any;
  const CXXRecordDecl *Class = nullptr;
  /// Kind::Std: the class name in namespace std ("out_of_range").
  llvm::StringRef StdName;
  /// Kind::Other: the thrown type.
  QualType Type;

  /// As written in a diagnostic: "std::out_of_range", "ParseError", "int".
  std::string name(const ASTContext &Ctx) const;
};

/// Where an exception that leaves the function comes from.
enum class ThrowOrigin {
  Throw,     ///< a `throw` expression
  Rethrow,   ///< `throw;` inside a handler
  Call,      ///< a call that throws by contract (`std::stoi`, `.at()`)
  SecondSet, ///< a second `set_value`/`set_exception` on one promise
  New,       ///< `new` (std::bad_alloc), when allocation is reported
};

/// One exception that can leave a function uncaught.
struct ExceptionEscape {
  ThrownType What;
  ThrowOrigin Origin = ThrowOrigin::Throw;
  /// The throw expression, the call or the new expression.
  const Expr *At = nullptr;
  /// The by-contract function (std::stoi, std::vector::at, ...) or the
  /// promise method; null for throw expressions and `new`.
  const FunctionDecl *Callee = nullptr;
  /// SecondSet: the first call that satisfied the promise.
  const Expr *FirstSet = nullptr;
  /// The calls from the function asked about down to the one holding At:
  /// each call with the function it calls.
  llvm::SmallVector<std::pair<const Expr *, const FunctionDecl *>, 4> Through;
};

struct ExceptionModelOptions {
  /// How deep calls are followed below the function asked about.
  unsigned MaxDepth = 4;
  /// How many functions one question may summarise.
  unsigned MaxFunctions = 300;
  /// `new` (not nothrow, not placement) counts as throwing std::bad_alloc.
  bool ReportAllocation = false;
};

class ExceptionModel {
public:
  ExceptionModel(ASTContext &Ctx, ExceptionModelOptions Options);
  ~ExceptionModel();

  /// The exceptions that can leave \p FD's body uncaught, in source order
  /// (at most a few per function; calls followed within the bounds). Empty
  /// for a function without a body, with errors, or declared noexcept.
  /// \p Cut, when given, says whether a bound (depth, function count, size)
  /// stopped the search.
  llvm::ArrayRef<ExceptionEscape> escapesFrom(const FunctionDecl *FD,
                                              bool *Cut = nullptr);

  /// Whether the handler \p Handler catches an exception of \p T (a
  /// handler whose match cannot be decided is taken to catch it).
  static bool catches(const CXXCatchStmt *Handler, const ThrownType &T);

  /// Whether \p FD is declared not to throw (noexcept, throw(), a
  /// destructor without noexcept(false)); false when unknown.
  static bool isNoexcept(const FunctionDecl *FD);

private:
  struct Summary;
  const Summary &summarize(const FunctionDecl *FD, unsigned DepthLeft,
                           unsigned &Budget);

  ASTContext &Ctx;
  ExceptionModelOptions Options;
  llvm::DenseMap<std::pair<const FunctionDecl *, unsigned>,
                 std::unique_ptr<Summary>>
      Summaries;
};

} // namespace clang::tidy::threadlint

#endif
