/* Lua 5.1 / LuaJIT versus 5.2+ differences the binding needs, as static helpers with an ltcp_l_
 * prefix. Invariant: this header defines no lua_* or luaL_* name, so it can never clash with (or
 * silently replace) a function of the Lua headers or of another module's shim.
 * The byte buffer: on 5.2+ it is luaL_Buffer with luaL_prepbuffsize; 5.1 has no way to ask a
 * luaL_Buffer for more than LUAL_BUFFERSIZE bytes at once, so there a growable userdata box on
 * the stack plays the same role. Either way nothing else may be pushed between init and result. */
#ifndef LTCP_LUA_COMPAT_H
#define LTCP_LUA_COMPAT_H

#include <stdlib.h>
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

/* Large results grow in a malloc'd block held by a userdata box ("heap box") whose __gc frees
 * it: realloc grows big blocks without copying (mremap), where a Lua userdata would have to be
 * allocated anew and copied at every doubling. One box per Lua state is kept in the registry and
 * reused by the next large receive (one receive runs at a time per state: no Lua code runs inside
 * it); its block is kept up to LTCP_L_SCRATCH_MAX and freed after a larger result, so a huge '*a'
 * is not retained (and the collector, which cannot see malloc'd bytes, need not find it). */
#define LTCP_L_SCRATCH_KEY "ltcp.scratch"
#define LTCP_L_SCRATCH_MT "ltcp.scratch.mt"
#define LTCP_L_SCRATCH_MAX ((size_t)8 << 20)

typedef struct ltcp_l_heap {
  char *p;
  size_t cap;
} ltcp_l_heap;

static inline int ltcp_l_heap_gc(lua_State *L) {
  ltcp_l_heap *h = (ltcp_l_heap *)lua_touserdata(L, 1);
  if (h) {
    free(h->p);
    h->p = NULL;
    h->cap = 0;
  }
  return 0;
}

typedef struct ltcp_l_buffer {
  lua_State *L;
  char *p;
  size_t len, cap;
  int slot;         /* stack index of the heap box (a nil placeholder until it is needed) */
  ltcp_l_heap *h;   /* the heap box, once taken */
  char small[1024]; /* the first bytes: a line needs no box, so no garbage per call */
} ltcp_l_buffer;

static inline void ltcp_l_buffinit(lua_State *L, ltcp_l_buffer *B) {
  B->L = L;
  B->p = B->small;
  B->len = 0;
  B->cap = sizeof B->small;
  B->h = NULL;
  lua_pushnil(L);
  B->slot = lua_gettop(L);
}

/* The state's heap box, made on first use, put at B->slot. */
static inline ltcp_l_heap *ltcp_l_heap_take(lua_State *L, int slot) {
  ltcp_l_heap *h;
  lua_getfield(L, LUA_REGISTRYINDEX, LTCP_L_SCRATCH_KEY);
  h = (ltcp_l_heap *)lua_touserdata(L, -1);
  if (!h) {
    lua_pop(L, 1);
    h = (ltcp_l_heap *)lua_newuserdata(L, sizeof *h);
    h->p = NULL;
    h->cap = 0;
    if (luaL_newmetatable(L, LTCP_L_SCRATCH_MT)) {
      lua_pushcfunction(L, ltcp_l_heap_gc);
      lua_setfield(L, -2, "__gc");
    }
    lua_setmetatable(L, -2);
    lua_pushvalue(L, -1);
    lua_setfield(L, LUA_REGISTRYINDEX, LTCP_L_SCRATCH_KEY);
  }
  lua_replace(L, slot);
  return h;
}

/* Room for sz more bytes, or NULL when out of memory (the receive then reports it; nothing is
 * lost: B is unchanged). */
static inline char *ltcp_l_prepbuffsize(ltcp_l_buffer *B, size_t sz) {
  if (B->cap - B->len < sz) {
    size_t cap = B->cap * 2;
    if (cap - B->len < sz) cap = B->len + sz;
    if (!B->h) B->h = ltcp_l_heap_take(B->L, B->slot);
    if (B->h->cap < cap) {
      char *p = (char *)realloc(B->h->p, cap);
      if (!p) return NULL;
      B->h->p = p;
      B->h->cap = cap;
    }
    if (B->p == B->small && B->len) memcpy(B->h->p, B->small, B->len);
    B->p = B->h->p;
    B->cap = B->h->cap;
  }
  return B->p + B->len;
}

static inline void ltcp_l_addsize(ltcp_l_buffer *B, size_t n) {
  B->len += n;
}

static inline void ltcp_l_pushresult(ltcp_l_buffer *B) {
  lua_pushlstring(B->L, B->p, B->len);
  lua_replace(B->L, B->slot);
  if (B->h && B->h->cap > LTCP_L_SCRATCH_MAX) { /* a huge result: do not keep its block */
    free(B->h->p);
    B->h->p = NULL;
    B->h->cap = 0;
  }
}

#endif

/* Push t[i] (raw) and return its type (5.3+ lua_rawgeti returns it; earlier ones do not). */
static inline int ltcp_l_rawgeti(lua_State *L, int idx, int i) {
#if LUA_VERSION_NUM >= 503
  return lua_rawgeti(L, idx, i);
#else
  lua_rawgeti(L, idx, i);
  return lua_type(L, -1);
#endif
}

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
