/*
 * libcwmp - CWMP (TR-069) library for CPE and ACS.
 * SPDX-License-Identifier: BSD-2-Clause
 */
/**
 * @file rpc.h
 * @brief Typed C structs for every CWMP RPC (TR-069 Annex A, CWMP 1.0-1.4),
 * both directions, their responses, the SOAP fault and the SOAP header.
 *
 * These are plain data structs. A decoded message (see envelope.h) points
 * into one arena owned by its `struct cwmp_envelope`; every pointer is valid
 * until cwmp_envelope_free(). To build a message to encode, fill the structs
 * with pointers to your own data (nothing is copied or freed by the encoder).
 *
 * Conventions:
 * - Strings are NUL-terminated UTF-8. Decoded strings are never NULL for
 *   mandatory elements; optional elements that were absent are NULL.
 * - Arrays are a pointer plus a `_count`; a count of 0 may come with NULL.
 * - dateTime values are kept as their xsd:dateTime text (e.g.
 *   "2026-11-22T15:00:00Z"); parse them with cwmp_datetime_parse().
 * - Messages without arguments (GetRPCMethods request, FactoryReset, most
 *   empty responses, ...) have no struct: `method` and `kind` say it all.
 */
#ifndef CWMP_RPC_H
#define CWMP_RPC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cwmp/common.h>
#include <cwmp/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @brief Every CWMP method, both directions. A request and its response
 * share the method value; `struct cwmp_rpc::kind` tells them apart.
 *
 * The numeric values are part of the ABI and never renumbered.
 * @since 0.1
 */
enum cwmp_method {
    CWMP_METHOD_UNKNOWN = 0, /**< none (e.g. a decoded SOAP fault) */
    /* Methods the CPE implements (called by the ACS). */
    CWMP_METHOD_GET_RPC_METHODS = 1,          /**< GetRPCMethods (both directions) */
    CWMP_METHOD_SET_PARAMETER_VALUES = 2,     /**< SetParameterValues */
    CWMP_METHOD_GET_PARAMETER_VALUES = 3,     /**< GetParameterValues */
    CWMP_METHOD_GET_PARAMETER_NAMES = 4,      /**< GetParameterNames */
    CWMP_METHOD_SET_PARAMETER_ATTRIBUTES = 5, /**< SetParameterAttributes */
    CWMP_METHOD_GET_PARAMETER_ATTRIBUTES = 6, /**< GetParameterAttributes */
    CWMP_METHOD_ADD_OBJECT = 7,               /**< AddObject */
    CWMP_METHOD_DELETE_OBJECT = 8,            /**< DeleteObject */
    CWMP_METHOD_REBOOT = 9,                   /**< Reboot */
    CWMP_METHOD_DOWNLOAD = 10,                /**< Download */
    CWMP_METHOD_UPLOAD = 11,                  /**< Upload */
    CWMP_METHOD_FACTORY_RESET = 12,           /**< FactoryReset */
    CWMP_METHOD_GET_QUEUED_TRANSFERS = 13,    /**< GetQueuedTransfers */
    CWMP_METHOD_GET_ALL_QUEUED_TRANSFERS = 14, /**< GetAllQueuedTransfers (CWMP 1.1) */
    CWMP_METHOD_SCHEDULE_INFORM = 15,         /**< ScheduleInform */
    CWMP_METHOD_SET_VOUCHERS = 16,            /**< SetVouchers */
    CWMP_METHOD_GET_OPTIONS = 17,             /**< GetOptions */
    CWMP_METHOD_SCHEDULE_DOWNLOAD = 18,       /**< ScheduleDownload (CWMP 1.2) */
    CWMP_METHOD_CANCEL_TRANSFER = 19,         /**< CancelTransfer (CWMP 1.2) */
    CWMP_METHOD_CHANGE_DU_STATE = 20,         /**< ChangeDUState (CWMP 1.2) */
    /* Methods the ACS implements (called by the CPE). */
    CWMP_METHOD_INFORM = 21,                        /**< Inform */
    CWMP_METHOD_TRANSFER_COMPLETE = 22,             /**< TransferComplete */
    CWMP_METHOD_AUTONOMOUS_TRANSFER_COMPLETE = 23,  /**< AutonomousTransferComplete (1.1) */
    CWMP_METHOD_REQUEST_DOWNLOAD = 24,              /**< RequestDownload */
    CWMP_METHOD_KICKED = 25,                        /**< Kicked */
    CWMP_METHOD_DU_STATE_CHANGE_COMPLETE = 26,      /**< DUStateChangeComplete (1.2) */
    CWMP_METHOD_AUTONOMOUS_DU_STATE_CHANGE_COMPLETE = 27, /**< AutonomousDUStateChangeComplete (1.2) */
    /** A vendor method `X_<OUI>_<name>`, passed through as raw XML. */
    CWMP_METHOD_VENDOR = 28,
};

