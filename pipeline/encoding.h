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

/* Normalise an identifier or a label (DESIGN §3 "trimmed"), appending to
 * out (cleared first):
 *   - invisible characters are dropped: C0/C1 controls other than spaces,
 *     DEL, and the format characters soft hyphen U+00AD, U+061C, U+180E,
 *     zero-width space/non-joiner/joiner U+200B-U+200D, the direction marks
 *     and controls U+200E-U+200F, U+202A-U+202E, U+2066-U+2069, word joiner
 *     and invisible operators U+2060-U+2064, U+206A-U+206F, the BOM U+FEFF
 *     (anywhere), U+FFF9-U+FFFB;
 *   - spaces (ASCII space, TAB, LF, VT, FF, CR, NEL, NBSP U+00A0, U+1680,
 *     U+2000-U+200A, U+2028, U+2029, U+202F, U+205F, U+3000) are trimmed
 *     at both ends and each inner run becomes one ' ';
 *   - Unicode NFC for the letters of U+00C0-U+024F (Latin-1, Latin
 *     Extended-A/B), U+0400-U+04FF (Cyrillic) and U+1E00-U+1EFF (Latin
 *     Extended Additional): a letter followed by combining marks is put in
 *     canonical order and composed (C + U+030C -> Č, И + U+0306 -> Й,
 *     ü + U+0304 -> ǖ); marks that compose with nothing stay, in canonical
 *     order.  Other scripts pass through unchanged.
 * Ill-formed input becomes U+FFFD, never a crash. */
void vsp_normalize(const char *s, size_t len, vsp_buf *out);

/* Text that vsp_normalize gives back unchanged: well-formed UTF-8 with no
 * invisible character, no space other than single inner ASCII spaces, no
 * combining mark.  One pass, no copy: a caller that finds its text normal
 * can use it as it is. */
bool vsp_normal(const char *s, size_t len);

/* Printable ASCII (0x20-0x7E) with single inner spaces and none at either
 * end: what both vsp_normalize and, for a decoder that keeps ASCII
 * (vsp_decoder_keeps_ascii), vsp_decoder_convert give back unchanged.
 * Eight bytes at a time. */
bool vsp_plain_ascii(const char *s, size_t len);

/* Whether d maps every byte 0x01-0x7F to itself (UTF-8 and every
 * single-byte encoding supported here). */
bool vsp_decoder_keeps_ascii(const vsp_decoder *d);

/* Case-fold for matching labels and headers "ignoring case": vsp_normalize,
 * then lower case for ASCII, Latin-1 Supplement, Latin Extended-A
 * (Č č Ć ć Đ đ Š š Ž ž Ë ë Ç ç ...), the Balkan digraphs of Latin
 * Extended-B (Ǆ/ǅ/ǆ, Ǉ/ǈ/ǉ, Ǌ/ǋ/ǌ, Ǳ/ǲ/ǳ) and Cyrillic U+0400-U+042F
 * (incl. Ѓ Ќ Ѕ Ј Љ Њ Ђ Ћ Џ).  Appends to out (cleared first). */
void vsp_fold(const char *s, size_t len, vsp_buf *out);

/* How many bytes (single-byte encodings) or ill-formed sequences (UTF-8)
 * of in[0..len) are not text in d's encoding; NUL bytes are not counted. */
size_t vsp_decoder_invalid(const vsp_decoder *d, const char *in, size_t len);

/* Is s well-formed UTF-8?  *n_multi: its characters of two or more bytes
 * (up to the first ill-formed one). */
bool vsp_utf8_multibyte(const char *s, size_t len, size_t *n_multi);

/* The encoding text most likely is, for messages: "utf-8" when it is
 * well-formed UTF-8 with multi-byte characters, else "windows-1251" when
 * bytes C0-FF outnumber the ASCII letters (Cyrillic), else
 * "windows-1250".  Static string. */
const char *vsp_encoding_guess(const char *s, size_t len);

/* Append s[0..len) to out for a message on a terminal: TAB, LF, CR as
 * \t \n \r, other controls as \xNN, invisible and
 * line-separating characters as \uXXXX, ill-formed bytes as \xNN; stops
 * with "..." after about max bytes (0: no limit). */
void vsp_escape(const char *s, size_t len, size_t max, vsp_buf *out);

#endif
