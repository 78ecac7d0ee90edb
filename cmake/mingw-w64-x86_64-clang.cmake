# Cross toolchain: clang for the x86_64 MinGW-w64 target on a Linux host, with MinGW-w64's
# headers, import libraries and GNU linker (x86_64-w64-mingw32-ld), so the same sysroot serves
# gcc and clang builds; the second compiler catches what gcc lets through. ctest runs the test
# programs under Wine, as with gcc (mingw-w64-common.cmake).
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(TOOLCHAIN_PREFIX x86_64-w64-mingw32)
include(${CMAKE_CURRENT_LIST_DIR}/mingw-w64-common.cmake)

set(CMAKE_C_COMPILER clang)
set(CMAKE_C_COMPILER_TARGET ${TOOLCHAIN_PREFIX})
set(CMAKE_CXX_COMPILER clang++)
set(CMAKE_CXX_COMPILER_TARGET ${TOOLCHAIN_PREFIX})

# clang finds the MinGW sysroot, but not libgcc in Debian's GCC folder (its name, "12-win32", is
# not a version clang recognises): ask the MinGW gcc where it is.
execute_process(COMMAND ${TOOLCHAIN_PREFIX}-gcc -print-libgcc-file-name
  OUTPUT_VARIABLE LTCP_MINGW_LIBGCC OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE rc)
if(NOT rc EQUAL 0 OR NOT EXISTS "${LTCP_MINGW_LIBGCC}")
  message(FATAL_ERROR "clang MinGW toolchain: ${TOOLCHAIN_PREFIX}-gcc (for libgcc) not found")
endif()
get_filename_component(LTCP_MINGW_LIBGCC_DIR "${LTCP_MINGW_LIBGCC}" DIRECTORY)
foreach(kind EXE SHARED MODULE)
  set(CMAKE_${kind}_LINKER_FLAGS_INIT "-static-libgcc -L${LTCP_MINGW_LIBGCC_DIR}")
endforeach()
