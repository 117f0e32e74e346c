/* report_words_int.h - the run's facts in words (report_words.c): used by the template's variables and
 * conditions (template_text.c, template_render.c) and by the blocks (report_blocks.c, report_charts.c). */
#ifndef OBSERVA_REPORT_WORDS_INTERNAL_H
#define OBSERVA_REPORT_WORDS_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "observa/model.h"
#include "observa/template.h"

/* "1 fila", "35,000 filas": v with the noun that agrees with it (g_free). */
char *count_noun(int64_t v, const char *singular, const char *plural);

/* The actions of entidad e's OPL at the corte. */
int64_t opl_actions(const obs_template_ctx *ctx, int e);

/* The fewest actions an OPL needs not to be flagged: ceil(umbral), so "menos de N acciones"
 * states the rule n < umbral exactly. */
int64_t umbral_acciones(const obs_snapshot *s);

/* The rule in whole actions, as every document states it: "menos de 43 acciones de difusión, es decir,
 * menos que el mayor entre 5 acciones y el 50% de la mediana nacional de acciones de los OPL, que es de
 * 85.5" (g_free). The exact threshold (42.75) is never a number of actions, so it is never printed. */
char *text_regla(const obs_snapshot *s);

/* "Sin registros al corte del 12 de octubre de 2023." (g_free) */
char *no_records_text(const obs_template_ctx *ctx);

/* Whether some row of some export was rejected. */
bool any_rechazos(const obs_template_ctx *ctx);

/* The rows rejected in each export, "18 de 35,000 filas de solicitudes (0.1%) y …" (g_free). */
char *text_rechazos(const obs_template_ctx *ctx);

/* Why no OPL is flagged: "Ningún OPL está por debajo del umbral", or, before any OPL action is
 * registered, "Ningún OPL ha registrado acciones de difusión al corte" (static). */
const char *none_flagged_text(const obs_snapshot *s);

/* One bullet per flagged OPL: "IEEC (Campeche): 2 acciones". */
void block_list_bajo(const obs_template_ctx *ctx, obs_section *sec, obs_par_style style);

/* "IEEC (Campeche) con 2 acciones, … y ITE (Tlaxcala) con 0 acciones", or "ninguno" (g_free). */
char *text_lista_bajo(const obs_template_ctx *ctx);

#endif /* OBSERVA_REPORT_WORDS_INTERNAL_H */
