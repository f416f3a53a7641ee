//===--- ConcurrencyModel.h - what may run at the same time as what -*- C++ -*-===//
//
// The shared concurrency model (see docs/model.md and the catalogue's shared
// vocabulary). One model per translation unit, built on first use and shared
// by every check that asks (ConcurrencyModel::get), never rebuilt per check.
// It knows no check. It computes, lazily and within bounds:
//
//  - spawn records: every spawn site of the TU (SpawnModel::classify), with
//    the function that spawns, the loop around it, the body the work runs
//    (a lambda, a function, a member function started as
//    `std::thread(&C::run, this)`), and the class whose object the work
//    runs on;
//  - inferred spawn functions: a method that stores a callable argument into
//    a member container which a thread entry of the same class pops and
//    invokes is a spawn function, like the SpawnFunctions option's entries;
//  - thread entries: the bodies, and every function of the TU they call,
//    transitively (MaxEntryDepth, MaxEntryFunctions);
//  - class protocols: which methods start work on the object, which wait for
//    it or stop it (join, a pool's wait, a wait group's Wait, request_stop,
//    directly or through another method of the class), whether the
//    destructor does;
//  - happens-before, on each function's CFG: what the spawner did before the
//    spawn is ordered before the work; what follows a wait that covers the
//    work (a join of its holder, `pthread_join` of its id, `get`/`wait` of
//    its future, a wait of the pool it was handed to, a wait on an object
//    the work itself signals, a loop that joins every element of the
//    holder) is ordered after it; what the work did before it published
//    through an object (a notify, a semaphore release, a release store to
//    an atomic: HandOff.h) is ordered before what follows the receipt (a
//    wait on it, a spin until an acquire load sees it); a lock both hold
//    excludes two statements;
//  - order(A, B): Concurrent, Ordered or Unknown, the one answer every
//    check uses (mayRunConcurrently: Concurrent).
//
// Statements of a template instantiation that do not depend on its
// arguments are shared with the pattern, so their parent is ambiguous: a
// caller that knows the function a statement is in passes it as `In`.
//
// Usage (in a check):
//   ConcurrencyModel &M = ConcurrencyModel::get(Ctx, ModelOpts, Handle);
//   if (M.mayRunConcurrently(A, B)) ...
// where Handle is a std::shared_ptr member of the check reset in
// onEndOfTranslationUnit (it keeps the TU's model alive while the check runs).
//
//===----------------------------------------------------------------------===//
#ifndef THREADLINT_CHECKS_MODEL_CONCURRENCYMODEL_H
#define THREADLINT_CHECKS_MODEL_CONCURRENCYMODEL_H

#include "model/LockModel.h"
#include "model/SpawnModel.h"
#include "clang-tidy/ClangTidyCheck.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace clang {
class CFG;
class CFGBlock;
} // namespace clang

namespace clang::tidy::threadlint {

class GuardModel;
class LockOrderModel;

/// The vocabulary every model reads: SpawnFunctions, LockTypes, GuardTypes
/// and the bounds, read once per check with getLocalOrGlobal (so a global
/// option applies to every check) and stored back by storeOptions.
struct ModelOptions {
  std::vector<std::string> SpawnFunctions;
  LockModelOptions Locks;
  /// How deep calls are followed from a spawned body (thread entries) or a
  /// method (class protocols).
  unsigned MaxEntryDepth = 4;
  /// How many functions one thread-entry search may visit.
  unsigned MaxEntryFunctions = 300;

