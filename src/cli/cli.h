/* cli.h - shared pieces of the observa command: options, messages and the common pipeline. */
#ifndef OBSERVA_CLI_H
#define OBSERVA_CLI_H

#include <glib.h>
#include <stdbool.h>

#include "observa/catalog.h"
#include "observa/config.h"
#include "observa/inputs.h"
#include "observa/manifest.h"
#include "observa/output.h"
#include "observa/run.h"
#include "observa/template.h"

/** Options every subcommand understands; strings owned by GOption (g_free). */
typedef struct cli_common {
    char **solicitudes;    /**< -s, each time given (g_strfreev). */
    char **difusion;       /**< -d, likewise. */
    char *corte;
    char *corte_anterior;
    char *salida;
    char *formatos;
    char *plantillas;
    char *config;
    char *codificacion;
    char *delimitador;
    gboolean estricto;
    int hilos;
    gboolean silencioso;
    gboolean detallado;
    gboolean help;
} cli_common;

/** Document kinds that have a template. */
enum { CLI_DOC_INFORME = 0, CLI_DOC_OPL, CLI_DOC_OFICIO, CLI_DOC_OFICIO_OPL, CLI_DOC_KINDS };

/** State of one command invocation. */
typedef struct cli {
    const char *command;   /**< "informe", "metricas", … */
    cli_common opt;
    obs_config cfg;        /**< Configuration file merged with the options. */
    obs_inputs inputs;     /**< The files of each export (cli_require_inputs()). */
    bool quiet;
    bool verbose;
    bool tty;              /**< stderr is a terminal: progress lines allowed. */
    int threads;           /**< Worker threads (--hilos, [salida] hilos, or one per core). */
    obs_catalog *cat;
    obs_template *tpl[CLI_DOC_KINDS]; /**< Templates by document kind, loaded before any data is read. */
    GHashTable *vars;      /**< Template variables from [oficio] ("oficio.numero" -> text). */
    unsigned documentos;   /**< OBS_DOC_* this invocation writes. */
    int entidad;           /**< --entidad: only this OPL's summary (0 = all). */
    obs_output *out;
    obs_manifest_skip skipped[CLI_DOC_KINDS]; /**< Documents asked for and not written (no OPL flagged). */
    size_t nskipped;
    obs_ledger *ledger;
    unsigned shown;        /**< Problems printed on stderr so far. */
    obs_error err;
} cli;

/* Help text shared by the subcommands that read the exports (one wording everywhere). */
#define CLI_HELP_INPUTS                                                                      \
    "  -s, --solicitudes ARCHIVO|DIR exportación de solicitudes, CSV (puede repetirse)\n"     \
    "  -d, --difusion ARCHIVO|DIR    exportación de difusión, CSV (puede repetirse)\n"        \
    "                                Varios archivos, o los .csv y .xlsx de un directorio\n"  \
    "                                por orden de nombre, son una sola exportación. Las\n"    \
    "                                demás opciones se indican una sola vez.\n"
#define CLI_HELP_READING                                                                     \
    "  -t, --plantillas DIR          directorio de plantillas y catálogos\n"                  \
    "      --config ARCHIVO          configuración INI; las opciones la sustituyen\n"         \
    "      --codificacion CODIF      auto, utf-8 o windows-1252 (predeterminado: auto)\n"     \
    "      --delimitador DELIM       auto, «,», «;» o tab (predeterminado: auto)\n"           \
    "      --estricto                cualquier fila rechazada hace fallar la ejecución (65)\n" \
    "      --hilos N                 hilos de trabajo (predeterminado: uno por núcleo)\n"      \
    "  -q, --silencioso              solo avisos, errores y el resumen final\n"               \
    "  -v, --detallado               muestra todos los problemas, no solo los primeros\n"     \
    "  -h, --help                    muestra esta ayuda\n"
#define CLI_HELP_EXIT                                                                        \
    "\n"                                                                                     \
    "Estado de salida: 0 correcto; 64 uso incorrecto; 65 datos no válidos; 66 no se puede\n"  \
    "leer una entrada; 73 no se puede crear una salida; 74 error de escritura; 75 otra\n"     \
    "ejecución usa el directorio de salida; 78 error de configuración o de plantilla.\n"

/** Maximum problems printed on stderr; the rest are only in rechazos.csv. */
#define CLI_MAX_SHOWN 10

/** Prints "observa: <message>" on stderr (UTF-8, whatever the locale). */
void cli_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/** Prints an obs_error like a compiler diagnostic and returns its exit code. */
int cli_fail(cli *c);
/** Prints a usage error for the command and returns 64. */
int cli_usage_error(cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/** A progress line on a terminal ("[2/4] informe.pdf"), nothing otherwise. */
void cli_progress(const cli *c, unsigned i, unsigned n, const char *what);

/**
 * Parses argv with the common options plus `extra` (may be NULL), loads the
 * configuration file, and merges them into c->cfg. Returns -1 to go on, or
 * an exit code (0 after --help).
 */
int cli_parse(cli *c, int argc, char **argv, const GOptionEntry *extra, const char *help);

/** Frees everything in c. */
void cli_clear(cli *c);

/** Locates and loads the catalogues (templates directory). Returns -1 or an exit code. */
int cli_load_catalog(cli *c);


/** The templates directory: option/config, $OBSERVA_PLANTILLAS, installed or source tree. */
char *cli_templates_dir(const cli *c);
/** The bundled sample-data directory (./sample-data, source tree or installed). */
char *cli_sample_dir(void);

/**
 * Checks that both inputs (and the corte when need_corte) are given, and expands them into
 * c->inputs (directories, the same file twice: obs_inputs_expand()). Returns -1, 64 (missing,
 * or a file named twice) or 66 (a path that cannot be read, a directory without exports).
 */
int cli_require_inputs(cli *c, bool need_corte);

/** Opens c->cfg.salida (or default_dir), takes its lock, cleans stale temporaries, starts rechazos.csv. */
int cli_open_output(cli *c, const char *default_dir);
/** Commits rechazos.csv. Returns -1 or an exit code. */
int cli_commit_ledger(cli *c);
/** The default output directory for a corte: salida/AAAA-MM-DD (g_free). */
char *cli_default_salida(obs_day corte);

/** Runs ingest + metrics, routing problems to stderr (capped) and to the ledger if open. */
int cli_run(cli *c, obs_run **run);

/** Prints the control totals of a run on stderr. */
void cli_print_totals(const cli *c, const obs_run *run);

/** Unix time of generation: SOURCE_DATE_EPOCH, else the configuration, else now. */
int64_t cli_generation_time(const cli *c);

/**
 * The whole flow of a writing command: catalogue, templates (errors before any file),
 * output directory and its lock, one read of the inputs, every document of
 * c->documentos, rechazos.csv and manifest.json. Returns the exit status.
 */
int cli_produce(cli *c, const char *default_dir);

/** The usual end of a writing command: inputs and corte required, salida/AAAA-MM-DD by default. */
int cli_produce_for_corte(cli *c);

/** `observa lote` under another name and help (demo): returns the exit status. */
int cli_lote(const char *command, const char *help_text, int argc, char **argv);

int cmd_informe(int argc, char **argv);
int cmd_metricas(int argc, char **argv);
int cmd_validar(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_opl(int argc, char **argv);
int cmd_oficio(int argc, char **argv);
int cmd_lote(int argc, char **argv);

#endif /* OBSERVA_CLI_H */
