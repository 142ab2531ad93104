/* fuzz_ingest.c — libFuzzer target over profile + CSV ingest.
 *
 * Input: a profile, a line "%%", then the CSV bytes.  Without the
 * separator the whole input is the CSV, read with a fixed profile.  The
 * warehouse is in memory; every run must end in VSP_OK or a clean error,
 * never a crash, a leak or undefined behaviour, and the accounting must
 * add up.
 *
 * The same function runs the stored corpus as a regression test
 * (tests/fuzz/replay.c), so every finding stays fixed. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pipeline/ingest.h"
#include "pipeline/profile.h"
#include "pipeline/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char default_profile[] =
    "[regulator]\ncountry = AL\nname = Fuzz\nshort_name = F\nlanguage = en\n"
    "timezone = Europe/Belgrade\n[format]\nencoding = windows-1250\ndelimiter = auto\n"
    "dates = %d.%m.%Y %H:%M | %d.%m.%Y. | excel | iso8601\ntotal_lines = Total | Gjithsej\n"
    "[columns]\ncase_id = id\n"
    "received_at = received\ncategory = category\ndecision = decision\noutcome = outcome\n"
    "content_url = url\nforwarded_at = forwarded\noutcome_at = outcome_at\nnotes = notes\n"
    "optional = outcome content_url forwarded_at outcome_at notes\n"
    "[category]\nPiracy = piracy\n[decision]\nForwarded = forwarded\n[outcome]\nRemoved = removed\n";

static int write_file(const char *path, const void *data, size_t len)
{
    FILE *fp = fopen(path, "wb");
    if (!fp)
        return -1;
    size_t n = fwrite(data, 1, len, fp);
    return fclose(fp) == 0 && n == len ? 0 : -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char dir[64];
    if (!dir[0])
        snprintf(dir, sizeof dir, "/tmp/vsp-fuzz-%ld", (long)getpid());
    char profile_path[128], csv_path[128];
    snprintf(profile_path, sizeof profile_path, "%s.ini", dir);
    snprintf(csv_path, sizeof csv_path, "%s.csv", dir);

    const uint8_t *csv = data;
    size_t csv_len = size;
    const uint8_t *sep = NULL;
    for (size_t i = 0; i + 4 <= size; i++)
        if (memcmp(data + i, "\n%%\n", 4) == 0) {
            sep = data + i;
            break;
        }
    int rc;
    if (sep) {
        rc = write_file(profile_path, data, (size_t)(sep - data) + 1);
        csv = sep + 4;
        csv_len = size - (size_t)(csv - data);
    } else {
        rc = write_file(profile_path, default_profile, sizeof default_profile - 1);
    }
    if (rc != 0 || write_file(csv_path, csv, csv_len) != 0)
        return 0;

    vsp_error err;
    vsp_profile *profile = vsp_profile_load(profile_path, &err);
    if (!profile)
        return 0;
    /* One in-memory warehouse for the whole campaign (creating the schema
     * costs more than most inputs); emptied after every input. */
    static vsp_store *store;
    if (!store && !(store = vsp_store_open(":memory:", true, &err))) {
        vsp_profile_free(profile);
        return 0;
    }
    vsp_ingest_options opt = {.rejects_dir = "/tmp", .progress = false};
    vsp_ingest_result res;
    vsp_ingest_result_init(&res);
    if (vsp_ingest_file(store, profile, csv_path, &opt, &res, &err) == VSP_OK) {
        const vsp_ingest_counts *c = &res.counts;
        if (c->rows_read != c->rows_new + c->rows_updated + c->rows_unchanged +
                                c->rows_duplicate + c->rows_rejected)
            abort(); /* a row was lost or invented */
        if (res.rejects_path)
            unlink(res.rejects_path);
    }
    vsp_ingest_result_fini(&res);
    sqlite3_exec(vsp_store_db(store),
                 "DELETE FROM case_history; DELETE FROM reject; DELETE FROM case_record; "
                 "DELETE FROM ingest_run;",
                 NULL, NULL, NULL);
    vsp_profile_free(profile);
    return 0;
}
