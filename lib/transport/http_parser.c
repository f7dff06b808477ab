/*
 * libcwmp-transport - incremental HTTP/1.x parser: bytes in, events out.
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The head is collected line by line into one growable buffer (bounded by
 * max_header_bytes), each line checked byte by byte as it arrives so a
 * hostile peer can never make the parser hold more than the limits allow.
 * Bodies are never copied: CWMP_HTTP_EV_BODY points into the caller's input.
 */
#include <stdlib.h>

#include "http_private.h"

enum pstate {
    PS_START,      /* start line (skipping leading empty lines) */
    PS_HEADER,     /* header lines */
    PS_HEAD_DONE,  /* head complete; decide the body next call */
    PS_BODY_LEN,   /* Content-Length body */
    PS_CHUNK_SIZE, /* hex digits */
    PS_CHUNK_EXT,  /* ;extensions until CR */
    PS_CHUNK_DATA, /* chunk payload */
    PS_CHUNK_CR,   /* CR after chunk data */
    PS_CHUNK_LF,   /* LF after chunk data */
    PS_TRAILER,    /* trailer lines after the last chunk */
    PS_BODY_EOF,   /* body until the connection closes (responses) */
    PS_DONE,
    PS_ERROR,
};

struct hdr_off {
    uint32_t name;
    uint32_t value;
};

struct cwmp_http_parser {
    const struct cwmp_allocator *alloc;
    enum cwmp_http_parser_type type;
    struct cwmp_http_limits lim;
    enum pstate st;
    int err;        /* sticky error code */
    int err_status; /* HTTP status hint */
    int no_body;    /* response to HEAD */
    int got_cr;     /* inside a line: CR seen, LF must follow */
    int started;    /* a byte of the current message was seen */

    char *hbuf; /* head storage: NUL-terminated lines */
    size_t hlen, hcap;
    size_t line_start; /* offset of the current line in hbuf */
    size_t line_len;   /* length of the current line (for chunk/trailer lines too) */
    size_t trailer_bytes;
    unsigned empty_lines;

    struct hdr_off *offs;
    struct cwmp_http_header *hdrs;
    size_t nhdr, hdrcap, hdrs_cap;
    int ext_semicolon;     /* chunk extension: ';' seen */
    uint32_t start_off[3]; /* method/target or version/status/reason */

    int n_cl, n_te, n_host;
    uint64_t remaining; /* body bytes left (length or chunk) */
    uint64_t body_total;
    int chunk_digits;

    struct cwmp_http_message msg;
    int msg_ready;
};

static int fail(struct cwmp_http_parser *p, int err, int status)
{
    p->st = PS_ERROR;
    p->err = err;
    p->err_status = status;
    return err;
}

void cwmp_http_parser_reset(struct cwmp_http_parser *p)
{
    if (!p)
        return;
    p->st = PS_START;
    p->err = 0;
    p->err_status = 0;
    p->no_body = 0;
    p->got_cr = 0;
    p->started = 0;
    p->hlen = 0;
    p->line_start = 0;
    p->line_len = 0;
    p->trailer_bytes = 0;
    p->empty_lines = 0;
    p->nhdr = 0;
    p->n_cl = p->n_te = p->n_host = 0;
    p->remaining = 0;
    p->body_total = 0;
    p->chunk_digits = 0;
    memset(&p->msg, 0, sizeof(p->msg));
    p->msg.content_length = -1;
    p->msg_ready = 0;
}

