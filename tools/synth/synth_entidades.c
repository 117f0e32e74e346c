/* synth_entidades.c - observa-synth's table of the 32 entidades and their valid alternative spellings. */

#include "synth.h"

const Entidad ENT[N_ENT] = {
  {"Aguascalientes", NULL, "AS", 143, 3, {"Aguascalientes", "Jesús María", "Calvillo"}},
  {"Baja California", NULL, "BC", 377, 9, {"Mexicali", "Tijuana", "Ensenada"}},
  {"Baja California Sur", NULL, "BS", 80, 2, {"La Paz", "Los Cabos", "Comondú"}},
  {"Campeche", NULL, "CC", 93, 2, {"Campeche", "Carmen", "Champotón"}},
  {"Coahuila", "Coahuila de Zaragoza", "CL", 315, 8, {"Saltillo", "Torreón", "Monclova"}},
  {"Colima", NULL, "CM", 73, 2, {"Colima", "Manzanillo", "Tecomán"}},
  {"Chiapas", NULL, "CS", 554, 13, {"Tuxtla Gutiérrez", "Tapachula", "San Cristóbal de las Casas"}},
  {"Chihuahua", NULL, "CH", 374, 9, {"Chihuahua", "Juárez", "Cuauhtémoc"}},
  {"Ciudad de México", "CDMX", "DF", 921, 22, {"Cuauhtémoc", "Iztapalapa", "Coyoacán"}},
  {"Durango", NULL, "DG", 183, 4, {"Durango", "Gómez Palacio", "Lerdo"}},
  {"Guanajuato", NULL, "GT", 617, 15, {"León", "Irapuato", "Guanajuato"}},
  {"Guerrero", NULL, "GR", 354, 8, {"Acapulco de Juárez", "Chilpancingo de los Bravo", "Iguala de la Independencia"}},
  {"Hidalgo", NULL, "HG", 308, 7, {"Pachuca de Soto", "Tulancingo de Bravo", "Tula de Allende"}},
  {"Jalisco", NULL, "JC", 835, 20, {"Guadalajara", "Zapopan", "Puerto Vallarta"}},
  {"México", "Estado de México", "MC", 1699, 40, {"Toluca", "Ecatepec de Morelos", "Nezahualcóyotl"}},
  {"Michoacán", "Michoacán de Ocampo", "MN", 475, 11, {"Morelia", "Uruapan", "Zamora"}},
  {"Morelos", NULL, "MS", 197, 5, {"Cuernavaca", "Jiutepec", "Cuautla"}},
  {"Nayarit", NULL, "NT", 124, 3, {"Tepic", "Bahía de Banderas", "Santiago Ixcuintla"}},
  {"Nuevo León", NULL, "NL", 578, 14, {"Monterrey", "Guadalupe", "San Nicolás de los Garza"}},
  {"Oaxaca", NULL, "OC", 413, 10, {"Oaxaca de Juárez", "Juchitán de Zaragoza", "Salina Cruz"}},
  {"Puebla", NULL, "PL", 658, 16, {"Puebla", "Tehuacán", "San Andrés Cholula"}},
  {"Querétaro", NULL, "QT", 237, 6, {"Querétaro", "San Juan del Río", "Corregidora"}},
  {"Quintana Roo", NULL, "QR", 186, 4, {"Benito Juárez", "Othón P. Blanco", "Solidaridad"}},
  {"San Luis Potosí", NULL, "SP", 282, 7, {"San Luis Potosí", "Soledad de Graciano Sánchez", "Ciudad Valles"}},
  {"Sinaloa", NULL, "SL", 303, 7, {"Culiacán", "Mazatlán", "Ahome"}},
  {"Sonora", NULL, "SR", 294, 7, {"Hermosillo", "Cajeme", "Nogales"}},
  {"Tabasco", NULL, "TC", 240, 6, {"Centro", "Cárdenas", "Comalcalco"}},
  {"Tamaulipas", NULL, "TS", 353, 8, {"Reynosa", "Matamoros", "Victoria"}},
  {"Tlaxcala", NULL, "TL", 134, 3, {"Tlaxcala", "Apizaco", "Huamantla"}},
  {"Veracruz", "Veracruz de Ignacio de la Llave", "VZ", 806, 19, {"Veracruz", "Xalapa", "Coatzacoalcos"}},
  {"Yucatán", NULL, "YN", 232, 6, {"Mérida", "Valladolid", "Tizimín"}},
  {"Zacatecas", NULL, "ZS", 162, 4, {"Zacatecas", "Fresnillo", "Guadalupe"}},
};

const char *const CLAVES[N_ENT] = {
  "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11",
  "12", "13", "14", "15", "16", "17", "18", "19", "20", "21", "22",
  "23", "24", "25", "26", "27", "28", "29", "30", "31", "32",
};

/* Alternative but valid spellings of an entidad (name, alias, or the clave
 * without its leading zero), used in about 1% of rows. */
const char *
entidad_spelling (GRand *r, guint e, char buf[24])
{
  guint32 k = rnd_below (r, 10);

  if (k < 2 && e < 9)
    return fmt_uint (buf, e + 1);
  if (k < 6 && ENT[e].alias != NULL)
    return ENT[e].alias;
  return ENT[e].nombre;
}
