# cmake -DIN=compat.lua -DOUT=compat_lua.c -P embed.cmake: a Lua source as a C byte array, so the
# compat module ships inside the C module. Bytes, not a string literal: no escaping rules and no
# compiler limit on literal length.
file(READ "${IN}" hex HEX)
string(LENGTH "${hex}" len)
math(EXPR size "${len} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "((0x..,){16})" "\\1\n  " bytes "${bytes}")
file(WRITE "${OUT}" "/* Generated from compat.lua by embed.cmake: do not edit. */\n#include <stddef.h>\n\n"
  "extern const char ltcp_l_compat_source[];\nextern const size_t ltcp_l_compat_size;\n\n"
  "const char ltcp_l_compat_source[] = {\n  ${bytes}0x00};\n"
  "const size_t ltcp_l_compat_size = ${size};\n")
