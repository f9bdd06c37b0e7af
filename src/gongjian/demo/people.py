"""Demo step: one account per role, so that a visitor can see how scope works."""

from gongjian.regions.models import Role
from gongjian.regions.services import register_person

from .builder import DemoContext, demo_step

#: (username, role, region key, organisation, display name)
ACCOUNTS = [
    ("zz_office", Role.CAMPAIGN_OFFICE, "410100", "郑州市污染防治攻坚战领导小组办公室", "市攻坚办"),
    ("zz_bureau", Role.ENVIRONMENT_BUREAU, "410100", "郑州市生态环境局", "市生态环境局"),
    ("zz_transport", Role.DEPARTMENT, "410100", "郑州市交通运输局", "市交通运输局"),
    ("zm_office", Role.CAMPAIGN_OFFICE, "410122", "中牟县污染防治攻坚战领导小组办公室", "中牟县攻坚办"),
    ("xy_office", Role.CAMPAIGN_OFFICE, "410182", "荥阳市污染防治攻坚战领导小组办公室", "荥阳市攻坚办"),
    ("zm_hansi", Role.TOWN_GOVERNMENT, "中牟县/韩寺镇", "韩寺镇人民政府", "韩寺镇政府"),
    ("zm_enterprise", Role.ENTERPRISE, "中牟县/韩寺镇", "中牟演示建材有限公司", "中牟演示建材"),
    ("zz_public", Role.PUBLIC_REVIEWER, "410100", None, "公众监督员"),
]


@demo_step(order=30, name="people")
def build_people(ctx: DemoContext) -> None:
    for username, role, region, organisation, display in ACCOUNTS:
        person = register_person(
            username=username, password=None, role=role, jurisdiction=ctx.regions[region],
            organisation=ctx.organisations[organisation] if organisation else None, first_name=display,
        )
        ctx.people.append(person)
    ctx.progress(f"  {len(ctx.people)} demo accounts (passwords are set by `gongjian setup`)")
