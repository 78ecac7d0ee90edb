/* Option names (options.c): LuaSocket's names map to ids and back, the table is complete, and
 * unknown names are LTCP_ENOTSUP. Setting and reading options on real sockets is in test_net. */
#include <string.h>

#include "test_util.h"

START_TEST(every_id_round_trips) {
  int i;
  for (i = 0; i < LTCP_OPT_COUNT; i++) {
    const char *name = ltcp_option_name((ltcp_option_t)i);
    ck_assert_msg(name != NULL && name[0] != '\0', "option %d has no name", i);
    ck_assert_msg(ltcp_option_byname(name) == i, "byname(\"%s\") = %d, expected %d", name,
                  ltcp_option_byname(name), i);
  }
}
END_TEST

START_TEST(luasocket_names) {
  static const struct {
    const char *name;
    int id;
  } want[] = {
    {"keepalive", LTCP_OPT_KEEPALIVE},
    {"linger", LTCP_OPT_LINGER},
    {"reuseaddr", LTCP_OPT_REUSEADDR},
    {"reuseport", LTCP_OPT_REUSEPORT},
    {"tcp-nodelay", LTCP_OPT_TCP_NODELAY},
    {"tcp-keepidle", LTCP_OPT_TCP_KEEPIDLE},
    {"tcp-keepcnt", LTCP_OPT_TCP_KEEPCNT},
    {"tcp-keepintvl", LTCP_OPT_TCP_KEEPINTVL},
    {"ipv6-v6only", LTCP_OPT_IPV6_V6ONLY},
    {"recv-buffer-size", LTCP_OPT_RECV_BUFFER_SIZE},
    {"send-buffer-size", LTCP_OPT_SEND_BUFFER_SIZE},
    {"tcp-defer-accept", LTCP_OPT_TCP_DEFER_ACCEPT},
    {"tcp-fastopen", LTCP_OPT_TCP_FASTOPEN},
    {"tcp-fastopen-connect", LTCP_OPT_TCP_FASTOPEN_CONNECT},
    {"error", LTCP_OPT_ERROR},
  };
  size_t i;
  ck_assert_uint_eq(sizeof want / sizeof *want, LTCP_OPT_COUNT);
  for (i = 0; i < sizeof want / sizeof *want; i++) {
    ck_assert_int_eq(ltcp_option_byname(want[i].name), want[i].id);
    ck_assert_str_eq(ltcp_option_name((ltcp_option_t)want[i].id), want[i].name);
  }
}
END_TEST

START_TEST(names_distinct) {
  int i, j;
  for (i = 0; i < LTCP_OPT_COUNT; i++)
    for (j = i + 1; j < LTCP_OPT_COUNT; j++)
      ck_assert_str_ne(ltcp_option_name((ltcp_option_t)i), ltcp_option_name((ltcp_option_t)j));
}
END_TEST

START_TEST(unknown_names) {
  static const char *const bad[] = {"",           "nodelay",  "tcp_nodelay", "TCP-NODELAY",
                                    "keepalive ", "linger\n", "so-linger",   "ipv6-v6only2",
                                    "keep"};
  size_t i;
  for (i = 0; i < sizeof bad / sizeof *bad; i++)
    ck_assert_msg(ltcp_option_byname(bad[i]) == LTCP_ENOTSUP, "byname(\"%s\") = %d", bad[i],
                  ltcp_option_byname(bad[i]));
}
END_TEST

START_TEST(unknown_id_has_no_name) {
  ck_assert_ptr_null(ltcp_option_name(LTCP_OPT_COUNT));
  ck_assert_ptr_null(ltcp_option_name((ltcp_option_t)-1));
}
END_TEST

static Suite *options_suite(void) {
  Suite *s = suite_create("options");
  TCase *tc = tcase_create("names");
  tcase_add_test(tc, every_id_round_trips);
  tcase_add_test(tc, luasocket_names);
  tcase_add_test(tc, names_distinct);
  tcase_add_test(tc, unknown_names);
  tcase_add_test(tc, unknown_id_has_no_name);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  return lt_run_suite(options_suite());
}
