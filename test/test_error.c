/* The error table (error.c, ltcp/errno.h): every code negative, distinct, with a distinct
 * non-NULL message; LuaSocket's words where LuaSocket has them; unknown codes give
 * "unknown error". */
#include <string.h>

#include "core.h"
#include "test_util.h"

typedef struct code_entry {
  int code;
  const char *name;
} code_entry_t;

#define LT_ENTRY(name, value, msg) {LTCP_E##name, #name},
static const code_entry_t codes[] = {LTCP_ERRNO_MAP(LT_ENTRY)};
#undef LT_ENTRY
#define NCODES (sizeof codes / sizeof *codes)

START_TEST(codes_negative_and_distinct) {
  size_t i, j;
  ck_assert_uint_ge(NCODES, 30);
  for (i = 0; i < NCODES; i++) {
    ck_assert_msg(codes[i].code < 0, "LTCP_E%s = %d is not negative", codes[i].name, codes[i].code);
    for (j = i + 1; j < NCODES; j++)
      ck_assert_msg(codes[i].code != codes[j].code, "LTCP_E%s and LTCP_E%s share value %d",
                    codes[i].name, codes[j].name, codes[i].code);
  }
}
END_TEST

START_TEST(messages_non_null_and_distinct) {
  size_t i, j;
  for (i = 0; i < NCODES; i++) {
    const char *m = ltcp_strerror(codes[i].code);
    ck_assert_msg(m != NULL, "no message for LTCP_E%s", codes[i].name);
    ck_assert_msg(m[0] != '\0', "empty message for LTCP_E%s", codes[i].name);
    if (codes[i].code != LTCP_EUNKNOWN)
      ck_assert_msg(strcmp(m, "unknown error") != 0, "LTCP_E%s has the fallback message",
                    codes[i].name);
    for (j = i + 1; j < NCODES; j++)
      ck_assert_msg(strcmp(m, ltcp_strerror(codes[j].code)) != 0,
                    "LTCP_E%s and LTCP_E%s share the message \"%s\"", codes[i].name, codes[j].name,
                    m);
  }
}
END_TEST

START_TEST(luasocket_words) {
  ck_assert_str_eq(ltcp_strerror(LTCP_ETIMEOUT), "timeout");
  ck_assert_str_eq(ltcp_strerror(LTCP_ECLOSED), "closed");
  ck_assert_str_eq(ltcp_strerror(LTCP_EREFUSED), "connection refused");
  ck_assert_str_eq(ltcp_strerror(LTCP_EADDRINUSE), "address already in use");
  ck_assert_str_eq(ltcp_strerror(LTCP_EISCONN), "already connected");
  ck_assert_str_eq(ltcp_strerror(LTCP_EACCESS), "permission denied");
  ck_assert_str_eq(ltcp_strerror(LTCP_ENONAME), "host or service not provided, or not known");
}
END_TEST

START_TEST(abi_values_fixed) {
  /* Values are part of the ABI (errno.h: "append new codes at the end"). */
  ck_assert_int_eq(LTCP_OK, 0);
  ck_assert_int_eq(LTCP_ETIMEOUT, -1);
  ck_assert_int_eq(LTCP_ECLOSED, -2);
  ck_assert_int_eq(LTCP_EREFUSED, -3);
  ck_assert_int_eq(LTCP_EADDRINUSE, -4);
  ck_assert_int_eq(LTCP_EISCONN, -5);
  ck_assert_int_eq(LTCP_EINVAL, -17);
  ck_assert_int_eq(LTCP_ENOTSUP, -24);
  ck_assert_int_eq(LTCP_ESTATE, -25);
}
END_TEST

START_TEST(unknown_codes) {
  static const int unknown[] = {1, 42, -100, -1001, -1002, -1003, -1004, 12345, -99999};
  int below = 0; /* one past the lowest code: the next code to be appended, not yet known */
  size_t i;
  for (i = 0; i < NCODES; i++)
    if (codes[i].code < below) below = codes[i].code;
  below--;
  ck_assert_str_eq(ltcp_strerror(below), "unknown error");
  for (i = 0; i < sizeof unknown / sizeof *unknown; i++) {
    const char *m = ltcp_strerror(unknown[i]);
    ck_assert_msg(m != NULL && strcmp(m, "unknown error") == 0,
                  "ltcp_strerror(%d) = \"%s\", expected \"unknown error\"", unknown[i],
                  m ? m : "(null)");
  }
  ck_assert_str_eq(ltcp_strerror(LTCP_EUNKNOWN), "unknown error");
}
END_TEST

/* ltcp_errname: the X-macro's name with an E, "OK" for 0, "EUNKNOWN" for anything else. */
START_TEST(names_from_the_table) {
  static const int unknown[] = {1, 42, -100, -1001, -1002, -1003, -1004, 12345, -99999};
  size_t i, j;
  for (i = 0; i < NCODES; i++) {
    const char *n = ltcp_errname(codes[i].code);
    ck_assert_ptr_nonnull(n);
    ck_assert_msg(n[0] == 'E' && strcmp(n + 1, codes[i].name) == 0,
                  "ltcp_errname(LTCP_E%s) = \"%s\"", codes[i].name, n);
    for (j = i + 1; j < NCODES; j++) ck_assert_str_ne(n, ltcp_errname(codes[j].code));
  }
  ck_assert_str_eq(ltcp_errname(LTCP_OK), "OK");
  ck_assert_str_eq(ltcp_errname(LTCP_ETIMEOUT), "ETIMEOUT");
  ck_assert_str_eq(ltcp_errname(LTCP_ECLOSED), "ECLOSED");
  ck_assert_str_eq(ltcp_errname(LTCP_EADDRFAMILY), "EADDRFAMILY");
  for (i = 0; i < sizeof unknown / sizeof *unknown; i++)
    ck_assert_str_eq(ltcp_errname(unknown[i]), "EUNKNOWN");
}
END_TEST

START_TEST(success_has_a_message) {
  const char *m = ltcp_strerror(LTCP_OK);
  ck_assert_ptr_nonnull(m);
  ck_assert_str_ne(m, "unknown error");
}
END_TEST

START_TEST(internal_codes_do_not_collide) {
  /* The backend's internal codes (sys.h) must never be mistaken for public ones. */
  size_t i;
  for (i = 0; i < NCODES; i++) {
    ck_assert_int_ne(codes[i].code, LTCP__WOULDBLOCK);
    ck_assert_int_ne(codes[i].code, LTCP__INPROGRESS);
    ck_assert_int_ne(codes[i].code, LTCP__EINTR);
    ck_assert_int_ne(codes[i].code, LTCP__ERESET);
  }
}
END_TEST

START_TEST(native_error_of_fresh_object) {
  ltcp_t *t;
  lt_assert_rc(ltcp_new(&t, LTCP_FAMILY_UNSPEC), 0);
  ck_assert_int_eq(ltcp_native_error(t), 0);
  ltcp_free(t);
}
END_TEST

static Suite *error_suite(void) {
  Suite *s = suite_create("error");
  TCase *tc = tcase_create("table");
  tcase_add_test(tc, codes_negative_and_distinct);
  tcase_add_test(tc, messages_non_null_and_distinct);
  tcase_add_test(tc, luasocket_words);
  tcase_add_test(tc, abi_values_fixed);
  tcase_add_test(tc, unknown_codes);
  tcase_add_test(tc, names_from_the_table);
  tcase_add_test(tc, success_has_a_message);
  tcase_add_test(tc, internal_codes_do_not_collide);
  tcase_add_test(tc, native_error_of_fresh_object);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  return lt_run_suite(error_suite());
}
