/*
 * libcwmp - CWMP (TR-069) library for CPE and ACS.
 * SPDX-License-Identifier: BSD-2-Clause
 */
/**
 * @file error.h
 * @brief Library error codes and CWMP fault codes.
 *
 * Return values are split by sign: `0` is success, negative values are
 * libcwmp's own errors (`enum cwmp_error`), and positive values, where an
 * API returns them, are CWMP fault codes (`enum cwmp_fault`). A library
 * error such as out-of-memory therefore never reaches the peer disguised
 * as a protocol fault.
 *
 * The numeric values below are part of the ABI: they are never renumbered,
 * new codes are only added.
 */
#ifndef CWMP_ERROR_H
#define CWMP_ERROR_H

#include <cwmp/common.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @brief libcwmp's own error codes (always negative). @since 0.1 */
enum cwmp_error {
    CWMP_OK = 0,                 /**< Success. */
    CWMP_ERR_NOMEM = -1,         /**< An allocation failed. */
    CWMP_ERR_INVALID_ARG = -2,   /**< A caller passed an invalid argument. */
    CWMP_ERR_PARSE = -3,         /**< Input is not well-formed. */
    CWMP_ERR_LIMIT = -4,         /**< A configured limit was exceeded. */
    CWMP_ERR_NAMESPACE = -5,     /**< Unknown or wrong XML namespace. */
    CWMP_ERR_MISSING_ARG = -6,   /**< A mandatory element or argument is missing. */
    CWMP_ERR_BAD_VALUE = -7,     /**< A value does not fit its type or range. */
    CWMP_ERR_STATE = -8,         /**< The call is not allowed in the current state. */
    CWMP_ERR_UNSUPPORTED = -9,   /**< Feature or method not supported. */
    CWMP_ERR_NOT_FOUND = -10,    /**< The named item does not exist. */
    CWMP_ERR_STRICT = -11,       /**< Input deviates from the standard (strict mode). */
    CWMP_ERR_DTD = -12,          /**< A DTD or entity declaration was refused. */
    CWMP_ERR_ENCODING = -13,     /**< Invalid character encoding (e.g. UTF-8). */
    CWMP_ERR_BUFFER = -14,       /**< A caller-provided buffer is too small. */
    CWMP_ERR_PROTOCOL = -15,     /**< The peer broke the CWMP protocol. */
    CWMP_ERR_TIMEOUT = -16,      /**< A deadline passed. */
    CWMP_ERR_IO = -17,           /**< A system I/O call failed (transport only). */
    CWMP_ERR_TLS = -18,          /**< TLS failure (transport only). */
    CWMP_ERR_AUTH = -19,         /**< Authentication failed. */
    CWMP_ERR_HTTP = -20,         /**< HTTP protocol error (transport only). */
    CWMP_ERR_CLOSED = -21,       /**< The connection or session is closed. */
    CWMP_ERR_AGAIN = -22,        /**< Would block; try again later. */
    CWMP_ERR_STORE = -23,        /**< An application store callback failed. */
    CWMP_ERR_CALLBACK = -24,     /**< An application callback returned an error. */
    CWMP_ERR_FAULT = -25,        /**< The peer answered with a SOAP fault. */
    CWMP_ERR_INTERNAL = -26,     /**< A libcwmp bug was detected. */
};

/**
 * @brief Human-readable text for a libcwmp error code.
 *
 * @return a static string; never NULL (unknown codes give a generic text).
 * @since 0.1
 */
CWMP_API const char *cwmp_strerror(int error);

/**
 * @brief Tells whether an error leaves the object that returned it unusable.
 *
 * Fatal errors are sticky: the session or decoder that returned one must be
 * freed. Out-of-memory and internal errors are fatal; input errors are not.
 * @return non-zero when fatal.
 * @since 0.1
 */
CWMP_API int cwmp_error_is_fatal(int error);

