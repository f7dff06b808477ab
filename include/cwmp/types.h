/*
 * libcwmp - CWMP (TR-069) library for CPE and ACS.
 * SPDX-License-Identifier: BSD-2-Clause
 */
/**
 * @file types.h
 * @brief CWMP versions, value types (xsi:type) and pure helpers that parse
 * and format each of them, plus the small structs shared by the codec, the
 * data model and the session engines.
 *
 * Every function here is pure: no allocation unless an allocator is passed,
 * no global state, no clock.
 */
#ifndef CWMP_TYPES_H
#define CWMP_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cwmp/common.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @brief CWMP protocol version. 1.3 and 1.4 share the cwmp-1-2 namespace. @since 0.1 */
enum cwmp_version {
    CWMP_V1_0 = 0, /**< urn:dslforum-org:cwmp-1-0 */
    CWMP_V1_1 = 1, /**< urn:dslforum-org:cwmp-1-1 */
    CWMP_V1_2 = 2, /**< urn:dslforum-org:cwmp-1-2 */
    CWMP_V1_3 = 3, /**< cwmp-1-2 namespace + SessionTimeout header */
    CWMP_V1_4 = 4, /**< cwmp-1-2 namespace + SupportedCWMPVersions / UseCWMPVersion */
};

/** @brief "1.0" … "1.4"; never NULL ("?" for out-of-range values). @since 0.1 */
CWMP_API const char *cwmp_version_string(enum cwmp_version v);
/** @brief The namespace URI of a version (1.3 and 1.4 give the cwmp-1-2 URI). @since 0.1 */
CWMP_API const char *cwmp_version_namespace(enum cwmp_version v);

/**
 * @brief Parses a version string "1.0" … "1.4" (as in SupportedCWMPVersions
 * and UseCWMPVersion), XML whitespace around it allowed.
 * @return 0, or CWMP_ERR_BAD_VALUE for anything else (e.g. "1.5", "2.0").
 * @since 0.1
 */
CWMP_API int cwmp_version_parse(const char *s, size_t len, enum cwmp_version *out);

/**
 * @brief Maps a namespace URI to the lowest version using it: cwmp-1-0 →
 * 1.0, cwmp-1-1 → 1.1, cwmp-1-2 → 1.2 (1.3 and 1.4 are told apart by their
 * headers, not by the namespace). The match is exact and by URI.
 * @return 0, or CWMP_ERR_NAMESPACE for any other URI.
 * @since 0.1
 */
CWMP_API int cwmp_version_from_namespace(const char *uri, size_t len, enum cwmp_version *out);

/**
 * @brief Value types of TR-069 parameter values (the `xsi:type` of `Value`).
 * @since 0.1
 */
enum cwmp_type {
    CWMP_TYPE_NONE = 0,      /**< no xsi:type given (treated as string) */
    CWMP_TYPE_STRING,        /**< xsd:string */
    CWMP_TYPE_INT,           /**< xsd:int, 32-bit signed */
    CWMP_TYPE_UNSIGNED_INT,  /**< xsd:unsignedInt, 32-bit unsigned */
    CWMP_TYPE_LONG,          /**< xsd:long, 64-bit signed */
    CWMP_TYPE_UNSIGNED_LONG, /**< xsd:unsignedLong, 64-bit unsigned */
    CWMP_TYPE_BOOLEAN,       /**< xsd:boolean: 0/1/true/false */
    CWMP_TYPE_DATETIME,      /**< xsd:dateTime per TR-106 */
    CWMP_TYPE_BASE64,        /**< xsd:base64Binary (soapenc:base64 accepted) */
    CWMP_TYPE_HEXBINARY,     /**< xsd:hexBinary */
    CWMP_TYPE_OTHER,         /**< some other xsi:type, kept verbatim by the codec */
};

