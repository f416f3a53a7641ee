//===--- AstHelpers.h - small AST queries shared by the checks -*- C++ -*-===//
#ifndef THREADLINT_CHECKS_MODEL_ASTHELPERS_H
#define THREADLINT_CHECKS_MODEL_ASTHELPERS_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/Stmt.h"
#include <optional>
#include <string>

namespace clang::tidy::threadlint {

/// The class of an object of type \p T, through a reference or a pointer
/// (`Mutex`, `Mutex &`, `Mutex *`); null for anything else.
const CXXRecordDecl *recordOfObjectType(QualType T);
/// for, range-for, while or do.
bool isLoop(const Stmt *S);
/// The body of a loop statement (null for anything else).
const Stmt *loopBody(const Stmt *Loop);
/// The condition of a for, while or do loop (null for a range-for, for a
/// `for (;;)`, or for anything else).
const Expr *loopCondition(const Stmt *Loop);
/// Whether S contains an expression or a declaration clang could not make
/// sense of (code being typed): analyses skip such code.
bool hasErrors(const Stmt *S);
/// The innermost loop around \p S inside \p FunctionBody (not crossing a
/// lambda), or null. With \p OrSwitch a switch counts too: what a `break`
/// at \p S leaves.
const Stmt *enclosingLoop(const Stmt *S, const Stmt *FunctionBody,
                          ASTContext &Ctx, bool OrSwitch = false);
/// The function, or lambda call operator, whose body contains \p S.
const FunctionDecl *enclosingFunction(const Stmt *S, ASTContext &Ctx);
/// Whether \p Loc is inside a macro that another file, or a system header,
/// defines (a library's logging or assertion macro): the macro's user
/// cannot change what it expands to.
bool inForeignMacro(SourceLocation Loc, const SourceManager &SM);
/// A googletest-style fixture: a class deriving (at any depth, through
/// templates too) from one named `Test` (`testing::Test`).
bool isTestFixture(const CXXRecordDecl *Class, unsigned Depth = 0);
/// Whether \p Name names an assertion macro or function (`assert`,
/// `DCHECK`, `CHECK_EQ`, `ASSERT_TRUE`, `AssertHeld`).
bool isAssertionName(llvm::StringRef Name);
/// The text of \p R as written, for fix-its; none when it touches a macro.
std::optional<std::string> sourceText(SourceRange R, const ASTContext &Ctx);

} // namespace clang::tidy::threadlint

#endif
