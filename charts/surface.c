/* surface.c — PNG, SVG and PDF files of a chart, and its CSV.  The only
 * module that knows file formats. */
#include "charts/surface.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "charts/layout.h"
#include "pipeline/i18n.h"
#include "pipeline/util.h"

bool vsp_format_from_name(const char *name, vsp_format *f)
{
    if (!name)
        return false;
    if (vsp_ascii_iequal(name, "png"))
        *f = VSP_FORMAT_PNG;
    else if (vsp_ascii_iequal(name, "svg"))
        *f = VSP_FORMAT_SVG;
    else if (vsp_ascii_iequal(name, "pdf"))
        *f = VSP_FORMAT_PDF;
    else
        return false;
    return true;
}

const char *vsp_format_ext(vsp_format f)
{
    return f == VSP_FORMAT_PNG ? "png" : f == VSP_FORMAT_SVG ? "svg" : "pdf";
}

bool vsp_render_size_parse(const char *text, double *w, double *h)
{
    if (!text)
        return false;
    if (vsp_ascii_iequal(text, "slide")) {
        *w = 1920;
        *h = 1080;
        return true;
    }
    if (vsp_ascii_iequal(text, "a4")) {
        *w = 1123; /* 297 mm at 96 px per inch */
        *h = 794;  /* 210 mm */
        return true;
    }
    char *end;
    long a = strtol(text, &end, 10);
    if (end == text || (*end != 'x' && *end != 'X'))
        return false;
    const char *p = end + 1;
    long b = strtol(p, &end, 10);
    if (end == p || *end || a < 200 || b < 150 || a > 20000 || b > 20000)
        return false;
    *w = (double)a;
    *h = (double)b;
    return true;
}

char *vsp_chart_csv_path(const char *path)
{
    const char *base = vsp_basename(path);
    const char *dot = strrchr(base, '.');
    size_t keep = dot && dot != base ? (size_t)(dot - path) : strlen(path);
    char *out = vsp_xmalloc(keep + 5);
    memcpy(out, path, keep);
    memcpy(out + keep, ".csv", 5);
    return out;
}

/* ---- atomic files --------------------------------------------------- */

typedef struct atomic_file {
    char *final;
    char *tmp;
    FILE *f;
} atomic_file;

static vsp_status atomic_open(atomic_file *af, const char *path, vsp_error *err)
{
    af->final = vsp_xstrdup(path);
    af->tmp = vsp_xasprintf("%s.tmp-XXXXXX", path);
    af->f = NULL;
    int fd = mkstemp(af->tmp);
    if (fd < 0) {
        vsp_status st = vsp_error_set(err, VSP_ECANTCREAT, "%s: cannot create: %s", path,
                                      strerror(errno));
        free(af->final);
        free(af->tmp);
        af->final = af->tmp = NULL;
        return st;
    }
    fchmod(fd, 0644);
    af->f = fdopen(fd, "wb");
    if (!af->f) {
        close(fd);
        unlink(af->tmp);
        vsp_status st = vsp_error_set(err, VSP_ECANTCREAT, "%s: cannot create: %s", path,
                                      strerror(errno));
        free(af->final);
        free(af->tmp);
        af->final = af->tmp = NULL;
        return st;
    }
    return VSP_OK;
}

/* Close and rename into place (ok) or remove the temporary (!ok). */
static vsp_status atomic_close(atomic_file *af, bool ok, vsp_error *err)
{
    vsp_status st = ok ? VSP_OK : VSP_EIO;
    if (af->f) {
        if (ferror(af->f) || fclose(af->f) != 0) {
            if (ok)
                st = vsp_error_set(err, VSP_EIO, "%s: write failed: %s", af->final,
                                   strerror(errno));
        }
        af->f = NULL;
    }
    if (st == VSP_OK && rename(af->tmp, af->final) != 0)
        st = vsp_error_set(err, VSP_ECANTCREAT, "%s: cannot rename into place: %s", af->final,
                           strerror(errno));
    if (st != VSP_OK)
        unlink(af->tmp);
    free(af->final);
    free(af->tmp);
    af->final = af->tmp = NULL;
    return st;
}

