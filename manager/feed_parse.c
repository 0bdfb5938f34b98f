/* feed_parse: RSS / Atom tree → struct feed (see feed_parse.h).
 *
 * The root element decides the family (rss, rdf:RDF, feed) and the format; then one walk
 * over the channel (or feed) and one over each item, matching elements by namespace URI.
 * Recovery keeps an element with an undeclared prefix as a plain "media:content" name, so
 * each extension element is also matched by its conventional prefix. */
#include "feed_parse.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/uri.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "feed_date.h"
#include "feed_text.h"
#include "json.h"
#include "vt_limits.h"
#include "xml_safe.h"

#define NS_ATOM10 "http://www.w3.org/2005/Atom"
#define NS_ATOM03 "http://purl.org/atom/ns#"
#define NS_RSS10 "http://purl.org/rss/1.0/"
#define NS_RSS090 "http://my.netscape.com/rdf/simple/0.9/"
#define NS_RSS090_ALT "http://channel.netscape.com/rdf/simple/0.9/"
#define NS_RSS_USERLAND "http://backend.userland.com/rss2"
#define NS_RDF "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#define NS_DC "http://purl.org/dc/elements/1.1/"
#define NS_DCTERMS "http://purl.org/dc/terms/"
#define NS_CONTENT "http://purl.org/rss/1.0/modules/content/"
#define NS_MEDIA "http://search.yahoo.com/mrss/"
#define NS_ITUNES "http://www.itunes.com/dtds/podcast-1.0.dtd"

struct fp_ctx {
  bool atom;           /* family */
  const char *atom_ns; /* the Atom namespace of this document (NULL: none declared) */
  bool entry_doc;      /* the root is an Atom <entry> */
  struct feed *f;
  bool oom;
};

/* ---- element matching ---------------------------------------------------------------------- */

static const char *fp_href(const xmlNode *n) {
  return n->ns && n->ns->href ? (const char *)n->ns->href : NULL;
}

static bool fp_ns_eq(const char *a, const char *b) {
  /* namespace URIs as found in the wild: with or without the trailing slash */
  size_t la = strlen(a), lb = strlen(b);
  if (la && a[la - 1] == '/') la--;
  if (lb && b[lb - 1] == '/') lb--;
  return la == lb && !memcmp(a, b, la);
}

/* Element `local` in namespace ns; or, when recovery left it without a namespace, named
 * "prefix:local". */
static bool fp_is(const xmlNode *n, const char *ns, const char *prefix, const char *local) {
  if (!n || n->type != XML_ELEMENT_NODE) return false;
  const char *name = (const char *)n->name;
  const char *h = fp_href(n);
  if (h) return fp_ns_eq(h, ns) && !strcmp(name, local);
  size_t pl = strlen(prefix);
  return !strncmp(name, prefix, pl) && name[pl] == ':' && !strcmp(name + pl + 1, local);
}

/* An RSS element: no namespace (0.9x, 2.0) or one of the RSS namespaces (RDF flavours). */
static bool fp_rss(const xmlNode *n, const char *local) {
  if (!n || n->type != XML_ELEMENT_NODE || strcmp((const char *)n->name, local)) return false;
  const char *h = fp_href(n);
  return !h || fp_ns_eq(h, NS_RSS10) || fp_ns_eq(h, NS_RSS090) || fp_ns_eq(h, NS_RSS090_ALT) ||
         !strcmp(h, NS_RSS_USERLAND);
}

static bool fp_atom(const struct fp_ctx *c, const xmlNode *n, const char *local) {
  if (!n || n->type != XML_ELEMENT_NODE || strcmp((const char *)n->name, local)) return false;
  const char *h = fp_href(n);
  if (c->atom) return c->atom_ns ? (h && !strcmp(h, c->atom_ns)) : !h;
  return false;
}

/* atom:* inside RSS (atom:link in items and channels) */
static bool fp_atom_in_rss(const xmlNode *n, const char *local) {
  return fp_is(n, NS_ATOM10, "atom", local) || fp_is(n, NS_ATOM03, "atom", local);
}

static const char *fp_attr(const xmlNode *n, const char *name) {
  for (const xmlAttr *a = n->properties; a; a = a->next)
    if (!strcmp((const char *)a->name, name) && a->children && a->children->content)
      return (const char *)a->children->content;
  return NULL;
}

