/* surface.c — PNG, SVG and PDF files of a chart, and its CSV.  The only
 * module that knows file formats. */
#include "charts/surface.h"

#include <cairo-pdf.h>
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
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "charts/draw.h"
#include "charts/layout.h"
#include "pipeline/i18n.h"
#include "pipeline/outfile.h"
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

/* Chart files go through vsp_outfile without an fsync each: a catalogue is
 * a thousand small files re-made from the warehouse on the next run, and
 * run's manifest, written (and synced) last, says which are complete. */
static vsp_status atomic_open(vsp_outfile *af, const char *path, vsp_error *err)
{
    vsp_status st = vsp_outfile_open(af, path, err);
    af->sync = false;
    return st;
}

/* Close and rename into place (ok) or remove the temporary (!ok). */
static vsp_status atomic_close(vsp_outfile *af, bool ok, vsp_error *err)
{
    vsp_status st = ok ? vsp_outfile_commit(af, err) : VSP_EIO;
    vsp_outfile_discard(af);
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

/* A deflate encoder for charts.  Charts are large flat areas with a little
 * antialiased detail, so a general LZ77 search (zlib, even at level 1 or
 * with Z_RLE) spends its time on data that needs none.  Every scanline is
 * written with the PNG filter Up (each byte minus the byte above), so
 * whatever equals the row above is a run of zero bytes, and this encoder
 * emits one fixed-Huffman block whose matches are only of two kinds: a
 * run of zeros (distance 1) and a run of one filtered pixel (distance 3:
 * the first row of a bar, a horizontal rule); anything else is a literal.
 * Both distances have the shortest distance code, so a row equal to the
 * one above costs about 40 bytes.  Files are a little larger than zlib's,
 * and encoding is an order of magnitude faster. */

/* Buffers kept for the next chart (vsp_surface_cleanup frees them). */
static struct {
    unsigned char *out;
    size_t out_cap;
    uint32_t *zero_row; /* the row "above" the first: zero_cap pixels of 0 */
    size_t zero_cap;
    cairo_surface_t *image; /* the last PNG canvas, reused at the same size */
} scratch;

void vsp_surface_cleanup(void)
{
    free(scratch.out);
    free(scratch.zero_row);
    if (scratch.image)
        cairo_surface_destroy(scratch.image);
    memset(&scratch, 0, sizeof scratch);
}

typedef struct bitw {
    unsigned char *p; /* next byte to write */
    uint64_t acc;
    int n;
} bitw;

/* Append nbits (at most 32) bits, first bit in the lowest. */
static inline void bw_put(bitw *b, uint32_t bits, int nbits)
{
    b->acc |= (uint64_t)bits << b->n;
    b->n += nbits;
    if (b->n >= 32) {
        uint32_t w = (uint32_t)b->acc;
        b->p[0] = (unsigned char)w;
        b->p[1] = (unsigned char)(w >> 8);
        b->p[2] = (unsigned char)(w >> 16);
        b->p[3] = (unsigned char)(w >> 24);
        b->p += 4;
        b->acc >>= 32;
        b->n -= 32;
    }
}

static void bw_flush(bitw *b)
{
    while (b->n > 0) {
        *b->p++ = (unsigned char)b->acc;
        b->acc >>= 8;
        b->n -= 8;
    }
    b->n = 0;
    b->acc = 0;
}

static uint32_t reverse_bits(uint32_t v, int n)
{
    uint32_t r = 0;
    for (int i = 0; i < n; i++)
        r |= ((v >> i) & 1u) << (n - 1 - i);
    return r;
}

/* The fixed Huffman codes (RFC 1951, 3.2.6), bit-reversed for bw_put. */
typedef struct fixed_tables {
    bool ready;
    uint16_t lit_code[288];
    uint8_t lit_len[288];
    /* a match of length 3..258 at distance 1 (d1) and 3 (d3): length
     * code, its extra bits and the 5-bit distance code, in one */
    uint32_t d1_bits[259], d3_bits[259];
    uint8_t d_nbits[259];
} fixed_tables;

static fixed_tables fx;

static void fixed_init(void)
{
    if (fx.ready)
        return;
    for (int s = 0; s < 288; s++) {
        uint32_t code;
        int len;
        if (s < 144) {
            code = 0x30u + (uint32_t)s;
            len = 8;
        } else if (s < 256) {
            code = 0x190u + (uint32_t)(s - 144);
            len = 9;
        } else if (s < 280) {
            code = (uint32_t)(s - 256);
            len = 7;
        } else {
            code = 0xC0u + (uint32_t)(s - 280);
            len = 8;
        }
        fx.lit_code[s] = (uint16_t)reverse_bits(code, len);
        fx.lit_len[s] = (uint8_t)len;
    }
    static const int base[29] = {3,  4,  5,  6,  7,  8,  9,  10, 11,  13,  15,  17,  19,  23, 27,
                                 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
    static const int extra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                  2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
    /* distances 1 and 3 are distance codes 0 and 2, without extra bits */
    const uint32_t dist1 = reverse_bits(0, 5), dist3 = reverse_bits(2, 5);
    for (int l = 3; l <= 258; l++) {
        int k = 28;
        while (base[k] > l)
            k--;
        int sym = 257 + k;
        uint32_t len_bits = fx.lit_code[sym] | ((uint32_t)(l - base[k]) << fx.lit_len[sym]);
        int len_nbits = fx.lit_len[sym] + extra[k];
        fx.d1_bits[l] = len_bits | dist1 << len_nbits;
        fx.d3_bits[l] = len_bits | dist3 << len_nbits;
        fx.d_nbits[l] = (uint8_t)(len_nbits + 5);
    }
    fx.ready = true;
}

/* Pixels equal from the start: a[0..k) == b[0..k), k <= max.  Most of
 * a chart's rows equal the row above over most of their width, so this
 * is the encoder's inner loop: eight pixels per step with SSE2 (every
 * x86-64 has it), else two. */
static int run_same(const uint32_t *a, const uint32_t *b, int max)
{
    int k = 0;
#ifdef __SSE2__
    /* the block with the first difference gives its place at once (the
     * lowest clear bit of the byte mask, four bits a pixel): a chart row
     * has thousands of runs, and finding each end pixel by pixel took a
     * third of the encoder's time */
    for (; k + 8 <= max; k += 8) {
        __m128i a0 = _mm_loadu_si128((const __m128i *)(const void *)(a + k));
        __m128i a1 = _mm_loadu_si128((const __m128i *)(const void *)(a + k + 4));
        __m128i b0 = _mm_loadu_si128((const __m128i *)(const void *)(b + k));
        __m128i b1 = _mm_loadu_si128((const __m128i *)(const void *)(b + k + 4));
        unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi32(a0, b0)) |
                     (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi32(a1, b1)) << 16;
        if (m != 0xFFFFFFFFu)
            return k + __builtin_ctz(~m) / 4;
    }
#endif
    for (; k + 2 <= max; k += 2) {
        uint64_t u, v;
        memcpy(&u, a + k, 8);
        memcpy(&v, b + k, 8);
        if (u != v)
            break;
    }
    while (k < max && a[k] == b[k])
        k++;
    return k;
}

/* Pixels equal to v from the start of a, at most max; as run_same. */
static int run_of(const uint32_t *a, uint32_t v, int max)
{
    int k = 0;
#ifdef __SSE2__
    __m128i vv = _mm_set1_epi32((int)v);
    for (; k + 8 <= max; k += 8) {
        __m128i a0 = _mm_loadu_si128((const __m128i *)(const void *)(a + k));
        __m128i a1 = _mm_loadu_si128((const __m128i *)(const void *)(a + k + 4));
        __m128i eq = _mm_and_si128(_mm_cmpeq_epi32(a0, vv), _mm_cmpeq_epi32(a1, vv));
        if (_mm_movemask_epi8(eq) != 0xFFFF)
            break;
    }
#endif
    while (k < max && a[k] == v)
        k++;
    return k;
}

/* Pixels equal to v at the end of a[0..max), counted backwards. */
static int run_of_back(const uint32_t *a, uint32_t v, int max)
{
    int k = 0;
#ifdef __SSE2__
    __m128i vv = _mm_set1_epi32((int)v);
    for (; k + 8 <= max; k += 8) {
        __m128i a0 = _mm_loadu_si128((const __m128i *)(const void *)(a + max - k - 8));
        __m128i a1 = _mm_loadu_si128((const __m128i *)(const void *)(a + max - k - 4));
        __m128i eq = _mm_and_si128(_mm_cmpeq_epi32(a0, vv), _mm_cmpeq_epi32(a1, vv));
        if (_mm_movemask_epi8(eq) != 0xFFFF)
            break;
    }
#endif
    while (k < max && a[max - k - 1] == v)
        k++;
    return k;
}

/* Set the w pixels of px to v, writing only from the first that differs
 * to the last (a chart's margins hold its background already).  Returns
 * whether they were all v already. */
static bool clear_row(uint32_t *px, int w, uint32_t v)
{
    int x0 = run_of(px, v, w);
    if (x0 == w)
        return true;
    int x1 = w - run_of_back(px + x0, v, w - x0);
    for (int x = x0; x < x1; x++)
        px[x] = v;
    return false;
}

/* The filtered colour bytes of pixel v under pixel u: R, G and B of v
 * minus those of u, each modulo 256 (a subtraction without borrows
 * between bytes), as 0x00RRGGBB. */
static uint32_t up_diff(uint32_t v, uint32_t u)
{
    const uint32_t hi = 0x80808080u;
    return (((v | hi) - (u & ~hi)) ^ ((v ^ ~u) & hi)) & 0xFFFFFFu;
}

/* Pixels from the start of a whose filtered bytes over b are d, at most
 * max; as run_same. */
static int run_diff(const uint32_t *a, const uint32_t *b, uint32_t d, int max)
{
    int k = 0;
#ifdef __SSE2__
    __m128i dd = _mm_set1_epi32((int)d), rgb = _mm_set1_epi32(0xFFFFFF);
    for (; k + 4 <= max; k += 4) {
        __m128i a0 = _mm_loadu_si128((const __m128i *)(const void *)(a + k));
        __m128i b0 = _mm_loadu_si128((const __m128i *)(const void *)(b + k));
        __m128i f = _mm_and_si128(_mm_sub_epi8(a0, b0), rgb);
        if (_mm_movemask_epi8(_mm_cmpeq_epi32(f, dd)) != 0xFFFF)
            break;
    }
#endif
    while (k < max && up_diff(a[k], b[k]) == d)
        k++;
    return k;
}

/* The Adler-32 of the stream, kept as its two sums: s1 = 1 + the sum of
 * the bytes, s2 = the sum of s1 after each byte (RFC 1950).  Reduced
 * modulo 65521 at the end of each scanline only: within one (at most
 * 3 * 80000 + 1 bytes) neither passes 2^63.  Most bytes are zeros, which
 * leave s1 and add s1 to s2 each, so a run of n costs one multiplication. */
typedef struct adler_sums {
    uint64_t s1, s2;
} adler_sums;

/* k repeats of the filtered pixel d: the bytes R G B, k times.  Repeat j
 * starts with s1 + j T (T = R + G + B) and adds 3 (s1 + j T) + 3R + 2G + B
 * to s2. */
static inline void adler_pixels(adler_sums *a, uint32_t d, uint64_t k)
{
    uint64_t r = (d >> 16) & 0xFF, g = (d >> 8) & 0xFF, b = d & 0xFF, t = r + g + b;
    a->s2 += k * (3 * a->s1 + 3 * r + 2 * g + b) + 3 * t * (k * (k - 1) / 2);
    a->s1 += k * t;
}

/* n zero bytes: after a zero byte, copies at distance 1; the first a
 * literal when the byte before is not zero; one or two left over are
 * literals (as short as the shortest copy). */
static inline void put_zeros(bitw *b, adler_sums *a, size_t n, bool after_zero)
{
    a->s2 += (uint64_t)n * a->s1;
    if (!after_zero && n > 0) {
        bw_put(b, fx.lit_code[0], fx.lit_len[0]);
        n--;
    }
    for (; n >= 3; n -= n > 258 ? 258 : n) {
        size_t m = n > 258 ? 258 : n;
        bw_put(b, fx.d1_bits[m], fx.d_nbits[m]);
    }
    for (; n > 0; n--)
        bw_put(b, fx.lit_code[0], fx.lit_len[0]);
}

/* Encode the rows of a cairo RGB24/ARGB32 image as the zlib stream of an
 * RGB PNG, filter Up on every scanline, into out, which holds at least
 * h * (3 w + 1) * 9 / 8 + 64 bytes (a literal is at most 9 bits; a copy
 * is shorter than the bytes it stands for).  zero holds w pixels of 0,
 * the row above the first.  A row equal to the one above costs a memcmp
 * and a few codes.  With clear, each row is set to *clear once the row
 * below it is encoded, while it is still in the cache: the image ends as
 * one colour, which spares the next picture on it a pass over all of its
 * memory.  Returns the length. */
static size_t deflate_image(unsigned char *data, int w, int h, int stride,
                            const uint32_t *zero, const uint32_t *clear, unsigned char *out)
{
    fixed_init();
    out[0] = 0x78; /* deflate, 32K window */
    out[1] = 0x01; /* fastest; (0x7801 % 31 == 0) */
    bitw b = {out + 2, 0, 0};
    bw_put(&b, 1, 1); /* BFINAL */
    bw_put(&b, 1, 2); /* fixed Huffman */
    const uint64_t mod = 65521;
    adler_sums ad = {1, 0};
    /* for clearing: whether the row before the last equalled the one
     * above it, and whether the one above that was all *clear; a row equal
     * to a clear row is clear, and needs no scan (the blank bands of a
     * chart are most of its rows) */
    bool same_prev = false, clear_prev2 = false;
    for (int y = 0; y < h; y++) {
        unsigned char *line = data + (size_t)y * (size_t)stride;
        const uint32_t *px = (const uint32_t *)(const void *)line;
        const uint32_t *up = y > 0 ? (const uint32_t *)(const void *)(line - stride) : zero;
        bw_put(&b, fx.lit_code[2], fx.lit_len[2]); /* filter byte: Up */
        ad.s1 += 2;
        ad.s2 += ad.s1;
        bool same = y > 0 && memcmp(px, up, (size_t)w * 4) == 0;
        if (same) {
            put_zeros(&b, &ad, (size_t)w * 3, false);
        } else {
            /* d_left: the filtered pixel to the left (none at x = 0: the
             * bytes before it are the filter byte's); after_zero: the
             * byte before x is zero */
            uint32_t d_left = UINT32_MAX;
            bool after_zero = false;
            for (int x = 0; x < w;) {
                if (px[x] == up[x]) {
                    int k = run_same(px + x, up + x, w - x);
                    put_zeros(&b, &ad, (size_t)k * 3, after_zero);
                    x += k;
                    d_left = 0;
                    after_zero = true;
                    continue;
                }
                uint32_t d = up_diff(px[x], up[x]);
                if (d == d_left) {
                    int k = run_diff(px + x, up + x, d, w - x);
                    adler_pixels(&ad, d, (uint64_t)k);
                    for (int n = 3 * k; n > 0; n -= n > 258 ? 258 : n) {
                        int m = n > 258 ? 258 : n; /* multiples of 3: never 1 or 2 left */
                        bw_put(&b, fx.d3_bits[m], fx.d_nbits[m]);
                    }
                    x += k;
                    continue;
                }
                /* a literal (antialiased edges, text): no run to look for */
                unsigned r = (d >> 16) & 0xFF, g = (d >> 8) & 0xFF, bl = d & 0xFF;
                bw_put(&b,
                       fx.lit_code[r] | (uint32_t)fx.lit_code[g] << fx.lit_len[r] |
                           (uint32_t)fx.lit_code[bl] << (fx.lit_len[r] + fx.lit_len[g]),
                       fx.lit_len[r] + fx.lit_len[g] + fx.lit_len[bl]);
                adler_pixels(&ad, d, 1);
                d_left = d;
                after_zero = bl == 0;
                x++;
            }
        }
        ad.s1 %= mod;
        ad.s2 %= mod;
        if (clear && y > 0) /* row y - 1, now that row y is encoded */
            clear_prev2 = (same_prev && clear_prev2) ||
                          clear_row((uint32_t *)(void *)(line - stride), w, *clear);
        same_prev = same;
    }
    if (clear && h > 0 && !(same_prev && clear_prev2))
        clear_row((uint32_t *)(void *)(data + (size_t)(h - 1) * (size_t)stride), w, *clear);
    bw_put(&b, fx.lit_code[256], fx.lit_len[256]);
    bw_flush(&b);
    put_u32(b.p, (uint32_t)(ad.s2 << 16 | ad.s1));
    b.p += 4;
    return (size_t)(b.p - out);
}

/* RGB, 8 bits, filter Up (deflate_image).  With clear, img is left as
 * the colour of its top left pixel (a chart's background) throughout,
 * and noted so (vsp_draw_canvas_uniform). */
static vsp_status png_encode(FILE *f, cairo_surface_t *img, double dpi, bool clear,
                             const char *path, vsp_error *err)
{
    vsp_status st = VSP_EIO;
    int w = cairo_image_surface_get_width(img), h = cairo_image_surface_get_height(img);
    int stride = cairo_image_surface_get_stride(img);
    unsigned char *data = cairo_image_surface_get_data(img);
    size_t n = ((size_t)w * 3 + 1) * (size_t)h;
    /* scratch kept between charts: fresh pages cost more than encoding */
    size_t need_out = n + n / 8 + 64;
    if (scratch.out_cap < need_out) {
        free(scratch.out);
        scratch.out_cap = need_out;
        scratch.out = vsp_xmalloc(scratch.out_cap);
    }
    if (scratch.zero_cap < (size_t)w) {
        free(scratch.zero_row);
        scratch.zero_cap = (size_t)w;
        scratch.zero_row = vsp_xcalloc(scratch.zero_cap, sizeof *scratch.zero_row);
    }
    unsigned char *out = scratch.out;
    uint32_t corner = 0;
    if (clear && w > 0 && h > 0)
        memcpy(&corner, data, sizeof corner);
    size_t out_len =
        deflate_image(data, w, h, stride, scratch.zero_row, clear ? &corner : NULL, out);
    if (clear) {
        cairo_surface_mark_dirty(img);
        vsp_draw_canvas_uniform(img, corner);
    }
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    unsigned char ihdr[13];
    put_u32(ihdr, (uint32_t)w);
    put_u32(ihdr + 4, (uint32_t)h);
    ihdr[8] = 8;  /* bit depth */
    ihdr[9] = 2;  /* truecolour */
    ihdr[10] = 0; /* deflate */
    ihdr[11] = 0; /* adaptive filtering (here Up on every row) */
    ihdr[12] = 0; /* no interlace */
    /* pHYs: the resolution, so viewers and slide software know the size */
    unsigned char phys[9];
    uint32_t ppm = (uint32_t)lround(dpi / 0.0254);
    put_u32(phys, ppm);
    put_u32(phys + 4, ppm);
    phys[8] = 1; /* metre */
    if (fwrite(sig, 1, 8, f) != 8 || !png_chunk(f, "IHDR", ihdr, 13) ||
        !png_chunk(f, "pHYs", phys, 9))
        goto out;
    for (size_t off = 0; off < out_len; off += 1u << 20) {
        size_t len = out_len - off < (1u << 20) ? out_len - off : (1u << 20);
        if (!png_chunk(f, "IDAT", out + off, len))
            goto out;
    }
    if (!png_chunk(f, "IEND", NULL, 0))
        goto out;
    st = VSP_OK;
out:
    if (st != VSP_OK)
        vsp_error_set(err, VSP_EIO, "%s: cannot write the PNG: %s", path,
                      errno ? strerror(errno) : "write error");
    return st;
}

/* vsp_png_write; with clear as png_encode's. */
static vsp_status png_write(cairo_surface_t *img, double dpi, bool clear, const char *path,
                            vsp_error *err)
{
    cairo_surface_flush(img);
    vsp_outfile af;
    vsp_status st = atomic_open(&af, path, err);
    if (st != VSP_OK)
        return st;
    st = png_encode(af.fp, img, dpi > 0 ? dpi : 96, clear, path, err);
    return atomic_close(&af, st == VSP_OK, err) == VSP_OK ? st : VSP_EIO;
}

vsp_status vsp_png_write(void *surface, double dpi, const char *path, vsp_error *err)
{
    return png_write(surface, dpi, false, path, err);
}

/* ---- SVG -------------------------------------------------------------- */

/* The scene as SVG, written here rather than by cairo: text stays text
 * (<text>, searchable and editable in a slide or drawing program, with
 * xml:lang), the file is a tenth of the size, and it takes a fraction of
 * the time (cairo writes every glyph outline with printf).  Lines break
 * where Pango broke them for the other formats (vsp_draw_text_lines), and
 * right-aligned or centred text is anchored at its aligned edge, so a
 * viewer whose font metrics differ a little never pushes a label into a
 * bar. */

typedef struct svg_out {
    FILE *f;
    char num[32];
} svg_out;

/* A coordinate with one decimal, without printf's floating point. */
static const char *svg_num(svg_out *o, double v)
{
    if (!isfinite(v))
        v = 0;
    long t = lround(v * 10);
    char *p = o->num + sizeof o->num;
    *--p = '\0';
    bool neg = t < 0;
    unsigned long a = neg ? (unsigned long)-t : (unsigned long)t;
    if (a % 10) {
        *--p = (char)('0' + a % 10);
        *--p = '.';
    }
    a /= 10;
    do {
        *--p = (char)('0' + a % 10);
        a /= 10;
    } while (a);
    if (neg)
        *--p = '-';
    return p;
}

static void svg_paint(svg_out *o, const char *attr, vsp_color c)
{
    if ((c & 0xFF) == 0) {
        fprintf(o->f, " %s=\"none\"", attr);
        return;
    }
    fprintf(o->f, " %s=\"#%06x\"", attr, (unsigned)(c >> 8));
    if ((c & 0xFF) != 0xFF)
        fprintf(o->f, " %s-opacity=\"%.2f\"", attr, (c & 0xFF) / 255.0);
}

static void svg_text_escaped(FILE *f, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        char ch = s[i];
        if (ch == '<')
            fputs("&lt;", f);
        else if (ch == '>')
            fputs("&gt;", f);
        else if (ch == '&')
            fputs("&amp;", f);
        else if (ch == '"')
            fputs("&quot;", f);
        else if ((unsigned char)ch >= 0x20 || ch == '\t')
            fputc(ch, f);
    }
}