  static ModelOptions read(const ClangTidyCheck::OptionsView &Options);
  void store(ClangTidyCheck::OptionsView &Options,
             ClangTidyOptions::OptionMap &Opts) const;
  /// Equal for equal options: the key of the per-TU model.
  std::string fingerprint() const;
};

/// One place that starts concurrent work, with what the model knows of it.
struct SpawnRecord {
  SpawnSite Site;
  /// The function (or lambda call operator) whose body holds the site.
  const FunctionDecl *Spawner = nullptr;
  /// The innermost loop around the site inside Spawner (several instances
  /// of the work), or null.
  const Stmt *Loop = nullptr;
  /// The functions the work runs first (a lambda's call operator, the named
  /// function, the member function).
  llvm::SmallVector<const FunctionDecl *, 2> Bodies;
  /// The class whose object the work runs on: `&C::run` with `this`, a
  /// lambda capturing `this`, or work started by a method of C and kept in
  /// one of C's members. Null for free-standing work.
  const CXXRecordDecl *Class = nullptr;
  /// Where the work's handle is kept (a thread, future, container of them,
  /// pthread_t), or the pool it was handed to; null when unknown.
  const NamedDecl *Holder = nullptr;
  /// The pool (or executor) object a pool task was handed to, if known.
  const NamedDecl *Pool = nullptr;
  /// The spawn goes through a method inferred to be a spawn function.
  bool Inferred = false;
};

/// A function that runs on a spawned thread.
struct EntryReach {
  unsigned Spawn = 0;                  ///< index into spawns()
  const FunctionDecl *Caller = nullptr; ///< null for a body itself
  const Expr *Call = nullptr;          ///< the call in Caller reaching it
  unsigned Depth = 0;
};

/// A call in a method that waits for (or stops) work of its class.
struct ProtocolWait {
  const FunctionDecl *Method = nullptr;
  const Expr *Call = nullptr;
  /// The spawn records it waits for.
  llvm::SmallVector<unsigned, 2> Spawns;
};

/// How one class runs concurrent work across its methods.
struct ClassProtocol {
  const CXXRecordDecl *Class = nullptr;
  /// Spawn records (indices) whose work runs on objects of this class.
  llvm::SmallVector<unsigned, 2> Work;
  /// Methods that start that work.
  llvm::SmallVector<const FunctionDecl *, 2> StartMethods;
  /// Methods that wait for it or stop it, directly or through a method of
  /// the class they call; with the call that does.
  llvm::SmallVector<ProtocolWait, 2> Waits;
  /// The destructor (or a method it calls) waits for the work.
  bool DestructorWaits = false;

  /// Whether \p M may run while the class's work runs: a non-static member
  /// function of the class other than a constructor or the destructor.
  bool mayRunWithWork(const FunctionDecl *M) const;
  /// The wait \p M performs (directly or through a method), if any.
  const ProtocolWait *waitIn(const FunctionDecl *M) const;
  /// A wait for the work of \p Spawn, the destructor's first.
  const ProtocolWait *waitFor(unsigned Spawn) const;
};

/// Member and global accesses of one function (not of nested lambdas).
struct MemberAccess {
  const Expr *E = nullptr;
  const ValueDecl *Target = nullptr; ///< a FieldDecl or a global VarDecl
  bool Write = false;
};

class ConcurrencyModel {
public:
  /// The model of \p Ctx's translation unit for these options: built on
  /// first use, shared by all checks of the TU with equal options. \p Handle
  /// keeps it alive; reset it in onEndOfTranslationUnit.
  static ConcurrencyModel &get(ASTContext &Ctx, const ModelOptions &Options,
                               std::shared_ptr<ConcurrencyModel> &Handle);

  ConcurrencyModel(ASTContext &Ctx, ModelOptions Options);
  ~ConcurrencyModel();

  ASTContext &context() const { return Ctx; }
  const ModelOptions &options() const { return Options; }
  const SpawnModel &spawnModel() const { return Spawns; }

  // --- Spawns and thread entries -----------------------------------------
  /// Every spawn site of the TU outside system headers (including calls of
  /// inferred spawn functions).
  llvm::ArrayRef<SpawnRecord> spawns();
  /// The spawn record of \p Site (a spawn expression), if it is one.
  const SpawnRecord *spawnAt(const Expr *Site);
  /// The spawn records whose work is started in \p FD.
  llvm::SmallVector<unsigned, 4> spawnsIn(const FunctionDecl *FD);
  /// How \p FD runs on spawned threads: one reach per spawn record whose
  /// work calls it (empty: not a thread entry, as far as the bounds saw).
  llvm::ArrayRef<EntryReach> entryReaches(const FunctionDecl *FD);
  bool isThreadEntry(const FunctionDecl *FD) {
    return !entryReaches(FD).empty();
  }
  /// Several instances of the work of \p Spawn may run at once: it is
  /// spawned in a loop, or its body is reached by more than one spawn.
  bool manyInstances(unsigned Spawn);
  /// The spawn whose one thread is the only runner of \p FD, if there is
  /// one: \p FD runs in the work of that spawn alone, the work runs once at
  /// a time (a std::thread or std::jthread kept in a member of that type:
  /// assigning a new thread while one runs terminates; not spawned in a
  /// loop, no other spawn runs the body), and nothing in the translation
  /// unit outside that work, or the spawn expression itself, refers to any
  /// function of the work. What one thread alone writes has one writer.
  std::optional<unsigned> soleThreadOf(const FunctionDecl *FD);
  /// Methods inferred to hand their callable argument to a thread of their
  /// class (a hand-written pool's submit/post/enqueue).
  bool isInferredSpawnFunction(const FunctionDecl *FD);