/**
 * @brief The xsi:type to write for a type: "xsd:string", "xsd:unsignedInt",
 * "xsd:base64Binary", …; never NULL. CWMP_TYPE_NONE, CWMP_TYPE_OTHER and
 * out-of-range values give "xsd:string" (the codec writes the verbatim
 * name of CWMP_TYPE_OTHER values itself).
 * @since 0.1
 */
CWMP_API const char *cwmp_type_name(enum cwmp_type t);

/**
 * @brief Maps an xsi:type local name ("unsignedInt", "base64Binary",
 * "base64", "dateTime", …) to the enum; the namespace prefix must already be
 * removed. Unknown names give CWMP_TYPE_OTHER.
 * @since 0.1
 */
CWMP_API enum cwmp_type cwmp_type_from_name(const char *local_name, size_t len);

/* ---- parse / format of each type ---------------------------------------- */

/*
 * Parsers take (text, len) — text need not be NUL-terminated — and accept
 * leading/trailing XML whitespace (space, TAB, CR, LF), nothing else.
 * They return 0 or CWMP_ERR_BAD_VALUE (syntax, or out of the type's range);
 * on error *out is left unchanged. Integers follow the XML Schema lexical
 * rules: an optional '+' or '-' sign, then one or more decimal digits
 * (leading zeros allowed); the unsigned types accept '-' only for zero.
 * Formatters write a NUL-terminated canonical form into (buf, size) and
 * return its length, or CWMP_ERR_BUFFER when it does not fit (then buf
 * holds "" when size > 0).
 */

/** @brief Buffer size that holds any formatted integer (with the NUL). @since 0.1 */
#define CWMP_INT_BUFSIZE 24
/** @brief Buffer size that holds any formatted dateTime (with the NUL). @since 0.1 */
#define CWMP_DATETIME_BUFSIZE 40

/** @brief xsd:int @since 0.1 */
CWMP_API int cwmp_parse_int(const char *s, size_t len, int32_t *out);
/** @brief xsd:unsignedInt @since 0.1 */
CWMP_API int cwmp_parse_uint(const char *s, size_t len, uint32_t *out);
/** @brief xsd:long @since 0.1 */
CWMP_API int cwmp_parse_long(const char *s, size_t len, int64_t *out);
/** @brief xsd:unsignedLong @since 0.1 */
CWMP_API int cwmp_parse_ulong(const char *s, size_t len, uint64_t *out);
/** @brief xsd:boolean: "0", "1", "true", "false" (lexical forms of XML Schema). @since 0.1 */
CWMP_API int cwmp_parse_bool(const char *s, size_t len, bool *out);

/** @brief Decimal text of an int64. @since 0.1 */
CWMP_API int cwmp_format_long(int64_t v, char *buf, size_t size);
/** @brief Decimal text of a uint64. @since 0.1 */
CWMP_API int cwmp_format_ulong(uint64_t v, char *buf, size_t size);
/** @brief Writes "true" / "false", or "1" / "0" when @p numeric. @since 0.1 */
CWMP_API int cwmp_format_bool(bool v, bool numeric, char *buf, size_t size);

/**
 * @brief A TR-106 dateTime, as written (no time-zone conversion).
 *
 * TR-106 (section 3.2, dateTime): times are UTC and carry a time zone; a
 * device without absolute time gives the time since boot instead, counted
 * from `0001-01-01T00:00:00` and written without a time zone (so 2 days,
 * 3 h 4 min 5 s after boot is `0001-01-03T03:04:05`): any untimezoned value
 * with a year below 1000 is relative to boot. The Unknown Time (time not
 * known or not applicable) is `0001-01-01T00:00:00Z`.
 * @since 0.1
 */
struct cwmp_datetime {
    int32_t year;         /**< 1..9999 */
    uint8_t month;        /**< 1..12 */
    uint8_t day;          /**< 1..31, checked against the month */
    uint8_t hour;         /**< 0..23 (24:00:00 is refused) */
    uint8_t minute;       /**< 0..59 */
    uint8_t second;       /**< 0..60 (leap second allowed) */
    uint8_t frac_digits;  /**< digits of fraction written (0..6 kept) */
    uint8_t has_tz;       /**< 1 when 'Z' or an offset was given */
    uint32_t microsecond; /**< 0..999999 */
    int16_t tz_minutes;   /**< offset east of UTC, -840..840 */
};

