/* cmd_export.c — `vspreport export`: the anonymised research export
 * (reports/export.h). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "pipeline/store.h"
#include "pipeline/period.h"
#include "pipeline/util.h"
#include "reports/export.h"

static const char usage[] =
    "Usage: vspreport export --db DB --period P --out DIR [--k N]\n"
    "                        [--date-grain month|quarter] [--key-file FILE]\n"
    "                        [--format xlsx,csv] [--name BASE] [--rows-per-sheet N]\n"
    "\n"
    "Write the anonymised case-level research export of a period into DIR:\n"
    "  BASE.xlsx                 Cases, Dictionary and Anonymisation sheets\n"
    "  BASE.csv                  the same rows (UTF-8 with BOM, RFC 4180)\n"
    "  BASE-dictionary.csv       the data dictionary\n"
    "  BASE-anonymisation.md     threat model, what was generalised and suppressed,\n"
    "                            the k achieved, information loss by column and country\n"
    "BASE is research-<period>.  No case id, URL, handle, reporter detail, note\n"
    "or label as written leaves the warehouse: cases and content items get keyed\n"
    "pseudonyms (HMAC-SHA-256), dates become months, durations whole hours, and\n"
    "every row shares country, period, category and outcome (the quasi-identifiers)\n"
    "with at least k-1 others: values are generalised (month to quarter) or\n"
    "suppressed (written *: category, then outcome) before any row is left out.\n"
    "The files appear only when all are complete.\n"
    "\n"
    "Options:\n"
    "  -d, --db DB              the warehouse (read only)\n"
    "  -p, --period P           2026Q3, 2026H2, 2026 or 2026-07-01..2026-09-30\n"
    "  -o, --out DIR            the output folder (created if missing)\n"
    "  -k, --k N                k-anonymity: every row in a class of at least N\n"
    "                           (default 5; 1 turns generalisation off)\n"
    "      --date-grain G       month (default) or quarter\n"
    "      --key-file FILE      the pseudonym key (at least 32 bytes; trailing\n"
    "                           white space is ignored).  Default: the environment\n"
    "                           variable VSP_EXPORT_KEY, else a random key used for\n"
    "                           this export only (its pseudonyms link to nothing)\n"
    "      --format LIST        xlsx, csv or xlsx,csv (default)\n"
    "      --name BASE          file names BASE.xlsx ... (default research-<period>)\n"
    "      --rows-per-sheet N   split the Cases sheet every N rows (default and\n"
    "                           maximum 1048575, Excel's limit)\n"
    "  -q, --quiet              no summary on stderr\n"
    "  -h, --help               show this help\n"
    "\n"
    "A key that links exports over time:  head -c 32 /dev/urandom | base64 > export.key\n"
    "(keep it secret: whoever holds it can recompute pseudonyms from case ids).\n"
    "SOURCE_DATE_EPOCH pins the timestamps: with the same key, the same warehouse\n"
    "gives byte-identical files.\n"
    "\n"
    "Exit status: 0 written, 64 usage, 65 bad warehouse data, 66 no warehouse or\n"
    "key file, 73 cannot create the files, 74 I/O error.\n";

/* Read a key (file contents or an environment value): trailing white
 * space dropped, VSP_EXPORT_KEY_MIN..MAX bytes. */
static vsp_status check_key(const char *what, vsp_buf *key, vsp_error *err)
{
    while (key->len && strchr(" \t\r\n", key->data[key->len - 1]))
        key->data[--key->len] = '\0';
    if (key->len < VSP_EXPORT_KEY_MIN)
        return vsp_error_set(err, VSP_EUSAGE,
                             "%s: the pseudonym key has %zu bytes; it needs at least %d (e.g. "
                             "head -c 32 /dev/urandom | base64)",
                             what, key->len, VSP_EXPORT_KEY_MIN);
    if (key->len > VSP_EXPORT_KEY_MAX)
        return vsp_error_set(err, VSP_EUSAGE, "%s: the pseudonym key is longer than %d bytes",
                             what, VSP_EXPORT_KEY_MAX);
    return VSP_OK;
}

static vsp_status read_key_file(const char *path, vsp_buf *key, vsp_error *err)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return vsp_error_set(err, VSP_ENOINPUT, "%s: cannot read the key file: %s", path,
                             strerror(errno));
    struct stat sb;
    if (fstat(fileno(fp), &sb) == 0 && (sb.st_mode & 0077))
        fprintf(stderr, "vspreport export: warning: %s can be read by others; the key keeps "
                        "the pseudonyms safe (chmod 600 %s)\n",
                path, path);
    char chunk[512];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0 && key->len <= VSP_EXPORT_KEY_MAX + 64)
        vsp_buf_append(key, chunk, n);
    bool bad = ferror(fp) != 0;
    fclose(fp);
    if (bad)
        return vsp_error_set(err, VSP_EIO, "%s: cannot read the key file", path);
    return check_key(path, key, err);
}

static bool parse_uint(const char *s, long min, long max, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < min || v > max)
        return false;
    *out = v;
    return true;
}

