/*
 * libcwmp examples - CM file format (bulk configuration by Download).
 * SPDX-License-Identifier: BSD-2-Clause
 */
/**
 * @file cmfile.h
 * @brief Our own XML format for bulk configuration files ("3 Vendor
 * Configuration File" downloads), used because the TS 32.584 / TS 32.594
 * schema is not available to the project.
 *
 * @code
 * <?xml version="1.0" encoding="UTF-8"?>
 * <cmFile version="1">
 *   <!-- comments are allowed -->
 *   <param name="Device.Services.FAPService.1.CellConfig.LTE.EPC.TAC"
 *          type="unsignedInt">4660</param>
 *   <param name="Device.Services.FAPService.1.FAPControl.LTE.AdminState"
 *          type="boolean">true</param>
 * </cmFile>
 * @endcode
 *
 * Rules (doc/examples.md has the full description):
 * - one root element `cmFile` with `version="1"`; its children are `param`
 *   elements only; a `param` holds text only;
 * - `name` (required): a full parameter path under `Device.` or
 *   `InternetGatewayDevice.`, at most 256 characters, letters, digits, '_',
 *   '-' and non-empty '.'-separated segments, not ending in '.';
 *   each name at most once per file;
 * - `type` (optional, default `string`): a TR-069 type name (string, int,
 *   unsignedInt, long, unsignedLong, boolean, dateTime, base64, hexBinary);
 *   the value must match it lexically;
 * - no DOCTYPE, no entity declarations, no entity references other than
 *   the five predefined ones and character references, no CDATA sections,
 *   no processing instructions other than the XML declaration;
 * - UTF-8 only.
 *
 * The parser returns the (name, value, type) list in file order; the agent
 * applies it all-or-nothing through one data-model transaction, so a file
 * with any bad entry changes nothing (TS 32.583 5.3.1 / TS 32.593 5.2.2).
 */
#ifndef EX_CMFILE_H
#define EX_CMFILE_H

#include <stddef.h>

#include <cwmp/common.h>
#include <cwmp/error.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Version written by cmfile_write() and the only one accepted. */
#define CMFILE_VERSION "1"
/** Longest parameter name (TR-069 ParameterName is string(256)). */
#define CMFILE_MAX_NAME 256

/** Value types (TR-069 / XML Schema names). */
enum cmfile_type {
    CMFILE_STRING = 0,
    CMFILE_INT,
    CMFILE_UNSIGNED_INT,
    CMFILE_LONG,
    CMFILE_UNSIGNED_LONG,
    CMFILE_BOOLEAN,
    CMFILE_DATETIME,
    CMFILE_BASE64,
    CMFILE_HEXBINARY,
};

/** One entry. */
struct cmfile_param {
    const char *name;  /**< NUL-terminated */
    const char *value; /**< NUL-terminated, entities decoded */
    enum cmfile_type type;
    int line; /**< 1-based line of the param start tag (0 when written) */
};

/** A parsed file; free with cmfile_free(). */
struct cmfile {
    struct cmfile_param *params;
    size_t count;
    const struct cwmp_allocator *alloc; /**< private */
};

/** Parser limits; zero fields take the defaults shown. */
struct cmfile_limits {
    size_t max_bytes;  /**< whole file; default 1 MiB */
    size_t max_params; /**< default 4096 */
    size_t max_value;  /**< bytes of one value after decoding; default 65535 */
};

/** Where and why a parse failed. */
struct cmfile_error {
    int line;                       /**< 1-based; 0 when not tied to a line */
    char name[CMFILE_MAX_NAME + 1]; /**< offending parameter name, or "" */
    char msg[160];                  /**< human-readable reason */
};

/**
 * @brief Parses a CM file.
 *
 * @param data, len the file (need not be NUL-terminated)
 * @param lim   limits, NULL for the defaults
 * @param alloc allocator for the result; NULL = malloc
 * @param out   receives the file; NULL on error
 * @param err   receives the reason on error (may be NULL)
 * @return 0; CWMP_ERR_PARSE (not well-formed or not our format);
 *         CWMP_ERR_DTD (DOCTYPE, entity declaration or unknown entity);
 *         CWMP_ERR_ENCODING (not UTF-8, control characters);
 *         CWMP_ERR_LIMIT; CWMP_ERR_BAD_VALUE (bad name, unknown type, value
 *         not matching its type, duplicate name); CWMP_ERR_NOMEM;
 *         CWMP_ERR_INVALID_ARG
 */
int cmfile_parse(const char *data, size_t len, const struct cmfile_limits *lim,
                 const struct cwmp_allocator *alloc, struct cmfile **out, struct cmfile_error *err);

/** @brief Frees a parsed file (NULL is fine). */
void cmfile_free(struct cmfile *f);

/**
 * @brief Writes @p n params as a CM file (the HMS generates these from its
 * policy). Names and values are checked as the parser would.
 * @param out receives NUL-terminated text, free with @p alloc
 * @return 0; CWMP_ERR_BAD_VALUE (with @p err filled); CWMP_ERR_ENCODING;
 *         CWMP_ERR_NOMEM; CWMP_ERR_INVALID_ARG
 */
int cmfile_write(const struct cmfile_param *params, size_t n, const struct cwmp_allocator *alloc,
                 char **out, size_t *out_len, struct cmfile_error *err);

/** @brief Type name ("unsignedInt", ...); never NULL. */
const char *cmfile_type_name(enum cmfile_type t);
/** @brief Type from its name. @return 0 or CWMP_ERR_NOT_FOUND */
int cmfile_type_from_name(const char *name, enum cmfile_type *t);
/** @brief Checks a parameter name. @return 1 when valid */
int cmfile_name_ok(const char *name);
/** @brief Checks that @p value is a lexically valid @p t. @return 1 when valid */
int cmfile_value_ok(enum cmfile_type t, const char *value);

#ifdef __cplusplus
}
#endif

#endif
