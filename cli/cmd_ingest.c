/* cmd_ingest.c — `vspreport ingest --db DB --profile PROFILE FILE...` */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "pipeline/ingest.h"
#include "pipeline/period.h"
#include "pipeline/profile.h"
#include "pipeline/store.h"

static const char usage[] =
    "Usage: vspreport ingest --db DB --profile PROFILE FILE...\n"
    "\n"
    "Read regulator case-log exports (CSV) into the warehouse DB, which is created\n"
    "if missing, through the regulator's PROFILE (profiles/NAME.ini).  Each FILE is\n"
    "one transaction: it is either ingested whole or not at all.  Re-ingesting a\n"
    "file changes nothing; a later export updates the cases it holds.\n"
    "\n"
    "Rows that cannot be read are rejected, not lost: they are counted, kept in\n"
    "the warehouse (table reject) and written to FILE.rejects.csv beside the\n"
    "warehouse, each with its line, reason and how to fix it.  A quote out of\n"
    "place costs its own line only.  A file is refused whole when its header\n"
    "lacks a column the profile maps (unless declared optional) or names one\n"
    "twice, when it is in another encoding than the profile says, or when it\n"
    "changed while it was read.\n"
    "\n"
    "Options:\n"
    "  -d, --db DB            the warehouse (SQLite file)\n"
    "  -p, --profile PROFILE  the regulator profile (.ini)\n"
    "      --rejects-dir DIR  write rejects reports into DIR instead (created\n"
    "                         if missing, mode 0700)\n"
    "      --exported-at DATE the date (YYYY-MM-DD) the export was taken: the\n"
    "                         regulator's figures are then as of that date\n"
    "                         (otherwise the date in the file's name when the\n"
    "                         profile says export_date = file_name, else the\n"
    "                         latest date of any event in its logs)\n"
    "      --strict           exit with status 65 when any row is rejected\n"
    "  -q, --quiet            print no summary\n"
    "  -h, --help             show this help\n"
    "\n"
    "Exit status: 0 ingested (rows may have been rejected), 64 usage, 65 a file\n"
    "could not be ingested (a mapped column missing, the wrong encoding, the\n"
    "file changed while read), 66 no such file,\n"
    "73 cannot write, 75 warehouse busy, 78 bad profile.\n";

static void print_summary(FILE *out, const char *path, const vsp_profile *p,
                          const vsp_ingest_result *r)
{
    const vsp_ingest_counts *c = &r->counts;
    double mb = (double)r->file_size / 1e6;
    fprintf(out, "%s (profile %s, %s, run %lld, %.1f MB in %.2f s)\n", path, p->name_stem,
            p->country, (long long)r->run_id, mb, r->seconds);
    fprintf(out,
            "  rows read %llu = new %llu + updated %llu + unchanged %llu + duplicates %llu + "
            "rejected %llu\n",
            (unsigned long long)c->rows_read, (unsigned long long)c->rows_new,
            (unsigned long long)c->rows_updated, (unsigned long long)c->rows_unchanged,
            (unsigned long long)c->rows_duplicate, (unsigned long long)c->rows_rejected);
    fprintf(out, "  blank lines skipped %llu\n", (unsigned long long)c->blank_lines);
    if (c->total_lines)
        fprintf(out, "  total lines skipped %llu\n", (unsigned long long)c->total_lines);
    if (c->duplicate_conflicts)
        fprintf(out, "  %llu duplicate(s) differ from the first copy in the file; the first was "
                     "kept\n",
                (unsigned long long)c->duplicate_conflicts);
    if (c->rows_rejected) {
        fputs("  rejected by reason:", out);
        for (int i = 0; i < VSP_REJECT_COUNT; i++)
            if (c->rejected_by[i])
                fprintf(out, " %s %llu", vsp_reject_reason_code((vsp_reject_reason)i),
                        (unsigned long long)c->rejected_by[i]);
        fputc('\n', out);
        for (int i = 0; i < r->n_samples; i++)
            fprintf(out, "    %s\n", r->samples[i]);
        if (c->rows_rejected > (uint64_t)r->n_samples)
            fprintf(out, "    ... and %llu more\n",
                    (unsigned long long)(c->rows_rejected - (uint64_t)r->n_samples));
        if (r->rejects_path)
            fprintf(out, "  rejects report: %s\n", r->rejects_path);
    }
}

vsp_status vsp_cmd_ingest(int argc, char **argv, vsp_error *err)
{
    const char *db = NULL, *profile_path = NULL, *exported_at = NULL;
    bool strict = false, quiet = false, help;
    vsp_ingest_options opt = {.progress = true};
    const vsp_cli_opt options[] = {
        {"db", 'd', VSP_CLI_TEXT, &db},
        {"profile", 'p', VSP_CLI_TEXT, &profile_path},
        {"rejects-dir", 0, VSP_CLI_TEXT, &opt.rejects_dir},
        {"exported-at", 0, VSP_CLI_TEXT, &exported_at},
        {"strict", 0, VSP_CLI_SET, &strict},
        {"quiet", 'q', VSP_CLI_SET, &quiet},
        {NULL, 0, VSP_CLI_TEXT, NULL},
    };
    int first;
    if (vsp_cli_options("ingest", argc, argv, options, -1, &first, &help, err) != VSP_OK)
        return err->status;
    if (help) {
        fputs(usage, stdout);
        return VSP_OK;
    }
    if (exported_at) {
        int y, m, d;
        char tail;
        if (sscanf(exported_at, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 ||
            strlen(exported_at) != 10 || !vsp_date_valid(y, m, d))
            return vsp_cli_usage(err, "ingest",
                                 "--exported-at wants a date like 2026-10-07, not '%s'",
                                 exported_at);
        opt.exported_day = y * 10000 + m * 100 + d;
    }
    if (!db)
        return vsp_cli_usage(err, "ingest", "missing --db DB");
    if (!profile_path)
        return vsp_cli_usage(err, "ingest", "missing --profile PROFILE");
    if (first >= argc)
        return vsp_cli_usage(err, "ingest", "no case-log FILE to ingest");

    vsp_profile *profile = vsp_profile_load(profile_path, err);
    if (!profile)
        return err->status;
    vsp_store *store = vsp_store_open(db, true, err);
    if (!store) {
        vsp_profile_free(profile);
        return err->status;
    }
    vsp_status result = VSP_OK;
    uint64_t rejected = 0;
    int failed = 0;
    for (int i = first; i < argc; i++) {
        vsp_ingest_result r;
        vsp_ingest_result_init(&r);
        vsp_error ferr;
        vsp_error_clear(&ferr);
        vsp_status st = vsp_ingest_file(store, profile, argv[i], &opt, &r, &ferr);
        if (st == VSP_OK) {
            if (!quiet)
                print_summary(stdout, argv[i], profile, &r);
            rejected += r.counts.rows_rejected;
        } else {
            /* Report and go on: the other files are independent. */
            fprintf(stderr, "vspreport ingest: %s\n", ferr.msg);
            failed++;
            if (result == VSP_OK)
                result = st;
        }
        vsp_ingest_result_fini(&r);
        fflush(stdout);
    }
    if (failed)
        vsp_error_set(err, result, "%d of %d file(s) not ingested; see the messages above",
                      failed, argc - first);
    if (result == VSP_OK && strict && rejected)
        result = vsp_error_set(err, VSP_EDATA, "%llu row(s) rejected (--strict)",
                               (unsigned long long)rejected);
    vsp_store_close(store);
    vsp_profile_free(profile);
    return result;
}