int cwmp_http_parser_new(struct cwmp_http_parser **out, const struct cwmp_allocator *alloc,
                         enum cwmp_http_parser_type type, const struct cwmp_http_limits *limits)
{
    if (!out)
        return CWMP_ERR_INVALID_ARG;
    *out = NULL;
    if (type != CWMP_HTTP_PARSE_REQUEST && type != CWMP_HTTP_PARSE_RESPONSE)
        return CWMP_ERR_INVALID_ARG;
    alloc = cwmp__http_alloc(alloc);
    struct cwmp_http_parser *p = cwmp__malloc(alloc, sizeof(*p));
    if (!p)
        return CWMP_ERR_NOMEM;
    memset(p, 0, sizeof(*p));
    p->alloc = alloc;
    p->type = type;
    if (limits)
        p->lim = *limits;
    if (!p->lim.max_line)
        p->lim.max_line = CWMP_HTTP_DEFAULT_MAX_LINE;
    if (!p->lim.max_headers)
        p->lim.max_headers = CWMP_HTTP_DEFAULT_MAX_HEADERS;
    if (!p->lim.max_header_bytes)
        p->lim.max_header_bytes = CWMP_HTTP_DEFAULT_MAX_HEADER_BYTES;
    if (!p->lim.max_body)
        p->lim.max_body = CWMP_HTTP_DEFAULT_MAX_BODY;
    if (p->lim.max_header_bytes > UINT32_MAX - 16)
        p->lim.max_header_bytes = UINT32_MAX - 16;
    cwmp_http_parser_reset(p);
    *out = p;
    return 0;
}

void cwmp_http_parser_free(struct cwmp_http_parser *p)
{
    if (!p)
        return;
    cwmp__free(p->alloc, p->hbuf);
    cwmp__free(p->alloc, p->offs);
    cwmp__free(p->alloc, p->hdrs);
    cwmp__free(p->alloc, p);
}

void cwmp_http_parser_expect_no_body(struct cwmp_http_parser *p)
{
    if (p)
        p->no_body = 1;
}

const struct cwmp_http_message *cwmp_http_parser_message(const struct cwmp_http_parser *p)
{
    return (p && p->msg_ready) ? &p->msg : NULL;
}

int cwmp_http_parser_error_status(const struct cwmp_http_parser *p)
{
    return p ? p->err_status : 0;
}

int cwmp_http_parser_idle(const struct cwmp_http_parser *p)
{
    return p && !p->started && p->st == PS_START;
}

const char *cwmp_http_message_header(const struct cwmp_http_message *m, const char *name)
{
    if (!m || !name)
        return NULL;
    for (size_t i = 0; i < m->n_headers; i++)
        if (cwmp__http_caseeq(m->headers[i].name, name))
            return m->headers[i].value;
    return NULL;
}

/* ---- head storage ------------------------------------------------------- */

static int hbuf_put(struct cwmp_http_parser *p, char c)
{
    if (p->hlen + 1 >= p->hcap) {
        size_t ncap = p->hcap ? p->hcap * 2 : 512;
        size_t max = p->lim.max_header_bytes + 2;
        if (ncap > max)
            ncap = max;
        if (p->hlen + 1 >= ncap)
            return CWMP_ERR_LIMIT;
        char *n = cwmp__realloc(p->alloc, p->hbuf, ncap);
        if (!n)
            return CWMP_ERR_NOMEM;
        p->hbuf = n;
        p->hcap = ncap;
    }
    p->hbuf[p->hlen++] = c;
    return 0;
}

/* ---- token helpers ------------------------------------------------------ */

/* Does the comma-separated list @p v contain the token @p tok? Returns
 * 1 yes, 0 no. */
static int list_has(const char *v, const char *tok)
{
    size_t tl = strlen(tok);
    while (*v) {
        while (*v == ' ' || *v == '\t' || *v == ',')
            v++;
        const char *s = v;
        while (*v && *v != ',')
            v++;
        const char *e = v;
        while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
            e--;
        if ((size_t) (e - s) == tl && cwmp__http_ncaseeq(s, tok, tl))
            return 1;
    }
    return 0;
}

static int parse_u64_dec(const char *s, uint64_t *out)
{
    uint64_t v = 0;
    if (!*s)
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        if (v > (UINT64_MAX - 9) / 10)
            return -1;
        v = v * 10 + (uint64_t) (*s - '0');
    }
    *out = v;
    return 0;
}

