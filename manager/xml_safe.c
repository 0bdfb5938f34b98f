/* xml_safe.c: placeholder until its module lands (docs/live-content.md). */
typedef int xml_safe_placeholder;
