"""Facts of the demo's water sections.

Source of the names and targets: 郑州市2020年水污染防治攻坚战实施方案 (shared/seeds/
zhengzhou-2020-implementation-plans.txt, lines 262-284 and 364): "全市国控、省控责任目标断面全部达到
地表水III类水质 … 南水北调中线总干渠水质稳定达到II类", and the eight national and provincial
sections it names with their rivers (贾鲁河中牟陈桥, 双洎河新郑黄甫寨, 颍河登封白沙水库, 伊洛河巩义
七里铺, 贾鲁河尖岗水库, 黄河花园口, 丈八沟梁家桥 in the airport zone, 梅河老庄尚村). The plan calls
them "国、省控" without saying which is which: the control levels below are the demo's choice, as are
the codes, the coordinates (near the named places, rounded) and the three city-controlled sections
(on the city's own rivers, invented for the demo). Each section lies in the county-level region the
plan's wording places it in.

``base`` is a section's typical month (mg/L; pH none) in the wet season; the dry winter months
(December to March) multiply ammonia and total phosphorus by ``WINTER`` (lower flow, less dilution,
slower nitrification in cold water), which is what drives 贾鲁河中牟陈桥 above class Ⅲ in some
winter months, as the plan's "确保2020年底前断面水质达标" says it still was.
"""

from __future__ import annotations

#: (code, name, river, kind, control level, region code, target class, latitude, longitude, base values)
SECTIONS = [
    ("ZZ-GK-01", "贾鲁河中牟陈桥", "贾鲁河", "river", "national", "410122", 3, 34.72, 114.10,
     {"ph": 7.8, "do": 6.4, "codmn": 4.6, "cod": 16.0, "bod5": 3.0, "nh3n": 0.72, "tp": 0.13}),
    ("ZZ-SK-02", "双洎河新郑黄甫寨", "双洎河", "river", "provincial", "410184", 3, 34.40, 113.86,
     {"ph": 7.9, "do": 6.8, "codmn": 4.4, "cod": 15.0, "bod5": 2.9, "nh3n": 0.48, "tp": 0.12}),
    ("ZZ-SK-03", "颍河登封白沙水库", "颍河", "reservoir", "provincial", "410185", 3, 34.36, 113.28,
     {"ph": 8.0, "do": 7.6, "codmn": 3.4, "cod": 13.0, "bod5": 2.2, "nh3n": 0.22, "tp": 0.03, "tn": 0.9}),
    ("ZZ-GK-04", "伊洛河巩义七里铺", "伊洛河", "river", "national", "410181", 3, 34.80, 113.08,
     {"ph": 7.9, "do": 7.4, "codmn": 3.6, "cod": 14.0, "bod5": 2.6, "nh3n": 0.36, "tp": 0.10}),
    ("ZZ-SK-05", "贾鲁河尖岗水库", "贾鲁河", "reservoir", "provincial", "410103", 3, 34.62, 113.58,
     {"ph": 8.1, "do": 7.8, "codmn": 3.2, "cod": 12.0, "bod5": 2.0, "nh3n": 0.18, "tp": 0.028, "tn": 0.8}),
    ("ZZ-GK-06", "黄河花园口", "黄河", "river", "national", "410108", 3, 34.91, 113.66,
     {"ph": 8.1, "do": 8.0, "codmn": 2.8, "cod": 11.0, "bod5": 1.8, "nh3n": 0.20, "tp": 0.07}),
    ("ZZ-SK-07", "丈八沟梁家桥", "丈八沟", "river", "provincial", "410173", 3, 34.53, 113.86,
     {"ph": 7.7, "do": 6.4, "codmn": 4.6, "cod": 15.5, "bod5": 3.0, "nh3n": 0.55, "tp": 0.13}),
    ("ZZ-SK-08", "梅河老庄尚村", "梅河", "river", "provincial", "410184", 3, 34.47, 113.93,
     {"ph": 7.8, "do": 6.6, "codmn": 4.5, "cod": 15.0, "bod5": 2.9, "nh3n": 0.50, "tp": 0.12}),
    ("ZZ-NSBD-01", "南水北调中线总干渠郑州段", "南水北调中线总干渠", "river", "national", "410102", 2, 34.74, 113.55,
     {"ph": 8.0, "do": 8.6, "codmn": 2.0, "cod": 10.0, "bod5": 1.6, "nh3n": 0.08, "tp": 0.02}),
    ("ZZ-SJ-01", "金水河燕庄", "金水河", "river", "city", "410105", 3, 34.78, 113.70,
     {"ph": 7.6, "do": 6.2, "codmn": 4.5, "cod": 15.5, "bod5": 2.9, "nh3n": 0.60, "tp": 0.13}),
    ("ZZ-SJ-02", "熊耳河祭城路", "熊耳河", "river", "city", "410104", 3, 34.77, 113.73,
     {"ph": 7.6, "do": 6.1, "codmn": 4.5, "cod": 15.5, "bod5": 2.9, "nh3n": 0.62, "tp": 0.13}),
    ("ZZ-SJ-03", "索河荥阳城区", "索河", "river", "city", "410182", 3, 34.79, 113.38,
     {"ph": 7.8, "do": 6.5, "codmn": 4.5, "cod": 15.5, "bod5": 3.0, "nh3n": 0.52, "tp": 0.12}),
]

#: The section that misses its target in winter: its ammonia rises more in the dry months.
STRUGGLING = "ZZ-GK-01"
#: Dry-season factor on ammonia and total phosphorus (December to March), and the struggling section's.
WINTER, STRUGGLING_WINTER = 1.25, 1.9
#: Dissolved oxygen is higher in cold water: the winter factor on DO.
WINTER_DO = 1.12
DRY_MONTHS = (12, 1, 2, 3)
#: The years of monthly samples and of targets.
YEARS = (2019, 2020)

#: The plan's schedule for Zhengzhou (the same source, line 262): every national and provincial
#: section at class Ⅲ or better in 2020. The plan sets no share for 2019 nor a worse-than-Ⅴ cap.
SCHEDULE = [(2020, 100, None, "郑州市2020年水污染防治攻坚战实施方案：国控、省控责任目标断面全部达到地表水III类水质")]

#: The automatic water station at 黄河花园口 and its hourly data before the demo's moment.
STATION_SECTION = "ZZ-GK-06"
STATION_MN = "41010800WQ000001"
STATION_ITEMS = ("ph", "do", "codmn", "nh3n", "tp", "water_temperature")
STATION_DAYS = 5
