//===--- ThreadNotJoinedCheck.cpp - threadlint ----------------------------===//
#include "ThreadNotJoinedCheck.h"
#include "model/OptionLists.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Analysis/CFG.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/SmallPtrSet.h"

using namespace clang::ast_matchers;

namespace clang::tidy::threadlint {
namespace {

constexpr llvm::StringLiteral DefaultThrowingFunctions =
    "::std::stoi;::std::stol;::std::stoll;::std::stoul;::std::stoull;"
    "::std::stof;::std::stod;::std::stold;::std::vector::at;"
    "::std::basic_string::at;::std::deque::at;::std::array::at;"
    "::std::map::at;::std::unordered_map::at;::std::optional::value;"
    "::std::any_cast;::std::get;::std::function::operator()";

// Strips what does not change which object is initialised: `std::thread t =
// std::thread(f)` starts the thread as `std::thread t(f)` does.
const Expr *unwrapInit(const Expr *E) {
  while (E) {
    E = E->IgnoreParenImpCasts();
    if (const auto *C = llvm::dyn_cast<ExprWithCleanups>(E))
      E = C->getSubExpr();
    else if (const auto *M = llvm::dyn_cast<MaterializeTemporaryExpr>(E))
      E = M->getSubExpr();
    else if (const auto *B = llvm::dyn_cast<CXXBindTemporaryExpr>(E))
      E = B->getSubExpr();
    else if (const auto *F = llvm::dyn_cast<CXXFunctionalCastExpr>(E))
      E = F->getSubExpr();
    else if (const auto *CE = llvm::dyn_cast<CXXConstructExpr>(E);
             CE && CE->getNumArgs() == 1 && CE->getConstructor() &&
             CE->getConstructor()->isMoveConstructor())
      E = CE->getArg(0);
    else
      return E;
  }
  return E;
}

// The expression starts a std::thread / boost::thread (not a jthread).
bool startsThread(const Expr *E, const SpawnModel &Spawns, ASTContext &Ctx) {
  const auto *Construct =
      llvm::dyn_cast_or_null<CXXConstructExpr>(unwrapInit(E));
  if (!Construct)
    return false;
  std::optional<SpawnSite> Site = Spawns.classify(Construct, Ctx);
  return Site && Site->Kind == SpawnKind::Thread;
}

bool isNamedMethodCallOn(const Stmt *S, const ValueDecl *Object,
                         std::initializer_list<llvm::StringRef> Names) {
  const auto *MC = llvm::dyn_cast<CXXMemberCallExpr>(S);
  if (!MC || !MC->getMethodDecl() || !MC->getMethodDecl()->getIdentifier())
    return false;
  const Expr *Obj = MC->getImplicitObjectArgument();
  return Obj && referencedDecl(Obj) == Object &&
         llvm::is_contained(Names, MC->getMethodDecl()->getName());
}

// Where a path leaves the thread's scope.
enum class ExitKind { Return, Break, Continue, Goto, Throw, Call, ScopeEnd };

struct Exit {
  ExitKind Kind = ExitKind::ScopeEnd;
  SourceLocation Loc;
  const NamedDecl *Callee = nullptr;
};

// Per-element effect of a statement on the tracked thread.
enum class Effect { None, Settled, Leaves };

class LocalWalker {
public:
  LocalWalker(const VarDecl *Thread, const std::vector<std::string> &Throwing,
              bool Strict, bool MacroExits, ASTContext &Ctx)
      : Thread(Thread), Throwing(Throwing), Strict(Strict),
        MacroExits(MacroExits), Ctx(Ctx) {}

