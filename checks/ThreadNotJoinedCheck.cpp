//===--- ThreadNotJoinedCheck.cpp - threadlint ----------------------------===//
#include "ThreadNotJoinedCheck.h"
#include "model/AstHelpers.h"
#include "model/OptionLists.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Analysis/CFG.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/MapVector.h"
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

// The object an argument hands on (by reference, pointer or move): the
// thread or container itself, an element of it, or an iterator into it; not
// a value read from it (`t.get_id()`, `t.native_handle()`).
const NamedDecl *passedObject(const Expr *E) {
  for (unsigned Depth = 0; E && Depth < 16; ++Depth) {
    E = E->IgnoreParenImpCasts();
    if (const auto *M = llvm::dyn_cast<MaterializeTemporaryExpr>(E)) {
      E = M->getSubExpr();
    } else if (const auto *B = llvm::dyn_cast<CXXBindTemporaryExpr>(E)) {
      E = B->getSubExpr();
    } else if (const auto *C = llvm::dyn_cast<ExprWithCleanups>(E)) {
      E = C->getSubExpr();
    } else if (const auto *Cast = llvm::dyn_cast<ExplicitCastExpr>(E)) {
      E = Cast->getSubExpr();
    } else if (const auto *DRE = llvm::dyn_cast<DeclRefExpr>(E)) {
      return DRE->getDecl();
    } else if (const auto *ME = llvm::dyn_cast<MemberExpr>(E)) {
      return llvm::isa<FieldDecl>(ME->getMemberDecl()) ? ME->getMemberDecl()
                                                       : nullptr;
    } else if (const auto *UO = llvm::dyn_cast<UnaryOperator>(E)) {
      if (UO->getOpcode() != UO_AddrOf && UO->getOpcode() != UO_Deref)
        return nullptr;
      E = UO->getSubExpr();
    } else if (const auto *ASE = llvm::dyn_cast<ArraySubscriptExpr>(E)) {
      E = ASE->getBase();
    } else if (const auto *Op = llvm::dyn_cast<CXXOperatorCallExpr>(E)) {
      if ((Op->getOperator() != OO_Subscript && Op->getOperator() != OO_Star &&
           Op->getOperator() != OO_Arrow) ||
          Op->getNumArgs() < 1)
        return nullptr;
      E = Op->getArg(0);
    } else if (const auto *MC = llvm::dyn_cast<CXXMemberCallExpr>(E)) {
      // An element or an iterator: v.front(), v.begin(), p.get().
      const CXXMethodDecl *M = MC->getMethodDecl();
      if (!M || !M->getIdentifier() || MC->getNumArgs() != 0 ||
          !llvm::is_contained(
              std::initializer_list<llvm::StringRef>{
                  "front", "back", "begin", "end", "cbegin", "cend", "rbegin",
                  "rend", "get", "value"},
              M->getName()))
        return nullptr;
      E = MC->getImplicitObjectArgument();
    } else if (const auto *Call = llvm::dyn_cast<CallExpr>(E)) {
      // std::move(t), std::ref(t), std::addressof(t)
      const FunctionDecl *FD = Call->getDirectCallee();
      if (!FD || !FD->isInStdNamespace() || !FD->getIdentifier() ||
          Call->getNumArgs() != 1 ||
          !llvm::is_contained(std::initializer_list<llvm::StringRef>{
                                  "move", "forward", "ref", "addressof"},
                              FD->getName()))
        return nullptr;
      E = Call->getArg(0);
    } else if (const auto *CE = llvm::dyn_cast<CXXConstructExpr>(E)) {
      if (CE->getNumArgs() != 1 || !CE->getConstructor() ||
          !CE->getConstructor()->isCopyOrMoveConstructor())
        return nullptr;
      E = CE->getArg(0);
    } else {
      return nullptr;
    }
  }
  return nullptr;
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
      // join it: no longer this path's business. A value read from it
      // (`std::cout << t.get_id()`) hands nothing on.
      for (const Expr *Arg : Call->arguments())
        if (passedObject(Arg) == Thread)
          return Effect::Settled;
    }
    // A guard built from it (`ThreadGuard g(t);`), or a lambda that
    // captures it (a scope-exit action): it may join it.
    if (const auto *C = llvm::dyn_cast<CXXConstructExpr>(S))
      for (const Expr *Arg : C->arguments())
        if (passedObject(Arg) == Thread)
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
        passedObject(Op->getArg(1)) == Thread)
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

