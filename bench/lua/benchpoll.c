/* Bench-only Lua module: a bare poll(2) over the descriptors of the very sockets a select
 * scenario uses, so bench/lua/select.lua can time socket.select and raw poll on the same sockets
 * in the same process, alternating. The cross-process comparison with raw.c is at the mercy of
 * the kernel's per-socket poll cost, which changes between processes and over time on a shared
 * machine by up to 2x; a paired run cancels that.
 *
 *   local h = benchpoll.prepare(socks)   -- descriptors read once, through each socket's getfd
 *   local n = benchpoll.wait(h)          -- one poll(2) for POLLIN, 1 s timeout: ready count */
#include <poll.h>
#include <stddef.h>

#include "lauxlib.h"
#include "lua.h"

#if LUA_VERSION_NUM < 502
#define lua_rawlen lua_objlen
#endif

typedef struct set {
  size_t n;
  struct pollfd p[1];
} set_t;

static int prepare(lua_State *L) {
  size_t n, i;
  set_t *s;
  luaL_checktype(L, 1, LUA_TTABLE);
  n = (size_t)lua_rawlen(L, 1);
  s = (set_t *)lua_newuserdata(L, offsetof(set_t, p) + (n + 1) * sizeof(struct pollfd));
  s->n = n;
  for (i = 0; i < n; i++) {
    lua_rawgeti(L, 1, (int)i + 1);
    lua_getfield(L, -1, "getfd");
    lua_pushvalue(L, -2);
    lua_call(L, 1, 1);
    s->p[i].fd = (int)luaL_checknumber(L, -1);
    s->p[i].events = POLLIN;
    s->p[i].revents = 0;
    lua_pop(L, 2);
  }
  return 1;
}

static int wait_ready(lua_State *L) {
  set_t *s = (set_t *)lua_touserdata(L, 1);
  int rc;
  luaL_argcheck(L, s != NULL, 1, "set expected");
  do rc = poll(s->p, (nfds_t)s->n, 1000);
  while (rc < 0);
  lua_pushnumber(L, rc);
  return 1;
}

int luaopen_benchpoll(lua_State *L); /* the module's entry point, found by require */

int luaopen_benchpoll(lua_State *L) {
  lua_newtable(L);
  lua_pushcfunction(L, prepare);
  lua_setfield(L, -2, "prepare");
  lua_pushcfunction(L, wait_ready);
  lua_setfield(L, -2, "wait");
  return 1;
}
