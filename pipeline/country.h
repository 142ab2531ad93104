/* country.h — the countries vspreport reports on, in one place: their
 * codes, their order, and how a user's --country is read.  Names and
 * regulators per language are pipeline/i18n.c's. */
#ifndef VSP_COUNTRY_H
#define VSP_COUNTRY_H

#define VSP_N_COUNTRIES 6

/* ISO 3166 codes (XK: Kosovo, a user-assigned code), in code order: the
 * order of every table, chart and export; NULL after the last. */
extern const char *const vsp_countries[VSP_N_COUNTRIES + 1];

/* The index of code in vsp_countries (exact spelling), or -1. */
int vsp_country_index(const char *code);

/* A scope as a user gives it on the command line: a country code in any
 * case, or "region"; the canonical spelling (a static string), or NULL
 * when it is neither. */
const char *vsp_country_scope(const char *name);

#endif
