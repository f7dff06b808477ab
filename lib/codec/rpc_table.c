/*
 * libcwmp - the message descriptors: one table entry per CWMP message
 * (request, response, fault), each pointing at field descriptors (element
 * name, kind, offset, schema length, array items). Decode, encode, print and
 * dup are all driven by these tables.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stddef.h>

#include "codec_internal.h"

#define NM(n)     .name = n, .name_len = (uint8_t) (sizeof(n) - 1)
#define OFF(T, m) ((uint16_t) offsetof(T, m))

#define STR(n, T, m, ml, fl)                                                                       \
    {                                                                                              \
        NM(n), .kind = FK_STR, .flags = (fl), .max_len = (ml), .off = OFF(T, m)                    \
    }
#define DT(n, T, m, fl)                                                                            \
    {                                                                                              \
        NM(n), .kind = FK_DATETIME, .flags = (fl) | FL_TRIM, .off = OFF(T, m)                      \
    }
#define UINT(n, T, m, fl)                                                                          \
    {                                                                                              \
        NM(n), .kind = FK_UINT, .flags = (fl) | FL_TRIM, .off = OFF(T, m)                          \
    }
#define UINTR(n, T, m, lo, hi)                                                                     \
    {                                                                                              \
        NM(n), .kind = FK_UINT, .flags = FL_REQ | FL_TRIM | FL_RANGE, .off = OFF(T, m),            \
               .min = (lo), .max = (hi)                                                            \
    }
#define INT(n, T, m, fl)                                                                           \
    {                                                                                              \
        NM(n), .kind = FK_INT, .flags = (fl) | FL_TRIM, .off = OFF(T, m)                           \
    }
#define INTR(n, T, m, lo, hi)                                                                      \
    {                                                                                              \
        NM(n), .kind = FK_INT, .flags = FL_REQ | FL_TRIM | FL_RANGE, .off = OFF(T, m),             \
               .min = (lo), .max = (hi)                                                            \
    }
#define BOOL(n, T, m, fl)                                                                          \
    {                                                                                              \
        NM(n), .kind = FK_BOOL, .flags = (fl) | FL_TRIM, .off = OFF(T, m)                          \
    }
#define STRUCT(n, T, m, sd, fl)                                                                    \
    {                                                                                              \
        NM(n), .kind = FK_STRUCT, .flags = (fl), .off = OFF(T, m), .sub = (sd)                     \
    }
#define ARRAY(n, T, m, cnt, it, isz, at, fl, mx)                                                   \
    {                                                                                              \
        NM(n), .kind = FK_ARRAY, .flags = (fl), .off = OFF(T, m), .off2 = OFF(T, cnt),             \
               .item = (it), .item_size = (uint16_t) (isz), .array_type = (at), .max_items = (mx)  \
    }
#define REPEAT(n, T, m, cnt, it, isz, fl)                                                          \
    {                                                                                              \
        NM(n), .kind = FK_REPEAT, .flags = (fl), .off = OFF(T, m), .off2 = OFF(T, cnt),            \
               .item = (it), .item_size = (uint16_t) (isz)                                         \
    }
#define SDESC(var, nm, arr)                                                                        \
    static const struct cwmp__sdesc var = {                                                        \
        .name = nm, .fields = arr, .nfields = CWMP_ARRAY_SIZE(arr)}

#define R FL_REQ

/* ---- array items --------------------------------------------------------- */

static const struct cwmp__field item_name256 = {NM("string"), .kind = FK_STR,
                                                .flags = FL_REQ | FL_TRIM, .max_len = 256};
static const struct cwmp__field item_method = {NM("string"), .kind = FK_STR,
                                               .flags = FL_REQ | FL_TRIM, .max_len = 64};
static const struct cwmp__field item_access = {NM("string"), .kind = FK_STR,
                                               .flags = FL_REQ | FL_TRIM, .max_len = 64};
static const struct cwmp__field item_voucher = {NM("base64"), .kind = FK_BASE64, .flags = FL_REQ};

/* ParameterValueStruct */
static const struct cwmp__field pvs_fields[] = {
    STR("Name", struct cwmp_param_value, name, 256, R | FL_TRIM),
    {NM("Value"), .kind = FK_PVALUE, .flags = R, .off = OFF(struct cwmp_param_value, value),
     .off2 = OFF(struct cwmp_param_value, type), .off3 = OFF(struct cwmp_param_value, type_name)},
};
SDESC(pvs_desc, "ParameterValueStruct", pvs_fields);
static const struct cwmp__field item_pvs = {NM("ParameterValueStruct"), .kind = FK_STRUCT,
                                            .flags = R, .sub = &pvs_desc};

#define PARAM_LIST(T, m, cnt)                                                                      \
    ARRAY("ParameterList", T, m, cnt, &item_pvs, sizeof(struct cwmp_param_value),                  \
          "cwmp:ParameterValueStruct", R, 0)
#define PARAM_NAMES(T)                                                                             \
    ARRAY("ParameterNames", T, names, name_count, &item_name256, sizeof(char *), "xsd:string",     \
          R | FL_NONEMPTY, 0)

