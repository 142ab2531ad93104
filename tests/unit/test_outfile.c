/* test_outfile.c — pipeline/outfile: temporaries beside the final name,
 * renamed only when complete, and the names a clean-up may remove. */
#include "pipeline/outfile.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pipeline/util.h"
#include "tests/unit/harness.h"

/* A new, empty folder of this test's own (under VSP_TEST_TMP). */
static const char *tmp_dir(void)
{
    static char dir[512];
    if (!dir[0]) {
        const char *base = getenv("VSP_TEST_TMP");
        mkdir(base ? base : "/tmp", 0777);
        snprintf(dir, sizeof dir, "%s/outfile-XXXXXX", base ? base : "/tmp");
        if (!mkdtemp(dir))
            snprintf(dir, sizeof dir, "/tmp");
    }
    return dir;
}

/* Names in dir other than . and .. */
static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)))
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            n++;
    if (d)
        closedir(d);
    return n;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = vsp_xcalloc(1, 4096);
    size_t n = fread(buf, 1, 4095, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static void test_temp_names(void)
{
    /* what vsp_outfile makes */
    CHECK(vsp_outfile_is_temp_name(".report.pdf.vsptmp-a1B2c3"));
    CHECK(vsp_outfile_is_temp_name("OUT/charts/AL/en/.map.png.vsptmp-ZZZZZZ"));
    CHECK(vsp_outfile_is_temp_name(".x.vsptmp-000000"));
    /* what it does not: a user's files, other programs' temporaries */
    CHECK(!vsp_outfile_is_temp_name("thesis.tmp.docx"));
    CHECK(!vsp_outfile_is_temp_name("report.pdf.tmp-a1B2c3"));
    CHECK(!vsp_outfile_is_temp_name(".report.pdf.tmp-a1B2c3"));
    CHECK(!vsp_outfile_is_temp_name("report.pdf.vsptmp-a1B2c3")); /* not hidden */
    CHECK(!vsp_outfile_is_temp_name(".vsptmp-a1B2c3"));           /* no final name */
    CHECK(!vsp_outfile_is_temp_name(".report.pdf.vsptmp-a1B2c"));  /* 5 characters */
    CHECK(!vsp_outfile_is_temp_name(".report.pdf.vsptmp-a1B2c3d")); /* 7 */
    CHECK(!vsp_outfile_is_temp_name(".report.pdf.vsptmp-a1-2c3"));
    CHECK(!vsp_outfile_is_temp_name(".vsptmp-a1B2c3/report.pdf"));
    CHECK(!vsp_outfile_is_temp_name(""));
}

static void test_write(void)
{
    const char *dir = tmp_dir();
    char path[600];
    snprintf(path, sizeof path, "%s/out.txt", dir);
    unlink(path);
    vsp_error err;
    int before = count_entries(dir);

    CHECK_INT(vsp_outfile_write(path, "first\n", 6, &err), VSP_OK);
    char *got = slurp(path);
    CHECK_STR(got ? got : "", "first\n");
    free(got);
    CHECK_INT(count_entries(dir), before + 1); /* no temporary left */
    CHECK_INT(vsp_outfile_write(path, "second\n", 7, &err), VSP_OK);
    got = slurp(path);
    CHECK_STR(got ? got : "", "second\n");
    free(got);

    /* open: the temporary is hidden beside the final name until commit */
    vsp_outfile o;
    CHECK_INT(vsp_outfile_open(&o, path, &err), VSP_OK);
    CHECK(vsp_outfile_is_temp_name(o.tmp));
    CHECK(strncmp(o.tmp, dir, strlen(dir)) == 0);
    fputs("third\n", o.fp);
    got = slurp(path);
    CHECK_STR(got ? got : "", "second\n"); /* the old file until the commit */
    free(got);
    CHECK_INT(vsp_outfile_commit(&o, &err), VSP_OK);
    vsp_outfile_discard(&o);
    got = slurp(path);
    CHECK_STR(got ? got : "", "third\n");
    free(got);

    /* discard: the final file is untouched, the temporary gone */
    CHECK_INT(vsp_outfile_open(&o, path, &err), VSP_OK);
    fputs("never\n", o.fp);
    char *tmp = vsp_xstrdup(o.tmp);
    vsp_outfile_discard(&o);
    vsp_outfile_discard(&o); /* twice is safe */
    CHECK(access(tmp, F_OK) != 0);
    free(tmp);
    got = slurp(path);
    CHECK_STR(got ? got : "", "third\n");
    free(got);
    CHECK_INT(count_entries(dir), before + 1);

    /* a folder that does not exist: cannot create, nothing to discard */
    CHECK_INT(vsp_outfile_write("/nonexistent-dir/x.txt", "x", 1, &err), VSP_ECANTCREAT);
    CHECK(strstr(err.msg, "/nonexistent-dir/x.txt") != NULL);
    /* a final name that is a folder: the rename fails, no temporary stays */
    char sub[620];
    snprintf(sub, sizeof sub, "%s/sub", dir);
    mkdir(sub, 0777);
    char inner[640];
    snprintf(inner, sizeof inner, "%s/keep", sub);
    FILE *k = fopen(inner, "w");
    if (k)
        fclose(k);
    int n = count_entries(dir);
    CHECK_INT(vsp_outfile_write(sub, "x", 1, &err), VSP_ECANTCREAT);
    CHECK_INT(count_entries(dir), n);
}

int main(void)
{
    RUN(test_temp_names);
    RUN(test_write);
    return harness_done();
}
