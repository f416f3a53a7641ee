# Installation layout and the Debian package (CPack).
#
#   bin/threadlint, bin/threadlint-clangd
#   lib/threadlint/libthreadlint-tidy.so     clang-tidy-22 --load=<prefix>/lib/threadlint/libthreadlint-tidy.so
#   share/doc/threadlint/                    README.md and docs/
#   share/threadlint/integrations/           GitHub Action, GitLab template, pre-commit hook, CMake module
#
# `cmake --install build --prefix DIR` lays it out; ./scripts/package.sh makes
# the .deb (prefix /usr). The plugin is not a library to link against, so it
# sits in a directory of its own rather than in the multiarch library path.
# The installed binaries find clang's builtin headers in
# <prefix>/lib/clang/22 (with prefix /usr: libclang-common-22-dev's
# /usr/lib/clang/22) or else in ${THREADLINT_CLANG_RESOURCE_DIR}
# (driver/common/ResourceDir.cpp).

install(TARGETS threadlint threadlint-clangd RUNTIME DESTINATION bin)
install(TARGETS threadlint-tidy LIBRARY DESTINATION lib/threadlint)
install(FILES ${CMAKE_SOURCE_DIR}/README.md DESTINATION share/doc/threadlint)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/docs/ DESTINATION share/doc/threadlint/docs)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/integrations/
        DESTINATION share/threadlint/integrations USE_SOURCE_PERMISSIONS)

# The package's dependencies: the runtime packages of every library the
# binaries name as NEEDED (llvm-readelf -d, resolved with ldd, owners found
# with dpkg -S on Debian 12 with LLVM 22 1:22.1.8; the versions are those
# dpkg-shlibdeps derives, but 1:22.1 for LLVM's: apt.llvm.org's builds are
# versioned 1:22.1.8~++<date>..., which sorts before 1:22.1.8), plus what they
# need at run time without linking it:
#   libllvm22, libclang-cpp22            threadlint, threadlint-clangd
#   libgrpc++1.51, libgrpc29,            threadlint-clangd: clangd's remote
#   libprotobuf32, libabsl20220623,      index client, which Debian's clangd
#   libre2-9, libc-ares2, libssl3,       libraries link (cmake/ClangdDeps.cmake
#   zlib1g, libatomic1                   takes the list from pkg-config grpc++)
#   libc6, libgcc-s1, libstdc++6         all three
#   clang-tidy-22                        loads the plugin, and provides every
#                                        clang symbol the plugin uses
#   libclang-common-22-dev               clang's builtin headers (stddef.h,
#                                        ...), the resource directory every
#                                        parse needs: a -dev package by name only
# test/package/deb.test fails when a library the installed binaries load
# comes from a package this list does not name.
set(THREADLINT_DEB_DEPENDS
  "libc6 (>= 2.34), libgcc-s1 (>= 3.0), libstdc++6 (>= 12)"
  "libllvm22 (>= 1:22.1), libclang-cpp22 (>= 1:22.1)"
  "libgrpc++1.51 (>= 1.51.1), libgrpc29 (>= 1.51.1), libprotobuf32 (>= 3.21.12)"
  "libabsl20220623 (>= 0~20220623.0-1), libre2-9 (>= 0+hg23), libc-ares2 (>= 1.7.0)"
  "libssl3 (>= 3.0.0), zlib1g (>= 1:1.1.4), libatomic1 (>= 4.8)"
  "clang-tidy-22 (>= 1:22.1), libclang-common-22-dev (>= 1:22.1)")
list(JOIN THREADLINT_DEB_DEPENDS ", " THREADLINT_DEB_DEPENDS)

set(THREADLINT_PACKAGE_MAINTAINER "threadlint developers <threadlint@invalid>"
    CACHE STRING "Maintainer field of the Debian package")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME threadlint)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "static analyzer for C++ concurrency pitfalls, built on Clang 22")
set(CPACK_PACKAGE_DESCRIPTION
    "threadlint finds C++ concurrency pitfalls in the source: loop variables captured by reference in tasks, threads not joined, sleeps used as synchronisation, locks held over blocking calls, lock-order inversions, mixed atomic and plain access. It comes as a clang-tidy 22 plugin, the threadlint command (clang-tidy compatible, parallel whole-project runs, SARIF/JSON/Code Climate reports, baselines, diff mode) and threadlint-clangd for editors.")
set(CPACK_PACKAGE_CONTACT "${THREADLINT_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://github.com/threadlint/threadlint")
set(CPACK_DEBIAN_PACKAGE_DEPENDS "${THREADLINT_DEB_DEPENDS}")
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
include(CPack)
