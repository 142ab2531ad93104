/* test_export.c — the research export's parts (pseudonyms, CSV fields,
 * k-anonymity on a hand-made warehouse) and the XLSX helpers they share
 * with the workbook (reports/xlsx_util.h).
 *
 * Expected pseudonyms come from Python's hmac module, not from this code:
 *   hmac.new(b"0123456789abcdef-test-key-32byte", b"case\x1fAL\x1fT1", sha256)
 *       .hexdigest()[:32] == "4eda1fe0d4befcc367508b222cbef9e3"
 *   ... b"content\x1ftiktok:video:7000000000000000001" -> "b41d7d47e33aff04938d1f038e7a176c"
 *   ... b"key id\x1f" -> "2ca6346eef69428df2e79143a1d643cd"
 *   ... b"content\x1f" + b"tiktok:video:7000000000000000001" * 3 (104 bytes,
 *       two blocks of SHA-256) -> "c4748ef8a56beb8a9bdc6d44a9950589"
 *   hmac.new(bytes(range(64)), b"case\x1fAL\x1fT1", sha256) (a key of one
 *       block, used as it is) -> "127c9cab98445b93e038c62ee00c09c6"
 *   hmac.new(bytes(range(100)), ...) (longer than a block: hashed first)
 *       -> "80a09e8edafaf3402ad633f1f0d170a4"
 *
 * The k-anonymity warehouse (k = 3, month grain; quasi-identifiers country,
 * month, category, outcome), worked out by hand:
 *   AL piracy/forwarded/removed: T1 T2 T3 in July (a class of 3), T4 in
 *     August, T5 in September (classes of 1: to the quarter, 2 < 3).  The
 *     quarter class takes in July's whole class (generalisation before
 *     suppression): (AL, 2026Q3, piracy, removed) = 5.
 *   RS hate/no_violation/-: R1 July, R2 R3 August: (RS, 2026Q3, hate, -) = 3.
 *   ME other/pending/-: M1 alone: category, then outcome suppressed, no
 *     class to fill it from in ME: left out.
 *   BA: B1 B2 July violence/removed (2), B3 August fraud/removed (1),
 *     B4-B6 July hate/no_violation (3: month), B7 September other/pending
 *     (1), B8 September piracy/forwarded/declined (1).  Quarter classes
 *     short: violence, fraud, other, piracy-declined lose their category:
 *     (BA,Q3,*,removed) = 3 holds; (BA,Q3,*,-) = 1 takes in the whole
 *     July hate class (3) -> 4; (BA,Q3,*,declined) = 1 has nothing of the
 *     same outcome to take, so loses its outcome: (BA,Q3,*,*) = 1, which
 *     takes in the smallest whole class of BA's quarter, (BA,Q3,*,removed)
 *     (3) -> 4.  XK, 2026-06-30: outside.
 *   -> cases 17, released 16 (all at quarter grain), left out 1 (M1);
 *      category * on 8 rows (all of BA), outcome * on 4 (B1 B2 B3 B8);
 *      k achieved 3; classes released 4 (AL, RS, BA *-, BA **), 1 left out.
 *   Action rates: AL 5/5 = 100.0 % of every case and of the release; BA
 *   3/4 = 75.0 % of every case, n/a in the release (no outcome shown).
 *   With k = 1 every row stays at month grain; at quarter grain with k = 3
 *   the same 16 rows are released and M1 left out. */
#include "reports/export.h"
#include "pipeline/encoding.h"
#include "reports/xlsx_util.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pipeline/outfile.h"
#include "pipeline/store.h"
#include "tests/unit/harness.h"

static const unsigned char test_key[] = "0123456789abcdef-test-key-32byte";
#define TEST_KEY_LEN (sizeof test_key - 1)

/* ---- xlsx_util ------------------------------------------------------ */

