/*
 * shared_value.c - reference-counted immutable values (see shared_value.h).
 */
#include "shared_value.h"

#include <stdlib.h>

#include "visibility.h" /* last: hides what this file defines */

void *shared_value_new(size_t size, void (*free_contents)(void *value))
{
    shared_value *header = calloc(1, size);
    if (header != NULL) {
        header->refs = 1;
        header->free_contents = free_contents;
    }
    return header;
}

void *shared_value_retain(void *value)
{
    ((shared_value *)value)->refs++;
    return value;
}

void shared_value_release(void *value)
{
    shared_value *header = value;
    if (header == NULL || --header->refs > 0)
        return;
    if (header->free_contents != NULL)
        header->free_contents(value);
    free(header);
}
