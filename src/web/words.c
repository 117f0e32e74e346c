/* words.c - the library's messages in a web user's words: the CLI's hints become the page, field or button to use. */
#include <string.h>

#include "web/web_int.h"

#define ASK_ADMIN "(pida a quien administra el servidor que lo cambie)"
#define ONE_RUN "(vale sólo para esa corrida; la configuración del servidor no cambia)"
#define SESION "Fecha de la sesión de la Comisión"
#define FECHA "Fecha del oficio"

/* What the CLI tells a shell user to do, and what a web user can do instead. The CLI's messages
 * stay as they are; these patterns follow them (tests/web checks the ones a run can reach). */
static const struct {
    const char *pattern, *replacement;
} hints[] = {
    /* The letters' numbering and dates are fields of Generar (oficio.c): each run may set its own. */
    {"; corrija \\[oficio\\] sesion_fecha o el corte \\(-c\\)",
     "; indique otra «" SESION "» en Generar " ONE_RUN ", o elija otra «Fecha de corte»"},
    {"; corrija \\[oficio\\] fecha o el corte \\(-c\\)",
     "; indique otra «" FECHA "» en Generar " ONE_RUN ", o elija otra «Fecha de corte»"},
    {"; indique la fecha del oficio en \\[oficio\\] fecha", "; indique la «" FECHA "» en Generar " ONE_RUN},
    {"; corrija \\[oficio\\] fecha o \\[oficio\\] sesion_fecha",
     "; corrija la «" FECHA "» o la «" SESION "» en Generar " ONE_RUN},
    {"; cambie \\[oficio\\] numero_inicial", "; indique otro «Número del primer oficio» en Generar " ONE_RUN},
    {"; cambie \\[oficio\\] numeros", "; indique otros «Números de los oficios» en Generar " ONE_RUN},
    {"; cambie \\[oficio\\] numero\\b", "; indique otro «Número del oficio» en Generar " ONE_RUN},
    {"; añada los números que faltan", "; indique en «Números de los oficios» de Generar uno por oficio"},
    {" \\(vea «observa historial mostrar \\d+»\\)", " (vea la página Historial)"},
    {"; vea la lista con «observa historial»", "; vea la página Historial"},
    {" agregue --reemplazar", " use «Publicar en lugar de la anterior» en la página de la corrida"},
    {"con --max-rechazadas \\d+ \\(o «(max_rechazadas = \\d+)» en \\[entrada\\] de la configuración\\)",
     "con «\\1» en [entrada] de la configuración del servidor " ASK_ADMIN},
    {"o quite --estricto\\.", "o pida a quien administra el servidor que quite el modo estricto de su configuración."},
    {"rechazos\\.csv \\(observa validar lo escribe\\)", "rechazos.csv"},
    {"; revise (la opción )?--plantillas", "; la configuración del servidor " ASK_ADMIN},
    {"indique --codificacion", "súbalo de nuevo"},
    {"indíquela con --hoja \\(o «hoja» en \\[entrada\\]\\)",
     "indíquela con «hoja» en [entrada] de la configuración del servidor " ASK_ADMIN},
    {"\\(indique una con --hoja o con «hoja» en la ", "(indique una con «hoja» en la "},
    {"indique otra con --hoja", "indique otra con «hoja» en [entrada] de la configuración del servidor " ASK_ADMIN},
    {"[;,] ?(elija|o elija) otro con --historial", " (pida a quien administra el servidor que lo revise)"},
    {"elija otro con --historial", "pida a quien administra el servidor que lo revise"},
    {"\\(observa lote\\) o use\\s+--reemplazar", "(genere de nuevo)"},
    {"Use otra carpeta, o --reemplazar para sustituirlo\\.", "Genere de nuevo."},
};

/* The patterns, compiled once: GRegex is immutable, so the worker threads share them. */
static GRegex **compiled_hints(void)
{
    static GRegex *re[G_N_ELEMENTS(hints)];
    static gsize ready = 0;
    if (g_once_init_enter(&ready)) {
        for (size_t i = 0; i < G_N_ELEMENTS(hints); i++) {
            re[i] = g_regex_new(hints[i].pattern, G_REGEX_OPTIMIZE, 0, NULL);
            g_assert(re[i]);
        }
        g_once_init_leave(&ready, 1);
    }
    return re;
}

char *web_words(const char *message)
{
    if (!message)
        return NULL;
    GRegex **re = compiled_hints();
    char *text = g_strdup(message);
    for (size_t i = 0; i < G_N_ELEMENTS(hints); i++) {
        char *t = g_regex_replace(re[i], text, -1, 0, hints[i].replacement, 0, NULL);
        if (t) {
            g_free(text);
            text = t;
        }
    }
    return text;
}
