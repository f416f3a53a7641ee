//===--- threadlint: clang-tidy with the threadlint profile ---------------===//
#include "threadlint/Driver.h"

int main(int argc, const char **argv) {
  return threadlint::runThreadlint(argc, argv);
}