static void test_utf8(void)
{
    CHECK(vsp_utf8_valid("Shqipëri Србија", strlen("Shqipëri Србија")));
    CHECK(!vsp_utf8_valid("\xC0\xAF", 2));         /* overlong '/' */
    CHECK(!vsp_utf8_valid("\xED\xA0\x80", 3));     /* surrogate */
    CHECK(!vsp_utf8_valid("\xF4\x90\x80\x80", 4)); /* > U+10FFFF */
    CHECK(!vsp_utf8_valid("abc\xE2\x82", 5));      /* cut short */
    CHECK_INT(vsp_xlsx_utf16_len("a😀b"), 4);            /* astral: two units */
    vsp_buf b;
    vsp_buf_init(&b);
    CHECK_STR(vsp_xlsx_clean_text("a\x01" "b\tc\nd\re\xFF" "f", &b), "ab\tc\nde\xEF\xBF\xBD" "f");
    CHECK_STR(vsp_xlsx_clean_text(NULL, &b), "");
    char *big = malloc(40000);
    memset(big, 'x', 39999);
    big[39999] = '\0';
    CHECK_INT(strlen(vsp_xlsx_clean_text(big, &b)), VSP_XLSX_MAX_TEXT);
    free(big);
    vsp_xlsx_casefold("ТРЕНД Đ DŽ Č Ё Ѓ", &b);
    CHECK_STR(b.data, "тренд đ dž č ё ѓ");
    vsp_buf_fini(&b);
}

static void test_sheet_names(void)
{
    vsp_error err;
    CHECK_INT(vsp_xlsx_sheet_name_check("Data quality", &err), VSP_OK);
    CHECK_INT(vsp_xlsx_sheet_name_check("Квалитет података", &err), VSP_OK);
    CHECK_INT(vsp_xlsx_sheet_name_check("", &err), VSP_EDATA);
    CHECK_INT(vsp_xlsx_sheet_name_check("1234567890123456789012345678901", &err), VSP_OK);
    CHECK_INT(vsp_xlsx_sheet_name_check("12345678901234567890123456789012", &err), VSP_EDATA);
    /* 31 Cyrillic letters are 62 bytes but 31 characters: valid */
    CHECK_INT(vsp_xlsx_sheet_name_check("ДДДДДДДДДДДДДДДДДДДДДДДДДДДДДДД", &err), VSP_OK);
    CHECK_INT(vsp_xlsx_sheet_name_check("a/b", &err), VSP_EDATA);
    CHECK_INT(vsp_xlsx_sheet_name_check("a[b]", &err), VSP_EDATA);
    CHECK_INT(vsp_xlsx_sheet_name_check("a:b", &err), VSP_EDATA);
    CHECK_INT(vsp_xlsx_sheet_name_check("a*?", &err), VSP_EDATA);
    CHECK_INT(vsp_xlsx_sheet_name_check("a\\b", &err), VSP_EDATA);
    CHECK_INT(vsp_xlsx_sheet_name_check("'quoted", &err), VSP_EDATA);
    CHECK_INT(vsp_xlsx_sheet_name_check("history", &err), VSP_EDATA);
    CHECK_INT(vsp_xlsx_sheet_name_check("bad\xFF", &err), VSP_EDATA);

    vsp_xlsx_names names;
    vsp_xlsx_names_init(&names);
    CHECK_INT(vsp_xlsx_names_add(&names, "Тренд", &err), VSP_OK);
    CHECK_INT(vsp_xlsx_names_add(&names, "ТРЕНД", &err), VSP_EDATA); /* same, ignoring case */
    CHECK_INT(vsp_xlsx_names_add(&names, "Čvor", &err), VSP_OK);
    CHECK(vsp_xlsx_names_taken(&names, "čVOR"));
    CHECK(!vsp_xlsx_names_taken(&names, "Cvor"));
    char buf[VSP_XLSX_SHEET_NAME_BUF];
    CHECK_STR(vsp_xlsx_names_make(&names, "тренд", buf, sizeof buf), "тренд (2)");
    CHECK_STR(vsp_xlsx_names_make(&names, "Тренд", buf, sizeof buf), "Тренд (3)");
    CHECK_STR(vsp_xlsx_names_make(&names, "Received / forwarded: [all]?", buf, sizeof buf),
              "Received - forwarded- -all--");
    CHECK_STR(vsp_xlsx_names_make(&names, "'", buf, sizeof buf), "Sheet");
    /* apostrophes inside stay: libxlsxwriter doubles them in chart formulas */
    CHECK_STR(vsp_xlsx_names_make(&names, "'Regulator's view'", buf, sizeof buf),
              "Regulator's view");
    CHECK_STR(vsp_xlsx_names_make(&names, "History", buf, sizeof buf), "History (1)");
    /* 40 Cyrillic letters: cut at 31 characters, on a character boundary */
    const char *long_name = "ЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖ";
    vsp_xlsx_names_make(&names, long_name, buf, sizeof buf);
    CHECK_INT(vsp_xlsx_utf16_len(buf), 31);
    CHECK_INT(vsp_xlsx_sheet_name_check(buf, &err), VSP_OK);
    vsp_xlsx_names_make(&names, long_name, buf, sizeof buf);
    CHECK_INT(vsp_xlsx_utf16_len(buf), 31);
    CHECK(strstr(buf, " (2)") != NULL);
    vsp_xlsx_names_fini(&names);
}