  // A path from Start to the thread's destruction (or to an exception
  // leaving the function) on which it stays joinable.
  std::optional<Exit> run(const CFG &G, const Stmt *Start) {
    // Find the element that starts the thread.
    for (const CFGBlock *B : G) {
      if (!B)
        continue;
      for (unsigned I = 0, N = B->size(); I < N; ++I)
        if (auto S = (*B)[I].getAs<CFGStmt>(); S && S->getStmt() == Start)
          return walkFrom(B, I + 1);
    }
    return std::nullopt;
  }

private:
  std::optional<Exit> walkFrom(const CFGBlock *First, unsigned FirstIndex) {
    llvm::SmallVector<std::pair<const CFGBlock *, unsigned>, 16> Work;
    llvm::SmallPtrSet<const CFGBlock *, 32> Seen;
    Work.push_back({First, FirstIndex});
    unsigned Steps = 0;
    while (!Work.empty()) {
      if (++Steps > 20000)
        return std::nullopt; // bounded: give up rather than guess
      auto [B, Index] = Work.pop_back_val();
      bool Stop = false;
      for (unsigned I = Index, N = B->size(); I < N && !Stop; ++I) {
        const CFGElement &E = (*B)[I];
        if (auto D = E.getAs<CFGAutomaticObjDtor>()) {
          if (D->getVarDecl() != Thread)
            continue;
          Exit X = exitOf(B);
          // A `return` inside a macro is a test assertion's early exit
          // (ASSERT_TRUE): ignored unless the option asks for it.
          if (X.Loc.isMacroID() && !MacroExits) {
            Stop = true;
            break;
          }
          return X;
        }
        auto S = E.getAs<CFGStmt>();
        if (!S)
          continue;
        Exit X;
        switch (effect(S->getStmt(), X)) {
        case Effect::Settled:
          Stop = true;
          break;
        case Effect::Leaves:
          if (X.Loc.isMacroID() && !MacroExits) {
            Stop = true;
            break;
          }
          return X;
        case Effect::None:
          break;
        }
      }
      if (Stop)
        continue;
      // `if (t.joinable())`: on the false edge there is nothing to join.
      const unsigned Settled = settledSuccessor(B);
      unsigned SuccIndex = 0;
      for (const CFGBlock::AdjacentBlock &Succ : B->succs()) {
        const unsigned This = SuccIndex++;
        if (!Succ.getReachableBlock() || This == Settled)
          continue;
        if (Seen.insert(Succ.getReachableBlock()).second)
          Work.push_back({Succ.getReachableBlock(), 0});
      }
    }
    return std::nullopt;
  }

  // The successor index on which the thread is known not joinable, or ~0u.
  unsigned settledSuccessor(const CFGBlock *B) const {
    const auto *Cond =
        llvm::dyn_cast_or_null<Expr>(B->getTerminatorCondition());
    if (!Cond || B->succ_size() != 2)
      return ~0u;
    bool Negated = false;
    Cond = Cond->IgnoreParenImpCasts();
    if (const auto *U = llvm::dyn_cast<UnaryOperator>(Cond);
        U && U->getOpcode() == UO_LNot) {
      Negated = true;
      Cond = U->getSubExpr()->IgnoreParenImpCasts();
    }
    if (!isNamedMethodCallOn(Cond, Thread, {"joinable"}))
      return ~0u;
    return Negated ? 0 : 1;
  }

