/* test_encoding.c — every encoding with the Balkan letters (bytes as
 * escapes, the expected UTF-8 beside them, both taken from the code
 * charts), ill-formed UTF-8, and folding. */
#include "pipeline/encoding.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/harness.h"

/* UTF-8 of the letters, from the Unicode charts */
#define c_ "\xC4\x8D"  /* č U+010D */
#define C_ "\xC4\x8C"  /* Č U+010C */
#define cj "\xC4\x87"  /* ć U+0107 */
#define CJ "\xC4\x86"  /* Ć U+0106 */
#define dj "\xC4\x91"  /* đ U+0111 */
#define DJ "\xC4\x90"  /* Đ U+0110 */
#define s_ "\xC5\xA1"  /* š U+0161 */
#define S_ "\xC5\xA0"  /* Š U+0160 */
#define z_ "\xC5\xBE"  /* ž U+017E */
#define Z_ "\xC5\xBD"  /* Ž U+017D */
#define e_ "\xC3\xAB"  /* ë U+00EB */
#define E_ "\xC3\x8B"  /* Ë U+00CB */
#define cc "\xC3\xA7"  /* ç U+00E7 */
#define CC "\xC3\x87"  /* Ç U+00C7 */
#define cy_dj "\xD1\x92" /* ђ U+0452 */
#define cy_DJ "\xD0\x82" /* Ђ U+0402 */
#define cy_c "\xD1\x9B"  /* ћ U+045B */
#define cy_C "\xD0\x8B"  /* Ћ U+040B */
#define cy_dz "\xD1\x9F" /* џ U+045F */
#define cy_DZ "\xD0\x8F" /* Џ U+040F */
#define cy_lj "\xD1\x99" /* љ U+0459 */
#define cy_LJ "\xD0\x89" /* Љ U+0409 */
#define cy_nj "\xD1\x9A" /* њ U+045A */
#define cy_NJ "\xD0\x8A" /* Њ U+040A */
#define cy_gj "\xD1\x93" /* ѓ U+0453 */
#define cy_GJ "\xD0\x83" /* Ѓ U+0403 */
#define cy_kj "\xD1\x9C" /* ќ U+045C */
#define cy_KJ "\xD0\x8C" /* Ќ U+040C */
#define cy_dze "\xD1\x95" /* ѕ U+0455 */
#define cy_DZE "\xD0\x85" /* Ѕ U+0405 */
#define cy_j "\xD1\x98"  /* ј U+0458 */
#define cy_J "\xD0\x88"  /* Ј U+0408 */
#define cy_a "\xD0\xB0"  /* а U+0430 */
#define cy_A "\xD0\x90"  /* А U+0410 */
#define cy_ya "\xD1\x8F" /* я U+044F */
#define FFFD "\xEF\xBF\xBD"

