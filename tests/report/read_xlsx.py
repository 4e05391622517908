"""Reads an .xlsx with nothing but Python's zipfile and xml modules (no spreadsheet library), as an independent
check of what libxlsxwriter wrote: every sheet's cells by name (shared strings resolved, numbers as numbers), and
each chart's series references and axis titles. Prints JSON."""
import json
import re
import sys
import zipfile
import xml.etree.ElementTree as ET

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
      "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
      "a": "http://schemas.openxmlformats.org/drawingml/2006/main"}

z = zipfile.ZipFile(sys.argv[1])
shared = []
if "xl/sharedStrings.xml" in z.namelist():
    for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", NS):
        shared.append("".join(t.text or "" for t in si.iter("{%s}t" % NS["m"])))

rels = {r.get("Id"): r.get("Target") for r in ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))}
sheets = {}
for s in ET.fromstring(z.read("xl/workbook.xml")).find("m:sheets", NS):
    target = rels[s.get("{%s}id" % NS["r"])]
    root = ET.fromstring(z.read("xl/" + target))
    rows = {}
    for c in root.iter("{%s}c" % NS["m"]):
        ref = c.get("r")
        col = re.match(r"[A-Z]+", ref).group(0)
        row = int(ref[len(col):])
        v = c.find("m:v", NS)
        if v is None:
            continue
        value = shared[int(v.text)] if c.get("t") == "s" else float(v.text)
        rows.setdefault(row, {})[col] = value
    sheets[s.get("name")] = {str(k): rows[k] for k in sorted(rows)}

charts = []
for name in sorted(n for n in z.namelist() if n.startswith("xl/charts/chart")):
    root = ET.fromstring(z.read(name))
    series = []
    for ser in root.iter("{%s}ser" % NS["c"]):
        refs = [f.text for f in ser.iter("{%s}f" % NS["c"])]
        tx = ser.find("c:tx", NS)
        label = "".join(v.text or "" for v in tx.iter("{%s}v" % NS["c"])) if tx is not None else ""
        series.append({"name": label, "refs": refs})
    titles = ["".join(t.text or "" for t in tx.iter("{%s}t" % NS["a"])) for tx in root.iter("{%s}title" % NS["c"])]
    charts.append({"file": name, "series": series, "titles": titles})
print(json.dumps({"sheets": sheets, "charts": charts}))
