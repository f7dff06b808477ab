/*
 * libcwmp - CWMP (TR-069) library for CPE and ACS.
 * SPDX-License-Identifier: BSD-2-Clause
 */
/**
 * @file envelope.h
 * @brief The SOAP envelope codec: decode bytes into a `struct cwmp_envelope`
 * (one arena, one free), encode an envelope into bytes, print a canonical
 * human-readable dump.
 *
 * Decoding is lenient by default: quirks found in real traffic are accepted
 * and recorded as warnings on the decoded envelope; with
 * `cwmp_codec_options::strict` each of them is an error instead. See
 * doc/codec.md for the table of quirks, warnings and errors.
 *
 * Error detail: decode and encode take an optional caller buffer that
 * receives one line naming the problem and where (element path), e.g.
 * `limit max_string_len (65536) exceeded at /Envelope/Body/Inform/ParameterList/...`.
 */
#ifndef CWMP_ENVELOPE_H
#define CWMP_ENVELOPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cwmp/common.h>
#include <cwmp/rpc.h>
#include <cwmp/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @brief Default of cwmp_codec_options::max_envelope_bytes (8 MiB). @since 0.1 */
#define CWMP_DEFAULT_MAX_ENVELOPE_BYTES (8u * 1024u * 1024u)
/** @brief Default of cwmp_codec_options::max_depth. @since 0.1 */
#define CWMP_DEFAULT_MAX_DEPTH 32u
/** @brief Default of cwmp_codec_options::max_elements. @since 0.1 */
#define CWMP_DEFAULT_MAX_ELEMENTS 500000u
/** @brief Default of cwmp_codec_options::max_string_len (64 KiB). @since 0.1 */
#define CWMP_DEFAULT_MAX_STRING_LEN 65536u
/** @brief Default of cwmp_codec_options::max_attr_len. @since 0.1 */
#define CWMP_DEFAULT_MAX_ATTR_LEN 1024u
/** @brief Default of cwmp_codec_options::max_array_entries. @since 0.1 */
#define CWMP_DEFAULT_MAX_ARRAY_ENTRIES 100000u

/**
 * @brief Codec options: allocator, mode and limits. Initialise with
 * cwmp_codec_options_init() and change what you need; the same options may
 * be shared by any number of concurrent decode/encode calls.
 * @since 0.1
 */
struct cwmp_codec_options {
    /** Allocator for the decoded arena and encoded output; NULL = C library. */
    const struct cwmp_allocator *allocator;
    /**
     * Strict mode: every deviation that lenient mode tolerates (and records
     * as a warning) is an error (CWMP_ERR_STRICT, or CWMP_ERR_ENCODING for
     * invalid UTF-8). Default false for decoding. The encoder always writes
     * strictly conforming output.
     */
    bool strict;
    /**
     * The caller guarantees that `data[len]` is readable and is '\0'. The
     * decoder then parses the caller's buffer in place instead of copying it
     * (saves one input-sized allocation). When lenient decoding has to
     * repair invalid UTF-8, a repaired copy is parsed instead.
     */
    bool input_nul_terminated;
    size_t max_envelope_bytes; /**< input / output size; 0 = default */
    unsigned max_depth;        /**< element nesting depth; 0 = default */
    size_t max_elements;       /**< elements in one envelope; 0 = default */
    size_t max_string_len;     /**< bytes of one text value; 0 = default */
    size_t max_attr_len;       /**< bytes of one attribute value or element name; 0 = default */
    size_t max_array_entries;  /**< entries of one array; 0 = default */
};

/**
 * @brief Fills @p opts with the defaults: C library allocator, lenient,
 * the CWMP_DEFAULT_* limits (a 10,000-parameter GetParameterValuesResponse
 * of about 2 MB decodes with them).
 * @since 0.1
 */
CWMP_API void cwmp_codec_options_init(struct cwmp_codec_options *opts);