/* ParameterInfoStruct */
static const struct cwmp__field pis_fields[] = {
    STR("Name", struct cwmp_param_info, name, 256, R | FL_TRIM),
    BOOL("Writable", struct cwmp_param_info, writable, R),
};
SDESC(pis_desc, "ParameterInfoStruct", pis_fields);
static const struct cwmp__field item_pis = {NM("ParameterInfoStruct"), .kind = FK_STRUCT,
                                            .flags = R, .sub = &pis_desc};

/* ParameterAttributeStruct */
static const struct cwmp__field pas_fields[] = {
    STR("Name", struct cwmp_param_attribute, name, 256, R | FL_TRIM),
    INTR("Notification", struct cwmp_param_attribute, notification, 0, 6),
    ARRAY("AccessList", struct cwmp_param_attribute, access_list, access_list_count, &item_access,
          sizeof(char *), "xsd:string", R, 0),
};
SDESC(pas_desc, "ParameterAttributeStruct", pas_fields);
static const struct cwmp__field item_pas = {NM("ParameterAttributeStruct"), .kind = FK_STRUCT,
                                            .flags = R, .sub = &pas_desc};

/* SetParameterAttributesStruct */
static const struct cwmp__field spas_fields[] = {
    STR("Name", struct cwmp_set_param_attribute, name, 256, R | FL_TRIM),
    BOOL("NotificationChange", struct cwmp_set_param_attribute, notification_change, R),
    INTR("Notification", struct cwmp_set_param_attribute, notification, 0, 6),
    BOOL("AccessListChange", struct cwmp_set_param_attribute, access_list_change, R),
    ARRAY("AccessList", struct cwmp_set_param_attribute, access_list, access_list_count,
          &item_access, sizeof(char *), "xsd:string", R, 0),
};
SDESC(spas_desc, "SetParameterAttributesStruct", spas_fields);
static const struct cwmp__field item_spas = {NM("SetParameterAttributesStruct"), .kind = FK_STRUCT,
                                             .flags = R, .sub = &spas_desc};

/* DeviceIdStruct, EventStruct */
static const struct cwmp__field devid_fields[] = {
    STR("Manufacturer", struct cwmp_device_id, manufacturer, 64, R),
    {NM("OUI"), .kind = FK_STR, .flags = R | FL_TRIM, .check = CK_OUI, .max_len = 6,
     .off = OFF(struct cwmp_device_id, oui)},
    STR("ProductClass", struct cwmp_device_id, product_class, 64, R),
    STR("SerialNumber", struct cwmp_device_id, serial_number, 64, R),
};
SDESC(devid_desc, "DeviceIdStruct", devid_fields);

static const struct cwmp__field event_fields[] = {
    STR("EventCode", struct cwmp_event, code, 64, R | FL_TRIM),
    STR("CommandKey", struct cwmp_event, command_key, 32, R),
};
SDESC(event_desc, "EventStruct", event_fields);
static const struct cwmp__field item_event = {NM("EventStruct"), .kind = FK_STRUCT, .flags = R,
                                              .sub = &event_desc};

/* Transfer FaultStruct */
static const struct cwmp__field tfault_fields[] = {
    {NM("FaultCode"), .kind = FK_UINT, .flags = R | FL_TRIM, .check = CK_FAULTCODE,
     .off = OFF(struct cwmp_transfer_fault, code)},
    STR("FaultString", struct cwmp_transfer_fault, string, 256, R),
};
SDESC(tfault_desc, "FaultStruct", tfault_fields);

/* Queued transfers */
static const struct cwmp__field qt_fields[] = {
    STR("CommandKey", struct cwmp_queued_transfer, command_key, 32, R),
    INTR("State", struct cwmp_queued_transfer, state, 1, 3),
};
SDESC(qt_desc, "QueuedTransferStruct", qt_fields);
static const struct cwmp__field item_qt = {NM("QueuedTransferStruct"), .kind = FK_STRUCT,
                                           .flags = R, .sub = &qt_desc};

static const struct cwmp__field aqt_fields[] = {
    STR("CommandKey", struct cwmp_all_queued_transfer, command_key, 32, R),
    INTR("State", struct cwmp_all_queued_transfer, state, 1, 3),
    BOOL("IsDownload", struct cwmp_all_queued_transfer, is_download, R),
    STR("FileType", struct cwmp_all_queued_transfer, file_type, 64, R),
    UINT("FileSize", struct cwmp_all_queued_transfer, file_size, R),
    STR("TargetFileName", struct cwmp_all_queued_transfer, target_file_name, 256, R),
};
SDESC(aqt_desc, "AllQueuedTransferStruct", aqt_fields);
static const struct cwmp__field item_aqt = {NM("AllQueuedTransferStruct"), .kind = FK_STRUCT,
                                            .flags = R, .sub = &aqt_desc};

/* Options */
static const struct cwmp__field opt_fields[] = {
    STR("OptionName", struct cwmp_option, option_name, 64, R),
    UINT("VoucherSN", struct cwmp_option, voucher_sn, R),
    UINTR("State", struct cwmp_option, state, 0, 3),
    INTR("Mode", struct cwmp_option, mode, 0, 2),
    DT("StartDate", struct cwmp_option, start_date, R),
    DT("ExpirationDate", struct cwmp_option, expiration_date, 0),
    INTR("IsTransferable", struct cwmp_option, is_transferable, 0, 1),
};
SDESC(opt_desc, "OptionStruct", opt_fields);
static const struct cwmp__field item_opt = {NM("OptionStruct"), .kind = FK_STRUCT, .flags = R,
                                            .sub = &opt_desc};