  Effect effect(const Stmt *S, Exit &X) const {
    if (isNamedMethodCallOn(S, Thread, {"join", "detach", "swap"}))
      return Effect::Settled;
    if (const auto *Call = llvm::dyn_cast<CallExpr>(S)) {
      // std::move(t), std::swap(t, u), or t handed to a function that may
      // join it: no longer this path's business.
      for (const Expr *Arg : Call->arguments())
        if (referencedDecl(Arg) == Thread &&
            !isNamedMethodCallOn(S, Thread, {"joinable", "get_id"}))
          return Effect::Settled;
    }
    // A guard built from it (`ThreadGuard g(t);`), or a lambda that
    // captures it (a scope-exit action): it may join it.
    if (const auto *C = llvm::dyn_cast<CXXConstructExpr>(S))
      for (const Expr *Arg : C->arguments())
        if (referencedDecl(Arg) == Thread)
          return Effect::Settled;
    const LambdaExpr *L = llvm::dyn_cast<LambdaExpr>(S);
    if (const auto *DS = llvm::dyn_cast<DeclStmt>(S))
      if (DS->isSingleDecl())
        if (const auto *VD = llvm::dyn_cast<VarDecl>(DS->getSingleDecl()))
          if (VD->getInit())
            L = llvm::dyn_cast<LambdaExpr>(unwrapInit(VD->getInit()));
    if (L)
      for (const LambdaCapture &Cap : L->captures())
        if (Cap.capturesVariable() && Cap.getCapturedVar() == Thread)
          return Effect::Settled;
    if (const auto *Op = llvm::dyn_cast<CXXOperatorCallExpr>(S);
        Op && Op->getOperator() == OO_Equal && Op->getNumArgs() == 2 &&
        referencedDecl(Op->getArg(1)) == Thread)
      return Effect::Settled;
    if (insideTry(S))
      return Effect::None;
    if (const auto *T = llvm::dyn_cast<CXXThrowExpr>(S)) {
      X.Kind = ExitKind::Throw;
      X.Loc = T->getThrowLoc();
      return Effect::Leaves;
    }
    if (const auto *New = llvm::dyn_cast<CXXNewExpr>(S)) {
      if (New->shouldNullCheckAllocation()) // nothrow new
        return Effect::None;
      X.Kind = ExitKind::Call;
      X.Loc = New->getBeginLoc();
      X.Callee = New->getOperatorNew();
      return Effect::Leaves;
    }
    if (const auto *Call = llvm::dyn_cast<CallExpr>(S)) {
      const FunctionDecl *FD = Call->getDirectCallee();
      if (!FD || isNamedMethodCallOn(S, Thread, {"joinable", "get_id"}))
        return Effect::None;
      bool Throws = matchesAnyName(FD, Throwing);
      if (!Throws && Strict) {
        const auto *Proto = FD->getType()->getAs<FunctionProtoType>();
        Throws = Proto && Proto->canThrow() != CT_Cannot;
      }
      if (Throws) {
        X.Kind = ExitKind::Call;
        X.Loc = Call->getBeginLoc();
        X.Callee = FD;
        return Effect::Leaves;
      }
    }
    return Effect::None;
  }

  // An exception thrown here may be caught before it leaves the function.
  bool insideTry(const Stmt *S) const {
    DynTypedNode Node = DynTypedNode::create(*S);
    for (unsigned Depth = 0; Depth < 128; ++Depth) {
      DynTypedNodeList Parents = Ctx.getParents(Node);
      if (Parents.empty())
        return false;
      Node = Parents[0];
      if (Node.get<CXXTryStmt>())
        return true;
      if (Node.get<FunctionDecl>() || Node.get<LambdaExpr>())
        return false;
    }
    return false;
  }

  // How the block holding the destructor leaves the scope.
  Exit exitOf(const CFGBlock *B) const {
    Exit X;
    if (const Stmt *T = B->getTerminatorStmt()) {
      if (llvm::isa<BreakStmt>(T))
        X.Kind = ExitKind::Break;
      else if (llvm::isa<ContinueStmt>(T))
        X.Kind = ExitKind::Continue;
      else if (llvm::isa<GotoStmt>(T))
        X.Kind = ExitKind::Goto;
      if (X.Kind != ExitKind::ScopeEnd) {
        X.Loc = T->getBeginLoc();
        return X;
      }
    }
    for (const CFGElement &E : *B)
      if (auto S = E.getAs<CFGStmt>())
        if (const auto *R = llvm::dyn_cast<ReturnStmt>(S->getStmt())) {
          X.Kind = ExitKind::Return;
          X.Loc = R->getBeginLoc();
          return X;
        }
    // The end of the compound statement that declares the thread.
    X.Kind = ExitKind::ScopeEnd;
    for (DynTypedNode P : Ctx.getParents(*Thread))
      if (const auto *DS = P.get<DeclStmt>())
        for (DynTypedNode PP : Ctx.getParents(*DS))
          if (const auto *CS = PP.get<CompoundStmt>())
            X.Loc = CS->getRBracLoc();
    return X;
  }