static const char *tmp_dir(void)
{
    static char dir[512];
    const char *t = getenv("VSP_TEST_TMP");
    snprintf(dir, sizeof dir, "%s/test_export", t ? t : "/tmp");
    mkdir(t ? t : "/tmp", 0777);
    mkdir(dir, 0777);
    return dir;
}

static void test_outfile(void)
{
    char path[600];
    snprintf(path, sizeof path, "%s/out.txt", tmp_dir());
    unlink(path);
    vsp_error err;
    vsp_outfile o;
    CHECK_INT(vsp_outfile_begin(&o, path, &err), VSP_OK);
    CHECK(access(path, F_OK) != 0); /* nothing under the final name yet */
    CHECK(access(o.tmp, F_OK) == 0);
    char *tmp = vsp_xstrdup(o.tmp);
    vsp_outfile_discard(&o);
    CHECK(access(tmp, F_OK) != 0);
    CHECK(access(path, F_OK) != 0);
    free(tmp);
    CHECK_INT(vsp_outfile_begin(&o, path, &err), VSP_OK);
    CHECK_INT(vsp_outfile_commit(&o, &err), VSP_OK);
    vsp_outfile_discard(&o);
    CHECK(access(path, F_OK) == 0);
    CHECK_INT(vsp_outfile_begin(&o, "/nonexistent-dir/x.xlsx", &err), VSP_ECANTCREAT);
}

/* ---- pseudonyms and CSV --------------------------------------------- */

