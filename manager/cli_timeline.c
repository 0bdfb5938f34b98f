/* placeholder until written */
#include "commands.h"
int cli_timeline(const struct config *cfg) { (void)cfg; return 1; }