/* ---- values ---------------------------------------------------------------------------------- */

static void fp_error(struct fp_ctx *c, const char *msg) {
  struct feed *f = c->f;
  if (f->n_errors >= FEED_MAX_ERRORS) return;
  char *s = strdup(msg);
  if (!s) {
    c->oom = true;
    return;
  }
  f->errors[f->n_errors++] = s;
}

static char *fp_trim_dup(struct fp_ctx *c, const char *s, size_t max) {
  while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n') s++;
  size_t n = strlen(s);
  while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n')) n--;
  if (n == 0 || n > max) return NULL;
  char *r = strndup(s, n);
  if (!r) c->oom = true;
  return r;
}

/* Text of node in the given mode; NULL when empty. */
static char *fp_text(struct fp_ctx *c, const xmlNode *n, enum feed_text_mode mode, bool guess,
                     size_t max) {
  char *raw = xml_safe_text(n);
  if (!raw) {
    c->oom = true;
    return NULL;
  }
  size_t len = strlen(raw);
  if (guess) mode = feed_text_looks_html(raw, len) ? FEED_TEXT_HTML : FEED_TEXT_PLAIN;
  char *t = feed_text_clean(raw, len, mode, max);
  xmlFree(raw);
  if (!t) {
    c->oom = true;
    return NULL;
  }
  if (!*t) {
    free(t);
    return NULL;
  }
  return t;
}

static int fp_b64(unsigned char ch) {
  if (ch >= 'A' && ch <= 'Z') return ch - 'A';
  if (ch >= 'a' && ch <= 'z') return ch - 'a' + 26;
  if (ch >= '0' && ch <= '9') return ch - '0' + 52;
  if (ch == '+' || ch == '-') return 62;
  if (ch == '/' || ch == '_') return 63;
  return -1;
}

/* Decodes base64 in place (whitespace skipped, stops at '='); returns the length. */
static size_t fp_unbase64(char *s) {
  size_t o = 0;
  unsigned acc = 0;
  int bits = 0;
  for (size_t i = 0; s[i] && s[i] != '='; i++) {
    int v = fp_b64((unsigned char)s[i]);
    if (v < 0) continue;
    acc = (acc << 6) | (unsigned)v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      s[o++] = (char)((acc >> bits) & 0xFF);
    }
  }
  s[o] = '\0';
  return o;
}

/* An Atom text construct (title, summary, content; 1.0 type=text|html|xhtml, 0.3 also
 * MIME types and mode=xml|escaped|base64) as plain text. */
static char *fp_atom_text(struct fp_ctx *c, const xmlNode *n, size_t max) {
  const char *type = fp_attr(n, "type");
  const char *mode = fp_attr(n, "mode");
  bool xhtml = type && (!strcasecmp(type, "xhtml") || !strcasecmp(type, "application/xhtml+xml"));
  bool html = type && (!strcasecmp(type, "html") || !strcasecmp(type, "text/html"));
  if (xhtml || (mode && !strcasecmp(mode, "xml") && (html || xhtml))) {
    /* markup as child elements: serialise them, then strip as HTML */
    xmlBufferPtr b = xmlBufferCreate();
    if (!b) {
      c->oom = true;
      return NULL;
    }
    for (xmlNode *k = n->children; k; k = k->next) xmlNodeDump(b, n->doc, k, 0, 0);
    char *t = feed_text_clean((const char *)xmlBufferContent(b), (size_t)xmlBufferLength(b),
                              FEED_TEXT_HTML, max);
    xmlBufferFree(b);
    if (!t) c->oom = true;
    if (t && !*t) {
      free(t);
      t = NULL;
    }
    return t;
  }
  /* Atom 1.0: a MIME type that is neither text nor XML means base64 (RFC 4287 §4.1.3.3) */
  bool mime_b64 =
      type && strchr(type, '/') && strncasecmp(type, "text/", 5) && !strstr(type, "xml");
  if ((mode && !strcasecmp(mode, "base64")) || mime_b64) {
    char *raw = xml_safe_text(n);
    char *copy = raw ? strdup(raw) : NULL;
    if (!raw || !copy) {
      xmlFree(raw);
      free(copy);
      c->oom = true;
      return NULL;
    }
    size_t len = fp_unbase64(copy);
    /* a MIME type alone is a weak claim: text that does not decode to UTF-8 stays text */
    bool text = mode && !strcasecmp(mode, "base64");
    for (size_t i = 0; !text && i < len;) {
      uint32_t cp;
      size_t k = feed_text_utf8_next((const unsigned char *)copy + i, len - i, &cp);
      if (!k || (cp < 0x20 && cp != '\n' && cp != '\t' && cp != '\r')) break;
      i += k;
      if (i == len) text = true;
    }
    const char *src = text ? copy : raw;
    size_t src_len = text ? len : strlen(raw);
    enum feed_text_mode m =
        html || feed_text_looks_html(src, src_len) ? FEED_TEXT_HTML : FEED_TEXT_PLAIN;
    char *t = feed_text_clean(src, src_len, m, max);
    xmlFree(raw);
    free(copy);
    if (!t) c->oom = true;
    if (t && !*t) {
      free(t);
      t = NULL;
    }
    return t;
  }
  if (html || (mode && !strcasecmp(mode, "escaped")))
    return fp_text(c, n, FEED_TEXT_HTML, false, max);
  return fp_text(c, n, FEED_TEXT_PLAIN, false, max);
}

