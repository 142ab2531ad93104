/* error.h — one status enum, its message table, and a fixed-size error
 * record that carries a location.  Filling an error never allocates, so it
 * is safe on out-of-memory and deep inside callbacks.
 *
 * Statuses map one-to-one onto sysexits(3) exit codes; only cli/main.c
 * turns them into an exit. */
#ifndef VSP_ERROR_H
#define VSP_ERROR_H

#include <stdarg.h>
#include <stddef.h>

typedef enum vsp_status {
    VSP_OK = 0,
    VSP_EUSAGE,     /* bad command line                 -> 64 EX_USAGE    */
    VSP_EDATA,      /* input data is wrong              -> 65 EX_DATAERR  */
    VSP_ENOINPUT,   /* input file missing or unreadable -> 66 EX_NOINPUT  */
    VSP_ESOFTWARE,  /* internal error, a bug            -> 70 EX_SOFTWARE */
    VSP_ECANTCREAT, /* cannot create an output          -> 73 EX_CANTCREAT*/
    VSP_EIO,        /* read/write failed                -> 74 EX_IOERR    */
    VSP_ETEMPFAIL,  /* warehouse busy, try again        -> 75 EX_TEMPFAIL */
    VSP_ECONFIG     /* bad profile / configuration      -> 78 EX_CONFIG   */
} vsp_status;

#define VSP_ERROR_MSG_MAX 1024

typedef struct vsp_error {
    vsp_status status;
    char msg[VSP_ERROR_MSG_MAX]; /* "file:line: what is wrong; how to fix" */
} vsp_error;

/* Short, constant description of a status ("data error"). */
const char *vsp_strerror(vsp_status status);

/* The sysexits(3) code for a status (0 for VSP_OK). */
int vsp_status_exit_code(vsp_status status);

/* Reset to VSP_OK with an empty message. */
void vsp_error_clear(vsp_error *err);

/* Set status and a printf-style message; returns status so callers can
 * write `return vsp_error_set(err, VSP_EDATA, "%s:%ld: ...", ...)`.
 * err may be NULL (the message is dropped). */
vsp_status vsp_error_set(vsp_error *err, vsp_status status, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* vsp_error_set with a va_list (the arguments may include err->msg). */
vsp_status vsp_error_vset(vsp_error *err, vsp_status status, const char *fmt, va_list ap)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 0)))
#endif
    ;

#endif
