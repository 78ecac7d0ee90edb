/* The unit suites' shared checked fixture (unit_fixture.h). */
#include "unit_fixture.h"

fake_transport_t ft;
ltcp_t *T;

void ft_setup(void) {
  ft_init(&ft);
  T = ft_object(&ft);
}

void ft_teardown(void) {
  ft_object_free(T);
  T = NULL;
  ft_free(&ft);
}