/* href resolved against xml:base (nested) and the document URL. NULL when empty or too
 * long to be a URL anyone can open. */
static char *fp_url(struct fp_ctx *c, const xmlNode *n, const char *href) {
  if (!href) return NULL;
  char *h = fp_trim_dup(c, href, VT_LIMIT_FEED_URL_BYTES);
  if (!h) return NULL;
  xmlChar *base = xmlNodeGetBase(n->doc, n);
  if (!base) return h;
  xmlChar *abs = xmlBuildURI((const xmlChar *)h, base);
  xmlFree(base);
  if (!abs) return h; /* not a URI libxml2 can resolve: keep it as written */
  char *r = NULL;
  if (strlen((const char *)abs) <= VT_LIMIT_FEED_URL_BYTES) {
    r = strdup((const char *)abs);
    if (!r) c->oom = true;
  }
  xmlFree(abs);
  free(h);
  return r;
}

static char *fp_node_url(struct fp_ctx *c, const xmlNode *n) {
  char *raw = xml_safe_text(n);
  if (!raw) {
    c->oom = true;
    return NULL;
  }
  char *u = fp_url(c, n, raw);
  xmlFree(raw);
  return u;
}

/* The alternate link among n's link children (Atom rule: rel absent or "alternate", first
 * one wins). */
static char *fp_atom_alternate(struct fp_ctx *c, const xmlNode *parent, bool in_rss) {
  for (const xmlNode *k = parent->children; k; k = k->next) {
    if (in_rss ? !fp_atom_in_rss(k, "link") : !fp_atom(c, k, "link")) continue;
    const char *rel = fp_attr(k, "rel");
    if (rel && strcmp(rel, "alternate") &&
        strcmp(rel, "http://www.iana.org/assignments/relation/alternate"))
      continue;
    const char *href = fp_attr(k, "href");
    if (!href) continue;
    char *u = fp_url(c, k, href);
    if (u) return u;
  }
  return NULL;
}

static bool fp_is_image_type(const char *type) { return type && !strncasecmp(type, "image/", 6); }

static bool fp_url_looks_image(const char *url) {
  const char *dot = strrchr(url, '.');
  if (!dot) return false;
  static const char *const ext[] = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", NULL};
  for (size_t i = 0; ext[i]; i++) {
    size_t l = strlen(ext[i]);
    if (!strncasecmp(dot, ext[i], l) && (dot[l] == '\0' || dot[l] == '?')) return true;
  }
  return false;
}

/* The image of an item, best first: media:thumbnail, media:content that is an image, an
 * image enclosure (RSS enclosure or Atom link rel=enclosure), itunes:image. Looks inside
 * media:group and one level into media:content (thumbnails of a video). */
