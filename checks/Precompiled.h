// Heavy clang headers shared by every check; compiled once as a precompiled
// header (see checks/CMakeLists.txt).
#ifndef THREADLINT_CHECKS_PRECOMPILED_H
#define THREADLINT_CHECKS_PRECOMPILED_H

#include "clang-tidy/ClangTidyCheck.h"
#include "clang-tidy/ClangTidyModule.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "clang/Lex/Lexer.h"

#endif