static void svg_write_scene(FILE *f, const vsp_scene *s, const char *lang, const char *title)
{
    svg_out o = {f, {0}};
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%s\"",
            svg_num(&o, s->w));
    fprintf(f, " height=\"%s\"", svg_num(&o, s->h));
    fprintf(f, " viewBox=\"0 0 %s", svg_num(&o, s->w));
    fprintf(f, " %s\" xml:lang=\"%s\" font-family=\"%s\">\n<title>", svg_num(&o, s->h),
            vsp_i18n_pango_lang(lang), vsp_draw_font_family());
    svg_text_escaped(f, title, strlen(title));
    fputs("</title>\n", f);
    if (s->background & 0xFF) {
        fputs("<rect width=\"100%\" height=\"100%\"", f);
        svg_paint(&o, "fill", s->background);
        fputs("/>\n", f);
    }
    int clip_id = 0;
    bool clipped = false;
    vsp_text_line lines[16];
    for (size_t i = 0; i < s->n; i++) {
        const vsp_prim *p = &s->prims[i];
        switch (p->kind) {
        case VSP_PRIM_RECT:
            fprintf(f, "<rect x=\"%s\"", svg_num(&o, p->x));
            fprintf(f, " y=\"%s\"", svg_num(&o, p->y));
            fprintf(f, " width=\"%s\"", svg_num(&o, p->w));
            fprintf(f, " height=\"%s\"", svg_num(&o, p->h));
            svg_paint(&o, "fill", p->fill);
            if (p->stroke & 0xFF) {
                svg_paint(&o, "stroke", p->stroke);
                fprintf(f, " stroke-width=\"%s\"", svg_num(&o, p->stroke_w > 0 ? p->stroke_w : 1));
            }
            fputs("/>\n", f);
            break;
        case VSP_PRIM_LINE:
            fprintf(f, "<line x1=\"%s\"", svg_num(&o, p->x));
            fprintf(f, " y1=\"%s\"", svg_num(&o, p->y));
            fprintf(f, " x2=\"%s\"", svg_num(&o, p->x2));
            fprintf(f, " y2=\"%s\"", svg_num(&o, p->y2));
            svg_paint(&o, "stroke", p->stroke);
            fprintf(f, " stroke-width=\"%s\" stroke-linecap=\"round\"/>\n",
                    svg_num(&o, p->stroke_w));
            break;
        case VSP_PRIM_CIRCLE:
            fprintf(f, "<circle cx=\"%s\"", svg_num(&o, p->x));
            fprintf(f, " cy=\"%s\"", svg_num(&o, p->y));
            fprintf(f, " r=\"%s\"", svg_num(&o, p->w));
            svg_paint(&o, "fill", p->fill);
            if (p->stroke & 0xFF) {
                svg_paint(&o, "stroke", p->stroke);
                fprintf(f, " stroke-width=\"%s\"", svg_num(&o, fmax(1.0, p->w * 0.35)));
            }
            fputs("/>\n", f);
            break;
        case VSP_PRIM_POLY: {
            fputs("<path d=\"", f);
            bool start = true;
            for (size_t k = 0; k < p->npt; k++) {
                double x = s->pts[2 * (p->pt0 + k)], y = s->pts[2 * (p->pt0 + k) + 1];
                if (isnan(x)) {
                    fputc('Z', f);
                    start = true;
                    continue;
                }
                fputc(start ? 'M' : 'L', f);
                fputs(svg_num(&o, x), f);
                fputc(' ', f);
                fputs(svg_num(&o, y), f);
                start = false;
            }
            fputs("Z\" fill-rule=\"evenodd\"", f);
            svg_paint(&o, "fill", p->fill);
            if (p->stroke & 0xFF) {
                svg_paint(&o, "stroke", p->stroke);
                fprintf(f, " stroke-width=\"%s\" stroke-linejoin=\"round\"",
                        svg_num(&o, p->stroke_w));
            }
            fputs("/>\n", f);
            break;
        }
        case VSP_PRIM_TEXT: {
            const char *text = vsp_scene_str(s, p);
            size_t n = vsp_draw_text_lines(s, p, lang, lines, sizeof lines / sizeof lines[0]);
            for (size_t k = 0; k < n; k++) {
                size_t len = lines[k].len;
                while (len > 0 && (text[lines[k].start + len - 1] == ' ' ||
                                   text[lines[k].start + len - 1] == '\n'))
                    len--;
                double x = p->x + lines[k].x;
                const char *anchor = "";
                if (p->align == VSP_ALIGN_CENTER) {
                    x += lines[k].width / 2;
                    anchor = " text-anchor=\"middle\"";
                } else if (p->align == VSP_ALIGN_RIGHT) {
                    x += lines[k].width;
                    anchor = " text-anchor=\"end\"";
                }
                fprintf(f, "<text x=\"%s\"", svg_num(&o, x));
                fprintf(f, " y=\"%s\"", svg_num(&o, p->y + lines[k].baseline));
                fprintf(f, " font-size=\"%s\"%s%s", svg_num(&o, p->size),
                        p->bold ? " font-weight=\"bold\"" : "", anchor);
                svg_paint(&o, "fill", p->fill);
                fputc('>', f);
                svg_text_escaped(f, text + lines[k].start, len);
                fputs("</text>\n", f);
            }
            break;
        }
        case VSP_PRIM_CLIP:
            if (clipped) {
                fputs("</g>\n", f);
                clipped = false;
            }
            if (p->w >= 0) {
                clip_id++;
                fprintf(f, "<clipPath id=\"clip%d\"><rect x=\"%s\"", clip_id, svg_num(&o, p->x));
                fprintf(f, " y=\"%s\"", svg_num(&o, p->y));
                fprintf(f, " width=\"%s\"", svg_num(&o, p->w));
                fprintf(f, " height=\"%s\"/></clipPath>\n<g clip-path=\"url(#clip%d)\">\n",
                        svg_num(&o, p->h), clip_id);
                clipped = true;
            }
            break;
        }
    }
    if (clipped)
        fputs("</g>\n", f);
    fputs("</svg>\n", f);
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

