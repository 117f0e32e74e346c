/* ingest_difusion.c - the rules of a row of difusion (data contract §3): instancia, tipo, alcance. */
#include "ingest/ingest_int.h"

ING_ENUM_RESOLVER(resolve_instancia, OBS_ENUM_INSTANCIA)

/* An outreach type of the catalogue (tipos_difusion.csv) by code, label or alias. */
static int resolve_tipo_difusion(const ingest *in, const char *s, size_t len, bool *warn)
{
    *warn = false;
    int t = obs_catalog_find_tipo(in->cat, s, len);
    return t >= 0 ? t : MEMO_UNKNOWN;
}

static int instancia_of(ingest *in)
{
    field f;
    if (!ing_required(in, DC_INSTANCIA, &f))
        return OBS_ABSENT;
    bool warn = false;
    int v = ing_memo_lookup(in, DC_INSTANCIA, f, resolve_instancia, &warn);
    if (v == MEMO_UNKNOWN) {
        ing_add_problem(in, OBS_R_UNKNOWN_VALUE, DC_INSTANCIA, f.ptr, f.len,
                        "valor no reconocido en «instancia»: «%.*s» (valores aceptados: opl, jle, jde)",
                        ing_shown_len(f.ptr, f.len), f.ptr);
        return OBS_ABSENT;
    }
    if (warn)
        ing_add_problem(in, OBS_R_W_ALIAS, DC_INSTANCIA, f.ptr, f.len,
                        "«%.*s» se interpreta como «%s»; indique jle o jde para distinguir las juntas",
                        ing_shown_len(f.ptr, f.len), f.ptr, obs_catalog_value_label(in->cat, OBS_ENUM_INSTANCIA, v));
    return v;
}

static int tipo_accion_of(ingest *in)
{
    field f;
    if (!ing_required(in, DC_TIPO, &f))
        return -1;
    int t = ing_memo_lookup(in, DC_TIPO, f, resolve_tipo_difusion, NULL);
    if (t != MEMO_UNKNOWN)
        return t;
    t = obs_catalog_tipo_otro(in->cat);
    ing_add_problem(in, OBS_R_W_OTHER_TYPE, DC_TIPO, f.ptr, f.len,
                    "tipo de acción no reconocido: «%.*s»; se cuenta como «%s» "
                    "(agréguelo a tipos_difusion.csv si es frecuente)",
                    ing_shown_len(f.ptr, f.len), f.ptr, obs_catalog_tipo_etiqueta(in->cat, (size_t)t));
    return t;
}

/* A row of difusion: every field read (and its problems noted) before the row is kept or not. */
void ing_validate_accion(ingest *in)
{
    obs_accion a = {0};
    field id;
    bool have_id = ing_required(in, DC_ID, &id);
    obs_idkey key = have_id ? ing_id_key(in, id) : (obs_idkey){0, 0};
    a.entidad = ing_entidad_of(in, DC_ENTIDAD);
    a.instancia = instancia_of(in);
    a.fecha = ing_required_date(in, DC_FECHA);
    a.fecha_registro = ing_registro_of(in, DC_FECHA_REGISTRO, a.fecha, "fecha");
    a.tipo = tipo_accion_of(in);
    a.alcance = ing_optional_count(in, DC_ALCANCE, OBS_R_W_NUMBER, 0, OBS_ALCANCE_MAX,
                                   "el alcance se toma como no declarado (la acción no se descarta por esto)");
    ing_check_short_row(in);
    if (in->row_error || !ing_ids_unique(in, DC_ID, id, &key))
        return;
    if (in->sink && in->sink->accion)
        in->sink->accion(in->sink->ud, &a);
}
