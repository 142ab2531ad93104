/* test_urlkey.c — content keys from URLs, as a table: URL beside key and
 * kind.  Expectations written by hand from DESIGN §3 and urlkey.h. */
#include "pipeline/urlkey.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/harness.h"

#define C "content"
#define A "account"
#define ID "7412345678901234567"

static const struct {
    const char *url;
    const char *key;  /* NULL: no key */
    const char *kind; /* NULL: no key */
} cases[] = {
    /* url                                                              key                                kind */
    {"https://www.tiktok.com/@some.user/video/" ID "?is_from_webapp=1", "tiktok:video:" ID,                C},
    {"https://www.tiktok.com/@some.user/photo/" ID,                     "tiktok:photo:" ID,                C},
    {"HTTPS://WWW.TIKTOK.COM/@User/Video/" ID "/",                      "tiktok:video:" ID,                C},
    {"http://tiktok.com/@some.user/video/" ID "#comments",              "tiktok:video:" ID,                C},
    {"tiktok.com/@some.user/video/" ID,                                 "tiktok:video:" ID,                C},
    {"www.tiktok.com/@some.user/video/" ID "?lang=sq&q=x#y",            "tiktok:video:" ID,                C},
    {"m.tiktok.com/v/" ID ".html",                                      "tiktok:video:" ID,                C},
    {"https://m.tiktok.com/v/" ID ".html?u_code=abc",                   "tiktok:video:" ID,                C},
    {"tiktok.com/v/" ID,                                                "tiktok:video:" ID,                C},
    {"https://www.tiktok.com/embed/v2/" ID,                             "tiktok:video:" ID,                C},
    {"https://www.tiktok.com/embed/" ID,                                "tiktok:video:" ID,                C},
    {"  https://www.tiktok.com/@x/video/" ID "//  ",                    "tiktok:video:" ID,                C},
    {"\xC2\xA0https://www.tiktok.com:443/@x/video/" ID "\t",            "tiktok:video:" ID,                C},
    {"https://www.tiktok.com./@x/video/" ID,                            "tiktok:video:" ID,                C}, /* FQDN dot */
    {"hxxps://www.tiktok.com/@x/video/" ID,                             "tiktok:video:" ID,                C}, /* defanged scheme */
    {"//www.tiktok.com/@x/video/" ID,                                   "tiktok:video:" ID,                C},
    {"https://www.tiktok.com/%40x/video/" ID,                           "tiktok:video:" ID,                C},
    {"https://www.tiktok.com/@/video/" ID,                              "tiktok:video:" ID,                C}, /* handle unknown */
    {"https://www.tiktok.com/@user-name!/video/" ID,                    "tiktok:video:" ID,                C}, /* the ID decides */
    {"https://www.tiktok.com/@Some.User",                               "tiktok:account:some.user",        A},
    {"tiktok.com/@Some.User/?lang=en",                                  "tiktok:account:some.user",        A},
    {"https://vm.tiktok.com/ZMabc123/",                                 "tiktok:short:ZMabc123",           C},
    {"vt.tiktok.com/ZSxyz",                                             "tiktok:short:ZSxyz",              C},
    {"https://www.tiktok.com/t/ZTabc/",                                 "tiktok:short:ZTabc",              C},
    {"https://vm.tiktok.com/zmabc123/",                                 "tiktok:short:zmabc123",           C}, /* codes keep case */
    /* TikTok paths that are none of the known forms fall back to url: */
    {"https://www.tiktok.com/@x/video/notanumber",                      "url:tiktok.com/@x/video/notanumber", C},
    {"https://www.tiktok.com/",                                         "url:tiktok.com",                  C},
    {"https://www.tiktok.com/@",                                        "url:tiktok.com/@",                C},
    {"https://www.tiktok.com/@bad-handle!",                             "url:tiktok.com/@bad-handle!",     C},
    {"https://www.tiktok.com/@some.user/live",                          "url:tiktok.com/@some.user/live",  C},
    {"https://www.tiktok.com/foryou",                                   "url:tiktok.com/foryou",           C},
    {"https://vm.tiktok.com/ZM/extra",                                  "url:vm.tiktok.com/ZM/extra",      C},
    {"https://notiktok.com/@x/video/" ID,                               "url:notiktok.com/@x/video/" ID,   C},
    /* other hosts */
    {"https://www.YouTube.com/Watch/?v=abc#t=1",                        "url:youtube.com/Watch",           C},
    {"https://m.facebook.com/Some/Post/",                               "url:facebook.com/Some/Post",      C},
    {"example.org",                                                     "url:example.org",                 C},
    {"http://example.org:8080/a",                                       "url:example.org:8080/a",          C},
    {"https://user:pw@Example.org/a",                                   "url:example.org/a",               C},
    {"https://пример.срб/Вести",                                        "url:%D0%BF%D1%80%D0%B8%D0%BC%D0%B5%D1%80.%D1%81%D1%80%D0%B1/%D0%92%D0%B5%D1%81%D1%82%D0%B8", C},
    {"https://example.org/%c3%a9t%C3%A9",                               "url:example.org/%C3%A9t%C3%A9",   C},
    {"https://example.org/\xC3\xA9t\xC3\xA9",                           "url:example.org/%C3%A9t%C3%A9",   C}, /* same key as escaped */
    {"https://example.org/a b",                                         "url:example.org/a%20b",           C},
    {"https://example.org/100%",                                        "url:example.org/100%",            C},
    /* hostile and empty */
    {"https://",                                                        "url:https://",                    C},
    {"@",                                                               "url:@",                           C},
    {"@some.user",                                                      "url:@some.user",                  C},
    {"not a url",                                                       "url:not%20a%20url",               C},
    {"?#",                                                              "url:?#",                          C},
    {"https://[::1]/x",                                                 "url:https://[::1]/x",             C},
    {"",                                                                NULL,                              NULL},
    {"   \t ",                                                          NULL,                              NULL},
};

