//===--- PluginEntry.cpp - libthreadlint-tidy.so --------------------------===//
//
// The clang-tidy plugin is the threadlint-checks library linked whole into a
// shared object: loading it runs the module's static registration. This file
// only gives the shared library a translation unit of its own; it defines
// nothing, and the plugin links nothing from clang (clang-tidy-22 exports the
// symbols the checks use).
//
//===----------------------------------------------------------------------===//
