#include "pipeline/sha256.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pipeline/util.h"

struct vsp_sha256 {
    EVP_MD_CTX *ctx;
};

vsp_sha256 *vsp_sha256_new(void)
{
    vsp_sha256 *h = vsp_xmalloc(sizeof *h);
    h->ctx = EVP_MD_CTX_new();
    if (!h->ctx || EVP_DigestInit_ex(h->ctx, EVP_sha256(), NULL) != 1) {
        fputs("vspreport: OpenSSL cannot provide SHA-256\n", stderr);
        abort();
    }
    return h;
}

void vsp_sha256_update(vsp_sha256 *h, const void *data, size_t len)
{
    EVP_DigestUpdate(h->ctx, data, len);
}

void vsp_sha256_final(vsp_sha256 *h, char hex[VSP_SHA256_HEX])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    EVP_DigestFinal_ex(h->ctx, md, &n);
    for (unsigned int i = 0; i < n && i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
    hex[64] = '\0';
    EVP_MD_CTX_free(h->ctx);
    free(h);
}

vsp_status vsp_sha256_file(const char *path, char hex[VSP_SHA256_HEX], vsp_error *err)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return vsp_error_set(err, VSP_ENOINPUT, "%s: %s", path, strerror(errno));
    vsp_sha256 *h = vsp_sha256_new();
    char buf[1 << 16];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
        vsp_sha256_update(h, buf, n);
    int failed = ferror(fp);
    fclose(fp);
    vsp_sha256_final(h, hex);
    if (failed)
        return vsp_error_set(err, VSP_EIO, "%s: read error", path);
    return VSP_OK;
}
