/* run.h — the whole quarter in one call: ingest every regulator's folder,
 * aggregate, render charts, workbooks and PDF reports, write the research
 * export and a manifest.  The stage driver behind `vspreport run`.
 *
 * Input folder: one sub-folder per regulator, named like its profile
 * (in/al-ama/ is read with profiles/al-ama.ini) or holding its own .ini;
 * every *.csv in it is a case-log export, ingested in name order.
 *
 * Output folder (DESIGN §6), split by who may see it:
 *   public/                       everything in it may be published as a whole
 *     manifest.json               every public output and every input with SHA-256
 *     reports/<cc|regional>-<period>-<lang>.pdf
 *     workbooks/<cc|regional>-<period>-<lang>.xlsx
 *     charts/...                  the chart catalogue (see `charts --help`)
 *     export/...                  the anonymised research export
 *     site/...                    the web edition (when built)
 *   private/                      mode 0700, its files 0600: never publish
 *     warehouse.db                the SQLite warehouse (personal data)
 *     rejects/<file>.rejects.csv  rows that could not be read (personal data)
 *     export.key                  the research export's pseudonym key (a secret)
 *     manifest.json               the private files and the inputs
 *   .vspreport.lock               held while a run uses the folder
 * Nothing with personal data or a secret is ever written outside private/.
 * An output folder of the old layout (warehouse.db, internal/, reports/ ...
 * directly in OUT) is moved into this one; one that mixes both is refused.
 *
 * Clean-up: a run killed in mid-write leaves temporaries (never a final
 * name); the next run removes them under public/ and private/ — only names
 * vspreport itself makes, never through a symbolic link.
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
    const char *db;           /* NULL: <out_dir>/private/warehouse.db */
    const char *profiles_dir; /* NULL: ./profiles, then the source tree's */
    bool force;               /* render even when nothing changed */
    bool quiet;               /* no summary on stdout */
} vsp_run_options;

/* Run the pipeline.  A bad input file does not stop the others: the run
 * completes and returns VSP_EDATA naming it.  Another run holding the same
 * output folder: VSP_ETEMPFAIL at once. */
vsp_status vsp_run(const vsp_run_options *opt, vsp_error *err);

/* The two halves of the output folder, relative to it. */
#define VSP_RUN_PUBLIC "public"
#define VSP_RUN_PRIVATE "private"

/* True for the names of the temporary files vspreport writes before it
 * renames them (".NAME.vsptmp-XXXXXX": vsp_outfile_is_temp_name; and
 * what older versions left: "NAME.tmp-XXXXXX", ".NAME.tmp-XXXXXX",
 * "NAME.tmp.PID"): the only names a run's clean-up removes. */
bool vsp_run_is_temp_name(const char *name);

#endif
