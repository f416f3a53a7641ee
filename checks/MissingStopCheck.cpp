//===--- MissingStopCheck.cpp - threadlint --------------------------------===//
#include "MissingStopCheck.h"
#include "model/AstHelpers.h"
#include "model/OptionLists.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang::ast_matchers;

namespace clang::tidy::threadlint {
namespace {

constexpr llvm::StringLiteral DefaultExitFunctions =
    "::exit;::_Exit;::quick_exit;::abort;::std::exit;::std::_Exit;"
    "::std::quick_exit;::std::abort;::std::terminate;::pthread_exit;"
    "::longjmp;::siglongjmp";

bool isStdClass(QualType T, llvm::StringRef Name) {
  const auto *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  return RD && RD->isInStdNamespace() && RD->getIdentifier() &&
         RD->getName() == Name;
}

// A loop condition that is always true: for (;;), while (true), while (1).
bool isForever(const Expr *Cond, ASTContext &Ctx) {
  if (!Cond)
    return true;
  if (Cond->isValueDependent() || Cond->HasSideEffects(Ctx))
    return false;
  bool Value = false;
  return Cond->EvaluateAsBooleanCondition(Value, Ctx) && Value;
}

// A way out of a loop: a break of this loop, return, throw, goto, co_return,
// or a call that ends the thread or the process.
class ExitFinder : public RecursiveASTVisitor<ExitFinder> {
public:
  ExitFinder(llvm::ArrayRef<std::string> ExitFunctions)
      : ExitFunctions(ExitFunctions) {}
  bool Found = false;

  bool TraverseLambdaExpr(LambdaExpr *) { return true; }
  // A break inside a nested loop or switch leaves only that statement.
  bool TraverseWhileStmt(WhileStmt *S) { return nested(S); }
  bool TraverseDoStmt(DoStmt *S) { return nested(S); }
  bool TraverseForStmt(ForStmt *S) { return nested(S); }
  bool TraverseCXXForRangeStmt(CXXForRangeStmt *S) { return nested(S); }
  bool TraverseSwitchStmt(SwitchStmt *S) { return nested(S); }

  bool VisitBreakStmt(BreakStmt *) {
    if (Depth == 0)
      Found = true;
    return !Found;
  }
  bool VisitReturnStmt(ReturnStmt *) { return !(Found = true); }
  bool VisitCoreturnStmt(CoreturnStmt *) { return !(Found = true); }
  bool VisitCXXThrowExpr(CXXThrowExpr *) { return !(Found = true); }
  bool VisitGotoStmt(GotoStmt *) { return !(Found = true); }
  bool VisitIndirectGotoStmt(IndirectGotoStmt *) { return !(Found = true); }
  bool VisitCallExpr(CallExpr *Call) {
    const FunctionDecl *FD = Call->getDirectCallee();
    if (FD && (FD->isNoReturn() || matchesAnyName(FD, ExitFunctions)))
      Found = true;
    return !Found;
  }

private:
  template <typename T> bool nested(T *S) {
    ++Depth;
    for (Stmt *Child : S->children())
      if (Child && !TraverseStmt(Child))
        break;
    --Depth;
    return !Found;
  }

  llvm::ArrayRef<std::string> ExitFunctions;
  unsigned Depth = 0;
};

// Loops of a body (not of nested lambdas).
class LoopFinder : public RecursiveASTVisitor<LoopFinder> {
public:
  llvm::SmallVector<const Stmt *, 4> Loops;
  bool TraverseLambdaExpr(LambdaExpr *) { return true; }
  bool VisitWhileStmt(WhileStmt *S) { return add(S); }
  bool VisitDoStmt(DoStmt *S) { return add(S); }
  bool VisitForStmt(ForStmt *S) { return add(S); }
  bool VisitCXXForRangeStmt(CXXForRangeStmt *S) { return add(S); }

private:
  bool add(const Stmt *S) {
    Loops.push_back(S);
    return true;
  }
};

// The condition of a loop that has one (a range-for is bounded by its
// range); `for (;;)` has one that is always true.
const Expr *conditionOf(const Stmt *Loop, bool &HasCondition) {
  HasCondition = !llvm::isa<CXXForRangeStmt>(Loop);
  return loopCondition(Loop);
}

// The loop's condition is written in terms of something that can change: a
// loop that is not range-based and not for (;;)/while (true).
bool mayRunForever(const Stmt *Loop) {
  bool HasCondition = false;
  const Expr *Cond = conditionOf(Loop, HasCondition);
  if (!HasCondition)
    return false;
  if (const auto *F = llvm::dyn_cast<ForStmt>(Loop))
    if (F->getInit() && F->getInc())
      return false; // a counted loop
  return Cond != nullptr || llvm::isa<ForStmt>(Loop);
}

bool refersTo(const Stmt *S, const ValueDecl *D) {
  class Finder : public RecursiveASTVisitor<Finder> {
  public:
    explicit Finder(const ValueDecl *D) : D(D) {}
    bool Found = false;
    bool VisitDeclRefExpr(DeclRefExpr *DRE) {
      Found = DRE->getDecl() == D;
      return !Found;
    }
    bool VisitMemberExpr(MemberExpr *ME) {
      Found = ME->getMemberDecl() == D;
      return !Found;
    }

  private:
    const ValueDecl *D;
  };
  Finder F(D);
  F.TraverseStmt(const_cast<Stmt *>(S));
  return F.Found;
}

} // namespace

MissingStopCheck::MissingStopCheck(StringRef Name, ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context),
      Spawns(parseList(Options.get("SpawnFunctions",
                                   SpawnModel::defaultSpawnFunctions()))),
      ExitFunctions(
          parseList(Options.get("ExitFunctions", DefaultExitFunctions))) {}

void MissingStopCheck::storeOptions(ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "SpawnFunctions",
                serializeList(Spawns.spawnFunctions()));
  Options.store(Opts, "ExitFunctions", serializeList(ExitFunctions));
}

