"""Henan province: its cities, the demo city Zhengzhou, and the air-quality targets of the plans.

Sources
-------
* Division codes: GB/T 2260 and the statistical division codes (zones 410171-410173).
* 2017 targets: the provincial notice on "one city, one policy" plans, annex
  "河南省2017年度大气污染防治攻坚战实施意见", section 2 and tables 1-3.
* Zhengzhou 2020 targets: the Zhengzhou 2020 air implementation plan, section 2
  (PM10 <= 97 ug/m3, PM2.5 <= 56 ug/m3, out of the bottom 20 of the 168 key cities).
* Town names: the current subdivisions of each county; towns carry no code in the demo
  because their 9-digit codes were not verified.
"""

PROVINCE = ("410000", "河南省")

#: (code, name) of the 17 prefecture-level cities and Jiyuan (a provincially administered
#: city that ranks with them): the 18 cities of the provincial notice.
CITIES = [
    ("410100", "郑州市"), ("410200", "开封市"), ("410300", "洛阳市"), ("410400", "平顶山市"),
    ("410500", "安阳市"), ("410600", "鹤壁市"), ("410700", "新乡市"), ("410800", "焦作市"),
    ("410900", "濮阳市"), ("411000", "许昌市"), ("411100", "漯河市"), ("411200", "三门峡市"),
    ("411300", "南阳市"), ("411400", "商丘市"), ("411500", "信阳市"), ("411600", "周口市"),
    ("411700", "驻马店市"), ("419001", "济源市"),
]

#: The ten directly administered counties (省直管县), with the city they lie in.
DIRECT_COUNTIES = [
    ("410181", "巩义市", "410100", "county_city"),
    ("410225", "兰考县", "410200", "county"),
    ("410482", "汝州市", "410400", "county_city"),
    ("410526", "滑县", "410500", "county"),
    ("410783", "长垣市", "410700", "county_city"),  # 长垣县 until 2019, as the 2017 notice calls it
    ("411381", "邓州市", "411300", "county_city"),
    ("411481", "永城市", "411400", "county_city"),
    ("411525", "固始县", "411500", "county"),
    ("411628", "鹿邑县", "411600", "county"),
    ("411729", "新蔡县", "411700", "county"),
]

#: Zhengzhou's counties, districts, county-level cities and zones (巩义 is above), with
#: some of their towns and subdistricts. Kind per ``Region.Kind``.
ZHENGZHOU_COUNTIES = [
    ("410102", "中原区", "district", ["林山寨街道", "建设路街道", "须水街道", "三官庙街道"]),
    ("410103", "二七区", "district", ["淮河路街道", "解放路街道", "五里堡街道", "侯寨乡"]),
    ("410104", "管城回族区", "district", ["北下街街道", "南关街道", "十八里河街道", "圃田乡"]),
    ("410105", "金水区", "district", ["经八路街道", "花园路街道", "人民路街道", "文化路街道"]),
    ("410106", "上街区", "district", ["济源路街道", "中心路街道", "矿山街道", "峡窝镇"]),
    ("410108", "惠济区", "district", ["刘寨街道", "老鸦陈街道", "花园口镇", "古荥镇"]),
    ("410122", "中牟县", "county", ["城关镇", "韩寺镇", "官渡镇", "狼城岗镇", "万滩镇", "刘集镇"]),
    ("410182", "荥阳市", "county_city", ["索河街道", "乔楼镇", "豫龙镇", "广武镇", "汜水镇"]),
    ("410183", "新密市", "county_city", ["青屏街街道", "米村镇", "超化镇", "大隗镇", "曲梁镇"]),
    ("410184", "新郑市", "county_city", ["新建路街道", "龙湖镇", "孟庄镇", "薛店镇", "辛店镇"]),
    ("410185", "登封市", "county_city", ["少林街道", "大冶镇", "告成镇", "颍阳镇", "卢店镇"]),
    ("410171", "郑州经济技术开发区", "zone", []),
    ("410172", "郑州高新技术产业开发区", "zone", []),
    ("410173", "郑州航空港经济综合实验区", "zone", []),
    ("", "郑东新区", "zone", ["如意湖街道", "龙子湖街道", "博学路街道"]),
]

#: Towns of Gongyi, the directly administered county inside Zhengzhou.
GONGYI_TOWNS = ["孝义街道", "紫荆路街道", "米河镇", "竹林镇", "回郭镇", "站街镇"]