// ---- Members ---------------------------------------------------------------

bool isThreadRecord(const CXXRecordDecl *RD) {
  // Not std::jthread: it joins itself.
  if (!RD || !RD->getIdentifier() || RD->getName() != "thread")
    return false;
  if (RD->isInStdNamespace())
    return true;
  const auto *NS = llvm::dyn_cast<NamespaceDecl>(RD->getDeclContext());
  return NS && NS->getIdentifier() && NS->getName() == "boost" &&
         NS->getDeclContext()->getRedeclContext()->isTranslationUnit();
}

// A member type whose destruction destroys a std::thread: the thread itself,
// a sequence or array of them, a unique_ptr or optional holding one. Sets
// Many for a container.
bool holdsThreads(QualType T, bool &Many) {
  Many = false;
  const auto *RD = T.getCanonicalType()->getAsCXXRecordDecl();
  if (!RD)
    return false;
  if (isThreadRecord(RD))
    return true;
  const auto *Spec = llvm::dyn_cast<ClassTemplateSpecializationDecl>(RD);
  if (!Spec || !Spec->isInStdNamespace() || !Spec->getIdentifier() ||
      Spec->getTemplateArgs().size() == 0 ||
      Spec->getTemplateArgs()[0].getKind() != TemplateArgument::Type)
    return false;
  const llvm::StringRef Name = Spec->getName();
  const bool Sequence = llvm::is_contained(
      std::initializer_list<llvm::StringRef>{"vector", "deque", "list",
                                             "forward_list", "array"},
      Name);
  if (!Sequence && Name != "unique_ptr" && Name != "optional")
    return false;
  Many = Sequence;
  return isThreadRecord(Spec->getTemplateArgs()[0]
                            .getAsType()
                            .getCanonicalType()
                            ->getAsCXXRecordDecl());
}

// A class template's members are judged once, on the template as written:
// an instantiation has bodies only for the members it uses.
const CXXRecordDecl *patternClass(const CXXRecordDecl *RD) {
  if (const CXXRecordDecl *P = RD->getTemplateInstantiationPattern())
    return P;
  return RD;
}

const FieldDecl *patternField(const FieldDecl *F) {
  const auto *RD = llvm::dyn_cast<CXXRecordDecl>(F->getParent());
  if (!RD)
    return F;
  const CXXRecordDecl *P = patternClass(RD);
  if (P == RD || !F->getDeclName())
    return F;
  for (const NamedDecl *D : P->lookup(F->getDeclName()))
    if (const auto *PF = llvm::dyn_cast<FieldDecl>(D))
      return PF;
  return F;
}

// `this`, `*this`, or a cast of it.
bool isThisObject(const Expr *E) {
  if (!E)
    return false;
  E = E->IgnoreParenCasts();
  if (const auto *UO = llvm::dyn_cast<UnaryOperator>(E);
      UO && UO->getOpcode() == UO_Deref)
    E = UO->getSubExpr()->IgnoreParenCasts();
  return llvm::isa<CXXThisExpr>(E);
}

// Copying or moving an object of the class hands the thread from one object
// to another of the same class: not a way out of it.
bool isCopyOrMove(const FunctionDecl *FD) {
  if (const auto *Ctor = llvm::dyn_cast<CXXConstructorDecl>(FD))
    return Ctor->isCopyOrMoveConstructor();
  if (const auto *M = llvm::dyn_cast<CXXMethodDecl>(FD))
    return M->isCopyAssignmentOperator() || M->isMoveAssignmentOperator();
  return false;
}

// What a function (and, when asked, the member functions it calls on
// `this`) does with a thread member.
struct FieldUse {
  const Stmt *Join = nullptr; ///< the first join() or detach() found
  bool Detach = false;        ///< ... and it is a detach()
  bool HandedOn = false;      ///< moved, swapped, passed, returned
  bool Unknown = false;       ///< handled where the check cannot follow
};