static char *fp_image(struct fp_ctx *c, const xmlNode *item) {
  enum { THUMB, CONTENT, ENCL, ITUNES, N };
  const xmlNode *best[N] = {0};
  const char *best_url[N] = {0};
  const xmlNode *stack[3] = {item, NULL, NULL};
  for (int level = 0; level < 3 && stack[level]; level++) {
    for (const xmlNode *k = stack[level]->children; k; k = k->next) {
      if (k->type != XML_ELEMENT_NODE) continue;
      const char *url;
      if (fp_is(k, NS_MEDIA, "media", "thumbnail") && (url = fp_attr(k, "url"))) {
        if (!best[THUMB]) best[THUMB] = k, best_url[THUMB] = url;
      } else if (fp_is(k, NS_MEDIA, "media", "content")) {
        const char *medium = fp_attr(k, "medium");
        url = fp_attr(k, "url");
        bool image = (medium && !strcmp(medium, "image")) || fp_is_image_type(fp_attr(k, "type")) ||
                     (!medium && !fp_attr(k, "type") && url && fp_url_looks_image(url));
        if (url && image && !best[CONTENT]) best[CONTENT] = k, best_url[CONTENT] = url;
        if (level < 2 && !stack[level + 1] && k->children) stack[level + 1] = k;
      } else if (fp_is(k, NS_MEDIA, "media", "group")) {
        if (level < 2 && !stack[level + 1]) stack[level + 1] = k;
      } else if (level == 0 && fp_rss(k, "enclosure") && (url = fp_attr(k, "url"))) {
        const char *type = fp_attr(k, "type");
        if ((fp_is_image_type(type) || (!type && fp_url_looks_image(url))) && !best[ENCL])
          best[ENCL] = k, best_url[ENCL] = url;
      } else if (level == 0 && (c->atom ? fp_atom(c, k, "link") : fp_atom_in_rss(k, "link"))) {
        const char *rel = fp_attr(k, "rel");
        url = fp_attr(k, "href");
        if (rel && !strcmp(rel, "enclosure") && url && fp_is_image_type(fp_attr(k, "type")) &&
            !best[ENCL])
          best[ENCL] = k, best_url[ENCL] = url;
      } else if (level == 0 && fp_is(k, NS_ITUNES, "itunes", "image") &&
                 (url = fp_attr(k, "href"))) {
        if (!best[ITUNES]) best[ITUNES] = k, best_url[ITUNES] = url;
      }
    }
  }
  for (int i = 0; i < N; i++)
    if (best[i]) {
      char *u = fp_url(c, best[i], best_url[i]);
      if (u) return u;
    }
  return NULL;
}

/* ---- items --------------------------------------------------------------------------------- */

/* Date candidates in order of preference: when the item was first published beats when
 * it was last changed. */
enum fp_date_rank {
  D_PUBLISHED,
  D_ISSUED,
  D_CREATED,
  D_PUBDATE,
  D_DC_DATE,
  D_UPDATED,
  D_MODIFIED,
  D_N
};

static int fp_date_rank(const struct fp_ctx *c, const xmlNode *k) {
  if (c->atom) {
    if (fp_atom(c, k, "published")) return D_PUBLISHED;
    if (fp_atom(c, k, "issued")) return D_ISSUED;
    if (fp_atom(c, k, "created")) return D_CREATED;
    if (fp_atom(c, k, "updated")) return D_UPDATED;
    if (fp_atom(c, k, "modified")) return D_MODIFIED;
  } else {
    if (fp_rss(k, "pubDate")) return D_PUBDATE;
    if (fp_atom_in_rss(k, "published")) return D_PUBLISHED;
    if (fp_atom_in_rss(k, "updated")) return D_UPDATED;
  }
  if (fp_is(k, NS_DC, "dc", "date")) return D_DC_DATE;
  if (fp_is(k, NS_DCTERMS, "dcterms", "issued")) return D_ISSUED;
  if (fp_is(k, NS_DCTERMS, "dcterms", "created")) return D_CREATED;
  if (fp_is(k, NS_DCTERMS, "dcterms", "modified")) return D_MODIFIED;
  return -1;
}

