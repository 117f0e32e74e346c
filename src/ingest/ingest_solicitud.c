/* ingest_solicitud.c - the rules of a row of solicitudes (data contract §2): modalidades, edad, resolucion. */
#include "ingest/ingest_int.h"

ING_ENUM_RESOLVER(resolve_tipo, OBS_ENUM_TIPO)
ING_ENUM_RESOLVER(resolve_medio, OBS_ENUM_MEDIO)
ING_ENUM_RESOLVER(resolve_sexo, OBS_ENUM_SEXO)
ING_ENUM_RESOLVER(resolve_curso_por, OBS_ENUM_CURSO_POR)
ING_ENUM_RESOLVER(resolve_curso_mod, OBS_ENUM_CURSO_MODALIDAD)
ING_ENUM_RESOLVER(resolve_resolucion, OBS_ENUM_RESOLUCION)
ING_ENUM_RESOLVER(resolve_consejo, OBS_ENUM_CONSEJO)

/* ---- modalidades ------------------------------------------------------------------------------ */

static bool is_modalidad_separator(char c)
{
    return c == ';' || c == ',' || c == '|' || c == '/';
}

/* The modalidades one part names: a code, label or alias, or codes separated by spaces
 * ("VA VPPP"); *unknown when it is neither (data contract §2, modalidades). */
static unsigned modalidad_part(const ingest *in, field part, bool *unknown)
{
    int m = obs_catalog_find_value(in->cat, OBS_ENUM_MODALIDAD, part.ptr, part.len, NULL);
    if (m >= 0)
        return 1u << m;
    unsigned bits = 0;
    size_t i = 0;
    while (i < part.len) {
        while (i < part.len && (part.ptr[i] == ' ' || part.ptr[i] == '\t'))
            i++;
        size_t start = i;
        while (i < part.len && part.ptr[i] != ' ' && part.ptr[i] != '\t')
            i++;
        if (i == start)
            continue;
        int code = obs_catalog_value_code(OBS_ENUM_MODALIDAD, part.ptr + start, i - start);
        if (code < 0) {
            *unknown = true;
            return 0;
        }
        bits |= 1u << code;
    }
    return bits;
}

/* Every part of a modalidades field; with `in` not NULL, an aviso for each part not understood. */
static unsigned modalidades_scan(const ingest *cin, ingest *report, const char *s, size_t len, bool *warn)
{
    unsigned bits = 0;
    *warn = false;
    for (size_t i = 0; i <= len; i++) {
        size_t start = i;
        while (i < len && !is_modalidad_separator(s[i]))
            i++;
        field part = trimmed(s + start, i - start);
        if (part.len == 0)
            continue;
        bool unknown = false;
        unsigned b = modalidad_part(cin, part, &unknown);
        bits |= b;
        if (unknown) {
            *warn = true;
            if (report)
                ing_add_problem(report, OBS_R_W_IGNORED_VALUE, SC_MODALIDADES, part.ptr, part.len,
                                "modalidad no reconocida: «%.*s»; se ignora (use VA, VPPP o VMRE, o su "
                                "nombre, separadas por ; , | o /)",
                                ing_shown_len(part.ptr, part.len), part.ptr);
        }
    }
    return bits;
}

static int resolve_modalidades(const ingest *in, const char *s, size_t len, bool *warn)
{
    return (int)modalidades_scan(in, NULL, s, len, warn);
}

static void modalidades_of(ingest *in, obs_solicitud *s)
{
    field f = get(in, SC_MODALIDADES);
    if (f.len == 0)
        return;
    bool warn = false;
    s->modalidades = (unsigned)ing_memo_lookup(in, SC_MODALIDADES, f, resolve_modalidades, &warn);
    if (warn) /* rare: scan again to say which part */
        modalidades_scan(in, in, f.ptr, f.len, &warn);
}

static void edad_of(ingest *in, obs_solicitud *s)
{
    int64_t edad = ing_optional_count(in, SC_EDAD, OBS_R_W_AGE, 18, 120,
                                      "se usa la fecha de nacimiento o se toma como no especificada");
    s->edad = edad >= 0 ? (int)edad : OBS_ABSENT;
    obs_day nac = ing_optional_date(in, SC_FECHA_NACIMIENTO, "; la edad se toma como no especificada");
    if (s->edad == OBS_ABSENT && nac != OBS_DAY_NONE && s->fecha_solicitud != OBS_DAY_NONE) {
        int age = obs_age_years(nac, s->fecha_solicitud);
        if (age >= 18 && age <= 120)
            s->edad = age;
    }
}

/*
 * resolucion and fecha_resolucion (data contract §2): a resolution counts only with a usable
 * date on or after the request; otherwise, or with an unknown value, the request is pendiente,
 * with an aviso. The words of a pending request mean no resolution.
 */
