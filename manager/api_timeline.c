/* placeholder until written */
#include "api.h"
API_HANDLER(api_displays_timeline) { (void)rq; return vt_error_set(err, VT_ERR_INTERNAL, "", "not written yet"); }
