/* render_palette.c - the colours, hatches and markers of the report's categories, for both renderers. */
#include "observa/render.h"

/*
 * Gray values (0.299 R + 0.587 G + 0.114 B, as printers convert) keep each group apart:
 * purple 0.25, teal 0.48, gold 0.73, and the unspecified sex a light gray with a hatch (0.82);
 * a flagged OPL is orange (0.43) with a hatch against the OPL's solid purple (0.25).
 */
#define PURPLE 0x72205Cu
#define PURPLE_TINT 0xEBDCE7u
#define TEAL 0x2A9D9Au
#define TEAL_TINT 0xD9EFEEu
#define GOLD 0xEBB840u
#define GOLD_TINT 0xFBF0D5u
#define GRAY 0xD0D0D0u
#define GRAY_TINT 0xF0F0F0u
#define ORANGE 0xD1500Au
#define ORANGE_TINT 0xFDE4D4u
#define SLATE 0x44546Au
#define ROSE 0xE39AC4u
#define INK 0x3A3A3Au

static const obs_swatch CATEGORY[OBS_CAT_COUNT] = {
    [OBS_CAT_NONE] = {PURPLE, PURPLE_TINT, INK, OBS_FILL_SOLID, OBS_MARKER_CIRCLE},
    [OBS_CAT_MUJER] = {PURPLE, PURPLE_TINT, INK, OBS_FILL_SOLID, OBS_MARKER_CIRCLE},
    [OBS_CAT_HOMBRE] = {TEAL, TEAL_TINT, INK, OBS_FILL_SOLID, OBS_MARKER_SQUARE},
    [OBS_CAT_NO_BINARIA] = {GOLD, GOLD_TINT, INK, OBS_FILL_SOLID, OBS_MARKER_TRIANGLE},
    [OBS_CAT_SEXO_NE] = {GRAY, GRAY_TINT, INK, OBS_FILL_HATCH, OBS_MARKER_DIAMOND},
    [OBS_CAT_JLE] = {TEAL, TEAL_TINT, INK, OBS_FILL_SOLID, OBS_MARKER_SQUARE},
    [OBS_CAT_JDE] = {GOLD, GOLD_TINT, INK, OBS_FILL_SOLID, OBS_MARKER_TRIANGLE},
    [OBS_CAT_OPL] = {PURPLE, PURPLE_TINT, INK, OBS_FILL_SOLID, OBS_MARKER_CIRCLE},
    [OBS_CAT_SENALADO] = {ORANGE, ORANGE_TINT, 0x5A2304u, OBS_FILL_HATCH, OBS_MARKER_DIAMOND},
};

/* Series without a category, by position: the same lightness steps, then darker and hatched. */
static const obs_swatch POSITION[] = {
    {PURPLE, PURPLE_TINT, INK, OBS_FILL_SOLID, OBS_MARKER_CIRCLE},
    {TEAL, TEAL_TINT, INK, OBS_FILL_SOLID, OBS_MARKER_SQUARE},
    {GOLD, GOLD_TINT, INK, OBS_FILL_SOLID, OBS_MARKER_TRIANGLE},
    {GRAY, GRAY_TINT, INK, OBS_FILL_HATCH, OBS_MARKER_DIAMOND},
    {SLATE, GRAY_TINT, 0xFFFFFFu, OBS_FILL_HATCH, OBS_MARKER_CIRCLE},
    {ROSE, PURPLE_TINT, INK, OBS_FILL_HATCH, OBS_MARKER_SQUARE},
};

obs_swatch obs_palette_swatch(obs_category category, size_t position)
{
    if (category > OBS_CAT_NONE && category < OBS_CAT_COUNT)
        return CATEGORY[category];
    return POSITION[position % (sizeof POSITION / sizeof POSITION[0])];
}
