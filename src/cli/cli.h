/* cli.h - shared pieces of the observa command: options, messages, and the calls into the library's pipeline. */
#ifndef OBSERVA_CLI_H
#define OBSERVA_CLI_H

#include <glib.h>
#include <stdbool.h>

#include "observa/catalog.h"
#include "observa/config.h"
#include "observa/history.h"
#include "observa/inputs.h"
#include "observa/produce.h"
#include "observa/run.h"

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
    char *hoja;            /**< --hoja: a workbook's sheet, by name. */
    gboolean estricto;
    char *max_rechazadas;  /**< Parsed by obs_config_parse_porcentaje(). */
    gboolean reemplazar;
    char *hilos;           /**< Decimal; parsed by obs_config_parse_entero(). */
    gboolean silencioso;
    gboolean detallado;
    gboolean help;
    char *historial;       /**< --historial ARCHIVO */
    gboolean sin_historial;
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
    CLI_OPT_HISTORIAL = 1u << 17,
    CLI_OPT_SIN_HISTORIAL = 1u << 18,
    CLI_OPT_HOJA = 1u << 19,
};
/** What every command that reads the exports accepts. */
#define CLI_OPTS_READ                                                                                 \
    (CLI_OPT_SOLICITUDES | CLI_OPT_DIFUSION | CLI_OPT_CORTE | CLI_OPT_PLANTILLAS | CLI_OPT_CONFIG |   \
     CLI_OPT_CODIFICACION | CLI_OPT_DELIMITADOR | CLI_OPT_HOJA | CLI_OPT_ESTRICTO |                   \
     CLI_OPT_MAX_RECHAZADAS | CLI_OPT_HILOS | CLI_OPT_SILENCIOSO | CLI_OPT_DETALLADO | CLI_OPT_HELP)
/** What a command that writes documents into an output folder accepts. */
#define CLI_OPTS_WRITE                                                                                \
    (CLI_OPTS_READ | CLI_OPT_ANTERIOR | CLI_OPT_SALIDA | CLI_OPT_FORMATOS | CLI_OPT_REEMPLAZAR |       \
     CLI_OPT_HISTORIAL | CLI_OPT_SIN_HISTORIAL)

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
    bool progress_open;    /**< A progress line is on the terminal without its newline. */
    int threads;           /**< Worker threads (--hilos, [salida] hilos, or one per core). */
    obs_catalog *cat;
    unsigned documentos;   /**< OBS_DOC_* this invocation writes (0: validar). */
    int entidad;           /**< --entidad: only this OPL's summary (0 = all). */
    char *dir;             /**< The output folder of this run, {corte} replaced. */
    obs_produce_request req; /**< What the library's pipeline runs (cli_open_output()). */
    obs_produce *prod;     /**< The pipeline's run, once the output folder is open. */
    obs_history *history;  /**< The history the run is recorded in (NULL with --sin-historial). */
    bool history_in_folder; /**< The history is the output folder's own (demo): DIR/historial.sqlite. */
    unsigned shown;        /**< Problems printed on stderr so far. */
    obs_error err;
} cli;

/* Help text shared by the subcommands that read the exports (one wording everywhere). */
#define CLI_HELP_INPUTS                                                                      \
    "  -s, --solicitudes ARCHIVO|DIR exportación de solicitudes, CSV o libro .xlsx (puede\n"  \
    "                                repetirse)\n"                                           \
    "  -d, --difusion ARCHIVO|DIR    exportación de difusión, CSV o .xlsx (puede repetirse)\n" \
    "                                Varios archivos, o los .csv y .xlsx de un directorio\n"  \
    "                                por orden de nombre, son una sola exportación. Las\n"    \
    "                                demás opciones se indican una sola vez.\n"
/* The reading options in three parts, so that validar can say what --max-rechazadas does for it. */
#define CLI_HELP_READING_HEAD                                                                \
    "  -t, --plantillas DIR          directorio de plantillas y catálogos\n"                  \
    "      --config ARCHIVO          configuración INI; las opciones la sustituyen\n"         \
    "      --codificacion CODIF      auto, utf-8 o windows-1252 (predeterminado: auto)\n"     \
    "      --delimitador DELIM       auto, «,», «;» o tab (predeterminado: auto)\n"           \
    "      --hoja NOMBRE             en un libro .xlsx, la hoja que se lee (predeterminado:\n" \
    "                                la primera)\n"                                         \
    "      --estricto                cualquier fila rechazada hace fallar la ejecución (65)\n"
#define CLI_HELP_MAX_REJECTED                                                                    \
    "      --max-rechazadas PORCENTAJE  si un archivo tiene más filas rechazadas que este\n"      \
    "                                porcentaje, no se genera nada (65); predeterminado: 5.\n"   \
    "                                Un archivo con todas sus filas rechazadas siempre falla.\n"