/* TimeWindowStruct */
static const struct cwmp__field tw_fields[] = {
    UINT("WindowStart", struct cwmp_time_window, window_start, R),
    UINT("WindowEnd", struct cwmp_time_window, window_end, R),
    STR("WindowMode", struct cwmp_time_window, window_mode, 64, R),
    STR("UserMessage", struct cwmp_time_window, user_message, 256, R),
    INT("MaxRetries", struct cwmp_time_window, max_retries, R),
};
SDESC(tw_desc, "TimeWindowStruct", tw_fields);
static const struct cwmp__field item_tw = {NM("TimeWindowStruct"), .kind = FK_STRUCT, .flags = R,
                                           .sub = &tw_desc};

/* ArgStruct */
static const struct cwmp__field arg_fields[] = {
    STR("Name", struct cwmp_arg, name, 64, R),
    STR("Value", struct cwmp_arg, value, 256, R),
};
SDESC(arg_desc, "ArgStruct", arg_fields);
static const struct cwmp__field item_arg = {NM("ArgStruct"), .kind = FK_STRUCT, .flags = R,
                                            .sub = &arg_desc};

/* ChangeDUState operations: one C struct, three xsi:types. */
#define DUO struct cwmp_du_operation
static const struct cwmp__field install_fields[] = {
    STR("URL", DUO, url, 1024, R),
    STR("UUID", DUO, uuid, 36, FL_TRIM),
    STR("Username", DUO, username, 256, 0),
    STR("Password", DUO, password, 256, 0),
    STR("ExecutionEnvRef", DUO, execution_env_ref, 256, 0),
};
SDESC(install_desc, "InstallOpStruct", install_fields);
static const struct cwmp__field update_fields[] = {
    STR("UUID", DUO, uuid, 36, FL_TRIM),    STR("Version", DUO, version, 32, 0),
    STR("URL", DUO, url, 1024, 0),          STR("Username", DUO, username, 256, 0),
    STR("Password", DUO, password, 256, 0),
};
SDESC(update_desc, "UpdateOpStruct", update_fields);
static const struct cwmp__field uninstall_fields[] = {
    STR("UUID", DUO, uuid, 36, R | FL_TRIM),
    STR("Version", DUO, version, 32, 0),
    STR("ExecutionEnvRef", DUO, execution_env_ref, 256, 0),
};
SDESC(uninstall_desc, "UninstallOpStruct", uninstall_fields);
static const struct cwmp__variant duop_variants[] = {
    {"InstallOpStruct", CWMP_DU_OP_INSTALL, &install_desc},
    {"UpdateOpStruct", CWMP_DU_OP_UPDATE, &update_desc},
    {"UninstallOpStruct", CWMP_DU_OP_UNINSTALL, &uninstall_desc},
};
static const struct cwmp__sdesc duop_desc = {
    .name = "OperationStruct",
    .variants = duop_variants,
    .nvariants = CWMP_ARRAY_SIZE(duop_variants),
    .variant_off = OFF(DUO, type),
};
static const struct cwmp__field item_duop = {NM("Operations"), .kind = FK_STRUCT, .flags = R,
                                             .sub = &duop_desc};

/* DU results */
#define DUR struct cwmp_du_result
static const struct cwmp__field dufault_fields[] = {
    {NM("FaultCode"), .kind = FK_UINT, .flags = R | FL_TRIM, .check = CK_FAULTCODE,
     .off = OFF(struct cwmp_du_fault, code)},
    STR("FaultString", struct cwmp_du_fault, string, 0, 0),
};
SDESC(dufault_desc, "DeploymentUnitFaultStruct", dufault_fields);
#define DU_RESULT_FIELDS                                                                           \
    STR("UUID", DUR, uuid, 36, R | FL_TRIM),                                                       \
        STR("DeploymentUnitRef", DUR, deployment_unit_ref, 0, R),                                  \
        STR("Version", DUR, version, 32, R),                                                       \
        STR("CurrentState", DUR, current_state, 0, R | FL_TRIM),                                   \
        BOOL("Resolved", DUR, resolved, R),                                                        \
        STR("ExecutionUnitRefList", DUR, execution_unit_ref_list, 0, R),                           \
        DT("StartTime", DUR, start_time, R), DT("CompleteTime", DUR, complete_time, R),            \
        STRUCT("Fault", DUR, fault, &dufault_desc, R)
static const struct cwmp__field dures_fields[] = {DU_RESULT_FIELDS};
SDESC(dures_desc, "OpResultStruct", dures_fields);
static const struct cwmp__field adures_fields[] = {
    DU_RESULT_FIELDS,
    STR("OperationPerformed", DUR, operation_performed, 0, R | FL_TRIM),
};
SDESC(adures_desc, "AutonOpResultStruct", adures_fields);
static const struct cwmp__field item_dures = {NM("Results"), .kind = FK_STRUCT, .flags = R,
                                              .sub = &dures_desc};
static const struct cwmp__field item_adures = {NM("Results"), .kind = FK_STRUCT, .flags = R,
                                               .sub = &adures_desc};

