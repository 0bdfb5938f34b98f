/* placeholder until written */
typedef int preview_placeholder;