static void resolucion_of(ingest *in, obs_solicitud *s)
{
    static const char then[] = "la solicitud se cuenta como pendiente";
    field fres = get(in, SC_RESOLUCION), ffr = get(in, SC_FECHA_RESOLUCION);
    s->resolucion = OBS_ABSENT;
    s->fecha_resolucion = OBS_DAY_NONE;
    int res = OBS_ABSENT;
    bool unknown = false;
    if (fres.len > 0) {
        res = ing_memo_lookup(in, SC_RESOLUCION, fres, resolve_resolucion, NULL);
        unknown = res == MEMO_UNKNOWN;
        if (unknown)
            ing_add_problem(in, OBS_R_W_RESOLUTION, SC_RESOLUCION, fres.ptr, fres.len,
                            "valor no reconocido en «resolucion»: «%.*s»; %s (valores aceptados: aprobada, "
                            "improcedente, declinada o pendiente)",
                            ing_shown_len(fres.ptr, fres.len), fres.ptr, then);
        if (res < 0 || res == OBS_RES_PENDIENTE)
            res = OBS_ABSENT;
    }
    obs_day d = ffr.len ? ing_date_value(in, SC_FECHA_RESOLUCION, ffr) : OBS_DAY_NONE;
    if (res == OBS_ABSENT) {
        if (ffr.len > 0 && !unknown)
            ing_add_problem(in, OBS_R_W_RESOLUTION, SC_FECHA_RESOLUCION, ffr.ptr, ffr.len,
                            "hay «fecha_resolucion» pero «resolucion» está vacía o dice que no se ha "
                            "resuelto; %s", then);
        return;
    }
    char a[16], b[16];
    if (ffr.len == 0) {
        ing_add_problem(in, OBS_R_W_RESOLUTION, SC_FECHA_RESOLUCION, NULL, 0,
                        "«resolucion» es «%.*s» pero falta «fecha_resolucion»; %s", ing_shown_len(fres.ptr, fres.len),
                        fres.ptr, then);
    } else if (d == OBS_DAY_NONE) {
        ing_add_problem(in, OBS_R_W_RESOLUTION, SC_FECHA_RESOLUCION, ffr.ptr, ffr.len,
                        "«%.*s» no es una fecha válida en «fecha_resolucion»; %s", ing_shown_len(ffr.ptr, ffr.len), ffr.ptr,
                        then);
    } else if (s->fecha_solicitud != OBS_DAY_NONE && d < s->fecha_solicitud) {
        obs_day_iso(d, a, sizeof a);
        obs_day_iso(s->fecha_solicitud, b, sizeof b);
        ing_add_problem(in, OBS_R_W_RESOLUTION, SC_FECHA_RESOLUCION, ffr.ptr, ffr.len,
                        "«fecha_resolucion» (%s) es anterior a «fecha_solicitud» (%s); %s", a, b, then);
    } else {
        s->resolucion = res;
        s->fecha_resolucion = d;
    }
}

/* ---- the row ------------------------------------------------------------------------------------- */

/* A row of solicitudes: every field read (and its problems noted) before the row is kept or not. */
void ing_validate_solicitud(ingest *in)
{
    obs_solicitud s = {0};
    field folio;
    bool have_folio = ing_required(in, SC_FOLIO, &folio);
    obs_idkey key = have_folio ? ing_id_key(in, folio) : (obs_idkey){0, 0};
    s.entidad = ing_entidad_of(in, SC_ENTIDAD);
    s.fecha_solicitud = ing_required_date(in, SC_FECHA_SOLICITUD);
    s.fecha_registro = ing_registro_of(in, SC_FECHA_REGISTRO, s.fecha_solicitud, "fecha_solicitud");
    s.tipo = ing_required_enum(in, SC_TIPO, resolve_tipo, "individual, organización");
    s.medio = ing_required_enum(in, SC_MEDIO, resolve_medio, "portal, junta, opl");
    s.sexo = ing_optional_enum(in, SC_SEXO, resolve_sexo, "mujer, hombre, no binaria");
    if (s.sexo == OBS_ABSENT)
        s.sexo = OBS_SEXO_NO_ESPECIFICADO;
    edad_of(in, &s);
    ing_optional_count(in, SC_DISTRITO, OBS_R_W_NUMBER, 0, 300, "se ignora (use 1 a 300, o 0 para la Junta Local)");
    s.discapacidad = ing_boolean_of(in, SC_DISCAPACIDAD);
    s.indigena = ing_boolean_of(in, SC_INDIGENA);
    modalidades_of(in, &s);
    s.fecha_curso = ing_optional_date(in, SC_FECHA_CURSO, "; se toma como sin curso");
    s.curso_por = ing_optional_enum(in, SC_CURSO_POR, resolve_curso_por, "ine, opl, organización");
    s.curso_modalidad = ing_optional_enum(in, SC_CURSO_MODALIDAD, resolve_curso_mod, "presencial, virtual");
    resolucion_of(in, &s);
    s.consejo = ing_optional_enum(in, SC_CONSEJO, resolve_consejo, "local, distrital");
    if (s.resolucion == OBS_RES_APROBADA && s.fecha_curso == OBS_DAY_NONE)
        ing_add_problem(in, OBS_R_W_NO_COURSE, SC_FECHA_CURSO, NULL, 0,
                        "solicitud aprobada sin «fecha_curso»: la ley exige el curso de capacitación");
    ing_check_short_row(in);
    if (in->row_error || !ing_ids_unique(in, SC_FOLIO, folio, &key))
        return;
    s.causa = ing_text_of(in, SC_CAUSA);
    s.organizacion = ing_text_of(in, SC_ORGANIZACION);
    if (in->sink && in->sink->solicitud)
        in->sink->solicitud(in->sink->ud, &s);
}