static const struct {
    const char *enc, *in; /* in: the encoding's bytes */
    const char *want;     /* UTF-8 */
    int ok;
} convert_cases[] = {
    /* encoding       bytes                                   UTF-8                                   ok */
    {"windows-1250", "\xE8\xE6\xF0\x9A\x9E\xEB\xE7",          c_ cj dj s_ z_ e_ cc,                     1},
    {"windows-1250", "\xC8\xC6\xD0\x8A\x8E\xCB\xC7",          C_ CJ DJ S_ Z_ E_ CC,                     1},
    {"cp1250",       "Vrsta: \x9A" "kola, \xE8" "a\x9A" "a",          "Vrsta: " s_ "kola, " c_ "a" s_ "a",       1},
    {"windows-1250", "\x80 \x84",                             "\xE2\x82\xAC \xE2\x80\x9E",              1}, /* € „ */
    {"windows-1250", "a\x81" "b\x83\x88\x90\x98",             "a" FFFD "b" FFFD FFFD FFFD FFFD,         0}, /* undefined */
    {"iso-8859-2",   "\xE8\xE6\xF0\xB9\xBE\xEB\xE7",          c_ cj dj s_ z_ e_ cc,                     1},
    {"latin2",       "\xC8\xC6\xD0\xA9\xAE\xCB\xC7",          C_ CJ DJ S_ Z_ E_ CC,                     1},
    {"windows-1251", "\x90\x9E\x9F\x9A\x9C\x83\x9D\xBE\xBC",  cy_dj cy_c cy_dz cy_lj cy_nj cy_gj cy_kj cy_dze cy_j, 1},
    {"CP1251",       "\x80\x8E\x8F\x8A\x8C\x81\x8D\xBD\xA3",  cy_DJ cy_C cy_DZ cy_LJ cy_NJ cy_GJ cy_KJ cy_DZE cy_J, 1},
    {"windows-1251", "\xC0\xE0\xFF \xB9",                     cy_A cy_a cy_ya " \xE2\x84\x96",          1}, /* А а я № */
    {"windows-1251", "x\x98y",                                "x" FFFD "y",                             0}, /* undefined */
    {"iso-8859-5",   "\xF2\xFB\xFF\xF9\xFA\xF3\xFC\xF5\xF8",  cy_dj cy_c cy_dz cy_lj cy_nj cy_gj cy_kj cy_dze cy_j, 1},
    {"ISO8859-5",    "\xA2\xAB\xAF\xB0\xD0\xEF",              cy_DJ cy_C cy_DZ cy_A cy_a cy_ya,         1},
    {"utf-8",        c_ cj dj s_ z_ e_ cc " " cy_dj cy_c cy_dz, c_ cj dj s_ z_ e_ cc " " cy_dj cy_c cy_dz, 1},
    {"UTF8",         "\xEF\xBB\xBF" "ok",                     "\xEF\xBB\xBF" "ok",                      1}, /* BOM kept */
    {"utf-8-bom",    "plain ASCII text that is long enough for the 8-byte path", "plain ASCII text that is long enough for the 8-byte path", 1},
    {"utf-8",        "",                                      "",                                       1},
};

static void test_convert(void)
{
    vsp_buf out;
    vsp_buf_init(&out);
    for (size_t i = 0; i < sizeof convert_cases / sizeof convert_cases[0]; i++) {
        vsp_error err;
        vsp_decoder *d = vsp_decoder_new(convert_cases[i].enc, &err);
        CHECK(d != NULL);
        if (!d) {
            fprintf(stderr, "%s\n", err.msg);
            continue;
        }
        vsp_buf_clear(&out);
        vsp_buf_puts(&out, "<"); /* convert appends */
        bool ok = vsp_decoder_convert(d, convert_cases[i].in, strlen(convert_cases[i].in), &out);
        CHECK_INT(ok, convert_cases[i].ok);
        CHECK(out.len >= 1 && out.data[0] == '<');
        CHECK_STR(out.data + 1, convert_cases[i].want);
        vsp_decoder_free(d);
    }
    vsp_buf_fini(&out);
}

/* NUL bytes: dropped, and reported. */
static void test_nul(void)
{
    static const char *encs[] = {"utf-8", "windows-1250", "windows-1251", "iso-8859-2", "iso-8859-5"};
    vsp_buf out;
    vsp_buf_init(&out);
    for (size_t i = 0; i < sizeof encs / sizeof encs[0]; i++) {
        vsp_decoder *d = vsp_decoder_new(encs[i], NULL);
        CHECK(d != NULL);
        if (!d)
            continue;
        vsp_buf_clear(&out);
        CHECK(!vsp_decoder_convert(d, "a\0b\0", 4, &out));
        CHECK_STR(out.data, "ab");
        CHECK_INT(out.len, 2);
        vsp_buf_clear(&out);
        CHECK(vsp_decoder_convert(d, NULL, 0, &out));
        CHECK_STR(out.data, "");
        vsp_decoder_free(d);
    }
    vsp_buf_fini(&out);
}

/* Each single-byte table: exactly these bytes unmappable, everything
 * else converts to valid UTF-8. */
