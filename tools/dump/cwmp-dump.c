/*
 * cwmp-dump - decode a CWMP SOAP envelope and print it.
 * SPDX-License-Identifier: BSD-2-Clause
 *
 *   cwmp-dump [--strict] [--reencode] [FILE|-]
 *
 * Reads one envelope from FILE (or standard input), decodes it with libcwmp
 * and prints the canonical dump (version, header, method, every field, then
 * the warnings lenient decoding recorded). With --reencode it prints the
 * envelope as libcwmp encodes it instead (the warnings then go to stderr).
 * With --strict every tolerated deviation is an error.
 *
 * Exit status: 0 decoded (and re-encoded); 1 the input was refused (one
 * line on stderr names the problem and where); 2 usage or I/O error.
 * Built only on the public API.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cwmp/envelope.h>
#include <cwmp/error.h>

#define EXIT_REFUSED 1
#define EXIT_USAGE   2

static const char *prog = "cwmp-dump";

static void usage(FILE *fp)
{
    fprintf(fp,
            "usage: %s [--strict] [--reencode] [FILE|-]\n"
            "Decode a CWMP (TR-069) SOAP envelope and print a canonical dump.\n"
            "  --strict    reject every deviation lenient mode tolerates\n"
            "  --reencode  print the envelope re-encoded by libcwmp\n"
            "  -h, --help  this text\n"
            "Exit status: 0 ok, 1 input refused, 2 usage or I/O error.\n",
            prog);
}

/* Reads all of fp, refusing more than max bytes (then *too_big is set). */
static char *read_all(FILE *fp, size_t max, size_t *len, int *too_big)
{
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap + 1);
    *too_big = 0;
    if (!buf)
        return NULL;
    for (;;) {
        if (n == cap) {
            if (cap > max) {
                *too_big = 1;
                free(buf);
                return NULL;
            }
            size_t ncap = cap * 2;
            char *nb = realloc(buf, ncap + 1);
            if (!nb) {
                free(buf);
                return NULL;
            }
            buf = nb;
            cap = ncap;
        }
        size_t got = fread(buf + n, 1, cap - n, fp);
        n += got;
        if (got == 0) {
            if (ferror(fp)) {
                free(buf);
                return NULL;
            }
            break;
        }
    }
    if (n > max) {
        *too_big = 1;
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* The problem must stay on one line: control characters become spaces. */
static void one_line(char *s)
{
    for (; *s; s++) {
        if ((unsigned char) *s < 0x20 || *s == 0x7f)
            *s = ' ';
    }
}

/*
 * When the detail gives a byte offset ("... at byte offset 464"), append the
 * line and column of that byte in the input: what an editor shows.
 */
static void add_line_column(char *detail, size_t size, const char *data, size_t len)
{
    const char *p = strstr(detail, "offset ");
    if (!p)
        return;
    char *end;
    unsigned long long off = strtoull(p + 7, &end, 10);
    if (end == p + 7 || off > len)
        return;
    size_t line = 1, col = 1;
    for (size_t i = 0; i < (size_t) off; i++) {
        if (data[i] == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
    }
    size_t n = strlen(detail);
    snprintf(detail + n, size - n, " (line %zu, column %zu)", line, col);
}

static int write_stdout(const char *data, size_t len, void *user_data)
{
    (void) user_data;
    return fwrite(data, 1, len, stdout) == len ? 0 : -1;
}

int main(int argc, char **argv)
{
    int strict = 0, reencode = 0;
    const char *path = NULL;
    int opts_done = 0;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!opts_done && strcmp(a, "--") == 0) {
            opts_done = 1;
        } else if (!opts_done && strcmp(a, "--strict") == 0) {
            strict = 1;
        } else if (!opts_done && strcmp(a, "--reencode") == 0) {
            reencode = 1;
        } else if (!opts_done && (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0)) {
            usage(stdout);
            return 0;
        } else if (!opts_done && a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "%s: unknown option '%s'\n", prog, a);
            usage(stderr);
            return EXIT_USAGE;
        } else if (path) {
            fprintf(stderr, "%s: only one input file may be given\n", prog);
            return EXIT_USAGE;
        } else {
            path = a;
        }
    }

    const char *name = path && strcmp(path, "-") != 0 ? path : "<stdin>";
    FILE *fp = stdin;
    if (path && strcmp(path, "-") != 0) {
        fp = fopen(path, "rb");
        if (!fp) {
            fprintf(stderr, "%s: %s: %s\n", prog, name, strerror(errno));
            return EXIT_USAGE;
        }
    }

    struct cwmp_codec_options opts;
    cwmp_codec_options_init(&opts);
    opts.strict = strict != 0;
    opts.input_nul_terminated = true; /* read_all() adds the NUL */

    size_t len = 0;
    int too_big = 0;
    char *data = read_all(fp, opts.max_envelope_bytes, &len, &too_big);
    int read_errno = errno;
    if (fp != stdin)
        fclose(fp);
    if (!data) {
        if (too_big)
            fprintf(stderr, "%s: %s: input larger than %zu bytes (max_envelope_bytes)\n", prog,
                    name, opts.max_envelope_bytes);
        else
            fprintf(stderr, "%s: %s: read error: %s\n", prog, name, strerror(read_errno));
        return too_big ? EXIT_REFUSED : EXIT_USAGE;
    }

    char detail[512] = "";
    struct cwmp_envelope *env = NULL;
    int rv = cwmp_envelope_decode(data, len, &opts, &env, detail, sizeof(detail));
    if (rv != 0) {
        one_line(detail);
        add_line_column(detail, sizeof(detail), data, len);
        fprintf(stderr, "%s: %s: %s%s%s\n", prog, name, cwmp_strerror(rv), detail[0] ? ": " : "",
                detail);
        free(data);
        return EXIT_REFUSED;
    }

    int status = 0;
    if (reencode) {
        /* stdout carries only XML: the warnings go to stderr. */
        for (size_t i = 0; i < env->warning_count; i++) {
            const struct cwmp_warning *w = &env->warnings[i];
            fprintf(stderr, "%s: %s: warning: %s: %s at %s\n", prog, name,
                    cwmp_warning_name(w->code), w->text, w->element);
        }
        char *out = NULL;
        size_t out_len = 0;
        detail[0] = '\0';
        rv = cwmp_envelope_encode(env, &opts, &out, &out_len, detail, sizeof(detail));
        if (rv != 0) {
            one_line(detail);
            fprintf(stderr, "%s: %s: cannot re-encode: %s%s%s\n", prog, name, cwmp_strerror(rv),
                    detail[0] ? ": " : "", detail);
            status = EXIT_REFUSED;
        } else {
            if (fwrite(out, 1, out_len, stdout) != out_len ||
                (out_len && out[out_len - 1] != '\n' && fputc('\n', stdout) == EOF))
                status = EXIT_USAGE;
            cwmp_encoded_free(&opts, out);
        }
    } else if (cwmp_envelope_print(env, write_stdout, NULL) != 0) {
        status = EXIT_USAGE;
    }
    if (fflush(stdout) != 0 && status == 0) {
        fprintf(stderr, "%s: write error: %s\n", prog, strerror(errno));
        status = EXIT_USAGE;
    }
    cwmp_envelope_free(env);
    free(data);
    return status;
}