class FieldUseFinder : public RecursiveASTVisitor<FieldUseFinder> {
  using Base = RecursiveASTVisitor<FieldUseFinder>;

public:
  /// Events before \p After (in the function walked, or at the call that
  /// leads to them) are ignored when After is valid.
  FieldUseFinder(llvm::ArrayRef<const FieldDecl *> Fields, bool FollowCalls,
                 SourceLocation After, const SourceManager &SM)
      : FollowCalls(FollowCalls), After(After), SM(SM) {
    Aliases.insert(Fields.begin(), Fields.end());
  }

  FieldUse Use;

  void walk(const FunctionDecl *Def) {
    Seen.insert(Def->getCanonicalDecl());
    TraverseDecl(const_cast<FunctionDecl *>(Def));
  }
  void walk(const Stmt *S) { TraverseStmt(const_cast<Stmt *>(S)); }

  bool TraverseLambdaExpr(LambdaExpr *L) {
    ++InLambda;
    Base::TraverseLambdaExpr(L);
    --InLambda;
    return true;
  }

  // References to it or into it: `auto &t = worker_`, `auto it =
  // threads_.begin()`; a local that takes the thread over is a hand-on.
  bool VisitVarDecl(VarDecl *VD) {
    if (!VD->getInit() || !isAlias(passedObject(VD->getInit())))
      return true;
    Aliases.insert(VD);
    bool Many = false;
    if (!VD->getType()->isReferenceType() &&
        holdsThreads(VD->getType(), Many))
      handOn(VD->getLocation());
    return true;
  }

  bool VisitCXXForRangeStmt(CXXForRangeStmt *For) {
    if (For->getLoopVariable() && isAlias(passedObject(For->getRangeInit())))
      Aliases.insert(For->getLoopVariable());
    return true;
  }

  bool VisitReturnStmt(ReturnStmt *R) {
    if (R->getRetValue() && isAlias(passedObject(R->getRetValue())))
      handOn(R->getBeginLoc());
    return true;
  }

  bool VisitCXXConstructExpr(CXXConstructExpr *C) {
    argumentsOf(C->arguments(), C->getBeginLoc());
    return true;
  }

  bool VisitCXXUnresolvedConstructExpr(CXXUnresolvedConstructExpr *C) {
    argumentsOf(C->arguments(), C->getBeginLoc());
    return true;
  }

  bool VisitCallExpr(CallExpr *Call) {
    if (const auto *Op = llvm::dyn_cast<CXXOperatorCallExpr>(Call)) {
      // other = std::move(worker_); assigning to it is no way out.
      if (Op->getOperator() == OO_Equal && Op->getNumArgs() == 2 &&
          isAlias(passedObject(Op->getArg(1))))
        handOn(Op->getBeginLoc());
      return true;
    }
    if (const auto *MC = llvm::dyn_cast<CXXMemberCallExpr>(Call)) {
      member(MC);
      return true;
    }
    const FunctionDecl *FD = Call->getDirectCallee();
    if (FD && FD->isInStdNamespace() && FD->getIdentifier() &&
        llvm::is_contained(std::initializer_list<llvm::StringRef>{
                               "move", "forward", "ref", "addressof"},
                           FD->getName()))
      return true; // the call that uses the result decides
    argumentsOf(Call->arguments(), Call->getBeginLoc());
    if (!FollowCalls)
      return true;
    // A member function called on `this` in a template (a dependent call).
    const Expr *Callee = Call->getCallee()->IgnoreParenImpCasts();
    if (const auto *ME = llvm::dyn_cast<MemberExpr>(Callee)) {
      if (isThisObject(ME->getBase()))
        if (const auto *M = llvm::dyn_cast<CXXMethodDecl>(ME->getMemberDecl()))
          follow(M, Call->getBeginLoc());
    } else if (const auto *U = llvm::dyn_cast<UnresolvedMemberExpr>(Callee)) {
      if (U->isImplicitAccess() || isThisObject(U->getBase()))
        unknown(Call->getBeginLoc());
    } else if (const auto *D =
                   llvm::dyn_cast<CXXDependentScopeMemberExpr>(Callee)) {
      if (D->isImplicitAccess() || isThisObject(D->getBase()))
        unknown(Call->getBeginLoc());
    }
    // A function given the object itself may do anything with it.
    for (const Expr *Arg : Call->arguments())
      if (isThisObject(Arg))
        unknown(Call->getBeginLoc());
    return true;
  }

private:
  void member(const CXXMemberCallExpr *MC) {
    const CXXMethodDecl *M = MC->getMethodDecl();
    const Expr *Obj = MC->getImplicitObjectArgument();
    if (!M || !Obj)
      return;
    if (M->getIdentifier() && isThreadRecord(M->getParent()) &&
        isAlias(passedObject(Obj))) {
      if (M->getName() == "join" || M->getName() == "detach")
        join(MC, M->getName() == "detach");
      else if (M->getName() == "swap")
        handOn(MC->getBeginLoc());
    }
    argumentsOf(MC->arguments(), MC->getBeginLoc());
    if (FollowCalls && isThisObject(Obj))
      follow(M, MC->getBeginLoc());
  }

