/* api_menus.c: placeholder until its module lands (docs/live-content.md). */
typedef int api_menus_placeholder;