void MissingStopCheck::registerMatchers(MatchFinder *Finder) {
  Finder->addMatcher(Spawns.candidateMatcher(), this);
  auto StopSourceType = hasType(hasUnqualifiedDesugaredType(recordType(
      hasDeclaration(cxxRecordDecl(hasName("::std::stop_source"))))));
  Finder->addMatcher(
      varDecl(hasLocalStorage(), StopSourceType,
              unless(isExpansionInSystemHeader()), unless(parmVarDecl()))
          .bind("source"),
      this);
  Finder->addMatcher(
      fieldDecl(StopSourceType, unless(isExpansionInSystemHeader()))
          .bind("source"),
      this);
}

void MissingStopCheck::check(const MatchFinder::MatchResult &Result) {
  ASTContext &Ctx = *Result.Context;
  if (const auto *Source = Result.Nodes.getNodeAs<ValueDecl>("source")) {
    checkStopSource(Source, Ctx);
    return;
  }
  const auto *E = Result.Nodes.getNodeAs<Expr>("spawn");
  if (std::optional<SpawnSite> Site = Spawns.classify(E, Ctx))
    checkSpawn(*Site, Ctx);
}

void MissingStopCheck::checkSpawn(const SpawnSite &Site, ASTContext &Ctx) {
  const FunctionDecl *Body = Site.Body;
  const FunctionDecl *Def = nullptr;
  if (!Body || !Body->hasBody(Def) || !Def || Def->isInvalidDecl() ||
      Def->isDependentContext())
    return;
  const SourceManager &SM = Ctx.getSourceManager();
  if (SM.isInSystemHeader(Def->getLocation()))
    return;
  LoopFinder Loops;
  Loops.TraverseStmt(Def->getBody());

  // (b) A std::jthread task that takes the stop token and never looks at it.
  if (Site.Kind == SpawnKind::JThread && Def->getNumParams() >= 1 &&
      isStdClass(Def->getParamDecl(0)->getType(), "stop_token")) {
    const ParmVarDecl *Token = Def->getParamDecl(0);
    const Stmt *Loop = nullptr;
    for (const Stmt *L : Loops.Loops)
      if (mayRunForever(L)) {
        Loop = L;
        break;
      }
    if (Loop && !refersTo(Def->getBody(), Token) &&
        Reported.insert(Token->getLocation().getRawEncoding()).second) {
      diag(Token->getLocation(),
           "the std::jthread task takes a std::stop_token but never consults "
           "it, so request_stop() cannot end its loop; the jthread's "
           "destructor will wait forever");
      diag(Loop->getBeginLoc(), "this loop does not check the token",
           DiagnosticIDs::Note);
      diag(Site.Site->getBeginLoc(), "the task is started here",
           DiagnosticIDs::Note);
      return;
    }
  }

  // (a) A loop with no way out, in the task or in a function its body
  // calls as a statement of its own (`[this] { run(); }`).
  if (const auto *Compound = llvm::dyn_cast<CompoundStmt>(Def->getBody()))
    for (const Stmt *S : Compound->body()) {
      const auto *Call = llvm::dyn_cast<CallExpr>(S);
      const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
      const FunctionDecl *CalleeDef = nullptr;
      if (Callee && Callee->hasBody(CalleeDef) && CalleeDef &&
          CalleeDef != Def && !SM.isInSystemHeader(CalleeDef->getLocation()))
        Loops.TraverseStmt(CalleeDef->getBody());
    }
  for (const Stmt *Loop : Loops.Loops) {
    bool HasCondition = false;
    const Expr *Cond = conditionOf(Loop, HasCondition);
    if (!HasCondition || !isForever(Cond, Ctx))
      continue;
    ExitFinder Exits(ExitFunctions);
    Exits.TraverseStmt(const_cast<Stmt *>(loopBody(Loop)));
    if (Exits.Found)
      continue;
    if (!Reported.insert(SM.getExpansionLoc(Loop->getBeginLoc())
                             .getRawEncoding())
             .second)
      continue;
    diag(Loop->getBeginLoc(),
         "this loop in a spawned task can never end: nothing breaks, returns "
         "or throws out of it, and its condition is always true");
    diag(Site.Site->getBeginLoc(),
         "the task is started here; give it a stop flag, a std::stop_token "
         "or a closed-queue check",
         DiagnosticIDs::Note);
  }
}

