#include "log.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static int log_level = -1;
static char last_line[512];
static unsigned long last_repeats;

static const char *const level_names[] = {"debug", "info", "warn", "error"};

static int level_from_env(void) {
  const char *v = getenv("VITRINE_LOG");
  if (!v) return VT_LOG_INFO;
  for (int i = 0; i < 4; i++)
    if (strcmp(v, level_names[i]) == 0) return i;
  if (strcmp(v, "off") == 0) return VT_LOG_OFF;
  return VT_LOG_INFO;
}

void vt_log_set_level(enum vt_log_level level) {
  pthread_mutex_lock(&log_lock);
  log_level = (int)level;
  pthread_mutex_unlock(&log_lock);
}

static void print_stamp(void) {
  struct timespec ts;
  struct tm tm;
  clock_gettime(CLOCK_REALTIME, &ts);
  gmtime_r(&ts.tv_sec, &tm);
  fprintf(stderr, "%02d:%02d:%02d.%03ld ", tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000);
}

void vt_log(enum vt_log_level level, const char *module, const char *fmt, ...) {
  char line[512];
  va_list ap;
  pthread_mutex_lock(&log_lock);
  if (log_level < 0) log_level = level_from_env();
  if ((int)level < log_level || level >= VT_LOG_OFF) {
    pthread_mutex_unlock(&log_lock);
    return;
  }
  int n = snprintf(line, sizeof line, "%s %s: ", level_names[level], module);
  va_start(ap, fmt);
  if (n >= 0 && (size_t)n < sizeof line) vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
  va_end(ap);
  if (strcmp(line, last_line) == 0) {
    last_repeats++;
  } else {
    if (last_repeats) {
      print_stamp();
      fprintf(stderr, "(last message repeated %lu more times)\n", last_repeats);
    }
    last_repeats = 0;
    snprintf(last_line, sizeof last_line, "%s", line);
    print_stamp();
    fprintf(stderr, "%s\n", line);
  }
  pthread_mutex_unlock(&log_lock);
}
