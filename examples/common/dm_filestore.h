/*
 * libcwmp examples - a simple file-backed store for the data-model tree
 * (struct cwmp_dm_store of <cwmp/datamodel.h>).
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * One record per line: "<kind> <name> <value>\n", with '\\', TAB, CR and
 * LF in name and value written as "\\\\", "\\t", "\\r", "\\n" and the three
 * fields separated by one TAB. A snapshot is written to "<path>.tmp", then
 * renamed over <path> when complete, so a crash never leaves half a file.
 */
#ifndef EXAMPLES_DM_FILESTORE_H
#define EXAMPLES_DM_FILESTORE_H

#include <stdio.h>

#include <cwmp/datamodel.h>

struct filestore {
    char path[512];
    char tmp[520];
    FILE *fp;        /* open during a save */
    int write_error; /* sticky during a save */
};

/* Returns 0, or -1 when the path is too long. */
int filestore_init(struct filestore *fs, const char *path);

/* Fills @p st with callbacks bound to @p fs (which must outlive the tree). */
void filestore_bind(struct filestore *fs, struct cwmp_dm_store *st);

#endif