  const VarDecl *Thread;
  const std::vector<std::string> &Throwing;
  bool Strict;
  bool MacroExits;
  ASTContext &Ctx;
};

// Every use of the thread is one a std::jthread supports the same way, and
// the type is spelled `std::thread`: the fix-it to std::jthread is certain.
std::optional<SourceRange> jthreadFixRange(const VarDecl *Thread,
                                           const Expr *Init,
                                           const FunctionDecl *Function,
                                           const SpawnModel &Spawns,
                                           ASTContext &Ctx) {
  if (!Ctx.getLangOpts().CPlusPlus20 || !Function->getBody())
    return std::nullopt;
  // std::jthread passes a std::stop_token first when the callable accepts
  // one: only bodies whose parameters are known keep their meaning.
  const auto *Construct =
      llvm::dyn_cast_or_null<CXXConstructExpr>(unwrapInit(Init));
  std::optional<SpawnSite> Site =
      Construct ? Spawns.classify(Construct, Ctx) : std::nullopt;
  if (!Site || !Site->Body || Site->Body->isVariadic() ||
      Site->Body->getDescribedFunctionTemplate() ||
      Site->Body->isFunctionTemplateSpecialization() ||
      (Site->Lambda && Site->Lambda->isGenericLambda()))
    return std::nullopt;
  class Uses : public RecursiveASTVisitor<Uses> {
  public:
    explicit Uses(const VarDecl *Thread) : Thread(Thread) {}
    bool Ok = true;
    bool VisitDeclRefExpr(DeclRefExpr *DRE) {
      if (DRE->getDecl() == Thread)
        ++Refs;
      return true;
    }
    bool VisitCXXMemberCallExpr(CXXMemberCallExpr *MC) {
      if (isNamedMethodCallOn(MC, Thread, {"join", "joinable", "get_id"}))
        ++Allowed;
      return true;
    }
    unsigned Refs = 0, Allowed = 0;

  private:
    const VarDecl *Thread;
  };
  Uses U(Thread);
  U.TraverseStmt(Function->getBody());
  if (U.Refs != U.Allowed)
    return std::nullopt; // detached, moved, passed on, ...
  TypeLoc TL = Thread->getTypeSourceInfo()
                   ? Thread->getTypeSourceInfo()->getTypeLoc()
                   : TypeLoc();
  if (TL.isNull() || TL.getBeginLoc().isMacroID())
    return std::nullopt;
  SourceRange Range = TL.getSourceRange();
  llvm::StringRef Text = Lexer::getSourceText(
      CharSourceRange::getTokenRange(Range), Ctx.getSourceManager(),
      Ctx.getLangOpts());
  if (Text != "std::thread")
    return std::nullopt;
  return Range;
}

} // namespace

ThreadNotJoinedCheck::ThreadNotJoinedCheck(StringRef Name,
                                           ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context),
      ThrowingFunctions(parseList(
          Options.get("ThrowingFunctions", DefaultThrowingFunctions))),
      StrictExceptionPaths(Options.get("StrictExceptionPaths", false)),
      ReportExitsInMacros(Options.get("ReportExitsInMacros", false)),
      MaxBlocks(Options.get("MaxBlocks", 4000U)),
      Verbose(Options.get("Verbose", false)) {}

void ThreadNotJoinedCheck::storeOptions(ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "ThrowingFunctions", serializeList(ThrowingFunctions));
  Options.store(Opts, "StrictExceptionPaths", StrictExceptionPaths);
  Options.store(Opts, "ReportExitsInMacros", ReportExitsInMacros);
  Options.store(Opts, "MaxBlocks", MaxBlocks);
  Options.store(Opts, "Verbose", Verbose);
}