  template <typename Range> void argumentsOf(Range Args, SourceLocation Loc) {
    for (const Expr *Arg : Args)
      if (Arg && isAlias(passedObject(Arg)))
        handOn(Loc);
  }

  bool isAlias(const NamedDecl *D) const { return D && Aliases.contains(D); }

  bool counts(SourceLocation Loc) const {
    if (After.isInvalid())
      return true;
    return isBefore(After, Origin.isValid() ? Origin : Loc, SM);
  }

  void join(const Stmt *S, bool Detach) {
    if (!counts(S->getBeginLoc()))
      return;
    if (InLambda > 0) {
      Use.Unknown = true; // a continuation, a callback: not followed
      return;
    }
    if (!Use.Join) {
      Use.Join = S;
      Use.Detach = Detach;
    }
  }

  void handOn(SourceLocation Loc) {
    if (!counts(Loc))
      return;
    if (InLambda > 0)
      Use.Unknown = true;
    else
      Use.HandedOn = true;
  }

  void unknown(SourceLocation Loc) {
    if (counts(Loc))
      Use.Unknown = true;
  }

  // A member function the walked one calls on `this`, within bounds; one
  // whose body is not in this translation unit may do anything.
  void follow(const CXXMethodDecl *M, SourceLocation Call) {
    const FunctionDecl *Def = nullptr;
    if (!M->hasBody(Def) || !Def) {
      if (!M->isPureVirtual() && !M->isDefaulted() && !M->isDeleted())
        unknown(Call);
      return;
    }
    if (Depth >= MaxDepth || Budget == 0 ||
        !Seen.insert(Def->getCanonicalDecl()).second)
      return;
    --Budget;
    const SourceLocation SavedOrigin = Origin;
    if (Origin.isInvalid())
      Origin = Call;
    const unsigned SavedLambda = InLambda;
    ++Depth;
    TraverseStmt(Def->getBody());
    --Depth;
    InLambda = SavedLambda;
    Origin = SavedOrigin;
  }

  static constexpr unsigned MaxDepth = 8;
  const bool FollowCalls;
  const SourceLocation After;
  const SourceManager &SM;
  SourceLocation Origin;
  unsigned InLambda = 0;
  unsigned Depth = 0;
  unsigned Budget = 64;
  llvm::SmallPtrSet<const NamedDecl *, 8> Aliases;
  llvm::SmallPtrSet<const Decl *, 8> Seen;
};

FieldUse useIn(const FunctionDecl *Def, llvm::ArrayRef<const FieldDecl *> Fields,
               bool FollowCalls, const SourceManager &SM,
               SourceLocation After = SourceLocation()) {
  FieldUseFinder Finder(Fields, FollowCalls, After, SM);
  Finder.walk(Def);
  return Finder.Use;
}

// The destructor as declared (CXXRecordDecl::getDestructor() finds none in
// a class template: its destructor is selected per instantiation).
const CXXDestructorDecl *destructorOf(const CXXRecordDecl *Class) {
  for (const Decl *D : Class->decls())
    if (const auto *Dtor = llvm::dyn_cast<CXXDestructorDecl>(D))
      return Dtor;
  return nullptr;
}