static void test_table(void)
{
    vsp_buf out;
    vsp_buf_init(&out);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *kind = vsp_content_key(cases[i].url, strlen(cases[i].url), &out);
        CHECK_STR(kind, cases[i].kind);
        CHECK_STR(cases[i].key ? out.data : (out.len == 0 ? NULL : out.data), cases[i].key);
        if (kind && strcmp(out.data, cases[i].key) != 0)
            fprintf(stderr, "  row %zu: %s\n", i, cases[i].url);
    }
    vsp_buf_fini(&out);
}

static void test_hostile(void)
{
    vsp_buf out;
    vsp_buf_init(&out);

    /* NUL inside: the length counts, and the key stays a C string */
    static const char nul[] = "https://www.tiktok.com/@x/video/74123\0" "45";
    CHECK_STR(vsp_content_key(nul, sizeof nul - 1, &out), C);
    CHECK_STR(out.data, "url:tiktok.com/@x/video/74123%0045");
    CHECK_INT(strlen(out.data), out.len);
    static const char nul3[] = "tiktok.com/@ab\0cd";
    CHECK_STR(vsp_content_key(nul3, sizeof nul3 - 1, &out), C);
    CHECK_STR(out.data, "url:tiktok.com/@ab%00cd");
    static const char nul4[] = "vm.tiktok.com/ZM\0x";
    CHECK_STR(vsp_content_key(nul4, sizeof nul4 - 1, &out), C);
    CHECK_STR(out.data, "url:vm.tiktok.com/ZM%00x");
    static const char nul2[] = "\0";
    CHECK_STR(vsp_content_key(nul2, 1, &out), C);
    CHECK_STR(out.data, "url:%00");

    /* 10 KB of slashes, with and without a host */
    size_t n = 10240;
    char *big = malloc(n + 32);
    memset(big, '/', n);
    CHECK_STR(vsp_content_key(big, n, &out), C);
    CHECK_INT(out.len, 4 + n); /* no host: url: + the text */
    memcpy(big, "https://example.org", 19);
    CHECK_STR(vsp_content_key(big, n, &out), C);
    CHECK_STR(out.data, "url:example.org");
    memcpy(big, "https://tiktok.com/", 19);
    CHECK_STR(vsp_content_key(big, n, &out), C);
    CHECK_STR(out.data, "url:tiktok.com");
    /* a long host */
    memset(big, 'a', n);
    memcpy(big, "https://", 8);
    CHECK_STR(vsp_content_key(big, n, &out), C);
    CHECK_INT(out.len, 4 + n);
    free(big);

    /* NULL, zero length, and the buffer is cleared first */
    vsp_buf_puts(&out, "stale");
    CHECK(vsp_content_key(NULL, 10, &out) == NULL);
    CHECK_INT(out.len, 0);
    CHECK(vsp_content_key("x", 0, &out) == NULL);

    /* random bytes: never crash, always a printable key */
    static const char alphabet[] = "/:@.?#%tiktok.comvTZ0123456789 \xC2\xA0\xFF\0";
    char buf[64];
    uint64_t st = 88172645463325252u;
    for (int i = 0; i < 100000; i++) {
        st ^= st << 13, st ^= st >> 7, st ^= st << 17;
        size_t len = st % sizeof buf;
        for (size_t k = 0; k < len; k++) {
            st ^= st << 13, st ^= st >> 7, st ^= st << 17;
            buf[k] = alphabet[st % (sizeof alphabet - 1)];
        }
        const char *kind = vsp_content_key(buf, len, &out);
        if (kind) {
            bool printable = out.len > 0;
            for (size_t k = 0; k < out.len; k++)
                printable = printable && out.data[k] > 0x20 && out.data[k] < 0x7F;
            CHECK(printable);
        }
    }
    vsp_buf_fini(&out);
}

int main(void)
{
    RUN(test_table);
    RUN(test_hostile);
    return harness_done();
}