#define CLI_HELP_THREADS                                                                     \
    "      --hilos N                 hilos de trabajo (predeterminado: uno por núcleo)\n"
/* What -q hides from a command that writes documents (cron runs it with -q; cli.md). */
#define CLI_HELP_QUIET_WRITE                                                                 \
    "  -q, --silencioso              sin la línea de avance: sólo avisos, errores, los\n"      \
    "                                totales de control y el resumen final («listo: …» y el\n" \
    "                                número de la corrida en el historial, con la orden que\n" \
    "                                la publica)\n"
#define CLI_HELP_VERBOSE                                                                     \
    "  -v, --detallado               muestra todos los problemas, no solo los primeros\n"     \
    "  -h, --help                    muestra esta ayuda\n"
/* The reading options of the commands that write documents (informe, opl, oficio, lote). */
#define CLI_HELP_READING                                                                     \
    CLI_HELP_READING_HEAD CLI_HELP_MAX_REJECTED CLI_HELP_THREADS CLI_HELP_QUIET_WRITE CLI_HELP_VERBOSE
#define CLI_HELP_WRITE                                                                       \
    "      --reemplazar              permite sustituir en el directorio de salida un conjunto\n"  \
    "                                entregado con otra fecha de corte, o el de una corrida\n"  \
    "                                publicada en el historial (por omisión, 73)\n"            \
    "      --historial ARCHIVO       historial de cortes donde se registra la ejecución\n"      \
    "                                (predeterminado: [historial] archivo de la configuración,\n" \
    "                                o $XDG_DATA_HOME/observa/historial.sqlite)\n"              \
    "      --sin-historial           no registra la ejecución ni muestra el seguimiento\n"
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

/**
 * @brief A Unix time as "2024-05-09 10:02" in central Mexico (UTC-6), the zone every time observa
 * shows or writes is in (manifest.json, the documents, historial, acceso).
 * @param buf  receives the text, cut to size; empty for a time GLib cannot represent.
 */
void cli_format_time(int64_t t, char *buf, size_t size);
/** text quoted for a POSIX shell when it needs it, so a command can be pasted as printed (g_free). */
char *cli_shell_word(const char *text);
/** Prints "observa: <message>" on stderr (UTF-8, whatever the locale). */
void cli_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/** Prints an obs_error like a compiler diagnostic and returns its exit code. */
int cli_fail(cli *c);
/** Prints a usage error for the command and returns 64. */
int cli_usage_error(cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/** A progress line on a terminal ("[2/4] informe.pdf"), nothing otherwise. */
void cli_progress(cli *c, unsigned i, unsigned n, const char *what);

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
 * Opens the run's output folder through the library's pipeline (obs_produce_open()):
 * c->cfg.salida with {corte} replaced, or default_dir; templates and [oficio] are checked first.
 * A refusal (another corte's folder or set, an input that is an output, the lock) is printed.
 * Returns -1 to go on, or the exit status.
 */
int cli_open_output(cli *c, const char *default_dir);
/** Reads the inputs of an open run, printing each problem (capped) and then the control totals.
 * Returns -1 or an exit code. */
int cli_read(cli *c);
/** Publishes an open run (obs_produce_finish()). Returns -1 or an exit code. */
int cli_finish(cli *c);
/** For metricas, the gate's explanations: returns -1 to go on, or 65. */
int cli_check_rejected(cli *c, const obs_run *run);
/**
 * Opens the history a command uses: --historial, [historial] archivo, or the default
 * ($XDG_DATA_HOME/observa/historial.sqlite). Returns -1 to go on (c->history set), or the exit status.
 */
int cli_open_history(cli *c);
/** The history file a command uses (--historial, [historial] archivo, or the default; g_free). */
char *cli_history_path(const cli *c);
/** The default output directory for a corte: salida/AAAA-MM-DD (g_free). */
char *cli_default_salida(obs_day corte);

/** Runs ingest + metrics without an output folder (metricas), routing problems to stderr (capped). */
int cli_run(cli *c, obs_run **run);
/** Prints a notice from the library on stderr ("observa: <text>"). */
void cli_notice(void *user, const char *text);

/** Prints the control totals of a run on stderr. */
void cli_print_totals(const cli *c, const obs_run *run);

/** Unix time of generation (obs_generation_time()), printing its warning if any. */
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
int cmd_historial(int argc, char **argv);
int cmd_servir(int argc, char **argv);
int cmd_acceso(int argc, char **argv);

#endif /* OBSERVA_CLI_H */
