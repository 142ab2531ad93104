/* sha256.h — SHA-256 of a stream or a file, as lower-case hex, through
 * OpenSSL's EVP interface. */
#ifndef VSP_SHA256_H
#define VSP_SHA256_H

#include <stddef.h>

#include "pipeline/error.h"

#define VSP_SHA256_HEX 65 /* 64 hex digits and a NUL */

typedef struct vsp_sha256 vsp_sha256;

vsp_sha256 *vsp_sha256_new(void);
void vsp_sha256_update(vsp_sha256 *h, const void *data, size_t len);
/* Write the hex digest and free h. */
void vsp_sha256_final(vsp_sha256 *h, char hex[VSP_SHA256_HEX]);

/* Digest a whole file. VSP_ENOINPUT / VSP_EIO with the path on failure. */
vsp_status vsp_sha256_file(const char *path, char hex[VSP_SHA256_HEX], vsp_error *err);

#endif
