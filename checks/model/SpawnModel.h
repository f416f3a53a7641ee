//===--- SpawnModel.h - what starts concurrent work -------------*- C++ -*-===//
//
// The shared model of spawn sites (see the catalogue's shared vocabulary):
// which expressions start concurrent work, which body that work runs, and
// whether the work may still run after a given scope (a loop iteration, a
// function) ends.
//
//===----------------------------------------------------------------------===//
#ifndef THREADLINT_CHECKS_MODEL_SPAWNMODEL_H
#define THREADLINT_CHECKS_MODEL_SPAWNMODEL_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "llvm/ADT/SmallVector.h"
#include <optional>
#include <string>
#include <vector>

namespace clang::tidy::threadlint {

/// How the work is started.
enum class SpawnKind {
  Thread,        ///< std::thread, boost::thread (object, emplace, make_unique)
  JThread,       ///< std::jthread: joins when destroyed
  Async,         ///< std::async: the future blocks when destroyed
  PthreadCreate, ///< pthread_create
  Function,      ///< an entry of the SpawnFunctions option (thread pools)
};

/// One place that starts concurrent work.
struct SpawnSite {
  const Expr *Site = nullptr; ///< the construction or call that spawns
  SpawnKind Kind = SpawnKind::Thread;
  /// The expression naming the body, as passed (null for a spawn without a
  /// recognisable callable).
  const Expr *Callable = nullptr;
  /// The lambda run by the work, when the callable is one (directly, or a
  /// local variable initialised with one).
  const LambdaExpr *Lambda = nullptr;
  /// The function the work runs (a lambda's call operator, a named function,
  /// a member function), when known.
  const FunctionDecl *Body = nullptr;
  /// The callable is a pointer to member: Args[0] is the object.
  bool MemberPointer = false;
  /// Arguments the spawner forwards to the body (after the callable).
  llvm::SmallVector<const Expr *, 4> Args;
  /// The spawn function (std::async, a pool's method, ...) or thread class.
  const NamedDecl *Spawner = nullptr;

  /// Parameter of Body receiving Args[I], if known.
  const ParmVarDecl *paramFor(unsigned I) const;
};

/// Why spawned work may still run after a scope ends, or why it does not.
enum class LifetimeReason {
  Detached,      ///< outlives: .detach() / pthread_detach
  StoredOutside, ///< outlives: handle kept in a variable or container
                 ///< declared outside the scope
  HandedToPool,  ///< outlives: a pool runs it whenever it likes
  Returned,      ///< outlives: the handle leaves the function
  NotJoined,     ///< outlives: pthread thread not joined in the scope
  EndsInScope,   ///< does not outlive: joined, waited, or destroyed in scope
  Unknown,       ///< cannot tell: callers must not warn
};

struct Lifetime {
  LifetimeReason Reason = LifetimeReason::Unknown;
  /// The variable, field or container holding the work, when there is one.
  const NamedDecl *Holder = nullptr;

  bool outlives() const {
    return Reason != LifetimeReason::EndsInScope &&
           Reason != LifetimeReason::Unknown;
  }
};

class SpawnModel {
public:
  /// Qualified names (or `Class::method`) of functions that hand work to
  /// another thread, e.g. "::boost::asio::post;ThreadPool::enqueue".
  explicit SpawnModel(std::vector<std::string> SpawnFunctions);

  /// The default of the SpawnFunctions option.
  static llvm::StringRef defaultSpawnFunctions();
  const std::vector<std::string> &spawnFunctions() const {
    return SpawnFunctions;
  }

  /// Candidate spawn expressions, bound to "spawn". Every match must still
  /// go through classify().
  ast_matchers::StatementMatcher candidateMatcher() const;

  /// Registers the candidates with \p Finder for \p Callback, one matcher
  /// per node kind (construction, emplace, call), so the finder tries each
  /// only on nodes of its kind: far cheaper than candidateMatcher(), an
  /// `expr(anyOf(...))` tried on every expression of the translation unit.
  void registerCandidates(ast_matchers::MatchFinder &Finder,
                          ast_matchers::MatchFinder::MatchCallback *Callback) const;

  /// The spawn site E is, if it is one. A std::async whose future is a
  /// discarded temporary runs synchronously and is not a spawn site.
  std::optional<SpawnSite> classify(const Expr *E, ASTContext &Ctx) const;

  /// \p Call as a call of a spawn function the caller knows to be one (a
  /// method the concurrency model inferred to hand work to a pool thread):
  /// its first callable argument is the body.
  std::optional<SpawnSite> classifyAsSpawnFunction(const CallExpr *Call) const;

  /// Whether the work started at S may still run once Scope (a statement
  /// that contains S, e.g. a loop body) has finished executing.
  Lifetime lifetimeIn(const SpawnSite &S, const Stmt *Scope,
                      ASTContext &Ctx) const;

private:
  std::vector<std::string> SpawnFunctions;
};

/// A type that can be called: a function (pointer), a lambda, a class with
/// operator() (std::function, a binder, a functor).
bool isCallableType(QualType T);

/// A method name that waits for or joins work ("join", "wait", a future's
/// "get", a pool's "wait_for_tasks", ...), given the object's type.
bool isWaitCallName(llvm::StringRef Name, QualType ObjType);

/// The first template argument of a class template specialization, if it is
/// a type (the element of std::vector<std::thread>, of unique_ptr<T>).
QualType firstTemplateTypeArg(const CXXRecordDecl *RD);

/// Whether \p Call may wait for work another thread does: the one answer
/// for checks that stop judging what follows such a call (precision
/// first). A join of threads (a name with "join" made on or given a
/// thread, or taking and returning no strings: not `join(parts, ",")`), a
/// future's get/wait/value, a wait of a latch, barrier, wait group or pool
/// (isWaitCallName), a condition-variable wait, or a project's own wait
/// (a name with "wait", "acquire" or "drain": `WaitForJobs()`,
/// `sem_wait`, `sem.acquire()`). Closing a file or joining strings waits
/// for no one. Which work a wait covers is the concurrency model's
/// `waitsFor`.
bool mayWaitForOtherThreads(const CallExpr *Call);

/// True when \p Inner is \p Outer or lies inside it (following parents).
bool contains(const Stmt *Outer, const Stmt *Inner, ASTContext &Ctx);
/// Whether \p D's plain qualified name (no template arguments, no inline
/// namespaces) matches one of \p Names: "::a::B::f" exactly, "B::f" as a
/// suffix at a "::" boundary.
bool matchesAnyName(const NamedDecl *D, llvm::ArrayRef<std::string> Names);

/// The declaration an expression denotes: a variable, a field, or the
/// container an element expression (v[i], v.back(), *p) belongs to.
const NamedDecl *referencedDecl(const Expr *E);
/// \p A comes before \p B in the translation unit (macro expansions at
/// their expansion point).
bool isBefore(SourceLocation A, SourceLocation B, const SourceManager &SM);

/// True when \p D is declared somewhere inside \p Scope.
bool isDeclaredWithin(const Decl *D, const Stmt *Scope, ASTContext &Ctx);

} // namespace clang::tidy::threadlint

#endif
