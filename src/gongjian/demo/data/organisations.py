"""Zhengzhou's units as the 2020 implementation plans name them in their 牵头单位 /
责任单位 lines, with the full names they stand for. The short names become aliases, so
that importing the plans resolves them (the tasks issue relies on this).

(full name, kind, short names used in the plans)
"""

CITY_UNITS = [
    ("郑州市污染防治攻坚战领导小组办公室", "campaign_office", ["市环境攻坚办", "市攻坚办"]),
    ("郑州市生态环境局", "environment_bureau", ["市环保局"]),
    ("郑州市发展和改革委员会", "department", ["市发展改革委", "市发改委"]),
    ("郑州市工业和信息化局", "department", ["市工信局"]),
    ("郑州市公安局", "department", []),
    ("郑州市财政局", "department", []),
    ("郑州市自然资源和规划局", "department", ["市资源规划局"]),
    ("郑州市城乡建设局", "department", ["市城建局"]),
    ("郑州市城市管理局", "department", ["市城管局"]),
    ("郑州市交通运输局", "department", ["市交通局"]),
    ("郑州市水利局", "department", []),
    ("郑州市农业农村工作委员会", "department", ["市农委"]),
    ("郑州市商务局", "department", []),
    ("郑州市应急管理局", "department", ["市应急局"]),
    ("郑州市市场监督管理局", "department", ["市市场监管局", "市场监管局"]),
    ("郑州市粮食和物资储备局", "department", ["市粮食和储备局"]),
    ("郑州市物流口岸局", "department", []),
    ("郑州市市场发展中心", "department", []),
    ("郑州市林业局", "department", []),
    ("郑州市园林局", "department", []),
    ("郑州市科学技术局", "department", ["市科技局"]),
    ("郑州市卫生健康委员会", "department", ["市卫健委"]),
    ("郑州市人民政府国有资产监督管理委员会", "department", ["市国资委"]),
    ("郑州市住房保障和房地产管理局", "department", ["市住房保障局"]),
    ("郑州市供销合作社", "department", ["市供销社"]),
    ("郑州市控制扬尘污染工作领导小组办公室", "department", ["市控尘办"]),
    ("国网郑州供电公司", "power_company", ["郑州供电公司"]),
    ("郑州黄河河务局", "department", []),
]

#: Units every county-level region has: (name suffix, kind, short names).
COUNTY_UNITS = [
    ("人民政府", "government", ["政府"]),
    ("污染防治攻坚战领导小组办公室", "campaign_office", ["攻坚办"]),
    ("生态环境分局", "environment_bureau", ["生态环境局"]),
]

#: Zones are run by a management committee instead of a people's government.
ZONE_UNITS = [
    ("管理委员会", "zone_committee", ["管委会"]),
    ("污染防治攻坚战领导小组办公室", "campaign_office", ["攻坚办"]),
]

#: Fictional enterprises (the sources issue adds their plants), as (county code, town, name).
ENTERPRISES = [
    ("410122", "韩寺镇", "中牟演示建材有限公司"),
    ("410122", "官渡镇", "中牟演示包装印刷有限公司"),
    ("410182", "乔楼镇", "荥阳演示耐火材料有限公司"),
    ("410183", "米村镇", "新密演示铸造有限公司"),
]