/** @brief Number of values of enum cwmp_method (for tables). @since 0.1 */
#define CWMP_METHOD_COUNT 29

/**
 * @brief The method name as on the wire ("Inform", "GetParameterValues", ...).
 * @return a static string; "" for CWMP_METHOD_UNKNOWN and
 *         CWMP_METHOD_VENDOR (whose name is in the message), "?" when out of
 *         range. Never NULL.
 * @since 0.1
 */
CWMP_API const char *cwmp_method_name(enum cwmp_method m);

/**
 * @brief Maps a method name (without namespace prefix, without the
 * "Response" suffix) to the enum.
 * @param name  the name; need not be NUL-terminated
 * @param len   its length in bytes
 * @return the method; CWMP_METHOD_VENDOR for names starting with "X_",
 *         CWMP_METHOD_UNKNOWN for anything else.
 * @since 0.1
 */
CWMP_API enum cwmp_method cwmp_method_from_name(const char *name, size_t len);

/**
 * @brief The first CWMP version whose schema defines the method
 * (CWMP_V1_0, CWMP_V1_1 or CWMP_V1_2).
 * @since 0.1
 */
CWMP_API enum cwmp_version cwmp_method_min_version(enum cwmp_method m);

/**
 * @brief Tells whether the method is one the CPE implements (called by the
 * ACS). GetRPCMethods is implemented by both sides and gives true.
 * @since 0.1
 */
CWMP_API bool cwmp_method_is_cpe_method(enum cwmp_method m);

/** @brief What a `struct cwmp_rpc` carries. @since 0.1 */
enum cwmp_rpc_kind {
    CWMP_RPC_REQUEST = 0,  /**< a method call, e.g. `cwmp:Inform` */
    CWMP_RPC_RESPONSE = 1, /**< its response, e.g. `cwmp:InformResponse` */
    CWMP_RPC_FAULT = 2,    /**< a SOAP Fault carrying a cwmp:Fault */
};

/* ---- building blocks ----------------------------------------------------- */

/** @brief DeviceIdStruct (Inform). @since 0.1 */
struct cwmp_device_id {
    const char *manufacturer;  /**< ≤ 64 */
    const char *oui;           /**< exactly 6 upper-case hex digits */
    const char *product_class; /**< ≤ 64 */
    const char *serial_number; /**< ≤ 64 */
};

/** @brief EventStruct (Inform). @since 0.1 */
struct cwmp_event {
    const char *code;        /**< EventCode, e.g. "0 BOOTSTRAP", "M Reboot"; ≤ 64 */
    const char *command_key; /**< CommandKey; ≤ 32, may be "" */
};

/** @brief FaultStruct of TransferComplete / AutonomousTransferComplete. @since 0.1 */
struct cwmp_transfer_fault {
    uint32_t code;      /**< 0 = success, else a 9xxx fault code */
    const char *string; /**< FaultString, ≤ 256; "" on success */
};

/** @brief QueuedTransferStruct (GetQueuedTransfersResponse). @since 0.1 */
struct cwmp_queued_transfer {
    const char *command_key; /**< ≤ 32 */
    int state;               /**< 1 not yet started, 2 in progress, 3 completed */
};

/** @brief AllQueuedTransferStruct (GetAllQueuedTransfersResponse). @since 0.1 */
struct cwmp_all_queued_transfer {
    const char *command_key;      /**< ≤ 32 */
    int state;                    /**< 1, 2 or 3 */
    bool is_download;             /**< IsDownload */
    const char *file_type;        /**< ≤ 64 */
    uint32_t file_size;           /**< FileSize */
    const char *target_file_name; /**< ≤ 256 */
};