/* ---- message bodies ------------------------------------------------------ */

static const struct cwmp__field grm_resp_fields[] = {
    ARRAY("MethodList", struct cwmp_get_rpc_methods_response, methods, method_count, &item_method,
          sizeof(char *), "xsd:string", R, 0),
};
SDESC(grm_resp_desc, "GetRPCMethodsResponse", grm_resp_fields);

static const struct cwmp__field spv_fields[] = {
    PARAM_LIST(struct cwmp_set_parameter_values, params, param_count),
    STR("ParameterKey", struct cwmp_set_parameter_values, parameter_key, 32, R),
};
SDESC(spv_desc, "SetParameterValues", spv_fields);

static const struct cwmp__field status_fields[] = {
    INTR("Status", struct cwmp_set_parameter_values_response, status, 0, 1),
};
SDESC(status_desc, "Status", status_fields);

static const struct cwmp__field gpv_fields[] = {PARAM_NAMES(struct cwmp_parameter_names)};
SDESC(names_desc, "ParameterNames", gpv_fields);

static const struct cwmp__field gpv_resp_fields[] = {
    PARAM_LIST(struct cwmp_get_parameter_values_response, params, param_count),
};
SDESC(gpv_resp_desc, "GetParameterValuesResponse", gpv_resp_fields);

static const struct cwmp__field gpn_fields[] = {
    STR("ParameterPath", struct cwmp_get_parameter_names, parameter_path, 256, R | FL_TRIM),
    BOOL("NextLevel", struct cwmp_get_parameter_names, next_level, R),
};
SDESC(gpn_desc, "GetParameterNames", gpn_fields);

static const struct cwmp__field gpn_resp_fields[] = {
    ARRAY("ParameterList", struct cwmp_get_parameter_names_response, params, param_count, &item_pis,
          sizeof(struct cwmp_param_info), "cwmp:ParameterInfoStruct", R, 0),
};
SDESC(gpn_resp_desc, "GetParameterNamesResponse", gpn_resp_fields);

static const struct cwmp__field spa_fields[] = {
    ARRAY("ParameterList", struct cwmp_set_parameter_attributes, params, param_count, &item_spas,
          sizeof(struct cwmp_set_param_attribute), "cwmp:SetParameterAttributesStruct",
          R | FL_NONEMPTY, 0),
};
SDESC(spa_desc, "SetParameterAttributes", spa_fields);

static const struct cwmp__field gpa_resp_fields[] = {
    ARRAY("ParameterList", struct cwmp_get_parameter_attributes_response, params, param_count,
          &item_pas, sizeof(struct cwmp_param_attribute), "cwmp:ParameterAttributeStruct", R, 0),
};
SDESC(gpa_resp_desc, "GetParameterAttributesResponse", gpa_resp_fields);

static const struct cwmp__field obj_fields[] = {
    {NM("ObjectName"), .kind = FK_STR, .flags = R | FL_TRIM, .check = CK_OBJNAME, .max_len = 256,
     .off = OFF(struct cwmp_object_request, object_name)},
    STR("ParameterKey", struct cwmp_object_request, parameter_key, 32, R),
};
SDESC(obj_desc, "ObjectRequest", obj_fields);

static const struct cwmp__field addobj_resp_fields[] = {
    {NM("InstanceNumber"), .kind = FK_UINT, .flags = R | FL_TRIM | FL_RANGE,
     .off = OFF(struct cwmp_add_object_response, instance_number), .min = 1, .max = INT32_MAX},
    INTR("Status", struct cwmp_add_object_response, status, 0, 1),
};
SDESC(addobj_resp_desc, "AddObjectResponse", addobj_resp_fields);

static const struct cwmp__field delobj_resp_fields[] = {
    INTR("Status", struct cwmp_delete_object_response, status, 0, 1),
};
SDESC(delobj_resp_desc, "DeleteObjectResponse", delobj_resp_fields);

static const struct cwmp__field ck_fields[] = {
    STR("CommandKey", struct cwmp_command_key_request, command_key, 32, R),
};
SDESC(ck_desc, "CommandKey", ck_fields);

#define DL struct cwmp_download
static const struct cwmp__field download_fields[] = {
    STR("CommandKey", DL, command_key, 32, R),
    STR("FileType", DL, file_type, 64, R),
    STR("URL", DL, url, 256, R),
    STR("Username", DL, username, 256, R),
    STR("Password", DL, password, 256, R),
    UINT("FileSize", DL, file_size, R),
    STR("TargetFileName", DL, target_file_name, 256, R),
    UINT("DelaySeconds", DL, delay_seconds, R),
    STR("SuccessURL", DL, success_url, 256, R),
    STR("FailureURL", DL, failure_url, 256, R),
};
SDESC(download_desc, "Download", download_fields);

static const struct cwmp__field xfer_resp_fields[] = {
    INTR("Status", struct cwmp_transfer_response, status, 0, 1),
    DT("StartTime", struct cwmp_transfer_response, start_time, R),
    DT("CompleteTime", struct cwmp_transfer_response, complete_time, R),
};
SDESC(xfer_resp_desc, "TransferResponse", xfer_resp_fields);