vsp_status vsp_cmd_export(int argc, char **argv, vsp_error *err)
{
    vsp_export_options opt;
    vsp_export_options_init(&opt);
    const char *db_path = NULL, *key_file = NULL, *k = NULL, *grain = NULL, *format = NULL;
    const char *rows = NULL;
    bool quiet = false, help;
    long v;
    const vsp_cli_opt options[] = {
        {"db", 'd', VSP_CLI_TEXT, &db_path},
        {"period", 'p', VSP_CLI_TEXT, &opt.period},
        {"out", 'o', VSP_CLI_TEXT, &opt.out_dir},
        {"k", 'k', VSP_CLI_TEXT, &k},
        {"date-grain", 0, VSP_CLI_TEXT, &grain},
        {"key-file", 0, VSP_CLI_TEXT, &key_file},
        {"format", 0, VSP_CLI_TEXT, &format},
        {"name", 0, VSP_CLI_TEXT, &opt.base_name},
        {"rows-per-sheet", 0, VSP_CLI_TEXT, &rows},
        {"quiet", 'q', VSP_CLI_SET, &quiet},
        {NULL, 0, VSP_CLI_TEXT, NULL},
    };
    int first;
    if (vsp_cli_options("export", argc, argv, options, 0, &first, &help, err) != VSP_OK)
        return err->status;
    if (help) {
        fputs(usage, stdout);
        return VSP_OK;
    }
    if (k) {
        if (!parse_uint(k, 1, 1000000, &v))
            return vsp_cli_usage(err, "export", "--k: '%s' is not a whole number from 1", k);
        opt.k = (int)v;
    }
    if (grain) {
        if (strcmp(grain, "month") == 0)
            opt.grain = VSP_EXPORT_MONTH;
        else if (strcmp(grain, "quarter") == 0)
            opt.grain = VSP_EXPORT_QUARTER;
        else
            return vsp_cli_usage(err, "export", "--date-grain: '%s' is not month or quarter",
                                 grain);
    }
    if (format) {
        opt.xlsx = strstr(format, "xlsx") != NULL;
        opt.csv = strstr(format, "csv") != NULL;
        if (strcmp(format, "xlsx") && strcmp(format, "csv") && strcmp(format, "xlsx,csv") &&
            strcmp(format, "csv,xlsx"))
            return vsp_cli_usage(err, "export", "--format: '%s' is not xlsx, csv or xlsx,csv",
                                 format);
    }
    if (opt.base_name && (!opt.base_name[0] || strchr(opt.base_name, '/')))
        return vsp_cli_usage(err, "export", "--name: '%s' is not a file name", opt.base_name);
    if (rows) {
        if (!parse_uint(rows, 1, VSP_EXPORT_XLSX_ROWS, &v))
            return vsp_cli_usage(err, "export",
                                 "--rows-per-sheet: '%s' is not a number from 1 to %d", rows,
                                 VSP_EXPORT_XLSX_ROWS);
        opt.rows_per_sheet = (uint32_t)v;
    }
    if (!db_path || !opt.period || !opt.out_dir)
        return vsp_cli_usage(err, "export", "--db, --period and --out are required");
    vsp_period p;
    if (vsp_cli_period("export", opt.period, &p, err) != VSP_OK)
        return err->status;
    opt.period = p.label;

    vsp_buf key;
    vsp_buf_init(&key);
    vsp_status st = VSP_OK;
    const char *env = getenv("VSP_EXPORT_KEY");
    if (key_file) {
        st = read_key_file(key_file, &key, err);
        opt.key_source = "--key-file";
    } else if (env && env[0]) {
        vsp_buf_puts(&key, env);
        st = check_key("VSP_EXPORT_KEY", &key, err);
        opt.key_source = "the environment variable VSP_EXPORT_KEY";
    }
    if (st != VSP_OK)
        goto out;
    if (key.len) {
        opt.key = (const unsigned char *)key.data;
        opt.key_len = key.len;
    }

    vsp_store *store = vsp_store_open_readonly(db_path, err);
    if (!store) {
        st = err->status;
        goto out;
    }

    vsp_export_result res;
    memset(&res, 0, sizeof res);
    st = vsp_export_write(store, &opt, &res, err);
    vsp_store_close(store);
    if (st == VSP_OK && !quiet) {
        fprintf(stderr,
                "vspreport export: %s: %" PRId64 " cases, %" PRId64 " released (%" PRId64
                " %s, %" PRId64 " with category *, %" PRId64 " with outcome *), %" PRId64
                " left out; ",
                p.label, res.cases, res.released, res.rows_generalised,
                opt.grain == VSP_EXPORT_MONTH ? "generalised to the quarter" : "at quarter grain",
                res.values_cat_suppressed, res.values_out_suppressed, res.rows_suppressed);
        if (res.released)
            fprintf(stderr, "k = %d, achieved %" PRId64 "\n", opt.k, res.k_achieved);
        else
            fprintf(stderr, "k = %d, no row released\n", opt.k);
        if (res.random_key)
            fputs("vspreport export: pseudonyms use a random key for this export only (give "
                  "--key-file or VSP_EXPORT_KEY to link exports)\n",
                  stderr);
        for (int i = 0; i < 4; i++)
            if (res.files[i])
                fprintf(stderr, "  %s\n", res.files[i]);
    }
    vsp_export_result_fini(&res);
out:
    if (key.data)
        memset(key.data, 0, key.cap);
    vsp_buf_fini(&key);
    return st;
}