// Member functions of a class with the body this translation unit gives
// them (member templates included); those defined elsewhere are skipped.
llvm::SmallVector<const FunctionDecl *, 16>
definedMethods(const CXXRecordDecl *Class) {
  llvm::SmallVector<const FunctionDecl *, 16> Result;
  for (const Decl *D : Class->decls()) {
    const auto *M = llvm::dyn_cast<CXXMethodDecl>(D);
    if (const auto *T = llvm::dyn_cast<FunctionTemplateDecl>(D))
      M = llvm::dyn_cast<CXXMethodDecl>(T->getTemplatedDecl());
    if (!M || M->isImplicit() || M->isDeleted() || M->isDefaulted() ||
        M->isPureVirtual() || isCopyOrMove(M))
      continue;
    const FunctionDecl *Def = nullptr;
    if (M->hasBody(Def) && Def)
      Result.push_back(Def);
  }
  return Result;
}

// The TearDown() a fixture runs, in the class or a base written by the user.
const FunctionDecl *tearDownOf(const CXXRecordDecl *Class, unsigned Depth = 0) {
  if (!Class || !Class->hasDefinition() || Depth > 8)
    return nullptr;
  for (const CXXMethodDecl *M : Class->methods()) {
    const FunctionDecl *Def = nullptr;
    if (M->getIdentifier() && M->getName() == "TearDown" &&
        M->getNumParams() == 0 && M->hasBody(Def) && Def)
      return Def;
  }
  for (const CXXBaseSpecifier &B : Class->bases())
    if (const FunctionDecl *Def =
            tearDownOf(B.getType()->getAsCXXRecordDecl(), Depth + 1))
      return Def;
  return nullptr;
}

// The function a statement belongs to, past the lambdas around it, and
// the member it initialises when it is in a constructor's initialiser list.
const FunctionDecl *owningFunction(const Stmt *S, ASTContext &Ctx,
                                   const FieldDecl *&Initialised) {
  Initialised = nullptr;
  DynTypedNodeList Parents = Ctx.getParents(*S);
  for (unsigned Depth = 0; Depth < 128 && !Parents.empty(); ++Depth) {
    const DynTypedNode &P = Parents[0];
    if (const auto *Init = P.get<CXXCtorInitializer>()) {
      if (!Initialised && Init->isMemberInitializer())
        Initialised = Init->getMember();
    } else if (const auto *FD = P.get<FunctionDecl>()) {
      const auto *M = llvm::dyn_cast<CXXMethodDecl>(FD);
      if (M && M->getParent()->isLambda()) {
        Parents = Ctx.getParents(P);
        continue;
      }
      // The parent map may skip the initialiser: find it by its expression.
      if (const auto *Ctor = llvm::dyn_cast<CXXConstructorDecl>(FD);
          Ctor && !Initialised)
        for (const CXXCtorInitializer *Init : Ctor->inits())
          if (Init->isMemberInitializer() && Init->getInit() &&
              contains(Init->getInit(), S, Ctx))
            Initialised = Init->getMember();
      return FD;
    }
    Parents = Ctx.getParents(P);
  }
  return nullptr;
}

// Code outside the class's own member functions that touches one of the
// members (a struct whose owner joins its thread), and classes deriving
// from the ones judged.
class OutsideUses : public RecursiveASTVisitor<OutsideUses> {
public:
  OutsideUses(const llvm::DenseSet<const FieldDecl *> &Fields,
              const llvm::DenseSet<const CXXRecordDecl *> &Classes)
      : Fields(Fields), Classes(Classes) {}

  llvm::DenseSet<const FieldDecl *> UsedOutside;
  llvm::DenseMap<const CXXRecordDecl *,
                 llvm::SmallVector<const CXXRecordDecl *, 2>>
      Derived;

  bool shouldVisitTemplateInstantiations() const { return false; }

  bool TraverseDecl(Decl *D) {
    if (!D)
      return true;
    if (const auto *M = llvm::dyn_cast<CXXMethodDecl>(D);
        M && !M->getParent()->isLambda()) {
      const CXXRecordDecl *Saved = Owner;
      Owner = patternClass(M->getParent());
      RecursiveASTVisitor::TraverseDecl(D);
      Owner = Saved;
      return true;
    }
    if (llvm::isa<FunctionDecl>(D) && !llvm::isa<CXXMethodDecl>(D)) {
      const CXXRecordDecl *Saved = Owner;
      Owner = nullptr;
      RecursiveASTVisitor::TraverseDecl(D);
      Owner = Saved;
      return true;
    }
    return RecursiveASTVisitor::TraverseDecl(D);
  }

