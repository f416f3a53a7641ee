//===--- AddInsideSpawnedTaskCheck.cpp - threadlint -----------------------===//
#include "AddInsideSpawnedTaskCheck.h"
#include "model/OptionLists.h"
#include "model/WaitCounter.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Lex/Lexer.h"

using namespace clang::ast_matchers;

namespace clang::tidy::threadlint {

/// An add inside a spawned body: `wg.Add(1)` or `pending++`.
struct AddInsideSpawnedTaskCheck::Add {
  const Expr *E = nullptr;          ///< the call or the increment
  const NamedDecl *Object = nullptr; ///< the wait group or the counter
  bool Atomic = false;               ///< a counter, not a wait-group method
  std::string Method;                ///< "Add", for wait groups
};

/// Where the spawner (or another method of its class) waits on the object.
struct AddInsideSpawnedTaskCheck::Wait {
  const Expr *E = nullptr;
  /// The method of the spawner's class that waits, when it is not the
  /// spawner itself (`drain()` for work started in `dispatch()`).
  const FunctionDecl *In = nullptr;
};

namespace {

const FunctionDecl *calleeOf(const Expr *E) {
  if (const auto *Call = llvm::dyn_cast<CallExpr>(E))
    return Call->getDirectCallee();
  return nullptr;
}

bool isNamed(const NamedDecl *D, llvm::ArrayRef<std::string> Names) {
  return D && D->getIdentifier() && llvm::is_contained(Names, D->getName());
}

// The body of the function or lambda that contains S.
const Stmt *enclosingBody(const Stmt *S, ASTContext &Ctx,
                          const FunctionDecl **Function) {
  DynTypedNode Node = DynTypedNode::create(*S);
  for (unsigned Depth = 0; Depth < 256; ++Depth) {
    DynTypedNodeList Parents = Ctx.getParents(Node);
    if (Parents.empty())
      return nullptr;
    Node = Parents[0];
    if (const auto *L = Node.get<LambdaExpr>()) {
      *Function = L->getCallOperator();
      return L->getBody();
    }
    if (const auto *FD = Node.get<FunctionDecl>()) {
      *Function = FD;
      return FD->getBody();
    }
  }
  return nullptr;
}

// The statement of a compound statement that contains S (the statement a
// call can be inserted before), or null when S is the body of a loop or an
// `if` without braces, or is not in a function body.
const Stmt *statementInBlock(const Stmt *S, ASTContext &Ctx) {
  const Stmt *Child = S;
  for (unsigned Depth = 0; Depth < 64; ++Depth) {
    DynTypedNodeList Parents = Ctx.getParents(*Child);
    if (Parents.empty())
      return nullptr;
    // `std::thread t(...)`: through the variable to its declaration.
    if (const auto *VD = Parents[0].get<VarDecl>())
      Parents = Ctx.getParents(*VD);
    if (Parents.empty())
      return nullptr;
    const auto *P = Parents[0].get<Stmt>();
    if (!P || llvm::isa<LambdaExpr>(P))
      return nullptr;
    if (llvm::isa<CompoundStmt>(P))
      return Child;
    if (!llvm::isa<Expr>(P) && !llvm::isa<DeclStmt>(P))
      return nullptr; // a loop body, an if branch, ...
    Child = P;
  }
  return nullptr;
}

// Every name E uses is visible where the spawner runs: no parameter or local
// of the task, no init-capture, and `this` only in a member function.
bool usesOnlySpawnerNames(const Expr *E, const LambdaExpr *Task,
                          const FunctionDecl *Spawner, ASTContext &Ctx) {
  class Finder : public RecursiveASTVisitor<Finder> {
  public:
    Finder(const LambdaExpr *Task, const FunctionDecl *Spawner,
           ASTContext &Ctx)
        : Task(Task), Spawner(Spawner), Ctx(Ctx) {}
    bool Ok = true;
    bool VisitDeclRefExpr(DeclRefExpr *DRE) {
      const auto *VD = llvm::dyn_cast<VarDecl>(DRE->getDecl());
      if (!VD)
        return true;
      if (VD->isInitCapture() || VD->getDeclContext() ==
                                     Task->getCallOperator() ||
          isDeclaredWithin(VD, Task->getBody(), Ctx))
        Ok = false;
      return Ok;
    }
    bool VisitCXXThisExpr(CXXThisExpr *) {
      const auto *M = llvm::dyn_cast<CXXMethodDecl>(Spawner);
      if (!M || M->isStatic() || M->getParent()->isLambda())
        Ok = false;
      return Ok;
    }

  private:
    const LambdaExpr *Task;
    const FunctionDecl *Spawner;
    ASTContext &Ctx;
  };
  Finder F(Task, Spawner, Ctx);
  F.TraverseStmt(const_cast<Expr *>(E));
  return F.Ok;
}

std::optional<SourceLocation> endOfStatement(const Expr *E,
                                             const SourceManager &SM,
                                             const LangOptions &LO) {
  SourceLocation After =
      Lexer::findLocationAfterToken(E->getEndLoc(), tok::semi, SM, LO, false);
  if (After.isInvalid())
    return std::nullopt;
  return After;
}

// Grows [Begin, End) to its whole line when nothing else is on it.
CharSourceRange wholeLines(SourceLocation Begin, SourceLocation End,
                           const SourceManager &SM) {
  auto [File, BeginOffset] = SM.getDecomposedLoc(Begin);
  unsigned EndOffset = SM.getFileOffset(End);
  bool Invalid = false;
  llvm::StringRef Buffer = SM.getBufferData(File, &Invalid);
  if (Invalid)
    return CharSourceRange::getCharRange(Begin, End);
  unsigned LineStart = BeginOffset;
  while (LineStart > 0 &&
         (Buffer[LineStart - 1] == ' ' || Buffer[LineStart - 1] == '\t'))
    --LineStart;
  unsigned LineEnd = EndOffset;
  while (LineEnd < Buffer.size() &&
         (Buffer[LineEnd] == ' ' || Buffer[LineEnd] == '\t'))
    ++LineEnd;
  const bool StartsLine = LineStart > 0 && Buffer[LineStart - 1] == '\n';
  const bool EndsLine = LineEnd < Buffer.size() && Buffer[LineEnd] == '\n';
  if (!StartsLine || !EndsLine)
    return CharSourceRange::getCharRange(Begin, End);
  // From the end of the previous line: a removal that ended with the newline
  // would be widened by clang's edit merging (it drops a space next to it).
  const SourceLocation FileStart = SM.getLocForStartOfFile(File);
  return CharSourceRange::getCharRange(
      FileStart.getLocWithOffset(static_cast<int>(LineStart - 1)),
      FileStart.getLocWithOffset(static_cast<int>(LineEnd)));
}

// The spaces and tabs before Loc on its line, when only they precede it.
std::optional<std::string> indentationOf(SourceLocation Loc,
                                         const SourceManager &SM) {
  auto [File, Offset] = SM.getDecomposedLoc(Loc);
  bool Invalid = false;
  llvm::StringRef Buffer = SM.getBufferData(File, &Invalid);
  if (Invalid)
    return std::nullopt;
  unsigned Start = Offset;
  while (Start > 0 && (Buffer[Start - 1] == ' ' || Buffer[Start - 1] == '\t'))
    --Start;
  if (Start > 0 && Buffer[Start - 1] != '\n')
    return std::nullopt;
  return Buffer.substr(Start, Offset - Start).str();
}

} // namespace

AddInsideSpawnedTaskCheck::AddInsideSpawnedTaskCheck(StringRef Name,
                                                     ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context),
      ModelOpts(ModelOptions::read(Options)),
      Verbose(Options.get("Verbose", false)), Spawns(ModelOpts.SpawnFunctions),
      WaitGroupTypes(parseList(Options.get("WaitGroupTypes", ""))),
      AddMethods(parseList(Options.get("AddMethods", "Add;add"))),
      WaitMethods(parseList(Options.get("WaitMethods", "Wait;wait"))) {}

void AddInsideSpawnedTaskCheck::onEndOfTranslationUnit() {
  if (Verbose && Model)
    for (const ConcurrencyModel::Remark &R : Model->remarks())
      diag(R.Loc, R.Text, DiagnosticIDs::Remark);
  Reported.clear();
  Model.reset();
}

void AddInsideSpawnedTaskCheck::storeOptions(
    ClangTidyOptions::OptionMap &Opts) {
  ModelOpts.store(Options, Opts);
  Options.store(Opts, "Verbose", Verbose);
  Options.store(Opts, "WaitGroupTypes", serializeList(WaitGroupTypes));
  Options.store(Opts, "AddMethods", serializeList(AddMethods));
  Options.store(Opts, "WaitMethods", serializeList(WaitMethods));
}

void AddInsideSpawnedTaskCheck::registerMatchers(MatchFinder *Finder) {
  // The spawn sites come from the concurrency model (listed and inferred
  // spawn functions alike), once per translation unit.
  Finder->addMatcher(translationUnitDecl().bind("tu"), this);
}

bool AddInsideSpawnedTaskCheck::isWaitGroup(const CXXRecordDecl *RD) const {
  return isWaitGroupClass(RD, WaitGroupTypes, AddMethods, WaitMethods);
}

void AddInsideSpawnedTaskCheck::collectAdds(const SpawnSite &Site,
                                            llvm::SmallVectorImpl<Add> &Adds,
                                            ASTContext &Ctx) const {
  class Finder : public RecursiveASTVisitor<Finder> {
  public:
    Finder(const AddInsideSpawnedTaskCheck &Check, const LambdaExpr *Task,
           ASTContext &Ctx, llvm::SmallVectorImpl<Add> &Adds)
        : Check(Check), Task(Task), Ctx(Ctx), Adds(Adds) {}
    llvm::SmallVector<SourceLocation, 2> ChildSpawns;

    bool TraverseLambdaExpr(LambdaExpr *) { return true; } // other tasks

    bool VisitCXXMemberCallExpr(CXXMemberCallExpr *MC) {
      noteChildSpawn(MC);
      const CXXMethodDecl *M = MC->getMethodDecl();
      const Expr *Obj = MC->getImplicitObjectArgument();
      if (!M || !Obj || !M->getIdentifier())
        return true;
      if (isNamed(M, Check.AddMethods) && Check.isWaitGroup(M->getParent()) &&
          llvm::all_of(MC->arguments(), [&](const Expr *A) {
            return A->getType()->isIntegralOrEnumerationType() &&
                   mayBePositive(A, Ctx);
          }))
        record(MC, Obj, /*Atomic=*/false, M->getName());
      else if (M->getName() == "fetch_add" && MC->getNumArgs() >= 1 &&
               isStdAtomicIntegral(Obj) &&
               mayBePositive(MC->getArg(0), Ctx))
        record(MC, Obj, /*Atomic=*/true, "");
      return true;
    }

    bool VisitCXXOperatorCallExpr(CXXOperatorCallExpr *Op) {
      if (Op->getNumArgs() < 1 || !isStdAtomicIntegral(Op->getArg(0)))
        return true;
      if (Op->getOperator() == OO_PlusPlus ||
          (Op->getOperator() == OO_PlusEqual && Op->getNumArgs() == 2 &&
           mayBePositive(Op->getArg(1), Ctx)))
        record(Op, Op->getArg(0), /*Atomic=*/true, "");
      return true;
    }

    bool VisitCallExpr(CallExpr *Call) {
      if (!llvm::isa<CXXMemberCallExpr, CXXOperatorCallExpr>(Call))
        noteChildSpawn(Call);
      return true;
    }
    bool VisitCXXConstructExpr(CXXConstructExpr *C) {
      noteChildSpawn(C);
      return true;
    }

  private:
    void noteChildSpawn(const Expr *E) {
      if (Check.Spawns.classify(E, Ctx) ||
          (Check.Model && Check.Model->spawnAt(E)))
        ChildSpawns.push_back(E->getBeginLoc());
    }
    void record(const Expr *E, const Expr *Obj, bool Atomic,
                llvm::StringRef Method) {
      const NamedDecl *Object = referencedDecl(Obj);
      if (!Object || E->containsErrors())
        return;
      // Objects of the task itself: its own wait group, its own counter.
      if (const auto *VD = llvm::dyn_cast<VarDecl>(Object))
        if (VD->getDeclContext() == Task->getCallOperator() ||
            VD->isInitCapture() || isDeclaredWithin(VD, Task->getBody(), Ctx))
          return;
      Add A;
      A.E = E;
      A.Object = Object;
      A.Atomic = Atomic;
      A.Method = Method.str();
      Adds.push_back(A);
    }

    const AddInsideSpawnedTaskCheck &Check;
    const LambdaExpr *Task;
    ASTContext &Ctx;
    llvm::SmallVectorImpl<Add> &Adds;
  };

  Finder F(*this, Site.Lambda, Ctx, Adds);
  F.TraverseStmt(Site.Lambda->getBody());
  // An add followed by a spawn inside the task counts the child task, while
  // the task still holds its own count: the nested use is correct.
  const SourceManager &SM = Ctx.getSourceManager();
  llvm::erase_if(Adds, [&](const Add &A) {
    return llvm::any_of(F.ChildSpawns, [&](SourceLocation Child) {
      return isBefore(A.E->getBeginLoc(), Child, SM);
    });
  });
}

std::optional<AddInsideSpawnedTaskCheck::Wait>
AddInsideSpawnedTaskCheck::findWait(const Add &A, SourceLocation After,
                                    const Stmt *Body, ASTContext &Ctx) const {
  class Finder : public RecursiveASTVisitor<Finder> {
  public:
    Finder(const AddInsideSpawnedTaskCheck &Check, const Add &A,
           SourceLocation After, ASTContext &Ctx)
        : Check(Check), A(A), After(After), Ctx(Ctx),
          SM(Ctx.getSourceManager()) {}
    const Expr *Found = nullptr;

    bool TraverseLambdaExpr(LambdaExpr *) { return true; }

    bool VisitCXXMemberCallExpr(CXXMemberCallExpr *MC) {
      if (Found || !isBefore(After, MC->getBeginLoc(), SM))
        return !Found;
      const CXXMethodDecl *M = MC->getMethodDecl();
      const Expr *Obj = MC->getImplicitObjectArgument();
      if (!M || !Obj || !M->getIdentifier())
        return true;
      if (!A.Atomic) {
        if (isNamed(M, Check.WaitMethods) && referencedDecl(Obj) == A.Object)
          Found = MC;
        return !Found;
      }
      // cv.wait(lock, [&] { return pending == 0; })
      llvm::StringRef Name = M->getName();
      if ((Name == "wait" || Name == "wait_for" || Name == "wait_until") &&
          MC->getNumArgs() >= 2)
        if (const Expr *Result =
                predicateResult(MC->getArg(MC->getNumArgs() - 1)))
          if (testsZero(Result, A.Object, Ctx))
            Found = MC;
      return !Found;
    }

    // while (pending.load() > 0) ...; do ... while (pending != 0);
    bool VisitWhileStmt(WhileStmt *W) { return loop(W->getCond(), W); }
    bool VisitDoStmt(DoStmt *D) { return loop(D->getCond(), D); }
    bool VisitForStmt(ForStmt *F) { return loop(F->getCond(), F); }

  private:
    bool loop(const Expr *Cond, const Stmt *Loop) {
      if (Found || !A.Atomic || !Cond ||
          !isBefore(After, Loop->getBeginLoc(), SM))
        return !Found;
      if (testsNonZero(Cond, A.Object, Ctx))
        Found = Cond;
      return !Found;
    }

    const AddInsideSpawnedTaskCheck &Check;
    const Add &A;
    SourceLocation After;
    ASTContext &Ctx;
    const SourceManager &SM;
  };

  Finder F(*this, A, After, Ctx);
  F.TraverseStmt(const_cast<Stmt *>(Body));
  if (!F.Found)
    return std::nullopt;
  Wait W;
  W.E = F.Found;
  return W;
}

// Work started in one method of a class and waited for in another: a
// member wait group or pending counter that `drain()`, `wait()` or the
// destructor waits on.
std::optional<AddInsideSpawnedTaskCheck::Wait>
AddInsideSpawnedTaskCheck::findWaitInClass(const Add &A,
                                           const FunctionDecl *Spawner,
                                           ASTContext &Ctx) const {
  const auto *Field = llvm::dyn_cast<FieldDecl>(A.Object);
  const CXXRecordDecl *RD = classOfFunction(Spawner);
  if (!Field || !RD || Field->getParent()->getCanonicalDecl() != RD)
    return std::nullopt;
  const CXXRecordDecl *Def = RD->getDefinition();
  if (!Def)
    return std::nullopt;
  const FunctionDecl *Start = outermostFunction(Spawner);
  for (const CXXMethodDecl *M : Def->methods()) {
    const FunctionDecl *MDef = nullptr;
    if (!M->hasBody(MDef) || !MDef || MDef == Start ||
        llvm::isa<CXXConstructorDecl>(MDef) || MDef->isInvalidDecl())
      continue;
    const Stmt *Body = MDef->getBody();
    if (std::optional<Wait> W = findWait(A, Body->getBeginLoc(), Body, Ctx)) {
      W->In = MDef;
      return W;
    }
  }
  return std::nullopt;
}

void AddInsideSpawnedTaskCheck::check(const MatchFinder::MatchResult &Result) {
  ASTContext &Ctx = *Result.Context;
  ConcurrencyModel &M = ConcurrencyModel::get(Ctx, ModelOpts, Model);
  for (const SpawnRecord &R : M.spawns()) {
    const SpawnSite &Site = R.Site;
    if (!Site.Lambda || Site.Lambda->getCallOperator()->isInvalidDecl())
      continue;
    const FunctionDecl *Spawner = nullptr;
    const Stmt *SpawnerBody = enclosingBody(Site.Site, Ctx, &Spawner);
    if (!SpawnerBody || !Spawner || Spawner->isInvalidDecl())
      continue;

    llvm::SmallVector<Add, 2> Adds;
    collectAdds(Site, Adds, Ctx);
    for (const Add &A : Adds) {
      std::optional<Wait> W =
          findWait(A, Site.Site->getEndLoc(), SpawnerBody, Ctx);
      if (!W)
        W = findWaitInClass(A, Spawner, Ctx);
      if (W)
        report(A, *W, Site, Spawner, Ctx);
    }
  }
}

void AddInsideSpawnedTaskCheck::report(const Add &A, const Wait &W,
                                       const SpawnSite &Site,
                                       const FunctionDecl *Spawner,
                                       ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  if (!Reported.insert(SM.getExpansionLoc(A.E->getBeginLoc()).getRawEncoding())
           .second)
    return;

  {
    auto D = diag(A.E->getBeginLoc(),
                  "%select{'%1' on %2|increment of %2}0 runs inside the "
                  "spawned task, so the spawner's wait can return before it "
                  "runs; %select{call it|increment}0 before starting the task")
             << A.Atomic << A.Method << A.Object;

    // Fix-it: move the statement before the one that spawns.
    const Stmt *Target = statementInBlock(Site.Site, Ctx);
    DynTypedNodeList Parents = Ctx.getParents(*A.E);
    const Stmt *AddStmt = A.E;
    if (!Parents.empty())
      if (const auto *Cleanups = Parents[0].get<ExprWithCleanups>()) {
        AddStmt = Cleanups;
        Parents = Ctx.getParents(*Cleanups);
      }
    const bool TopLevelInTask =
        !Parents.empty() && Parents[0].get<Stmt>() == Site.Lambda->getBody();
    const LangOptions &LO = Ctx.getLangOpts();
    if (Target && TopLevelInTask && Spawner &&
        A.E->getBeginLoc().isFileID() && A.E->getEndLoc().isFileID() &&
        Target->getBeginLoc().isFileID() &&
        usesOnlySpawnerNames(A.E, Site.Lambda, Spawner, Ctx)) {
      std::optional<SourceLocation> End = endOfStatement(A.E, SM, LO);
      std::optional<std::string> Indent =
          indentationOf(Target->getBeginLoc(), SM);
      llvm::StringRef Text = Lexer::getSourceText(
          CharSourceRange::getTokenRange(A.E->getSourceRange()), SM, LO);
      if (End && Indent && !Text.empty()) {
        D << FixItHint::CreateInsertion(Target->getBeginLoc(),
                                        Text.str() + ";\n" + *Indent)
          << FixItHint::CreateRemoval(
                 wholeLines(AddStmt->getBeginLoc(), *End, SM));
      }
    }
  }
  if (!W.In) {
    diag(Site.Site->getBeginLoc(), "the task is started here",
         DiagnosticIDs::Note);
    diag(W.E->getBeginLoc(),
         "%select{the spawner waits on %1 here|the spawner waits here for %1 "
         "to reach zero}0",
         DiagnosticIDs::Note)
        << A.Atomic << A.Object;
    return;
  }
  diag(Site.Site->getBeginLoc(), "the task is started here, in %0",
       DiagnosticIDs::Note)
      << outermostFunction(Spawner);
  diag(W.E->getBeginLoc(),
       "%select{%2 waits on %1 here|%2 waits here for %1 to reach zero}0",
       DiagnosticIDs::Note)
      << A.Atomic << A.Object << W.In;
}

} // namespace clang::tidy::threadlint
