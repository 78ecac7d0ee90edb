/* ltcp_ignore_sigpipe: the one process-wide change, made only on request. The library leaves
 * SIGPIPE alone by itself (ltcp_init, opening sockets); the opt-in turns the default action into
 * SIG_IGN so a plain write() to a closed pipe fails with EPIPE instead of killing the process,
 * and it leaves a handler the program installed in place. Each test restores the action it found
 * (in Check's no-fork mode the tests share one process). Windows: a no-op success. */
#include <string.h>

#include "test_util.h"

#ifndef _WIN32
#include <errno.h>
#include <signal.h>
#include <unistd.h>

static void set_action(void (*handler)(int), struct sigaction *old) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = handler;
  sigemptyset(&sa.sa_mask);
  ck_assert_int_eq(sigaction(SIGPIPE, &sa, old), 0);
}

static void (*current_handler(void))(int) {
  struct sigaction now;
  ck_assert_int_eq(sigaction(SIGPIPE, NULL, &now), 0);
  ck_assert_msg(!(now.sa_flags & SA_SIGINFO), "unexpected SA_SIGINFO handler");
  return now.sa_handler;
}

static volatile sig_atomic_t caught;
static void own_handler(int sig) {
  (void)sig;
  caught = 1;
}

START_TEST(library_leaves_sigpipe_alone) {
  struct sigaction old;
  ltcp_t *t = NULL;
  set_action(SIG_DFL, &old);
  ck_assert_int_eq(ltcp_init(), 0);
  ck_assert_int_eq(ltcp_new(&t, LTCP_FAMILY_INET), 0);
  ck_assert_msg(current_handler() == SIG_DFL, "SIGPIPE action is not SIG_DFL");
  ltcp_free(t);
  ltcp_cleanup();
  ck_assert_msg(current_handler() == SIG_DFL, "SIGPIPE action is not SIG_DFL");
  sigaction(SIGPIPE, &old, NULL);
}
END_TEST

START_TEST(opt_in_makes_write_to_closed_pipe_fail) {
  struct sigaction old;
  int fds[2];
  ssize_t n;
  set_action(SIG_DFL, &old);
  lt_assert_rc(ltcp_ignore_sigpipe(), 0);
  ck_assert_msg(current_handler() == SIG_IGN, "SIGPIPE action is not SIG_IGN");
  lt_assert_rc(ltcp_ignore_sigpipe(), 0); /* again: already ignored, still fine */
  ck_assert_int_eq(pipe(fds), 0);
  close(fds[0]);
  errno = 0;
  n = write(fds[1], "x", 1); /* with the default action this kills the test process */
  ck_assert_int_eq((int)n, -1);
  ck_assert_int_eq(errno, EPIPE);
  close(fds[1]);
  sigaction(SIGPIPE, &old, NULL);
}
END_TEST

START_TEST(opt_in_keeps_program_handler) {
  struct sigaction old;
  int fds[2];
  set_action(own_handler, &old);
  caught = 0;
  lt_assert_rc(ltcp_ignore_sigpipe(), 0);
  ck_assert_msg(current_handler() == own_handler, "SIGPIPE action is not own_handler");
  ck_assert_int_eq(pipe(fds), 0);
  close(fds[0]);
  ck_assert_int_eq((int)write(fds[1], "x", 1), -1);
  ck_assert_int_eq(caught, 1); /* the program's handler ran, not SIG_IGN */
  close(fds[1]);
  sigaction(SIGPIPE, &old, NULL);
}
END_TEST
#else
START_TEST(opt_in_is_noop_on_windows) {
  lt_assert_rc(ltcp_ignore_sigpipe(), 0);
  lt_assert_rc(ltcp_ignore_sigpipe(), 0);
}
END_TEST
#endif

static Suite *signal_suite(void) {
  Suite *s = suite_create("signal");
  TCase *tc = tcase_create("sigpipe");
#ifndef _WIN32
  tcase_add_test(tc, library_leaves_sigpipe_alone);
  tcase_add_test(tc, opt_in_makes_write_to_closed_pipe_fail);
  tcase_add_test(tc, opt_in_keeps_program_handler);
#else
  tcase_add_test(tc, opt_in_is_noop_on_windows);
#endif
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  return lt_run_suite(signal_suite());
}
