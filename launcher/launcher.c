/*
 * msty-mlx-studio launcher.
 *
 * The bundle's entry point. It exists so that the process the user (and the Electron host)
 * sees is named after the app, with exactly one python child under it, and so that python
 * finds its home and the vendored packages without any shell script in between:
 *
 *     <root>/msty-mlx-studio ARGS...  ->  <python> -c <bootstrap> ARGS...   (the bootstrap runs
 *                                          <module> as `python -m` would, without the cwd)
 *
 * with MLXK2_SUPERVISE=0 (this process is the supervisor), PYTHONHOME, PYTHONPATH=<root>/_vendor
 * and friends set. It forwards termination signals to the child, escalates to SIGKILL on the
 * second one, and exits with the child's status (128+N when the child died of signal N).
 */

#if defined(__APPLE__)
#define _DARWIN_C_SOURCE
#else
#define _XOPEN_SOURCE 700 /* POSIX.1-2008 with XSI: realpath */
#endif

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__APPLE__)
#include <mach-o/dyld.h>
#endif

#ifndef MLXK_APP_NAME
#define MLXK_APP_NAME "msty-mlx-studio"
#endif

#ifndef MLXK_APP_MODULE
#define MLXK_APP_MODULE "mlxk2.cli"
#endif

/*
 * `python -m module` puts the working directory first on sys.path, so a folder named like the
 * app's module (or like any module it imports, `json` included) in the directory the launcher is
 * started from would run inside the notarized process instead of the signed app. Python 3.11's
 * -P (PYTHONSAFEPATH) leaves it out, but 3.10 exits with "Unknown option: -P", and asking the
 * interpreter its version would cost a second python start. So python gets this bootstrap with
 * -c, which works the same on every version: it drops sys.path[0] (the working directory for
 * -c, absent when the caller set PYTHONSAFEPATH) before anything is imported from sys.path,
 * then runs the module exactly as -m does (runpy._run_module_as_main, what -m itself calls,
 * so __main__, sys.argv[0] and multiprocessing's spawn see what they would under -m).
 */
#define BOOTSTRAP                                                      \
    "import sys\n"                                                     \
    "if not getattr(sys.flags, 'safe_path', False):\n"                 \
    "    del sys.path[0]\n"                                            \
    "import runpy\n"                                                   \
    "runpy._run_module_as_main('" MLXK_APP_MODULE "')\n"

#define EXIT_NOT_FOUND 127
#define EXIT_CANNOT_RUN 126

#define error(...) fprintf(stderr, "[" MLXK_APP_NAME "] " __VA_ARGS__)

extern char **environ;

static const int terminating_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
#define TERMINATING_SIGNAL_COUNT (sizeof terminating_signals / sizeof terminating_signals[0])

static char *concat(const char *a, const char *b, const char *c)
{
    size_t length = strlen(a) + strlen(b) + strlen(c) + 1;
    char *result = malloc(length);
    if (result == NULL) {
        error("out of memory: %s\n", strerror(errno));
        exit(1);
    }
    snprintf(result, length, "%s%s%s", a, b, c);
    return result;
}

/* The folder part of a path: everything before the last slash ("/" for "/x"). */
static char *parent_of(const char *path)
{
    char *result = concat(path, "", "");
    char *slash = strrchr(result, '/');
    if (slash == result)
        slash[1] = '\0';
    else if (slash != NULL)
        *slash = '\0';
    return result;
}

/*
 * Our own location, never argv[0]: argv[0] is whatever the caller typed (a bare name found on
 * PATH, a symlink elsewhere), while the bundle root is the folder of the real executable.
 */
static char *executable_path(void)
{
#if defined(__APPLE__)
    uint32_t size = 0;
    _NSGetExecutablePath(NULL, &size);
    char *unresolved = malloc(size);
    if (unresolved == NULL || _NSGetExecutablePath(unresolved, &size) != 0) {
        error("cannot find the launcher's own path: %s\n", strerror(errno));
        exit(1);
    }
    char *resolved = realpath(unresolved, NULL);
    free(unresolved);
#else
    char *resolved = realpath("/proc/self/exe", NULL);
#endif
    if (resolved == NULL) {
        error("cannot resolve the launcher's own path: %s\n", strerror(errno));
        exit(1);
    }
    return resolved;
}

static int exists(const char *path)
{
    struct stat info;
    return stat(path, &info) == 0;
}

static int is_executable_file(const char *path)
{
    struct stat info;
    return stat(path, &info) == 0 && S_ISREG(info.st_mode) && access(path, X_OK) == 0;
}