#: Region groups: (slug, name, description, member codes).
GROUPS = [
    ("channel-7", "京津冀传输通道7市", "The seven Henan cities on the Beijing-Tianjin-Hebei transport channel.",
     ["410100", "410200", "410500", "410600", "410700", "410800", "410900"]),
    ("key-7-plus-3", "“7+3”城市", "The seven channel cities plus Luoyang, Sanmenxia and Pingdingshan, the focus of the 2017 campaign.",
     ["410100", "410200", "410500", "410600", "410700", "410800", "410900", "410300", "411200", "410400"]),
    ("other-8", "其余8个省辖市", "The other eight cities of the 2017 notice (table 2).",
     ["411000", "411100", "411300", "411400", "411500", "411600", "411700", "419001"]),
    ("cities-18", "18个省辖市", "All eighteen cities ranked by the province.", [c for c, _ in CITIES]),
    ("direct-counties-10", "10个省直管县(市)", "The ten directly administered counties (table 3).",
     [c for c, *_ in DIRECT_COUNTIES]),
]

NOTICE_2017 = "河南省2017年度大气污染防治攻坚战实施意见"
ZHENGZHOU_2020 = "郑州市2020年大气污染防治攻坚战实施方案"

#: 2017 targets per region code: (PM10 ug/m3, PM2.5 ug/m3, good days, ranking requirement).
TARGETS_2017 = {
    # table 1, the "7+3" cities
    "410100": (122, 65, 189, "退出全国74个重点城市综合排名后10位"),
    "410200": (104, 63, 213, "全国338城市PM10排名后44位以上、PM2.5排名后38位以上"),
    "410500": (124, 69, 196, "全国338城市PM10排名后12位以上、PM2.5排名后12位以上"),
    "410600": (108, 63, 211, "全国338城市PM10排名后34位以上、PM2.5排名后35位以上"),
    "410700": (122, 69, 189, "全国338城市PM10排名后18位、PM2.5排名后14位以上"),
    "410800": (113, 69, 194, "全国338城市PM10排名后22位以上、PM2.5排名后13位以上"),
    "410900": (112, 61, 200, "全国338城市PM10排名后26位以上、PM2.5排名后42位以上"),
    "410300": (105, 68, 199, "全国338城市PM10排名后32位、PM2.5排名后20位以上"),
    "410400": (110, 67, 203, "全国338城市PM10排名后39位以上、PM2.5排名后29位以上"),
    "411200": (107, 59, 203, "全国338城市PM10排名后36位以上、PM2.5排名后50位以上"),
    # table 2, the other eight cities
    "411000": (102, 63, 207, "全国338城市PM10排名后44位以上、PM2.5排名后46位以上"),
    "411100": (104, 67, 201, "全国338城市PM10排名后32位以上、PM2.5排名后22位以上"),
    "411300": (102, 59, 205, "全国338城市PM10排名后49位以上、PM2.5排名后60位以上"),
    "411400": (107, 68, 200, "全国338城市PM10排名后36位以上、PM2.5排名后22位以上"),
    "411500": (84, 58, 215, "全国338城市PM10排名后89位以上、PM2.5排名后74位以上"),
    "411600": (101, 61, 210, "全国338城市PM10排名后58位以上、PM2.5排名后46位以上"),
    "411700": (102, 61, 209, "全国338城市PM10排名后48位以上、PM2.5排名后46位以上"),
    "419001": (108, 65, 213, "全国338城市PM10排名后51位以上、PM2.5排名后42位以上"),
    # table 3, the ten directly administered counties
    "410181": (129, 71, 210, ""), "410225": (104, 63, 220, ""), "410482": (105, 61, 215, ""),
    "410526": (111, 65, 220, ""), "410783": (110, 65, 220, ""), "411381": (104, 54, 220, ""),
    "411481": (102, 59, 215, ""), "411525": (90, 56, 220, ""), "411628": (109, 62, 215, ""),
    "411729": (100, 59, 215, ""),
    # section 2: the province, as the mean of the 18 cities
    "410000": (108, 64, 203, "18个省辖市平均值"),
}

#: Zhengzhou 2020: (PM10, PM2.5, ranking requirement).
TARGETS_ZHENGZHOU_2020 = (97, 56, "全国168个重点城市空气质量排名稳定退出后20位")

#: Demo 2020 targets of Zhengzhou's counties (invented for the demo in the style of the plans,
#: which set county targets from the city's): PM2.5, PM10, good days, heavy days.
COUNTY_TARGETS_2020_SOURCE = "郑州市2020年各县(市)区环境空气质量目标(演示)"
COUNTY_TARGETS_2020 = {
    "410122": (54, 95, 250, 18), "410181": (58, 100, 240, 20), "410182": (55, 96, 245, 18), "410183": (56, 98, 245, 18),
    "410184": (53, 94, 250, 16), "410185": (57, 99, 240, 20), "410106": (55, 96, 245, 18), "410173": (52, 92, 255, 15),
}
