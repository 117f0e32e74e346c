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

/** Options every subcommand knows; strings owned by GOption (g_free). */
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
    char *max_rechazadas;  /**< Parsed by obs_config_parse_porcentaje(). */
    gboolean reemplazar;
    char *hilos;           /**< Decimal; parsed by obs_config_parse_entero(). */
    gboolean silencioso;
    gboolean detallado;
    gboolean help;
} cli_common;

/** The common options, one bit each: what a command accepts (cli.accepts). */
enum {
    CLI_OPT_SOLICITUDES = 1u << 0,
    CLI_OPT_DIFUSION = 1u << 1,
    CLI_OPT_CORTE = 1u << 2,
    CLI_OPT_ANTERIOR = 1u << 3,
    CLI_OPT_SALIDA = 1u << 4,
    CLI_OPT_FORMATOS = 1u << 5,
    CLI_OPT_PLANTILLAS = 1u << 6,
    CLI_OPT_CONFIG = 1u << 7,
    CLI_OPT_CODIFICACION = 1u << 8,
    CLI_OPT_DELIMITADOR = 1u << 9,
    CLI_OPT_ESTRICTO = 1u << 10,
    CLI_OPT_MAX_RECHAZADAS = 1u << 11,
    CLI_OPT_REEMPLAZAR = 1u << 12,
    CLI_OPT_HILOS = 1u << 13,
    CLI_OPT_SILENCIOSO = 1u << 14,
    CLI_OPT_DETALLADO = 1u << 15,
    CLI_OPT_HELP = 1u << 16,
};
/** What every command that reads the exports accepts. */
#define CLI_OPTS_READ                                                                                 \
    (CLI_OPT_SOLICITUDES | CLI_OPT_DIFUSION | CLI_OPT_CORTE | CLI_OPT_PLANTILLAS | CLI_OPT_CONFIG |   \
     CLI_OPT_CODIFICACION | CLI_OPT_DELIMITADOR | CLI_OPT_ESTRICTO | CLI_OPT_MAX_RECHAZADAS |         \
     CLI_OPT_HILOS | CLI_OPT_SILENCIOSO | CLI_OPT_DETALLADO | CLI_OPT_HELP)
/** What a command that writes documents into an output folder accepts. */
#define CLI_OPTS_WRITE (CLI_OPTS_READ | CLI_OPT_ANTERIOR | CLI_OPT_SALIDA | CLI_OPT_FORMATOS | CLI_OPT_REEMPLAZAR)

/** Document kinds that have a template. */
enum { CLI_DOC_INFORME = 0, CLI_DOC_OPL, CLI_DOC_OFICIO, CLI_DOC_OFICIO_OPL, CLI_DOC_KINDS };

/** State of one command invocation. */
typedef struct cli {
    const char *command;   /**< "informe", "metricas", … */
    unsigned accepts;      /**< CLI_OPT_* this command does something with; any other is a usage error. */
    unsigned formatos_ok;  /**< OBS_FMT_* it can write (-f); 0 when it takes no -f. */
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
    /** The manifest.json found in the output folder (same corte, or another with --reemplazar):
     * its files this run does not rewrite are removed once the new set is published. */
    struct obs_manifest_prev *previous;
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
    "      --max-rechazadas PORCENTAJE  si un archivo tiene más filas rechazadas que este\n"      \
    "                                porcentaje, no se genera nada (65); predeterminado: 5.\n"   \
    "                                Un archivo con todas sus filas rechazadas siempre falla.\n" \
    "      --hilos N                 hilos de trabajo (predeterminado: uno por núcleo)\n"      \
    "  -q, --silencioso              solo avisos, errores y el resumen final\n"               \
    "  -v, --detallado               muestra todos los problemas, no solo los primeros\n"     \
    "  -h, --help                    muestra esta ayuda\n"
#define CLI_HELP_WRITE                                                                       \
    "      --reemplazar              permite sustituir en el directorio de salida un conjunto\n"  \
    "                                entregado con otra fecha de corte (por omisión, 73)\n"
#define CLI_HELP_EXIT                                                                        \
    "\n"                                                                                     \
    "Estado de salida: 0 correcto; 64 uso incorrecto (también una opción que el comando no\n" \
    "usa, o una entrada que es una salida); 65 datos no válidos (un archivo inutilizable o\n" \
    "con más filas rechazadas que --max-rechazadas); 66 no se puede leer una entrada; 73 no\n" \
    "se puede crear una salida (también un directorio con el conjunto de otro corte); 74\n"  \
    "error de escritura; 75 otra ejecución usa el directorio de salida; 78 error de\n"       \
    "configuración o de plantilla.\n"

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

/**
 * Opens the output folder: c->cfg.salida with {corte} replaced (or default_dir). Before
 * anything is read it refuses (and prints why) a folder named after another corte (73) and an
 * input that is one of the folder's outputs (64); under the folder's lock (75 when held) a
 * folder holding a delivered set of another corte without --reemplazar, or any delivered set
 * for validar (c->documentos == 0) (73). Then it cleans stale temporaries and starts
 * rechazos.csv. Returns -1 to go on, or the exit status.
 */
int cli_open_output(cli *c, const char *default_dir);
/**
 * After the new set is published: removes the files of the folder's previous manifest that
 * this run did not rewrite, when they are of a kind it writes (all of them when the previous
 * set was another corte's, replaced with --reemplazar). Returns -1 or 74.
 */
int cli_retire_previous(cli *c);

/**
 * Before rendering, when the folder holds this corte's delivered set and this run writes only part
 * of it: with the same exports (SHA-256 of every input), the documents it does not rewrite stay and
 * the manifest keeps listing them; with other exports it is refused (73), since the folder would
 * mix two versions, unless --reemplazar. Returns -1 to go on, or an exit status.
 */
int cli_check_partial(cli *c, const obs_run *run);
/** True when the output folder holds a delivered set (a manifest.json with estado 0): a failed
 * run publishes nothing there, not even its rechazos.csv. */
bool cli_folder_delivered(const cli *c);

/** True when a file's rejected share fails the run: every row rejected, or more than
 * c->cfg.max_rechazadas. A file with no data rows never does. */
bool cli_rejected_over(const cli *c, const obs_file_stats *f);
/**
 * The gate before any document: prints, for each file whose rejected share fails the run,
 * its share and count, the most frequent problem and how to allow it; warns of a file with
 * no data rows. Returns -1 to go on, or 65.
 */
int cli_check_rejected(const cli *c, const obs_run *run);
/** True when the run's data fails it: rows rejected under --estricto, or cli_rejected_over() for a file. */
bool cli_refuses_data(const cli *c, const obs_run *run);
/** For validar: each file's rejected share and whether it is within the limit (never fails). */
void cli_report_rejected_share(const cli *c, const obs_run *run);
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