/* $MLXK_PYTHON, then $RESOURCES_PATH/python/bin/python3, then <root>/python/bin/python3. */
static char *find_python(const char *root)
{
    const char *override = getenv("MLXK_PYTHON");
    if (override != NULL && *override != '\0') {
        if (is_executable_file(override))
            return concat(override, "", "");
        error("ignoring MLXK_PYTHON=%s: not an executable file\n", override);
    }

    const char *resources = getenv("RESOURCES_PATH");
    if (resources != NULL && *resources != '\0') {
        char *candidate = concat(resources, "/python/bin/python3", "");
        if (exists(candidate))
            return candidate;
        free(candidate);
    }

    char *bundled = concat(root, "/python/bin/python3", "");
    if (exists(bundled))
        return bundled;

    error("python not found: %s: %s (reinstall the bundle, or set MLXK_PYTHON to a python3)\n", bundled, strerror(ENOENT));
    exit(EXIT_NOT_FOUND);
}

/*
 * PYTHONHOME is the folder above bin/ of the real interpreter: python3 is a symlink to
 * python3.X in the bundle, and for an MLXK_PYTHON on a symlinked PATH entry only the
 * resolved file sits next to its own lib/. Without a lib/ there (a wrapper script such as a
 * pyenv shim) any guess would be wrong, and python finds its own home better: NULL.
 */
static char *python_home(const char *python)
{
    char *resolved = realpath(python, NULL);
    char *bin = parent_of(resolved != NULL ? resolved : python);
    char *home = parent_of(bin);
    char *lib = concat(home, "/lib", "");
    struct stat info;
    int has_lib = stat(lib, &info) == 0 && S_ISDIR(info.st_mode);
    free(resolved);
    free(bin);
    free(lib);
    if (!has_lib) {
        free(home);
        return NULL;
    }
    return home;
}

static void set(const char *name, const char *value, int overwrite)
{
    if (setenv(name, value, overwrite) != 0) {
        error("cannot set %s: %s\n", name, strerror(errno));
        exit(1);
    }
}

/*
 * Variables that would let the caller choose what code python loads: the notarized process
 * must run only the bundle's. PYTHONPATH is replaced, not extended: anything on it comes before
 * the standard library, so a caller's entry could replace `json` or `os` even after _vendor.
 * PYTHONPYCACHEPREFIX would load .pyc files from another folder (the bundle's are
 * unchecked-hash, so their sources are not consulted), PYTHONPLATLIBDIR moves lib-dynload, and
 * PYTHONSTARTUP runs a file. Everything else (PYTHONUNBUFFERED, PYTHONIOENCODING, PYTHONUTF8,
 * PYTHONWARNINGS, ...) only changes how the app behaves, and is passed on.
 */
static const char *const code_loading_variables[] = {"PYTHONPYCACHEPREFIX", "PYTHONPLATLIBDIR", "PYTHONSTARTUP"};

static void prepare_environment(const char *root, const char *python)
{
    char *home = python_home(python);
    char *vendor = concat(root, "/_vendor", "");
    char *python_bin = parent_of(python);
    const char *existing_path = getenv("PATH");

    char *path = existing_path != NULL && *existing_path != '\0'
        ? concat(python_bin, ":", existing_path)
        : concat(python_bin, "", "");

    set("MLXK2_SUPERVISE", "0", 1);
    if (home != NULL)
        set("PYTHONHOME", home, 1);
    else if (unsetenv("PYTHONHOME") != 0)
        error("cannot unset PYTHONHOME: %s\n", strerror(errno));
    set("PYTHONPATH", vendor, 1);
    for (size_t i = 0; i < sizeof code_loading_variables / sizeof code_loading_variables[0]; i++) {
        if (unsetenv(code_loading_variables[i]) != 0)
            error("cannot unset %s: %s\n", code_loading_variables[i], strerror(errno));
    }
    set("PYTHONNOUSERSITE", "1", 0);
    set("PYTHONEXECUTABLE", python, 1);
    set("MLXK_PYTHON", python, 1);
    set("RESOURCES_PATH", root, 0);
    set("PATH", path, 1);

    free(home);
    free(vendor);
    free(python_bin);
    free(path);
}

static void print_json_string(const char *value)
{
    putchar('"');
    for (const unsigned char *c = (const unsigned char *)value; *c != '\0'; c++) {
        if (*c == '"' || *c == '\\')
            printf("\\%c", *c);
        else if (*c < 0x20)
            printf("\\u%04x", *c);
        else
            putchar(*c);
    }
    putchar('"');
}

static int print_launcher_info(const char *self, const char *root, const char *python)
{
    static const char *variables[] = {
        "MLXK2_SUPERVISE", "PYTHONHOME", "PYTHONPATH", "PYTHONNOUSERSITE",
        "PYTHONEXECUTABLE", "MLXK_PYTHON", "RESOURCES_PATH", "PATH",
    };

    printf("{\"launcher\": ");
    print_json_string(self);
    printf(", \"bundle_root\": ");
    print_json_string(root);
    printf(", \"python\": ");
    print_json_string(python);
    printf(", \"module\": ");
    print_json_string(MLXK_APP_MODULE);
    printf(", \"env\": {");
    for (size_t i = 0; i < sizeof variables / sizeof variables[0]; i++) {
        const char *value = getenv(variables[i]);
        printf("%s", i == 0 ? "" : ", ");
        print_json_string(variables[i]);
        printf(": ");
        print_json_string(value != NULL ? value : "");
    }
    printf("}}\n");
    return fflush(stdout) == 0 ? 0 : 1;
}

