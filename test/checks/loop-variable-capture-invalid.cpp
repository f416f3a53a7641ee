// Half-typed code, as the editor sees it: compile errors, no crash, and no
// threadlint warning from code with error nodes (an undeclared name, an
// unknown type). A missing `;` that clang recovers from leaves a valid AST:
// that finding is still reported.
// RUN: not %threadlint --checks=-*,threadlint-loop-variable-capture %s -- -std=c++20 2>&1 | FileCheck %s --implicit-check-not=threadlint-loop-variable-capture
// RUN: not %clang_tidy --load=%plugin --checks=-*,threadlint-loop-variable-capture %s -- -std=c++20 -resource-dir=%resource_dir 2>&1 | FileCheck %s --implicit-check-not=threadlint-loop-variable-capture
// CHECK-DAG: error:
// CHECK-DAG: invalid.cpp:19:36: warning: loop variable 'i' is captured by reference
// CHECK-NOT: Stack dump

#include <thread>
#include <vector>

void use(int);

void unfinishedLambda() {
  std::vector<std::thread> workers;
  for (int i = 0; i < 4; ++i)
    workers.emplace_back([&] { use(i) });
}

void unknownCallee() {
  for (int i = 0; i < 4; ++i)
    std::thread([&] { undeclared(i); }).detach();
}

void unknownType() {
  for (auto x : missing_range)
    std::thread([&x] { use(x); }).detach();
}

void incompleteFor() {
  for (int i = 0; i <
}
