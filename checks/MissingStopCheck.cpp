//===--- MissingStopCheck.cpp - threadlint --------------------------------===//
#include "MissingStopCheck.h"
#include "model/AstHelpers.h"
#include "model/ConcurrencyModel.h"
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

// A range-for that can take long: over a container whose size is not fixed
// at compile time (not a built-in array, std::array, an initializer list or
// a fixed-extent span), doing work for each element (a call, or a loop).
bool isLongRangeFor(const Stmt *Loop) {
  const auto *For = llvm::dyn_cast<CXXForRangeStmt>(Loop);
  if (!For || !For->getRangeInit() || !For->getBody())
    return false;
  const Expr *Range = For->getRangeInit()->IgnoreParenImpCasts();
  if (llvm::isa<InitListExpr>(Range))
    return false;
  QualType T = Range->getType().getNonReferenceType().getCanonicalType();
  if (T->isDependentType() || T->isConstantArrayType())
    return false;
  if (const auto *RD = T->getAsCXXRecordDecl()) {
    if (RD->isInStdNamespace() && RD->getIdentifier() &&
        (RD->getName() == "array" || RD->getName() == "initializer_list"))
      return false;
    if (const auto *Spec = llvm::dyn_cast<ClassTemplateSpecializationDecl>(RD);
        Spec && RD->isInStdNamespace() && RD->getIdentifier() &&
        RD->getName() == "span" && Spec->getTemplateArgs().size() == 2 &&
        Spec->getTemplateArgs()[1].getKind() == TemplateArgument::Integral &&
        !Spec->getTemplateArgs()[1].getAsIntegral().isAllOnes())
      return false;
  }
  class Work : public RecursiveASTVisitor<Work> {
  public:
    bool Found = false;
    bool TraverseLambdaExpr(LambdaExpr *) { return true; }
    bool VisitCallExpr(CallExpr *) { return !(Found = true); }
    bool VisitCXXConstructExpr(CXXConstructExpr *C) {
      Found = C->getConstructor() && !C->getConstructor()->isTrivial();
      return !Found;
    }
    bool VisitWhileStmt(WhileStmt *) { return !(Found = true); }
    bool VisitDoStmt(DoStmt *) { return !(Found = true); }
    bool VisitForStmt(ForStmt *) { return !(Found = true); }
    bool VisitCXXForRangeStmt(CXXForRangeStmt *) { return !(Found = true); }
  };
  Work W;
  W.TraverseStmt(const_cast<Stmt *>(For->getBody()));
  return W.Found;
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

bool refersToAny(const Stmt *S, llvm::ArrayRef<const ValueDecl *> Ds) {
  return S && llvm::any_of(Ds, [&](const ValueDecl *D) { return refersTo(S, D); });
}

// `source.get_token()` on one of Sources, the first inside S.
const Expr *findGetToken(const Stmt *S,
                         llvm::ArrayRef<const ValueDecl *> Sources) {
  class Finder : public RecursiveASTVisitor<Finder> {
  public:
    explicit Finder(llvm::ArrayRef<const ValueDecl *> Sources)
        : Sources(Sources) {}
    const Expr *Found = nullptr;
    bool VisitCXXMemberCallExpr(CXXMemberCallExpr *MC) {
      const CXXMethodDecl *M = MC->getMethodDecl();
      if (M && M->getIdentifier() && M->getName() == "get_token" &&
          llvm::is_contained(Sources,
                             referencedDecl(MC->getImplicitObjectArgument())))
        Found = MC;
      return !Found;
    }

  private:
    llvm::ArrayRef<const ValueDecl *> Sources;
  };
  if (!S)
    return nullptr;
  Finder F(Sources);
  F.TraverseStmt(const_cast<Stmt *>(S));
  return F.Found;
}

// A member function body that reads one of Sources, itself or through a
// member function it calls on `this` (one level).
const Stmt *memberReading(const FunctionDecl *Body,
                          llvm::ArrayRef<const ValueDecl *> Sources,
                          unsigned Depth = 0) {
  const FunctionDecl *Def = nullptr;
  if (!Body || !Body->hasBody(Def) || !Def || Depth > 1)
    return nullptr;
  if (refersToAny(Def->getBody(), Sources))
    return Def->getBody();
  class Calls : public RecursiveASTVisitor<Calls> {
  public:
    llvm::SmallVector<const CXXMethodDecl *, 4> Methods;
    bool VisitCXXMemberCallExpr(CXXMemberCallExpr *MC) {
      const Expr *Obj = MC->getImplicitObjectArgument();
      if (Obj && llvm::isa<CXXThisExpr>(Obj->IgnoreParenImpCasts()) &&
          MC->getMethodDecl() && Methods.size() < 16)
        Methods.push_back(MC->getMethodDecl());
      return true;
    }
  };
  Calls C;
  C.TraverseStmt(const_cast<Stmt *>(Def->getBody()));
  for (const CXXMethodDecl *M : C.Methods)
    if (const Stmt *S = memberReading(M, Sources, Depth + 1))
      return S;
  return nullptr;
}

bool isStopSourceArg(const Expr *Arg) {
  QualType T = Arg->getType().getNonReferenceType();
  if (const auto *PT = T->getAs<PointerType>())
    T = PT->getPointeeType();
  return isStdClass(T, "stop_source");
}

// How a std::stop_source is used in its scope: whether its tokens reach
// spawned work, and whether it is stopped or handed on (a function or a
// copy that gets the source itself may stop it).
class StopSourceUses : public RecursiveASTVisitor<StopSourceUses> {
public:
  StopSourceUses(llvm::ArrayRef<const ValueDecl *> Sources,
                 const SpawnModel &Spawns, ASTContext &Ctx)
      : Sources(Sources.begin(), Sources.end()), Spawns(Spawns), Ctx(Ctx) {}
  bool Stopped = false;
  std::optional<SpawnSite> Spawn;
  const Expr *TokenAt = nullptr;

  // auto token = source.get_token(); std::stop_source copy = source;
  bool VisitVarDecl(VarDecl *VD) {
    if (!VD->getInit() || !refersToAny(VD->getInit(), Sources))
      return true;
    if (isStdClass(VD->getType(), "stop_token")) {
      Tokens.push_back(VD);
      if (!TokenOf.count(VD))
        TokenOf[VD] = findGetToken(VD->getInit(), Sources);
    } else if (isStdClass(VD->getType(), "stop_source") &&
               referencedDecl(VD->getInit()) &&
               llvm::is_contained(Sources, referencedDecl(VD->getInit()))) {
      Stopped = true;
    }
    return true;
  }

  bool VisitCXXMemberCallExpr(CXXMemberCallExpr *MC) {
    const CXXMethodDecl *M = MC->getMethodDecl();
    if (M && M->getIdentifier() && M->getName() == "request_stop" &&
        isSource(referencedDecl(MC->getImplicitObjectArgument())))
      Stopped = true;
    return true;
  }

  // In a template: source.request_stop() on a dependent expression.
  bool VisitCXXDependentScopeMemberExpr(CXXDependentScopeMemberExpr *E) {
    if (E->getMember().getAsString() == "request_stop")
      Stopped = true;
    return true;
  }

  bool VisitCallExpr(CallExpr *Call) {
    note(Call);
    for (const Expr *Arg : Call->arguments())
      handOn(Arg);
    return true;
  }

  bool VisitCXXConstructExpr(CXXConstructExpr *C) {
    note(C);
    for (const Expr *Arg : C->arguments())
      handOn(Arg);
    return true;
  }

  bool VisitReturnStmt(ReturnStmt *R) {
    if (R->getRetValue())
      handOn(R->getRetValue());
    return true;
  }

private:
  // The source itself (not a token) handed to a function, a constructor or
  // the caller: whoever receives it may stop it.
  void handOn(const Expr *E) {
    if (isSource(referencedDecl(E)) && isStopSourceArg(E))
      Stopped = true;
  }

  bool isSource(const NamedDecl *D) const {
    return D && llvm::is_contained(Sources, D);
  }

  llvm::SmallVector<const ValueDecl *, 4> reachers() const {
    llvm::SmallVector<const ValueDecl *, 4> All(Sources.begin(),
                                               Sources.end());
    All.append(Tokens.begin(), Tokens.end());
    return All;
  }

  // Where the token behind S is taken: a get_token() in S, or the
  // initialiser of a token variable S names.
  const Expr *tokenIn(const Stmt *S) const {
    if (const Expr *E = findGetToken(S, Sources))
      return E;
    for (const ValueDecl *T : Tokens)
      if (refersTo(S, T))
        return TokenOf.lookup(T);
    return nullptr;
  }

  void note(const Expr *E) {
    if (Spawn)
      return;
    std::optional<SpawnSite> S = Spawns.classify(E, Ctx);
    if (!S)
      return;
    const llvm::SmallVector<const ValueDecl *, 4> All = reachers();
    const Stmt *Via = nullptr;
    for (const Expr *Arg : S->Args)
      if (!Via && refersToAny(Arg, All))
        Via = Arg;
    if (!Via && S->Lambda) {
      for (const LambdaCapture &Cap : S->Lambda->captures()) {
        if (Via)
          break;
        if (Cap.capturesVariable()) {
          const ValueDecl *V = Cap.getCapturedVar();
          if (llvm::is_contained(All, V))
            Via = S->Lambda;
          else if (const auto *VD = llvm::dyn_cast<VarDecl>(V);
                   VD && VD->isInitCapture() && VD->getInit() &&
                   refersToAny(VD->getInit(), All))
            Via = VD->getInit();
        } else if (Cap.capturesThis() && hasField()) {
          if (refersToAny(S->Lambda->getBody(), Sources))
            Via = S->Lambda->getBody();
          else
            Via = callsMemberReading(S->Lambda->getBody());
        }
      }
    }
    // A member function run as the thread's entry: std::thread(&C::run, this)
    if (!Via && S->MemberPointer && hasField())
      Via = memberReading(S->Body, Sources);
    if (!Via)
      return;
    Spawn = S;
    TokenAt = tokenIn(Via);
  }

  // A member function the lambda calls on `this` that reads the source.
  const Stmt *callsMemberReading(const Stmt *Body) const {
    class Calls : public RecursiveASTVisitor<Calls> {
    public:
      llvm::SmallVector<const CXXMethodDecl *, 4> Methods;
      bool VisitCXXMemberCallExpr(CXXMemberCallExpr *MC) {
        const Expr *Obj = MC->getImplicitObjectArgument();
        if (Obj && llvm::isa<CXXThisExpr>(Obj->IgnoreParenImpCasts()) &&
            MC->getMethodDecl() && Methods.size() < 16)
          Methods.push_back(MC->getMethodDecl());
        return true;
      }
    };
    Calls C;
    C.TraverseStmt(const_cast<Stmt *>(Body));
    for (const CXXMethodDecl *M : C.Methods)
      if (const Stmt *S = memberReading(M, Sources))
        return S;
    return nullptr;
  }

  bool hasField() const {
    return llvm::any_of(Sources, [](const ValueDecl *D) {
      return llvm::isa<FieldDecl>(D);
    });
  }

  llvm::SmallVector<const ValueDecl *, 2> Sources;
  llvm::SmallVector<const ValueDecl *, 4> Tokens;
  llvm::DenseMap<const ValueDecl *, const Expr *> TokenOf;
  const SpawnModel &Spawns;
  ASTContext &Ctx;
};

} // namespace