/** @brief CWMP fault codes (TR-069 Annex A, A.5.1). @since 0.1 */
enum cwmp_fault {
    /* ACS fault codes */
    CWMP_FAULT_ACS_METHOD_NOT_SUPPORTED = 8000,
    CWMP_FAULT_ACS_REQUEST_DENIED = 8001,
    CWMP_FAULT_ACS_INTERNAL_ERROR = 8002,
    CWMP_FAULT_ACS_INVALID_ARGUMENTS = 8003,
    CWMP_FAULT_ACS_RESOURCES_EXCEEDED = 8004,
    CWMP_FAULT_ACS_RETRY_REQUEST = 8005,
    CWMP_FAULT_ACS_VERSION_INCOMPATIBLE = 8006, /**< CWMP 1.4 */
    /* CPE fault codes */
    CWMP_FAULT_METHOD_NOT_SUPPORTED = 9000,
    CWMP_FAULT_REQUEST_DENIED = 9001,
    CWMP_FAULT_INTERNAL_ERROR = 9002,
    CWMP_FAULT_INVALID_ARGUMENTS = 9003,
    CWMP_FAULT_RESOURCES_EXCEEDED = 9004,
    CWMP_FAULT_INVALID_PARAMETER_NAME = 9005,
    CWMP_FAULT_INVALID_PARAMETER_TYPE = 9006,
    CWMP_FAULT_INVALID_PARAMETER_VALUE = 9007,
    CWMP_FAULT_NON_WRITABLE_PARAMETER = 9008,
    CWMP_FAULT_NOTIFICATION_REJECTED = 9009,
    CWMP_FAULT_DOWNLOAD_FAILURE = 9010,
    CWMP_FAULT_UPLOAD_FAILURE = 9011,
    CWMP_FAULT_FILE_SERVER_AUTH_FAILURE = 9012,
    CWMP_FAULT_UNSUPPORTED_PROTOCOL = 9013,
    CWMP_FAULT_MULTICAST_JOIN_FAILURE = 9014,
    CWMP_FAULT_FILE_SERVER_UNREACHABLE = 9015,
    CWMP_FAULT_FILE_ACCESS_FAILURE = 9016,
    CWMP_FAULT_DOWNLOAD_INCOMPLETE = 9017,
    CWMP_FAULT_FILE_CORRUPTED = 9018,
    CWMP_FAULT_FILE_AUTH_FAILURE = 9019,
    CWMP_FAULT_DOWNLOAD_WINDOW_MISSED = 9020,
    CWMP_FAULT_CANCEL_NOT_PERMITTED = 9021,
    CWMP_FAULT_INVALID_UUID = 9022,
    CWMP_FAULT_UNKNOWN_EE = 9023,
    CWMP_FAULT_DISABLED_EE = 9024,
    CWMP_FAULT_DU_EE_MISMATCH = 9025,
    CWMP_FAULT_DUPLICATE_DU = 9026,
    CWMP_FAULT_SYSTEM_RESOURCES_EXCEEDED = 9027,
    CWMP_FAULT_UNKNOWN_DU = 9028,
    CWMP_FAULT_INVALID_DU_STATE = 9029,
    CWMP_FAULT_DU_DOWNGRADE_NOT_PERMITTED = 9030,
    CWMP_FAULT_DU_VERSION_NOT_SPECIFIED = 9031,
    CWMP_FAULT_DU_VERSION_EXISTS = 9032,
};

/**
 * @brief The standard FaultString for a CWMP fault code.
 *
 * Codes in the vendor ranges (8800-8899, 9800-9899) give "Vendor defined
 * fault"; other unknown codes give "Unknown fault".
 * @return a static string; never NULL.
 * @since 0.1
 */
CWMP_API const char *cwmp_fault_string(int fault_code);

/**
 * @brief Tells whether a number is a valid CWMP fault code for the given
 * side: ACS faults 8000-8006 and 8800-8899; CPE faults 9000-9032,
 * 9033-9799 (future extensions) and 9800-9899.
 * @param acs non-zero to check the ACS range, zero for the CPE range
 * @return non-zero when valid.
 * @since 0.1
 */
CWMP_API int cwmp_fault_is_valid(int fault_code, int acs);

#ifdef __cplusplus
}
#endif

#endif /* CWMP_ERROR_H */
