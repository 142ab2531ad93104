/* encoding.h — case logs' text encodings to UTF-8, UTF-8 validation, and
 * the case folding used to match labels and headers "ignoring case". */
#ifndef VSP_ENCODING_H
#define VSP_ENCODING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pipeline/error.h"
#include "pipeline/util.h"

typedef struct vsp_decoder vsp_decoder;

/* name, case-insensitive: "utf-8" (aliases "utf8", "utf-8-bom"),
 * "windows-1250" ("cp1250"), "windows-1251" ("cp1251"), "iso-8859-2"
 * ("latin2", "iso8859-2"), "iso-8859-5" ("iso8859-5").  Single-byte
 * encodings get, once at creation, a 256-entry byte -> UTF-8 table built
 * with iconv(3); bytes iconv cannot map (0x98 in windows-1251, 0x81 in
 * windows-1250, ...) are invalid.  NULL + err (VSP_ECONFIG, listing the
 * supported names) if unknown or iconv lacks it.  Read-only after creation:
 * may be shared between threads.  Caller frees with vsp_decoder_free. */
vsp_decoder *vsp_decoder_new(const char *name, vsp_error *err);
void vsp_decoder_free(vsp_decoder *d);

/* Canonical name ("utf-8", "windows-1250", ...), static. */
const char *vsp_decoder_name(const vsp_decoder *d);

/* Append the UTF-8 form of in[0..len) to out.  Invalid bytes (unmappable in
 * the single-byte table, or ill-formed UTF-8: stray continuation bytes,
 * overlongs, surrogates, > U+10FFFF, truncated sequences) become U+FFFD, one
 * per maximal ill-formed subpart as Unicode recommends, and the function
 * returns false; NUL bytes are dropped and also make it return false.  True
 * when everything was valid.  A byte order mark is kept (the caller strips
 * it at the start of a file; vsp_fold drops it). */
bool vsp_decoder_convert(const vsp_decoder *d, const char *in, size_t len, vsp_buf *out);

/* Well-formed UTF-8 (Unicode Table 3-7)?  U+0000 counts as well-formed. */
bool vsp_utf8_valid(const char *s, size_t len);

/* Decode one character of NUL-terminated UTF-8 s: the bytes used (0 at the
 * terminating NUL) and the code point in *cp.  An ill-formed sequence gives
 * U+FFFD and uses its maximal ill-formed subpart (>= 1 byte), as in
 * vsp_decoder_convert. */
size_t vsp_utf8_next(const char *s, uint32_t *cp);

/* Append the UTF-8 encoding of cp (<= U+10FFFF, not a surrogate) to b. */
void vsp_utf8_put(vsp_buf *b, uint32_t cp);

/* Case-fold UTF-8 for matching labels and headers "ignoring case": ASCII,
 * Latin-1 Supplement, Latin Extended-A (Č č Ć ć Đ đ Š š Ž ž Ë ë Ç ç ...),
 * the Balkan digraphs of Latin Extended-B (Ǆ/ǅ/ǆ, Ǉ/ǈ/ǉ, Ǌ/ǋ/ǌ, Ǳ/ǲ/ǳ),
 * Cyrillic U+0400-U+042F -> lowercase (incl. Ѓ Ќ Ѕ Ј Љ Њ Ђ Ћ Џ).  Also drops
 * a leading U+FEFF, trims surrounding spaces (ASCII, U+00A0 and the other
 * Unicode spaces) and collapses internal runs of them to one ' '.  NUL is
 * dropped; ill-formed input becomes U+FFFD, never a crash.  Appends to out
 * (cleared first). */
void vsp_fold(const char *s, size_t len, vsp_buf *out);

#endif