MissingStopCheck::MissingStopCheck(StringRef Name, ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context),
      Spawns(ModelOptions::read(Options).SpawnFunctions),
      ExitFunctions(
          parseList(Options.get("ExitFunctions", DefaultExitFunctions))) {}

void MissingStopCheck::storeOptions(ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "SpawnFunctions",
                serializeList(Spawns.spawnFunctions()));
  Options.store(Opts, "ExitFunctions", serializeList(ExitFunctions));
}

void MissingStopCheck::registerMatchers(MatchFinder *Finder) {
  Spawns.registerCandidates(*Finder, this);
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
    // A loop whose condition may never turn false; failing that, a walk
    // over a container of any length.
    const Stmt *Loop = nullptr;
    for (const Stmt *L : Loops.Loops)
      if (mayRunForever(L)) {
        Loop = L;
        break;
      }
    const bool Forever = Loop != nullptr;
    if (!Loop)
      for (const Stmt *L : Loops.Loops)
        if (isLongRangeFor(L)) {
          Loop = L;
          break;
        }
    if (Loop && !refersTo(Def->getBody(), Token) &&
        Reported.insert(Token->getLocation().getRawEncoding()).second) {
      diag(Token->getLocation(),
           "the std::jthread task takes a std::stop_token but never consults "
           "it, so request_stop() cannot end its loop; the jthread's "
           "destructor will wait %select{until the loop has walked its whole "
           "range|forever}0")
          << Forever;
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
      Reported.contains(Source->getLocation().getRawEncoding()))
    return;
  // The scope: the function for a local, every member function for a field.
  llvm::SmallVector<const Stmt *, 8> Bodies;
  llvm::SmallVector<const ValueDecl *, 2> Sources = {Source};
  if (const auto *Field = llvm::dyn_cast<FieldDecl>(Source)) {
    const auto *Class = llvm::dyn_cast<CXXRecordDecl>(Field->getParent());
    if (!Class || !Class->hasDefinition())
      return;
    // A public member: code outside the class may stop it.
    if (Field->getAccess() == AS_public)
      return;
    // An instantiation of a class template has bodies only for the members
    // it uses; the template's bodies stand in for the others.
    if (const CXXRecordDecl *Pattern = Class->getTemplateInstantiationPattern())
      for (const NamedDecl *D : Pattern->lookup(Field->getDeclName()))
        if (const auto *PF = llvm::dyn_cast<FieldDecl>(D))
          Sources.push_back(PF);
    for (const Decl *D : Class->decls()) {
      const auto *M = llvm::dyn_cast<CXXMethodDecl>(D);
      if (const auto *T = llvm::dyn_cast<FunctionTemplateDecl>(D))
        M = llvm::dyn_cast<CXXMethodDecl>(T->getTemplatedDecl());
      if (!M || M->isImplicit() || M->isDeleted() || M->isDefaulted() ||
          M->isPureVirtual())
        continue;
      const FunctionDecl *Def = nullptr;
      if (!M->hasBody(Def) || !Def)
        if (const FunctionDecl *Pattern = M->getTemplateInstantiationPattern())
          Pattern->hasBody(Def);
      if (!Def)
        return; // a member defined elsewhere may stop it
      Bodies.push_back(Def->getBody());
      if (const auto *Ctor = llvm::dyn_cast<CXXConstructorDecl>(Def))
        for (const CXXCtorInitializer *Init : Ctor->inits())
          if (Init->isWritten() && Init->getInit())
            Bodies.push_back(Init->getInit());
    }
  } else {
    const auto *Function =
        llvm::dyn_cast<FunctionDecl>(Source->getDeclContext());
    if (!Function || !Function->getBody() || Function->isDependentContext())
      return;
    Bodies.push_back(Function->getBody());
  }

  StopSourceUses U(Sources, Spawns, Ctx);
  for (const Stmt *Body : Bodies)
    U.TraverseStmt(const_cast<Stmt *>(Body));
  if (U.Stopped || !U.Spawn)
    return;
  Reported.insert(Source->getLocation().getRawEncoding());
  diag(Source->getLocation(),
       "std::stop_source %0 hands its token to spawned work, but "
       "request_stop() is never called on it %select{in this function|in "
       "this class}1")
      << Source << llvm::isa<FieldDecl>(Source);
  diag(U.Spawn->Site->getBeginLoc(), "the work that gets its token starts here",
       DiagnosticIDs::Note);
  // Where the token is taken, when that is not in the spawn expression
  // itself (a member function the thread runs, a local token variable).
  const SourceManager &SM = Ctx.getSourceManager();
  if (U.TokenAt &&
      !SM.isPointWithin(SM.getExpansionLoc(U.TokenAt->getBeginLoc()),
                        SM.getExpansionLoc(U.Spawn->Site->getBeginLoc()),
                        SM.getExpansionLoc(U.Spawn->Site->getEndLoc())))
    diag(U.TokenAt->getBeginLoc(), "its token is taken here",
         DiagnosticIDs::Note);
}

} // namespace clang::tidy::threadlint
