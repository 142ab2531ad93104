/* profile.h — a regulator profile (profiles/NAME.ini): who the regulator is,
 * how its export is encoded, which source column feeds which canonical
 * field, and how local labels map to canonical codes.  The format is
 * documented in profiles/README.md. */
#ifndef VSP_PROFILE_H
#define VSP_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pipeline/error.h"

/* Canonical fields of the case record (DESIGN §3), in [columns] order. */
typedef enum vsp_field {
    VSP_F_CASE_ID,
    VSP_F_RECEIVED_AT,
    VSP_F_CATEGORY,
    VSP_F_DECISION,
    VSP_F_PLATFORM,
    VSP_F_ITEM_KIND,
    VSP_F_CONTENT_URL,
    VSP_F_NATIONAL_LABEL,
    VSP_F_LEGAL_BASIS,
    VSP_F_DECIDED_AT,
    VSP_F_FORWARDED_AT,
    VSP_F_OUTCOME,
    VSP_F_OUTCOME_AT,
    VSP_F_CHANNEL,
    VSP_F_REPORTER_NAME,
    VSP_F_REPORTER_EMAIL,
    VSP_F_REPORTER_PHONE,
    VSP_F_ACCOUNT_HANDLE,
    VSP_F_NOTES,
    VSP_F_COUNT
} vsp_field;

/* Label maps, one profile section each. */
typedef enum vsp_map_kind {
    VSP_MAP_CATEGORY,
    VSP_MAP_DECISION,
    VSP_MAP_OUTCOME,
    VSP_MAP_PLATFORM,
    VSP_MAP_CHANNEL,
    VSP_MAP_ITEM_KIND,
    VSP_MAP_COUNT
} vsp_map_kind;

/* The four date fields, for per-field date formats. */
enum { VSP_DATE_RECEIVED, VSP_DATE_DECIDED, VSP_DATE_FORWARDED, VSP_DATE_OUTCOME, VSP_DATE_COUNT };

typedef struct vsp_map_entry {
    char *folded; /* label folded with vsp_fold (lookup key) */
    char *label;  /* label as written in the profile */
    int code;     /* canonical id (1-based, as in the schema); platform: index into platform names */
    int line;     /* profile line */
} vsp_map_entry;

typedef struct vsp_label_map {
    vsp_map_entry *entries; /* sorted by folded once loaded */
    size_t n, cap;
    int section_line; /* line of the [section] header, 0 if absent */
} vsp_label_map;

typedef struct vsp_profile {
    char *path;      /* as given */
    char *name_stem; /* file name without .ini, e.g. "al-ama" */
    /* [regulator] */
    char *country, *name, *short_name, *language, *timezone, *logo;
    /* [format] */
    char *encoding;
    char delimiter; /* ',' ';' '\t', or 0 for auto */
    int header_row; /* physical line of the header, 1-based */
    char *dates[VSP_DATE_COUNT]; /* format list per date field */
    bool export_date_from_name;  /* [format] export_date = file_name */
    /* [defaults] and [columns] */
    char *defaults[VSP_F_COUNT];
    char **headers[VSP_F_COUNT]; /* alternatives, folded */
    size_t n_headers[VSP_F_COUNT];
    char *headers_text[VSP_F_COUNT]; /* as written, for messages */
    int header_line[VSP_F_COUNT];    /* profile line of the [columns] entry, 0 if none */
    /* [columns] optional = ...: fields whose column an export may lack.  An
     * absent optional column leaves what the warehouse holds for a case
     * alone; any other mapped column must be in the header. */
    bool optional[VSP_F_COUNT];
    /* [format] total_lines = ...: first cells (folded) that mark a total
     * line, skipped and counted apart. */
    char **total_markers;
    size_t n_total_markers;
    /* label maps */
    vsp_label_map maps[VSP_MAP_COUNT];
    char **platforms; /* canonical platform names met in [platform] */
    size_t n_platforms;
} vsp_profile;

/* Load and validate a profile.  Any problem is VSP_ECONFIG naming
 * file:line; a missing file is VSP_ENOINPUT.  Checks that the time zone,
 * encoding and date formats are usable.  Caller frees. */
vsp_profile *vsp_profile_load(const char *path, vsp_error *err);
void vsp_profile_free(vsp_profile *p);

/* The date (YYYYMMDD) an export was taken, as the profile says to find
 * it: with `export_date = file_name`, the last date in file_name written
 * YYYY-MM-DD, YYYY_MM_DD, YYYY.MM.DD, YYYYMMDD, DD.MM.YYYY or DD-MM-YYYY
 * (a real calendar date, not inside a longer run of digits); VSP_EDATA
 * naming the file and what to do when it holds none.  Without the key
 * *day is 0 (not stated) and the result VSP_OK. */
vsp_status vsp_profile_export_day(const vsp_profile *p, const char *file_name, int32_t *day,
                                  vsp_error *err);

const char *vsp_field_name(vsp_field f);
bool vsp_field_required(vsp_field f);
const char *vsp_map_section(vsp_map_kind k);

/* Canonical codes of a map kind, 1-based ids as in the schema (the
 * platform map has no fixed list). NULL-terminated, index 0 = id 1. */
const char *const *vsp_map_codes(vsp_map_kind k);
/* The id a label mapped to code gets (its place in vsp_map_codes, from 1,
 * as in the warehouse's tables), or 0 when kind has no such code. */
int vsp_map_code_id(vsp_map_kind k, const char *code);

/* Look up a folded label: the canonical id, or 0 if not mapped.  A label
 * equal to a canonical code (ignoring case) maps to it without a line. */
int vsp_profile_lookup(const vsp_profile *p, vsp_map_kind k, const char *folded);

/* The canonical code of the profile entry most like folded (for "did you
 * mean" suggestions), or NULL. */
const char *vsp_profile_suggest(const vsp_profile *p, vsp_map_kind k, const char *folded);

#endif