static void fp_item(struct fp_ctx *c, const xmlNode *it, struct feed_item *out) {
  const xmlNode *title = NULL, *dc_title = NULL, *link = NULL, *guid = NULL, *desc = NULL,
                *content = NULL, *alt_summary = NULL;
  int64_t date_ms[D_N];
  bool have_date[D_N] = {0};
  for (const xmlNode *k = it->children; k; k = k->next) {
    if (k->type != XML_ELEMENT_NODE) continue;
    int rank = fp_date_rank(c, k);
    if (rank >= 0) {
      char *raw = xml_safe_text(k);
      if (!raw) {
        c->oom = true;
        continue;
      }
      int64_t ms;
      /* the last element of a kind wins, as in feedparser */
      if (feed_date_parse(raw, &ms)) have_date[rank] = true, date_ms[rank] = ms;
      xmlFree(raw);
      continue;
    }
    if (c->atom) {
      if (fp_atom(c, k, "title") && !title)
        title = k;
      else if (fp_atom(c, k, "summary") && !desc)
        desc = k;
      else if (fp_atom(c, k, "content") && !content && !fp_attr(k, "src"))
        content = k;
    } else {
      if (fp_rss(k, "title") && !title)
        title = k;
      else if (fp_rss(k, "link") && !link)
        link = k;
      else if (fp_rss(k, "guid") && !guid)
        guid = k;
      else if (fp_rss(k, "description") && !desc)
        desc = k;
      else if (fp_is(k, NS_CONTENT, "content", "encoded") && !content)
        content = k;
      else if (fp_atom_in_rss(k, "summary") && !alt_summary)
        alt_summary = k;
    }
    if (fp_is(k, NS_DC, "dc", "title") && !dc_title)
      dc_title = k;
    else if (!alt_summary && (fp_is(k, NS_ITUNES, "itunes", "summary") ||
                              fp_is(k, NS_MEDIA, "media", "description")))
      alt_summary = k;
  }
  if (c->atom) {
    out->title = title ? fp_atom_text(c, title, VT_LIMIT_FEED_TITLE_BYTES) : NULL;
    out->summary = desc ? fp_atom_text(c, desc, VT_LIMIT_FEED_SUMMARY_BYTES) : NULL;
    if (!out->summary && content)
      out->summary = fp_atom_text(c, content, VT_LIMIT_FEED_SUMMARY_BYTES);
    out->link = fp_atom_alternate(c, it, false);
  } else {
    out->title = title ? fp_text(c, title, FEED_TEXT_PLAIN, true, VT_LIMIT_FEED_TITLE_BYTES) : NULL;
    out->summary =
        desc ? fp_text(c, desc, FEED_TEXT_HTML, false, VT_LIMIT_FEED_SUMMARY_BYTES) : NULL;
    if (!out->summary && content)
      out->summary = fp_text(c, content, FEED_TEXT_HTML, false, VT_LIMIT_FEED_SUMMARY_BYTES);
    if (link) out->link = fp_node_url(c, link);
    if (!out->link) out->link = fp_atom_alternate(c, it, true);
    if (!out->link && guid) {
      /* a guid is a permalink unless it says otherwise; only a URL can serve as a link */
      const char *perma = fp_attr(guid, "isPermaLink");
      if (!perma || strcasecmp(perma, "false")) {
        char *g = fp_node_url(c, guid);
        if (g && (!strncasecmp(g, "http://", 7) || !strncasecmp(g, "https://", 8)))
          out->link = g;
        else
          free(g);
      }
    }
  }
  if (!out->title && dc_title)
    out->title = fp_text(c, dc_title, FEED_TEXT_PLAIN, true, VT_LIMIT_FEED_TITLE_BYTES);
  if (!out->summary && alt_summary)
    out->summary = fp_text(c, alt_summary, FEED_TEXT_HTML, false, VT_LIMIT_FEED_SUMMARY_BYTES);
  for (int r = 0; r < D_N; r++)
    if (have_date[r]) {
      out->published_ms = date_ms[r];
      out->has_published = true;
      break;
    }
  out->image = fp_image(c, it);
}

static void fp_add_item(struct fp_ctx *c, const xmlNode *it, size_t *cap, size_t *seen) {
  (*seen)++;
  struct feed *f = c->f;
  if (f->n_items >= VT_LIMIT_FEED_ITEMS || c->oom) return;
  if (f->n_items == *cap) {
    size_t ncap = *cap ? *cap * 2 : 16;
    if (ncap > VT_LIMIT_FEED_ITEMS) ncap = VT_LIMIT_FEED_ITEMS;
    struct feed_item *g = realloc(f->items, ncap * sizeof *g);
    if (!g) {
      c->oom = true;
      return;
    }
    f->items = g;
    *cap = ncap;
  }
  struct feed_item *item = &f->items[f->n_items++];
  memset(item, 0, sizeof *item);
  fp_item(c, it, item);
}

/* ---- the feed -------------------------------------------------------------------------------- */

