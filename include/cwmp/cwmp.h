/*
 * libcwmp - CWMP (Broadband Forum TR-069) library for CPE and ACS.
 * SPDX-License-Identifier: BSD-2-Clause
 */
/**
 * @file cwmp.h
 * @brief Umbrella header: includes every core header of libcwmp.
 *
 * @section contract The contract
 *
 * **Threading.** libcwmp has no global or static mutable state and starts no
 * thread. An object (decoded envelope, data-model tree, session) MUST be used
 * by one thread at a time; distinct objects MAY be used from distinct threads
 * concurrently. A configuration object MUST NOT be modified once it has been
 * handed to a constructor; it MAY then be shared by any number of objects on
 * any threads.
 *
 * **NULL.** Pointer arguments MUST NOT be NULL unless the documentation of
 * the function says otherwise. Where an allocator pointer is accepted, NULL
 * selects the C library's allocator. Functions that free an object accept
 * NULL and do nothing.
 *
 * **Errors.** Functions that can fail return `int`: `0` on success, a
 * negative `enum cwmp_error` on failure. Functions that answer a CWMP request
 * may return a positive `enum cwmp_fault`. Fatal errors
 * (`cwmp_error_is_fatal()`) are sticky: the object must be freed.
 *
 * **Memory and lifetime.** Every allocation goes through the
 * `struct cwmp_allocator` given to the object. Decoded messages live in one
 * arena and are released by one call; pointers into a decoded message are
 * valid until that call. Data passed to a callback is valid until the
 * callback returns: copy what you keep. Output buffers handed out by the
 * library are valid until the next call on the same object.
 *
 * **Input.** All input is treated as hostile. Every limit (envelope bytes,
 * nesting depth, element count, string length, array entries) is a runtime
 * option with a safe default; exceeding one gives `CWMP_ERR_LIMIT`, never
 * unbounded memory. DTDs and entity declarations are refused.
 *
 * **No I/O in the core.** The codec, the data model and the session engines
 * take bytes and time as arguments and never touch sockets, files or clocks.
 * The optional transport module (`cwmp/transport.h`) provides HTTP and TLS.
 */
#ifndef CWMP_CWMP_H
#define CWMP_CWMP_H

#include <cwmp/common.h>
#include <cwmp/error.h>
#include <cwmp/types.h>
#include <cwmp/rpc.h>
#include <cwmp/envelope.h>
#include <cwmp/datamodel.h>
#include <cwmp/fap.h>
#include <cwmp/session.h>
#include <cwmp/cpe.h>
#include <cwmp/acs.h>

/* The optional transport module (libcwmp-transport, pkg-config
 * cwmp-transport) has its own headers, not included here:
 * <cwmp/transport.h>, <cwmp/http.h>, <cwmp/tls.h>, <cwmp/udpcr.h>. */

#endif /* CWMP_CWMP_H */
