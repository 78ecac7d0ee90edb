/* socket.select(recvt, sendt [, timeout]) over ltcp_select (poll-like, no FD_SETSIZE limit).
 * Entries may be any object with a getfd method (and optionally dirty): our own objects take a
 * fast path in C, foreign ones are called through Lua. The result copies LuaSocket's shape and
 * order: dirty objects first (in recvt order), then ready objects by ascending descriptor, each at
 * an integer index and as a key whose value is that index; on timeout a third value "timeout".
 * Our objects in the write set go to ltcp_select_objects, so a connect racing several addresses
 * (Happy Eyeballs) is waited on as a whole. Invariant: all scratch memory lives in userdata on
 * the stack, so an error raised by a foreign getfd/dirty leaks nothing. */
#include <stdlib.h>

#include "lltcp.h"

typedef struct entry {
  ltcp_os_sock_t fd;
  ltcp_t *obj; /* our object behind fd (its connect may be racing addresses), or NULL */
  int events;
  int ref; /* registration order; later registrations win, as in LuaSocket */
  int tab; /* where the object is: ARG_R or ARG_W, at index pos (read back only when ready) */
  int pos;
} entry_t;

enum { ARG_R = 1, ARG_W = 2, S_RTAB = 4, S_WTAB, S_ENTRIES, S_POLL, S_OBJS };

/* Room for the entries of one table: its length is a border, and collection stops at the first
 * nil, which comes no later than border + 1, so it never collects more than this. */
static int count_entries(lua_State *L, int tab) {
  if (lua_isnoneornil(L, tab)) return 0;
  luaL_checktype(L, tab, LUA_TTABLE);
  return (int)ltcp_l_rawlen(L, tab);
}

/* fd of the foreign object on the stack top, through its getfd method (LTCP_INVALID_SOCKET when
 * it has none). Our own objects never come here: collect reads them from C. */
static ltcp_os_sock_t object_fd(lua_State *L) {
  ltcp_os_sock_t fd = LTCP_INVALID_SOCKET;
  lua_getfield(L, -1, "getfd");
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    return fd;
  }
  lua_pushvalue(L, -2);
  lua_call(L, 1, 1);
  if (lua_isnumber(L, -1)) {
    lua_Number n = lua_tonumber(L, -1);
    if (n >= 0) fd = (ltcp_os_sock_t)n;
  }
  lua_pop(L, 1);
  return fd;
}

/* The foreign object's dirty method, if it has one. */
static int object_dirty(lua_State *L) {
  int dirty;
  lua_getfield(L, -1, "dirty");
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    return 0;
  }
  lua_pushvalue(L, -2);
  lua_call(L, 1, 1);
  dirty = lua_toboolean(L, -1);
  lua_pop(L, 1);
  return dirty;
}

static void append(lua_State *L, int tab, int *n) {
  lua_rawseti(L, tab, ++*n);
}

/* t[t[i]] = i for every i, with float indexes as LuaSocket pushes them. */
static void make_assoc(lua_State *L, int tab, int n) {
  int i;
  for (i = 1; i <= n; i++) {
    lua_rawgeti(L, tab, i);
    lua_pushnumber(L, i);
    lua_rawset(L, tab);
  }
}

static int by_fd(const void *a, const void *b) {
  const entry_t *x = a, *y = b;
  if (x->fd != y->fd) return x->fd < y->fd ? -1 : 1;
  return x->ref - y->ref;
}

/* Our object at stack index -1 (its type is `type`), or NULL: full userdata with one of our
 * metatables, compared with identities read once per call. When it is ours its metatable stays
 * pushed, so the caller drops both with one settop (this runs once per socket: 10,000 times for
 * a large select, so it makes as few API calls as it can). */
static ltcp_t *ours_on_top(lua_State *L, int type, const void *const mts[LTCP_L_NUPVALUES]) {
  const void *mt;
  int i;
  if (type != LUA_TUSERDATA || !lua_getmetatable(L, -1)) return NULL;
  mt = lua_topointer(L, -1);
  for (i = 0; i < LTCP_L_NUPVALUES; i++)
    if (mt == mts[i]) return (ltcp_t *)lua_touserdata(L, -2);
  lua_pop(L, 1);
  return NULL;
}

/* Entries of table `tab` into e[n..max). Sets *sorted to 0 unless every descriptor so far came
 * in strictly ascending order (then no sort and no merge are needed). */