/* Format from the root; false when the root is not a feed. */
static bool fp_detect(struct fp_ctx *c, const xmlNode *root) {
  struct feed *f = c->f;
  const char *name = (const char *)root->name;
  const char *h = fp_href(root);
  if (!strcmp(name, "rss") && (!h || fp_ns_eq(h, NS_RSS_USERLAND))) {
    const char *v = fp_attr(root, "version");
    bool ok = v && *v;
    for (const char *p = v; ok && *p; p++)
      if (!((*p >= '0' && *p <= '9') || *p == '.')) ok = false;
    if (ok && strlen(v) <= 5) {
      /* "0.9" and "0.90" are both RSS 0.90 */
      if (!strcmp(v, "0.9")) v = "0.90";
      if (!strcmp(v, "2") || !strcmp(v, "2.00")) v = "2.0";
      snprintf(f->format, sizeof f->format, "rss%s", v);
    } else {
      snprintf(f->format, sizeof f->format, "rss");
    }
    return true;
  }
  if (!strcmp(name, "RDF") || !strcmp(name, "rdf:RDF")) {
    /* the RSS flavour is the namespace of the channel, else the default namespace */
    const char *ns = NULL;
    for (const xmlNode *k = root->children; k && !ns; k = k->next)
      if (k->type == XML_ELEMENT_NODE &&
          (!strcmp((const char *)k->name, "channel") || !strcmp((const char *)k->name, "item")))
        ns = fp_href(k);
    for (const xmlNs *d = root->nsDef; d && !ns; d = d->next)
      if (!d->prefix && d->href) ns = (const char *)d->href;
    if (ns && (fp_ns_eq(ns, NS_RSS090) || fp_ns_eq(ns, NS_RSS090_ALT)))
      snprintf(f->format, sizeof f->format, "rss0.90");
    else
      snprintf(f->format, sizeof f->format, "rss1.0");
    return true;
  }
  if (!strcmp(name, "feed") || !strcmp(name, "entry")) {
    /* "entry": an Atom entry document (RFC 4287 §4.1.2), a feed of one */
    c->atom = true;
    c->entry_doc = !strcmp(name, "entry");
    c->atom_ns = h;
    const char *v = fp_attr(root, "version");
    if (h && !strcmp(h, NS_ATOM03))
      snprintf(f->format, sizeof f->format, "atom0.3");
    else if (h && !strcmp(h, NS_ATOM10))
      snprintf(f->format, sizeof f->format, "atom1.0");
    else if (!h && v && !strcmp(v, "0.3"))
      snprintf(f->format, sizeof f->format, "atom0.3");
    else if (!h)
      snprintf(f->format, sizeof f->format, "atom1.0");
    else
      return false;
    return true;
  }
  return false;
}

static void fp_channel(struct fp_ctx *c, const xmlNode *ch) {
  struct feed *f = c->f;
  const xmlNode *dc_title = NULL;
  for (const xmlNode *k = ch->children; k; k = k->next) {
    if (k->type != XML_ELEMENT_NODE) continue;
    if (c->atom) {
      if (fp_atom(c, k, "title") && !f->title)
        f->title = fp_atom_text(c, k, VT_LIMIT_FEED_TITLE_BYTES);
    } else {
      if (fp_rss(k, "title") && !f->title)
        f->title = fp_text(c, k, FEED_TEXT_PLAIN, true, VT_LIMIT_FEED_TITLE_BYTES);
      else if (fp_rss(k, "link") && !f->link)
        f->link = fp_node_url(c, k);
    }
    if (fp_is(k, NS_DC, "dc", "title") && !dc_title) dc_title = k;
  }
  if (!f->title && dc_title)
    f->title = fp_text(c, dc_title, FEED_TEXT_PLAIN, true, VT_LIMIT_FEED_TITLE_BYTES);
  if (!f->link) f->link = fp_atom_alternate(c, ch, !c->atom);
}

