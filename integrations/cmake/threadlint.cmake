# threadlint.cmake: run threadlint as the C++ compiler's linter.
#
#   list(APPEND CMAKE_MODULE_PATH /path/to/threadlint/integrations/cmake)
#   include(threadlint)
#   threadlint_enable(TARGETS app lib [ARGS --warnings-as-errors=threadlint-*])
#
# Sets CXX_CLANG_TIDY on the targets (all targets created afterwards when
# TARGETS is omitted, through CMAKE_CXX_CLANG_TIDY): each C++ source is then
# analysed by threadlint right after it is compiled, with the build's flags.
# THREADLINT_EXECUTABLE may name the binary; by default it is searched on PATH.

find_program(THREADLINT_EXECUTABLE threadlint)

function(threadlint_enable)
  cmake_parse_arguments(TL "" "" "TARGETS;ARGS" ${ARGN})
  if(NOT THREADLINT_EXECUTABLE)
    message(FATAL_ERROR "threadlint_enable: threadlint not found; set THREADLINT_EXECUTABLE")
  endif()
  set(command "${THREADLINT_EXECUTABLE}" ${TL_ARGS})
  if(TL_TARGETS)
    set_property(TARGET ${TL_TARGETS} PROPERTY CXX_CLANG_TIDY "${command}")
  else()
    set(CMAKE_CXX_CLANG_TIDY "${command}" PARENT_SCOPE)
  endif()
endfunction()