#define UL struct cwmp_upload
static const struct cwmp__field upload_fields[] = {
    STR("CommandKey", UL, command_key, 32, R),
    STR("FileType", UL, file_type, 64, R),
    STR("URL", UL, url, 256, R),
    STR("Username", UL, username, 256, R),
    STR("Password", UL, password, 256, R),
    UINT("DelaySeconds", UL, delay_seconds, R),
};
SDESC(upload_desc, "Upload", upload_fields);

static const struct cwmp__field gqt_resp_fields[] = {
    ARRAY("TransferList", struct cwmp_get_queued_transfers_response, transfers, transfer_count,
          &item_qt, sizeof(struct cwmp_queued_transfer), "cwmp:QueuedTransferStruct", R, 16),
};
SDESC(gqt_resp_desc, "GetQueuedTransfersResponse", gqt_resp_fields);

static const struct cwmp__field gaqt_resp_fields[] = {
    ARRAY("TransferList", struct cwmp_get_all_queued_transfers_response, transfers, transfer_count,
          &item_aqt, sizeof(struct cwmp_all_queued_transfer), "cwmp:AllQueuedTransferStruct", R,
          16),
};
SDESC(gaqt_resp_desc, "GetAllQueuedTransfersResponse", gaqt_resp_fields);

static const struct cwmp__field si_fields[] = {
    UINT("DelaySeconds", struct cwmp_schedule_inform, delay_seconds, R),
    STR("CommandKey", struct cwmp_schedule_inform, command_key, 32, R),
};
SDESC(si_desc, "ScheduleInform", si_fields);

static const struct cwmp__field sv_fields[] = {
    ARRAY("VoucherList", struct cwmp_set_vouchers, vouchers, voucher_count, &item_voucher,
          sizeof(char *), "SOAP-ENC:base64", R | FL_NONEMPTY, 0),
};
SDESC(sv_desc, "SetVouchers", sv_fields);

static const struct cwmp__field go_fields[] = {
    STR("OptionName", struct cwmp_get_options, option_name, 64, R),
};
SDESC(go_desc, "GetOptions", go_fields);

static const struct cwmp__field go_resp_fields[] = {
    ARRAY("OptionList", struct cwmp_get_options_response, options, option_count, &item_opt,
          sizeof(struct cwmp_option), "cwmp:OptionStruct", R, 0),
};
SDESC(go_resp_desc, "GetOptionsResponse", go_resp_fields);

#define SD struct cwmp_schedule_download
static const struct cwmp__field sd_fields[] = {
    STR("CommandKey", SD, command_key, 32, R),
    STR("FileType", SD, file_type, 64, R),
    STR("URL", SD, url, 256, R),
    STR("Username", SD, username, 256, R),
    STR("Password", SD, password, 256, R),
    UINT("FileSize", SD, file_size, R),
    STR("TargetFileName", SD, target_file_name, 256, R),
    ARRAY("TimeWindowList", SD, windows, window_count, &item_tw, sizeof(struct cwmp_time_window),
          "cwmp:TimeWindowStruct", R | FL_NONEMPTY, 2),
};
SDESC(sd_desc, "ScheduleDownload", sd_fields);

static const struct cwmp__field cdu_fields[] = {
    REPEAT("Operations", struct cwmp_change_du_state, operations, operation_count, &item_duop,
           sizeof(struct cwmp_du_operation), R | FL_NONEMPTY),
    STR("CommandKey", struct cwmp_change_du_state, command_key, 32, 0),
};
SDESC(cdu_desc, "ChangeDUState", cdu_fields);

#define INF struct cwmp_inform
static const struct cwmp__field inform_fields[] = {
    STRUCT("DeviceId", INF, device_id, &devid_desc, R),
    ARRAY("Event", INF, events, event_count, &item_event, sizeof(struct cwmp_event),
          "cwmp:EventStruct", R, 64),
    UINT("MaxEnvelopes", INF, max_envelopes, R),
    DT("CurrentTime", INF, current_time, R),
    UINT("RetryCount", INF, retry_count, R),
    PARAM_LIST(INF, params, param_count),
};
SDESC(inform_desc, "Inform", inform_fields);

static const struct cwmp__field inform_resp_fields[] = {
    UINT("MaxEnvelopes", struct cwmp_inform_response, max_envelopes, R),
};
SDESC(inform_resp_desc, "InformResponse", inform_resp_fields);

#define TC struct cwmp_transfer_complete
static const struct cwmp__field tc_fields[] = {
    STR("CommandKey", TC, command_key, 32, R),
    STRUCT("FaultStruct", TC, fault, &tfault_desc, R),
    DT("StartTime", TC, start_time, R),
    DT("CompleteTime", TC, complete_time, R),
};
SDESC(tc_desc, "TransferComplete", tc_fields);

#define ATC struct cwmp_autonomous_transfer_complete
static const struct cwmp__field atc_fields[] = {
    STR("AnnounceURL", ATC, announce_url, 1024, R),
    STR("TransferURL", ATC, transfer_url, 1024, R),
    BOOL("IsDownload", ATC, is_download, R),
    STR("FileType", ATC, file_type, 64, R),
    UINT("FileSize", ATC, file_size, R),
    STR("TargetFileName", ATC, target_file_name, 256, R),
    STRUCT("FaultStruct", ATC, fault, &tfault_desc, R),
    DT("StartTime", ATC, start_time, R),
    DT("CompleteTime", ATC, complete_time, R),
};
SDESC(atc_desc, "AutonomousTransferComplete", atc_fields);