  // --- Class protocols ---------------------------------------------------
  /// The protocol of \p RD, or null when no work runs on its objects.
  const ClassProtocol *protocolOf(const CXXRecordDecl *RD);

  // --- Happens-before ----------------------------------------------------
  /// \p S lies in the spawner of \p Spawn and runs only before the spawn
  /// (no path of the spawner's CFG leads from the spawn to \p S).
  bool isBeforeSpawn(const Stmt *S, unsigned Spawn,
                     const FunctionDecl *In = nullptr);
  /// Every path to \p S passes a wait that covers the work of \p Spawn: in
  /// the spawner from the spawn on; in another function of the work's
  /// class from its entry (a method that joins, then reads).
  bool isAfterWait(const Stmt *S, unsigned Spawn,
                   const FunctionDecl *In = nullptr);
  /// \p S runs before each spawn of its function or after a wait that
  /// covers it; in a method of a class with work that spawns nothing
  /// itself, after a wait for all of the class's work. False otherwise.
  bool orderedWithAllWorkOf(const Stmt *S, const FunctionDecl *In = nullptr);
  /// \p S's function spawns work, and every path to \p S passes waits
  /// that cover all of it (a test reading its results after `pool.wait()`).
  bool afterAllWorkWaited(const Stmt *S, const FunctionDecl *In = nullptr);
  /// \p To may run after \p From in the same execution of their function
  /// (a path of its CFG leads from one to the other; true when unknown).
  bool mayFollow(const Stmt *From, const Stmt *To);
  /// Whether \p F makes a call that waits for the work of \p Spawn (on some
  /// path; see isAfterWait for every path).
  bool waitsInFunction(const FunctionDecl *F, unsigned Spawn);
  /// The index of \p R in spawns().
  unsigned indexOf(const SpawnRecord &R) const {
    return static_cast<unsigned>(&R - Records.data());
  }
  /// Whether \p Call waits for (or joins) the work of \p Spawn.
  bool waitsFor(const Expr *Call, unsigned Spawn);

  /// How two statements relate in time.
  enum class Order {
    /// They may run on different threads at the same time: one runs in
    /// work, the other in its spawner, in other work, in another instance
    /// of the same work, or in a method of the work's class, and nothing
    /// below orders them.
    Concurrent,
    /// An edge orders them (the spawn, a wait that covers the work, a
    /// hand-off from the work), or a lock both hold excludes them, or both
    /// run on the one thread of the same work.
    Ordered,
    /// Neither runs in work the model knows of (a library class whose users
    /// are in other files): the model cannot say.
    Unknown,
  };
  /// The answer every check uses. \p InA and \p InB name the functions the
  /// statements are in when the caller knows them (template instances).
  Order order(const Stmt *A, const Stmt *B, const FunctionDecl *InA = nullptr,
              const FunctionDecl *InB = nullptr);
  /// order(A, B) == Order::Concurrent.
  bool mayRunConcurrently(const Stmt *A, const Stmt *B) {
    return order(A, B) == Order::Concurrent;
  }
  /// A hand-off orders \p A (in \p FA, a function of the work of \p Spawn)
  /// before \p B (in \p FB): after \p A on every path, and on no path
  /// before it, \p FA publishes through an object (HandOff.h), and every
  /// path to \p B (from the spawn, in the spawner; from the entry, in a
  /// method of the work's class) receives through the same object.
  bool handedOff(const Stmt *A, const FunctionDecl *FA, const Stmt *B,
                 const FunctionDecl *FB, unsigned Spawn);
  /// A lock held at both \p A and \p B (on every path to each), exclusively
  /// at one of them at least: a variable's mutex, or a member mutex of
  /// `this` when both functions belong to one class.
  bool excludedByLock(const Stmt *A, const FunctionDecl *FA, const Stmt *B,
                      const FunctionDecl *FB);
  /// Two executions of \p S may overlap (S runs in work with several
  /// instances, or in work and in a method that runs with it).
  bool mayRunConcurrentlyWithItself(const Stmt *S);

