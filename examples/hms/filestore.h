/*
 * libcwmp examples - the file server's storage: PM uploads and CM files.
 * SPDX-License-Identifier: BSD-2-Clause
 */
/**
 * @file filestore.h
 * @brief Where the HMS file server keeps files, with the checks a file
 * name coming from the network needs. The HTTP side (to come) hands over a
 * request path and body; these functions decide whether the name is
 * acceptable and store or fetch the bytes.
 *
 * - PM uploads (F13): the name must be a TS 32.432 measurement file name
 *   (`A20261122.1500+0000-1515+0000_HNB-0001.xml`, as pm_file_name()
 *   writes); the file is written to a temporary file in the same
 *   directory, synced, then linked to its final name, which must not exist
 *   yet (a repeated upload is refused, never overwrites); size-limited.
 * - CM files (F4/F6 downloads): names of `[A-Za-z0-9._-]`, not starting
 *   with '.', at most 128 characters.
 *
 * No name with '/' or a leading '.' is ever used, so nothing leaves the
 * directory.
 */
#ifndef HMS_FILESTORE_H
#define HMS_FILESTORE_H

#include <stddef.h>

#include <cwmp/common.h>
#include <cwmp/error.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @brief 1 when @p name is an acceptable PM file name (TS 32.432 type A). */
int hms_pm_name_ok(const char *name);

/** @brief 1 when @p name is an acceptable CM file name. */
int hms_cm_name_ok(const char *name);

/**
 * @brief Stores an uploaded PM file as @p dir/@p name.
 * @param max_len largest accepted body (0 = 16 MiB)
 * @param path_out receives the final path (may be NULL)
 * @return 0; CWMP_ERR_BAD_VALUE (bad name); CWMP_ERR_LIMIT (too large);
 *         CWMP_ERR_STATE (a file of that name exists); CWMP_ERR_IO
 *         (message in @p err)
 */
int hms_filestore_put_pm(const char *dir, const char *name, const void *data, size_t len,
                         size_t max_len, char *path_out, size_t path_len, char *err, size_t errlen);

/**
 * @brief Reads CM file @p dir/@p name for a download.
 * @param out receives the bytes (free with @p alloc); at most @p max_len
 *        (0 = 1 MiB)
 * @return 0; CWMP_ERR_BAD_VALUE; CWMP_ERR_NOT_FOUND; CWMP_ERR_LIMIT;
 *         CWMP_ERR_NOMEM; CWMP_ERR_IO
 */
int hms_filestore_get_cm(const char *dir, const char *name, size_t max_len,
                         const struct cwmp_allocator *alloc, char **out, size_t *out_len);

#ifdef __cplusplus
}
#endif

#endif
