/*
 * libcwmp fuzz target: data-model path parsing and resolution (full names,
 * partial paths, instance numbers, [alias] references) through every RPC
 * that takes a path. Invariants: a successful GetParameterValues of a full
 * name yields exactly one value; GetParameterNames of a partial path starts
 * with that path.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cwmp/datamodel.h>
#include <cwmp/error.h>

#include "dm_testschema.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct cwmp_dm_schema *s;
    struct cwmp_dm *dm;
    struct cwmp_dm_result r = CWMP_DM_RESULT_INIT;
    char *path;
    uint32_t inst;
    if (size > 4096)
        return 0;
    s = tschema_fap();
    if (!s || cwmp_dm_new(&dm, NULL, s, NULL) != 0)
        abort();
    path = malloc(size + 1);
    if (!path)
        abort();
    memcpy(path, data, size);
    path[size] = '\0';
    /* two FAPService rows with aliases, alias-based addressing on */
    (void) cwmp_dm_add_instance(dm, "Device.Services.FAPService.", 0, &inst);
    (void) cwmp_dm_add_instance(dm, "Device.Services.FAPService.", 0, &inst);
    (void) cwmp_dm_set(dm, "Device.Services.FAPService.1.Alias", "cell-a");
    (void) cwmp_dm_set(dm, "Device.Services.FAPService.2.Alias", "b");
    (void) cwmp_dm_set(dm, "Device.ManagementServer.AliasBasedAddressing", "1");

    const char *names[] = {path};
    int rv = cwmp_dm_get_values(dm, names, 1, &r);
    if (rv == 0 && size && path[size - 1] != '.' && strlen(path) == size && r.value_count != 1)
        abort();
    if (rv != 0 && r.value_count != 0)
        abort();
    cwmp_dm_result_free(&r);
    for (int nl = 0; nl < 2; nl++) {
        rv = cwmp_dm_get_names(dm, path, nl != 0, &r);
        if (rv == 0 && path[0] && size && path[size - 1] == '.' && !nl &&
            (r.info_count == 0 || strcmp(r.infos[0].name, path) != 0))
            abort();
        cwmp_dm_result_free(&r);
    }
    rv = cwmp_dm_get_attributes(dm, names, 1, &r);
    cwmp_dm_result_free(&r);
    struct cwmp_set_param_attribute a = {path, true, 1, false, NULL, 0};
    (void) cwmp_dm_set_attributes(dm, &a, 1);
    (void) cwmp_dm_add_object(dm, path, "k", &r);
    cwmp_dm_result_free(&r);
    (void) cwmp_dm_delete_object(dm, path, "k", &r);
    cwmp_dm_result_free(&r);
    struct cwmp_dm_handlers h = {NULL, NULL, NULL, NULL, NULL};
    (void) cwmp_dm_bind(dm, path, &h, NULL);
    char buf[64];
    (void) cwmp_dm_get(dm, path, buf, sizeof(buf));
    (void) cwmp_dm_value_changed(dm, path);
    (void) cwmp_dm_poll(dm);
    free(path);
    cwmp_dm_free(dm);
    tschema_free(s);
    return 0;
}
