/* run.h — the whole quarter in one call: ingest every regulator's folder,
 * aggregate, render charts, workbooks and PDF reports, write the research
 * export and a manifest.  The stage driver behind `vspreport run`.
 *
 * Input folder: one sub-folder per regulator, named like its profile
 * (in/al-ama/ is read with profiles/al-ama.ini) or holding its own .ini;
 * every *.csv in it is a case-log export, ingested in name order.
 *
 * Output folder (DESIGN §6):
 *   warehouse.db                  the SQLite warehouse
 *   manifest.json                 every output and input with SHA-256
 *   reports/<cc|regional>-<period>-<lang>.pdf
 *   workbooks/<cc|regional>-<period>-<lang>.xlsx
 *   charts/...                    the chart catalogue (see `charts --help`)
 *   export/...                    the anonymised research export
 *   internal/rejects/<file>.rejects.csv   rows that could not be read; they
 *                                 hold personal data: not for publication
 *
 * Incremental: a file whose SHA-256 the warehouse already holds is not
 * ingested again; when no input changed and the manifest says the outputs
 * were made from the same data, version and period, nothing is rewritten. */
#ifndef VSP_RUN_H
#define VSP_RUN_H

#include <stdbool.h>

#include "pipeline/error.h"

typedef struct vsp_run_options {
    const char *in_dir;
    const char *out_dir;
    const char *period;       /* NULL: the latest complete quarter in the data */
    const char *db;           /* NULL: <out_dir>/warehouse.db */
    const char *profiles_dir; /* NULL: ./profiles, then the source tree's */
    bool force;               /* render even when nothing changed */
    bool quiet;               /* no summary on stdout */
} vsp_run_options;

/* Run the pipeline.  A bad input file does not stop the others: the run
 * completes and returns VSP_EDATA naming it.  Another run holding the same
 * output folder: VSP_ETEMPFAIL at once. */
vsp_status vsp_run(const vsp_run_options *opt, vsp_error *err);

#endif
