/* The feed fetcher's thread (see feed_fetch.h). */
#include "feed_fetch.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "choice.h"
#include "feed_data.h"
#include "idset.h"
#include "log.h"
#include "manifest.h"
#include "sources.h"
#include "store.h"
#include "timeutil.h"

const struct feed_fetcher_options feed_fetcher_defaults = {8, FETCH_DEFAULT_LIMITS, 1000};

/* One feed being fetched: its settings as read when it was claimed, and for an NWS
 * weather feed with a forecast URL, the first document while the second is fetched. */
struct job {
  int64_t feed_id;
  enum vt_source_kind kind;
  char *url, *forecast_url, *place_name, *etag, *last_modified;
  double lat, lon; /* the owner's, NAN when not set */
  struct fetch *fetch;
  bool second_stage;
  struct fetch_result first;
  struct job *next;
};

/* A feed whose result could not be stored (the database busy or failing): not claimed again
 * before `until`, so a store problem does not turn into a fetch a second. */
#define COOLDOWN_MAX 64
#define COOLDOWN_MS 60000
struct cooldown {
  int64_t feed_id, until_ms;
};

struct feed_fetcher {
  struct cooldown cooldown[COOLDOWN_MAX];
  size_t n_cooldown;
  struct store *store;
  struct hub *hub;
  struct feed_fetcher_options opt;
  CURLM *multi;
  struct job *jobs;
  size_t n_jobs;
  atomic_bool stopping;
  pthread_t thread;
};

static char *dup_col(struct store_stmt *st, int i) {
  return store_col_null(st, i) ? NULL : strdup(store_col_text(st, i));
}

static void job_free(struct job *j) {
  free(j->url);
  free(j->forecast_url);
  free(j->place_name);
  free(j->etag);
  free(j->last_modified);
  fetch_free(j->fetch);
  fetch_result_clear(&j->first);
  free(j);
}

static bool job_running(const struct feed_fetcher *f, int64_t feed_id) {
  for (const struct job *j = f->jobs; j; j = j->next)
    if (j->feed_id == feed_id) return true;
  return false;
}

static bool cooling(struct feed_fetcher *f, int64_t feed_id, int64_t now_ms) {
  for (size_t i = 0; i < f->n_cooldown; i++)
    if (f->cooldown[i].feed_id == feed_id) {
      if (now_ms < f->cooldown[i].until_ms) return true;
      f->cooldown[i] = f->cooldown[--f->n_cooldown];
      return false;
    }
  return false;
}

static void cool_down(struct feed_fetcher *f, int64_t feed_id) {
  size_t i = 0;
  while (i < f->n_cooldown && f->cooldown[i].feed_id != feed_id) i++;
  if (i == COOLDOWN_MAX) i = 0; /* full: the oldest slot is as good as any */
  if (i == f->n_cooldown) f->n_cooldown++;
  f->cooldown[i] = (struct cooldown){feed_id, vt_mono_ms() + COOLDOWN_MS};
}

/* After a store call for j: a feed changed or deleted meanwhile is dropped quietly (its new
 * addresses are fetched on their own); a store that failed cools the feed down. */
static void after_store(struct feed_fetcher *f, const struct job *j, enum vt_err rc,
                        const struct vt_error *err) {
  if (rc == VT_OK || rc == VT_ERR_INVALID) return; /* a refused snapshot recorded its error */
  if (rc == VT_ERR_CONFLICT) {
    vt_info("feeds", "feed %lld: %s; result dropped", (long long)j->feed_id, err->message);
    return;
  }
  vt_warn("feeds", "feed %lld: cannot store the fetch: %s", (long long)j->feed_id, err->message);
  cool_down(f, j->feed_id);
}

