/* assert(): on failure prints the file, line and expression to stderr and aborts (status 134). */
#ifndef PAGELAB_ASSERT_H
#define PAGELAB_ASSERT_H

#include <stdlib.h>

#ifdef NDEBUG
#define assert(e) ((void)0)
#else
#define assert(e) ((e) ? (void)0 : __pagelab_assert_fail(#e, __FILE__, __LINE__))
#endif

#endif
