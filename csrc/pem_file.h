/*
 * pem_file.h - whole-file reads and writes for key and certificate files,
 * with failures reported as Godot Error codes and a message. Pure C: no Lua
 * call happens while a buffer from here is held.
 */
#ifndef ENETCONNECTION_PEM_FILE_H
#define ENETCONNECTION_PEM_FILE_H

#include <stddef.h>

/* Largest file accepted (system CA bundles are a few hundred KiB). */
#define PEM_FILE_MAX_BYTES (16u * 1024u * 1024u)

/*
 * Reads the regular file at `path` into a new buffer with a NUL after the
 * last byte (what mbedTLS's PEM parsers need). Returns GD_OK with *data and
 * *length (not counting the NUL); the caller frees with pem_file_free.
 * Otherwise returns ERR_FILE_NOT_FOUND, ERR_FILE_CANT_OPEN, ERR_FILE_CANT_READ
 * or ERR_OUT_OF_MEMORY with a message in `message`.
 */
int pem_file_read(const char *path, unsigned char **data, size_t *length,
                  char *message, size_t message_size);

/*
 * Reads the file at `path` as pem_file_read does and hands its bytes to
 * `parse` with `source` naming the file ("'path'") for its messages; frees
 * them after. Returns pem_file_read's failure, or what `parse` returns.
 */
typedef int (*pem_file_parser)(const unsigned char *data, size_t length, const char *source,
                               void *context, char *message, size_t message_size);
int pem_file_parse(const char *path, pem_file_parser parse, void *context, char *message,
                   size_t message_size);

/* Zeroes (it may hold a private key) and frees a buffer from pem_file_read. */
void pem_file_free(unsigned char *data, size_t length);

/*
 * Creates or truncates `path` and writes `length` bytes. A new file gets
 * `mode` (before umask): 0600 for private keys, 0644 otherwise. Returns
 * GD_OK, ERR_FILE_CANT_OPEN or ERR_FILE_CANT_WRITE with a message.
 */
int pem_file_write(const char *path, const void *data, size_t length,
                   unsigned mode, char *message, size_t message_size);

#endif