/**
 * @brief Parses xsd:dateTime `YYYY-MM-DDThh:mm:ss[.f+][Z|(+|-)hh:mm]`.
 *
 * Exactly four year digits (0001–9999; no sign), two digits for every other
 * field, the day checked against the month (29 February only in Gregorian
 * leap years), hour 00–23 (24:00:00 refused), second 60 only at minute 59
 * (leap second), any number of fraction digits (the first six are kept),
 * offsets up to ±14:00.
 * @return 0 or CWMP_ERR_BAD_VALUE (*out unchanged on error).
 * @since 0.1
 */
CWMP_API int cwmp_datetime_parse(const char *s, size_t len, struct cwmp_datetime *out);
/**
 * @brief Formats @p dt; the fraction is written only when frac_digits > 0
 * (its first frac_digits digits), a zero offset as `Z`.
 * @return the length; CWMP_ERR_BUFFER when it does not fit (40 bytes always
 * do: CWMP_DATETIME_BUFSIZE); CWMP_ERR_BAD_VALUE when a field is out of range.
 * @since 0.1
 */
CWMP_API int cwmp_datetime_format(const struct cwmp_datetime *dt, char *buf, size_t size);
/**
 * @brief Seconds since the Unix epoch (UTC), offset applied; no time zone
 * counts as UTC. Relative (boot) times give large negative numbers: use
 * cwmp_datetime_uptime() for them. The fields must be valid (as parsed);
 * NULL gives INT64_MIN.
 * @since 0.1
 */
CWMP_API int64_t cwmp_datetime_to_unix(const struct cwmp_datetime *dt);
/**
 * @brief Fills @p out with the UTC time @p seconds after the Unix epoch plus
 * @p usec microseconds, with 'Z' (frac_digits 0 when usec == 0, else 6).
 * @return 0, or CWMP_ERR_BAD_VALUE when usec > 999999 or the time is outside
 * years 1–9999 (then *out is unchanged).
 * @since 0.1
 */
CWMP_API int cwmp_datetime_from_unix(int64_t seconds, uint32_t usec, struct cwmp_datetime *out);
/** @brief True for the TR-106 Unknown Time 0001-01-01T00:00:00Z (any zero offset). @since 0.1 */
CWMP_API bool cwmp_datetime_is_unknown(const struct cwmp_datetime *dt);
/**
 * @brief True when the value is relative to boot: year < 1000 and not the
 * Unknown Time. TR-106 wants such values untimezoned; values with a zone
 * (which devices send) are treated as relative too.
 * @since 0.1
 */
CWMP_API bool cwmp_datetime_is_relative(const struct cwmp_datetime *dt);
/**
 * @brief Seconds since boot of a relative value (`0001-01-03T03:04:05` →
 * 183845), ignoring any offset and the fraction.
 * @return 0, or CWMP_ERR_BAD_VALUE when @p dt is not relative.
 * @since 0.1
 */
CWMP_API int cwmp_datetime_uptime(const struct cwmp_datetime *dt, int64_t *seconds);

/**
 * @brief Decodes base64 (RFC 4648 alphabet, padding required, XML whitespace
 * anywhere ignored, the unused bits of the last group must be zero as XML
 * Schema's base64Binary requires) into @p out (len*3/4 bytes always suffice).
 * @p out may be NULL (with out_size 0) to validate and measure only.
 * @p out_len (optional) gets the number of decoded bytes.
 * @return 0, CWMP_ERR_BAD_VALUE (syntax) or CWMP_ERR_BUFFER (out too small).
 * @since 0.1
 */
CWMP_API int cwmp_base64_decode(const char *s, size_t len, uint8_t *out, size_t out_size,
                                size_t *out_len);
