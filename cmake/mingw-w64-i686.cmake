# Cross toolchain: MinGW-w64 (i686) on a Linux host. ctest runs the Windows test programs under
# Wine through CMAKE_CROSSCOMPILING_EMULATOR. Extra search prefixes (e.g. the Windows builds of
# Check and Lua) come in as -DCMAKE_FIND_ROOT_PATH=<prefix>; CMAKE_PREFIX_PATH would be re-rooted
# under the sysroot and missed.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR i686)
set(TOOLCHAIN_PREFIX i686-w64-mingw32)
include(${CMAKE_CURRENT_LIST_DIR}/mingw-w64-common.cmake)