/** @brief OptionStruct (GetOptionsResponse). @since 0.1 */
struct cwmp_option {
    const char *option_name;     /**< ≤ 64 */
    uint32_t voucher_sn;         /**< VoucherSN */
    uint32_t state;              /**< 0..3 */
    int mode;                    /**< 0..2 */
    const char *start_date;      /**< dateTime */
    const char *expiration_date; /**< dateTime, optional (NULL when absent) */
    int is_transferable;         /**< 0 or 1 */
};

/** @brief TimeWindowStruct (ScheduleDownload). @since 0.1 */
struct cwmp_time_window {
    uint32_t window_start;    /**< seconds from the request */
    uint32_t window_end;      /**< seconds from the request */
    const char *window_mode;  /**< "1 At Any Time", "2 Immediately", ...; ≤ 64 */
    const char *user_message; /**< ≤ 256 */
    int32_t max_retries;      /**< -1 = CPE's choice */
};

/** @brief ArgStruct (RequestDownload FileTypeArg). @since 0.1 */
struct cwmp_arg {
    const char *name;  /**< ≤ 64 */
    const char *value; /**< ≤ 256 */
};

/** @brief Kind of a ChangeDUState operation (its `xsi:type`). @since 0.1 */
enum cwmp_du_op_type {
    CWMP_DU_OP_INSTALL = 0,   /**< cwmp:InstallOpStruct */
    CWMP_DU_OP_UPDATE = 1,    /**< cwmp:UpdateOpStruct */
    CWMP_DU_OP_UNINSTALL = 2, /**< cwmp:UninstallOpStruct */
};

/**
 * @brief One ChangeDUState operation. Which members are used depends on
 * @ref type (unused ones are NULL):
 * Install: url (mandatory), uuid, username, password, execution_env_ref;
 * Update: uuid, version, url, username, password;
 * Uninstall: uuid (mandatory), version, execution_env_ref.
 * @since 0.1
 */
struct cwmp_du_operation {
    enum cwmp_du_op_type type;
    const char *url;               /**< ≤ 1024 */
    const char *uuid;              /**< DU UUID (8-4-4-4-12 hex) */
    const char *username;          /**< ≤ 256 */
    const char *password;          /**< ≤ 256 */
    const char *execution_env_ref; /**< ≤ 256 */
    const char *version;           /**< ≤ 32 */
};

/** @brief DeploymentUnitFaultStruct. @since 0.1 */
struct cwmp_du_fault {
    uint32_t code;      /**< 0 = success */
    const char *string; /**< optional (NULL when absent) */
};

/**
 * @brief OpResultStruct (DUStateChangeComplete) and AutonOpResultStruct
 * (AutonomousDUStateChangeComplete, which adds operation_performed).
 * @since 0.1
 */
struct cwmp_du_result {
    const char *uuid;
    const char *deployment_unit_ref;
    const char *version;       /**< ≤ 32 */
    const char *current_state; /**< "Installed", "Uninstalled" or "Failed" */
    bool resolved;
    const char *execution_unit_ref_list;
    const char *start_time;    /**< dateTime */
    const char *complete_time; /**< dateTime */
    struct cwmp_du_fault fault;
    /** "Install", "Update", "Uninstall" (autonomous results only, else NULL) */
    const char *operation_performed;
};

/* ---- CPE methods: requests and responses --------------------------------- */

/** @brief GetRPCMethodsResponse (both directions). @since 0.1 */
struct cwmp_get_rpc_methods_response {
    const char *const *methods; /**< MethodList, each ≤ 64 */
    size_t method_count;
};

/** @brief SetParameterValues. @since 0.1 */
struct cwmp_set_parameter_values {
    const struct cwmp_param_value *params; /**< ParameterList */
    size_t param_count;
    const char *parameter_key; /**< ≤ 32, may be "" */
};

/** @brief SetParameterValuesResponse. @since 0.1 */
struct cwmp_set_parameter_values_response {
    int status; /**< 0 applied, 1 applied and committed later */
};