/* ---- lines -------------------------------------------------------------- */

static int parse_version(const char *s, size_t n, int *minor)
{
    if (n != 8 || memcmp(s, "HTTP/", 5) != 0 || s[6] != '.')
        return CWMP_ERR_HTTP;
    if (s[5] < '0' || s[5] > '9' || s[7] < '0' || s[7] > '9')
        return CWMP_ERR_HTTP;
    if (s[5] != '1' || (s[7] != '0' && s[7] != '1'))
        return CWMP_ERR_UNSUPPORTED;
    *minor = s[7] - '0';
    return 0;
}

static int start_line(struct cwmp_http_parser *p, char *line, size_t n)
{
    int rv;
    if (p->type == CWMP_HTTP_PARSE_REQUEST) {
        size_t i = 0;
        while (i < n && cwmp__http_is_tchar((unsigned char) line[i]))
            i++;
        if (i == 0 || i >= n || line[i] != ' ')
            return fail(p, CWMP_ERR_HTTP, 400);
        line[i] = '\0';
        size_t t = ++i;
        while (i < n && (unsigned char) line[i] > 0x20 && (unsigned char) line[i] < 0x7f)
            i++;
        if (i == t || i >= n || line[i] != ' ')
            return fail(p, CWMP_ERR_HTTP, 400);
        line[i] = '\0';
        rv = parse_version(line + i + 1, n - i - 1, &p->msg.version_minor);
        if (rv == CWMP_ERR_UNSUPPORTED)
            return fail(p, rv, 505);
        if (rv)
            return fail(p, rv, 400);
        p->start_off[0] = (uint32_t) (line - p->hbuf);
        p->start_off[1] = (uint32_t) (line + t - p->hbuf);
        return 0;
    }
    /* HTTP/1.x SP 3DIGIT [SP reason] */
    if (n < 12 || line[8] != ' ')
        return fail(p, CWMP_ERR_HTTP, 0);
    rv = parse_version(line, 8, &p->msg.version_minor);
    if (rv)
        return fail(p, rv, 0);
    int st = 0;
    for (int k = 9; k < 12; k++) {
        if (line[k] < '0' || line[k] > '9')
            return fail(p, CWMP_ERR_HTTP, 0);
        st = st * 10 + (line[k] - '0');
    }
    if (st < 100)
        return fail(p, CWMP_ERR_HTTP, 0);
    if (n > 12 && line[12] != ' ')
        return fail(p, CWMP_ERR_HTTP, 0);
    for (size_t k = 13; k < n; k++) {
        unsigned char c = (unsigned char) line[k];
        if ((c < 0x20 && c != '\t') || c == 0x7f)
            return fail(p, CWMP_ERR_HTTP, 0);
    }
    p->msg.status = st;
    p->start_off[2] = (uint32_t) ((n > 12 ? line + 13 : line + n) - p->hbuf);
    return 0;
}

