/* Fixed-width integer types: gcc's own definitions (gcc's stdint.h would look for a libc's). */
#ifndef PAGELAB_STDINT_H
#define PAGELAB_STDINT_H
#include <stdint-gcc.h>
#endif
