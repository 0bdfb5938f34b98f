/* xml_safe: untrusted bytes → libxml2 tree, under one set of rules (see xml_safe.h).
 *
 * The bytes pass three stages before libxml2 sees them, each copying only when it must:
 *  1. decode: pick the encoding (BOM > HTTP charset > XML declaration > detection) and turn
 *     the bytes into UTF-8 with iconv, so libxml2 is told "UTF-8" and ignores the declaration;
 *  2. clean: repair invalid UTF-8 (a stray byte is read as windows-1252, as browsers do) and
 *     drop the control characters XML forbids, which libxml2 would treat as fatal;
 *  3. references: feeds use HTML entities (&nbsp; &eacute;) that XML does not define, and raw
 *     '&' in URLs. Outside CDATA and comments, an '&' that does not start a reference is
 *     written as "&amp;"; a named reference that is neither predefined nor declared in the
 *     internal subset becomes the character HTML gives it, or literal text if HTML has none.
 * Stages 2 and 3 mark the report recovered: the document was not well-formed as sent. */
#define _GNU_SOURCE /* memmem */
#include "xml_safe.h"

#include <errno.h>
#include <iconv.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "feed_text.h"
#include "vt_limits.h"

/* Entity names declared in an internal subset that we keep as declared; more than this
 * many is not a feed, and the rest are treated as undeclared. */
#define XS_MAX_DECLARED 64
#define XS_NAME_MAX 64

struct xs_state {
  xmlParserCtxtPtr ctxt;
  struct xml_safe_report *rep;
  bool bomb; /* libxml2's entity amplification check fired */
};

/* ---- libxml2 set-up ---------------------------------------------------------------------- */

/* Refuses every external resource (DTD, entity, XInclude). Global in libxml2, installed once:
 * nothing in the manager wants libxml2 to open a file or URL on its own. */
static xmlParserInputPtr xs_refuse_loader(const char *url, const char *id, xmlParserCtxtPtr ctxt) {
  (void)url;
  (void)id;
  (void)ctxt;
  return NULL;
}

static pthread_once_t xs_once = PTHREAD_ONCE_INIT;

static void xs_init_once(void) {
  xmlInitParser();
  xmlSetExternalEntityLoader(xs_refuse_loader);
}

static void xs_note(struct xml_safe_report *rep, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void xs_note(struct xml_safe_report *rep, const char *fmt, ...) {
  if (rep->n_errors >= XML_SAFE_MAX_ERRORS) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(rep->errors[rep->n_errors], XML_SAFE_ERROR_BYTES, fmt, ap);
  va_end(ap);
  rep->n_errors++;
}

/* The per-thread structured error sink for one parse. Warnings are dropped (namespace URI
 * style and the like); errors make the document "recovered". */
static void xs_on_error(void *data, xmlErrorPtr e) {
  struct xs_state *st = data;
  if (!e || e->level < XML_ERR_ERROR) return;
  st->rep->recovered = true;
#if LIBXML_VERSION >= 21100
  /* newer libxml2 reports amplification as a resource limit, not a loop */
  bool amplified = e->code == XML_ERR_ENTITY_LOOP || e->code == XML_ERR_RESOURCE_LIMIT;
#else
  bool amplified = e->code == XML_ERR_ENTITY_LOOP;
#endif
  if (amplified) {
    /* libxml2 reports entity amplification (billion laughs) and loops this way; stop at
     * once rather than let recovery expand the next reference. */
    st->bomb = true;
    if (st->ctxt) xmlStopParser(st->ctxt);
  }
  char msg[XML_SAFE_ERROR_BYTES];
  snprintf(msg, sizeof msg, "%s", e->message ? e->message : "error");
  size_t n = strlen(msg);
  while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' ')) msg[--n] = '\0';
  if (e->line > 0)
    xs_note(st->rep, "line %d: %s", e->line, msg);
  else
    xs_note(st->rep, "%s", msg);
}

static void xs_quiet(void *ctx, const char *msg, ...) {
  (void)ctx;
  (void)msg;
}

/* Only internal entities are ever declared: an external one (SYSTEM/PUBLIC) is dropped here,
 * so a reference to it is an undeclared entity and nothing is loaded. */
static void xs_entity_decl(void *ctx, const xmlChar *name, int type, const xmlChar *public_id,
                           const xmlChar *system_id, xmlChar *content) {
  if (type != XML_INTERNAL_GENERAL_ENTITY && type != XML_INTERNAL_PARAMETER_ENTITY) return;
  xmlSAX2EntityDecl(ctx, name, type, public_id, system_id, content);
}

