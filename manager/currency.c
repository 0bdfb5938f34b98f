/* currency.c: ECB eurofxref XML -> struct currency (currency.h). */
#include "currency.h"

#include <ctype.h>
#include <libxml/tree.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manifest.h"
#include "xml_safe.h"

/* The attribute (any namespace) into buf, trimmed; false if absent or too long. */
static bool attr(const xmlNode *n, const char *name, char *buf, size_t size) {
  xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
  if (!v) return false;
  const char *s = (const char *)v;
  while (isspace((unsigned char)*s)) s++;
  size_t len = strlen(s);
  while (len > 0 && isspace((unsigned char)s[len - 1])) len--;
  bool ok = len < size;
  if (ok) {
    memcpy(buf, s, len);
    buf[len] = '\0';
  }
  xmlFree(v);
  return ok;
}

static bool is_date(const char *s) {
  static const char shape[] = "dddd-dd-dd";
  if (strlen(s) != 10) return false;
  for (int i = 0; i < 10; i++)
    if (shape[i] == 'd' ? !isdigit((unsigned char)s[i]) : s[i] != shape[i]) return false;
  int m = atoi(s + 5), d = atoi(s + 8);
  return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

static enum vt_err read_day(struct currency *c, const xmlNode *day, struct vt_error *err) {
  for (xmlNode *r = day->children; r; r = r->next) {
    if (!xml_safe_is(r, "Cube")) continue;
    char code[8], rate[40];
    if (!attr(r, "currency", code, sizeof code) || !vt_currency_code_valid(code))
      return vt_error_set(err, VT_ERR_INVALID, "currency",
                          "a rate without a three-letter currency code");
    if (strcmp(code, c->base) == 0)
      return vt_error_set(err, VT_ERR_INVALID, "currency", "%s is quoted against itself", code);
    char *end = NULL;
    double v = attr(r, "rate", rate, sizeof rate) ? strtod(rate, &end) : NAN;
    if (!end || *end || end == rate || !isfinite(v) || v <= 0)
      return vt_error_set(err, VT_ERR_INVALID, "rate", "%s: rate is not a positive number",
                          code);
    for (size_t i = 0; i < c->n_rates; i++)
      if (strcmp(c->rates[i].code, code) == 0)
        return vt_error_set(err, VT_ERR_INVALID, "currency", "%s is quoted twice", code);
    if (c->n_rates == CURRENCY_MAX_RATES)
      return vt_error_set(err, VT_ERR_INVALID, "currency", "more than %d currencies",
                          CURRENCY_MAX_RATES);
    struct currency_rate *cr = &c->rates[c->n_rates++];
    memcpy(cr->code, code, 4);
    cr->rate = v;
  }
  if (c->n_rates == 0)
    return vt_error_set(err, VT_ERR_INVALID, "Cube", "no rates for %s", c->date);
  return VT_OK;
}

struct currency *currency_parse(const char *data, size_t len, const char *charset_hint,
                                struct vt_error *err) {
  struct xml_safe_report rep;
  xmlDocPtr doc = xml_safe_read(data, len, charset_hint, NULL, &rep, err);
  if (!doc) return NULL;
  struct currency *c = calloc(1, sizeof *c);
  enum vt_err rc = VT_OK;
  xmlNode *root = xmlDocGetRootElement(doc);
  /* <gesmes:Envelope> > <Cube> > <Cube time=...> > <Cube currency=... rate=...> */
  xmlNode *cube = xml_safe_is(root, "Envelope") ? xml_safe_child(root, "Cube") : NULL;
  xmlNode *day = NULL;
  for (xmlNode *d = cube ? cube->children : NULL; d && !day; d = d->next)
    if (xml_safe_is(d, "Cube")) day = d;
  if (!c) {
    rc = vt_error_no_memory(err);
  } else if (!day) {
    rc = vt_error_set(err, VT_ERR_INVALID, "", "not an ECB reference-rate document "
                      "(<gesmes:Envelope><Cube><Cube time=...>)");
  } else if (rep.recovered) {
    /* Rates are money: a document that needed repair is not trusted for any of them. */
    rc = vt_error_set(err, VT_ERR_INVALID, "", "not well-formed: %s",
                      rep.n_errors ? rep.errors[0] : "recovered");
  } else {
    c->source = "ECB";
    memcpy(c->base, "EUR", 4);
    if (!attr(day, "time", c->date, sizeof c->date) || !is_date(c->date))
      rc = vt_error_set(err, VT_ERR_INVALID, "time", "the reference date is not YYYY-MM-DD");
    else
      rc = read_day(c, day, err);
  }
  xmlFreeDoc(doc);
  if (rc != VT_OK) {
    free(c);
    return NULL;
  }
  return c;
}

void currency_free(struct currency *c) { free(c); }

enum vt_err currency_rate(const struct currency *c, const char *code, double *out) {
  if (strcmp(code, c->base) == 0) {
    *out = 1.0;
    return VT_OK;
  }
  for (size_t i = 0; i < c->n_rates; i++)
    if (strcmp(c->rates[i].code, code) == 0) {
      *out = c->rates[i].rate;
      return VT_OK;
    }
  return VT_ERR_NOT_FOUND;
}

enum vt_err currency_cross(const struct currency *c, const char *from, const char *to,
                           double *out, struct vt_error *err) {
  double a, b;
  if (currency_rate(c, from, &a) != VT_OK)
    return vt_error_set(err, VT_ERR_NOT_FOUND, "from", "%.8s is not quoted by %s", from,
                        c->source);
  if (currency_rate(c, to, &b) != VT_OK)
    return vt_error_set(err, VT_ERR_NOT_FOUND, "to", "%.8s is not quoted by %s", to, c->source);
  *out = b / a;
  return VT_OK;
}

json_t *currency_to_json(const struct currency *c) {
  json_t *rates = json_object();
  for (size_t i = 0; rates && i < c->n_rates; i++)
    if (json_object_set_new(rates, c->rates[i].code, json_real(c->rates[i].rate)) != 0) {
      json_decref(rates);
      return NULL;
    }
  if (!rates) return NULL;
  return json_pack("{s:s,s:s,s:s,s:o}", "source", c->source, "date", c->date, "base", c->base,
                   "rates", rates);
}
