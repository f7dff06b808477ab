/*
 * libcwmp - error and fault strings.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <cwmp/error.h>

#include "internal.h"

const char *cwmp_strerror(int error)
{
    switch (error) {
    case CWMP_OK: return "success";
    case CWMP_ERR_NOMEM: return "out of memory";
    case CWMP_ERR_INVALID_ARG: return "invalid argument";
    case CWMP_ERR_PARSE: return "malformed input";
    case CWMP_ERR_LIMIT: return "limit exceeded";
    case CWMP_ERR_NAMESPACE: return "unknown or wrong XML namespace";
    case CWMP_ERR_MISSING_ARG: return "mandatory element or argument missing";
    case CWMP_ERR_BAD_VALUE: return "value does not fit its type or range";
    case CWMP_ERR_STATE: return "operation not allowed in the current state";
    case CWMP_ERR_UNSUPPORTED: return "not supported";
    case CWMP_ERR_NOT_FOUND: return "not found";
    case CWMP_ERR_STRICT: return "deviation from the standard refused (strict mode)";
    case CWMP_ERR_DTD: return "DTD or entity declaration refused";
    case CWMP_ERR_ENCODING: return "invalid character encoding";
    case CWMP_ERR_BUFFER: return "buffer too small";
    case CWMP_ERR_PROTOCOL: return "CWMP protocol violation by the peer";
    case CWMP_ERR_TIMEOUT: return "timed out";
    case CWMP_ERR_IO: return "I/O error";
    case CWMP_ERR_TLS: return "TLS error";
    case CWMP_ERR_AUTH: return "authentication failed";
    case CWMP_ERR_HTTP: return "HTTP protocol error";
    case CWMP_ERR_CLOSED: return "closed";
    case CWMP_ERR_AGAIN: return "would block, try again";
    case CWMP_ERR_STORE: return "application store failed";
    case CWMP_ERR_CALLBACK: return "application callback failed";
    case CWMP_ERR_FAULT: return "peer answered with a fault";
    case CWMP_ERR_INTERNAL: return "internal error";
    default: break;
    }
    if (error > 0)
        return cwmp_fault_string(error);
    return "unknown error";
}

int cwmp_error_is_fatal(int error)
{
    return error == CWMP_ERR_NOMEM || error == CWMP_ERR_INTERNAL;
}

const char *cwmp_fault_string(int code)
{
    switch (code) {
    case 8000: return "Method not supported";
    case 8001: return "Request denied";
    case 8002: return "Internal error";
    case 8003: return "Invalid arguments";
    case 8004: return "Resources exceeded";
    case 8005: return "Retry request";
    case 8006: return "ACS version incompatible";
    case 9000: return "Method not supported";
    case 9001: return "Request denied (no reason specified)";
    case 9002: return "Internal error";
    case 9003: return "Invalid arguments";
    case 9004: return "Resources exceeded";
    case 9005: return "Invalid parameter name";
    case 9006: return "Invalid parameter type";
    case 9007: return "Invalid parameter value";
    case 9008: return "Attempt to set a non-writable parameter";
    case 9009: return "Notification request rejected";
    case 9010: return "File transfer failure";
    case 9011: return "Upload failure";
    case 9012: return "File transfer server authentication failure";
    case 9013: return "Unsupported protocol for file transfer";
    case 9014: return "File transfer failure: unable to join multicast group";
    case 9015: return "File transfer failure: unable to contact file server";
    case 9016: return "File transfer failure: unable to access file";
    case 9017: return "File transfer failure: unable to complete download";
    case 9018: return "File transfer failure: file corrupted or otherwise unusable";
    case 9019: return "File transfer failure: file authentication failure";
    case 9020: return "File transfer failure: unable to complete download within specified time windows";
    case 9021: return "Cancelation of file transfer not permitted in current transfer state";
    case 9022: return "Invalid UUID format";
    case 9023: return "Unknown Execution Environment";
    case 9024: return "Disabled Execution Environment";
    case 9025: return "Deployment Unit to Execution Environment mismatch";
    case 9026: return "Duplicate Deployment Unit";
    case 9027: return "System resources exceeded";
    case 9028: return "Unknown Deployment Unit";
    case 9029: return "Invalid Deployment Unit state";
    case 9030: return "Invalid Deployment Unit update: downgrade not permitted";
    case 9031: return "Invalid Deployment Unit update: version not specified";
    case 9032: return "Invalid Deployment Unit update: version already exists";
    default: break;
    }
    if ((code >= 8800 && code <= 8899) || (code >= 9800 && code <= 9899))
        return "Vendor defined fault";
    return "Unknown fault";
}

int cwmp_fault_is_valid(int code, int acs)
{
    if (acs)
        return (code >= 8000 && code <= 8006) || (code >= 8800 && code <= 8899);
    return code >= 9000 && code <= 9899;
}
