/* harness.h — the tiny unit-test harness: CHECK macros that report
 * file:line and keep going, and a main-free summary.
 *
 *   static void test_x(void) { CHECK_INT(add(1, 2), 3); }
 *   int main(void) { RUN(test_x); return harness_done(); }
 */
#ifndef VSP_TEST_HARNESS_H
#define VSP_TEST_HARNESS_H

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int harness_failures;
static int harness_checks;

#define CHECK(cond)                                                               \
    do {                                                                          \
        harness_checks++;                                                         \
        if (!(cond)) {                                                            \
            harness_failures++;                                                   \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
        }                                                                         \
    } while (0)

#define CHECK_INT(got, want)                                                      \
    do {                                                                          \
        long long g_ = (long long)(got), w_ = (long long)(want);                  \
        harness_checks++;                                                         \
        if (g_ != w_) {                                                           \
            harness_failures++;                                                   \
            fprintf(stderr, "%s:%d: %s == %lld, want %lld\n", __FILE__, __LINE__, \
                    #got, g_, w_);                                                \
        }                                                                         \
    } while (0)

#define CHECK_DBL(got, want, tol)                                                 \
    do {                                                                          \
        double g_ = (double)(got), w_ = (double)(want);                           \
        harness_checks++;                                                         \
        if (!(fabs(g_ - w_) <= (tol))) {                                          \
            harness_failures++;                                                   \
            fprintf(stderr, "%s:%d: %s == %.9g, want %.9g\n", __FILE__, __LINE__, \
                    #got, g_, w_);                                                \
        }                                                                         \
    } while (0)

#define CHECK_STR(got, want)                                                      \
    do {                                                                          \
        const char *g_ = (got), *w_ = (want);                                     \
        harness_checks++;                                                         \
        if (!g_ || !w_ ? g_ != w_ : strcmp(g_, w_) != 0) {                        \
            harness_failures++;                                                   \
            fprintf(stderr, "%s:%d: %s == \"%s\", want \"%s\"\n", __FILE__,       \
                    __LINE__, #got, g_ ? g_ : "(null)", w_ ? w_ : "(null)");      \
        }                                                                         \
    } while (0)

#define RUN(fn)                                                                   \
    do {                                                                          \
        fn();                                                                     \
    } while (0)

/* The whole file at path, NUL-terminated (so text can be read as a
 * string), its length in *len (may be NULL); NULL if it cannot be read.
 * Caller frees. */
static inline char *harness_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0, got;
    char *b = malloc(cap);
    while (b && (got = fread(b + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (n + 1 == cap) {
            char *bigger = realloc(b, cap *= 2);
            if (!bigger)
                free(b);
            b = bigger;
        }
    }
    bool bad = ferror(f) != 0;
    fclose(f);
    if (!b || bad) {
        free(b);
        return NULL;
    }
    b[n] = '\0';
    if (len)
        *len = n;
    return b;
}

/* A scratch folder of this test's own, made if missing: name under
 * $VSP_TEST_TMP (ctest sets it), else under /tmp/vsp-test.  Into buf;
 * false if it cannot be made. */
static inline bool harness_tmpdir(const char *name, char *buf, size_t size)
{
    const char *base = getenv("VSP_TEST_TMP");
    snprintf(buf, size, "%s/%s", base ? base : "/tmp/vsp-test", name);
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s'", buf);
    return system(cmd) == 0;
}

static inline int harness_done(void)
{
    fprintf(stderr, "%d checks, %d failed\n", harness_checks, harness_failures);
    return harness_failures ? 1 : 0;
}

#endif
