/* urlkey.h — the canonical content key of a reported item, from whatever
 * form of its URL a regulator logged (DESIGN §3, content_key).
 *
 *   https://www.tiktok.com/@some.user/video/7412345678901234567?x=1
 *   m.tiktok.com/v/7412345678901234567.html          -> tiktok:video:7412345678901234567
 *   tiktok.com/embed/v2/7412345678901234567
 *   https://www.tiktok.com/@Some.User/photo/ID      -> tiktok:photo:ID
 *   tiktok.com/@Some.User                           -> tiktok:account:some.user  (account)
 *   vm.tiktok.com/ZMabc123/, tiktok.com/t/ZMabc123  -> tiktok:short:ZMabc123 (case kept)
 *   https://www.example.com/Path/x/?q#f             -> url:example.com/Path/x
 *
 * Any scheme or none; host case-insensitive; www./m./vm./vt. variants,
 * query, fragment, trailing slashes and surrounding spaces ignored.  Keys
 * are printable ASCII: bytes that are spaces, controls or non-ASCII are
 * written as %XX (upper-case hex, as are existing escapes), so "é" and
 * "%c3%a9" give the same key and a NUL byte cannot cut a key short.  Text
 * with no usable host ("@", "https://", "not a url") gives "url:" + the
 * whole trimmed text, so identical garbage still gives identical keys. */
#ifndef VSP_URLKEY_H
#define VSP_URLKEY_H

#include <stddef.h>

#include "pipeline/util.h"

#define VSP_KIND_CONTENT "content"
#define VSP_KIND_ACCOUNT "account"

/* Writes the key of url[0..len) into out (cleared first) and returns the
 * item kind it implies: "content" or "account" (static strings), or NULL
 * if url is NULL, empty or only spaces (out left empty). */
const char *vsp_content_key(const char *url, size_t len, vsp_buf *out);

#endif
