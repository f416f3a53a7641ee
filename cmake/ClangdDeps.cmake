# Debian's clangd libraries name gRPC::grpc++ and protobuf::libprotobuf in
# their link interfaces; define both from pkg-config, globally, before
# find_package(Clang) resolves those interfaces.
find_package(PkgConfig REQUIRED)
pkg_check_modules(THREADLINT_GRPC REQUIRED IMPORTED_TARGET GLOBAL grpc++)
pkg_check_modules(THREADLINT_PROTOBUF REQUIRED IMPORTED_TARGET GLOBAL protobuf)
if(NOT TARGET gRPC::grpc++)
  add_library(gRPC::grpc++ INTERFACE IMPORTED GLOBAL)
  target_link_libraries(gRPC::grpc++ INTERFACE PkgConfig::THREADLINT_GRPC)
endif()
if(NOT TARGET protobuf::libprotobuf)
  add_library(protobuf::libprotobuf INTERFACE IMPORTED GLOBAL)
  target_link_libraries(protobuf::libprotobuf INTERFACE PkgConfig::THREADLINT_PROTOBUF)
endif()
