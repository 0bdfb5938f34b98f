/* placeholder until written: every handler answers 500 */
#include "api.h"
#define TODO(n) API_HANDLER(n) { (void)rq; return vt_error_set(err, VT_ERR_INTERNAL, "", "not written yet"); }
TODO(api_overrides_create) TODO(api_overrides_list) TODO(api_overrides_get) TODO(api_overrides_delete)