static cairo_status_t write_stream(void *closure, const unsigned char *data, unsigned int len)
{
    FILE *f = closure;
    return fwrite(data, 1, len, f) == len ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

/* ---- PNG -------------------------------------------------------------- */

static void put_u32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

static bool png_chunk(FILE *f, const char *type, const unsigned char *data, size_t len)
{
    unsigned char hdr[8];
    put_u32(hdr, (uint32_t)len);
    memcpy(hdr + 4, type, 4);
    uLong crc = crc32(0L, (const Bytef *)type, 4);
    if (len)
        crc = crc32(crc, data, (uInt)len);
    unsigned char tail[4];
    put_u32(tail, (uint32_t)crc);
    return fwrite(hdr, 1, 8, f) == 8 && (len == 0 || fwrite(data, 1, len, f) == len) &&
           fwrite(tail, 1, 4, f) == 4;
}

/* RGB, 8 bits, filter "Up" on every row (flat charts turn into runs of
 * zeros), deflated with Z_RLE at level 1: a fraction of the time of
 * cairo's encoder for a file of similar size. */
static vsp_status png_encode(FILE *f, cairo_surface_t *img, double dpi, const char *path,
                             vsp_error *err)
{
    vsp_status st = VSP_EIO;
    int w = cairo_image_surface_get_width(img), h = cairo_image_surface_get_height(img);
    int stride = cairo_image_surface_get_stride(img);
    const unsigned char *data = cairo_image_surface_get_data(img);
    size_t row = (size_t)w * 3 + 1;
    unsigned char *cur = vsp_xmalloc(row), *prev = vsp_xcalloc(1, row), *line = vsp_xmalloc(row);
    size_t out_cap = 1 << 18;
    unsigned char *out = vsp_xmalloc(out_cap);
    z_stream z;
    memset(&z, 0, sizeof z);
    bool z_ok = deflateInit2(&z, 1, Z_DEFLATED, 15, 9, Z_RLE) == Z_OK;
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    unsigned char ihdr[13];
    put_u32(ihdr, (uint32_t)w);
    put_u32(ihdr + 4, (uint32_t)h);
    ihdr[8] = 8;  /* bit depth */
    ihdr[9] = 2;  /* truecolour */
    ihdr[10] = 0; /* deflate */
    ihdr[11] = 0; /* adaptive filtering */
    ihdr[12] = 0; /* no interlace */
    if (!z_ok || fwrite(sig, 1, 8, f) != 8 || !png_chunk(f, "IHDR", ihdr, 13))
        goto out;
    /* pHYs: the resolution, so viewers and slide software know the size */
    unsigned char phys[9];
    uint32_t ppm = (uint32_t)lround(dpi / 0.0254);
    put_u32(phys, ppm);
    put_u32(phys + 4, ppm);
    phys[8] = 1; /* metre */
    if (!png_chunk(f, "pHYs", phys, 9))
        goto out;
    for (int y = 0; y < h; y++) {
        const uint32_t *px = (const uint32_t *)(const void *)(data + (size_t)y * (size_t)stride);
        cur[0] = 0;
        for (int x = 0; x < w; x++) {
            uint32_t v = px[x];
            cur[1 + 3 * x] = (unsigned char)(v >> 16);
            cur[2 + 3 * x] = (unsigned char)(v >> 8);
            cur[3 + 3 * x] = (unsigned char)v;
        }
        line[0] = 2; /* Up */
        for (size_t i = 1; i < row; i++)
            line[i] = (unsigned char)(cur[i] - prev[i]);
        unsigned char *tmp = prev;
        prev = cur;
        cur = tmp;
        z.next_in = line;
        z.avail_in = (uInt)row;
        int flush = y + 1 == h ? Z_FINISH : Z_NO_FLUSH;
        do {
            z.next_out = out;
            z.avail_out = (uInt)out_cap;
            int rc = deflate(&z, flush);
            if (rc == Z_STREAM_ERROR)
                goto out;
            size_t have = out_cap - z.avail_out;
            if (have && !png_chunk(f, "IDAT", out, have))
                goto out;
        } while (z.avail_out == 0);
    }
    if (!png_chunk(f, "IEND", NULL, 0))
        goto out;
    st = VSP_OK;
out:
    if (st != VSP_OK)
        vsp_error_set(err, VSP_EIO, "%s: cannot write the PNG: %s", path,
                      errno ? strerror(errno) : "zlib error");
    deflateEnd(&z);
    free(cur);
    free(prev);
    free(line);
    free(out);
    return st;
}

vsp_status vsp_png_write(void *surface, double dpi, const char *path, vsp_error *err)
{
    cairo_surface_t *img = surface;
    cairo_surface_flush(img);
    atomic_file af;
    vsp_status st = atomic_open(&af, path, err);
    if (st != VSP_OK)
        return st;
    st = png_encode(af.f, img, dpi > 0 ? dpi : 96, path, err);
    return atomic_close(&af, st == VSP_OK, err) == VSP_OK ? st : VSP_EIO;
}

/* ---- the chart ------------------------------------------------------- */

static vsp_status check_surface(cairo_surface_t *s, const char *path, vsp_error *err)
{
    cairo_status_t cs = cairo_surface_status(s);
    if (cs == CAIRO_STATUS_SUCCESS)
        return VSP_OK;
    return vsp_error_set(err, cs == CAIRO_STATUS_WRITE_ERROR ? VSP_EIO : VSP_ESOFTWARE,
                         "%s: %s", path, cairo_status_to_string(cs));
}

static void pdf_metadata(cairo_surface_t *s, const vsp_chart_spec *spec)
{
    const char *lang = spec->lang ? spec->lang : "en";
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, vsp_chart_title(spec->id, lang));
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "vspreport " VSP_VERSION);
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde && sde[0]) {
        time_t t = (time_t)strtoll(sde, NULL, 10);
        struct tm tm;
        char date[32];
        if (gmtime_r(&t, &tm) && strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &tm)) {
            cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, date);
            cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_MOD_DATE, date);
        }
    }
}