static void test_tables(void)
{
    static const struct {
        const char *enc, *invalid;
    } t[] = {
        {"windows-1250", "\x81\x83\x88\x90\x98"},
        {"windows-1251", "\x98"},
        {"iso-8859-2", ""},
        {"iso-8859-5", ""},
    };
    vsp_buf out;
    vsp_buf_init(&out);
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        vsp_decoder *d = vsp_decoder_new(t[i].enc, NULL);
        CHECK(d != NULL);
        if (!d)
            continue;
        CHECK_STR(vsp_decoder_name(d), t[i].enc);
        for (int b = 1; b < 256; b++) {
            char in = (char)b;
            vsp_buf_clear(&out);
            bool ok = vsp_decoder_convert(d, &in, 1, &out);
            bool want_invalid = strchr(t[i].invalid, b) != NULL;
            CHECK_INT(ok, !want_invalid);
            CHECK(vsp_utf8_valid(out.data, out.len));
            if (want_invalid)
                CHECK_STR(out.data, FFFD);
            if (b < 0x80)
                CHECK(out.len == 1 && out.data[0] == in);
        }
        vsp_decoder_free(d);
    }
    vsp_buf_fini(&out);
}

static const struct {
    const char *in, *want; /* UTF-8 in, after conversion */
    int ok;
} utf8_cases[] = {
    /* input                       converted                    valid */
    {"\xC2\x80",                   "\xC2\x80",                  1}, /* U+0080, smallest 2-byte */
    {"\xDF\xBF",                   "\xDF\xBF",                  1}, /* U+07FF */
    {"\xE0\xA0\x80",               "\xE0\xA0\x80",              1}, /* U+0800 */
    {"\xED\x9F\xBF",               "\xED\x9F\xBF",              1}, /* U+D7FF, last before surrogates */
    {"\xEE\x80\x80",               "\xEE\x80\x80",              1}, /* U+E000 */
    {"\xEF\xBF\xBF",               "\xEF\xBF\xBF",              1}, /* U+FFFF noncharacter is well-formed */
    {"\xF0\x90\x80\x80",           "\xF0\x90\x80\x80",          1}, /* U+10000 */
    {"\xF0\x9F\x98\x80",           "\xF0\x9F\x98\x80",          1}, /* emoji */
    {"\xF4\x8F\xBF\xBF",           "\xF4\x8F\xBF\xBF",          1}, /* U+10FFFF */
    {"\x80",                       FFFD,                        0}, /* stray continuation */
    {"a\xBF" "b",                  "a" FFFD "b",                0},
    {"\xC0\xAF",                   FFFD FFFD,                   0}, /* overlong '/' */
    {"\xC1\xBF",                   FFFD FFFD,                   0}, /* overlong */
    {"\xE0\x80\xAF",               FFFD FFFD FFFD,              0}, /* overlong 3-byte */
    {"\xF0\x80\x80\xAF",           FFFD FFFD FFFD FFFD,         0}, /* overlong 4-byte */
    {"\xED\xA0\x80",               FFFD FFFD FFFD,              0}, /* surrogate U+D800 */
    {"\xED\xBF\xBF",               FFFD FFFD FFFD,              0}, /* surrogate U+DFFF */
    {"\xF4\x90\x80\x80",           FFFD FFFD FFFD FFFD,         0}, /* U+110000 */
    {"\xF5\x80\x80\x80",           FFFD FFFD FFFD FFFD,         0},
    {"\xFE\xFF",                   FFFD FFFD,                   0},
    {"\xE2\x82",                   FFFD,                        0}, /* truncated at the end: one U+FFFD */
    {"\xE2\x82" "A",               FFFD "A",                    0}, /* truncated before ASCII */
    {"\xF0\x9F\x98",               FFFD,                        0},
    {"\xF0\x9F\x98" "\xF0\x9F\x98\x80", FFFD "\xF0\x9F\x98\x80", 0},
    {"\xC4",                       FFFD,                        0},
    {"\xC4\xC4\x8D",               FFFD c_,                     0},
    {"Pri" "\xE8" "ina",           "Pri" FFFD "ina",            0}, /* windows-1250 read as UTF-8 */
    {"0123456789abcdef\x80" "0123456789abcdef", "0123456789abcdef" FFFD "0123456789abcdef", 0},
};