/** @brief GetParameterValues and GetParameterAttributes (ParameterNames). @since 0.1 */
struct cwmp_parameter_names {
    const char *const *names; /**< full or partial paths, each ≤ 256 */
    size_t name_count;
};

/** @brief GetParameterValuesResponse. @since 0.1 */
struct cwmp_get_parameter_values_response {
    const struct cwmp_param_value *params;
    size_t param_count;
};

/** @brief GetParameterNames. @since 0.1 */
struct cwmp_get_parameter_names {
    const char *parameter_path; /**< ≤ 256, may be "" */
    bool next_level;
};

/** @brief GetParameterNamesResponse. @since 0.1 */
struct cwmp_get_parameter_names_response {
    const struct cwmp_param_info *params;
    size_t param_count;
};

/** @brief SetParameterAttributes. @since 0.1 */
struct cwmp_set_parameter_attributes {
    const struct cwmp_set_param_attribute *params;
    size_t param_count;
};

/** @brief GetParameterAttributesResponse. @since 0.1 */
struct cwmp_get_parameter_attributes_response {
    const struct cwmp_param_attribute *params;
    size_t param_count;
};

/** @brief AddObject and DeleteObject. @since 0.1 */
struct cwmp_object_request {
    const char *object_name;   /**< ends with '.', ≤ 256 */
    const char *parameter_key; /**< ≤ 32 */
};

/** @brief AddObjectResponse. @since 0.1 */
struct cwmp_add_object_response {
    uint32_t instance_number; /**< ≥ 1 */
    int status;               /**< 0 or 1 */
};

/** @brief DeleteObjectResponse. @since 0.1 */
struct cwmp_delete_object_response {
    int status; /**< 0 or 1 */
};

/** @brief Reboot, CancelTransfer (just a CommandKey). @since 0.1 */
struct cwmp_command_key_request {
    const char *command_key; /**< ≤ 32 */
};

/** @brief Download. @since 0.1 */
struct cwmp_download {
    const char *command_key;      /**< ≤ 32 */
    const char *file_type;        /**< e.g. "1 Firmware Upgrade Image"; ≤ 64 */
    const char *url;              /**< ≤ 256 */
    const char *username;         /**< ≤ 256 */
    const char *password;         /**< ≤ 256 */
    uint32_t file_size;           /**< 0 = unknown */
    const char *target_file_name; /**< ≤ 256 */
    uint32_t delay_seconds;
    const char *success_url; /**< ≤ 256 */
    const char *failure_url; /**< ≤ 256 */
};

/** @brief DownloadResponse and UploadResponse. @since 0.1 */
struct cwmp_transfer_response {
    int status;                /**< 0 completed, 1 not yet completed */
    const char *start_time;    /**< dateTime (Unknown Time when status is 1) */
    const char *complete_time; /**< dateTime */
};

/** @brief Upload. @since 0.1 */
struct cwmp_upload {
    const char *command_key; /**< ≤ 32 */
    const char *file_type;   /**< e.g. "1 Vendor Configuration File"; ≤ 64 */
    const char *url;         /**< ≤ 256 */
    const char *username;    /**< ≤ 256 */
    const char *password;    /**< ≤ 256 */
    uint32_t delay_seconds;
};

/** @brief GetQueuedTransfersResponse. @since 0.1 */
struct cwmp_get_queued_transfers_response {
    const struct cwmp_queued_transfer *transfers; /**< at most 16 */
    size_t transfer_count;
};

/** @brief GetAllQueuedTransfersResponse. @since 0.1 */
struct cwmp_get_all_queued_transfers_response {
    const struct cwmp_all_queued_transfer *transfers; /**< at most 16 */
    size_t transfer_count;
};

/** @brief ScheduleInform. @since 0.1 */
struct cwmp_schedule_inform {
    uint32_t delay_seconds;
    const char *command_key; /**< ≤ 32 */
};

/** @brief SetVouchers. @since 0.1 */
struct cwmp_set_vouchers {
    const char *const *vouchers; /**< base64 text of each signed voucher */
    size_t voucher_count;
};

