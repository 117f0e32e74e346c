#!/usr/bin/python3
"""basico's exports written by openpyxl (a second spreadsheet writer): a title row and a blank row
above the header, typed date cells (DD/MM/YYYY) and typed numbers; what is not a valid date or
number stays text. Run from this folder: /usr/bin/python3 generar.py."""
import csv
import datetime
import re

import openpyxl


def typed(value):
    if re.fullmatch(r'\d{4}-\d{2}-\d{2}', value):
        try:
            return datetime.datetime.strptime(value, '%Y-%m-%d'), 'DD/MM/YYYY'
        except ValueError:
            return value, None
    if re.fullmatch(r'[1-9]\d{0,8}', value):
        return int(value), '#,##0'
    return value, None


for name, title in (('solicitudes', 'Solicitudes de acreditación'), ('difusion', 'Acciones de difusión')):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = 'Exportación'
    ws.append([f'Sistema de Observadores y Observadoras Electorales: {title}'])
    ws.append([])
    with open(f'../basico/{name}.csv', newline='', encoding='utf-8') as f:
        for i, row in enumerate(csv.reader(f)):
            cells = [typed(v) if i else (v, None) for v in row]
            ws.append([c[0] for c in cells])
            for k, (_, fmt) in enumerate(cells):
                if fmt:
                    ws.cell(row=ws.max_row, column=k + 1).number_format = fmt
    wb.save(f'{name}.xlsx')