static void test_utf8(void)
{
    vsp_decoder *d = vsp_decoder_new("utf-8", NULL);
    vsp_buf out;
    vsp_buf_init(&out);
    for (size_t i = 0; d && i < sizeof utf8_cases / sizeof utf8_cases[0]; i++) {
        size_t n = strlen(utf8_cases[i].in);
        vsp_buf_clear(&out);
        CHECK_INT(vsp_decoder_convert(d, utf8_cases[i].in, n, &out), utf8_cases[i].ok);
        CHECK_STR(out.data, utf8_cases[i].want);
        CHECK_INT(vsp_utf8_valid(utf8_cases[i].in, n), utf8_cases[i].ok);
    }
    CHECK(vsp_utf8_valid("a\0b", 3)); /* U+0000 is well-formed */
    CHECK(vsp_utf8_valid(NULL, 0));
    vsp_buf_fini(&out);
    vsp_decoder_free(d);
}

/* A naive reference: decode by the lead byte's length, then reject by
 * value (overlong, surrogate, too large). */
static int ref_valid(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        size_t k = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
        if (k == 0 || i + k > n)
            return 0;
        uint32_t cp = k == 1 ? c : k == 2 ? (c & 0x1F) : k == 3 ? (c & 0x0F) : (c & 0x07);
        for (size_t j = 1; j < k; j++) {
            if ((s[i + j] & 0xC0) != 0x80)
                return 0;
            cp = cp << 6 | (s[i + j] & 0x3F);
        }
        static const uint32_t min[5] = {0, 0, 0x80, 0x800, 0x10000};
        if (cp < min[k] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        i += k;
    }
    return 1;
}

static void test_utf8_random(void)
{
    vsp_decoder *d = vsp_decoder_new("utf-8", NULL);
    CHECK(d != NULL);
    if (!d)
        return;
    static const unsigned char pool[] = {0x00, 'a', 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0,
                                         0xC1, 0xC2, 0xC4, 0xDF, 0xE0, 0xE1, 0xED, 0xEE, 0xEF,
                                         0xF0, 0xF1, 0xF4, 0xF5, 0xFF};
    uint64_t st = 0x2545F4914F6CDD1Du;
    unsigned char buf[24];
    vsp_buf out;
    vsp_buf_init(&out);
    int disagree = 0, bad_out = 0;
    for (int i = 0; i < 300000; i++) {
        st ^= st << 13, st ^= st >> 7, st ^= st << 17;
        size_t n = st % sizeof buf;
        bool has_nul = false;
        for (size_t k = 0; k < n; k++) {
            st ^= st << 13, st ^= st >> 7, st ^= st << 17;
            buf[k] = pool[st % sizeof pool];
            has_nul = has_nul || buf[k] == 0;
        }
        int valid = vsp_utf8_valid((const char *)buf, n);
        disagree += valid != ref_valid(buf, n);
        vsp_buf_clear(&out);
        bool ok = vsp_decoder_convert(d, (const char *)buf, n, &out);
        bad_out += ok != (valid && !has_nul);
        bad_out += !ref_valid((const unsigned char *)out.data, out.len);
        bad_out += memchr(out.data ? out.data : "", 0, out.len) != NULL;
        if (ok)
            bad_out += out.len != n || memcmp(out.data, buf, n) != 0;
    }
    CHECK_INT(disagree, 0);
    CHECK_INT(bad_out, 0);
    vsp_buf_fini(&out);
    vsp_decoder_free(d);
}

static void test_names(void)
{
    static const char *good[] = {"utf-8", "UTF-8", "Utf8", "utf-8-BOM", "windows-1250", "CP1250",
                                 "Windows-1251", "cp1251", "ISO-8859-2", "Latin2", "iso-8859-5"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        vsp_decoder *d = vsp_decoder_new(good[i], NULL);
        CHECK(d != NULL);
        vsp_decoder_free(d);
    }
    static const char *bad[] = {"klingon", "", "utf-16", "windows-1252 ", "cp 1250"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        vsp_error err;
        vsp_error_clear(&err);
        CHECK(vsp_decoder_new(bad[i], &err) == NULL);
        CHECK_INT(err.status, VSP_ECONFIG);
        CHECK(strstr(err.msg, "windows-1250") != NULL && strstr(err.msg, "iso-8859-5") != NULL);
    }
    vsp_error err;
    CHECK(vsp_decoder_new(NULL, &err) == NULL);
    CHECK(vsp_decoder_new("klingon", NULL) == NULL);
    vsp_decoder_new("kling\non", &err);
    CHECK(strncmp(err.msg, "unknown encoding 'kling?on'", 27) == 0);
    vsp_decoder_free(NULL);
}

