/* taxonomy.h — the canonical codes of DESIGN.md §4 in one place: the
 * categories, the regulator's decisions and the platform's outcomes, in
 * the order of every table, chart and export.  Their names per language
 * are pipeline/i18n.c's; a profile maps a regulator's own labels onto
 * them (pipeline/profile.c). */
#ifndef VSP_TAXONOMY_H
#define VSP_TAXONOMY_H

#define VSP_N_CATEGORIES 14
#define VSP_N_DECISIONS 6
#define VSP_N_OUTCOMES 8

/* The codes, NULL after the last. */
extern const char *const vsp_categories[VSP_N_CATEGORIES + 1];
extern const char *const vsp_decisions[VSP_N_DECISIONS + 1];
extern const char *const vsp_outcomes[VSP_N_OUTCOMES + 1];

#endif
