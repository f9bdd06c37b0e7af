"""Demo monitoring stations. Zhengzhou's nine national-control stations carry their public names;
their coordinates are approximate and every code is a demo code, not the national one.

(code, name, kind, region key, latitude, longitude, assessment, has meteorology)
Region keys are division codes, or "county/town" names as built by the regions step.
"""

ZHENGZHOU = [
    ("ZZ-N01", "市监测站", "national", "410105", 34.7703, 113.6761, True, True),
    ("ZZ-N02", "郑纺机", "national", "410102", 34.7500, 113.6100, True, True),
    ("ZZ-N03", "银行学校", "national", "410103", 34.7260, 113.6460, True, False),
    ("ZZ-N04", "供水公司", "national", "410104", 34.7480, 113.6960, True, False),
    ("ZZ-N05", "烟厂", "national", "410104", 34.7330, 113.7150, True, False),
    ("ZZ-N06", "岗李水库", "national", "410108", 34.8930, 113.6250, True, True),
    ("ZZ-N07", "四十七中", "national", "郑东新区", 34.7640, 113.7480, True, False),
    ("ZZ-N08", "经开区管委", "national", "410171", 34.7190, 113.7320, True, False),
    ("ZZ-N09", "河医大", "national", "410103", 34.7480, 113.6480, True, False),
    ("ZM-C01", "中牟县站", "county", "410122", 34.7190, 113.9760, False, True),
    ("GY-C01", "巩义市站", "county", "410181", 34.7480, 113.0220, False, True),
    ("XY-C01", "荥阳市站", "county", "410182", 34.7870, 113.3830, False, True),
    ("XM-C01", "新密市站", "county", "410183", 34.5390, 113.3900, False, True),
    ("XZ-C01", "新郑市站", "county", "410184", 34.3960, 113.7400, False, True),
    ("DF-C01", "登封市站", "county", "410185", 34.4530, 113.0500, False, True),
    ("SJ-C01", "上街区站", "county", "410106", 34.8030, 113.2860, False, False),
    ("HK-C01", "航空港区站", "county", "410173", 34.5260, 113.8400, False, False),
    ("ZM-T01", "韩寺镇站", "town", "中牟县/韩寺镇", 34.6580, 114.0630, False, False),
    ("ZM-T02", "官渡镇站", "town", "中牟县/官渡镇", 34.7060, 113.9080, False, False),
    ("XY-T01", "乔楼镇站", "town", "荥阳市/乔楼镇", 34.7140, 113.4240, False, False),
    ("XY-T02", "广武镇站", "town", "荥阳市/广武镇", 34.8460, 113.4640, False, False),
    ("XM-T01", "米村镇站", "town", "新密市/米村镇", 34.5850, 113.2820, False, False),
    ("XM-T02", "超化镇站", "town", "新密市/超化镇", 34.4730, 113.4520, False, False),
]

#: One assessment station in each peer city, named after the city (demo).
PEER_CITY_STATIONS = "410200 410300 410400 410500 410600 410700 410800 410900 411000 411100 411200 411300 411400 411500 411600 411700 419001".split()

#: Faults planted for quality control to find: (station code, check, start, end).
FAULTS = [
    ("ZZ-N02", "stuck", "2020-05-12T06:00", "2020-05-12T19:00"),
    ("ZM-C01", "pm25_above_pm10", "2020-06-03T00:00", "2020-06-03T23:00"),
    ("XZ-C01", "spike", "2020-08-08T10:00", "2020-08-08T10:00"),
    ("HK-C01", "drift", "2020-09-10T00:00", "2020-09-16T23:00"),
    ("SJ-C01", "gap", "2020-10-05T00:00", "2020-10-08T23:00"),
]

#: Multi-day winter episodes under stagnant weather (start, end, peak factor) and the dust day.
EPISODES = [("2020-01-10", "2020-01-14", 3.2), ("2020-01-22", "2020-01-27", 3.6), ("2020-02-08", "2020-02-11", 2.6),
            ("2020-11-28", "2020-12-02", 3.0), ("2020-12-20", "2020-12-25", 3.8)]
#: The measures' effect the demo's hours carry during its warnings (the emergency step's decisions:
#: orange from 14 January 20:00, red from the 16th 12:00, yellow from the 19th 12:00, lifted on the
#: 20th 12:00; orange 8 December 18:00 to the 12th 12:00): the share of the primary pollutants'
#: concentrations the measures leave in Zhengzhou. A known answer for the post-episode evaluation to
#: find (``tests/demo/test_demo.py`` holds the windows to the warnings built).
WARNING_EFFECTS = [("2020-01-14T20:00", "2020-01-16T12:00", 0.85), ("2020-01-16T12:00", "2020-01-19T12:00", 0.75),
                   ("2020-01-19T12:00", "2020-01-20T12:00", 0.90), ("2020-12-08T18:00", "2020-12-12T12:00", 0.85)]
DUST_DAY = "2020-03-28"
FIREWORKS_NIGHT = "2020-01-24T20:00"
DEMO_YEAR = 2020
