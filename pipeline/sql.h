/* sql.h — the SQL of queries/NAME.sql, compiled into the binary by
 * cmake/EmbedSql.cmake.  Texts are static; never free them. */
#ifndef VSP_SQL_H
#define VSP_SQL_H

typedef struct vsp_sql_entry {
    const char *name; /* file name without ".sql", e.g. "0001_schema" */
    const char *text;
} vsp_sql_entry;

/* Sorted by name; terminated by {NULL, NULL}. */
extern const vsp_sql_entry vsp_sql_table[];

/* The text of queries/<name>.sql, or NULL if there is no such file. */
const char *vsp_sql_get(const char *name);

#endif
