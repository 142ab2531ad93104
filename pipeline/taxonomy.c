/* taxonomy.c — the canonical codes (see taxonomy.h). */
#include "pipeline/taxonomy.h"

#include <stddef.h>

const char *const vsp_categories[VSP_N_CATEGORIES + 1] = {
    "piracy",   "minors", "csam",    "hate",    "violence",   "terrorism", "sexual",
    "bullying", "self_harm", "fraud", "disinfo", "privacy", "commercial", "other", NULL};

const char *const vsp_decisions[VSP_N_DECISIONS + 1] = {
    "forwarded", "no_violation", "out_of_remit", "insufficient_info", "duplicate", "pending", NULL};

const char *const vsp_outcomes[VSP_N_OUTCOMES + 1] = {
    "removed", "geo_blocked", "age_restricted", "account_suspended", "account_banned",
    "declined", "already_unavailable", "pending", NULL};