static enum vt_err load_job(struct store *s, int64_t feed_id, struct job **out,
                            struct vt_error *err) {
  struct store_stmt *st;
  enum vt_err rc = store_prepare(
      s, "SELECT kind, url, forecast_url, location_name, etag, last_modified, "
         "lat, lon FROM feeds WHERE id = ?1",
      &st, err);
  if (rc != VT_OK) return rc;
  store_bind_int(st, 1, feed_id);
  bool row = false;
  *out = NULL;
  if ((rc = store_step(st, &row, err)) == VT_OK && row) {
    struct job *j = calloc(1, sizeof *j);
    int kind = 0;
    if (j) {
      j->feed_id = feed_id;
      j->url = dup_col(st, 1);
      j->forecast_url = dup_col(st, 2);
      j->place_name = dup_col(st, 3);
      j->lat = store_col_null(st, 6) ? NAN : store_col_double(st, 6);
      j->lon = store_col_null(st, 7) ? NAN : store_col_double(st, 7);
      /* a pair of documents is fetched whole each time: one validator cannot cover both */
      if (!j->forecast_url) {
        j->etag = dup_col(st, 4);
        j->last_modified = dup_col(st, 5);
      }
    }
    if (!j || !j->url || !vt_choice_parse(vt_source_kind_choices, store_col_text(st, 0), &kind)) {
      if (j) job_free(j);
      rc = j ? vt_error_set(err, VT_ERR_INTERNAL, "kind", "feed %lld is stored unreadably",
                            (long long)feed_id)
             : vt_error_no_memory(err);
    } else {
      j->kind = (enum vt_source_kind)kind;
      *out = j;
    }
  }
  store_done(st);
  return rc;
}

static bool start_fetch(struct feed_fetcher *f, struct job *j, const char *url, const char *etag,
                        const char *last_modified) {
  fetch_free(j->fetch);
  j->fetch = fetch_new(url, etag, last_modified, &f->opt.limits);
  if (!j->fetch) return false;
  curl_easy_setopt(fetch_easy(j->fetch), CURLOPT_PRIVATE, j);
  return curl_multi_add_handle(f->multi, fetch_easy(j->fetch)) == CURLM_OK;
}

static void record_error(struct feed_fetcher *f, const struct job *j, const char *what,
                         const struct vt_error *why) {
  char message[VT_ERROR_MESSAGE_MAX + 64];
  snprintf(message, sizeof message, "%s%s", what, why->message);
  vt_warn("feeds", "feed %lld: %s", (long long)j->feed_id, message);
  struct vt_error err = {0};
  struct sources_fetched from = {j->url, j->forecast_url};
  enum vt_err rc = sources_store_feed_error(f->store, j->feed_id, &from, message, vt_now_ms(), &err);
  after_store(f, j, rc, &err);
}

/* Feeds that are due and not already running become jobs. */
static void claim_due(struct feed_fetcher *f) {
  if (f->n_jobs >= f->opt.parallel) return;
  struct idset due = {0};
  struct vt_error err = {0};
  /* the running ones are still due until they finish: ask for enough to see past them */
  if (sources_due_feeds(f->store, vt_now_ms(), f->opt.parallel + f->n_jobs, &due, &err) !=
      VT_OK) {
    vt_warn("feeds", "cannot read the feeds: %s", err.message);
    idset_clear(&due);
    return;
  }
  for (size_t i = 0; i < due.n && f->n_jobs < f->opt.parallel; i++) {
    if (job_running(f, due.ids[i]) || cooling(f, due.ids[i], vt_mono_ms())) continue;
    struct job *j = NULL;
    if (load_job(f->store, due.ids[i], &j, &err) != VT_OK || !j) {
      if (j == NULL && err.message[0]) vt_warn("feeds", "%s", err.message);
      continue;
    }
    if (!start_fetch(f, j, j->url, j->etag, j->last_modified)) {
      struct vt_error oom = {0};
      vt_error_no_memory(&oom);
      record_error(f, j, "", &oom);
      job_free(j);
      continue;
    }
    j->next = f->jobs;
    f->jobs = j;
    f->n_jobs++;
  }
  idset_clear(&due);
}

static void unlink_job(struct feed_fetcher *f, struct job *j) {
  for (struct job **p = &f->jobs; *p; p = &(*p)->next)
    if (*p == j) {
      *p = j->next;
      f->n_jobs--;
      return;
    }
}