void MissingStopCheck::checkStopSource(const ValueDecl *Source,
                                       ASTContext &Ctx) {
  if (Source->isInvalidDecl() ||
      !Reported.insert(Source->getLocation().getRawEncoding()).second)
    return;
  // The scope: the function for a local, every member function for a field.
  llvm::SmallVector<const Stmt *, 8> Bodies;
  if (const auto *Field = llvm::dyn_cast<FieldDecl>(Source)) {
    const auto *Class = llvm::dyn_cast<CXXRecordDecl>(Field->getParent());
    if (!Class || !Class->hasDefinition() || Class->isDependentContext())
      return;
    for (const CXXMethodDecl *M : Class->methods()) {
      const FunctionDecl *Def = nullptr;
      if (M->isImplicit())
        continue;
      if (!M->hasBody(Def) || !Def)
        return; // a member defined elsewhere may stop it
      Bodies.push_back(Def->getBody());
    }
  } else {
    const auto *Function =
        llvm::dyn_cast<FunctionDecl>(Source->getDeclContext());
    if (!Function || !Function->getBody() || Function->isDependentContext())
      return;
    Bodies.push_back(Function->getBody());
  }

  // Its tokens reach spawned work; it is stopped, or handed on (a function
  // that gets the source itself may stop it).
  class Uses : public RecursiveASTVisitor<Uses> {
  public:
    Uses(const ValueDecl *Source, const SpawnModel &Spawns, ASTContext &Ctx)
        : Source(Source), Spawns(Spawns), Ctx(Ctx) {}
    bool Stopped = false;
    std::optional<SpawnSite> Spawn;

    bool VisitCXXMemberCallExpr(CXXMemberCallExpr *MC) {
      const CXXMethodDecl *M = MC->getMethodDecl();
      if (M && M->getIdentifier() && M->getName() == "request_stop" &&
          referencedDecl(MC->getImplicitObjectArgument()) == Source)
        Stopped = true;
      return true;
    }
    bool VisitCallExpr(CallExpr *Call) {
      note(Call);
      // The source itself (not a token) handed to a function.
      if (!llvm::isa<CXXMemberCallExpr>(Call))
        for (const Expr *Arg : Call->arguments())
          if (referencedDecl(Arg) == Source &&
              !isStdClass(Arg->getType(), "stop_token"))
            Stopped = true;
      return true;
    }
    bool VisitCXXConstructExpr(CXXConstructExpr *C) {
      note(C);
      return true;
    }

  private:
    void note(const Expr *E) {
      if (Spawn)
        return;
      std::optional<SpawnSite> S = Spawns.classify(E, Ctx);
      if (!S)
        return;
      bool Reaches = false;
      for (const Expr *Arg : S->Args)
        Reaches |= refersTo(Arg, Source);
      if (S->Lambda)
        for (const LambdaCapture &Cap : S->Lambda->captures())
          Reaches |= (Cap.capturesVariable() &&
                      Cap.getCapturedVar() == Source) ||
                     (Cap.capturesThis() && llvm::isa<FieldDecl>(Source) &&
                      refersTo(S->Lambda->getBody(), Source));
      if (Reaches)
        Spawn = S;
    }

    const ValueDecl *Source;
    const SpawnModel &Spawns;
    ASTContext &Ctx;
  };
  Uses U(Source, Spawns, Ctx);
  for (const Stmt *Body : Bodies)
    U.TraverseStmt(const_cast<Stmt *>(Body));
  if (U.Stopped || !U.Spawn)
    return;
  diag(Source->getLocation(),
       "std::stop_source %0 hands its token to spawned work, but "
       "request_stop() is never called on it %select{in this function|in "
       "this class}1")
      << Source << llvm::isa<FieldDecl>(Source);
  diag(U.Spawn->Site->getBeginLoc(), "the work that gets its token starts here",
       DiagnosticIDs::Note);
}

} // namespace clang::tidy::threadlint
