#include "pipeline/outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pipeline/util.h"

#define TEMP_MARK ".vsptmp-"
#define TEMP_RANDOM 6 /* mkstemp's XXXXXX */

static vsp_status make_temp(vsp_outfile *o, const char *path, bool keep_open, vsp_error *err)
{
    o->path = NULL;
    o->tmp = NULL;
    o->fp = NULL;
    o->sync = true;
    const char *base = vsp_basename(path);
    size_t dirlen = (size_t)(base - path);
    if (!base[0])
        return vsp_error_set(err, VSP_ECANTCREAT, "%s: not a file name", path);
    char *tmp = vsp_xasprintf("%.*s.%s" TEMP_MARK "XXXXXX", (int)dirlen, path, base);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        vsp_error_set(err, VSP_ECANTCREAT, "%s: cannot create: %s", path, strerror(errno));
        free(tmp);
        return VSP_ECANTCREAT;
    }
    mode_t mask = umask(0);
    umask(mask);
    if (fchmod(fd, 0666 & ~mask) != 0) {
        vsp_error_set(err, VSP_ECANTCREAT, "%s: cannot set permissions: %s", tmp,
                      strerror(errno));
        close(fd);
        unlink(tmp);
        free(tmp);
        return VSP_ECANTCREAT;
    }
    if (keep_open) {
        if (!(o->fp = fdopen(fd, "wb"))) {
            vsp_error_set(err, VSP_ECANTCREAT, "%s: cannot create: %s", path, strerror(errno));
            close(fd);
            unlink(tmp);
            free(tmp);
            return VSP_ECANTCREAT;
        }
    } else {
        close(fd);
    }
    o->path = vsp_xstrdup(path);
    o->tmp = tmp;
    return VSP_OK;
}

vsp_status vsp_outfile_begin(vsp_outfile *o, const char *path, vsp_error *err)
{
    return make_temp(o, path, false, err);
}

vsp_status vsp_outfile_open(vsp_outfile *o, const char *path, vsp_error *err)
{
    return make_temp(o, path, true, err);
}

vsp_status vsp_outfile_commit(vsp_outfile *o, vsp_error *err)
{
    vsp_status st = VSP_EIO;
    int fd = -1;
    if (!o->tmp)
        return vsp_error_set(err, VSP_ESOFTWARE, "%s: output committed twice",
                             o->path ? o->path : "?");
    if (o->fp) {
        FILE *fp = o->fp;
        o->fp = NULL;
        bool ok = fflush(fp) == 0 && !ferror(fp);
        if (ok && o->sync && fsync(fileno(fp)) != 0)
            ok = false;
        int saved = errno;
        if (fclose(fp) != 0 && ok) {
            ok = false;
            saved = errno;
        }
        if (!ok) {
            vsp_error_set(err, VSP_EIO, "%s: cannot write: %s", o->path, strerror(saved));
            goto fail;
        }
    } else if (o->sync) {
        fd = open(o->tmp, O_RDONLY);
        if (fd < 0 || fsync(fd) != 0) {
            vsp_error_set(err, VSP_EIO, "%s: cannot write: %s", o->path, strerror(errno));
            goto fail;
        }
    }
    if (rename(o->tmp, o->path) != 0) {
        st = vsp_error_set(err, VSP_ECANTCREAT, "%s: cannot create: %s", o->path,
                           strerror(errno));
        goto fail;
    }
    free(o->tmp);
    o->tmp = NULL;
    st = VSP_OK;
fail:
    if (fd >= 0)
        close(fd);
    if (st != VSP_OK) {
        unlink(o->tmp);
        free(o->tmp);
        o->tmp = NULL;
    }
    return st;
}

void vsp_outfile_discard(vsp_outfile *o)
{
    if (o->fp) {
        fclose(o->fp);
        o->fp = NULL;
    }
    if (o->tmp) {
        unlink(o->tmp);
        free(o->tmp);
        o->tmp = NULL;
    }
    free(o->path);
    o->path = NULL;
}

static vsp_status write_whole(const char *path, const void *data, size_t len, bool sync,
                              vsp_error *err)
{
    vsp_outfile o;
    vsp_status st = vsp_outfile_open(&o, path, err);
    if (st != VSP_OK)
        return st;
    o.sync = sync;
    if (len && fwrite(data, 1, len, o.fp) != len)
        st = vsp_error_set(err, VSP_EIO, "%s: cannot write: %s", path, strerror(errno));
    else
        st = vsp_outfile_commit(&o, err);
    vsp_outfile_discard(&o);
    return st;
}

vsp_status vsp_outfile_write(const char *path, const void *data, size_t len, vsp_error *err)
{
    return write_whole(path, data, len, true, err);
}

vsp_status vsp_outfile_write_unsynced(const char *path, const void *data, size_t len,
                                      vsp_error *err)
{
    return write_whole(path, data, len, false, err);
}

bool vsp_outfile_is_temp_name(const char *name)
{
    const char *base = vsp_basename(name);
    size_t len = strlen(base), mark = strlen(TEMP_MARK);
    /* ".", at least one character of the final name, the mark, XXXXXX */
    if (base[0] != '.' || len < 2 + mark + TEMP_RANDOM)
        return false;
    const char *tail = base + len - TEMP_RANDOM;
    if (memcmp(tail - mark, TEMP_MARK, mark) != 0)
        return false;
    for (int i = 0; i < TEMP_RANDOM; i++) {
        char c = tail[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
            return false;
    }
    return true;
}
