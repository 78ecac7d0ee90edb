/* The error table's messages, from the X-macro list in ltcp/errno.h. One table for every
 * platform; backends only translate native values into these codes (sys.h). */
#include "core.h"

const char *ltcp_strerror(int code) {
  switch (code) {
  case LTCP_OK: return "success";
#define LTCP__ERRNO_CASE(name, value, msg)                                                         \
  case LTCP_E##name: return msg;
    LTCP_ERRNO_MAP(LTCP__ERRNO_CASE)
#undef LTCP__ERRNO_CASE
  default: return "unknown error";
  }
}

const char *ltcp_errname(int code) {
  switch (code) {
  case LTCP_OK: return "OK";
#define LTCP__ERRNO_NAME(name, value, msg)                                                         \
  case LTCP_E##name: return "E" #name;
    LTCP_ERRNO_MAP(LTCP__ERRNO_NAME)
#undef LTCP__ERRNO_NAME
  default: return "EUNKNOWN";
  }
}

int ltcp_native_error(const ltcp_t *t) {
  return t ? t->native : 0;
}