/**
 * @brief Encodes with padding and no line breaks; needs 4*ceil(n/3)+1 bytes.
 * @return the length, CWMP_ERR_BUFFER when it does not fit, CWMP_ERR_LIMIT
 * when the result would exceed INT_MAX.
 * @since 0.1
 */
CWMP_API int cwmp_base64_encode(const uint8_t *data, size_t n, char *buf, size_t size);
/**
 * @brief Decodes hexBinary (an even number of hex digits, either case; XML
 * whitespace only around it). @p out may be NULL to validate and measure.
 * @return 0, CWMP_ERR_BAD_VALUE or CWMP_ERR_BUFFER.
 * @since 0.1
 */
CWMP_API int cwmp_hex_decode(const char *s, size_t len, uint8_t *out, size_t out_size,
                             size_t *out_len);
/**
 * @brief Encodes as upper-case hexBinary (the canonical form); needs 2n+1
 * bytes. @return the length, CWMP_ERR_BUFFER or CWMP_ERR_LIMIT (> INT_MAX).
 * @since 0.1
 */
CWMP_API int cwmp_hex_encode(const uint8_t *data, size_t n, char *buf, size_t size);

/**
 * @brief Checks that (s, len) is a valid lexical form of type @p t.
 * CWMP_TYPE_STRING/NONE/OTHER accept anything (they are checked for UTF-8
 * by the codec). Returns 0 or CWMP_ERR_BAD_VALUE.
 * @since 0.1
 */
CWMP_API int cwmp_value_check(enum cwmp_type t, const char *s, size_t len);

/* ---- UTF-8 --------------------------------------------------------------- */

/**
 * @brief Length of the longest valid UTF-8 prefix of (s, len) (RFC 3629: no
 * overlongs, no surrogates, nothing above U+10FFFF). Equal to len when valid.
 * @since 0.1
 */
CWMP_API size_t cwmp_utf8_valid_prefix(const char *s, size_t len);

/**
 * @brief Copies (s, len) into (out, size) replacing every byte that is not
 * part of a valid UTF-8 sequence by U+FFFD (EF BF BD). @p out may need up to
 * 3*len+1 bytes. Returns the output length (NUL added), CWMP_ERR_BUFFER if
 * it does not fit. @p replaced (optional) gets the number of replacements.
 * @since 0.1
 */
CWMP_API int cwmp_utf8_sanitize(const char *s, size_t len, char *out, size_t size,
                                size_t *replaced);

/* ---- structs shared by codec, data model and sessions ------------------- */

/** @brief ParameterValueStruct. @since 0.1 */
struct cwmp_param_value {
    const char *name;      /**< full path, ≤ 256 characters */
    const char *value;     /**< text as on the wire (UTF-8, NUL-terminated) */
    enum cwmp_type type;   /**< the xsi:type */
    const char *type_name; /**< the xsi:type text verbatim for CWMP_TYPE_OTHER, else NULL */
};

/** @brief ParameterInfoStruct (GetParameterNamesResponse). @since 0.1 */
struct cwmp_param_info {
    const char *name;
    bool writable;
};

/** @brief ParameterAttributeStruct (GetParameterAttributesResponse). @since 0.1 */
struct cwmp_param_attribute {
    const char *name;
    int notification;               /**< 0 off, 1 passive, 2 active, 3–6 (CWMP 1.4) */
    const char *const *access_list; /**< e.g. "Subscriber" */
    size_t access_list_count;
};

/** @brief SetParameterAttributesStruct. @since 0.1 */
struct cwmp_set_param_attribute {
    const char *name; /**< full or partial path */
    bool notification_change;
    int notification;
    bool access_list_change;
    const char *const *access_list;
    size_t access_list_count;
};

/** @brief One entry of a SetParameterValuesFault list. @since 0.1 */
struct cwmp_param_fault {
    const char *name;
    int code;           /**< 9xxx */
    const char *string; /**< FaultString; NULL = cwmp_fault_string(code) */
};

#ifdef __cplusplus
}
#endif

#endif /* CWMP_TYPES_H */
