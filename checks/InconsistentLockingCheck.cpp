//===--- InconsistentLockingCheck.cpp - threadlint ------------------------===//
#include "InconsistentLockingCheck.h"
#include "model/AstHelpers.h"
#include "model/LockOrder.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/StringExtras.h"
#include <set>

using namespace clang::ast_matchers;

namespace clang::tidy::threadlint {

namespace {

/// A lambda called where it is written: immediately, or through the local
/// variable it initialises, in the function that holds it.
bool lambdaRunsInPlace(const FunctionDecl *CallOp) {
  const auto *MD = dyn_cast<CXXMethodDecl>(CallOp);
  if (!MD || !MD->getParent()->isLambda())
    return true;
  const CXXRecordDecl *Closure = MD->getParent();
  const FunctionDecl *Outer = outermostFunction(CallOp);
  if (!Outer || !Outer->getBody())
    return false;
  // A call of an object of the closure type, in the function.
  llvm::SmallVector<const Stmt *, 32> Work{Outer->getBody()};
  for (unsigned Seen = 0; !Work.empty() && Seen < 20000; ++Seen) {
    const Stmt *S = Work.pop_back_val();
    if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(S);
        Op && Op->getOperator() == OO_Call && Op->getNumArgs() > 0 &&
        Op->getArg(0)->IgnoreParenImpCasts()->getType()->getAsCXXRecordDecl() ==
            Closure)
      return true;
    for (const Stmt *C : S->children())
      if (C)
        Work.push_back(C);
  }
  return false;
}

/// The statement to wrap in a lock_guard for the fix: the expression
/// statement or return around \p E, directly in a compound statement,
/// that calls nothing but the standard library (nothing that could take
/// the mutex itself) and holds no lambda.
const Stmt *wrappableStatement(const Expr *E, ASTContext &Ctx) {
  DynTypedNode Node = DynTypedNode::create(*E);
  for (int Depth = 0; Depth < 32; ++Depth) {
    auto Parents = Ctx.getParents(Node);
    if (Parents.size() != 1)
      return nullptr;
    const auto *P = Parents[0].get<Stmt>();
    const auto *C = Node.get<Stmt>();
    if (!P || !C)
      return nullptr;
    if (isa<CompoundStmt>(P)) {
      if (!isa<Expr>(C) && !isa<ReturnStmt>(C))
        return nullptr;
      bool Plain = true;
      llvm::SmallVector<const Stmt *, 16> Work{C};
      while (!Work.empty() && Plain) {
        const Stmt *S = Work.pop_back_val();
        if (isa<LambdaExpr>(S) || isa<CXXNewExpr>(S) || isa<CXXDeleteExpr>(S))
          Plain = false;
        if (const auto *Call = dyn_cast<CallExpr>(S)) {
          const FunctionDecl *FD = Call->getDirectCallee();
          Plain = FD && FD->isInStdNamespace();
          if (const auto *MD = dyn_cast_or_null<CXXMethodDecl>(FD))
            Plain = MD->getParent()->isInStdNamespace();
        }
        if (const auto *CE = dyn_cast<CXXConstructExpr>(S))
          Plain = CE->getConstructor()->getParent()->isInStdNamespace() ||
                  CE->getConstructor()->isTrivial();
        for (const Stmt *Ch : S->children())
          if (Ch)
            Work.push_back(Ch);
      }
      return Plain ? C : nullptr;
    }
    if (isa<LambdaExpr>(P) || isa<IfStmt>(P) || isa<ForStmt>(P) ||
        isa<WhileStmt>(P) || isa<DoStmt>(P) || isa<SwitchStmt>(P) ||
        isa<CXXForRangeStmt>(P))
      return nullptr;
    Node = Parents[0];
  }
  return nullptr;
}

/// The mutex named by the guard, when it is a `std::mutex` member of the
/// class (the only case the fix spells), lockable in a const member
/// function when \p ConstMethod.
bool isStdMutexMember(const FieldGuard &G, const CXXRecordDecl *RD,
                      bool ConstMethod) {
  if (!RD || llvm::StringRef(G.Key).contains('.') ||
      !llvm::StringRef(G.Key).starts_with("f"))
    return false;
  for (const FieldDecl *F : RD->fields())
    if (F->getName() == G.Name) {
      if (ConstMethod && !F->isMutable())
        return false;
      const auto *T = F->getType()->getAsCXXRecordDecl();
      return T && T->isInStdNamespace() && T->getName() == "mutex" &&
             !F->getType().isConstQualified();
    }
  return false;
}

bool holds(const GuardedAccess &A, llvm::StringRef Key) {
  return llvm::any_of(A.Held, [&](const HeldLock &H) { return H.Key == Key; });
}

/// A call of the function of one access (not in any work the model knows)
/// that runs concurrently with the other access, one call level up: up to
/// 8 calls of the function (its outermost, for a lambda run in place).
const Expr *concurrentCall(const GuardedAccess &U, const GuardedAccess &W,
                           ConcurrencyModel &M, GuardModel &Guards) {
  auto Lift = [&](const GuardedAccess &A, const GuardedAccess &B)
      -> const Expr * {
    if (!M.entryReaches(A.In).empty())
      return nullptr;
    unsigned N = 0;
    for (const EntryLocks::CallSite &C : Guards.entryLocks().callersOf(A.In)) {
      if (++N > 8 || !C.Caller || C.Caller == A.In)
        break;
      if (M.order(C.Call, B.E, C.Caller, B.In) ==
          ConcurrencyModel::Order::Concurrent)
        return C.Call;
    }
    return nullptr;
  };
  if (const Expr *C = Lift(U, W))
    return C;
  return Lift(W, U);
}

/// Whether \p Loc is in the argument of an assertion macro (`assert`,
/// `DCHECK`, `CHECK`, a macro whose name says assert): a check of a state the
/// author believes settled.
bool inAssertion(SourceLocation Loc, const SourceManager &SM,
                 const LangOptions &LO) {
  for (unsigned Depth = 0; Loc.isMacroID() && Depth < 16; ++Depth) {
    llvm::StringRef Name = Lexer::getImmediateMacroName(Loc, SM, LO);
    if (isAssertionName(Name))
      return true;
    Loc = SM.getImmediateMacroCallerLoc(Loc);
  }
  return false;
}

/// Whether \p FD is named as a hook for tests (`TEST_Size`,
/// `countForTesting`, `size_for_test`): tests call it when the work they
/// check is done.
bool isTestHook(const FunctionDecl *FD) {
  if (!FD->getDeclName().isIdentifier())
    return false;
  llvm::StringRef N = FD->getName();
  return N.starts_with("TEST_") || N.ends_with("ForTest") ||
         N.ends_with("ForTesting") || N.ends_with("ForTests") ||
         N.ends_with("_for_test") || N.ends_with("_for_testing") ||
         N.ends_with("_for_tests");
}

/// Whether \p E mentions a parameter of its function, or \p Self.
bool mentionsParameterOr(const Expr *E, const ValueDecl *Self) {
  struct Finder : RecursiveASTVisitor<Finder> {
    const ValueDecl *Self;
    bool Found = false;
    bool VisitDeclRefExpr(DeclRefExpr *E) {
      Found = Found || isa<ParmVarDecl>(E->getDecl()) || E->getDecl() == Self;
      return !Found;
    }
    bool VisitMemberExpr(MemberExpr *E) {
      Found = Found || E->getMemberDecl() == Self;
      return !Found;
    }
  } F;
  F.Self = Self;
  F.TraverseStmt(const_cast<Expr *>(E));
  return F.Found;
}

/// Whether the write \p A stores a value the object makes for itself: an
/// assignment (`stream_ = std::make_unique<Stream>(socket_)`, `open_ =
/// false`) or an insertion (`buffers_.emplace(id, std::make_shared<Buf>())`)
/// of a value that neither a parameter of its function nor the field's
/// own value gives. Not such a store: a setter's (`target_ = t`), an update
/// (`++n_`, `total_ += n`, `order_.push_back(v)`, `queue_.pop()`).
bool storesOwnValue(const GuardedAccess &A) {
  const Expr *Value = nullptr;
  if (const auto *BO = dyn_cast_or_null<BinaryOperator>(A.At)) {
    if (BO->getOpcode() != BO_Assign)
      return false;
    Value = BO->getRHS();
  } else if (const auto *Op = dyn_cast_or_null<CXXOperatorCallExpr>(A.At)) {
    if (Op->getOperator() != OO_Equal || Op->getNumArgs() != 2)
      return false;
    Value = Op->getArg(1);
  } else if (const auto *MC = dyn_cast_or_null<CXXMemberCallExpr>(A.At)) {
    const CXXMethodDecl *MD = MC->getMethodDecl();
    if (!MD || !MD->getDeclName().isIdentifier() || MC->getNumArgs() == 0)
      return false;
    llvm::StringRef N = MD->getName();
    if (!N.starts_with("emplace") && !N.starts_with("insert") &&
        !N.starts_with("push") && N != "try_emplace")
      return false;
    Value = MC->getArg(MC->getNumArgs() - 1);
  }
  return Value && !mentionsParameterOr(Value, A.Target);
}

/// Whether \p FD is a member function that the translation unit calls, on
/// `this` only, and always with \p Key held: a helper its class calls
/// under the lock, even if the language lets others call it (rocksdb's
/// ThreadPoolImpl::Impl::HasExcessiveThread, public in a struct of the
/// source file, called under mu_ by Submit and the worker), or by such a
/// helper, two levels up. The lock model
/// counts callers' locks only for private helpers; a check that reports a
/// race takes the doubt the other way.
bool calledOnlyUnder(const FunctionDecl *FD, llvm::StringRef Key,
                     GuardModel &Guards, unsigned Depth = 2) {
  EntryLocks &Entry = Guards.entryLocks();
  llvm::ArrayRef<EntryLocks::CallSite> Calls = Entry.callersOf(FD);
  if (Calls.empty() || Calls.size() > 16)
    return false;
  for (const EntryLocks::CallSite &C : Calls) {
    const auto *MC = dyn_cast_or_null<CXXMemberCallExpr>(C.Call);
    if (!MC || !C.Caller || C.Caller == FD)
      return false;
    const Expr *Obj = MC->getImplicitObjectArgument();
    if (!Obj || !isa<CXXThisExpr>(Obj->IgnoreParenImpCasts()))
      return false;
    LockSet Held = Entry.heldAt(C.Call, C.Caller);
    // The caller holds it, or is itself such a helper (HasExcessiveThread
    // called by IsLastExcessiveThread, called under the lock).
    if (llvm::none_of(Held, [&](const HeldLock &L) { return L.Key == Key; }) &&
        (Depth <= 1 || !calledOnlyUnder(C.Caller, Key, Guards, Depth - 1)))
      return false;
  }
  return true;
}

/// Whether the main file defines googletest tests: a class derived from
/// `testing::Test` (what `TEST` and `TEST_F` expand to), at namespace scope.
bool definesGoogleTests(ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  std::vector<const DeclContext *> Work = {Ctx.getTranslationUnitDecl()};
  for (unsigned Visited = 0; !Work.empty() && Visited < 100000;) {
    const DeclContext *DC = Work.back();
    Work.pop_back();
    for (const Decl *D : DC->decls()) {
      ++Visited;
      if (const auto *NS = dyn_cast<NamespaceDecl>(D)) {
        Work.push_back(NS);
        continue;
      }
      const auto *RD = dyn_cast<CXXRecordDecl>(D);
      if (RD && RD->isThisDeclarationADefinition() &&
          SM.isInMainFile(SM.getFileLoc(RD->getLocation())) &&
          isTestFixture(RD))
        return true;
    }
  }
  return false;
}

/// Wraps the statement of \p U in a std::lock_guard on the guard, when that
/// is certain to be right: the guard is a std::mutex member of the class,
/// the access is in the member function itself (not a lambda), which takes
/// no lock anywhere and holds none at entry, nothing in the translation
/// unit calls it (no caller can already hold the mutex), and the statement
/// calls nothing outside the standard library.
void addLockFix(DiagnosticBuilder &D, const GuardedAccess &U,
                const FieldGuard &G, GuardModel &Guards, ASTContext &Ctx) {
  const auto *MD = dyn_cast<CXXMethodDecl>(U.In);
  if (!MD || MD->getParent()->isLambda() ||
      !isStdMutexMember(G, MD->getParent(), MD->isConst()) ||
      Guards.entryLocks().isReferenced(MD) ||
      !Guards.entryLocks().at(MD).empty())
    return;
  if (const Stmt *Body = MD->getBody();
      !Body || LockModel::mayLock(Body, {}))
    return;
  const Stmt *S = wrappableStatement(U.E, Ctx);
  if (!S)
    return;
  const SourceManager &SM = Ctx.getSourceManager();
  const LangOptions &LO = Ctx.getLangOpts();
  SourceLocation Begin = S->getBeginLoc();
  if (Begin.isMacroID() || S->getEndLoc().isMacroID())
    return;
  SourceLocation After = isa<Expr>(S) || isa<ReturnStmt>(S)
                             ? Lexer::findLocationAfterToken(
                                   S->getEndLoc(), tok::semi, SM, LO, false)
                             : SourceLocation();
  if (After.isInvalid())
    return;
  llvm::StringRef Text = Lexer::getSourceText(
      CharSourceRange::getCharRange(Begin, After), SM, LO);
  const char *Var = Text.contains("lock") ? "guard" : "lock";
  if (Text.contains(Var))
    return;
  D << FixItHint::CreateInsertion(Begin, (llvm::Twine("{ std::lock_guard<std::mutex> ") +
                                          Var + "(" + G.Name + "); ")
                                             .str())
    << FixItHint::CreateInsertion(After, " }");
}

} // namespace

