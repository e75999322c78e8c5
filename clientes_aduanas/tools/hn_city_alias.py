"""Other names Hondurans write for their municipality.

A customer in the capital writes "Tegucigalpa" or "Comayagüela", not the
municipality's name, Distrito Central; one in San Pedro Sula often writes
"San Pedro". The typed city is matched to its department's list of
municipalities (``res.city._customer_match_city``); this table adds the
names a municipality also goes by. Only names no other municipality of the
same department bears: "San Pedro" is San Pedro Sula in Cortés, while in
Copán it is the municipality San Pedro (0420), whose own name wins.

Sources (checked 2026-12):
- 0801: the 1982 Constitution of Honduras (arts. 8 and 295) makes the
  sister cities Tegucigalpa and Comayagüela the Distrito Central, formally
  "Tegucigalpa, Municipio del Distrito Central" or "Tegucigalpa, M.D.C."
  (https://en.wikipedia.org/wiki/Tegucigalpa); the municipal lists of
  AxelRivera504/Proyecto_Axel_Eder (ParteSqlAxelCompleta.sql) and
  https://redhonduras.com/en/maps/map-department-francisco-morazan name it
  "Distrito Central (Tegucigalpa y Comayaguela)".
- 0820: the same two lists: "San Juan de Flores o como se le conoce
  Cantarranas".
- 0501: the city's history calls it San Pedro (founded as Villa de Señor
  San Pedro de Puerto Caballos, https://en.wikipedia.org/wiki/San_Pedro_Sula);
  its newspaper La Prensa files its local news under
  https://www.laprensa.hn/sanpedro/.
- 1401, 1606, 0906: the names AxelRivera504/Proyecto_Axel_Eder and
  ChrizBBX/Taller (InsertsTaller.sql) give these municipalities: Nueva
  Ocotepeque (the departmental capital's town), San José de (las) Colinas,
  Wampusirpe.
"""

from .customer_spreadsheet import fold

# INE code of the municipality -> the other names it goes by.
MUNICIPALITY_ALIASES = {
    "0801": ("Tegucigalpa", "Comayagüela", "Tegucigalpa M.D.C.", "Tegucigalpa MDC"),
    "0501": ("San Pedro",),
    "0820": ("Cantarranas",),
    "1401": ("Nueva Ocotepeque",),
    "1606": ("San José de Colinas", "San José de las Colinas"),
    "0906": ("Wampusirpe",),
}


def alias_key(name):
    """Comparison key of a typed name: :func:`fold` (no accents, lower case,
    single spaces) without the dots and commas of "Tegucigalpa, M.D.C."."""
    return " ".join(fold(name).replace(".", " ").replace(",", " ").split())


def aliases_by_key():
    """``{alias key: INE code}`` of every alias."""
    return {alias_key(alias): code for code, aliases in MUNICIPALITY_ALIASES.items() for alias in aliases}