  // --- Locks and accesses --------------------------------------------------
  /// The lock model of \p FD's body, built once (null: no body).
  const LockModel *locksIn(const FunctionDecl *FD);
  /// The translation unit's lock-order model (LockOrder.h), built once.
  LockOrderModel &lockOrder();
  /// The translation unit's guard model (GuardModel.h), built once.
  GuardModel &guards();
  /// The locks held on every path to \p S in its function (null: unknown).
  const LockSet *locksHeldAt(const Stmt *S);
  /// The member and global reads and writes of \p FD's body.
  llvm::ArrayRef<MemberAccess> accessesOf(const FunctionDecl *FD);
  /// The functions the work of \p Spawn runs: its bodies and what they call
  /// (within the bounds).
  llvm::SmallVector<const FunctionDecl *, 8> functionsOfWork(unsigned Spawn);
  /// Fields and globals written by the work of \p Spawn (its bodies and the
  /// functions they call, within the bounds).
  const llvm::DenseSet<const ValueDecl *> &writtenByWork(unsigned Spawn);

  /// What a check says under its `Verbose` option: where a bound cut the
  /// search for what work calls, and which methods were inferred to be
  /// spawn functions. Computes the spawn records and thread entries.
  struct Remark {
    SourceLocation Loc;
    std::string Text;
  };
  std::vector<Remark> remarks();

private:
  struct FunctionCFG;
  FunctionCFG *cfgOf(const FunctionDecl *FD);
  void collectSpawns();
  void computeEntries();
  void computeProtocols();
  bool pathAvoiding(const FunctionDecl *F, const Stmt *From, const Stmt *To,
                    unsigned Spawn,
                    llvm::function_ref<bool(const Expr *)> Receives = nullptr);

  ASTContext &Ctx;
  ModelOptions Options;
  std::string Key;
  SpawnModel Spawns;
  bool SpawnsDone = false, EntriesDone = false, ProtocolsDone = false;
  std::vector<SpawnRecord> Records;
  llvm::DenseMap<const Expr *, unsigned> RecordAt;
  llvm::DenseMap<const FunctionDecl *, llvm::SmallVector<EntryReach, 1>>
      Entries;
  llvm::DenseSet<const FunctionDecl *> InferredSpawnFunctions;
  /// Per inferred spawn function: the member queue it stores work into.
  std::vector<std::pair<const FunctionDecl *, const FieldDecl *>> InferredVia;
  llvm::DenseMap<const CXXRecordDecl *, ClassProtocol> Protocols;
  /// Per method of a class with work: the spawn records it waits for.
  llvm::DenseMap<const FunctionDecl *, llvm::SmallVector<unsigned, 2>>
      MethodWaits;
  llvm::DenseMap<const FunctionDecl *, std::unique_ptr<FunctionCFG>> CFGs;
  llvm::DenseMap<const FunctionDecl *, std::unique_ptr<LockModel>> Locks;
  std::unique_ptr<LockOrderModel> LockOrders;
  std::unique_ptr<GuardModel> Guards;
  llvm::DenseMap<const FunctionDecl *, std::vector<MemberAccess>> AccessCache;
  llvm::DenseMap<unsigned, llvm::DenseSet<const ValueDecl *>> WorkWrites;
  std::vector<Remark> Truncations;
  /// Per spawn asked about by soleThreadOf: whether nothing outside its
  /// work (and its spawn expression) refers to a function of the work.
  llvm::DenseMap<unsigned, bool> WorkClosed;
  /// Per function asked about by handedOff: its publishing calls (the
  /// first 8, with the object each publishes through), and its spin loops'
  /// exit tests.
  llvm::DenseMap<const FunctionDecl *,
                 std::vector<std::pair<const Expr *, const NamedDecl *>>>
      Publications;
  llvm::DenseMap<const FunctionDecl *,
                 llvm::DenseMap<const Expr *, const Expr *>>
      SpinTests;
};

/// For a lambda's call operator, the function the lambda is written in (up
/// to the first one that is not a lambda); \p FD itself otherwise.
const FunctionDecl *outermostFunction(const FunctionDecl *FD);

/// The class whose member function \p FD is (the lambda's enclosing method's
/// class for a lambda call operator), or null.
const CXXRecordDecl *classOfFunction(const FunctionDecl *FD);

} // namespace clang::tidy::threadlint

#endif