static void test_pseudonym(void)
{
    vsp_error err;
    vsp_pseudonymizer *p = vsp_pseudonymizer_new(test_key, TEST_KEY_LEN, &err);
    CHECK(p != NULL);
    if (!p)
        return;
    char out[64];
    CHECK(vsp_pseudonym(p, "c", "case", "AL\x1fT1", 5, out));
    CHECK_STR(out, "c4eda1fe0d4befcc367508b222cbef9e3");
    /* the key is reused message after message */
    CHECK(vsp_pseudonym(p, "i", "content", "tiktok:video:7000000000000000001", 32, out));
    CHECK_STR(out, "ib41d7d47e33aff04938d1f038e7a176c");
    CHECK(vsp_pseudonym(p, "c", "case", "AL\x1fT1", 5, out));
    CHECK_STR(out, "c4eda1fe0d4befcc367508b222cbef9e3");
    CHECK(vsp_pseudonym(p, "", "key id", "", 0, out));
    CHECK_STR(out, "2ca6346eef69428df2e79143a1d643cd");
    /* a message of two SHA-256 blocks */
    const char *item = "tiktok:video:7000000000000000001";
    char three[128];
    snprintf(three, sizeof three, "%s%s%s", item, item, item);
    CHECK(vsp_pseudonym(p, "i", "content", three, strlen(three), out));
    CHECK_STR(out, "ic4748ef8a56beb8a9bdc6d44a9950589");
    /* the bytes the export's SQL function gives, which it writes in hex */
    unsigned char raw[VSP_PSEUDONYM_BYTES];
    static const unsigned char t1[VSP_PSEUDONYM_BYTES] = {
        0x4e, 0xda, 0x1f, 0xe0, 0xd4, 0xbe, 0xfc, 0xc3,
        0x67, 0x50, 0x8b, 0x22, 0x2c, 0xbe, 0xf9, 0xe3};
    CHECK(vsp_pseudonym_bytes(p, "case", "AL\x1fT1", 5, raw));
    CHECK(memcmp(raw, t1, sizeof raw) == 0);
    vsp_pseudonymizer_free(p);
    /* keys of a block (64 bytes), and longer (hashed first, RFC 2104) */
    unsigned char key[100];
    for (int i = 0; i < 100; i++)
        key[i] = (unsigned char)i;
    p = vsp_pseudonymizer_new(key, 64, &err);
    CHECK(p && vsp_pseudonym(p, "c", "case", "AL\x1fT1", 5, out));
    CHECK_STR(out, "c127c9cab98445b93e038c62ee00c09c6");
    vsp_pseudonymizer_free(p);
    p = vsp_pseudonymizer_new(key, 100, &err);
    CHECK(p && vsp_pseudonym(p, "c", "case", "AL\x1fT1", 5, out));
    CHECK_STR(out, "c80a09e8edafaf3402ad633f1f0d170a4");
    vsp_pseudonymizer_free(p);
}

static const char *csv_of(vsp_buf *b, const char *text)
{
    vsp_buf_clear(b);
    vsp_buf_append(b, "", 0);
    vsp_csv_text(b, text);
    return b->data;
}