static void xs_external_subset(void *ctx, const xmlChar *name, const xmlChar *external_id,
                               const xmlChar *system_id) {
  (void)ctx;
  (void)name;
  (void)external_id;
  (void)system_id;
}

/* ---- stage 1: encoding ------------------------------------------------------------------ */

static bool xs_is_utf8_label(const char *e) {
  return !strcasecmp(e, "utf-8") || !strcasecmp(e, "utf8");
}

static bool xs_is_wide_label(const char *e) {
  return !strncasecmp(e, "utf-16", 6) || !strncasecmp(e, "utf16", 5) ||
         !strncasecmp(e, "utf-32", 6) || !strncasecmp(e, "ucs-", 4) ||
         !strncasecmp(e, "iso-10646", 9);
}

/* A label as iconv knows it. Latin-1 and ASCII labels mean windows-1252, as in browsers:
 * real "ISO-8859-1" feeds use its 0x80..0x9F quotes and dashes. */
static const char *xs_iconv_name(const char *label) {
  static const char *const as_1252[] = {"iso-8859-1", "iso8859-1", "latin1", "l1",
                                        "iso_8859-1", "us-ascii", "ascii", "cp819",
                                        "iso-ir-100", "windows-1252", "cp1252", "x-cp1252",
                                        NULL};
  for (size_t i = 0; as_1252[i]; i++)
    if (!strcasecmp(label, as_1252[i])) return "WINDOWS-1252";
  if (!strcasecmp(label, "x-sjis") || !strcasecmp(label, "shift-jis")) return "SHIFT_JIS";
  if (!strcasecmp(label, "gb2312") || !strcasecmp(label, "gbk")) return "GB18030";
  if (!strcasecmp(label, "big5")) return "BIG5-HKSCS"; /* superset, as browsers decode it */
  return label;
}

static bool xs_iconv_known(const char *name) {
  iconv_t cd = iconv_open("UTF-8", name);
  if (cd == (iconv_t)-1) return false;
  iconv_close(cd);
  return true;
}

/* The encoding label of an XML declaration at the start of s (ASCII-compatible bytes), into
 * out; false when there is none. Leading whitespace is allowed (a common mistake). */
static bool xs_declared(const char *s, size_t n, char *out, size_t out_size) {
  size_t i = 0;
  while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')) i++;
  if (n - i < 6 || memcmp(s + i, "<?xml", 5) != 0) return false;
  size_t end = i + 5;
  while (end < n && end < i + 256 && s[end] != '>') end++;
  const char *p = NULL;
  for (size_t k = i + 5; k + 8 <= end; k++)
    if (!memcmp(s + k, "encoding", 8)) {
      p = s + k + 8;
      break;
    }
  if (!p) return false;
  const char *lim = s + end;
  while (p < lim && (*p == ' ' || *p == '=' || *p == '\t')) p++;
  if (p >= lim || (*p != '"' && *p != '\'')) return false;
  char q = *p++;
  size_t k = 0;
  while (p < lim && *p != q && k + 1 < out_size) {
    char c = *p++;
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
          c == '-' || c == '_' || c == '.' || c == ':'))
      return false;
    out[k++] = c;
  }
  out[k] = '\0';
  return k > 0;
}

/* Convert with iconv; a byte the encoding does not define becomes U+FFFD. */
static enum vt_err xs_iconv(const char *from, const char *data, size_t len, struct vt_buf *out,
                            struct xml_safe_report *rep) {
  iconv_t cd = iconv_open("UTF-8", from);
  if (cd == (iconv_t)-1) return VT_ERR_INVALID;
  char chunk[8192];
  char *in = (char *)data;
  size_t in_left = len;
  size_t bad = 0;
  enum vt_err rc = VT_OK;
  while (in_left > 0 && rc == VT_OK) {
    char *o = chunk;
    size_t o_left = sizeof chunk;
    size_t r = iconv(cd, &in, &in_left, &o, &o_left);
    int e = errno;
    rc = vt_buf_append(out, chunk, sizeof chunk - o_left);
    if (rc != VT_OK || r != (size_t)-1) continue;
    if (e == E2BIG) continue;
    /* EILSEQ or EINVAL (truncated at the end): skip one byte, mark it */
    bad++;
    in++;
    in_left--;
    rc = vt_buf_append(out, "\xEF\xBF\xBD", 3);
  }
  iconv_close(cd);
  if (bad) {
    rep->recovered = true;
    xs_note(rep, "%zu bytes not valid in %s replaced", bad, from);
  }
  return rc;
}

