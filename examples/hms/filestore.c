/*
 * libcwmp examples - the file server's storage: PM uploads and CM files.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "filestore.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exalloc.h"

#define PM_MAX_DEFAULT ((size_t) 16 * 1024 * 1024)
#define CM_MAX_DEFAULT ((size_t) 1024 * 1024)

static int digits(const char *s, int n)
{
    for (int i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

/* "+hhmm" or "-hhmm" */
static int tz(const char *s)
{
    return (s[0] == '+' || s[0] == '-') && digits(s + 1, 4);
}

static int sender_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '=' || c == ',' || c == '+' || c == '-';
}

/* A<yyyymmdd>.<hhmm><tz>-[<yyyymmdd>.]<hhmm><tz>_<sender>[.xml] */
int hms_pm_name_ok(const char *name)
{
    if (!name)
        return 0;
    size_t n = strlen(name);
    if (n > 255 || n < 30)
        return 0;
    const char *p = name;
    if (p[0] != 'A' || !digits(p + 1, 8) || p[9] != '.' || !digits(p + 10, 4) || !tz(p + 14) ||
        p[19] != '-')
        return 0;
    p += 20;
    if (digits(p, 8) && p[8] == '.')
        p += 9;
    if (!digits(p, 4) || !tz(p + 4) || p[9] != '_')
        return 0;
    p += 10;
    if (*p == '\0' || *p == '.')
        return 0;
    for (; *p; p++)
        if (!sender_char(*p))
            return 0;
    return 1;
}

int hms_cm_name_ok(const char *name)
{
    if (!name || !*name || name[0] == '.')
        return 0;
    size_t n = strlen(name);
    if (n > 128)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-'))
            return 0;
    }
    return 1;
}

static int io_err(char *err, size_t errlen, const char *what, const char *path)
{
    if (err && errlen)
        snprintf(err, errlen, "%s %s: %s", what, path, strerror(errno));
    return CWMP_ERR_IO;
}

int hms_filestore_put_pm(const char *dir, const char *name, const void *data, size_t len,
                         size_t max_len, char *path_out, size_t path_len, char *err, size_t errlen)
{
    if (err && errlen)
        err[0] = '\0';
    if (!dir || (!data && len))
        return CWMP_ERR_INVALID_ARG;
    if (!hms_pm_name_ok(name)) {
        if (err && errlen)
            snprintf(err, errlen, "not a TS 32.432 measurement file name");
        return CWMP_ERR_BAD_VALUE;
    }
    if (len > (max_len ? max_len : PM_MAX_DEFAULT)) {
        if (err && errlen)
            snprintf(err, errlen, "file larger than the limit");
        return CWMP_ERR_LIMIT;
    }
    char final[4096], tmp[4096];
    if ((size_t) snprintf(final, sizeof(final), "%s/%s", dir, name) >= sizeof(final) ||
        (size_t) snprintf(tmp, sizeof(tmp), "%s/.upload-XXXXXX", dir) >= sizeof(tmp))
        return CWMP_ERR_INVALID_ARG;
    int fd = mkstemp(tmp);
    if (fd < 0)
        return io_err(err, errlen, "create", tmp);
    const char *p = data;
    size_t left = len;
    while (left) {
        ssize_t w = write(fd, p, left);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            int rv = io_err(err, errlen, "write", tmp);
            close(fd);
            unlink(tmp);
            return rv;
        }
        p += w;
        left -= (size_t) w;
    }
    if (fsync(fd) != 0 || close(fd) != 0) {
        int rv = io_err(err, errlen, "sync", tmp);
        unlink(tmp);
        return rv;
    }
    /* link() never replaces an existing name: a repeated upload fails. */
    if (link(tmp, final) != 0) {
        int exists = errno == EEXIST;
        int rv = exists ? CWMP_ERR_STATE : io_err(err, errlen, "link", final);
        if (exists && err && errlen)
            snprintf(err, errlen, "%s already exists", name);
        unlink(tmp);
        return rv;
    }
    unlink(tmp);
    if (path_out && path_len)
        snprintf(path_out, path_len, "%s", final);
    return 0;
}

int hms_filestore_get_cm(const char *dir, const char *name, size_t max_len,
                         const struct cwmp_allocator *alloc, char **out, size_t *out_len)
{
    if (out)
        *out = NULL;
    if (!dir || !out)
        return CWMP_ERR_INVALID_ARG;
    if (!hms_cm_name_ok(name))
        return CWMP_ERR_BAD_VALUE;
    if (!max_len)
        max_len = CM_MAX_DEFAULT;
    char path[4096];
    if ((size_t) snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path))
        return CWMP_ERR_INVALID_ARG;
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? CWMP_ERR_NOT_FOUND : CWMP_ERR_IO;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return CWMP_ERR_NOT_FOUND;
    }
    if ((size_t) st.st_size > max_len) {
        close(fd);
        return CWMP_ERR_LIMIT;
    }
    size_t n = (size_t) st.st_size;
    char *buf = ex_malloc(alloc, n + 1);
    if (!buf) {
        close(fd);
        return CWMP_ERR_NOMEM;
    }
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, buf + got, n - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t) r;
    }
    close(fd);
    if (got != n) {
        ex_free(alloc, buf);
        return CWMP_ERR_IO;
    }
    buf[n] = '\0';
    *out = buf;
    if (out_len)
        *out_len = n;
    return 0;
}
