/* weather.c: placeholder until its module lands (docs/live-content.md). */
typedef int weather_placeholder;