/** @brief GetOptions. @since 0.1 */
struct cwmp_get_options {
    const char *option_name; /**< ≤ 64, "" = all */
};

/** @brief GetOptionsResponse. @since 0.1 */
struct cwmp_get_options_response {
    const struct cwmp_option *options;
    size_t option_count;
};

/** @brief ScheduleDownload (CWMP 1.2). @since 0.1 */
struct cwmp_schedule_download {
    const char *command_key;      /**< ≤ 32 */
    const char *file_type;        /**< ≤ 64 */
    const char *url;              /**< ≤ 256 */
    const char *username;         /**< ≤ 256 */
    const char *password;         /**< ≤ 256 */
    uint32_t file_size;
    const char *target_file_name; /**< ≤ 256 */
    const struct cwmp_time_window *windows; /**< 1 or 2 */
    size_t window_count;
};

/** @brief ChangeDUState (CWMP 1.2). @since 0.1 */
struct cwmp_change_du_state {
    const struct cwmp_du_operation *operations; /**< at least 1 */
    size_t operation_count;
    const char *command_key; /**< optional (NULL when absent), ≤ 32 */
};

/* ---- ACS methods: requests and responses --------------------------------- */

/** @brief Inform. @since 0.1 */
struct cwmp_inform {
    struct cwmp_device_id device_id;
    const struct cwmp_event *events; /**< at most 64 */
    size_t event_count;
    uint32_t max_envelopes;   /**< always 1 in practice */
    const char *current_time; /**< dateTime */
    uint32_t retry_count;
    const struct cwmp_param_value *params; /**< ParameterList */
    size_t param_count;
};

/** @brief InformResponse. @since 0.1 */
struct cwmp_inform_response {
    uint32_t max_envelopes;
};

/** @brief TransferComplete. @since 0.1 */
struct cwmp_transfer_complete {
    const char *command_key; /**< ≤ 32 */
    struct cwmp_transfer_fault fault;
    const char *start_time;    /**< dateTime */
    const char *complete_time; /**< dateTime */
};

/** @brief AutonomousTransferComplete (CWMP 1.1). @since 0.1 */
struct cwmp_autonomous_transfer_complete {
    const char *announce_url; /**< ≤ 1024 */
    const char *transfer_url; /**< ≤ 1024 */
    bool is_download;
    const char *file_type; /**< ≤ 64 */
    uint32_t file_size;
    const char *target_file_name; /**< ≤ 256 */
    struct cwmp_transfer_fault fault;
    const char *start_time;    /**< dateTime */
    const char *complete_time; /**< dateTime */
};

/** @brief RequestDownload. @since 0.1 */
struct cwmp_request_download {
    const char *file_type;      /**< ≤ 64 */
    const struct cwmp_arg *args; /**< FileTypeArg, at most 16 */
    size_t arg_count;
};

/** @brief Kicked. @since 0.1 */
struct cwmp_kicked {
    const char *command; /**< ≤ 32 */
    const char *referer; /**< ≤ 64 */
    const char *arg;     /**< ≤ 256 */
    const char *next;    /**< ≤ 1024 */
};

/** @brief KickedResponse. @since 0.1 */
struct cwmp_kicked_response {
    const char *next_url; /**< ≤ 1024 */
};

/**
 * @brief DUStateChangeComplete (CWMP 1.2) and AutonomousDUStateChangeComplete
 * (which has no CommandKey; results carry operation_performed).
 * @since 0.1
 */
struct cwmp_du_state_change_complete {
    const struct cwmp_du_result *results; /**< at least 1 */
    size_t result_count;
    const char *command_key; /**< optional (NULL when absent); not autonomous */
};

/* ---- SOAP fault and vendor methods --------------------------------------- */

/**
 * @brief A SOAP Fault carrying a cwmp:Fault (TR-069 A.5.1).
 * @since 0.1
 */