/* ---- stage 2: UTF-8 repair and forbidden characters ------------------------------------- */

static bool xs_xml_char_ok(uint32_t cp) {
  if (cp < 0x20) return cp == 0x9 || cp == 0xA || cp == 0xD;
  if (cp == 0xFFFE || cp == 0xFFFF) return false;
  return true;
}

/* Returns VT_OK and leaves out empty when s needs no change. */
static enum vt_err xs_clean(const char *s, size_t n, struct vt_buf *out,
                            struct xml_safe_report *rep) {
  const unsigned char *u = (const unsigned char *)s;
  size_t i = 0, done = 0, bad = 0, ctl = 0;
  enum vt_err rc = VT_OK;
  while (i < n) {
    unsigned char c = u[i];
    if (c >= 0x20 && c < 0x80) { /* the common case */
      i++;
      continue;
    }
    uint32_t cp;
    size_t k = c < 0x80 ? 1 : feed_text_utf8_next(u + i, n - i, &cp);
    if (c < 0x80) cp = c;
    if (k && xs_xml_char_ok(cp)) {
      i += k;
      continue;
    }
    rc = vt_buf_append(out, s + done, i - done);
    if (rc != VT_OK) return rc;
    if (!k) { /* a stray byte: read it as windows-1252 */
      char enc[4];
      rc = vt_buf_append(out, enc, feed_text_utf8_put(feed_text_cp1252(c), enc));
      bad++;
      i++;
    } else { /* a forbidden control character: dropped */
      ctl++;
      i += k;
    }
    if (rc != VT_OK) return rc;
    done = i;
  }
  if (out->len || done) rc = vt_buf_append(out, s + done, n - done);
  if (bad) xs_note(rep, "%zu bytes of invalid UTF-8 read as windows-1252", bad);
  if (ctl) xs_note(rep, "%zu control characters XML forbids removed", ctl);
  if (bad || ctl) rep->recovered = true;
  return rc;
}

/* ---- stage 3: references ------------------------------------------------------------------ */

struct xs_names {
  size_t n;
  char name[XS_MAX_DECLARED][XS_NAME_MAX];
};

static bool xs_name_char(unsigned char c, bool first) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' || c >= 0x80)
    return true;
  return !first && ((c >= '0' && c <= '9') || c == '-' || c == '.');
}

static bool xs_names_has(const struct xs_names *d, const char *s, size_t len) {
  for (size_t i = 0; i < d->n; i++)
    if (strlen(d->name[i]) == len && !memcmp(d->name[i], s, len)) return true;
  return false;
}

/* General entities declared in the internal subset that starts at s[i] ("<!DOCTYPE");
 * returns the index just past the subset's closing '>'. */
static size_t xs_doctype(const char *s, size_t n, size_t i, struct xs_names *d) {
  size_t depth = 0;
  for (; i < n; i++) {
    char c = s[i];
    if (c == '"' || c == '\'') {
      const char *q = memchr(s + i + 1, c, n - i - 1);
      if (!q) return n;
      i = (size_t)(q - s);
    } else if (c == '[') {
      depth++;
    } else if (c == ']') {
      if (depth) depth--;
    } else if (c == '>' && depth == 0) {
      return i + 1;
    } else if (c == '<' && n - i > 9 && !memcmp(s + i, "<!ENTITY", 8)) {
      size_t k = i + 8;
      while (k < n && (s[k] == ' ' || s[k] == '\t' || s[k] == '\n' || s[k] == '\r')) k++;
      if (k < n && s[k] == '%') continue; /* parameter entity */
      size_t b = k;
      while (k < n && xs_name_char((unsigned char)s[k], k == b)) k++;
      if (k > b && k - b < XS_NAME_MAX && d->n < XS_MAX_DECLARED) {
        memcpy(d->name[d->n], s + b, k - b);
        d->name[d->n][k - b] = '\0';
        d->n++;
      }
    } else if (c == '<' && n - i > 4 && !memcmp(s + i, "<!--", 4)) {
      const char *e = memmem(s + i + 4, n - i - 4, "-->", 3);
      if (!e) return n;
      i = (size_t)(e - s) + 2;
    }
  }
  return n;
}