static void test_csv(void)
{
    vsp_buf b;
    vsp_buf_init(&b);
    CHECK_STR(csv_of(&b, "plain"), "plain");
    CHECK_STR(csv_of(&b, ""), "");
    CHECK_STR(csv_of(&b, "a,b"), "\"a,b\"");
    CHECK_STR(csv_of(&b, "say \"hi\""), "\"say \"\"hi\"\"\"");
    CHECK_STR(csv_of(&b, "two\nlines"), "\"two\nlines\"");
    CHECK_STR(csv_of(&b, "cr\rhere"), "\"cr\rhere\"");
    /* formula injection: neutralised and quoted */
    CHECK_STR(csv_of(&b, "=1+2"), "\"'=1+2\"");
    CHECK_STR(csv_of(&b, "+41 79 000"), "\"'+41 79 000\"");
    CHECK_STR(csv_of(&b, "-2+3"), "\"'-2+3\"");
    CHECK_STR(csv_of(&b, "@SUM(A1)"), "\"'@SUM(A1)\"");
    CHECK_STR(csv_of(&b, "\t=cmd"), "\"'\t=cmd\"");
    CHECK_STR(csv_of(&b, "\r=cmd"), "\"'\r=cmd\"");
    CHECK_STR(csv_of(&b, "=HYPERLINK(\"http://x\",\"y\")"),
              "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
    CHECK_STR(csv_of(&b, "a=b"), "a=b"); /* only the first character counts */
    /* numbers stay numbers, negative ones too */
    vsp_buf_clear(&b);
    vsp_csv_int(&b, -42);
    CHECK_STR(b.data, "-42");
    vsp_buf_clear(&b);
    vsp_csv_int(&b, 1234567890123LL);
    CHECK_STR(b.data, "1234567890123");
    vsp_buf_fini(&b);
}

/* ---- k-anonymity on a hand-made warehouse --------------------------- */

static const char fixture[] =
    "INSERT INTO ingest_run(id, file_path, file_name, file_size, sha256, profile, country,"
    " started_at, finished_at) VALUES (1, 'x.csv', 'x.csv', 1, 'aa', 'p', 'AL',"
    " '2026-10-01T08:00:00Z', '2026-10-01T08:00:01Z');\n"
    "CREATE TEMP TABLE fx(country, case_id, day, category, decision, outcome, channel, url,"
    " ckey, name, email, phone, handle, notes);\n"
    "INSERT INTO fx VALUES"
    " ('AL','T1',20260703,'piracy','forwarded','removed','web_form','https://www.tiktok.com/@zz_handle/video/7000000000000000001','tiktok:video:7000000000000000001','Ana Example','ana@example.org','+355 69 000 0001','zz_handle','=HYPERLINK(\"http://evil\") secret note'),"
    " ('AL','T2',20260710,'piracy','forwarded','removed','web_form',NULL,NULL,NULL,NULL,NULL,NULL,NULL),"
    " ('AL','T3',20260720,'piracy','forwarded','removed','web_form',NULL,NULL,NULL,NULL,NULL,NULL,NULL),"
    " ('AL','T4',20260805,'piracy','forwarded','removed','web_form',NULL,NULL,NULL,NULL,NULL,NULL,NULL),"
    " ('AL','T5',20260905,'piracy','forwarded','removed','web_form',NULL,NULL,NULL,NULL,NULL,NULL,NULL),"
    " ('RS','R1',20260701,'hate','no_violation',NULL,'email',NULL,'tiktok:video:7000000000000000001',NULL,NULL,NULL,NULL,NULL),"
    " ('RS','R2',20260801,'hate','no_violation',NULL,'email',NULL,NULL,NULL,NULL,NULL,NULL,NULL),"
    " ('RS','R3',20260831,'hate','no_violation',NULL,'email',NULL,NULL,NULL,NULL,NULL,NULL,NULL),"
    " ('ME','M1',20260915,'other','pending',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL),"
    " ('BA','B1',20260702,'violence','forwarded','removed','web_form',NULL,NULL,NULL,NULL,NULL,NULL,NULL),"
    " ('BA','B2',20260703,'violence','forwarded','removed','web_form',NULL,NULL,NULL,NULL,NULL,NULL,NULL),"
    " ('BA','B3',20260812,'fraud','forwarded','removed','phone',NULL,NULL,NULL,NULL,NULL,NULL,NULL),"
    " ('BA','B4',20260704,'hate','no_violation',NULL,'web_form',NULL,NULL,NULL,NULL,NULL,NULL,NULL),"
    " ('BA','B5',20260705,'hate','no_violation',NULL,'web_form',NULL,NULL,NULL,NULL,NULL,NULL,NULL),"
    " ('BA','B6',20260706,'hate','no_violation',NULL,'web_form',NULL,NULL,NULL,NULL,NULL,NULL,NULL),"
    " ('BA','B7',20260907,'other','pending',NULL,'ex_officio',NULL,NULL,NULL,NULL,NULL,NULL,NULL),"
    " ('BA','B8',20260908,'piracy','forwarded','declined','email',NULL,NULL,NULL,NULL,NULL,NULL,NULL),"
    " ('XK','X1',20260630,'other','pending',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL);\n"
    "INSERT INTO case_record(country, case_id, platform, item_kind, content_url, content_key,"
    " category_id, received_ts, received_day, received_prec, decided_ts, decided_prec,"
    " forwarded_ts, forwarded_prec, outcome_ts, outcome_prec, decision_id, outcome_id, channel_id,"
    " reporter_name, reporter_email, reporter_phone, account_handle, notes,"
    " first_run, first_line, last_run, last_line, seen_run, row_hash)"
    " SELECT f.country, f.case_id, 'tiktok', 'content', f.url, f.ckey, cat.id,"
    " unixepoch(printf('%04d-%02d-%02d 08:00:00', f.day/10000, f.day/100%100, f.day%100)),"
    " f.day, 2,"
    " CASE WHEN f.decision <> 'pending' THEN unixepoch(printf('%04d-%02d-%02d 08:00:00',"
    "   f.day/10000, f.day/100%100, f.day%100)) + 5400 END,"  /* 1.5 h: rounds to 2 */
    " CASE WHEN f.decision <> 'pending' THEN 2 END,"
    " CASE WHEN f.decision = 'forwarded' THEN unixepoch(printf('%04d-%02d-%02d 08:00:00',"
    "   f.day/10000, f.day/100%100, f.day%100)) + 5400 + 1799 END,"  /* +0.4997 h: 0 */
    " CASE WHEN f.decision = 'forwarded' THEN 2 END,"
    " NULL, NULL, d.id, o.id, ch.id, f.name, f.email, f.phone, f.handle, f.notes, 1, 2, 1, 2, 1, 0"
    " FROM fx f JOIN category cat ON cat.code = f.category JOIN decision d ON d.code = f.decision"
    " LEFT JOIN outcome o ON o.code = f.outcome LEFT JOIN channel ch ON ch.code = f.channel;\n"
    "INSERT INTO case_key(content_key, country, case_id)"
    " SELECT content_key, country, case_id FROM case_record WHERE content_key IS NOT NULL;\n"
    "DROP TABLE fx;\n";

static vsp_store *fixture_db(const char *path)
{
    unlink(path);
    vsp_error err;
    vsp_store *s = vsp_store_open(path, true, &err);
    if (!s) {
        fprintf(stderr, "%s\n", err.msg);
        return NULL;
    }
    char *msg = NULL;
    if (sqlite3_exec(vsp_store_db(s), fixture, NULL, NULL, &msg) != SQLITE_OK)
        fprintf(stderr, "fixture: %s\n", msg);
    sqlite3_free(msg);
    vsp_store_close(s);
    return vsp_store_open_readonly(path, &err);
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return vsp_xstrdup("");
    vsp_buf b;
    vsp_buf_init(&b);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        vsp_buf_append(&b, chunk, n);
    fclose(f);
    vsp_buf_append(&b, "", 0);
    return b.data;
}

static int count_lines(const char *s, const char *needle)
{
    int n = 0;
    for (const char *p = s; (p = strstr(p, needle)); p++)
        n++;
    return n;
}

static void test_kanon(void)
{
    char db_path[600], out[600];
    snprintf(db_path, sizeof db_path, "%s/kanon.db", tmp_dir());
    snprintf(out, sizeof out, "%s/out", tmp_dir());
    vsp_store *db = fixture_db(db_path);
    CHECK(db != NULL);
    if (!db)
        return;
    vsp_error err;
    vsp_export_options opt;
    vsp_export_options_init(&opt);
    opt.period = "2026Q3";
    opt.out_dir = out;
    opt.k = 3;
    opt.key = test_key;
    opt.key_len = TEST_KEY_LEN;
    opt.key_source = "a test";
    vsp_export_result r;
    CHECK_INT(vsp_export_write(db, &opt, &r, &err), VSP_OK);
    CHECK_INT(r.cases, 17);
    CHECK_INT(r.released, 16);
    CHECK_INT(r.rows_month, 0);
    CHECK_INT(r.rows_generalised, 16);
    CHECK_INT(r.rows_suppressed, 1);
    CHECK_INT(r.values_cat_suppressed, 8);
    CHECK_INT(r.values_out_suppressed, 4);
    CHECK_INT(r.k_achieved, 3);
    CHECK_INT(r.classes_month, 0);
    CHECK_INT(r.classes_quarter, 4);
    CHECK_INT(r.classes_suppressed, 1);
    CHECK(!r.random_key);
    CHECK_STR(r.key_id, "2ca6346eef69428d");
    CHECK_INT(r.xlsx_sheets, 1);
    CHECK(r.files[0] && strstr(r.files[0], "research-2026Q3.xlsx"));
    CHECK(r.files[3] && strstr(r.files[3], "research-2026Q3-anonymisation.md"));

    char *csv = slurp(r.files[1]);
    CHECK(strncmp(csv, "\xEF\xBB\xBF" "case_pseudonym,content_pseudonym,country,", 44) == 0);
    CHECK_INT(count_lines(csv, "\r\n"), 17); /* header + 16 */
    CHECK_INT(count_lines(csv, ",AL,2026Q3,quarter,2026-07-01,2026-09-30,piracy,"), 5);
    CHECK_INT(count_lines(csv, ",RS,2026Q3,quarter,2026-07-01,2026-09-30,hate,"), 3);
    /* BA: category suppressed (hate, other); category and outcome, with the
     * decision and durations (violence, fraud, piracy-declined) */
    CHECK_INT(count_lines(csv, ",BA,2026Q3,quarter,2026-07-01,2026-09-30,*,*,no_violation,,"
                               "web_form,2,,,\r\n"), 3);
    CHECK_INT(count_lines(csv, ",BA,2026Q3,quarter,2026-07-01,2026-09-30,*,*,pending,,"
                               "ex_officio,,,,\r\n"), 1);
    CHECK_INT(count_lines(csv, ",BA,2026Q3,quarter,2026-07-01,2026-09-30,*,*,*,*,"), 4);
    CHECK_INT(count_lines(csv, ",*,*,*,*,web_form,,,,\r\n"), 2);
    CHECK_INT(count_lines(csv, ",*,*,*,*,phone,,,,\r\n"), 1);
    CHECK_INT(count_lines(csv, ",*,*,*,*,email,,,,\r\n"), 1);
    CHECK_INT(count_lines(csv, "violence"), 0);
    CHECK_INT(count_lines(csv, "declined"), 0);
    CHECK_INT(count_lines(csv, ",ME,"), 0);
    CHECK_INT(count_lines(csv, ",XK,"), 0);
    /* T1 by its pseudonym, with its content item, durations 2 and 0 */
    CHECK(strstr(csv, "c4eda1fe0d4befcc367508b222cbef9e3,ib41d7d47e33aff04938d1f038e7a176c,AL,"
                      "2026Q3,quarter,2026-07-01,2026-09-30,piracy,"
                      "STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS,forwarded,removed,"
                      "web_form,2,0,,\r\n") != NULL);
    /* R1 reported the same item in another country: the same pseudonym */
    CHECK_INT(count_lines(csv, "ib41d7d47e33aff04938d1f038e7a176c"), 2);
    /* nothing personal */
    CHECK(!strstr(csv, "T1,") && !strstr(csv, "zz_handle") && !strstr(csv, "Ana Example") &&
          !strstr(csv, "ana@example.org") && !strstr(csv, "000 0001") &&
          !strstr(csv, "secret note") && !strstr(csv, "7000000000000000001"));
    free(csv);
    char *report = slurp(r.files[3]);
    CHECK(strstr(report, "k achieved: 3.") != NULL);
    CHECK(strstr(report, "| AL | 5 | 0 | 5 | 0 | 0 | 0 | 5 | 100.0 % | 100.0 % |") != NULL);
    CHECK(strstr(report, "| BA | 8 | 0 | 8 | 8 | 4 | 0 | 8 | 75.0 % | n/a |") != NULL);
    CHECK(strstr(report, "| ME | 1 | 0 | 0 | 0 | 0 | 1 | 0 | n/a | n/a |") != NULL);
    CHECK(strstr(report, "| RS | 3 | 0 | 3 | 0 | 0 | 0 | 3 | n/a | n/a |") != NULL);
    /* the threat model comes first */
    CHECK(strstr(report, "## Threat model") && strstr(report, "## Result") &&
          strstr(report, "## Threat model") < strstr(report, "## Result"));
    CHECK(strstr(report, "| category, dsa_category | 0 (0.0 %) | 8 (47.1 %) | 1 (5.9 %) | "
                         "47.1 % |") != NULL);
    free(report);
    char *dict = slurp(r.files[2]);
    CHECK(strstr(dict, "given by the publisher (a test, key id 2ca6346eef69428d)") != NULL);
    CHECK(strstr(dict, "column,role,type,values,description\r\n") != NULL);
    CHECK(strstr(dict, "\r\noutcome,quasi-identifier,text,") != NULL);
    CHECK(strstr(dict, "\r\nchannel,attribute,text,") != NULL);
    CHECK(strstr(dict, "\r\n(note),note,,,") != NULL);
    free(dict);
    vsp_export_result_fini(&r);

    /* k = 1: nothing generalised or suppressed */
    opt.k = 1;
    CHECK_INT(vsp_export_write(db, &opt, &r, &err), VSP_OK);
    CHECK_INT(r.released, 17);
    CHECK_INT(r.rows_month, 17);
    CHECK_INT(r.k_achieved, 1);
    vsp_export_result_fini(&r);

    /* quarter grain, k = 3; CSV only, with a random key */
    opt.k = 3;
    opt.grain = VSP_EXPORT_QUARTER;
    opt.xlsx = false;
    opt.key = NULL;
    opt.key_len = 0;
    opt.base_name = "q";
    CHECK_INT(vsp_export_write(db, &opt, &r, &err), VSP_OK);
    CHECK_INT(r.released, 16);
    CHECK_INT(r.rows_generalised, 16);
    CHECK_INT(r.rows_suppressed, 1);
    CHECK_INT(r.values_cat_suppressed, 8);
    CHECK_INT(r.values_out_suppressed, 4);
    CHECK_INT(r.k_achieved, 3);
    CHECK(r.random_key);
    CHECK(r.files[0] == NULL);
    dict = slurp(r.files[2]);
    CHECK(strstr(dict, "random and used for this export only") != NULL);
    free(dict);
    vsp_export_result_fini(&r);

    /* a short key is refused; a failed export leaves no file behind */
    opt.key = (const unsigned char *)"short";
    opt.key_len = 5;
    opt.base_name = "refused";
    CHECK_INT(vsp_export_write(db, &opt, &r, &err), VSP_EUSAGE);
    char path[700];
    snprintf(path, sizeof path, "%s/refused.csv", out);
    CHECK(access(path, F_OK) != 0);
    /* 31 bytes: one short of the 32 a key needs */
    opt.key = (const unsigned char *)"0123456789abcdef0123456789abcde";
    opt.key_len = 31;
    CHECK_INT(vsp_export_write(db, &opt, &r, &err), VSP_EUSAGE);
    CHECK(strstr(err.msg, "32") != NULL);

    /* split the Cases sheet every 2 rows: 16 rows -> 8 sheets */
    opt.key = test_key;
    opt.key_len = TEST_KEY_LEN;
    opt.grain = VSP_EXPORT_MONTH;
    opt.xlsx = true;
    opt.base_name = "split";
    opt.rows_per_sheet = 2;
    CHECK_INT(vsp_export_write(db, &opt, &r, &err), VSP_OK);
    CHECK_INT(r.xlsx_sheets, 8);
    vsp_export_result_fini(&r);
    vsp_store_close(db);

    /* a channel id outside the schema (read in the second pass only): a
     * data error, and no file left behind */
    sqlite3 *raw = NULL;
    CHECK_INT(sqlite3_open(db_path, &raw), SQLITE_OK);
    CHECK_INT(sqlite3_exec(raw, "UPDATE case_record SET channel_id = 99 WHERE case_id = 'R2'",
                           NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(raw);
    db = vsp_store_open_readonly(db_path, &err);
    CHECK(db != NULL);
    if (!db)
        return;
    opt.base_name = "badchannel";
    snprintf(path, sizeof path, "%s/badchannel.csv", out);
    unlink(path); /* left by an earlier run */
    snprintf(path, sizeof path, "%s/badchannel.xlsx", out);
    unlink(path);
    CHECK_INT(vsp_export_write(db, &opt, &r, &err), VSP_EDATA);
    CHECK(strstr(err.msg, "a case of RS") && strstr(err.msg, "channel 99"));
    snprintf(path, sizeof path, "%s/badchannel.csv", out);
    CHECK(access(path, F_OK) != 0);
    snprintf(path, sizeof path, "%s/badchannel.xlsx", out);
    CHECK(access(path, F_OK) != 0);
    vsp_store_close(db);
}

int main(void)
{
    RUN(test_utf8);
    RUN(test_sheet_names);
    RUN(test_outfile);
    RUN(test_pseudonym);
    RUN(test_csv);
    RUN(test_kanon);
    return harness_done();
}
