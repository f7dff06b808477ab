/*
 * libcwmp - CWMP (TR-069) library for CPE and ACS.
 * SPDX-License-Identifier: BSD-2-Clause
 */
/**
 * @file common.h
 * @brief Export macro, version macros, the allocator interface and the log hook.
 *
 * Every other public header includes this one.
 */
#ifndef CWMP_COMMON_H
#define CWMP_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32) && defined(CWMP_BUILDING_LIBRARY)
#define CWMP_API __declspec(dllexport)
#elif defined(__GNUC__)
/** Marks a symbol as part of the public ABI. Everything else is hidden. */
#define CWMP_API __attribute__((visibility("default")))
#else
#define CWMP_API
#endif

/** @brief Major version of the headers. @since 0.1 */
#define CWMP_VERSION_MAJOR 0
/** @brief Minor version of the headers. @since 0.1 */
#define CWMP_VERSION_MINOR 1
/** @brief Patch version of the headers. @since 0.1 */
#define CWMP_VERSION_PATCH 0
/** @brief The header version as one number, 0xMMmmpp. @since 0.1 */
#define CWMP_VERSION_NUM                                                      \
    ((CWMP_VERSION_MAJOR << 16) | (CWMP_VERSION_MINOR << 8) | CWMP_VERSION_PATCH)
/** @brief True when the headers are at least version x.y.z. @since 0.1 */
#define CWMP_AT_LEAST_VERSION(x, y, z)                                        \
    (CWMP_VERSION_NUM >= (((x) << 16) | ((y) << 8) | (z)))

/**
 * @brief Version of the library actually linked, as "x.y.z". Never NULL.
 * @since 0.1
 */
CWMP_API const char *cwmp_version(void);

/**
 * @brief Memory allocator used by every libcwmp object.
 *
 * Passed by pointer to constructors and codec calls; libcwmp never uses a
 * process-global allocation hook. A NULL `const struct cwmp_allocator *`
 * everywhere means the C library's malloc/realloc/free.
 *
 * The functions follow the C library contracts with an extra user pointer:
 * `malloc` returns NULL on failure; `realloc(NULL, n)` behaves as `malloc`;
 * `free(NULL)` does nothing. libcwmp never asks for 0 bytes.
 *
 * The structure must stay valid and unchanged for as long as any object
 * created with it lives.
 * @since 0.1
 */
struct cwmp_allocator {
    void *(*malloc)(size_t size, void *user_data);
    void *(*realloc)(void *ptr, size_t size, void *user_data);
    void (*free)(void *ptr, void *user_data);
    void *user_data; /**< Passed back to each function unchanged. */
};

/**
 * @brief The allocator libcwmp uses when given NULL (the C library's).
 *
 * Returns a pointer to immutable static data; never NULL.
 * @since 0.1
 */
CWMP_API const struct cwmp_allocator *cwmp_default_allocator(void);

/** @brief Severity of a log line. @since 0.1 */
enum cwmp_log_level {
    CWMP_LOG_ERROR = 0,
    CWMP_LOG_WARNING = 1,
    CWMP_LOG_INFO = 2,
    CWMP_LOG_DEBUG = 3,
};

/**
 * @brief Log hook. libcwmp never prints; objects that have something to
 * say call this hook when one is configured.
 *
 * @param level    severity
 * @param message  NUL-terminated text without a trailing newline, valid
 *                 only during the call
 * @param user_data the pointer registered with the hook
 * @since 0.1
 */
typedef void (*cwmp_log_fn)(enum cwmp_log_level level, const char *message,
                            void *user_data);

/**
 * @brief Time in milliseconds, as passed in by the caller. libcwmp never
 * reads a clock. Any monotonic origin works for timers; wall-clock values
 * (for CurrentTime, PeriodicInformTime) are milliseconds since the Unix
 * epoch.
 * @since 0.1
 */
typedef int64_t cwmp_time_ms;

#ifdef __cplusplus
}
#endif

#endif /* CWMP_COMMON_H */