static bool xs_valid_charref(const char *s, size_t len) {
  /* s = "#123" or "#x1F" (without ';') */
  uint32_t v = 0;
  size_t i = 1;
  bool hex = len > 1 && (s[1] == 'x' || s[1] == 'X');
  if (hex) i++;
  if (i >= len) return false;
  for (; i < len; i++) {
    char c = s[i];
    unsigned d;
    if (c >= '0' && c <= '9')
      d = (unsigned)(c - '0');
    else if (hex && c >= 'a' && c <= 'f')
      d = (unsigned)(c - 'a' + 10);
    else if (hex && c >= 'A' && c <= 'F')
      d = (unsigned)(c - 'A' + 10);
    else
      return false;
    v = v * (hex ? 16 : 10) + d;
    if (v > 0x10FFFF) return false;
  }
  return xs_xml_char_ok(v) && !(v >= 0xD800 && v <= 0xDFFF);
}

static enum vt_err xs_refs(const char *s, size_t n, struct vt_buf *out,
                           struct xml_safe_report *rep) {
  struct xs_names *declared = calloc(1, sizeof *declared);
  if (!declared) return VT_ERR_NO_MEMORY;
  size_t i = 0, done = 0, fixed = 0;
  enum vt_err rc = VT_OK;
  while (i < n && rc == VT_OK) {
    const char *p = memchr(s + i, '&', n - i);
    const char *lt = memchr(s + i, '<', (p ? (size_t)(p - s) : n) - i);
    if (lt) { /* markup before the next '&': skip what must not be touched */
      size_t j = (size_t)(lt - s), rest = n - j;
      const char *e = NULL;
      size_t skip = 0;
      if (rest >= 9 && !memcmp(lt, "<![CDATA[", 9)) {
        e = memmem(lt + 9, rest - 9, "]]>", 3);
        skip = 3;
      } else if (rest >= 4 && !memcmp(lt, "<!--", 4)) {
        e = memmem(lt + 4, rest - 4, "-->", 3);
        skip = 3;
      } else if (rest >= 2 && !memcmp(lt, "<?", 2)) {
        e = memmem(lt + 2, rest - 2, "?>", 2);
        skip = 2;
      } else if (rest >= 9 && !memcmp(lt, "<!DOCTYPE", 9)) {
        i = xs_doctype(s, n, j, declared);
        continue;
      } else {
        i = j + 1;
        continue;
      }
      i = e ? (size_t)(e - s) + skip : n;
      continue;
    }
    if (!p) break;
    size_t j = (size_t)(p - s);
    size_t k = j + 1;
    while (k < n && k - j < 40 && s[k] != ';' && s[k] != '&' && s[k] != '<' && s[k] != ' ')
      k++;
    const char *ref = s + j + 1;
    size_t ref_len = k - j - 1;
    bool closed = k < n && s[k] == ';';
    const char *repl = NULL;
    size_t repl_len = 0;
    char ent[FEED_TEXT_ENTITY_MAX];
    if (closed && ref_len > 0 && ref[0] == '#') {
      if (!xs_valid_charref(ref, ref_len)) {
        repl = "\xEF\xBF\xBD";
        repl_len = 3;
      }
    } else if (closed && ref_len > 0 && xs_name_char((unsigned char)ref[0], true)) {
      bool name_ok = true;
      for (size_t m = 1; m < ref_len; m++)
        if (!xs_name_char((unsigned char)ref[m], false)) name_ok = false;
      static const char *const predefined[] = {"amp", "lt", "gt", "quot", "apos", NULL};
      bool known = false;
      for (size_t m = 0; predefined[m]; m++)
        if (strlen(predefined[m]) == ref_len && !memcmp(predefined[m], ref, ref_len))
          known = true;
      if (!name_ok) {
        repl = "&amp;";
        repl_len = 5;
      } else if (!known && !xs_names_has(declared, ref, ref_len)) {
        repl_len = feed_text_entity(ref, ref_len, ent);
        repl = repl_len ? ent : "&amp;";
        if (!repl_len) repl_len = 5;
      }
    } else {
      repl = "&amp;"; /* a bare '&' */
      repl_len = 5;
    }
    if (!repl) {
      i = k + 1;
      continue;
    }
    rc = vt_buf_append(out, s + done, j - done);
    if (rc == VT_OK) rc = vt_buf_append(out, repl, repl_len);
    fixed++;
    /* a decoded named reference replaces "&name;", a bare '&' only itself */
    bool whole = repl != NULL && repl[0] != '&';
    i = done = whole ? k + 1 : j + 1;
  }
  if (rc == VT_OK && (out->len || done)) rc = vt_buf_append(out, s + done, n - done);
  if (fixed) {
    rep->recovered = true;
    xs_note(rep, "%zu references that XML does not define repaired (HTML entities, bare '&')",
            fixed);
  }
  free(declared);
  return rc;
}