struct cwmp_fault_message {
    /** SOAP faultcode local part: "Client" or "Server". On encode NULL picks
     *  "Server" for 8002/9002 and "Client" otherwise. */
    const char *soap_faultcode;
    /** SOAP faultstring; on encode NULL gives "CWMP fault". */
    const char *soap_faultstring;
    /** cwmp FaultCode (8000-8899, 9000-9899); 0 when a lenient decode met a
     *  plain SOAP fault without cwmp:Fault (see CWMP_WARN_FAULT_WITHOUT_DETAIL) */
    uint32_t code;
    const char *string; /**< cwmp FaultString; on encode NULL = cwmp_fault_string(code) */
    /** SetParameterValuesFault entries (SetParameterValues faults only). */
    const struct cwmp_param_fault *param_faults;
    size_t param_fault_count;
};

/**
 * @brief A vendor-specific method (`X_<OUI>_<name>`, TR-069 A.3.1),
 * request or response, passed through as XML.
 *
 * On decode @ref xml is the inner XML of the method element re-serialised
 * by libcwmp (elements, attributes, text with XML escaping; comments
 * dropped; namespace declarations kept where they appear inside it, but
 * prefixes declared on the Envelope or the method element are not carried
 * over). On encode it is written verbatim between the method tags, inside
 * an envelope that declares the prefixes SOAP-ENV, SOAP-ENC, xsd, xsi and
 * cwmp, so it MUST be well-formed.
 * @since 0.1
 */
struct cwmp_vendor_method {
    const char *name;      /**< full element local name, e.g. "X_00D09E_Frob" */
    const char *ns;        /**< namespace URI; NULL = the CWMP namespace */
    const char *xml;       /**< inner XML, NUL-terminated ("" when empty) */
    size_t xml_len;        /**< strlen(xml) */
};

/**
 * @brief One CWMP message body: a request, a response or a fault.
 *
 * `method` + `kind` select which member of `u` is meaningful. Messages
 * without arguments use no member. Mapping:
 * | method | request | response |
 * |---|---|---|
 * | GET_RPC_METHODS | - | get_rpc_methods_response |
 * | SET_PARAMETER_VALUES | set_parameter_values | set_parameter_values_response |
 * | GET_PARAMETER_VALUES | get_parameter_values | get_parameter_values_response |
 * | GET_PARAMETER_NAMES | get_parameter_names | get_parameter_names_response |
 * | SET_PARAMETER_ATTRIBUTES | set_parameter_attributes | - |
 * | GET_PARAMETER_ATTRIBUTES | get_parameter_attributes | get_parameter_attributes_response |
 * | ADD_OBJECT | add_object | add_object_response |
 * | DELETE_OBJECT | delete_object | delete_object_response |
 * | REBOOT | reboot | - |
 * | DOWNLOAD | download | download_response |
 * | UPLOAD | upload | upload_response |
 * | FACTORY_RESET | - | - |
 * | GET_QUEUED_TRANSFERS | - | get_queued_transfers_response |
 * | GET_ALL_QUEUED_TRANSFERS | - | get_all_queued_transfers_response |
 * | SCHEDULE_INFORM | schedule_inform | - |
 * | SET_VOUCHERS | set_vouchers | - |
 * | GET_OPTIONS | get_options | get_options_response |
 * | SCHEDULE_DOWNLOAD | schedule_download | - |
 * | CANCEL_TRANSFER | cancel_transfer | - |
 * | CHANGE_DU_STATE | change_du_state | - |
 * | INFORM | inform | inform_response |
 * | TRANSFER_COMPLETE | transfer_complete | - |
 * | AUTONOMOUS_TRANSFER_COMPLETE | autonomous_transfer_complete | - |
 * | REQUEST_DOWNLOAD | request_download | - |
 * | KICKED | kicked | kicked_response |
 * | DU_STATE_CHANGE_COMPLETE | du_state_change_complete | - |
 * | AUTONOMOUS_DU_STATE_CHANGE_COMPLETE | du_state_change_complete | - |
 * | VENDOR | vendor | vendor |
 * Faults (kind CWMP_RPC_FAULT, method CWMP_METHOD_UNKNOWN on decode) use `fault`.
 * @since 0.1
 */
