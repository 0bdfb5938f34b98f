/* placeholder until written: every handler answers 500 */
#include "api.h"
#define TODO(n) API_HANDLER(n) { (void)rq; return vt_error_set(err, VT_ERR_INTERNAL, "", "not written yet"); }
TODO(api_groups_create) TODO(api_groups_list) TODO(api_groups_get) TODO(api_groups_patch) TODO(api_groups_delete)