static int header_line(struct cwmp_http_parser *p, char *line, size_t n)
{
    if (line[0] == ' ' || line[0] == '\t')
        return fail(p, CWMP_ERR_HTTP, 400); /* obs-fold */
    size_t i = 0;
    while (i < n && cwmp__http_is_tchar((unsigned char) line[i]))
        i++;
    if (i == 0 || i >= n || line[i] != ':')
        return fail(p, CWMP_ERR_HTTP, 400); /* no name, or space before colon */
    line[i] = '\0';
    size_t v = i + 1, e = n;
    while (v < e && (line[v] == ' ' || line[v] == '\t'))
        v++;
    while (e > v && (line[e - 1] == ' ' || line[e - 1] == '\t'))
        e--;
    for (size_t k = v; k < e; k++) {
        unsigned char c = (unsigned char) line[k];
        if ((c < 0x20 && c != '\t') || c == 0x7f)
            return fail(p, CWMP_ERR_HTTP, 400);
    }
    line[e] = '\0';
    if (p->nhdr >= p->lim.max_headers)
        return fail(p, CWMP_ERR_LIMIT, 431);
    if (p->nhdr == p->hdrcap) {
        size_t nc = p->hdrcap ? p->hdrcap * 2 : 16;
        if (nc > p->lim.max_headers)
            nc = p->lim.max_headers;
        struct hdr_off *o = cwmp__realloc(p->alloc, p->offs, nc * sizeof(*o));
        if (!o)
            return fail(p, CWMP_ERR_NOMEM, 500);
        p->offs = o;
        p->hdrcap = nc;
    }
    p->offs[p->nhdr].name = (uint32_t) (line - p->hbuf);
    p->offs[p->nhdr].value = (uint32_t) (line + v - p->hbuf);
    p->nhdr++;

    const char *name = line, *val = line + v;
    if (cwmp__http_caseeq(name, "Content-Length")) {
        uint64_t cl;
        if (++p->n_cl > 1 || parse_u64_dec(val, &cl) != 0 || cl > INT64_MAX)
            return fail(p, CWMP_ERR_HTTP, 400);
        p->msg.content_length = (int64_t) cl;
    } else if (cwmp__http_caseeq(name, "Transfer-Encoding")) {
        if (++p->n_te > 1)
            return fail(p, CWMP_ERR_HTTP, 400);
        if (!cwmp__http_caseeq(val, "chunked"))
            return fail(p, CWMP_ERR_UNSUPPORTED, 501);
        p->msg.chunked = 1;
    } else if (cwmp__http_caseeq(name, "Host")) {
        if (++p->n_host > 1)
            return fail(p, CWMP_ERR_HTTP, 400);
    }
    return 0;
}

/* All lines of the head are in; decide how the body is delimited. */
static int head_complete(struct cwmp_http_parser *p)
{
    struct cwmp_http_message *m = &p->msg;
    if (p->nhdr) {
        if (p->hdrs_cap < p->hdrcap) {
            struct cwmp_http_header *nh = cwmp__realloc(p->alloc, p->hdrs, p->hdrcap * sizeof(*nh));
            if (!nh)
                return fail(p, CWMP_ERR_NOMEM, 500);
            p->hdrs = nh;
            p->hdrs_cap = p->hdrcap;
        }
        struct cwmp_http_header *h = p->hdrs;
        for (size_t i = 0; i < p->nhdr; i++) {
            h[i].name = p->hbuf + p->offs[i].name;
            h[i].value = p->hbuf + p->offs[i].value;
        }
    }
    m->headers = p->hdrs;
    m->n_headers = p->nhdr;
    m->is_request = p->type == CWMP_HTTP_PARSE_REQUEST;
    if (m->is_request) {
        m->method = p->hbuf + p->start_off[0];
        m->target = p->hbuf + p->start_off[1];
    } else {
        m->reason = p->hbuf + p->start_off[2];
    }
    const char *conn = cwmp_http_message_header(m, "Connection");
    if (m->version_minor == 1)
        m->keep_alive = !(conn && list_has(conn, "close"));
    else
        m->keep_alive = conn && list_has(conn, "keep-alive");
    if (m->chunked && m->version_minor == 0)
        return fail(p, CWMP_ERR_HTTP, 400);
    if (m->chunked && p->n_cl)
        return fail(p, CWMP_ERR_HTTP, 400); /* smuggling */

    if (m->is_request) {
        if (m->version_minor == 1 && p->n_host != 1)
            return fail(p, CWMP_ERR_HTTP, 400);
        const char *ex = cwmp_http_message_header(m, "Expect");
        if (ex) {
            if (cwmp__http_caseeq(ex, "100-continue"))
                m->expect_continue = 1;
            else
                m->expect_unknown = 1;
        }
        if (m->chunked) {
            m->has_body = 1;
            p->st = PS_CHUNK_SIZE;
        } else if (m->content_length > 0) {
            if ((uint64_t) m->content_length > p->lim.max_body)
                return fail(p, CWMP_ERR_LIMIT, 413);
            m->has_body = 1;
            p->remaining = (uint64_t) m->content_length;
            p->st = PS_BODY_LEN;
        } else {
            m->has_body = m->content_length == 0;
            p->st = PS_DONE;
        }
    } else {
        int st = m->status;
        if (st == 101)
            return fail(p, CWMP_ERR_UNSUPPORTED, 0);
        if (p->no_body || st == 204 || st == 304 || (st >= 100 && st < 200)) {
            p->st = PS_DONE;
        } else if (m->chunked) {
            m->has_body = 1;
            p->st = PS_CHUNK_SIZE;
        } else if (m->content_length >= 0) {
            if ((uint64_t) m->content_length > p->lim.max_body)
                return fail(p, CWMP_ERR_LIMIT, 0);
            m->has_body = 1;
            p->remaining = (uint64_t) m->content_length;
            p->st = p->remaining ? PS_BODY_LEN : PS_DONE;
        } else {
            m->has_body = 1;
            m->keep_alive = 0;
            p->st = PS_BODY_EOF;
        }
    }
    p->msg_ready = 1;
    return 0;
}