static const struct {
    const char *in, *want;
} fold_cases[] = {
    /* input                                              folded */
    {"Kategorija",                                        "kategorija"},
    {"  Datum   prijave \t",                              "datum prijave"},
    {"\xEF\xBB\xBF" "Kategorija",                         "kategorija"},             /* BOM dropped */
    {"\xEF\xBB\xBF  \xEF\xBB\xBF" "ID",                   "id"},
    {"a\xEF\xBB\xBF" "b",                                 "ab"},                     /* a BOM anywhere */
    {"\xC2\xA0" "Prijava\xC2\xA0\xC2\xA0 primljena \xC2\xA0", "prijava primljena"},  /* NBSP */
    {"a\xE2\x80\x83\xE2\x80\xAF" "b",                     "a b"},                    /* em space, narrow NBSP */
    {"a\tb\r\nc",                                         "a b c"},
    {C_ CJ DJ S_ Z_,                                      c_ cj dj s_ z_},
    {E_ CC " " e_ cc,                                     e_ cc " " e_ cc},
    {"GOVOR MR" Z_ "NJE",                                 "govor mr" z_ "nje"},
    {"\xC3\x80\xC3\x86\xC3\x96\xC3\x98\xC3\x9E",          "\xC3\xA0\xC3\xA6\xC3\xB6\xC3\xB8\xC3\xBE"}, /* ÀÆÖØÞ */
    {"\xC3\x97\xC3\x9F",                                  "\xC3\x97\xC3\x9F"},       /* × ß unchanged */
    {"\xC4\x80\xC4\xB0\xC4\xB9\xC5\x8A\xC5\xB8\xC5\xB9\xC4\xB8", "\xC4\x81" "i" "\xC4\xBA\xC5\x8B\xC3\xBF\xC5\xBA\xC4\xB8"}, /* Ā İ Ĺ Ŋ Ÿ Ź ĸ */
    {"\xC7\x84\xC7\x85\xC7\x86",                          "\xC7\x86\xC7\x86\xC7\x86"}, /* Ǆ ǅ ǆ */
    {"\xC7\x87\xC7\x88\xC7\x89",                          "\xC7\x89\xC7\x89\xC7\x89"}, /* Ǉ ǈ ǉ */
    {"\xC7\x8A\xC7\x8B\xC7\x8C",                          "\xC7\x8C\xC7\x8C\xC7\x8C"}, /* Ǌ ǋ ǌ */
    {"\xC7\xB1\xC7\xB2",                                  "\xC7\xB3\xC7\xB3"},       /* Ǳ ǲ */
    {cy_DJ cy_C cy_DZ cy_LJ cy_NJ cy_GJ cy_KJ cy_DZE cy_J, cy_dj cy_c cy_dz cy_lj cy_nj cy_gj cy_kj cy_dze cy_j},
    {"\xD0\x94\xD0\x90\xD0\xA2\xD0\xA3\xD0\x9C",          "\xD0\xB4\xD0\xB0\xD1\x82\xD1\x83\xD0\xBC"}, /* ДАТУМ -> датум */
    {"\xD0\x80\xD0\x81\xD0\xAF",                          "\xD1\x90\xD1\x91\xD1\x8F"}, /* Ѐ Ё Я */
    {"\xCE\xA3",                                          "\xCE\xA3"},               /* Greek: untouched */
    {"\xFF" "A",                                          FFFD "a"},                 /* ill-formed: U+FFFD */
    {"A\xE2\x82",                                         "a" FFFD},
    {"   ",                                               ""},
    {"",                                                  ""},
};

