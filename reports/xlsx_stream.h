/* xlsx_stream.h — the rows of big constant-memory sheets written as
 * libxlsxwriter 1.1.4 writes them, and deflated while they are written.
 *
 * libxlsxwriter writes a constant-memory sheet's rows with fprintf, cell
 * by cell, into a temporary file, copies that file into another at
 * workbook_close and reads it back to deflate it on one core: for the
 * research export's million rows (788 MB of XML) that was most of the
 * export's time.  This writer takes the same cells through calls shaped
 * like worksheet_write_string / worksheet_write_number and produces the
 * bytes libxlsxwriter would produce for them — the same <row r="N">
 * elements (no spans in constant-memory mode), cell references, inline
 * strings (control characters as _xHHHH_, & < > escaped, xml:space=
 * "preserve" when the text starts or ends with white space), numbers as
 * printf's %.16G (whole numbers under 10^15 formatted by hand), style
 * indices s="N" from the cell's format or else the column's, asked of
 * lxw_format_get_xf_index at the moment libxlsxwriter would ask (when the
 * row is flushed; the sheet's last row only when workbook_close writes the
 * sheet) — from prebuilt pieces, without printf.  The bytes are deflated
 * at once in blocks on worker threads (reports/xlsx_deflate.h) into a
 * temporary file, and vsp_xlsx_stream_close splices them into each sheet's
 * part, before its "</sheetData>", while workbook_close writes the
 * workbook.  libxlsxwriter still writes everything else: the rows before
 * the streamed ones (a header), column widths, panes, autofilters, the
 * other sheets and parts; the streamed cells count in the sheet's
 * <dimension> as written cells do.
 *
 * What the sheet must be: in a workbook in constant-memory mode; no row
 * options (worksheet_set_row) on the streamed rows; nothing written
 * through libxlsxwriter at or after `first_row` once the stream has it.
 * Rows go in ascending order (a row before the current one is
 * LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE, as libxlsxwriter's constant-memory
 * mode answers); within a row any column order, the last write to a cell
 * wins.  Sheets are streamed one after another.
 *
 * Needs block deflate (vsp_xlsx_block_deflate_available); without it
 * vsp_xlsx_stream_new fails and the caller writes its rows through
 * libxlsxwriter.  Memory: the deflate ring (2 x (workers + 1) blocks of
 * 256 KiB and their output), one row, 32 KiB a sheet; the deflated rows
 * wait in a temporary file (tmpfile(3)), removed when the stream is freed.
 *
 * tests/unit/test_xlsx_stream.c writes the same cells through
 * libxlsxwriter and through this writer and compares every part of the
 * two workbooks, unzipped by Python. */
#ifndef VSP_XLSX_STREAM_H
#define VSP_XLSX_STREAM_H

#include <stdbool.h>

#include <xlsxwriter.h>

#include "pipeline/error.h"

typedef struct vsp_xlsx_stream vsp_xlsx_stream;

/* A stream deflating at zlib `level` with `workers` threads; NULL with err
 * set (VSP_ESOFTWARE when block deflate is not available here,
 * VSP_ECANTCREAT when the temporary file cannot be made). */
vsp_xlsx_stream *vsp_xlsx_stream_new(int level, int workers, vsp_error *err);

/* From now on the rows of ws from first_row on are written through s
 * (the sheet streamed before, if any, ends). */
lxw_error vsp_xlsx_stream_sheet(vsp_xlsx_stream *s, lxw_worksheet *ws, lxw_row_t first_row);

/* As worksheet_write_string / worksheet_write_number would (an empty or
 * NULL text: a blank cell if it has a format, else nothing). */
lxw_error vsp_xlsx_stream_string(vsp_xlsx_stream *s, lxw_row_t row, lxw_col_t col,
                                 const char *text, lxw_format *format);
lxw_error vsp_xlsx_stream_number(vsp_xlsx_stream *s, lxw_row_t row, lxw_col_t col, double value,
                                 lxw_format *format);

/* workbook_close(wb) with every streamed sheet's rows spliced in; the
 * workbook's parts deflated by block deflate with `workers` threads.  The
 * workbook is freed whatever happens, as workbook_close frees it. */
lxw_error vsp_xlsx_stream_close(vsp_xlsx_stream *s, lxw_workbook *wb, int workers);

/* After a failure: the errno of the temporary file's write that failed
 * (ENOSPC, EIO ...), or 0 when it was not a write (zlib, a cell). */
int vsp_xlsx_stream_errno(const vsp_xlsx_stream *s);

/* Frees s (NULL is fine) and removes its temporary file. */
void vsp_xlsx_stream_free(vsp_xlsx_stream *s);

#endif
