/*
 * libcwmp examples - file-backed data-model store.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "dm_filestore.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FILESTORE_MAX_LINE (1u << 20) /* refuse longer lines */

int filestore_init(struct filestore *fs, const char *path)
{
    int n;
    memset(fs, 0, sizeof(*fs));
    n = snprintf(fs->path, sizeof(fs->path), "%s", path);
    if (n < 0 || (size_t) n >= sizeof(fs->path))
        return -1;
    snprintf(fs->tmp, sizeof(fs->tmp), "%s.tmp", path);
    return 0;
}

static int fs_begin(void *ud)
{
    struct filestore *fs = ud;
    fs->write_error = 0;
    fs->fp = fopen(fs->tmp, "w");
    return fs->fp ? 0 : -1;
}

static void put_escaped(FILE *fp, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '\\': fputs("\\\\", fp); break;
        case '\t': fputs("\\t", fp); break;
        case '\n': fputs("\\n", fp); break;
        case '\r': fputs("\\r", fp); break;
        default: fputc(*s, fp);
        }
    }
}

static int fs_write(void *ud, enum cwmp_dm_record kind, const char *name, const char *value)
{
    struct filestore *fs = ud;
    if (!fs->fp)
        return -1;
    fprintf(fs->fp, "%d\t", (int) kind);
    put_escaped(fs->fp, name);
    fputc('\t', fs->fp);
    put_escaped(fs->fp, value);
    fputc('\n', fs->fp);
    if (ferror(fs->fp))
        fs->write_error = 1;
    return fs->write_error ? -1 : 0;
}

static int fs_end(void *ud, bool ok)
{
    struct filestore *fs = ud;
    int rv = 0;
    if (!fs->fp)
        return -1;
    /* on the disk before the rename, as the CPE records are: a power cut
     * leaves the old file or the new one, never an empty one */
    if (ok && (fflush(fs->fp) != 0 || fsync(fileno(fs->fp)) != 0))
        fs->write_error = 1;
    if (fclose(fs->fp) != 0)
        fs->write_error = 1;
    fs->fp = NULL;
    if (ok && !fs->write_error)
        rv = rename(fs->tmp, fs->path) == 0 ? 0 : -1;
    else
        remove(fs->tmp);
    return ok && fs->write_error ? -1 : rv;
}

/* Unescapes in place; returns -1 on a bad escape. */
static int unescape(char *s)
{
    char *w = s;
    for (char *r = s; *r; r++) {
        if (*r != '\\') {
            *w++ = *r;
            continue;
        }
        switch (*++r) {
        case '\\': *w++ = '\\'; break;
        case 't': *w++ = '\t'; break;
        case 'n': *w++ = '\n'; break;
        case 'r': *w++ = '\r'; break;
        default: return -1;
        }
    }
    *w = '\0';
    return 0;
}

static int fs_read(void *ud,
                   int (*record)(void *ctx, enum cwmp_dm_record kind, const char *name,
                                 const char *value),
                   void *ctx)
{
    struct filestore *fs = ud;
    FILE *fp = fopen(fs->path, "r");
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int rv = 0;
    if (!fp)
        return errno == ENOENT ? 0 : -1; /* no snapshot yet: factory state */
    while ((n = getline(&line, &cap, fp)) > 0) {
        char *t1, *t2, *end;
        long kind;
        if ((size_t) n > FILESTORE_MAX_LINE) {
            rv = -1;
            break;
        }
        if (line[n - 1] == '\n')
            line[n - 1] = '\0';
        t1 = strchr(line, '\t');
        t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
        if (!t2)
            continue; /* malformed line: skipped */
        *t1 = *t2 = '\0';
        kind = strtol(line, &end, 10);
        if (*end || kind < 0 || kind > CWMP_DM_REC_ATTRIBUTE || unescape(t1 + 1) ||
            unescape(t2 + 1))
            continue;
        rv = record(ctx, (enum cwmp_dm_record) kind, t1 + 1, t2 + 1);
        if (rv)
            break;
    }
    free(line);
    fclose(fp);
    return rv;
}

void filestore_bind(struct filestore *fs, struct cwmp_dm_store *st)
{
    st->begin = fs_begin;
    st->write = fs_write;
    st->end = fs_end;
    st->read = fs_read;
    st->user_data = fs;
}
