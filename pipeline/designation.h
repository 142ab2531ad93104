/* designation.h — the Kosovo designation footnote that EU institutions and
 * the region's joint bodies put on material that names Kosovo beside its
 * neighbours ("Kosovo*" with the asterisk note on UNSCR 1244/1999 and the
 * ICJ opinion).  Every regional output carries it: the regional report,
 * the regional workbook's About sheet, the regional charts' footers and
 * the web edition (reports/site.* calls vsp_designation_note).
 *
 * A publisher can turn it off (a regulator's own national report, or a
 * co-publisher with another house style): the setting is process-wide,
 * set once by the command line (`--kosovo-note on|off`) before any output
 * is made, and defaults to on, or to the environment variable
 * VSPREPORT_KOSOVO_NOTE ("on"/"off") when that is set.  Not thread-safe
 * (one thread sets it at start-up). */
#ifndef VSP_DESIGNATION_H
#define VSP_DESIGNATION_H

#include <stdbool.h>

#include "pipeline/error.h"

/* Turn the note on or off for the rest of the process. */
void vsp_designation_set(bool on);
/* Parse "on"/"off" (also yes/no, true/false, 1/0) into the setting;
 * VSP_EUSAGE with a message naming `what` (e.g. "--kosovo-note") if the
 * value is none of them. */
vsp_status vsp_designation_parse(const char *value, const char *what, vsp_error *err);
/* Whether regional outputs carry the note (the setting, else
 * VSPREPORT_KOSOVO_NOTE, else on). */
bool vsp_designation_on(void);

/* The note in lang, starting with its asterisk ("*This designation is
 * without prejudice to positions on status, ..."), from the catalogues
 * (msgctxt "designation"); NULL when the note is off.  Static storage. */
const char *vsp_designation_note(const char *lang);

/* The mark after a country's name in a regional output: "*" for "XK"
 * when the note is on, else "". */
const char *vsp_designation_mark(const char *country);

/* English msgid of the note (for the catalogues and tests). */
#define VSP_DESIGNATION_MSGID                                                                    \
    "*This designation is without prejudice to positions on status, and is in line with "     \
    "UNSCR 1244/1999 and the ICJ Opinion on the Kosovo declaration of independence."

#endif