static int collect(lua_State *L, int tab, int events, entry_t *e, int n, int max, int *nobj,
                   int *ndirty, int *sorted, const void *const mts[LTCP_L_NUPVALUES]) {
  int i;
  if (lua_isnoneornil(L, tab)) return n;
  for (i = 1; n < max; i++) {
    ltcp_os_sock_t fd;
    ltcp_t *t;
    ltcp_t *obj = NULL;
    int type = ltcp_l_rawgeti(L, tab, i);
    if (type == LUA_TNIL) {
      lua_pop(L, 1);
      return n;
    }
    if ((t = ours_on_top(L, type, mts)) != NULL) { /* ours: fd and dirty straight from C */
      fd = ltcp_getfd(t);
      if (fd != LTCP_INVALID_SOCKET && events == LTCP_POLLIN && ltcp_dirty(t)) {
        lua_pop(L, 1); /* the metatable */
        append(L, S_RTAB, ndirty);
        continue;
      }
      lua_pop(L, 2); /* the object and its metatable */
      if (fd == LTCP_INVALID_SOCKET) continue;
      obj = t;
    } else {
      fd = object_fd(L);
      if (fd == LTCP_INVALID_SOCKET) {
        lua_pop(L, 1);
        continue;
      }
      if (events == LTCP_POLLIN && object_dirty(L)) {
        append(L, S_RTAB, ndirty); /* pops the object */
        continue;
      }
      lua_pop(L, 1);
    }
    if (n > 0 && e[n - 1].fd >= fd) *sorted = 0;
    e[n].fd = fd;
    e[n].obj = obj;
    e[n].events = events;
    e[n].ref = ++*nobj;
    e[n].tab = tab;
    e[n].pos = i;
    n++;
  }
  return n;
}

int ltcp_l_select(lua_State *L) {
  lua_Number timeout = luaL_optnumber(L, 3, -1);
  int nr = count_entries(L, ARG_R), nw = count_entries(L, ARG_W);
  int n = 0, m = 0, nobj = 0, ndirty = 0, nread = 0, nwrite = 0, i, rc;
  entry_t *e;
  ltcp_pollfd_t *pfd;
  size_t nready = 0;
  int sorted = 1;
  const void *mts[LTCP_L_NUPVALUES];
  for (i = 0; i < LTCP_L_NUPVALUES; i++) mts[i] = lua_topointer(L, lua_upvalueindex(i + 1));
  lua_settop(L, 3);
  lua_newtable(L); /* S_RTAB */
  lua_newtable(L); /* S_WTAB */
  e = (entry_t *)lua_newuserdata(L, sizeof(entry_t) * (size_t)(nr + nw + 1));
  n = collect(L, ARG_R, LTCP_POLLIN, e, 0, nr, &nobj, &ndirty, &sorted, mts);
  n = collect(L, ARG_W, LTCP_POLLOUT, e, n, nr + nw, &nobj, &ndirty, &sorted, mts);
  /* One poll entry per descriptor, in ascending order: LuaSocket's fd_set order. Usually the
   * descriptors already come strictly ascending: then there is nothing to sort or merge. */
  pfd = (ltcp_pollfd_t *)lua_newuserdata(L, sizeof(ltcp_pollfd_t) * (size_t)(n + 1));
  if (sorted) {
    m = n;
  } else {
    qsort(e, (size_t)n, sizeof(entry_t), by_fd);
    for (i = 0; i < n; i++) {
      if (m > 0 && e[m - 1].fd == e[i].fd) {
        e[m - 1].events |= e[i].events;
        if (e[i].obj) e[m - 1].obj = e[i].obj;
        e[m - 1].ref = e[i].ref; /* the later registration's object is the one reported */
        e[m - 1].tab = e[i].tab;
        e[m - 1].pos = e[i].pos;
      } else {
        e[m++] = e[i];
      }
    }
  }
  for (i = 0; i < m; i++) {
    pfd[i].sock = e[i].fd;
    pfd[i].events = e[i].events;
    pfd[i].revents = 0;
  }
  if (nw > 0) {
    /* Our objects in the write set may be connecting by racing several addresses: the core
     * then waits on the whole race and reports it writable once it has ended. */
    ltcp_t **objs = (ltcp_t **)lua_newuserdata(L, sizeof(ltcp_t *) * (size_t)(m + 1));
    for (i = 0; i < m; i++) objs[i] = e[i].obj;
    rc = ltcp_select_objects(pfd, objs, (size_t)m, ndirty > 0 ? 0.0 : (double)timeout, &nready);
  } else {
    rc = ltcp_select(pfd, (size_t)m, ndirty > 0 ? 0.0 : (double)timeout, &nready);
  }
  if (rc != 0 && rc != LTCP_ETIMEOUT) return luaL_error(L, "select failed");
  nread = ndirty;
  for (i = 0; i < m; i++) {
    int ev = pfd[i].revents & pfd[i].events;
    if (ev & LTCP_POLLIN) {
      lua_rawgeti(L, e[i].tab, e[i].pos);
      append(L, S_RTAB, &nread);
    }
    if (ev & LTCP_POLLOUT) {
      lua_rawgeti(L, e[i].tab, e[i].pos);
      append(L, S_WTAB, &nwrite);
    }
  }
  make_assoc(L, S_RTAB, nread);
  make_assoc(L, S_WTAB, nwrite);
  lua_pushvalue(L, S_RTAB);
  lua_pushvalue(L, S_WTAB);
  if (nread + nwrite > 0) return 2;
  lua_pushliteral(L, "timeout");
  return 3;
}