struct cwmp_rpc {
    enum cwmp_method method;
    enum cwmp_rpc_kind kind;
    union {
        struct cwmp_get_rpc_methods_response get_rpc_methods_response;
        struct cwmp_set_parameter_values set_parameter_values;
        struct cwmp_set_parameter_values_response set_parameter_values_response;
        struct cwmp_parameter_names get_parameter_values;
        struct cwmp_get_parameter_values_response get_parameter_values_response;
        struct cwmp_get_parameter_names get_parameter_names;
        struct cwmp_get_parameter_names_response get_parameter_names_response;
        struct cwmp_set_parameter_attributes set_parameter_attributes;
        struct cwmp_parameter_names get_parameter_attributes;
        struct cwmp_get_parameter_attributes_response get_parameter_attributes_response;
        struct cwmp_object_request add_object;
        struct cwmp_add_object_response add_object_response;
        struct cwmp_object_request delete_object;
        struct cwmp_delete_object_response delete_object_response;
        struct cwmp_command_key_request reboot;
        struct cwmp_download download;
        struct cwmp_transfer_response download_response;
        struct cwmp_upload upload;
        struct cwmp_transfer_response upload_response;
        struct cwmp_get_queued_transfers_response get_queued_transfers_response;
        struct cwmp_get_all_queued_transfers_response get_all_queued_transfers_response;
        struct cwmp_schedule_inform schedule_inform;
        struct cwmp_set_vouchers set_vouchers;
        struct cwmp_get_options get_options;
        struct cwmp_get_options_response get_options_response;
        struct cwmp_schedule_download schedule_download;
        struct cwmp_command_key_request cancel_transfer;
        struct cwmp_change_du_state change_du_state;
        struct cwmp_inform inform;
        struct cwmp_inform_response inform_response;
        struct cwmp_transfer_complete transfer_complete;
        struct cwmp_autonomous_transfer_complete autonomous_transfer_complete;
        struct cwmp_request_download request_download;
        struct cwmp_kicked kicked;
        struct cwmp_kicked_response kicked_response;
        struct cwmp_du_state_change_complete du_state_change_complete;
        struct cwmp_fault_message fault;
        struct cwmp_vendor_method vendor;
    } u;
};

/**
 * @brief The CWMP SOAP header (TR-069 A.4.1; 1.3 SessionTimeout; 1.4
 * SupportedCWMPVersions / UseCWMPVersion). Absent elements are NULL / false.
 * @since 0.1
 */
struct cwmp_header {
    /** cwmp:ID; NULL = no ID header. Encoded with mustUnderstand="1". */
    const char *id;
    /** Decode only: the ID carried mustUnderstand="1" (ignored on encode). */
    bool id_must_understand;
    bool has_hold_requests; /**< a HoldRequests header is present */
    bool hold_requests;     /**< its value (encoded with mustUnderstand="1") */
    /** NoMoreRequests (deprecated since 1.1; encoded only when true). */
    bool no_more_requests;
    bool has_session_timeout; /**< SessionTimeout (CWMP 1.3) is present */
    uint32_t session_timeout; /**< seconds */
    /** SupportedCWMPVersions (1.4), e.g. "1.0,1.1,1.2,1.3,1.4"; NULL = absent */
    const char *supported_cwmp_versions;
    /** UseCWMPVersion (1.4), e.g. "1.4"; NULL = absent */
    const char *use_cwmp_version;
};

/**
 * @brief Deep copy of an RPC into one new arena.
 *
 * @param src the message (e.g. `&env->rpc` of a decoded envelope)
 * @param alloc allocator for the copy; NULL = C library
 * @param out receives the copy; free it with cwmp_rpc_free()
 * @return 0, CWMP_ERR_NOMEM (nothing allocated), or CWMP_ERR_INVALID_ARG
 * @since 0.1
 */
CWMP_API int cwmp_rpc_dup(const struct cwmp_rpc *src, const struct cwmp_allocator *alloc,
                          struct cwmp_rpc **out);

/**
 * @brief Frees an RPC returned by cwmp_rpc_dup() (one call, everything).
 * NULL is accepted. Never call it on a struct you built yourself or on
 * `&env->rpc`.
 * @since 0.1
 */
CWMP_API void cwmp_rpc_free(struct cwmp_rpc *rpc);

#ifdef __cplusplus
}
#endif

#endif /* CWMP_RPC_H */