/* The transfer of j ended with code. Returns true when j is done (stored or failed). */
static bool finish_transfer(struct feed_fetcher *f, struct job *j, CURLcode code) {
  struct fetch_result r;
  struct vt_error err = {0};
  curl_multi_remove_handle(f->multi, fetch_easy(j->fetch));
  if (fetch_finish(j->fetch, code, &r, &err) != VT_OK) {
    record_error(f, j, j->second_stage ? "forecast: " : "", &err);
    return true;
  }
  if (!j->second_stage && j->forecast_url && !r.not_modified) {
    j->first = r; /* now the forecast beside it */
    j->second_stage = true;
    if (start_fetch(f, j, j->forecast_url, NULL, NULL)) return false;
    vt_error_no_memory(&err);
    record_error(f, j, "", &err);
    return true;
  }
  json_t *data = NULL;
  enum vt_err rc = VT_OK;
  if (!r.not_modified) {
    const struct fetch_result *main_doc = j->second_stage ? &j->first : &r;
    struct feed_document doc = {main_doc->body, main_doc->len, main_doc->content_type, j->url};
    struct feed_document forecast = {r.body, r.len, r.content_type, j->forecast_url};
    struct feed_place place = {j->place_name, j->lat, j->lon};
    rc = feed_data_build(j->kind, &doc, j->second_stage ? &forecast : NULL, &place, &data, &err);
  }
  if (rc != VT_OK) {
    record_error(f, j, "", &err);
  } else {
    struct sources_fetched from = {j->url, j->forecast_url};
    rc = sources_store_feed_snapshot(f->store, f->hub, j->feed_id, &from, data, r.etag,
                                     r.last_modified, vt_now_ms(), &err);
    after_store(f, j, rc, &err);
  }
  json_decref(data);
  fetch_result_clear(&r);
  return true;
}

static void collect_finished(struct feed_fetcher *f) {
  CURLMsg *msg;
  int left;
  while ((msg = curl_multi_info_read(f->multi, &left))) {
    if (msg->msg != CURLMSG_DONE) continue;
    struct job *j = NULL;
    curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&j);
    CURLcode code = msg->data.result;
    if (j && finish_transfer(f, j, code)) {
      unlink_job(f, j);
      job_free(j);
    }
  }
}

static void *run(void *arg) {
  struct feed_fetcher *f = arg;
  int64_t next_claim = 0;
  while (!atomic_load(&f->stopping)) {
    int64_t now = vt_mono_ms();
    if (now >= next_claim) {
      claim_due(f);
      next_claim = now + f->opt.poll_ms;
    }
    int running = 0;
    curl_multi_perform(f->multi, &running);
    collect_finished(f);
    int64_t wait = next_claim - vt_mono_ms();
    if (wait < 0) wait = 0;
    curl_multi_poll(f->multi, NULL, 0, (int)wait, NULL);
  }
  while (f->jobs) {
    struct job *j = f->jobs;
    f->jobs = j->next;
    curl_multi_remove_handle(f->multi, fetch_easy(j->fetch));
    job_free(j);
  }
  f->n_jobs = 0;
  return NULL;
}

enum vt_err feed_fetcher_start(const char *db_path, struct hub *hub,
                               const struct feed_fetcher_options *options,
                               struct feed_fetcher **out, struct vt_error *err) {
  *out = NULL;
  struct feed_fetcher *f = calloc(1, sizeof *f);
  if (!f) return vt_error_no_memory(err);
  f->hub = hub;
  f->opt = options ? *options : feed_fetcher_defaults;
  if (f->opt.parallel == 0) f->opt.parallel = 1;
  enum vt_err rc = store_open(db_path, &f->store, err);
  if (rc == VT_OK) {
    fetch_global_init();
    if (!(f->multi = curl_multi_init())) rc = vt_error_no_memory(err);
  }
  if (rc == VT_OK && pthread_create(&f->thread, NULL, run, f) != 0)
    rc = vt_error_set(err, VT_ERR_INTERNAL, "", "cannot start the feed fetcher thread");
  if (rc != VT_OK) {
    if (f->multi) curl_multi_cleanup(f->multi);
    store_free(f->store);
    free(f);
    return rc;
  }
  *out = f;
  return VT_OK;
}

void feed_fetcher_stop(struct feed_fetcher *f) {
  if (!f) return;
  atomic_store(&f->stopping, true);
  curl_multi_wakeup(f->multi);
  pthread_join(f->thread, NULL);
  curl_multi_cleanup(f->multi);
  store_free(f->store);
  free(f);
}
