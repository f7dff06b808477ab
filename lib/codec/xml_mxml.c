/*
 * libcwmp - the only file that uses mxml. It turns mxml's SAX callbacks into
 * the small event interface of codec_internal.h and hides the differences
 * between mxml 3.x and 4.x (only 3.x is implemented today; a 4.x branch
 * goes here, selected on MXML_MAJOR_VERSION).
 *
 * No node is ever retained: mxml frees each node after its event (open
 * elements stay alive until their close event, as mxml needs them for
 * nesting). mxml 3's SAX callback cannot stop the parser, so after the
 * handler asks to stop we ignore the remaining events; the envelope-size
 * limit checked before parsing bounds that work.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <mxml.h>

#include "codec_internal.h"

#if defined(MXML_MAJOR_VERSION) && MXML_MAJOR_VERSION >= 4
#error "mxml 4.x is not supported yet: add its SAX adapter in lib/codec/xml_mxml.c"
#endif

struct sax_state {
    const struct cwmp__xml_handler *h;
    void *ctx;
    int stopped;
};

/* mxml reports errors through a per-thread callback without user data; the
 * codec judges well-formedness from the events, so the text is dropped.
 * Installing it also keeps mxml from printing to stderr. */
static void silent_error(const char *msg)
{
    (void) msg;
}

/* Type of the text children of an element: none for CWMP containers
 * (whitespace between elements then costs mxml nothing), opaque (verbatim)
 * for everything else. mxml passes no user data here: the decision is by
 * element name only. */
static mxml_type_t load_cb(mxml_node_t *parent)
{
    const char *name = mxmlGetElement(parent);
    return name && cwmp__is_container(name) ? MXML_IGNORE : MXML_OPAQUE;
}

static void sax_cb(mxml_node_t *node, mxml_sax_event_t ev, void *data)
{
    struct sax_state *st = data;
    if (st->stopped)
        return;
    int rv = 0;
    switch (ev) {
    case MXML_SAX_ELEMENT_OPEN: {
        struct cwmp__xml_attr attrs[CWMP__XML_MAX_ATTRS];
        int n = mxmlElementGetAttrCount(node);
        const char *name = mxmlGetElement(node);
        if (n > CWMP__XML_MAX_ATTRS) {
            rv = st->h->too_many_attrs(st->ctx, name);
            break;
        }
        for (int i = 0; i < n; i++) {
            attrs[i].value = mxmlElementGetAttrByIndex(node, i, &attrs[i].name);
            if (!attrs[i].value)
                attrs[i].value = "";
        }
        rv = st->h->open(st->ctx, name, attrs, n < 0 ? 0 : n);
        break;
    }
    case MXML_SAX_ELEMENT_CLOSE: rv = st->h->close(st->ctx, mxmlGetElement(node)); break;
    case MXML_SAX_DATA: {
        const char *s = mxmlGetOpaque(node);
        if (s && *s)
            rv = st->h->text(st->ctx, s, strlen(s));
        else if (!s) /* non-whitespace text inside an ignored container */
            rv = st->h->text(st->ctx, "?", 1);
        break;
    }
    case MXML_SAX_CDATA: {
        const char *s = mxmlGetCDATA(node);
        if (s && *s)
            rv = st->h->text(st->ctx, s, strlen(s));
        break;
    }
    case MXML_SAX_DIRECTIVE: {
        const char *s = mxmlGetElement(node);
        rv = st->h->directive(st->ctx, s ? s : "");
        break;
    }
    case MXML_SAX_COMMENT:
    default: break;
    }
    if (rv)
        st->stopped = 1;
}

int cwmp__xml_parse(const char *s, const struct cwmp__xml_handler *h, void *ctx)
{
    struct sax_state st = {h, ctx, 0};
    mxmlSetErrorCallback(silent_error);
    /* Everything mxml builds hangs under our own top node, so that one
     * mxmlDelete() releases whatever mxml leaves behind, including the
     * partial tree of a document it gave up on (mxml 3.3.1 leaks that tree
     * when parsing without a top node). */
    /* Its name holds a space: mxml ends a tag name at whitespace, so no
     * close tag of the document can match it. Named "top", it was closed by
     * a stray "</top>", after which mxml freed it itself (a double free). */
    mxml_node_t *top = mxmlNewElement(MXML_NO_PARENT, "libcwmp top");
    if (!top)
        return CWMP_ERR_NOMEM;
    mxml_node_t *r = mxmlSAXLoadString(top, s, load_cb, sax_cb, &st);
    (void) r; /* top, or NULL on error: the tree is under top either way */
    mxmlDelete(top);
    return 0;
}
