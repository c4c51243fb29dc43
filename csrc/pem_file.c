/*
 * pem_file.c - whole-file reads and writes for key and certificate files.
 */
#include "pem_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <mbedtls/platform_util.h>

#include "godot_error.h"

#include "visibility.h" /* last: hides what this file defines */

static int fail(int code, char *message, size_t message_size,
                const char *what, const char *path, int error_number)
{
    snprintf(message, message_size, "%s '%s': %s", what, path,
             strerror(error_number));
    return code;
}

int pem_file_read(const char *path, unsigned char **data, size_t *length,
                  char *message, size_t message_size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int code = errno == ENOENT ? GD_ERR_FILE_NOT_FOUND : GD_ERR_FILE_CANT_OPEN;
        return fail(code, message, message_size, "cannot open", path, errno);
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int saved = errno;
        close(fd);
        return fail(GD_ERR_FILE_CANT_OPEN, message, message_size,
                    "cannot open", path, saved);
    }
    if (!S_ISREG(st.st_mode) || (uintmax_t)st.st_size > PEM_FILE_MAX_BYTES) {
        close(fd);
        snprintf(message, message_size, "cannot open '%s': %s", path,
                 S_ISREG(st.st_mode) ? "larger than 16 MiB" : "not a regular file");
        return GD_ERR_FILE_CANT_OPEN;
    }
    size_t size = (size_t)st.st_size;
    unsigned char *buffer = malloc(size + 1);
    if (buffer == NULL) {
        close(fd);
        snprintf(message, message_size, "out of memory reading '%s'", path);
        return GD_ERR_OUT_OF_MEMORY;
    }
    size_t got = 0;
    while (got < size) {
        ssize_t n = read(fd, buffer + got, size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            int saved = n < 0 ? errno : EIO;
            close(fd);
            pem_file_free(buffer, got);
            return fail(GD_ERR_FILE_CANT_READ, message, message_size,
                        "cannot read", path, saved);
        }
        got += (size_t)n;
    }
    close(fd);
    buffer[size] = '\0';
    *data = buffer;
    *length = size;
    return GD_OK;
}

void pem_file_free(unsigned char *data, size_t length)
{
    if (data == NULL)
        return;
    mbedtls_platform_zeroize(data, length);
    free(data);
}

int pem_file_write(const char *path, const void *data, size_t length,
                   unsigned mode, char *message, size_t message_size)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, (mode_t)mode);
    if (fd < 0)
        return fail(GD_ERR_FILE_CANT_OPEN, message, message_size,
                    "cannot open for writing", path, errno);
    const unsigned char *bytes = data;
    size_t done = 0;
    while (done < length) {
        ssize_t n = write(fd, bytes + done, length - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            int saved = n < 0 ? errno : EIO;
            close(fd);
            return fail(GD_ERR_FILE_CANT_WRITE, message, message_size,
                        "cannot write", path, saved);
        }
        done += (size_t)n;
    }
    if (close(fd) != 0)
        return fail(GD_ERR_FILE_CANT_WRITE, message, message_size,
                    "cannot write", path, errno);
    return GD_OK;
}

int pem_file_parse(const char *path, pem_file_parser parse, void *context, char *message,
                   size_t message_size)
{
    unsigned char *data;
    size_t length;
    int code = pem_file_read(path, &data, &length, message, message_size);
    if (code != GD_OK)
        return code;
    char source[128];
    snprintf(source, sizeof source, "'%s'", path);
    code = parse(data, length, source, context, message, message_size);
    pem_file_free(data, length);
    return code;
}