  bool VisitMemberExpr(MemberExpr *ME) {
    const auto *F = llvm::dyn_cast<FieldDecl>(ME->getMemberDecl());
    if (!F)
      return true;
    F = patternField(F);
    if (Fields.contains(F) &&
        Owner != patternClass(llvm::cast<CXXRecordDecl>(F->getParent())))
      UsedOutside.insert(F);
    return true;
  }

  bool VisitCXXRecordDecl(CXXRecordDecl *RD) {
    if (RD->hasDefinition() && RD->isThisDeclarationADefinition())
      collectBases(RD, RD, 0);
    return true;
  }

private:
  void collectBases(const CXXRecordDecl *Top, const CXXRecordDecl *RD,
                    unsigned Depth) {
    if (Depth > 8)
      return;
    for (const CXXBaseSpecifier &B : RD->bases()) {
      const CXXRecordDecl *BD = B.getType()->getAsCXXRecordDecl();
      if (!BD)
        continue;
      if (Classes.contains(patternClass(BD)))
        Derived[patternClass(BD)].push_back(Top);
      if (BD->hasDefinition())
        collectBases(Top, BD->getDefinition(), Depth + 1);
    }
  }

  const llvm::DenseSet<const FieldDecl *> &Fields;
  const llvm::DenseSet<const CXXRecordDecl *> &Classes;
  const CXXRecordDecl *Owner = nullptr;
};

// The function asserts on the member (`assert(threads_.empty())`,
// `DCHECK(!worker_.joinable())`): joining first is the caller's stated
// duty. Read from the text, since a release build's assert() expands to
// nothing.
bool assertsOn(const FunctionDecl *Def, const FieldDecl *Field,
               const ASTContext &Ctx) {
  const Stmt *Body = Def->getBody();
  if (!Body || !Field->getIdentifier())
    return false;
  const SourceManager &SM = Ctx.getSourceManager();
  const SourceRange R = Body->getSourceRange();
  if (R.isInvalid() || R.getBegin().isMacroID() || R.getEnd().isMacroID())
    return false;
  bool Invalid = false;
  const llvm::StringRef Text =
      Lexer::getSourceText(CharSourceRange::getTokenRange(R), SM,
                           Ctx.getLangOpts(), &Invalid);
  if (Invalid || Text.size() > 20000)
    return false;
  Lexer Lex(R.getBegin(), Ctx.getLangOpts(), Text.begin(), Text.begin(),
            Text.end());
  Token Tok;
  bool AssertName = false; // the previous token names an assertion macro
  unsigned Depth = 0;      // parentheses open inside an assertion
  bool More = true;
  while (More) {
    More = !Lex.LexFromRawLexer(Tok);
    if (Tok.is(tok::eof))
      break;
    if (Depth > 0) {
      if (Tok.is(tok::l_paren))
        ++Depth;
      else if (Tok.is(tok::r_paren))
        --Depth;
      else if (Tok.is(tok::raw_identifier) &&
               Tok.getRawIdentifier() == Field->getName())
        return true;
      continue;
    }
    if (Tok.is(tok::l_paren) && AssertName) {
      Depth = 1;
      continue;
    }
    AssertName = false;
    if (Tok.is(tok::raw_identifier)) {
      const llvm::StringRef Name = Tok.getRawIdentifier();
      AssertName = isAssertionName(Name);
    }
  }
  return false;
}