static vsp_status pdf_metadata(cairo_surface_t *s, const vsp_chart_spec *spec, vsp_error *err)
{
    const char *lang = spec->lang ? spec->lang : "en";
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, vsp_chart_title(spec->id, lang));
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "vspreport " VSP_VERSION);
    if (getenv("SOURCE_DATE_EPOCH") && getenv("SOURCE_DATE_EPOCH")[0]) {
        char date[32];
        if (vsp_source_time_iso(date, err) != VSP_OK)
            return err ? err->status : VSP_EUSAGE;
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, date);
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_MOD_DATE, date);
    }
    return VSP_OK;
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
    vsp_outfile af = {NULL, NULL, NULL, false};

    if (f == VSP_FORMAT_PNG) {
        int pw = (int)lround(w * dpi / 96.0), ph = (int)lround(h * dpi / 96.0);
        if (pw < 1 || ph < 1 || (double)pw * ph > 400e6)
            return vsp_error_set(err, VSP_EUSAGE, "%s: %dx%d pixels is not a sensible size",
                                 path, pw, ph);
        if (scratch.image && (cairo_image_surface_get_width(scratch.image) != pw ||
                              cairo_image_surface_get_height(scratch.image) != ph)) {
            cairo_surface_destroy(scratch.image);
            scratch.image = NULL;
        }
        if (!scratch.image)
            scratch.image = cairo_image_surface_create(CAIRO_FORMAT_RGB24, pw, ph);
        surf = cairo_surface_reference(scratch.image);
        cr = cairo_create(surf);
        cairo_scale(cr, dpi / 96.0, dpi / 96.0);
        st = vsp_chart_draw(cr, 0, 0, w, h, spec, d, err);
        if (st == VSP_OK)
            st = check_surface(surf, path, err);
        if (st == VSP_OK) /* the canvas is left clean for the next chart */
            st = png_write(surf, dpi, true, path, err);
        goto out;
    }
    st = atomic_open(&af, path, err);
    if (st != VSP_OK)
        goto out;
    if (f == VSP_FORMAT_SVG) {
        const char *lang = vsp_i18n_lang_canon(spec->lang) ? vsp_i18n_lang_canon(spec->lang) : "en";
        vsp_scene scene;
        vsp_scene_init(&scene, w, h);
        st = vsp_layout_chart(spec, d, vsp_draw_measurer(lang), &scene, err);
        if (st == VSP_OK)
            svg_write_scene(af.fp, &scene, lang, vsp_chart_title(spec->id, lang));
        vsp_scene_fini(&scene);
        st = atomic_close(&af, st == VSP_OK, err) == VSP_OK ? st : (st == VSP_OK ? VSP_EIO : st);
        goto out;
    } else {
        surf = cairo_pdf_surface_create_for_stream(write_stream, af.fp, w * 0.75, h * 0.75);
        if ((st = pdf_metadata(surf, spec, err)) != VSP_OK) {
            atomic_close(&af, false, err); /* removes the temporary */
            goto out;
        }
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

/* ---- SVG in memory ---------------------------------------------------- */

vsp_status vsp_chart_svg(const vsp_chart_spec *spec, const vsp_chart_data *d, double w, double h,
                         char **out, size_t *len, vsp_error *err)
{
    *out = NULL;
    *len = 0;
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    if (!f)
        return vsp_error_set(err, VSP_ESOFTWARE, "cannot open a memory stream: %s",
                             strerror(errno));
    const char *lang = vsp_i18n_lang_canon(spec->lang) ? vsp_i18n_lang_canon(spec->lang) : "en";
    vsp_scene scene;
    vsp_scene_init(&scene, w > 0 ? w : 1920, h > 0 ? h : 1080);
    vsp_status st = vsp_layout_chart(spec, d, vsp_draw_measurer(lang), &scene, err);
    if (st == VSP_OK)
        svg_write_scene(f, &scene, lang, vsp_chart_title(spec->id, lang));
    vsp_scene_fini(&scene);
    if (fclose(f) != 0 && st == VSP_OK)
        st = vsp_error_set(err, VSP_ESOFTWARE, "writing an SVG into memory failed");
    if (st != VSP_OK) {
        free(buf);
        return st;
    }
    *out = buf;
    *len = n;
    return VSP_OK;
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
    vsp_outfile af;
    vsp_status st = atomic_open(&af, path, err);
    if (st != VSP_OK)
        return st;
    FILE *f = af.fp;
    /* a UTF-8 byte order mark: Excel on Windows otherwise reads the file
     * in the machine's code page and garbles Cyrillic and "ë" */
    fputs("\xef\xbb\xbf", f);
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
