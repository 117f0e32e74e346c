/* oficio.h - the letters (reports.md §4): their numbers, their dates and words that follow the count. */
#ifndef OBSERVA_OFICIO_H
#define OBSERVA_OFICIO_H

#include <glib.h>
#include <stddef.h>

#include "observa/error.h"
#include "observa/run.h"
#include "observa/text.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Variables the letters' templates see besides {{oficio.<key>}} of the configuration, computed
 * for each letter by obs_oficio_add_vars() (NULL-terminated):
 * - oficio.numero: this letter's own number (see obs_oficio_numbers());
 * - oficio.un_opl: "1" when exactly one OPL is flagged, empty otherwise (for `@si oficio.un_opl`);
 * - oficio.senalados: the flagged OPLs with their actions, "IEEC (Campeche) con 2 acciones,
 *   IEE Puebla (Puebla) con 1 acción e ITE (Tlaxcala) con 0 acciones";
 * - oficio.regla: the rule as a rule, "menos acciones de difusión que el mayor entre 5 acciones
 *   y 50% de la mediana nacional de acciones de los OPL (85.5 acciones al corte); es decir,
 *   42 acciones o menos";
 * - oficio.opl_acciones: in a letter to one OPL, its actions ("1 acción", "4 acciones");
 * - oficio.opl_previo, oficio.opl_previo_fecha, oficio.opl_previo_corte, oficio.opl_previo_acciones:
 *   in a letter to one OPL, the latest letter the history says it was sent for a published corte
 *   before this one (its number, its date, that corte, and the OPL's actions then); empty without
 *   a history or such a letter (for `@si oficio.opl_previo`). With a history, the general exhorto's
 *   oficio.oficio_previo is the previous general exhorto it knows ([oficio] oficio_previo otherwise).
 * - oficio.contacto_datos: the contact as a letter says it, from contacto, contacto_cargo and
 *   contacto_correo, with only the parts given and no cargo the contact already names: "la persona
 *   titular de la Subdirección de Circunscripción Plurinominal, al correo electrónico n@ine.mx".
 */
extern const char *const obs_oficio_vars[];

/**
 * @brief Checks what the letters' configuration says before any data is read.
 *
 * Numbering: exactly one of `numero` and `numeros`; a `numero` with the counter `{n}` needs
 * `numero_inicial` (digits; its zero padding is kept) and `numero_inicial` needs the counter;
 * no other braces in `numero`; no empty item and no number twice in `numeros`; no number equal
 * to `oficio_previo`. Numbers are compared without regard to case or spacing.
 * Dates: corte ≤ sesion_fecha ≤ fecha: the session cannot review figures of a later corte, and
 * a letter cannot report a session not yet held nor figures of a later corte. When `fecha` is
 * absent the letter is dated `generado`.
 *
 * @param oficio      the [oficio] section (key → value).
 * @param corte       the run's corte.
 * @param generado    the day of generation (the letter's date when `fecha` is absent).
 * @param config_path the configuration file, for the messages (may be NULL).
 * @return OBS_OK, or OBS_ERR_CONFIG naming the keys and their values (with the line of the key
 *         in config_path).
 */
obs_status obs_oficio_check(GHashTable *oficio, obs_day corte, obs_day generado, const char *config_path,
                            obs_error *err);

/**
 * @brief The numbers of the n letters of a run, in the order they are written (the general
 * exhorto first, then the letters to each OPL by clave): `numeros` in its order; or `numero`
 * with `{n}` replaced by numero_inicial, numero_inicial + 1, … (as wide as numero_inicial at
 * least); or the fixed `numero` when n is 1. The configuration has passed obs_oficio_check().
 *
 * @return a NULL-terminated array of n numbers (g_strfreev); NULL with OBS_ERR_CONFIG in err
 *         when `numeros` lists fewer than n, when a fixed `numero` would serve more than one
 *         letter, or when a number of the counter equals `oficio_previo`.
 */
char **obs_oficio_numbers(GHashTable *oficio, size_t n, const char *config_path, obs_error *err);

/** @brief A number the history already gave to a letter of another published corte (any of its runs). */
typedef struct obs_oficio_emitido {
    const char *numero;
    int64_t corrida;  /**< the run of the history that wrote that letter */
    obs_day corte;    /**< that run's corte */
} obs_oficio_emitido;

/**
 * @brief Refuses numbers the history already gave to letters of other cortes (reports.md §4: "a
 * number used twice is a configuration error"). A configuration run day after day (cron) would
 * otherwise give new letters the numbers of letters already sent, and cite one as its own
 * predecessor. Numbers are compared as obs_oficio_check() compares them.
 *
 * @param oficio      the [oficio] section (names the key to change: numeros, numero_inicial or numero).
 * @param numbers     NULL-terminated, from obs_oficio_numbers(), in the order the letters are written.
 * @param emitidos    the history's numbers (n entries; NULL when n is 0).
 * @param config_path the configuration file, for the messages (may be NULL).
 * @return OBS_OK, or OBS_ERR_CONFIG naming the letter, its number, the run and corte that used it
 *         and the key to change (at its line in config_path).
 */
obs_status obs_oficio_check_emitidos(GHashTable *oficio, char *const *numbers, const obs_oficio_emitido *emitidos,
                                     size_t n, const char *config_path, obs_error *err);

/**
 * @brief The flagging rule as a rule, with the median and the largest count that is flagged
 * (see obs_oficio_vars, oficio.regla). Never fails; g_free the result.
 */
char *obs_oficio_regla(const obs_snapshot *snap);

/**
 * @brief Adds to vars (string → string, both owned by the table) the computed variables of one
 * letter: oficio.numero = numero, oficio.contacto_datos (from the oficio.contacto* already in
 * vars), oficio.un_opl, oficio.senalados, oficio.regla and, when entidad is not 0,
 * oficio.opl_acciones. This function can't fail.
 */
void obs_oficio_add_vars(GHashTable *vars, const obs_run *run, int entidad, const char *numero);

#ifdef __cplusplus
}
#endif

#endif /* OBSERVA_OFICIO_H */
