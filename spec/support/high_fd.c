/*
 * high_fd.c - an LD_PRELOAD shim for the specs: the sockets libenet
 * creates carry high descriptor numbers, as in a process with tens of
 * thousands of files open (this machine's limit on open files may be far
 * lower, so no spec can open that many).
 *
 *   ENETCONNECTION_FD_OFFSET=N
 *
 * enet_socket_create returns the real descriptor + N; enet_socket_bind,
 * _set_option, _get_address and _destroy take N off again and call
 * libenet's own. libenet calls these five through its PLT, so a host's
 * socket number is the high one everywhere, the socket layer included.
 * Only host creation is supported: send, receive and wait are not wrapped.
 */
#include <dlfcn.h>
#include <stdlib.h>

#include <enet/enet.h>

#define EXPORT __attribute__((visibility("default")))

static int offset(void)
{
    const char *text = getenv("ENETCONNECTION_FD_OFFSET");
    return text != NULL ? atoi(text) : 0;
}

/* libenet's own definition of `name` (libenet is loaded by then: the
 * module depends on it). */
static void *libenet(const char *name)
{
    void *lib = dlopen("libenet.so.7", RTLD_LAZY | RTLD_NOLOAD);
    void *fn = lib != NULL ? dlsym(lib, name) : NULL;
    if (fn == NULL)
        abort();
    return fn;
}

static ENetSocket real(ENetSocket s)
{
    return s >= offset() ? s - offset() : s;
}

EXPORT ENetSocket enet_socket_create(ENetSocketType type)
{
    ENetSocket (*next)(ENetSocketType) = libenet("enet_socket_create");
    ENetSocket s = next(type);
    return s == ENET_SOCKET_NULL ? s : s + offset();
}

EXPORT int enet_socket_bind(ENetSocket s, const ENetAddress *address)
{
    int (*next)(ENetSocket, const ENetAddress *) = libenet("enet_socket_bind");
    return next(real(s), address);
}

EXPORT int enet_socket_set_option(ENetSocket s, ENetSocketOption option, int value)
{
    int (*next)(ENetSocket, ENetSocketOption, int) = libenet("enet_socket_set_option");
    return next(real(s), option, value);
}

EXPORT int enet_socket_get_address(ENetSocket s, ENetAddress *address)
{
    int (*next)(ENetSocket, ENetAddress *) = libenet("enet_socket_get_address");
    return next(real(s), address);
}

EXPORT void enet_socket_destroy(ENetSocket s)
{
    void (*next)(ENetSocket) = libenet("enet_socket_destroy");
    next(real(s));
}
