/* The unit suites' shared checked fixture: a fresh fake transport `ft` and a client `T` on it for
 * each test (tcase_add_checked_fixture(tc, ft_setup, ft_teardown)). Kept apart from
 * fake_transport.h, whose functions take a parameter of the same name. */
#ifndef LTCP_UNIT_FIXTURE_H
#define LTCP_UNIT_FIXTURE_H

#include "fake_transport.h"

extern fake_transport_t ft;
extern ltcp_t *T;
void ft_setup(void);
void ft_teardown(void);

#endif
