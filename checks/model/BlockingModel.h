//===--- BlockingModel.h - calls that block the calling thread --*- C++ -*-===//
//
// The shared blocking model (see the catalogue's shared vocabulary): a data
// table of functions that may block for an unbounded or long time (I/O,
// sleeps, joins, waits on futures, latches and semaphores, processes, DNS),
// extended by the BlockingFunctions option and by
// [[clang::annotate("threadlint::blocking")]] on a declaration; and a
// per-translation-unit summary of the functions that block indirectly,
// through calls to functions whose bodies are in the translation unit.
//
//===----------------------------------------------------------------------===//
#ifndef THREADLINT_CHECKS_MODEL_BLOCKINGMODEL_H
#define THREADLINT_CHECKS_MODEL_BLOCKINGMODEL_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "model/LockModel.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace clang::tidy::threadlint {

/// A call that blocks by itself.
struct BlockingCall {
  const FunctionDecl *Callee = nullptr;
  /// "recv", "std::this_thread::sleep_for", "operator<<" on a file stream.
  std::string Name;
  /// What kind of wait: "socket I/O", "sleep", "thread join", ...
  llvm::StringRef Family;
};

class BlockingModel {
public:
  /// \p Extra: qualified names from the BlockingFunctions option.
  BlockingModel(std::vector<std::string> Extra, bool IncludeConsoleOutput);

  /// Whether the call or construction \p E blocks by itself. Condition
  /// variable waits are not included: whether they block depends on the
  /// locks held (see conditionWaitLock).
  std::optional<BlockingCall> blocks(const Expr *E) const;

  /// For `cv.wait(lk, ...)`, `cv.wait_for(lk, ...)`, `pthread_cond_wait(&c,
  /// &m)`: the lock or guard expression the wait releases. Null otherwise.
  static const Expr *conditionWaitLock(const Expr *E);

  /// For a condition-variable wait whose mutex is a global variable (waited
  /// with directly or through a local guard constructed on it): that
  /// mutex's LockModel key. Such a wait in a helper blocks a caller holding
  /// any other lock.
  static std::optional<std::string> globalMutexWaitedOn(const Expr *Wait,
                                                        ASTContext &Ctx);

  /// Whether the wait \p E cannot wait: a timed wait whose timeout is a
  /// constant zero (`f.wait_for(0s)`, `cv.wait_for(lk, 0ms)`,
  /// `poll(fds, n, 0)`, `epoll_wait(fd, ev, n, 0)`): a poll of the state.
  static bool hasZeroTimeout(const Expr *E);

  /// The built-in table alone (no BlockingFunctions, no console output):
  /// one read-only instance per process, for code that needs the table
  /// without a check's options.
  static const BlockingModel &builtin();

  /// Every name of the built-in table (for documentation and tests).
  static std::vector<std::string> tableNames();

  const std::vector<std::string> &extraFunctions() const { return Extra; }
  bool includeConsoleOutput() const { return IncludeConsole; }

private:
  std::vector<std::string> Extra;
  bool IncludeConsole;
  /// Last name component → table rows (indices) and option entries.
  llvm::StringMap<std::vector<std::pair<std::string, llvm::StringRef>>> ByLast;
};

/// One step of a chain from a call down to the call that blocks.
struct BlockingStep {
  /// The function the step's call is in.
  const FunctionDecl *Caller = nullptr;
  /// The call inside Caller.
  const Expr *Call = nullptr;
  /// Its callee.
  const FunctionDecl *Callee = nullptr;
  /// Before this call, on some path, Caller released a lock it had not
  /// taken itself: its caller's (`db_mutex_->Unlock()` before a join).
  bool AfterCallersLockReleased = false;
};

/// Which functions of a translation unit may block, transitively. Computed
/// lazily and memoised; bounded in depth; bodies in system headers are not
/// entered (the table speaks for them).
///
/// A chain through a function that first releases a lock it did not take
/// (its caller's: `db_mutex_->Unlock(); thread.join(); db_mutex_->Lock();`)
/// is marked (BlockingStep::AfterCallersLockReleased): the caller's lock is
/// not held where it blocks. A function with several chains gives one that
/// keeps its caller's locks when it has one.
///
/// The chain given is the best within the depth left: one that keeps the
/// caller's locks, then the shortest, then the first in source order. It
/// depends only on the function and on the depth left, never on which
/// queries ran before: results are memoised per (function, depth left); a
/// recursive cycle is ended by the depth bound like any other chain (the
/// best chain never passes a function twice). Only a search cut by the
/// visit budget is not remembered.
class BlockingSummary {
public:
  BlockingSummary(const BlockingModel &Model, unsigned MaxDepth,
                  LockModelOptions LockOptions = {})
      : Model(Model), MaxDepth(MaxDepth), LockOptions(std::move(LockOptions)) {}

  /// If calling \p FD may block: the chain of calls from inside FD down to a
  /// blocking call (its last step's Call blocks by itself). Null otherwise.
  const std::vector<BlockingStep> *mayBlock(const FunctionDecl *FD,
                                            ASTContext &Ctx);

  /// The blocking call at the end of \p Chain.
  std::optional<BlockingCall> blockingEnd(
      const std::vector<BlockingStep> &Chain) const {
    return Model.blocks(Chain.back().Call);
  }

  /// Whether some function of \p Chain releases its caller's lock before
  /// the chain goes on: the first caller's locks are then not known to be
  /// held where the chain blocks.
  static bool releasesCallersLock(const std::vector<BlockingStep> &Chain) {
    return llvm::any_of(Chain, [](const BlockingStep &S) {
      return S.AfterCallersLockReleased;
    });
  }

  void clear() {
    Memo.clear();
    Models.clear();
    Scratch.clear();
  }

private:
  const std::vector<BlockingStep> *compute(const FunctionDecl *FD,
                                           ASTContext &Ctx, unsigned Depth);
  /// FD's lock model when its body may release a lock, else null.
  const LockModel *releasesIn(const FunctionDecl *FD, ASTContext &Ctx);

  const BlockingModel &Model;
  unsigned MaxDepth;
  LockModelOptions LockOptions;
  /// Finished (function, depth left) pairs: their chain (empty = does not
  /// block within that depth).
  /// (A std::map: callers keep pointers to chains across later queries.)
  std::map<std::pair<const FunctionDecl *, unsigned>, std::vector<BlockingStep>>
      Memo;
  /// Answers of the current query that are not memoised.
  std::deque<std::vector<BlockingStep>> Scratch;
  std::map<const FunctionDecl *, std::unique_ptr<LockModel>> Models;
  /// Bodies entered by the current query, and its limit.
  unsigned Visits = 0;
  static constexpr unsigned MaxVisits = 400;
  /// The current search was cut short somewhere below by the visit budget
  /// (the depth bound is part of the memo's key).
  bool Truncated = false;
};

/// How to name the callee of \p E in a message: the member by the type it
/// is called on, an operator by itself, a construction by its type.
std::string displayName(const Expr *E, const FunctionDecl *FD);

/// The callee of a call or construction, if known.
const FunctionDecl *calleeOf(const Expr *E);

} // namespace clang::tidy::threadlint

#endif