/** @brief Codes of the deviations lenient decoding tolerates. @since 0.1 */
enum cwmp_warning_code {
    CWMP_WARN_ENCODING_STYLE_ON_ENVELOPE = 1, /**< SOAP-ENV:encodingStyle on Envelope */
    CWMP_WARN_QUALIFIED_CHILD = 2,     /**< an RPC child element carries a namespace */
    CWMP_WARN_DEFAULT_NS_CWMP = 3,     /**< xmlns="urn:dslforum-org:cwmp-1-x" */
    CWMP_WARN_MISSING_ARRAY_TYPE = 4,  /**< an array without soapenc:arrayType */
    CWMP_WARN_XSI_TYPE_ARRAY = 5,      /**< xsi:type="SOAP-ENC:Array" on an array */
    CWMP_WARN_METHOD_VERSION = 6,      /**< a 1.1/1.2 method in an older namespace */
    CWMP_WARN_ID_NO_MUST_UNDERSTAND = 7, /**< cwmp:ID without mustUnderstand="1" */
    CWMP_WARN_WHITESPACE = 8,          /**< whitespace around a non-string value, trimmed */
    CWMP_WARN_BOM = 9,                 /**< a UTF-8 byte-order mark before the document */
    CWMP_WARN_ARRAY_COUNT = 10,        /**< arrayType count differs from the items */
    CWMP_WARN_INVALID_UTF8 = 11,       /**< bytes that are not UTF-8, replaced by U+FFFD */
    CWMP_WARN_UNKNOWN_ELEMENT = 12,    /**< an unexpected element, skipped */
    CWMP_WARN_UNKNOWN_HEADER = 13,     /**< a header element libcwmp does not know, skipped */
    CWMP_WARN_DUPLICATE_ELEMENT = 14,  /**< an element given twice; the last one is kept */
    CWMP_WARN_MUST_UNDERSTAND_VALUE = 15, /**< HoldRequests without mustUnderstand="1" */
    CWMP_WARN_VALUE_TYPE = 16,         /**< a parameter value does not match its xsi:type */
    /** a SOAP Fault without detail/cwmp:Fault (decoded with code 0) */
    CWMP_WARN_FAULT_WITHOUT_DETAIL = 17,
};

/** @brief Short name of a warning code ("qualified-child", ...); never NULL. @since 0.1 */
CWMP_API const char *cwmp_warning_name(enum cwmp_warning_code code);

/**
 * @brief One tolerated deviation. Each code is recorded at most once per
 * message (its first occurrence).
 * @since 0.1
 */
struct cwmp_warning {
    enum cwmp_warning_code code;
    const char *text;    /**< human-readable description, never NULL */
    const char *element; /**< element path of the first occurrence, never NULL */
};

/**
 * @brief A CWMP SOAP envelope: version, header, one RPC, and (decoded
 * envelopes only) the warnings.
 *
 * A decoded envelope lives in one arena: every pointer reachable from it is
 * valid until cwmp_envelope_free(). To encode, build one yourself (e.g. on
 * the stack, zero-initialised); such an envelope is never freed by libcwmp.
 * @since 0.1
 */
struct cwmp_envelope {
    /**
     * Decode: detected from the namespace (1.0, 1.1, 1.2), raised to 1.3 by
     * a SessionTimeout header and to 1.4 by SupportedCWMPVersions /
     * UseCWMPVersion. Encode: selects the namespace (1.3 and 1.4 use the
     * cwmp-1-2 namespace); headers of a later version are refused.
     */
    enum cwmp_version version;
    struct cwmp_header header;
    struct cwmp_rpc rpc;
    const struct cwmp_warning *warnings; /**< decode only; NULL when none */
    size_t warning_count;
};

/**
 * @brief Decodes one SOAP envelope.
 *
 * @param data   the bytes (an HTTP body), need not be NUL-terminated unless
 *               opts->input_nul_terminated is set
 * @param len    their number
 * @param opts   options, NULL = defaults (lenient)
 * @param out    receives the envelope on success (free with
 *               cwmp_envelope_free()); set to NULL on failure
 * @param detail optional buffer receiving a one-line, NUL-terminated error
 *               description naming the problem and the element path; may
 *               be NULL
 * @param detail_size size of @p detail
 * @return 0; CWMP_ERR_NOMEM; CWMP_ERR_PARSE (not well-formed, truncated,
 *         not a SOAP envelope); CWMP_ERR_LIMIT (the detail names the
 *         limit); CWMP_ERR_NAMESPACE (unknown CWMP/SOAP namespace);
 *         CWMP_ERR_MISSING_ARG (a mandatory element is missing);
 *         CWMP_ERR_BAD_VALUE (a value does not fit its type, range or
 *         schema length); CWMP_ERR_UNSUPPORTED (unknown method);
 *         CWMP_ERR_DTD (DOCTYPE / entity declarations);
 *         CWMP_ERR_ENCODING (invalid UTF-8 in strict mode);
 *         CWMP_ERR_STRICT (a tolerated quirk, in strict mode).
 *         Nothing is allocated on failure.
 * @since 0.1
 */
CWMP_API int cwmp_envelope_decode(const char *data, size_t len,
                                  const struct cwmp_codec_options *opts,
                                  struct cwmp_envelope **out, char *detail,
                                  size_t detail_size);

/**
 * @brief Reads only the SOAP header's cwmp:ID of an envelope.
 *
 * For a message cwmp_envelope_decode() refused because of its body (an
 * unknown method, a bad argument): the fault that answers it must carry the
 * request's cwmp:ID (TR-069 A.3.1). Parsing stops at the SOAP Body, with the
 * same checks and limits as cwmp_envelope_decode() up to there.
 *
 * @param data, len, opts as for cwmp_envelope_decode()
 * @param id      receives the ID, NUL-terminated ("" on failure)
 * @param id_size size of @p id
 * @return 0; CWMP_ERR_MISSING_ARG (no cwmp:ID in the header);
 *         CWMP_ERR_LIMIT (the ID does not fit in @p id_size);
 *         CWMP_ERR_INVALID_ARG (@p id NULL or @p id_size 0); or the
 *         errors of cwmp_envelope_decode() for the envelope and header.
 *         Nothing stays allocated.
 * @since 0.1
 */
