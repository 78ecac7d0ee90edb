# Test helpers shared by test/ and src/lua/: Check discovery, one function to add a Check suite,
# and the Wine fixture that ctest needs when the tests are Windows programs run under Wine.
include_guard(GLOBAL)

# Check built from source (Windows, musl) installs a CMake config, and its check.pc is wrong there
# (-lcheck_pic); Debian's package has only check.pc. Prefer the config, fall back to pkg-config.
# Without Check (or without pkg-config to find it) the C suites are left out with a warning
# that says how to get them; the library, the examples and the Lua tests still build.
set(LTCP_HAVE_CHECK OFF)
find_package(check 0.15 CONFIG QUIET)
if(check_FOUND)
  find_package(Threads REQUIRED)
  set(LTCP_CHECK_LIBS Check::check Threads::Threads)
  if(WIN32)
    list(APPEND LTCP_CHECK_LIBS ws2_32)
  elseif(NOT APPLE)
    list(APPEND LTCP_CHECK_LIBS m rt)
  endif()
  set(LTCP_HAVE_CHECK ON)
else()
  find_package(PkgConfig QUIET)
  if(PKG_CONFIG_FOUND)
    pkg_check_modules(CHECK QUIET IMPORTED_TARGET check)
  endif()
  if(CHECK_FOUND)
    set(LTCP_CHECK_LIBS PkgConfig::CHECK)
    set(LTCP_HAVE_CHECK ON)
  else()
    if(NOT PKG_CONFIG_FOUND)
      set(LTCP_CHECK_WHY "pkg-config was not found (it finds Check)")
    else()
      set(LTCP_CHECK_WHY "the Check unit test library was not found")
    endif()
    message(WARNING "ltcp: ${LTCP_CHECK_WHY}: the C test suites are OFF. To build them, "
      "install Check and pkg-config (Debian: apt-get install check pkg-config) and configure "
      "again; -DBUILD_TESTING=OFF silences this warning.")
  endif()
endif()

set(LTCP_TEST_TIMEOUT 120 CACHE STRING "ctest watchdog for one test program, seconds")
# Slow legs (valgrind, sanitizers, Wine) run CPU-bound code several times slower, on a machine
# other work shares. One knob scales every watchdog there: Check's per-test-case timeouts (through
# CK_TIMEOUT_MULTIPLIER, which Check reads), the suites' own lateness slack (test_util.h reads the
# same variable) and ctest's TIMEOUT. Early returns are never excused.
set(LTCP_TEST_SLOWDOWN 1 CACHE STRING "Multiplier for every test timeout and slack (slow legs)")
if(NOT LTCP_TEST_SLOWDOWN MATCHES "^[1-9][0-9]*$")
  message(FATAL_ERROR "LTCP_TEST_SLOWDOWN must be a positive integer, not '${LTCP_TEST_SLOWDOWN}'")
endif()
math(EXPR LTCP_TEST_WATCHDOG "${LTCP_TEST_TIMEOUT} * ${LTCP_TEST_SLOWDOWN}")

# Wine: the first wine run starts background processes that inherit ctest's pipes; a fixture that
# starts a persistent wineserver first keeps every test's timing honest (see shared toolchain notes).
if(CMAKE_CROSSCOMPILING_EMULATOR MATCHES "wine" AND NOT TEST wine_start)
  add_test(NAME wine_start COMMAND sh -c
    "exec >/dev/null 2>&1 </dev/null; mkdir -p \"\${WINEPREFIX:-\$HOME/.wine}\" && wineserver -p60 && wine cmd /c exit")
  add_test(NAME wine_stop COMMAND sh -c "wineserver -k || true")
  set_tests_properties(wine_start PROPERTIES FIXTURES_SETUP wine TIMEOUT 180)
  set_tests_properties(wine_stop PROPERTIES FIXTURES_CLEANUP wine)
endif()

# Mark tests that run Windows programs as needing the Wine fixture (no-op elsewhere).
function(ltcp_needs_wine)
  if(CMAKE_CROSSCOMPILING_EMULATOR MATCHES "wine")
    set_tests_properties(${ARGN} PROPERTIES FIXTURES_REQUIRED wine)
  endif()
endfunction()

# ltcp_add_check_test(<name> <sources...>): a Check runner linked with the internal static
# library (so unit tests reach internal functions), registered with ctest under a watchdog.
function(ltcp_add_check_test name)
  add_executable(${name} ${ARGN})
  target_link_libraries(${name} PRIVATE ltcp_internal ${LTCP_CHECK_LIBS})
  target_compile_options(${name} PRIVATE ${LTCP_WARNINGS})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/test)
  if(WIN32)
    target_compile_definitions(${name} PRIVATE _WIN32_WINNT=0x0600 WIN32_LEAN_AND_MEAN)
    if(NOT MSVC)
      # check.h marks its assert helpers format(printf), which MinGW's GCC checks as ms_printf:
      # every ck_assert_int_eq (%jd) would warn, and fail the build under LTCP_WERROR.
      target_compile_options(${name} PRIVATE -Wno-format)
      target_link_options(${name} PRIVATE -static)
    endif()
  else()
    target_compile_definitions(${name} PRIVATE _POSIX_C_SOURCE=200809L)
  endif()
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES TIMEOUT ${LTCP_TEST_WATCHDOG}
    ENVIRONMENT "CK_TIMEOUT_MULTIPLIER=${LTCP_TEST_SLOWDOWN}")
  ltcp_needs_wine(${name})
endfunction()
