/* Socket options: one table of LuaSocket's names, the same on every platform. The backend maps an
 * id to its setsockopt level/name and answers LTCP_ENOTSUP where the platform lacks it. */
#include <stdlib.h>
#include <string.h>

#include "core.h"

static const char *const option_names[LTCP_OPT_COUNT] = {
  "keepalive",
  "linger",
  "reuseaddr",
  "reuseport",
  "tcp-nodelay",
  "tcp-keepidle",
  "tcp-keepcnt",
  "tcp-keepintvl",
  "ipv6-v6only",
  "recv-buffer-size",
  "send-buffer-size",
  "tcp-defer-accept",
  "tcp-fastopen",
  "tcp-fastopen-connect",
  "error",
};

int ltcp_option_byname(const char *name) {
  int i;
  if (!name) return LTCP_EINVAL;
  for (i = 0; i < LTCP_OPT_COUNT; i++)
    if (strcmp(name, option_names[i]) == 0) return i;
  return LTCP_ENOTSUP;
}

const char *ltcp_option_name(ltcp_option_t opt) {
  return (unsigned)opt < LTCP_OPT_COUNT ? option_names[opt] : NULL;
}

static int option_target(ltcp_t *t, ltcp_option_t opt) {
  if (!t || (unsigned)opt >= LTCP_OPT_COUNT) return LTCP_EINVAL;
  if (t->state == LTCP_STATE_CLOSED) return LTCP_ECLOSED;
  if (t->sock == LTCP_INVALID_SOCKET) return LTCP_EBADF;
  return 0;
}

int ltcp_setoption(ltcp_t *t, ltcp_option_t opt, int value, int linger) {
  int rc = option_target(t, opt);
  if (rc) return rc;
  if (opt == LTCP_OPT_LINGER && linger < 0) return LTCP_EINVAL;
  if (opt == LTCP_OPT_ERROR) return LTCP_ENOTSUP; /* read-only */
  /* Room to remember it first, so an option is never applied and then forgotten. */
  if (!t->opts && !(t->opts = calloc(1, sizeof *t->opts))) return LTCP_ENOMEM;
  rc = ltcp__sys_setopt(t->sock, (int)opt, value, linger, &t->opts->sys, &t->native);
  if (rc == 0) { /* remembered: a connect that races addresses gives them to its new sockets */
    t->opts->set |= 1u << opt;
    t->opts->val[opt] = value;
    if (opt == LTCP_OPT_LINGER) t->opts->linger = linger;
  }
  return rc;
}

void ltcp__forget_options(ltcp_t *t) {
  free(t->opts);
  t->opts = NULL;
}

void ltcp__replay_options(const ltcp_t *t, ltcp_os_sock_t s, ltcp__optmem_t *mem) {
  int opt, native = 0;
  if (!t->opts) return;
  memset(mem, 0, sizeof *mem); /* s starts with nothing remembered */
  for (opt = 0; opt < LTCP_OPT_COUNT; opt++)
    if (t->opts->set & (1u << opt))
      (void)ltcp__sys_setopt(s, opt, t->opts->val[opt], t->opts->linger, mem, &native);
}

int ltcp_getoption(ltcp_t *t, ltcp_option_t opt, int *value, int *linger) {
  int dummy = 0, rc = option_target(t, opt);
  if (rc) return rc;
  if (!value) return LTCP_EINVAL;
  rc = ltcp__sys_getopt(t->sock, (int)opt, value, linger ? linger : &dummy,
                        t->opts ? &t->opts->sys : NULL, &t->native);
  /* The pending error as a public code: a reset is "closed", as everywhere else. */
  if (rc == 0 && opt == LTCP_OPT_ERROR && *value <= LTCP__WOULDBLOCK) /* internal (sys.h) */
    *value = *value == LTCP__ERESET ? LTCP_ECLOSED : LTCP_EUNKNOWN;
  return rc;
}
