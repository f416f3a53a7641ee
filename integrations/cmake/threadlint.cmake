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
#
#   threadlint_add_target([NAME threadlint] [ARGS -j4 --exclude third_party])
#
# Adds a target (default name: threadlint) that analyses every file of the
# build's compile_commands.json in one whole-project run, in parallel, with
# a result cache in the build tree: `cmake --build build --target threadlint`.

find_program(THREADLINT_EXECUTABLE threadlint)

# threadlint reads compile_commands.json; targets created from here on are
# written to it (CMake initialises each target's EXPORT_COMPILE_COMMANDS
# from this variable when the target is created).
set(CMAKE_EXPORT_COMPILE_COMMANDS ON)

# Every buildsystem target of DIR and the directories below it.
function(_threadlint_targets_below DIR OUT)
  get_property(targets DIRECTORY "${DIR}" PROPERTY BUILDSYSTEM_TARGETS)
  get_property(subdirs DIRECTORY "${DIR}" PROPERTY SUBDIRECTORIES)
  foreach(sub IN LISTS subdirs)
    _threadlint_targets_below("${sub}" below)
    list(APPEND targets ${below})
  endforeach()
  set(${OUT} ${targets} PARENT_SCOPE)
endfunction()

function(_threadlint_require CALLER)
  if(NOT THREADLINT_EXECUTABLE)
    message(FATAL_ERROR "${CALLER}: threadlint not found; set THREADLINT_EXECUTABLE")
  endif()
endfunction()

function(threadlint_enable)
  cmake_parse_arguments(TL "" "" "TARGETS;ARGS" ${ARGN})
  _threadlint_require(threadlint_enable)
  set(command "${THREADLINT_EXECUTABLE}" ${TL_ARGS})
  if(TL_TARGETS)
    set_property(TARGET ${TL_TARGETS} PROPERTY CXX_CLANG_TIDY "${command}")
  else()
    set(CMAKE_CXX_CLANG_TIDY "${command}" PARENT_SCOPE)
  endif()
endfunction()

function(threadlint_add_target)
  cmake_parse_arguments(TL "" "NAME" "ARGS" ${ARGN})
  _threadlint_require(threadlint_add_target)
  if(NOT TL_NAME)
    set(TL_NAME threadlint)
  endif()
  # The target reads the compilation database: targets created before
  # include(threadlint) are added to it too.
  _threadlint_targets_below("${CMAKE_SOURCE_DIR}" targets)
  foreach(target IN LISTS targets)
    get_target_property(type ${target} TYPE)
    if(NOT type STREQUAL "UTILITY" AND NOT type STREQUAL "INTERFACE_LIBRARY")
      set_property(TARGET ${target} PROPERTY EXPORT_COMPILE_COMMANDS ON)
    endif()
  endforeach()
  add_custom_target(${TL_NAME}
    COMMAND "${THREADLINT_EXECUTABLE}" -p "${CMAKE_BINARY_DIR}"
            --cache-dir "${CMAKE_BINARY_DIR}/threadlint-cache" ${TL_ARGS}
    WORKING_DIRECTORY "${CMAKE_SOURCE_DIR}"
    USES_TERMINAL
    COMMENT "threadlint: every file of compile_commands.json"
    VERBATIM)
endfunction()
