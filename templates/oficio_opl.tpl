# Plantilla del oficio dirigido a un OPL señalado (observa oficio --por-opl): uno por OPL con bajo
# número de acciones de difusión, a su Presidencia. Como todo documento por OPL, sólo muestra
# cifras de su entidad y agregados nacionales. Los nombres, cargos y números vienen de [oficio].
# Variables calculadas para cada oficio: {{oficio.numero}} (su número propio), {{oficio.regla}}
# (la regla, con la mediana y la cantidad de acciones que se señala) y {{oficio.opl_acciones}}
# (las acciones del OPL: «1 acción», «4 acciones»). Del historial de observa, el último oficio que
# se le envió en un corte presentado: {{oficio.opl_previo}} (su número), {{oficio.opl_previo_fecha}},
# {{oficio.opl_previo_corte}} y {{oficio.opl_previo_acciones}} (sus acciones entonces); vacías si
# no hay ninguno.

@documento
formato = oficio
titulo = Oficio {{oficio.numero}}: exhorto al {{opl}} a reforzar sus acciones de difusión
asunto = Exhorto a reforzar las acciones de difusión de la convocatoria, con corte al {{corte}}
autor = Instituto Nacional Electoral, {{oficio.area}}
palabras_clave = oficio; exhorto; acciones de difusión; {{opl_siglas}}; {{proceso}}
encabezado = Oficio núm. {{oficio.numero}}
portada.institucion = INSTITUTO NACIONAL ELECTORAL
portada.area = {{oficio.area|mayusculas}}

@derecha Oficio núm. {{oficio.numero}}

@derecha {{oficio.lugar}}, {{oficio.fecha}}

@negritas {{oficio.opl_destinatario|mayusculas}}\
{{opl_nombre|mayusculas}}\
P R E S E N T E

Con fecha {{oficio.sesion_fecha}}, en sesión {{oficio.sesion_tipo}} de la {{oficio.comision}}, se
presentó el Informe sobre el seguimiento al procedimiento de acreditación de las y los observadores
electorales del {{proceso}}, con corte de la información al {{corte}}.

Con corte al {{corte}}, el {{opl_nombre}} registra {{oficio.opl_acciones}} de difusión de la
Convocatoria en el Sistema de Observadores y Observadoras Electorales. Conforme a la regla del
informe, un OPL tiene un número bajo de acciones de difusión cuando registra {{oficio.regla}}.

@si oficio.opl_previo
En seguimiento al oficio {{oficio.opl_previo}}, del {{oficio.opl_previo_fecha}}, mediante el cual se le
exhortó a reforzar sus acciones de difusión cuando, con corte al {{oficio.opl_previo_corte}}, registraba
{{oficio.opl_previo_acciones}}, nuevamente le solicito reforzar las acciones de difusión de la
Convocatoria dirigida a la ciudadanía para acreditarse como observadoras y observadores electorales, y
registrarlas en el Sistema.
@sino
Por ello, le solicito reforzar las acciones de difusión de la Convocatoria dirigida a la ciudadanía
para acreditarse como observadoras y observadores electorales, y registrarlas en el Sistema.
@fin

@tabla indicadores id=difusion titulo="Acciones de difusión registradas en {{entidad}} al {{corte}}" hoja="Difusión"
columna "Instancia" = etiqueta
columna "En {{entidad}}" = valor
columna "Nacional" = nacional
fila "{{opl}} (OPL)" = difusion.instancia.opl
fila "Junta Local Ejecutiva" = difusion.instancia.jle
fila "Juntas Distritales Ejecutivas" = difusion.instancia.jde
total "Total" = difusion.total

@si oficio.contacto
Para cualquier duda, se podrá establecer comunicación con {{oficio.contacto_datos}}.
@fin

Sin otro particular, reciba un cordial saludo.

@centro A T E N T A M E N T E\
{{oficio.firmante_cargo|mayusculas}}

@centro \
\
{{oficio.firmante|mayusculas}}

@si oficio.valida
@si oficio.valida_cargo
@nota Firma como responsable de la validación y revisión de la información: {{oficio.valida}}, {{oficio.valida_cargo}}.
@sino
@nota Firma como responsable de la validación y revisión de la información: {{oficio.valida}}.
@fin
@fin

@si oficio.ccp
@nota C.c.p.
@lista oficio.ccp
@fin