static void test_fold(void)
{
    vsp_buf out;
    vsp_buf_init(&out);
    for (size_t i = 0; i < sizeof fold_cases / sizeof fold_cases[0]; i++) {
        vsp_buf_puts(&out, "stale");
        vsp_fold(fold_cases[i].in, strlen(fold_cases[i].in), &out);
        CHECK_STR(out.data, fold_cases[i].want);
    }
    vsp_fold("a\0B", 3, &out);
    CHECK_STR(out.data, "ab");
    CHECK_INT(out.len, 2);
    vsp_fold(NULL, 5, &out);
    CHECK_STR(out.data, "");
    /* Both cases of the letters fold alike, in every encoding. */
    vsp_buf a, b;
    vsp_buf_init(&a);
    vsp_buf_init(&b);
    vsp_fold("Tip sadr" Z_ "aja: GOVOR MR" Z_ "NJE", strlen("Tip sadr" Z_ "aja: GOVOR MR" Z_ "NJE"), &a);
    vsp_fold("tip  SADR" z_ "AJA: govor mr" z_ "nje ", strlen("tip  SADR" z_ "AJA: govor mr" z_ "nje "), &b);
    CHECK_STR(a.data, b.data);
    /* random bytes: never crash, output well-formed */
    uint64_t st = 0x853C49E6748FEA9Bu;
    char buf[32];
    int bad = 0;
    for (int i = 0; i < 100000; i++) {
        st ^= st << 13, st ^= st >> 7, st ^= st << 17;
        size_t n = st % sizeof buf;
        for (size_t k = 0; k < n; k++) {
            st ^= st << 13, st ^= st >> 7, st ^= st << 17;
            buf[k] = (char)(st >> 24);
        }
        vsp_fold(buf, n, &out);
        bad += !vsp_utf8_valid(out.data, out.len) || memchr(out.data, 0, out.len) != NULL;
        bad += out.len > 0 && (out.data[0] == ' ' || out.data[out.len - 1] == ' ');
    }
    CHECK_INT(bad, 0);
    vsp_buf_fini(&a);
    vsp_buf_fini(&b);
    vsp_buf_fini(&out);
}


/* Normalisation of identifiers and labels: expected bytes by hand from the
 * Unicode code charts (Č U+010C, Й U+0419, ǖ U+01D6, ậ U+1EAD). */
static const struct {
    const char *in, *want;
} norm_cases[] = {
    {"AL-1", "AL-1"},
    {"\xE2\x80\x8B" "AL-1", "AL-1"},                      /* zero-width space */
    {"\xEF\xBB\xBF" "AL-1", "AL-1"},                      /* BOM */
    {"AL\xE2\x80\x8C-\xE2\x80\x8D" "1\xC2\xAD", "AL-1"},  /* ZWNJ, ZWJ, soft hyphen */
    {"\xE2\x80\x8F" "abc\xE2\x80\xAE", "abc"},            /* RLM, RLO */
    {"a\x01" "b\x7F", "ab"},                              /* controls */
    {"  AL\xC2\xA0\xC2\xA0" "1 \t", "AL 1"},              /* spaces */
    {"C\xCC\x8C" "e", "\xC4\x8C" "e"},                    /* C + caron -> Č */
    {"\xD0\x98\xCC\x86", "\xD0\x99"},                     /* И + breve -> Й */
    {"u\xCC\x88\xCC\x84", "\xC7\x96"},                    /* u + diaeresis + macron -> ǖ */
    {"\xC3\xBC\xCC\x84", "\xC7\x96"},                     /* ü + macron -> ǖ */
    {"a\xCC\xA3\xCC\x82", "\xE1\xBA\xAD"},                /* a + dot below + circumflex */
    {"a\xCC\x82\xCC\xA3", "\xE1\xBA\xAD"},                /* the marks in the other order */
    {"x\xCC\x8C", "x\xCC\x8C"},                           /* nothing to compose */
    {"e\xCC\x81\xCC\x81", "\xC3\xA9\xCC\x81"},            /* é and an acute left over */
    {"\xCC\x81" "a", "\xCC\x81" "a"},                     /* a mark with no letter */
    {"\xE4\xB8\xAD\xE6\x96\x87", "\xE4\xB8\xAD\xE6\x96\x87"}, /* other scripts as they are */
};

static void test_normalize(void)
{
    vsp_buf out;
    vsp_buf_init(&out);
    for (size_t i = 0; i < sizeof norm_cases / sizeof norm_cases[0]; i++) {
        vsp_buf_puts(&out, "stale");
        vsp_normalize(norm_cases[i].in, strlen(norm_cases[i].in), &out);
        CHECK_STR(out.data, norm_cases[i].want);
    }
    vsp_fold("C\xCC\x8C" "AJ", 5, &out);
    CHECK_STR(out.data, "\xC4\x8D" "aj");
    vsp_fold("\xE2\x80\x8B" "Piracy", 9, &out);
    CHECK_STR(out.data, "piracy");
    vsp_buf_fini(&out);
}

