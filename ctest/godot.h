/*
 * godot.h - running godot3-server from the C tests: a temporary work
 * directory (Godot's HOME and current directory, removed afterwards), a
 * GDScript from ctest/ copied into it, and Godot started under `timeout`
 * with its output in <dir>/godot.log. The script reads its parameters from
 * environment variables the caller sets before godot_start.
 */
#ifndef ENETCONNECTION_CTEST_GODOT_H
#define ENETCONNECTION_CTEST_GODOT_H

#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#define GODOT_TIMEOUT_SECONDS "120"

static int godot_installed(void)
{
    return system("command -v godot3-server >/dev/null 2>&1") == 0;
}

/* Creates the work directory into dir (64 bytes). Returns 0 on failure. */
static int godot_workdir_create(char *dir)
{
    snprintf(dir, 64, "/tmp/enetconnection-godot-XXXXXX");
    return mkdtemp(dir) != NULL;
}

/* Copies ctest/<script> into dir. Returns 0 on failure. */
static int godot_script_install(const char *dir, const char *script)
{
    char from[256], to[256], buf[4096];
    FILE *in, *out;
    size_t n;
    int ok = 1;
    snprintf(from, sizeof from, "%s/%s", CTEST_SOURCE_DIR, script);
    snprintf(to, sizeof to, "%s/%s", dir, script);
    in = fopen(from, "rb");
    out = fopen(to, "wb");
    while (in != NULL && out != NULL && (n = fread(buf, 1, sizeof buf, in)) > 0)
        ok &= fwrite(buf, 1, n, out) == n;
    ok &= in != NULL && out != NULL;
    if (in != NULL)
        fclose(in);
    if (out != NULL)
        ok &= fclose(out) == 0;
    return ok;
}

/* Starts `godot3-server --no-window -s <script>` in dir. Returns its pid,
 * or -1. */
static pid_t godot_start(const char *dir, const char *script)
{
    pid_t pid = fork();
    if (pid != 0)
        return pid;
    if (chdir(dir) == 0) {
        int log = open("godot.log", O_WRONLY | O_CREAT | O_APPEND, 0644);
        setenv("HOME", dir, 1);
        setenv("XDG_DATA_HOME", dir, 1);
        setenv("XDG_CONFIG_HOME", dir, 1);
        setenv("XDG_CACHE_HOME", dir, 1);
        if (log >= 0) {
            dup2(log, 1);
            dup2(log, 2);
        }
        execlp("timeout", "timeout", "-k", "5", GODOT_TIMEOUT_SECONDS,
               "godot3-server", "--no-window", "-s", script, (char *)NULL);
    }
    _exit(127);
}

/* Waits for Godot to end; true when it exited normally with status 0. */
static int godot_wait(pid_t pid)
{
    int status;
    return pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status)
           && WEXITSTATUS(status) == 0;
}

static int godot_remove_entry(const char *path, const struct stat *st,
                              int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

/* Removes the work directory and everything in it. */
static void godot_workdir_remove(const char *dir)
{
    nftw(dir, godot_remove_entry, 8, FTW_DEPTH | FTW_PHYS);
}

#endif