std::string methodLabel(const FunctionDecl *FD) {
  return "'" + FD->getNameAsString() + "()'";
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
  // Members: what the spawn model calls a thread start, when it stores the
  // thread in a member (Foo() : worker_(f) {}, worker_ = std::thread(f),
  // threads_.emplace_back(f)).
  SpawnModel({}).registerCandidates(*Finder, this);
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
  if (const auto *E = Result.Nodes.getNodeAs<Expr>("spawn")) {
    Context = &Ctx;
    if (std::optional<SpawnSite> Site = Spawns.classify(E, Ctx))
      noteMemberStart(*Site, Ctx);
  }
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
  auto [Slot, Inserted] = Graphs.try_emplace(Function);
  if (Inserted) {
    CFG::BuildOptions Options;
    Options.AddImplicitDtors = true;
    Options.AddTemporaryDtors = true;
    Slot->second = CFG::buildCFG(Function, const_cast<Stmt *>(Body), &Ctx,
                                 Options);
  }
  const CFG *G = Slot->second.get();
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

void ThreadNotJoinedCheck::noteMemberStart(const SpawnSite &Site,
                                           ASTContext &Ctx) {
  if (Site.Kind != SpawnKind::Thread || Site.Site->containsErrors())
    return;
  const FieldDecl *Field = nullptr;
  const FunctionDecl *In = owningFunction(Site.Site, Ctx, Field);
  const auto *Method = llvm::dyn_cast_or_null<CXXMethodDecl>(In);
  if (!Method || Method->isInvalidDecl() || !Method->getBody())
    return;
  if (!Field) {
    // worker_ = std::thread(...); threads_.emplace_back(...)
    const Lifetime L = SpawnModel({}).lifetimeIn(Site, Method->getBody(), Ctx);
    Field = llvm::dyn_cast_or_null<FieldDecl>(L.Holder);
  }
  bool Many = false;
  if (!Field || Field->isInvalidDecl() || Field->getParent() != Method->getParent() ||
      !holdsThreads(Field->getType(), Many))
    return;
  MemberStarts.push_back({Field, Site.Site, Method});
}

void ThreadNotJoinedCheck::onEndOfTranslationUnit() {
  if (Context && !MemberStarts.empty())
    checkMembers(*Context);
  MemberStarts.clear();
  Reported.clear();
  Graphs.clear();
  Context = nullptr;
}

void ThreadNotJoinedCheck::checkMembers(ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  // The starts of each member, on the class as written.
  llvm::MapVector<const FieldDecl *, llvm::SmallVector<MemberStart, 2>> Starts;
  for (const MemberStart &S : MemberStarts)
    Starts[patternField(S.Field)].push_back(S);

  struct Candidate {
    const FieldDecl *Field;
    const CXXRecordDecl *Class;
    const MemberStart *Start;
    const FunctionDecl *JoinedIn;
    const Stmt *Join;
    bool Detach;
    const FunctionDecl *Dtor;
  };
  std::vector<Candidate> Candidates;

  for (auto &[Field, FieldStarts] : Starts) {
    const auto *Class = llvm::dyn_cast<CXXRecordDecl>(Field->getParent());
    if (!Class || Class->isInvalidDecl() || !Class->hasDefinition() ||
        Class->isAbstract() || Reported.contains(Field))
      continue;
    // The member as every instantiation names it, and as the template does.
    llvm::SmallVector<const FieldDecl *, 4> Names = {Field};
    for (const MemberStart &S : FieldStarts)
      if (!llvm::is_contained(Names, S.Field))
        Names.push_back(S.Field);

    // A start followed, in its own function, by a join is settled there.
    const MemberStart *Open = nullptr;
    for (const MemberStart &S : FieldStarts) {
      FieldUse After = useIn(S.In, Names, /*FollowCalls=*/true, SM,
                             S.Site->getEndLoc());
      if (!After.Join && !After.HandedOn && !After.Unknown) {
        Open = &S;
        break;
      }
    }
    if (!Open)
      continue;

    // The destructor, and what it calls, joins or detaches it.
    const CXXDestructorDecl *Dtor = destructorOf(Class);
    const FunctionDecl *DtorDef = nullptr;
    if (Dtor && Dtor->isUserProvided()) {
      if (!Dtor->hasBody(DtorDef) || !DtorDef)
        continue; // defined in another file
      const FieldUse InDtor = useIn(DtorDef, Names, true, SM);
      if (InDtor.Join || InDtor.HandedOn || InDtor.Unknown ||
          assertsOn(DtorDef, Field, Ctx))
        continue;
    }
    // A test fixture's TearDown() runs before its destructor.
    if (isTestFixture(Class))
      if (const FunctionDecl *TearDown = tearDownOf(Class)) {
        const FieldUse InTearDown = useIn(TearDown, Names, true, SM);
        if (InTearDown.Join || InTearDown.HandedOn || InTearDown.Unknown)
          continue;
      }
    // Anywhere in the class: a way out the check cannot follow (the thread
    // handed on, a join in a continuation) means silence; a plain join in
    // a member function the destructor does not call is the finding.
    // Member functions defined in another file are not seen.
    llvm::SmallVector<const FunctionDecl *, 16> Methods =
        definedMethods(Class);
    bool Silent = false;
    const FunctionDecl *JoinedIn = nullptr;
    const Stmt *Join = nullptr;
    bool Detach = false;
    for (const FunctionDecl *M : Methods) {
      const FieldUse U = useIn(M, Names, /*FollowCalls=*/false, SM);
      if (U.HandedOn || U.Unknown) {
        Silent = true;
        break;
      }
      if (U.Join && (!JoinedIn || JoinedIn == Open->In)) {
        JoinedIn = M;
        Join = U.Join;
        Detach = U.Detach;
      }
    }
    // Other members built from it (a joiner object) may join it.
    for (const FieldDecl *Other : Class->fields())
      if (const Expr *Init = Other->getInClassInitializer()) {
        FieldUseFinder Finder(Names, false, SourceLocation(), SM);
        Finder.walk(Init);
        Silent |= Finder.Use.HandedOn || Finder.Use.Unknown;
      }
    if (Silent)
      continue;
    Candidates.push_back(
        {Field, Class, Open, JoinedIn, Join, Detach, DtorDef});
  }
  if (Candidates.empty())
    return;

  // Code outside the class that touches the member, and derived classes
  // whose destructors may do the joining.
  llvm::DenseSet<const FieldDecl *> Fields;
  llvm::DenseSet<const CXXRecordDecl *> Classes;
  for (const Candidate &C : Candidates) {
    Fields.insert(C.Field);
    Classes.insert(C.Class);
  }
  OutsideUses Outside(Fields, Classes);
  for (Decl *D : Ctx.getTranslationUnitDecl()->decls())
    if (!SM.isInSystemHeader(D->getLocation()))
      Outside.TraverseDecl(D);

  for (const Candidate &C : Candidates) {
    if (Outside.UsedOutside.contains(C.Field))
      continue;
    bool JoinedByDerived = false;
    for (const CXXRecordDecl *D : Outside.Derived.lookup(C.Class)) {
      const CXXDestructorDecl *DD = destructorOf(D);
      const FunctionDecl *Def = nullptr;
      if (!DD || !DD->isUserProvided())
        continue;
      if (!DD->hasBody(Def) || !Def) {
        JoinedByDerived = true; // defined elsewhere: cannot tell
        break;
      }
      const FieldUse U = useIn(Def, {C.Field}, true, SM);
      JoinedByDerived |= U.Join || U.HandedOn || U.Unknown;
    }
    if (JoinedByDerived)
      continue;
    Reported.insert(C.Field);
    bool Many = false;
    holdsThreads(C.Field->getType(), Many);
    diag(C.Field->getLocation(),
         "%select{thread member %0 is started|threads in member %0 are "
         "started}1 but the destructor of %2 neither joins nor detaches "
         "%select{it; destroying it while joinable|them; destroying a "
         "joinable thread}1 calls std::terminate")
        << C.Field << Many << C.Class;
    diag(C.Start->Site->getBeginLoc(),
         "the thread is started here, in %select{the constructor|%1}0",
         DiagnosticIDs::Note)
        << !llvm::isa<CXXConstructorDecl>(C.Start->In)
        << methodLabel(C.Start->In);
    if (C.Join)
      diag(C.Join->getBeginLoc(),
           "%select{joined|detached}0 only in %1, which the destructor does "
           "not call",
           DiagnosticIDs::Note)
          << C.Detach << methodLabel(C.JoinedIn);
    else if (C.Dtor)
      diag(C.Dtor->getLocation(), "destructor of %0 defined here",
           DiagnosticIDs::Note)
          << C.Class;
  }
}

} // namespace clang::tidy::threadlint