vsp_status vsp_chart_render(const vsp_chart_spec *spec, const vsp_chart_data *d, vsp_format f,
                            const vsp_render_opts *opts, const char *path, vsp_error *err)
{
    double w = opts && opts->width > 0 ? opts->width : 1920;
    double h = opts && opts->height > 0 ? opts->height : 1080;
    double dpi = opts && opts->dpi > 0 ? opts->dpi : 96;
    vsp_status st = VSP_ESOFTWARE;
    cairo_surface_t *surf = NULL;
    cairo_t *cr = NULL;
    atomic_file af = {NULL, NULL, NULL};

    if (f == VSP_FORMAT_PNG) {
        int pw = (int)lround(w * dpi / 96.0), ph = (int)lround(h * dpi / 96.0);
        if (pw < 1 || ph < 1 || (double)pw * ph > 400e6)
            return vsp_error_set(err, VSP_EUSAGE, "%s: %dx%d pixels is not a sensible size",
                                 path, pw, ph);
        surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, pw, ph);
        cr = cairo_create(surf);
        cairo_scale(cr, dpi / 96.0, dpi / 96.0);
        st = vsp_chart_draw(cr, 0, 0, w, h, spec, d, err);
        if (st == VSP_OK)
            st = check_surface(surf, path, err);
        if (st == VSP_OK)
            st = vsp_png_write(surf, dpi, path, err);
        goto out;
    }
    st = atomic_open(&af, path, err);
    if (st != VSP_OK)
        goto out;
    if (f == VSP_FORMAT_SVG) {
        surf = cairo_svg_surface_create_for_stream(write_stream, af.f, w, h);
        cairo_svg_surface_set_document_unit(surf, CAIRO_SVG_UNIT_PX);
        cr = cairo_create(surf);
    } else {
        surf = cairo_pdf_surface_create_for_stream(write_stream, af.f, w * 0.75, h * 0.75);
        pdf_metadata(surf, spec);
        cr = cairo_create(surf);
        cairo_scale(cr, 0.75, 0.75);
    }
    st = vsp_chart_draw(cr, 0, 0, w, h, spec, d, err);
    cairo_destroy(cr);
    cr = NULL;
    cairo_surface_finish(surf);
    if (st == VSP_OK)
        st = check_surface(surf, path, err);
    cairo_surface_destroy(surf);
    surf = NULL;
    st = atomic_close(&af, st == VSP_OK, err) == VSP_OK ? st : (st == VSP_OK ? VSP_EIO : st);
out:
    if (cr)
        cairo_destroy(cr);
    if (surf)
        cairo_surface_destroy(surf);
    return st;
}

/* ---- CSV ---------------------------------------------------------------- */

/* Quote when needed; neutralise text a spreadsheet would run as a formula. */
static void csv_field(FILE *f, const char *s)
{
    bool formula = s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' ||
                   s[0] == '\r';
    bool quote = formula || strpbrk(s, ",\"\r\n") != NULL;
    if (!quote) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    if (formula)
        fputc('\'', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

vsp_status vsp_chart_write_csv(const vsp_chart_data *d, const char *lang, const char *path,
                               vsp_error *err)
{
    atomic_file af;
    vsp_status st = atomic_open(&af, path, err);
    if (st != VSP_OK)
        return st;
    FILE *f = af.f;
    fputs("chart,country,period,table,key,label,metric,value\n", f);
    for (size_t k = 0; k < d->n_tables; k++) {
        const vsp_chart_table *t = &d->tables[k];
        for (size_t r = 0; r < t->n_rows; r++) {
            char buf[256];
            const char *label = vsp_chart_key_label(lang, t->name, t->rows[r], buf, sizeof buf);
            for (size_t c = 0; c < t->n_cols; c++) {
                double v = t->v[r * t->n_cols + c];
                fprintf(f, "%s,%s,", vsp_chart_name(d->id), d->country);
                csv_field(f, d->period);
                fputc(',', f);
                csv_field(f, t->name);
                fputc(',', f);
                csv_field(f, t->rows[r]);
                fputc(',', f);
                csv_field(f, label);
                fputc(',', f);
                csv_field(f, t->cols[c]);
                fputc(',', f);
                if (isfinite(v)) {
                    if (v == floor(v) && fabs(v) < 1e15)
                        fprintf(f, "%.0f", v);
                    else
                        fprintf(f, "%.10g", v);
                }
                fputc('\n', f);
            }
        }
    }
    return atomic_close(&af, true, err);
}