CWMP_API int cwmp_envelope_peek_id(const char *data, size_t len,
                                   const struct cwmp_codec_options *opts, char *id,
                                   size_t id_size);

/**
 * @brief Frees a decoded (or duplicated) envelope and everything it points
 * to. NULL is accepted. Never call it on an envelope you built yourself.
 * @since 0.1
 */
CWMP_API void cwmp_envelope_free(struct cwmp_envelope *env);

/**
 * @brief Deep copy of an envelope (any envelope, decoded or built by the
 * caller) into one new arena.
 * @param alloc allocator of the copy; NULL = C library
 * @param out receives the copy, free it with cwmp_envelope_free()
 * @return 0, CWMP_ERR_NOMEM or CWMP_ERR_INVALID_ARG
 * @since 0.1
 */
CWMP_API int cwmp_envelope_dup(const struct cwmp_envelope *src,
                               const struct cwmp_allocator *alloc,
                               struct cwmp_envelope **out);

/**
 * @brief Encodes an envelope: deterministic bytes, XML-escaped values,
 * `soapenc:arrayType` on every array, `xsi:type` on every parameter value,
 * the namespace of `env->version`, `mustUnderstand="1"` where the schema
 * requires it. Schema length limits and mandatory fields are checked.
 *
 * @param env   the message
 * @param opts  options (allocator, max_envelope_bytes), NULL = defaults
 * @param out   receives a NUL-terminated buffer allocated with
 *              opts->allocator; the caller owns it and frees it with
 *              cwmp_encoded_free() (same options)
 * @param out_len receives its length without the NUL
 * @param detail optional one-line error description (may be NULL)
 * @param detail_size its size
 * @return 0; CWMP_ERR_NOMEM; CWMP_ERR_MISSING_ARG (a mandatory field is
 *         NULL); CWMP_ERR_BAD_VALUE (too long for the schema, bad value);
 *         CWMP_ERR_UNSUPPORTED (method unknown to env->version, or a header
 *         of a later version); CWMP_ERR_LIMIT (output larger than
 *         max_envelope_bytes); CWMP_ERR_INVALID_ARG.
 * @since 0.1
 */
CWMP_API int cwmp_envelope_encode(const struct cwmp_envelope *env,
                                  const struct cwmp_codec_options *opts, char **out,
                                  size_t *out_len, char *detail, size_t detail_size);

/** @brief Frees a buffer returned by cwmp_envelope_encode(). NULL is accepted. @since 0.1 */
CWMP_API void cwmp_encoded_free(const struct cwmp_codec_options *opts, char *buf);

/**
 * @brief A reusable encoder: keeps its output buffer between messages (no
 * allocation per message in steady state). Opaque.
 * @since 0.1
 */
struct cwmp_encoder;

/**
 * @brief Creates an encoder. @p opts is copied. Free with cwmp_encoder_free().
 * @return 0, CWMP_ERR_NOMEM
 * @since 0.1
 */
CWMP_API int cwmp_encoder_new(struct cwmp_encoder **enc, const struct cwmp_codec_options *opts);

/**
 * @brief Encodes into the encoder's own buffer.
 * @param out receives a pointer to the NUL-terminated bytes, owned by the
 *            encoder, valid until the next call on @p enc or its free
 * @param out_len receives their length
 * @return as cwmp_envelope_encode()
 * @since 0.1
 */
CWMP_API int cwmp_encoder_encode(struct cwmp_encoder *enc, const struct cwmp_envelope *env,
                                 const char **out, size_t *out_len);

/** @brief One-line description of the last encoder error; "" when none. Never NULL. @since 0.1 */
CWMP_API const char *cwmp_encoder_error_detail(const struct cwmp_encoder *enc);

/** @brief Frees an encoder (NULL accepted). @since 0.1 */
CWMP_API void cwmp_encoder_free(struct cwmp_encoder *enc);

/**
 * @brief Output sink of cwmp_envelope_print().
 * @return 0 to continue, non-zero to stop (the value is returned by the print).
 * @since 0.1
 */
typedef int (*cwmp_write_fn)(const char *data, size_t len, void *user_data);

/**
 * @brief Canonical human-readable dump of an envelope: CWMP version, header,
 * method and every field, one `path = value` line each, then the warnings.
 * The format is stable (golden tests compare it byte for byte).
 * @return 0, or the first non-zero value returned by @p write.
 * @since 0.1
 */
CWMP_API int cwmp_envelope_print(const struct cwmp_envelope *env, cwmp_write_fn write,
                                 void *user_data);

#ifdef __cplusplus
}
#endif

#endif /* CWMP_ENVELOPE_H */