static void fp_walk(struct fp_ctx *c, const xmlNode *root) {
  size_t cap = 0, seen = 0;
  if (c->entry_doc) {
    fp_add_item(c, root, &cap, &seen);
  } else if (c->atom) {
    fp_channel(c, root);
    for (const xmlNode *k = root->children; k; k = k->next)
      if (fp_atom(c, k, "entry")) fp_add_item(c, k, &cap, &seen);
  } else {
    const xmlNode *channel = NULL;
    for (const xmlNode *k = root->children; k && !channel; k = k->next)
      if (fp_rss(k, "channel")) channel = k;
    if (channel) fp_channel(c, channel);
    /* items: inside the channel (0.9x, 2.0) or beside it (0.90, 1.0), sometimes both */
    if (channel)
      for (const xmlNode *k = channel->children; k; k = k->next)
        if (fp_rss(k, "item")) fp_add_item(c, k, &cap, &seen);
    for (const xmlNode *k = root->children; k; k = k->next)
      if (fp_rss(k, "item")) fp_add_item(c, k, &cap, &seen);
  }
  if (seen > c->f->n_items && !c->oom) {
    char msg[96];
    snprintf(msg, sizeof msg, "%zu items; the first %d kept", seen, VT_LIMIT_FEED_ITEMS);
    fp_error(c, msg);
  }
}

enum vt_err feed_parse(const char *data, size_t len, const char *charset_hint, const char *url,
                       struct feed **out, struct vt_error *err) {
  *out = NULL;
  struct xml_safe_report rep;
  xmlDocPtr doc = xml_safe_read(data, len, charset_hint, url, &rep, err);
  if (!doc) return err ? err->code : VT_ERR_INVALID;
  struct feed *f = calloc(1, sizeof *f);
  if (!f) {
    xmlFreeDoc(doc);
    return vt_error_no_memory(err);
  }
  struct fp_ctx c = {.f = f};
  const xmlNode *root = xmlDocGetRootElement(doc);
  if (!fp_detect(&c, root)) {
    vt_error_set(err, VT_ERR_INVALID, "", "root element <%s> is not RSS or Atom",
                 (const char *)root->name);
    xmlFreeDoc(doc);
    feed_free(f);
    return VT_ERR_INVALID;
  }
  snprintf(f->encoding, sizeof f->encoding, "%s", rep.encoding);
  f->recovered = rep.recovered;
  if (rep.recovered) fp_error(&c, "not well-formed: recovered as far as possible");
  for (size_t i = 0; i < rep.n_errors; i++) fp_error(&c, rep.errors[i]);
  fp_walk(&c, root);
  xmlFreeDoc(doc);
  if (c.oom) {
    feed_free(f);
    return vt_error_no_memory(err);
  }
  *out = f;
  return VT_OK;
}

static json_t *fp_str_or_null(const char *s) { return s ? json_string(s) : json_null(); }

json_t *feed_to_json(const struct feed *f) {
  json_t *o = json_object();
  json_t *items = json_array();
  json_t *errors = json_array();
  if (!o || !items || !errors || json_object_set_new(o, "format", json_string(f->format)) ||
      json_object_set_new(o, "title", fp_str_or_null(f->title)) ||
      json_object_set_new(o, "link", fp_str_or_null(f->link))) {
    json_decref(o);
    json_decref(items);
    json_decref(errors);
    return NULL;
  }
  /* set_new takes the reference even when it fails */
  bool ok = !json_object_set_new(o, "items", items);
  if (!ok) json_decref(errors);
  ok = ok && !json_object_set_new(o, "errors", errors);
  for (size_t i = 0; ok && i < f->n_items; i++) {
    const struct feed_item *it = &f->items[i];
    json_t *j = json_object();
    ok =
        !json_array_append_new(items, j) && j &&
        !json_object_set_new(j, "title", fp_str_or_null(it->title)) &&
        !json_object_set_new(j, "link", fp_str_or_null(it->link)) &&
        !json_object_set_new(
            j, "published", it->has_published ? vt_json_time_new(it->published_ms) : json_null()) &&
        !json_object_set_new(j, "summary", fp_str_or_null(it->summary)) &&
        !json_object_set_new(j, "image", fp_str_or_null(it->image));
  }
  for (size_t i = 0; ok && i < f->n_errors; i++)
    ok = !json_array_append_new(errors, json_string(f->errors[i]));
  if (!ok) {
    json_decref(o);
    return NULL;
  }
  return o;
}

void feed_free(struct feed *f) {
  if (!f) return;
  for (size_t i = 0; i < f->n_items; i++) {
    free(f->items[i].title);
    free(f->items[i].link);
    free(f->items[i].summary);
    free(f->items[i].image);
  }
  free(f->items);
  free(f->title);
  free(f->link);
  for (size_t i = 0; i < f->n_errors; i++) free(f->errors[i]);
  free(f);
}