void ThreadNotJoinedCheck::registerMatchers(MatchFinder *Finder) {
  auto ThreadType = hasType(hasUnqualifiedDesugaredType(recordType(
      hasDeclaration(cxxRecordDecl(hasAnyName("::std::thread",
                                              "::boost::thread"))))));
  auto InFunction = forFunction(functionDecl().bind("function"));
  // std::thread t(f);
  Finder->addMatcher(
      declStmt(has(varDecl(hasLocalStorage(), ThreadType, hasInitializer(expr()))
                       .bind("local")),
               InFunction, unless(isExpansionInSystemHeader()))
          .bind("start"),
      this);
  // t = std::thread(f); for a local t
  Finder->addMatcher(
      cxxOperatorCallExpr(
          hasOverloadedOperatorName("="),
          hasArgument(0, declRefExpr(to(varDecl(hasLocalStorage(), ThreadType)
                                            .bind("local")))),
          hasArgument(1, expr().bind("init")), InFunction,
          unless(isExpansionInSystemHeader()))
          .bind("start"),
      this);
  // Members: Foo() : worker_(f) {}  and  worker_ = std::thread(f);
  auto ThreadField = fieldDecl(ThreadType).bind("field");
  Finder->addMatcher(
      cxxConstructorDecl(
          hasAnyConstructorInitializer(cxxCtorInitializer(
              forField(ThreadField), withInitializer(expr().bind("init")))),
          unless(isExpansionInSystemHeader())),
      this);
  Finder->addMatcher(
      cxxOperatorCallExpr(hasOverloadedOperatorName("="),
                          hasArgument(0, memberExpr(member(ThreadField))),
                          hasArgument(1, expr().bind("init")),
                          unless(isExpansionInSystemHeader())),
      this);
}

void ThreadNotJoinedCheck::check(const MatchFinder::MatchResult &Result) {
  ASTContext &Ctx = *Result.Context;
  const SpawnModel Spawns({});
  const auto *Init = Result.Nodes.getNodeAs<Expr>("init");
  if (const auto *Local = Result.Nodes.getNodeAs<VarDecl>("local")) {
    const auto *Start = Result.Nodes.getNodeAs<Stmt>("start");
    const auto *Function = Result.Nodes.getNodeAs<FunctionDecl>("function");
    if (!Init)
      Init = Local->getInit();
    if (Start && Function && Init && startsThread(Init, Spawns, Ctx))
      checkLocal(Local, Start, Init, Function, Ctx);
    return;
  }
  if (const auto *Field = Result.Nodes.getNodeAs<FieldDecl>("field"))
    if (Init && startsThread(Init, Spawns, Ctx))
      checkMember(Field, Init);
}

void ThreadNotJoinedCheck::checkLocal(const VarDecl *Thread, const Stmt *Start,
                                      const Expr *Init,
                                      const FunctionDecl *Function,
                                      ASTContext &Ctx) {
  if (Reported.contains(Thread) || Function->isInvalidDecl() ||
      Thread->isInvalidDecl() || Function->isDependentContext())
    return;
  const Stmt *Body = Function->getBody();
  if (!Body)
    return;
  CFG::BuildOptions Options;
  Options.AddImplicitDtors = true;
  Options.AddTemporaryDtors = true;
  std::unique_ptr<CFG> G = CFG::buildCFG(Function, const_cast<Stmt *>(Body),
                                         &Ctx, Options);
  if (!G)
    return;
  if (G->getNumBlockIDs() > MaxBlocks) {
    // Too large to walk: skipped rather than guessed, and said so on demand.
    if (Verbose)
      diag(Function->getLocation(),
           "%0 not analysed: its control-flow graph has %1 blocks (MaxBlocks "
           "is %2)",
           DiagnosticIDs::Remark)
          << Function << G->getNumBlockIDs() << MaxBlocks;
    return;
  }
  LocalWalker Walker(Thread, ThrowingFunctions, StrictExceptionPaths,
                     ReportExitsInMacros, Ctx);
  std::optional<Exit> X = Walker.run(*G, Start);
  if (!X || X->Loc.isInvalid())
    return;
  Reported.insert(Thread);

  {
    auto D = diag(Thread->getLocation(),
                  "thread %0 can be destroyed while still joinable, which "
                  "calls std::terminate")
             << Thread;
    if (std::optional<SourceRange> Range =
            jthreadFixRange(Thread, Init, Function, SpawnModel({}), Ctx))
      D << FixItHint::CreateReplacement(*Range, "std::jthread");
  }
  auto N = diag(X->Loc,
                "%0 is still joinable %select{when this 'return' leaves its "
                "scope|when this 'break' leaves its scope|when this 'continue' "
                "leaves its scope|when this 'goto' leaves its scope|when this "
                "'throw' leaves its scope|if %2 throws here|at the end of its "
                "scope}1",
                DiagnosticIDs::Note)
           << Thread << static_cast<unsigned>(X->Kind);
  if (X->Callee)
    N << X->Callee;
  else
    N << "";
}