/* printable ASCII, single inner spaces, none at either end: the
 * definition vsp_plain_ascii is checked against, byte by byte */
static bool plain_ascii_ref(const char *s, size_t len)
{
    if (len && (s[0] == ' ' || s[len - 1] == ' '))
        return false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c > 0x7E || (c == ' ' && i + 1 < len && s[i + 1] == ' '))
            return false;
    }
    return true;
}

/* The fast paths of ingest (issue 21) against the slow ones as oracle:
 * text vsp_normal or vsp_plain_ascii accept must come back unchanged from
 * vsp_normalize (and plain ASCII from every decoder that keeps ASCII). */
static void test_normal_fast(void)
{
    vsp_error err;
    const char *names[] = {"utf-8", "windows-1250", "windows-1251", "iso-8859-2", "iso-8859-5"};
    vsp_decoder *dec[5];
    for (int d = 0; d < 5; d++) {
        dec[d] = vsp_decoder_new(names[d], &err);
        CHECK(dec[d] && vsp_decoder_keeps_ascii(dec[d]));
    }
    vsp_buf out, conv;
    vsp_buf_init(&out);
    vsp_buf_init(&conv);
    /* Every code point up to U+FFFF (surrogates apart) between letters, at
     * either end, alone, and before a combining mark. */
    size_t accepted = 0;
    for (uint32_t cp = 1; cp <= 0xFFFF; cp++) {
        if (cp >= 0xD800 && cp <= 0xDFFF)
            continue;
        vsp_buf c;
        vsp_buf_init(&c);
        vsp_utf8_put(&c, cp);
        char s[4][16];
        size_t n[4];
        n[0] = (size_t)snprintf(s[0], sizeof s[0], "a%sb", c.data);
        n[1] = (size_t)snprintf(s[1], sizeof s[1], "%sz", c.data);
        n[2] = (size_t)snprintf(s[2], sizeof s[2], "%s", c.data);
        n[3] = (size_t)snprintf(s[3], sizeof s[3], "%s\xCC\x81", c.data);
        for (int k = 0; k < 4; k++) {
            if (!vsp_normal(s[k], n[k]))
                continue;
            accepted++;
            vsp_normalize(s[k], n[k], &out);
            if (out.len != n[k] || memcmp(out.data, s[k], n[k]) != 0) {
                CHECK(!"vsp_normal accepted text vsp_normalize changes");
                fprintf(stderr, "  U+%04X, form %d\n", (unsigned)cp, k);
            }
        }
        vsp_buf_fini(&c);
    }
    CHECK(accepted > 150000); /* most of the BMP is normal as it is (three forms each) */
    /* Ill-formed after a two-byte lead, and the marks the fast path skips */
    CHECK(!vsp_normal("\xD0", 1));
    CHECK(!vsp_normal("\xD0" "A", 2));
    CHECK(!vsp_normal("\xC4\xC4", 2));
    CHECK(!vsp_normal("\xD0\x98\xCC\x86", 4)); /* И + breve composes to Й */
    CHECK(vsp_normal("\xD0\x99", 2));
    /* vsp_plain_ascii against its definition on random strings of the
     * bytes that matter (space pairs across each eight-byte step) */
    const char alphabet[] = {'a', ' ', ' ', ' ', '~', '\x7F', '\x1F', '\x80', '!', '\t', '\0', 'Z'};
    uint64_t st = 0x2545F4914F6CDD1Du;
    for (int t = 0; t < 200000; t++) {
        char s[40];
        st ^= st << 13, st ^= st >> 7, st ^= st << 17;
        size_t len = (size_t)(st % 40);
        for (size_t i = 0; i < len; i++) {
            st ^= st << 13, st ^= st >> 7, st ^= st << 17;
            s[i] = alphabet[st % sizeof alphabet];
        }
        bool want = plain_ascii_ref(s, len), got = vsp_plain_ascii(s, len);
        if (got != want) {
            CHECK(got == want);
            break;
        }
        if (!got)
            continue;
        vsp_normalize(s, len, &out);
        CHECK(out.len == len && memcmp(out.data, s, len) == 0);
        for (int d = 0; d < 5; d++) {
            vsp_buf_clear(&conv);
            CHECK(vsp_decoder_convert(dec[d], s, len, &conv));
            CHECK(conv.len == len && (len == 0 || memcmp(conv.data, s, len) == 0));
        }
    }
    /* vsp_decoder_invalid skips ASCII eight bytes at a time: against a
     * count byte by byte (a byte is invalid when the decoder turns it
     * into U+FFFD alone) */
    for (int d = 1; d < 5; d++) {
        unsigned char bytes[256];
        int bad_byte[256];
        for (int c = 0; c < 256; c++) {
            bytes[c] = (unsigned char)c;
            vsp_buf_clear(&conv);
            bad_byte[c] = c && !vsp_decoder_convert(dec[d], (const char *)&bytes[c], 1, &conv);
        }
        for (int t = 0; t < 20000; t++) {
            unsigned char str[40];
            st ^= st << 13, st ^= st >> 7, st ^= st << 17;
            size_t len = (size_t)(st % 40);
            size_t want = 0;
            for (size_t i = 0; i < len; i++) {
                st ^= st << 13, st ^= st >> 7, st ^= st << 17;
                str[i] = (st & 3) ? (unsigned char)('a' + st % 26) : (unsigned char)(st >> 8);
                want += (size_t)bad_byte[str[i]];
            }
            if (vsp_decoder_invalid(dec[d], (const char *)str, len) != want) {
                CHECK(!"vsp_decoder_invalid miscounts");
                break;
            }
        }
    }
    for (int d = 0; d < 5; d++)
        vsp_decoder_free(dec[d]);
    vsp_buf_fini(&out);
    vsp_buf_fini(&conv);
}

