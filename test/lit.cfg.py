# lit configuration of the threadlint test suite.
import os
import shlex
import shutil

import lit.formats

config.name = "threadlint"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".cpp", ".test"]
config.excludes = ["Inputs", "tools", "unit", "CMakeLists.txt"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.threadlint_obj_root, "test")

bin_dir = os.path.join(config.threadlint_obj_root, "bin")
lib_dir = os.path.join(config.threadlint_obj_root, "lib")
tools = os.path.join(config.test_source_root, "tools")
llvm_bin = config.llvm_tools_dir

config.environment["PATH"] = os.pathsep.join(
    [llvm_bin, bin_dir, config.environment.get("PATH", "")])
# Keep the user's clangd/clang-tidy configuration out of the tests.
config.environment["XDG_CONFIG_HOME"] = os.path.join(
    config.test_exec_root, "xdg-config")
# Bind every symbol of the plugin when it is loaded: a symbol clang-tidy does
# not export fails the load instead of a later call.
config.environment["LD_BIND_NOW"] = "1"

python = shlex.quote(config.python_executable)
clang_tidy = os.path.join(llvm_bin, "clang-tidy")
plugin = os.path.join(lib_dir, "libthreadlint-tidy.so")
threadlint = os.path.join(bin_dir, "threadlint")
clangd = os.path.join(bin_dir, "threadlint-clangd")
clangxx = os.path.join(llvm_bin, "clang++")

check = " ".join([
    python, shlex.quote(os.path.join(tools, "check_threadlint.py")),
    "--clang-tidy=" + shlex.quote(clang_tidy),
    "--plugin=" + shlex.quote(plugin),
    "--threadlint=" + shlex.quote(threadlint),
    "--filecheck=" + shlex.quote(os.path.join(llvm_bin, "FileCheck")),
    "--clangxx=" + shlex.quote(clangxx),
    "--resource-dir=" + shlex.quote(config.clang_resource_dir),
])

# Microsoft's SARIF validator, installed by scripts/setup-sarif.sh. A test
# that uses it fails (not skips) when it is missing.
sarif_multitool = os.path.join(
    os.environ.get("THREADLINT_CACHE",
                   os.path.join(os.path.expanduser("~"), ".cache", "threadlint")),
    "sarif", "node_modules", "@microsoft", "sarif-multitool-linux",
    "Sarif.Multitool")
config.environment["HOME"] = os.environ.get("HOME", "")
# The .NET validator needs no ICU on this machine.
config.environment["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"] = "1"

config.substitutions += [
    ("%sarif_multitool", shlex.quote(sarif_multitool)),
    ("%check_threadlint", check),
    ("%threadlint_clangd", shlex.quote(clangd)),
    ("%threadlint", shlex.quote(threadlint)),
    ("%clang_tidy", shlex.quote(clang_tidy)),
    ("%plugin", shlex.quote(plugin)),
    ("%clangxx", shlex.quote(clangxx)),
    ("%python", python),
    ("%tools", shlex.quote(tools)),
    ("%resource_dir", shlex.quote(config.clang_resource_dir)),
    ("%unittests", shlex.quote(os.path.join(bin_dir, "threadlint-unittests"))),
    ("%src_root", shlex.quote(config.threadlint_src_root)),
    ("%obj_root", shlex.quote(config.threadlint_obj_root)),
]

# The package test (test/package) needs dpkg-deb and cpack; lit reports it
# UNSUPPORTED ("requires ... dpkg-deb") where they are missing.
if shutil.which("dpkg-deb") and shutil.which("cpack"):
    config.available_features.add("dpkg-deb")