static const struct cwmp__field rd_fields[] = {
    STR("FileType", struct cwmp_request_download, file_type, 64, R),
    ARRAY("FileTypeArg", struct cwmp_request_download, args, arg_count, &item_arg,
          sizeof(struct cwmp_arg), "cwmp:ArgStruct", R, 16),
};
SDESC(rd_desc, "RequestDownload", rd_fields);

static const struct cwmp__field kicked_fields[] = {
    STR("Command", struct cwmp_kicked, command, 32, R),
    STR("Referer", struct cwmp_kicked, referer, 64, R),
    STR("Arg", struct cwmp_kicked, arg, 256, R),
    STR("Next", struct cwmp_kicked, next, 1024, R),
};
SDESC(kicked_desc, "Kicked", kicked_fields);

static const struct cwmp__field kicked_resp_fields[] = {
    STR("NextURL", struct cwmp_kicked_response, next_url, 1024, R),
};
SDESC(kicked_resp_desc, "KickedResponse", kicked_resp_fields);

static const struct cwmp__field dscc_fields[] = {
    REPEAT("Results", struct cwmp_du_state_change_complete, results, result_count, &item_dures,
           sizeof(struct cwmp_du_result), R | FL_NONEMPTY),
    STR("CommandKey", struct cwmp_du_state_change_complete, command_key, 32, 0),
};
SDESC(dscc_desc, "DUStateChangeComplete", dscc_fields);

static const struct cwmp__field adscc_fields[] = {
    REPEAT("Results", struct cwmp_du_state_change_complete, results, result_count, &item_adures,
           sizeof(struct cwmp_du_result), R | FL_NONEMPTY),
};
SDESC(adscc_desc, "AutonomousDUStateChangeComplete", adscc_fields);

/* ---- SOAP fault ---------------------------------------------------------- */

#define FM struct cwmp_fault_message
static const struct cwmp__field spvf_fields[] = {
    STR("ParameterName", struct cwmp_param_fault, name, 256, R | FL_TRIM),
    {NM("FaultCode"), .kind = FK_INT, .flags = R | FL_TRIM | FL_RANGE,
     .off = OFF(struct cwmp_param_fault, code), .min = 9000, .max = 9899},
    {NM("FaultString"), .kind = FK_STR, .check = CK_DEFAULT_FAULT_STRING,
     .off = OFF(struct cwmp_param_fault, string), .off2 = OFF(struct cwmp_param_fault, code)},
};
SDESC(spvf_desc, "SetParameterValuesFault", spvf_fields);
static const struct cwmp__field item_spvf = {NM("SetParameterValuesFault"), .kind = FK_STRUCT,
                                             .flags = R, .sub = &spvf_desc};

static const struct cwmp__field cwmpfault_fields[] = {
    {NM("FaultCode"), .kind = FK_UINT, .flags = R | FL_TRIM | FL_RANGE, .off = OFF(FM, code),
     .min = 8000, .max = 9899},
    {NM("FaultString"), .kind = FK_STR, .check = CK_DEFAULT_FAULT_STRING, .off = OFF(FM, string),
     .off2 = OFF(FM, code)},
    REPEAT("SetParameterValuesFault", FM, param_faults, param_fault_count, &item_spvf,
           sizeof(struct cwmp_param_fault), 0),
};
SDESC(cwmpfault_desc, "cwmp:Fault", cwmpfault_fields);

static const struct cwmp__field detail_fields[] = {
    {NM("Fault"), .kind = FK_STRUCT, .flags = R | FL_QUALIFIED, .off = 0, .sub = &cwmpfault_desc},
};
SDESC(detail_desc, "detail", detail_fields);

static const struct cwmp__field soapfault_fields[] = {
    STR("faultcode", FM, soap_faultcode, 0, R | FL_TRIM | FL_QNAME),
    STR("faultstring", FM, soap_faultstring, 0, R),
    /* A plain SOAP fault (no CWMP detail) is tolerated in lenient mode. */
    {NM("detail"), .kind = FK_STRUCT, .flags = R | FL_SOFT, .off = 0, .sub = &detail_desc},
};
const struct cwmp__sdesc cwmp__fault_desc = {
    .name = "Fault", .fields = soapfault_fields, .nfields = CWMP_ARRAY_SIZE(soapfault_fields)};

/* ---- header -------------------------------------------------------------- */

#define HD struct cwmp_header
static const struct cwmp__field header_fields[] = {
    STR("ID", HD, id, 0, FL_QUALIFIED),
    {NM("HoldRequests"), .kind = FK_BOOL, .flags = FL_QUALIFIED | FL_PRESENT | FL_TRIM,
     .off = OFF(HD, hold_requests), .off2 = OFF(HD, has_hold_requests)},
    BOOL("NoMoreRequests", HD, no_more_requests, FL_QUALIFIED),
    {NM("SessionTimeout"), .kind = FK_UINT, .flags = FL_QUALIFIED | FL_PRESENT | FL_TRIM,
     .off = OFF(HD, session_timeout), .off2 = OFF(HD, has_session_timeout)},
    STR("SupportedCWMPVersions", HD, supported_cwmp_versions, 0, FL_QUALIFIED | FL_TRIM),
    STR("UseCWMPVersion", HD, use_cwmp_version, 0, FL_QUALIFIED | FL_TRIM),
};
const struct cwmp__sdesc cwmp__header_desc = {
    .name = "Header", .fields = header_fields, .nfields = CWMP_ARRAY_SIZE(header_fields)};

