#include <stdio.h>

#include "fsutil.h"
#include "manager.h"

static enum vt_err join(char out[PATH_MAX], const char *dir, const char *name,
                        struct vt_error *err) {
  if (!vt_path_join(out, PATH_MAX, dir, name))
    return vt_error_set(err, VT_ERR_INVALID, "", "data directory path too long: %s", dir);
  return VT_OK;
}

enum vt_err paths_init(struct paths *p, const char *data_dir, struct vt_error *err) {
  enum vt_err rc;
  if (snprintf(p->data, sizeof p->data, "%s", data_dir) >= (int)sizeof p->data)
    return vt_error_set(err, VT_ERR_INVALID, "", "data directory path too long: %s", data_dir);
  if ((rc = join(p->media, data_dir, "media", err)) || (rc = join(p->tmp, data_dir, "tmp", err)) ||
      (rc = join(p->db, data_dir, "vitrine.db", err)) || (rc = vt_mkdir_p(p->data, err)) ||
      (rc = vt_mkdir_p(p->media, err)) || (rc = vt_mkdir_p(p->tmp, err)))
    return rc;
  return VT_OK;
}
