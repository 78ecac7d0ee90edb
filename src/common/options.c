/* Socket options: one table of LuaSocket's names, the same on every platform. The backend maps an
 * id to its setsockopt level/name and answers LTCP_ENOTSUP where the platform lacks it. */
#include <string.h>

#include "core.h"

static const char *const option_names[LTCP_OPT_COUNT] = {
  "keepalive",   "linger",       "reuseaddr",     "reuseport",
  "tcp-nodelay", "tcp-keepidle", "tcp-keepcnt",   "tcp-keepintvl",
  "ipv6-v6only", "recv-buffer-size", "send-buffer-size",
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
  return ltcp__sys_setopt(t->sock, (int)opt, value, linger, &t->optmem, &t->native);
}

int ltcp_getoption(ltcp_t *t, ltcp_option_t opt, int *value, int *linger) {
  int dummy = 0, rc = option_target(t, opt);
  if (rc) return rc;
  if (!value) return LTCP_EINVAL;
  return ltcp__sys_getopt(t->sock, (int)opt, value, linger ? linger : &dummy, &t->optmem,
                          &t->native);
}