/* ---- the message table --------------------------------------------------- */

#define REQ CWMP_RPC_REQUEST
#define RSP CWMP_RPC_RESPONSE
#define M(e, m, k, v, b)                                                                           \
    {                                                                                              \
        e, CWMP_METHOD_##m, k, CWMP_V##v, b                                                        \
    }

const struct cwmp__msg_desc cwmp__messages[] = {
    M("GetRPCMethods", GET_RPC_METHODS, REQ, 1_0, NULL),
    M("GetRPCMethodsResponse", GET_RPC_METHODS, RSP, 1_0, &grm_resp_desc),
    M("SetParameterValues", SET_PARAMETER_VALUES, REQ, 1_0, &spv_desc),
    M("SetParameterValuesResponse", SET_PARAMETER_VALUES, RSP, 1_0, &status_desc),
    M("GetParameterValues", GET_PARAMETER_VALUES, REQ, 1_0, &names_desc),
    M("GetParameterValuesResponse", GET_PARAMETER_VALUES, RSP, 1_0, &gpv_resp_desc),
    M("GetParameterNames", GET_PARAMETER_NAMES, REQ, 1_0, &gpn_desc),
    M("GetParameterNamesResponse", GET_PARAMETER_NAMES, RSP, 1_0, &gpn_resp_desc),
    M("SetParameterAttributes", SET_PARAMETER_ATTRIBUTES, REQ, 1_0, &spa_desc),
    M("SetParameterAttributesResponse", SET_PARAMETER_ATTRIBUTES, RSP, 1_0, NULL),
    M("GetParameterAttributes", GET_PARAMETER_ATTRIBUTES, REQ, 1_0, &names_desc),
    M("GetParameterAttributesResponse", GET_PARAMETER_ATTRIBUTES, RSP, 1_0, &gpa_resp_desc),
    M("AddObject", ADD_OBJECT, REQ, 1_0, &obj_desc),
    M("AddObjectResponse", ADD_OBJECT, RSP, 1_0, &addobj_resp_desc),
    M("DeleteObject", DELETE_OBJECT, REQ, 1_0, &obj_desc),
    M("DeleteObjectResponse", DELETE_OBJECT, RSP, 1_0, &delobj_resp_desc),
    M("Reboot", REBOOT, REQ, 1_0, &ck_desc),
    M("RebootResponse", REBOOT, RSP, 1_0, NULL),
    M("Download", DOWNLOAD, REQ, 1_0, &download_desc),
    M("DownloadResponse", DOWNLOAD, RSP, 1_0, &xfer_resp_desc),
    M("Upload", UPLOAD, REQ, 1_0, &upload_desc),
    M("UploadResponse", UPLOAD, RSP, 1_0, &xfer_resp_desc),
    M("FactoryReset", FACTORY_RESET, REQ, 1_0, NULL),
    M("FactoryResetResponse", FACTORY_RESET, RSP, 1_0, NULL),
    M("GetQueuedTransfers", GET_QUEUED_TRANSFERS, REQ, 1_0, NULL),
    M("GetQueuedTransfersResponse", GET_QUEUED_TRANSFERS, RSP, 1_0, &gqt_resp_desc),
    M("GetAllQueuedTransfers", GET_ALL_QUEUED_TRANSFERS, REQ, 1_1, NULL),
    M("GetAllQueuedTransfersResponse", GET_ALL_QUEUED_TRANSFERS, RSP, 1_1, &gaqt_resp_desc),
    M("ScheduleInform", SCHEDULE_INFORM, REQ, 1_0, &si_desc),
    M("ScheduleInformResponse", SCHEDULE_INFORM, RSP, 1_0, NULL),
    M("SetVouchers", SET_VOUCHERS, REQ, 1_0, &sv_desc),
    M("SetVouchersResponse", SET_VOUCHERS, RSP, 1_0, NULL),
    M("GetOptions", GET_OPTIONS, REQ, 1_0, &go_desc),
    M("GetOptionsResponse", GET_OPTIONS, RSP, 1_0, &go_resp_desc),
    M("ScheduleDownload", SCHEDULE_DOWNLOAD, REQ, 1_2, &sd_desc),
    M("ScheduleDownloadResponse", SCHEDULE_DOWNLOAD, RSP, 1_2, NULL),
    M("CancelTransfer", CANCEL_TRANSFER, REQ, 1_2, &ck_desc),
    M("CancelTransferResponse", CANCEL_TRANSFER, RSP, 1_2, NULL),
    M("ChangeDUState", CHANGE_DU_STATE, REQ, 1_2, &cdu_desc),
    M("ChangeDUStateResponse", CHANGE_DU_STATE, RSP, 1_2, NULL),
    M("Inform", INFORM, REQ, 1_0, &inform_desc),
    M("InformResponse", INFORM, RSP, 1_0, &inform_resp_desc),
    M("TransferComplete", TRANSFER_COMPLETE, REQ, 1_0, &tc_desc),
    M("TransferCompleteResponse", TRANSFER_COMPLETE, RSP, 1_0, NULL),
    M("AutonomousTransferComplete", AUTONOMOUS_TRANSFER_COMPLETE, REQ, 1_1, &atc_desc),
    M("AutonomousTransferCompleteResponse", AUTONOMOUS_TRANSFER_COMPLETE, RSP, 1_1, NULL),
    M("RequestDownload", REQUEST_DOWNLOAD, REQ, 1_0, &rd_desc),
    M("RequestDownloadResponse", REQUEST_DOWNLOAD, RSP, 1_0, NULL),
    M("Kicked", KICKED, REQ, 1_0, &kicked_desc),
    M("KickedResponse", KICKED, RSP, 1_0, &kicked_resp_desc),
    M("DUStateChangeComplete", DU_STATE_CHANGE_COMPLETE, REQ, 1_2, &dscc_desc),
    M("DUStateChangeCompleteResponse", DU_STATE_CHANGE_COMPLETE, RSP, 1_2, NULL),
    M("AutonomousDUStateChangeComplete", AUTONOMOUS_DU_STATE_CHANGE_COMPLETE, REQ, 1_2,
      &adscc_desc),
    M("AutonomousDUStateChangeCompleteResponse", AUTONOMOUS_DU_STATE_CHANGE_COMPLETE, RSP, 1_2,
      NULL),
};
const size_t cwmp__message_count = CWMP_ARRAY_SIZE(cwmp__messages);

