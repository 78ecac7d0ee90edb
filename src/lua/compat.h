/* Lua 5.1 / LuaJIT versus 5.2+ differences the binding needs, as static helpers with an ltcp_l_
 * prefix. Invariant: this header defines no lua_* or luaL_* name, so it can never clash with (or
 * silently replace) a function of the Lua headers or of another module's shim.
 * The byte buffer: on 5.2+ it is luaL_Buffer with luaL_prepbuffsize; 5.1 has no way to ask a
 * luaL_Buffer for more than LUAL_BUFFERSIZE bytes at once, so there a growable userdata box on
 * the stack plays the same role. Either way nothing else may be pushed between init and result. */
#ifndef LTCP_LUA_COMPAT_H
#define LTCP_LUA_COMPAT_H

#include <string.h>

#include "lauxlib.h"
#include "lua.h"

#if LUA_VERSION_NUM >= 502

static inline void ltcp_l_setfuncs(lua_State *L, const luaL_Reg *l, int nup) {
  luaL_setfuncs(L, l, nup);
}

static inline size_t ltcp_l_rawlen(lua_State *L, int idx) {
  return (size_t)lua_rawlen(L, idx);
}

/* Push t[i] (raw) and return its type. */
static inline int ltcp_l_rawgeti(lua_State *L, int idx, int i) {
#if LUA_VERSION_NUM >= 503
  return lua_rawgeti(L, idx, i);
#else
  lua_rawgeti(L, idx, i);
  return lua_type(L, -1);
#endif
}

static inline lua_Number ltcp_l_tonumberx(lua_State *L, int idx, int *isnum) {
  return lua_tonumberx(L, idx, isnum);
}

typedef struct ltcp_l_buffer {
  luaL_Buffer b;
} ltcp_l_buffer;

static inline void ltcp_l_buffinit(lua_State *L, ltcp_l_buffer *B) {
  luaL_buffinit(L, &B->b);
}

static inline char *ltcp_l_prepbuffsize(ltcp_l_buffer *B, size_t sz) {
  return luaL_prepbuffsize(&B->b, sz);
}

static inline void ltcp_l_addsize(ltcp_l_buffer *B, size_t n) {
  luaL_addsize(&B->b, n);
}

static inline void ltcp_l_pushresult(ltcp_l_buffer *B) {
  luaL_pushresult(&B->b);
}

#else /* Lua 5.1, LuaJIT */

static inline int ltcp_l_rawgeti(lua_State *L, int idx, int i) {
  lua_rawgeti(L, idx, i);
  return lua_type(L, -1);
}

static inline void ltcp_l_setfuncs(lua_State *L, const luaL_Reg *l, int nup) {
  luaL_checkstack(L, nup + 1, "too many upvalues");
  for (; l->name; l++) {
    int i;
    for (i = 0; i < nup; i++) lua_pushvalue(L, -nup);
    lua_pushcclosure(L, l->func, nup);
    lua_setfield(L, -(nup + 2), l->name);
  }
  lua_pop(L, nup);
}

static inline size_t ltcp_l_rawlen(lua_State *L, int idx) {
  return (size_t)lua_objlen(L, idx);
}

static inline lua_Number ltcp_l_tonumberx(lua_State *L, int idx, int *isnum) {
  *isnum = lua_isnumber(L, idx);
  return *isnum ? lua_tonumber(L, idx) : 0;
}

typedef struct ltcp_l_buffer {
  lua_State *L;
  char *p;
  size_t len, cap;
  int slot; /* stack index of the box (a nil placeholder until the first byte) */
  char small[1024]; /* the first bytes: a line needs no box, so no garbage per call */
} ltcp_l_buffer;

static inline void ltcp_l_buffinit(lua_State *L, ltcp_l_buffer *B) {
  B->L = L;
  B->p = B->small;
  B->len = 0;
  B->cap = sizeof B->small;
  lua_pushnil(L);
  B->slot = lua_gettop(L);
}

/* Boxes up to this size are kept in the registry and reused by the next large receive of the
 * same Lua state, so receive(1048576) in a loop does not make (and fault in) a fresh 1 MiB box
 * per call. One receive runs at a time per state (no Lua code runs inside it), so one box is
 * enough; larger boxes are not kept, so a huge '*a' result is not retained. */
#define LTCP_L_SCRATCH_KEY "ltcp.scratch"
#define LTCP_L_SCRATCH_MAX ((size_t)8 << 20)

static inline char *ltcp_l_prepbuffsize(ltcp_l_buffer *B, size_t sz) {
  if (B->cap - B->len < sz) {
    lua_State *L = B->L;
    size_t cap = B->cap * 2;
    char *p;
    if (cap - B->len < sz) cap = B->len + sz;
    lua_getfield(L, LUA_REGISTRYINDEX, LTCP_L_SCRATCH_KEY);
    p = (char *)lua_touserdata(L, -1);
    if (p && p != B->p && lua_objlen(L, -1) >= cap) {
      cap = lua_objlen(L, -1);
    } else {
      lua_pop(L, 1);
      p = (char *)lua_newuserdata(L, cap);
      if (cap <= LTCP_L_SCRATCH_MAX) {
        lua_pushvalue(L, -1);
        lua_setfield(L, LUA_REGISTRYINDEX, LTCP_L_SCRATCH_KEY);
      }
    }
    if (B->len) memcpy(p, B->p, B->len);
    lua_replace(L, B->slot);
    B->p = p;
    B->cap = cap;
  }
  return B->p + B->len;
}

static inline void ltcp_l_addsize(ltcp_l_buffer *B, size_t n) {
  B->len += n;
}

static inline void ltcp_l_pushresult(ltcp_l_buffer *B) {
  lua_pushlstring(B->L, B->p ? B->p : "", B->len);
  lua_replace(B->L, B->slot);
}

#endif

static inline int ltcp_l_absindex(lua_State *L, int idx) {
  return (idx > 0 || idx <= LUA_REGISTRYINDEX) ? idx : lua_gettop(L) + idx + 1;
}

#if LUA_VERSION_NUM >= 503
static inline int ltcp_l_isinteger(lua_State *L, int idx) {
  return lua_isinteger(L, idx);
}
#else
static inline int ltcp_l_isinteger(lua_State *L, int idx) {
  (void)L;
  (void)idx;
  return 0;
}
#endif

#endif