static void test_escape(void)
{
    vsp_buf out;
    vsp_buf_init(&out);
    const char in[] = "a\tb\x1B[31m\\\xE2\x80\xAEx\xFF\xC2\x85";
    vsp_escape(in, sizeof in - 1, 0, &out);
    CHECK_STR(out.data, "a\\tb\\x1B[31m\\\\u202Ex\\xFF\\u0085");
    vsp_buf_clear(&out);
    vsp_escape("abcdefgh", 8, 4, &out);
    CHECK_STR(out.data, "abcd...");
    vsp_buf_fini(&out);
}

static void test_evidence(void)
{
    vsp_error err;
    vsp_decoder *utf8 = vsp_decoder_new("utf-8", &err);
    vsp_decoder *cp1251 = vsp_decoder_new("windows-1251", &err);
    size_t multi = 9;
    CHECK(vsp_utf8_multibyte("P\xC3\xABr", 4, &multi));
    CHECK_INT(multi, 1);
    CHECK(!vsp_utf8_multibyte("P\xEBr", 3, &multi));
    CHECK_INT(vsp_decoder_invalid(utf8, "P\xEBr\xE8 ok\xC3\xAB", 10), 2);
    CHECK_INT(vsp_decoder_invalid(cp1251, "\x98\xC0\x98", 3), 2); /* 0x98 is no character */
    CHECK_STR(vsp_encoding_guess("P\xC3\xABrgjigja", 10), "utf-8");
    CHECK_STR(vsp_encoding_guess("Prijava \xE8lanka, \x9Ateta", 21), "windows-1250");
    CHECK_STR(vsp_encoding_guess("\xCF\xF0\xE8\xFF\xE2\xE0 \xF0\xE5\xE4", 10), "windows-1251");
    vsp_decoder_free(utf8);
    vsp_decoder_free(cp1251);
}

int main(void)
{
    RUN(test_convert);
    RUN(test_nul);
    RUN(test_tables);
    RUN(test_utf8);
    RUN(test_utf8_random);
    RUN(test_names);
    RUN(test_fold);
    RUN(test_normalize);
    RUN(test_normal_fast);
    RUN(test_escape);
    RUN(test_evidence);
    return harness_done();
}
