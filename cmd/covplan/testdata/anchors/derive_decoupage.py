#!/usr/bin/env python3
"""Derive departements.csv, communes-<dep>.csv and amii-<dep>.csv from
@etalab/decoupage-administratif@6.0.0 (data/communes.json, data/departements.json,
data/epci.json). Run from this directory after
    npm pack @etalab/decoupage-administratif@6.0.0 && tar xzf etalab-decoupage-administratif-6.0.0.tgz
as: python3 derive_decoupage.py package/data
Only rows of type "commune-actuelle" are used (communes déléguées / associées and
arrondissements municipaux would double count). Output is sorted by code, UTF-8,
comma-separated, LF line ends, no BOM.
"""
import csv
import json
import os
import sys

COMMUNE_DEPS = ["03", "06", "07", "12", "15", "19", "22", "23", "26", "29", "35",
                "43", "46", "48", "50", "56", "63", "77", "85", "87"]

# Orange's own (AMII) FTTH deployment, outside the public network (see README).
# 15: the communes of the CA du Bassin d'Aurillac (membership taken from epci.json
#     of the same package) plus Saint-Flour.
# 48: Badaroux, Le Born, Mende, Pelouse.
# 12: the communes of the CA Rodez Agglomération (EPCI 241200187) plus Millau (12145).
# 46: Cahors and Pradines, the only communes named (possibly incomplete, see README).
AMII = {
    "12": {"epci": ["241200187"], "extra": ["12145"]},
    "15": {"epci": ["241500230"], "extra": ["15187"]},
    "46": {"epci": [], "extra": ["46042", "46224"]},
    "48": {"epci": [], "extra": ["48013", "48029", "48095", "48111"]},
}


def write(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def main(data):
    communes = json.load(open(os.path.join(data, "communes.json"), encoding="utf-8"))
    deps = json.load(open(os.path.join(data, "departements.json"), encoding="utf-8"))
    epcis = json.load(open(os.path.join(data, "epci.json"), encoding="utf-8"))
    actuelles = [c for c in communes if c["type"] == "commune-actuelle"]
    by_code = {c["code"]: c for c in actuelles}

    rows = []
    for d in sorted(deps, key=lambda d: d["code"]):
        cs = [c for c in actuelles if c["departement"] == d["code"]]
        missing = sum(1 for c in cs if "population" not in c)
        pop = sum(c.get("population", 0) for c in cs)
        rows.append([d["code"], d["nom"], d["region"], d["zone"], pop if missing < len(cs) else "",
                     len(cs), missing])
    write("departements.csv",
          ["code", "nom", "region", "zone", "population", "communes", "communes_sans_population"], rows)

    for dep in COMMUNE_DEPS:
        cs = sorted((c for c in actuelles if c["departement"] == dep), key=lambda c: c["code"])
        write("communes-%s.csv" % dep, ["code_insee", "nom", "population"],
              [[c["code"], c["nom"], c.get("population", "")] for c in cs])

    for dep, spec in AMII.items():
        codes = set(spec["extra"])
        for e in epcis:
            if e["code"] in spec["epci"]:
                codes.update(m["code"] for m in e["membres"])
        rows = []
        for code in sorted(codes):
            c = by_code[code]
            src = "epci " + ",".join(spec["epci"]) if code not in spec["extra"] else "listed"
            rows.append([code, c["nom"], c.get("population", ""), src])
        write("amii-%s.csv" % dep, ["code_insee", "nom", "population", "basis"], rows)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "package/data")
