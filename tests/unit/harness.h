/* harness.h — the tiny unit-test harness: CHECK macros that report
 * file:line and keep going, and a main-free summary.
 *
 *   static void test_x(void) { CHECK_INT(add(1, 2), 3); }
 *   int main(void) { RUN(test_x); return harness_done(); }
 */
#ifndef VSP_TEST_HARNESS_H
#define VSP_TEST_HARNESS_H

#include <math.h>
#include <stdio.h>
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

static inline int harness_done(void)
{
    fprintf(stderr, "%d checks, %d failed\n", harness_checks, harness_failures);
    return harness_failures ? 1 : 0;
}

#endif