void ThreadNotJoinedCheck::checkMember(const FieldDecl *Field,
                                       const Expr *Start) {
  if (Reported.contains(Field) || Field->isInvalidDecl())
    return;
  const auto *Class = llvm::dyn_cast<CXXRecordDecl>(Field->getParent());
  if (!Class || !Class->hasDefinition() || Class->isDependentContext())
    return;
  // A member function that joins or detaches it (a Stop(), a test
  // fixture's TearDown()) makes the class's protocol explicit: not judged.
  for (const CXXMethodDecl *M : Class->methods()) {
    const FunctionDecl *Def = nullptr;
    if (llvm::isa<CXXDestructorDecl>(M) || !M->hasBody(Def) || !Def)
      continue;
    class Settles : public RecursiveASTVisitor<Settles> {
    public:
      explicit Settles(const FieldDecl *Field) : Field(Field) {}
      bool Found = false;
      bool VisitCXXMemberCallExpr(CXXMemberCallExpr *MC) {
        Found = isNamedMethodCallOn(MC, Field, {"join", "detach"});
        return !Found;
      }

    private:
      const FieldDecl *Field;
    };
    Settles Finder(Field);
    Finder.TraverseStmt(Def->getBody());
    if (Finder.Found)
      return;
  }
  const CXXDestructorDecl *Dtor = Class->getDestructor();
  const FunctionDecl *DtorBody = nullptr;
  if (Dtor && Dtor->isUserProvided()) {
    if (!Dtor->hasBody(DtorBody) || !DtorBody)
      return; // defined elsewhere: cannot tell
    // Any use of the member in the destructor, or in a member function it
    // calls (a Stop() that joins), counts as handling it.
    class Uses : public RecursiveASTVisitor<Uses> {
    public:
      explicit Uses(const FieldDecl *Field) : Field(Field) {}
      bool Found = false;
      unsigned Budget = 64;
      llvm::SmallPtrSet<const FunctionDecl *, 8> Seen;
      bool VisitMemberExpr(MemberExpr *ME) {
        if (ME->getMemberDecl() == Field)
          Found = true;
        return !Found;
      }
      bool VisitCXXMemberCallExpr(CXXMemberCallExpr *MC) {
        const FunctionDecl *Def = nullptr;
        const CXXMethodDecl *M = MC->getMethodDecl();
        if (M && M->getParent() == Field->getParent() && M->hasBody(Def) &&
            Def && Budget > 0 && Seen.insert(Def).second) {
          --Budget;
          TraverseStmt(Def->getBody());
        }
        return !Found;
      }

    private:
      const FieldDecl *Field;
    };
    Uses U(Field);
    U.TraverseStmt(DtorBody->getBody());
    if (U.Found)
      return;
  } else if (Dtor && !Dtor->isImplicit() && !Dtor->isDefaulted()) {
    return;
  }
  Reported.insert(Field);
  diag(Field->getLocation(),
       "thread member %0 is started but the destructor of %1 neither joins "
       "nor detaches it; destroying it while joinable calls std::terminate")
      << Field << Class;
  diag(Start->getBeginLoc(), "the thread is started here",
       DiagnosticIDs::Note);
  if (DtorBody)
    diag(DtorBody->getLocation(), "destructor of %0 defined here",
         DiagnosticIDs::Note)
        << Class;
}

} // namespace clang::tidy::threadlint