InconsistentLockingCheck::InconsistentLockingCheck(StringRef Name,
                                                   ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context), ModelOpts(ModelOptions::read(Options)) {
  Thresholds.MinWritePercent = Options.get("MinWritePercent", 50U);
  Thresholds.MinAccessPercent = Options.get("MinAccessPercent", 25U);
}

void InconsistentLockingCheck::storeOptions(ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "MinWritePercent", Thresholds.MinWritePercent);
  Options.store(Opts, "MinAccessPercent", Thresholds.MinAccessPercent);
  ModelOpts.store(Options, Opts);
}

void InconsistentLockingCheck::registerMatchers(MatchFinder *Finder) {
  Finder->addMatcher(translationUnitDecl().bind("tu"), this);
}

void InconsistentLockingCheck::check(const MatchFinder::MatchResult &Result) {
  Context = Result.Context;
}

void InconsistentLockingCheck::onEndOfTranslationUnit() {
  if (!Context)
    return;
  ASTContext &Ctx = *Context;
  Context = nullptr;
  ConcurrencyModel &M = ConcurrencyModel::get(Ctx, ModelOpts, Model);
  GuardModel &Guards = M.guards();
  const SourceManager &SM = Ctx.getSourceManager();
  const bool IsGoogleTest = definesGoogleTests(Ctx);

  for (const ValueDecl *Target : Guards.targets()) {
    std::optional<FieldGuard> Guard = Guards.guardOf(Target, Thresholds);
    if (!Guard)
      continue;
    // A mutex the model can name only by its spelling through another
    // object (`owner_->lockRef()`, `shared->GetMutex()`, a caller's
    // variable carried into the callee): two spellings may be one mutex,
    // one spelling two, and the object's callers may hold it.
    if (llvm::StringRef(Guard->Key).starts_with("t") &&
        (Guard->Name.find("->") != std::string::npos ||
         Guard->Name.find('.') != std::string::npos))
      continue;
    const auto *Field = dyn_cast<FieldDecl>(Target);
    llvm::ArrayRef<GuardedAccess> Accesses = Guards.accessesOf(Target);
    // The member functions of the class's public interface that write the
    // field under the guard: a public method, or one a public method of
    // the class calls. Computed when first needed.
    std::optional<unsigned> PublicWriters;
    bool PublicUpdate = false;
    auto CountPublicWriters = [&]() {
      std::set<const FunctionDecl *> Writers, NotPublic;
      auto IsPublicMethod = [&](const FunctionDecl *F) {
        const auto *MD = dyn_cast_or_null<CXXMethodDecl>(F);
        return MD && Field && MD->getParent() == Field->getParent() &&
               MD->getAccess() == AS_public && !MD->isStatic();
      };
      for (const GuardedAccess &A : Accesses) {
        if (!A.Known || A.Excluded || !A.Write || !holds(A, Guard->Key))
          continue;
        const FunctionDecl *F = outermostFunction(A.In);
        if (!F || NotPublic.count(F))
          continue;
        if (Writers.count(F)) {
          PublicUpdate = PublicUpdate || !storesOwnValue(A);
          continue;
        }
        // A thread's own code writes it while the object is in use, or a
        // method whose address escapes (bound into a callback, a thread).
        EntryLocks &Entry = Guards.entryLocks();
        bool Public = IsPublicMethod(F) || !M.entryReaches(F).empty() ||
                      (Entry.callersOf(F).empty() && Entry.isReferenced(F));
        unsigned N = 0;
        for (const EntryLocks::CallSite &C :
             Public ? llvm::ArrayRef<EntryLocks::CallSite>()
                    : Entry.callersOf(F)) {
          if (++N > 16)
            break;
          if (C.Caller && IsPublicMethod(outermostFunction(C.Caller))) {
            Public = true;
            break;
          }
        }
        if (!Public) {
          NotPublic.insert(F);
          continue;
        }
        Writers.insert(F);
        PublicUpdate = PublicUpdate || !storesOwnValue(A);
      }
      return static_cast<unsigned>(Writers.size());
    };
    std::set<const FunctionDecl *> Reported;
    // Whether every counted write of the target holds \p Key.
    auto WrittenUnder = [&](llvm::StringRef Key) {
      bool Any = false;
      for (const GuardedAccess &A : Accesses) {
        if (!A.Known || A.Excluded || !A.Write)
          continue;
        if (!holds(A, Key))
          return false;
        Any = true;
      }
      return Any;
    };
    // Whether \p F writes the target without the guard somewhere: what it
    // reads, it reads as the one who sets the field up.
    auto WritesBare = [&](const FunctionDecl *F) {
      return llvm::any_of(Accesses, [&](const GuardedAccess &A) {
        return A.In == F && A.Write && A.Known && !holds(A, Guard->Key);
      });
    };
    for (const GuardedAccess &U : Accesses) {
      if (!U.Known || U.Excluded || holds(U, Guard->Key) ||
          Reported.count(U.In))
        continue;
      // A read under a lock every write of the field also holds: the
      // field is written under both and read under either (rocksdb's
      // logs_, under mutex_ and log_write_mutex_).
      if (!U.Write && llvm::any_of(U.Held, [&](const HeldLock &L) {
            return WrittenUnder(L.Key);
          }))
        continue;
      // A lock held whose identity the model cannot resolve (`mutex()`,
      // `locks[i]`) may be the guard under another name.
      if (llvm::any_of(U.Held, [](const HeldLock &L) {
            return llvm::StringRef(L.Key).starts_with("t");
          }))
        continue;
      // A mutex the object was handed (a pointer or reference member,
      // another object's): the callers of a function that is not a
      // thread's own code may hold it around every call (rocksdb's
      // ErrorHandler::IsRecoveryInProgress under the DB's mutex).
      if (!Guard->OwnMutex && !Guard->Declared &&
          (llvm::StringRef(Guard->Key).starts_with("f") ||
           llvm::StringRef(Guard->Key).contains('.')) &&
          M.entryReaches(U.In).empty())
        continue;
      const FunctionDecl *Outer = outermostFunction(U.In);
      if (!Outer || isa<CXXConstructorDecl>(Outer) ||
          isa<CXXDestructorDecl>(Outer))
        continue;
      if (U.In == Outer && calledOnlyUnder(Outer, Guard->Key, Guards))
        continue;
      if (inForeignMacro(U.E->getBeginLoc(), SM) ||
          inAssertion(U.E->getBeginLoc(), SM, Ctx.getLangOpts()) ||
          isTestHook(Outer))
        continue;
      // A guarded access this one can run alongside.
      enum class Why { None, Thread, PublicMethod } Reason = Why::None;
      const GuardedAccess *With = nullptr;
      const Expr *Via = nullptr;
      unsigned Tried = 0;
      for (const GuardedAccess &W : Accesses) {
        if (&W == &U || !W.Known || W.Excluded || !holds(W, Guard->Key) ||
            !(U.Write || W.Write))
          continue;
        if (++Tried > 16)
          break;
        ConcurrencyModel::Order O = M.order(U.E, W.E, U.In, W.In);
        // Neither side in work the model knows: a call of the function of
        // one side may be (`task.done()` in main while a thread runs
        // `task.finish()`).
        if (O == ConcurrencyModel::Order::Unknown)
          if (const Expr *Call = concurrentCall(U, W, M, Guards)) {
            O = ConcurrencyModel::Order::Concurrent;
            Via = Call;
          }
        if (O == ConcurrencyModel::Order::Concurrent) {
          // Other work's thread, or this function's own.
          Reason = Why::Thread;
          With = &W;
          break;
        }
        if (O != ConcurrencyModel::Order::Unknown || !Field)
          continue;
        // Two member functions of a class that locks for its callers:
        // the unguarded one public, neither a constructor or destructor.
        const auto *MU = dyn_cast<CXXMethodDecl>(Outer);
        const auto *MW = dyn_cast_or_null<CXXMethodDecl>(outermostFunction(W.In));
        if (!MU || !MW || MU->isStatic() || MU->getAccess() != AS_public ||
            isa<CXXConstructorDecl>(MW) || isa<CXXDestructorDecl>(MW) ||
            !lambdaRunsInPlace(U.In) || !lambdaRunsInPlace(W.In))
          continue;
        // The class's own mutex (a member through `this`): a global
        // mutex, one handed in, or another object's, may be
        // held by the callers on every path the class cannot see.
        if (!Guard->Declared && !Guard->OwnMutex)
          continue;
        // Only a read: a member function that writes without the lock
        // while nothing shows a thread is most often one the object's
        // owner calls alone (reset, init, shutdown), as RacerD assumes
        // too.
        if (U.Write || WritesBare(U.In))
          continue;
        // Written under the lock by one function of the public interface
        // (or a thread's) only, which stores a value the object makes for
        // itself: most often a member built once (a stream made on
        // upgrade, a map entry made on first use, a switch turned off)
        // before or after the readers run. With no thread in sight to say
        // otherwise, the read is not reported. A setter (`set(t) { lock;
        // target_ = t; }`), an update (`++n_`, `push_back(v)`), or two
        // functions that write the field under the lock, show a state that
        // changes while the object is in use.
        if (!Guard->Declared) {
          if (!PublicWriters)
            PublicWriters = CountPublicWriters();
          if (*PublicWriters == 0 || (*PublicWriters == 1 && !PublicUpdate))
            continue;
        }
        if (M.protocolOf(classOfFunction(Outer)) &&
            M.orderedWithAllWorkOf(U.E, U.In))
          continue;
        // A googletest program: its callers are the tests in view, which
        // run one after another and show the threads they start (rocksdb's
        // compaction listener, read by the test after the compaction it
        // waited for).
        if (IsGoogleTest)
          continue;
        // A thread the model sees is the better witness: keep looking.
        if (Reason == Why::None) {
          Reason = Why::PublicMethod;
          With = &W;
        }
      }
      if (Reason == Why::None)
        continue;
      Reported.insert(U.In);
      const std::string Name = Target->getNameAsString();
      {
        auto D = Guard->Declared
                     ? diag(U.E->getExprLoc(),
                            "'%0' is %select{read|written}1 without holding "
                            "'%2', which is declared to guard it")
                           << Name << U.Write << Guard->Name
                     : diag(U.E->getExprLoc(),
                            "'%0' is %select{read|written}1 without holding "
                            "'%2', which is held at %3 of its %4 accesses")
                           << Name << U.Write << Guard->Name << Guard->Guarded
                           << Guard->Accesses;
        addLockFix(D, U, *Guard, Guards, Ctx);
      }
      if (Guard->Declared)
        diag(Guard->Declared->getLocation(), "'%0' is declared guarded by "
                                             "'%1' here",
             DiagnosticIDs::Note)
            << Name << Guard->Name;
      diag(With->E->getExprLoc(),
           "'%0' is %select{read|written}1 with '%2' held here",
           DiagnosticIDs::Note)
          << Name << With->Write << Guard->Name;
      if (Reason == Why::Thread && Via) {
        diag(SM.getFileLoc(Via->getBeginLoc()),
             "called here while a thread may run the other access",
             DiagnosticIDs::Note);
      }
      if (Reason == Why::Thread) {
        // The thread that runs one of the two.
        for (const FunctionDecl *F : {U.In, With->In}) {
          llvm::ArrayRef<EntryReach> Reaches = M.entryReaches(F);
          if (Reaches.empty())
            continue;
          const SpawnRecord &R = M.spawns()[Reaches.front().Spawn];
          const auto *MD = dyn_cast<CXXMethodDecl>(F);
          const bool Lambda = MD && MD->getParent()->isLambda();
          diag(SM.getFileLoc(R.Site.Site->getBeginLoc()),
               "%select{'%1'|the lambda in '%1'}0 runs on the thread started "
               "here",
               DiagnosticIDs::Note)
              << Lambda
              << LockOrderModel::functionName(Lambda ? outermostFunction(F)
                                                     : F);
          break;
        }
      } else {
        diag(Outer->getLocation(),
             "'%0' is a public member function of '%1', a class that "
             "locks '%2' for callers on several threads",
             DiagnosticIDs::Note)
            << LockOrderModel::functionName(Outer)
            << cast<CXXMethodDecl>(Outer)->getParent()->getName()
            << Guard->Name;
      }
    }
  }
  Model.reset();
}

} // namespace clang::tidy::threadlint