/* ---- the parse ----------------------------------------------------------------------------- */

static xmlDocPtr xs_parse(const char *s, size_t n, const char *base_url,
                          struct xml_safe_report *rep, bool *bomb) {
  if (n > (size_t)INT32_MAX) return NULL;
  xmlParserCtxtPtr ctxt = xmlCreateMemoryParserCtxt(s, (int)n);
  if (!ctxt) return NULL;
  struct xs_state st = {.ctxt = ctxt, .rep = rep};
  /* options: recovery; entities substituted (internal ones only, see xs_entity_decl);
   * declared encoding ignored (the bytes are UTF-8 by now); CDATA merged into text; never
   * HUGE, never DTD loading or attribute defaulting, never network. */
  xmlCtxtUseOptions(ctxt, XML_PARSE_RECOVER | XML_PARSE_NOENT | XML_PARSE_NONET |
                              XML_PARSE_NOCDATA | XML_PARSE_IGNORE_ENC | XML_PARSE_COMPACT);
  ctxt->sax->entityDecl = xs_entity_decl;
  ctxt->sax->externalSubset = xs_external_subset;
  ctxt->sax->serror = NULL;
  /* libxml2's error channel is per thread: set it for this parse and restore it */
  xmlStructuredErrorFunc old_fn = xmlStructuredError;
  void *old_ctx = xmlStructuredErrorContext;
  xmlGenericErrorFunc old_gen = xmlGenericError;
  void *old_gen_ctx = xmlGenericErrorContext;
  xmlSetStructuredErrorFunc(&st, xs_on_error);
  xmlSetGenericErrorFunc(NULL, xs_quiet); /* the few messages that bypass the structured path */
  xmlParseDocument(ctxt);
  xmlSetStructuredErrorFunc(old_ctx, old_fn);
  xmlSetGenericErrorFunc(old_gen_ctx, old_gen);
  if (!ctxt->wellFormed || !ctxt->nsWellFormed) rep->recovered = true;
  xmlDocPtr doc = ctxt->myDoc;
  ctxt->myDoc = NULL;
  xmlFreeParserCtxt(ctxt);
  *bomb = st.bomb;
  if (doc && base_url) {
    xmlFree((xmlChar *)doc->URL);
    doc->URL = xmlStrdup((const xmlChar *)base_url);
  }
  return doc;
}

/* Pick the encoding and produce UTF-8 without a BOM in *out (or point *s at the input). */
static enum vt_err xs_decode(const char *data, size_t len, const char *hint,
                             struct xml_safe_report *rep, struct vt_buf *out,
                             const char **s, size_t *n) {
  const unsigned char *u = (const unsigned char *)data;
  const char *enc = NULL;
  size_t skip = 0;
  if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
    enc = "UTF-8", skip = 3;
  } else if (len >= 4 && u[0] == 0xFF && u[1] == 0xFE && u[2] == 0 && u[3] == 0) {
    enc = "UTF-32LE", skip = 4;
  } else if (len >= 4 && u[0] == 0 && u[1] == 0 && u[2] == 0xFE && u[3] == 0xFF) {
    enc = "UTF-32BE", skip = 4;
  } else if (len >= 2 && u[0] == 0xFF && u[1] == 0xFE) {
    enc = "UTF-16LE", skip = 2;
  } else if (len >= 2 && u[0] == 0xFE && u[1] == 0xFF) {
    enc = "UTF-16BE", skip = 2;
  } else if (len >= 4 && u[0] && !u[1] && u[2] && !u[3]) {
    enc = "UTF-16LE"; /* "<\0?\0": UTF-16 without a BOM */
  } else if (len >= 4 && !u[0] && u[1] && !u[2] && u[3]) {
    enc = "UTF-16BE";
  }
  char declared[XML_SAFE_ENCODING_BYTES] = "";
  if (!enc) {
    xs_declared(data, len, declared, sizeof declared);
    const char *cands[2] = {hint, declared[0] ? declared : NULL};
    for (int c = 0; c < 2 && !enc; c++) {
      const char *label = cands[c];
      if (!label || !*label) continue;
      if (xs_is_wide_label(label)) continue; /* ASCII bytes: the label is wrong */
      if (xs_is_utf8_label(label)) {
        enc = "UTF-8";
        break;
      }
      const char *name = xs_iconv_name(label);
      if (xs_iconv_known(name)) {
        enc = name;
      } else {
        rep->recovered = true;
        xs_note(rep, "unknown encoding \"%s\" ignored", label);
      }
    }
  }
  if (!enc) {
    /* detection: valid UTF-8 (ASCII included) is UTF-8, anything else windows-1252 */
    size_t i = 0;
    while (i < len) {
      if (u[i] < 0x80) {
        i++;
        continue;
      }
      uint32_t cp;
      size_t k = feed_text_utf8_next(u + i, len - i, &cp);
      if (!k) break;
      i += k;
    }
    enc = i == len ? "UTF-8" : "WINDOWS-1252";
    if (i != len) {
      rep->recovered = true;
      xs_note(rep, "no encoding declared and not UTF-8: read as windows-1252");
    }
  }
  snprintf(rep->encoding, sizeof rep->encoding, "%s", enc);
  if (!strcmp(enc, "UTF-8")) {
    *s = data + skip;
    *n = len - skip;
    return VT_OK;
  }
  enum vt_err rc = xs_iconv(enc, data + skip, len - skip, out, rep);
  if (rc != VT_OK) return rc;
  /* iconv keeps a BOM it was not told to expect; drop it */
  size_t b = out->len >= 3 && !memcmp(out->data, "\xEF\xBB\xBF", 3) ? 3 : 0;
  *s = out->data ? out->data + b : "";
  *n = out->len - b;
  return VT_OK;
}

