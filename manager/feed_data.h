/* A fetched document → the "data" member of its source's snapshot (docs/live-content.md),
 * by the feed's kind: news through feed_parse, weather through weather_parse (an NWS pair:
 * observation + forecast merged), rates through currency_parse. Pure: no store, no network,
 * so the fetcher calls it on its worker thread and tests call it on files. */
#ifndef MANAGER_FEED_DATA_H
#define MANAGER_FEED_DATA_H

#include <jansson.h>
#include <stddef.h>

#include "manifest.h"
#include "vt_err.h"

struct feed_document {
  const char *body;
  size_t len;
  const char *content_type; /* the HTTP Content-Type (its charset is a hint), or NULL */
  const char *url;          /* where it came from: the base of relative links */
};

/* Where a weather feed is, from the feed's settings: a name the owner gave (MET Norway's
 * documents carry none) wins over the document's (NULL: keep the document's); the owner's
 * coordinates (NAN: none) stand in where the document gives none (NWS observations). */
struct feed_place {
  const char *name;
  double lat, lon;
};

/* doc → *data (a new reference). second: for weather, the NWS forecast document beside the
 * current-observation one in doc, or NULL. VT_ERR_INVALID with the parser's reason when the
 * document is not of the kind. */
enum vt_err feed_data_build(enum vt_source_kind kind, const struct feed_document *doc,
                            const struct feed_document *second, const struct feed_place *place,
                            json_t **data, struct vt_error *err) VT_WARN_UNUSED;

#endif