const struct cwmp__msg_desc *cwmp__msg_by_elem(const char *name, size_t len)
{
    for (size_t i = 0; i < cwmp__message_count; i++) {
        const char *e = cwmp__messages[i].elem;
        if (e[0] == name[0] && strncmp(e, name, len) == 0 && e[len] == '\0')
            return &cwmp__messages[i];
    }
    return NULL;
}

const struct cwmp__msg_desc *cwmp__msg_by_method(enum cwmp_method m, enum cwmp_rpc_kind k)
{
    for (size_t i = 0; i < cwmp__message_count; i++)
        if (cwmp__messages[i].method == m && cwmp__messages[i].kind == k)
            return &cwmp__messages[i];
    return NULL;
}

/* ---- public method helpers ----------------------------------------------- */

const char *cwmp_method_name(enum cwmp_method m)
{
    if (m == CWMP_METHOD_UNKNOWN || m == CWMP_METHOD_VENDOR)
        return "";
    const struct cwmp__msg_desc *d = cwmp__msg_by_method(m, CWMP_RPC_REQUEST);
    return d ? d->elem : "?";
}

enum cwmp_method cwmp_method_from_name(const char *name, size_t len)
{
    if (!name)
        return CWMP_METHOD_UNKNOWN;
    if (len > 2 && name[0] == 'X' && name[1] == '_')
        return CWMP_METHOD_VENDOR;
    const struct cwmp__msg_desc *d = cwmp__msg_by_elem(name, len);
    return d && d->kind == CWMP_RPC_REQUEST ? (enum cwmp_method) d->method : CWMP_METHOD_UNKNOWN;
}

enum cwmp_version cwmp_method_min_version(enum cwmp_method m)
{
    const struct cwmp__msg_desc *d = cwmp__msg_by_method(m, CWMP_RPC_REQUEST);
    return d ? (enum cwmp_version) d->min_version : CWMP_V1_0;
}

bool cwmp_method_is_cpe_method(enum cwmp_method m)
{
    return m >= CWMP_METHOD_GET_RPC_METHODS && m <= CWMP_METHOD_CHANGE_DU_STATE;
}

/* Local names of the elements whose content is only child elements in
 * every CWMP message (whitespace between their children carries nothing).
 * The XML layer asks mxml not to build text nodes for them. */
static const char *const container_names[] = {
    "AccessList",
    "AllQueuedTransferStruct",
    "ArgStruct",
    "Body",
    "DeviceId",
    "Envelope",
    "Event",
    "EventStruct",
    "Fault",
    "FaultStruct",
    "FileTypeArg",
    "Header",
    "MethodList",
    "OptionList",
    "OptionStruct",
    "Operations",
    "ParameterAttributeStruct",
    "ParameterInfoStruct",
    "ParameterList",
    "ParameterNames",
    "ParameterValueStruct",
    "QueuedTransferStruct",
    "Results",
    "SetParameterAttributesStruct",
    "SetParameterValuesFault",
    "TimeWindowList",
    "TimeWindowStruct",
    "TransferList",
    "VoucherList",
    "detail",
};

int cwmp__is_container(const char *name)
{
    const char *c = strchr(name, ':');
    const char *local = c ? c + 1 : name;
    size_t n = strlen(local);
    for (size_t i = 0; i < CWMP_ARRAY_SIZE(container_names); i++)
        if (container_names[i][0] == local[0] && strcmp(container_names[i], local) == 0)
            return 1;
    /* Method elements (requests and responses) hold only arguments. */
    if (n >= 6 && local[0] >= 'A' && local[0] <= 'Z' && cwmp__msg_by_elem(local, n))
        return 1;
    return 0;
}