/* Restart head collection after an interim 1xx response. */
static void restart_head(struct cwmp_http_parser *p)
{
    int no_body = p->no_body;
    cwmp_http_parser_reset(p);
    p->no_body = no_body;
}

/*
 * Feeds one byte of a CRLF-terminated line. Returns 1 when a line is
 * complete (hbuf[line_start..line_start+line_len) NUL-terminated when
 * stored), 0 when more is needed, < 0 on error.
 */
static int line_byte(struct cwmp_http_parser *p, unsigned char c, int store, size_t max,
                     int limit_status)
{
    if (p->got_cr) {
        if (c != '\n')
            return fail(p, CWMP_ERR_HTTP, 400); /* bare CR */
        p->got_cr = 0;
        if (store) {
            int rv = hbuf_put(p, '\0');
            if (rv)
                return fail(p, rv, rv == CWMP_ERR_NOMEM ? 500 : limit_status);
        }
        return 1;
    }
    if (c == '\r') {
        p->got_cr = 1;
        return 0;
    }
    if (c == '\n' || c == 0)
        return fail(p, CWMP_ERR_HTTP, 400); /* bare LF, NUL */
    if (++p->line_len > max)
        return fail(p, CWMP_ERR_LIMIT, limit_status);
    if (store) {
        int rv = hbuf_put(p, (char) c);
        if (rv)
            return fail(p, rv, rv == CWMP_ERR_NOMEM ? 500 : 431);
    }
    return 0;
}

