/* Shared declarations of the Lua binding (src/lua). Not installed.
 * Invariants: every C function of the module carries the three class metatables as upvalues
 * 1..3 (master, client, server), so a class check is a metatable identity test with no registry
 * lookup; an object's metatable always matches the class LuaSocket would report (it follows the
 * core state after every call that can change it, and keeps the last class after close). */
#ifndef LTCP_LUA_LTCP_H
#define LTCP_LUA_LTCP_H

#include "compat.h"
#include "ltcp.h"

#define LTCP_L_MASTER 1
#define LTCP_L_CLIENT 2
#define LTCP_L_SERVER 4
#define LTCP_L_ANY (LTCP_L_MASTER | LTCP_L_CLIENT | LTCP_L_SERVER)
#define LTCP_L_NUPVALUES 3

/* class.c */
/* "tcp{master}", "tcp{client}", "tcp{server}": the class names, by upvalue index - 1. */
extern const char *const ltcp_l_class_names[3];
/* The class bit (LTCP_L_*) of the value at idx, or 0 when it is not one of our objects. */
int ltcp_l_classof(lua_State *L, int idx);
/* The object at idx if its class is in mask; raises "tcp{client} expected, got ..." otherwise. */
ltcp_t *ltcp_l_check(lua_State *L, int idx, int mask);
/* Give the object at idx the metatable of its core state (closed objects keep theirs). */
void ltcp_l_setclass(lua_State *L, int idx, ltcp_t *t);
/* A new userdata holding an uninitialised object, on the stack top. */
ltcp_t *ltcp_l_newobject(lua_State *L);
/* nil, message: returns 2. */
int ltcp_l_fail(lua_State *L, int rc);
/* A port argument: a number (or numeric string) with an integer value in [lo, 65535]. */
int ltcp_l_checkport(lua_State *L, int idx, int lo);
/* Integer part of a Lua number argument, clamped to what a long long holds (NaN gives 0). */
long long ltcp_l_tollong(lua_Number n);
/* A count argument (receiveany's max, an iterator's size): a number with a positive integer
 * value; raises "<what> must be a positive integer" otherwise. */
size_t ltcp_l_checksize(lua_State *L, int idx, const char *what);
extern const luaL_Reg ltcp_l_class_methods[];
extern const luaL_Reg ltcp_l_meta_methods[];

/* io.c: a sink over a Lua buffer (the core writes received bytes straight into it). */
ltcp_sink_t ltcp_l_sink(ltcp_l_buffer *b);

/* conn.c, io.c, options.c, until.c: method tables merged into every class's __index. */
extern const luaL_Reg ltcp_l_conn_methods[];
extern const luaL_Reg ltcp_l_io_methods[];
extern const luaL_Reg ltcp_l_option_methods[];
extern const luaL_Reg ltcp_l_until_methods[];

/* module.c / select.c / dns.c: module-level functions. */
extern const luaL_Reg ltcp_l_module_functions[];
int ltcp_l_select(lua_State *L);
/* Push the dns table (toip, tohostname, getaddrinfo, getnameinfo, gethostname). */
void ltcp_l_pushdns(lua_State *L);

#endif
