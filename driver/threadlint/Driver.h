//===--- Driver.h - the threadlint command ---------------------*- C++ -*-===//
#ifndef THREADLINT_DRIVER_THREADLINT_DRIVER_H
#define THREADLINT_DRIVER_THREADLINT_DRIVER_H

namespace threadlint {

/// Runs the threadlint command line; returns the process exit code.
int runThreadlint(int Argc, const char **Argv);

} // namespace threadlint

#endif
