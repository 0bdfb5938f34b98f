/* currency: the European Central Bank's daily euro reference rates (eurofxref-daily.xml, a
 * gesmes envelope of <Cube time=><Cube currency= rate=/>...</Cube>) into a small model, cross
 * rates between any two of its currencies, and the `currency` snapshot data of
 * docs/live-content.md. No globals, no output: called on the feed fetcher's worker thread. */
#ifndef MANAGER_CURRENCY_H
#define MANAGER_CURRENCY_H

#include <jansson.h>
#include <stddef.h>

#include "vt_err.h"

/* The ECB quotes about 30 currencies (41 before 2022); room for a few more. */
#define CURRENCY_MAX_RATES 64

struct currency_rate {
  char code[4]; /* ISO 4217, "USD" */
  double rate;  /* units of code per 1 unit of base */
};

struct currency {
  const char *source;  /* "ECB" */
  char date[11];       /* reference date, "2022-07-08" */
  char base[4];        /* "EUR" */
  struct currency_rate rates[CURRENCY_MAX_RATES];
  size_t n_rates;      /* in document order; base is not among them */
};

/* Parse len bytes (charset_hint: the HTTP charset or NULL). Returns a new model (free with
 * currency_free) or NULL with err: VT_ERR_INVALID when it is not XML, not an ECB rates
 * document, or holds a bad rate (the message says which), VT_ERR_TOO_LARGE, VT_ERR_NO_MEMORY.
 * A document with several days (the 90-day history) gives its first, the latest. */
struct currency *currency_parse(const char *data, size_t len, const char *charset_hint,
                                struct vt_error *err);
void currency_free(struct currency *c);

/* The rate of code (1 for the base); VT_ERR_NOT_FOUND when c does not quote it. */
enum vt_err currency_rate(const struct currency *c, const char *code, double *out) VT_WARN_UNUSED;

/* How many units of to one unit of from buys: rates[to] / rates[from], rates[base] = 1.
 * VT_ERR_NOT_FOUND (err->field "from" or "to") when either is not quoted. */
enum vt_err currency_cross(const struct currency *c, const char *from, const char *to,
                           double *out, struct vt_error *err) VT_WARN_UNUSED;

/* {"source", "date", "base", "rates": {"USD": 1.0163, ...}}. New reference; NULL when out of
 * memory. Dump it with JSON_REAL_PRECISION(15) or finer so 1.0163 prints as 1.0163. */
json_t *currency_to_json(const struct currency *c);

#endif