xmlDocPtr xml_safe_read(const char *data, size_t len, const char *charset_hint,
                        const char *base_url, struct xml_safe_report *rep,
                        struct vt_error *err) {
  memset(rep, 0, sizeof *rep);
  pthread_once(&xs_once, xs_init_once);
  if (len > VT_LIMIT_XML_BYTES) {
    vt_error_set(err, VT_ERR_TOO_LARGE, "", "the document is over %d bytes",
                 VT_LIMIT_XML_BYTES);
    return NULL;
  }
  struct vt_buf decoded = {0}, cleaned = {0}, refs = {0};
  const char *s = NULL;
  size_t n = 0;
  xmlDocPtr doc = NULL;
  bool bomb = false;
  enum vt_err rc = xs_decode(data ? data : "", data ? len : 0, charset_hint, rep, &decoded,
                             &s, &n);
  if (rc == VT_OK) rc = xs_clean(s, n, &cleaned, rep);
  if (rc == VT_OK && cleaned.data) s = cleaned.data, n = cleaned.len;
  if (rc == VT_OK) rc = xs_refs(s, n, &refs, rep);
  if (rc == VT_OK && refs.data) s = refs.data, n = refs.len;
  if (rc != VT_OK) {
    vt_error_no_memory(err);
    goto out;
  }
  /* whitespace before the XML declaration is an error libxml2 would recover from by
   * dropping the declaration; it means nothing, so skip it */
  size_t ws = 0;
  while (ws < n && (s[ws] == ' ' || s[ws] == '\t' || s[ws] == '\r' || s[ws] == '\n')) ws++;
  if (ws < n && n - ws >= 5 && !memcmp(s + ws, "<?xml", 5)) s += ws, n -= ws;
  if (ws == n) {
    vt_error_set(err, VT_ERR_INVALID, "", "the document is empty");
    goto out;
  }
  doc = xs_parse(s, n, base_url, rep, &bomb);
  if (bomb) {
    xmlFreeDoc(doc);
    doc = NULL;
    vt_error_set(err, VT_ERR_INVALID, "",
                 "entity expansion over its bound (an entity bomb): document refused");
  } else if (!doc || !xmlDocGetRootElement(doc)) {
    xmlFreeDoc(doc);
    doc = NULL;
    vt_error_set(err, VT_ERR_INVALID, "", "not XML: %s",
                 rep->n_errors ? rep->errors[0] : "no root element");
  }
out:
  vt_buf_free(&decoded);
  vt_buf_free(&cleaned);
  vt_buf_free(&refs);
  return doc;
}

char *xml_safe_text(const xmlNode *node) {
  if (!node) return NULL;
  xmlChar *t = xmlNodeGetContent(node);
  if (t) return (char *)t;
  return (char *)xmlStrdup((const xmlChar *)"");
}

bool xml_safe_is(const xmlNode *n, const char *name) {
  return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

xmlNode *xml_safe_child(const xmlNode *n, const char *name) {
  for (xmlNode *c = n ? n->children : NULL; c; c = c->next)
    if (xml_safe_is(c, name)) return c;
  return NULL;
}