static int hexval(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (unsigned char) cwmp__http_lower((char) c);
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

int cwmp_http_parser_execute(struct cwmp_http_parser *p, const uint8_t *in, size_t len,
                             size_t *consumed, const uint8_t **body, size_t *body_len)
{
    size_t i = 0;
    int rv;
    if (consumed)
        *consumed = 0;
    if (!p || !consumed || !body || !body_len || (!in && len))
        return CWMP_ERR_INVALID_ARG;
    *body = NULL;
    *body_len = 0;
    if (p->st == PS_ERROR)
        return p->err;

    for (;;) {
        switch (p->st) {
        case PS_START:
        case PS_HEADER: {
            int is_start = p->st == PS_START;
            size_t max = p->lim.max_line;
            int lim_status = is_start ? (p->type == CWMP_HTTP_PARSE_REQUEST ? 414 : 0) : 431;
            while (i < len) {
                unsigned char c = in[i++];
                p->started = 1;
                if (p->hlen >= p->lim.max_header_bytes && c != '\r' && c != '\n') {
                    *consumed = i;
                    return fail(p, CWMP_ERR_LIMIT, 431);
                }
                rv = line_byte(p, c, 1, max, lim_status);
                if (rv < 0) {
                    *consumed = i;
                    return rv;
                }
                if (rv == 0)
                    continue;
                char *line = p->hbuf + p->line_start;
                size_t n = p->line_len;
                p->line_len = 0;
                if (is_start) {
                    if (n == 0) {
                        /* Tolerate a few empty lines before a message. */
                        p->hlen = p->line_start;
                        if (++p->empty_lines > 4) {
                            *consumed = i;
                            return fail(p, CWMP_ERR_HTTP, 400);
                        }
                        continue;
                    }
                    rv = start_line(p, line, n);
                    if (rv) {
                        *consumed = i;
                        return rv;
                    }
                    p->line_start = p->hlen;
                    p->st = PS_HEADER;
                    break;
                }
                if (n == 0) {
                    rv = head_complete(p);
                    if (rv) {
                        *consumed = i;
                        return rv;
                    }
                    if (p->type == CWMP_HTTP_PARSE_RESPONSE && p->msg.status < 200) {
                        restart_head(p);
                        p->started = 1;
                        break;
                    }
                    *consumed = i;
                    if (p->st == PS_DONE)
                        p->st = PS_HEAD_DONE; /* report DONE on the next call */
                    return CWMP_HTTP_EV_HEADERS;
                }
                rv = header_line(p, line, n);
                if (rv) {
                    *consumed = i;
                    return rv;
                }
                p->line_start = p->hlen;
            }
            if (i >= len && (p->st == PS_START || p->st == PS_HEADER)) {
                *consumed = i;
                return CWMP_HTTP_EV_NEED_MORE;
            }
            break;
        }
        case PS_HEAD_DONE:
            p->st = PS_DONE;
            *consumed = i;
            return CWMP_HTTP_EV_DONE;
        case PS_DONE: *consumed = i; return CWMP_HTTP_EV_DONE;
        case PS_BODY_LEN:
        case PS_CHUNK_DATA:
        case PS_BODY_EOF: {
            if (p->st != PS_BODY_EOF && p->remaining == 0) {
                p->st = p->st == PS_BODY_LEN ? PS_DONE : PS_CHUNK_CR;
                if (p->st == PS_DONE) {
                    *consumed = i;
                    return CWMP_HTTP_EV_DONE;
                }
                break;
            }
            if (i >= len) {
                *consumed = i;
                return CWMP_HTTP_EV_NEED_MORE;
            }
            uint64_t n = len - i;
            if (p->st != PS_BODY_EOF && n > p->remaining)
                n = p->remaining;
            if (p->st == PS_BODY_EOF && p->body_total + n > p->lim.max_body) {
                *consumed = i;
                return fail(p, CWMP_ERR_LIMIT, 413);
            }
            p->body_total += n;
            if (p->st != PS_BODY_EOF)
                p->remaining -= n;
            *body = in + i;
            *body_len = (size_t) n;
            *consumed = i + (size_t) n;
            return CWMP_HTTP_EV_BODY;
        }
        case PS_CHUNK_SIZE:
            while (i < len) {
                unsigned char c = in[i];
                int h = hexval(c);
                if (h >= 0) {
                    i++;
                    if (++p->chunk_digits > 15) {
                        *consumed = i;
                        return fail(p, CWMP_ERR_HTTP, 400);
                    }
                    p->remaining = p->remaining * 16 + (uint64_t) h;
                    continue;
                }
                if (p->chunk_digits == 0 || (c != ';' && c != '\r' && c != ' ' && c != '\t')) {
                    *consumed = i + 1;
                    return fail(p, CWMP_ERR_HTTP, 400);
                }
                p->line_len = (size_t) p->chunk_digits;
                p->st = PS_CHUNK_EXT;
                break;
            }
            if (p->st == PS_CHUNK_SIZE) {
                *consumed = i;
                return CWMP_HTTP_EV_NEED_MORE;
            }
            break;
        case PS_CHUNK_EXT:
            while (i < len) {
                unsigned char c = in[i++];
                if (!p->got_cr && c != '\r') {
                    if (c == ';')
                        p->ext_semicolon = 1;
                    if ((c < 0x20 && c != '\t') || c == 0x7f ||
                        (!p->ext_semicolon && c != ' ' && c != '\t' && c != ';')) {
                        *consumed = i;
                        return fail(p, CWMP_ERR_HTTP, 400);
                    }
                }
                rv = line_byte(p, c, 0, p->lim.max_line, 400);
                if (rv < 0) {
                    *consumed = i;
                    return rv;
                }
                if (rv == 1) {
                    p->line_len = 0;
                    p->chunk_digits = 0;
                    p->ext_semicolon = 0;
                    if (p->remaining > p->lim.max_body - p->body_total) {
                        *consumed = i;
                        return fail(p, CWMP_ERR_LIMIT, 413);
                    }
                    p->st = p->remaining ? PS_CHUNK_DATA : PS_TRAILER;
                    break;
                }
            }
            if (p->st == PS_CHUNK_EXT) {
                *consumed = i;
                return CWMP_HTTP_EV_NEED_MORE;
            }
            break;
        case PS_CHUNK_CR:
        case PS_CHUNK_LF:
            if (i >= len) {
                *consumed = i;
                return CWMP_HTTP_EV_NEED_MORE;
            }
            if (in[i++] != (p->st == PS_CHUNK_CR ? '\r' : '\n')) {
                *consumed = i;
                return fail(p, CWMP_ERR_HTTP, 400);
            }
            p->st = p->st == PS_CHUNK_CR ? PS_CHUNK_LF : PS_CHUNK_SIZE;
            break;
        case PS_TRAILER:
            while (i < len) {
                unsigned char c = in[i++];
                /* Trailer fields are checked and dropped (never stored:
                 * the head's strings must stay where they are). */
                if (!p->got_cr && c != '\r' && c != '\n' &&
                    ((c < 0x20 && c != '\t') || c == 0x7f ||
                     (p->line_len == 0 && (c == ' ' || c == '\t')))) {
                    *consumed = i;
                    return fail(p, CWMP_ERR_HTTP, 400);
                }
                rv = line_byte(p, c, 0, p->lim.max_line, 431);
                if (rv < 0) {
                    *consumed = i;
                    return rv;
                }
                if (rv == 0)
                    continue;
                size_t n = p->line_len;
                p->line_len = 0;
                p->trailer_bytes += n + 2;
                if (n == 0) {
                    p->st = PS_DONE;
                    *consumed = i;
                    return CWMP_HTTP_EV_DONE;
                }
                if (p->trailer_bytes > p->lim.max_header_bytes) {
                    *consumed = i;
                    return fail(p, CWMP_ERR_LIMIT, 431);
                }
            }
            *consumed = i;
            return CWMP_HTTP_EV_NEED_MORE;
        case PS_ERROR: *consumed = i; return p->err;
        }
    }
}

int cwmp_http_parser_finish(struct cwmp_http_parser *p)
{
    if (!p)
        return CWMP_ERR_INVALID_ARG;
    switch (p->st) {
    case PS_BODY_EOF: p->st = PS_DONE; return CWMP_HTTP_EV_DONE;
    case PS_DONE:
    case PS_HEAD_DONE: return CWMP_HTTP_EV_DONE;
    case PS_START:
        if (!p->started)
            return 0;
        return fail(p, CWMP_ERR_CLOSED, 400);
    case PS_ERROR: return p->err;
    default: return fail(p, CWMP_ERR_CLOSED, 400);
    }
}

const char *cwmp_http_reason(int status)
{
    switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 204: return "No Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 307: return "Temporary Redirect";
    case 308: return "Permanent Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 411: return "Length Required";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 417: return "Expectation Failed";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    case 505: return "HTTP Version Not Supported";
    default: return "Unknown";
    }
}