/*
 * A Ctrl-C or Ctrl-\ typed in the terminal is delivered by the kernel to the whole foreground
 * process group, python included. Forwarding it too would hand python a second
 * KeyboardInterrupt in the middle of its cleanup.
 */
static int in_terminal_foreground(void)
{
    for (int fd = 0; fd <= 2; fd++) {
        if (isatty(fd)) {
            pid_t foreground = tcgetpgrp(fd);
            return foreground != -1 && foreground == getpgrp();
        }
    }
    return 0;
}

static int exit_status_of(int status)
{
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return 1;
}

int main(int argc, char **argv)
{
    /*
     * Block the signals we handle before anything else, and collect them with sigwait()
     * instead of handlers: a signal that arrives while python is being spawned stays pending
     * and is forwarded once the child exists, and a SIGCHLD can never fall between a check
     * and a wait (the lost-SIGCHLD hang of dumb-init #102). The child gets the original mask
     * back through posix_spawn, since a blocked mask survives exec.
     */
    sigset_t handled, original_mask;
    sigemptyset(&handled);
    for (size_t i = 0; i < TERMINATING_SIGNAL_COUNT; i++)
        sigaddset(&handled, terminating_signals[i]);
    sigaddset(&handled, SIGCHLD);
    sigprocmask(SIG_BLOCK, &handled, &original_mask);

    /*
     * With SIGCHLD ignored (some parents leave it so) the kernel reaps children itself and
     * waitpid() fails with ECHILD, losing the exit status: take the default back.
     */
    signal(SIGCHLD, SIG_DFL);

    /*
     * A signal ignored when we start (nohup, a shell's `&`) stays ignored, for us and for
     * python: SIG_IGN survives exec, so we only reset the others to their default.
     */
    sigset_t defaults;
    sigemptyset(&defaults);
    for (size_t i = 0; i < TERMINATING_SIGNAL_COUNT; i++) {
        struct sigaction current;
        if (sigaction(terminating_signals[i], NULL, &current) == 0 && current.sa_handler != SIG_IGN)
            sigaddset(&defaults, terminating_signals[i]);
    }

    char *self = executable_path();
    char *root = parent_of(self);
    char *python = find_python(root);
    prepare_environment(root, python);

    if (argc > 1 && strcmp(argv[1], "--launcher-info") == 0)
        return print_launcher_info(self, root, python);

    char **child_argv = calloc((size_t)argc + 3, sizeof *child_argv);
    if (child_argv == NULL) {
        error("out of memory: %s\n", strerror(errno));
        return 1;
    }
    child_argv[0] = python;
    child_argv[1] = "-c";
    child_argv[2] = BOOTSTRAP;
    for (int i = 1; i < argc; i++)
        child_argv[i + 2] = argv[i];

    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    posix_spawnattr_setsigmask(&attributes, &original_mask);
    posix_spawnattr_setsigdefault(&attributes, &defaults);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

    pid_t child;
    int spawn_error = posix_spawn(&child, python, NULL, &attributes, child_argv, environ);
    posix_spawnattr_destroy(&attributes);
    if (spawn_error != 0) {
        error("cannot run %s: %s\n", python, strerror(spawn_error));
        return spawn_error == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_RUN;
    }

    int termination_requests = 0;
    for (;;) {
        int signal_number;
        int wait_error = sigwait(&handled, &signal_number);
        if (wait_error == EINTR)
            continue;
        if (wait_error != 0) {
            error("sigwait failed: %s; stopping python\n", strerror(wait_error));
            kill(child, SIGKILL);
            signal_number = SIGCHLD;
        }

        if (signal_number == SIGCHLD) {
            /* Several exits can share one SIGCHLD: reap until nothing is left to reap. */
            for (;;) {
                int status;
                pid_t reaped = waitpid(-1, &status, WNOHANG);
                if (reaped == child)
                    return exit_status_of(status);
                if (reaped > 0)
                    continue;
                if (reaped == 0)
                    break;
                if (errno == EINTR)
                    continue;
                error("lost track of python (pid %ld): %s\n", (long)child, strerror(errno));
                return 1;
            }
            continue;
        }

        /*
         * The first request is passed on so python can shut down cleanly; a second one while
         * it is still running means the user has given up waiting.
         */
        termination_requests++;
        if (termination_requests >= 2) {
            kill(child, SIGKILL);
            continue;
        }
        if ((signal_number == SIGINT || signal_number == SIGQUIT) && in_terminal_foreground())
            continue;
        kill(child, signal_number);
    }
}
