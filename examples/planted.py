"""Planted scenarios for the synthetic province: for every rule of the contract, positives that must fire,
near-misses that must not, and entity-resolution traps. Each scenario uses its own ids (prefix X), so the
random background never touches it; `manifest` says what a correct sweep finds.
"""

from __future__ import annotations

from collections import defaultdict

from ..loaders.values import credit_check_char, id_check_char
from ..graph.vocabulary import DECISION_KIND


def rid(body17: str) -> str:
    return body17 + id_check_char(body17)


class Plant:
    def __init__(self) -> None:
        self.rows: dict[str, list[dict]] = defaultdict(list)
        self.manifest: list[dict] = []
        self.n = 0

    def person(self, name, id_number="", birth_date="", pid=None, **extra) -> str:
        self.n += 1
        pid = pid or f"XP{self.n:04d}"
        self.rows["people.csv"].append({"person_id": pid, "name": name, "id_number": id_number,
                                        "birth_date": birth_date, **extra})
        return pid

    def org(self, name, kind, region="330100", industry="", address="", phone="", oid=None) -> str:
        self.n += 1
        oid = oid or f"XO{self.n:04d}"
        body = f"91{region[:6]:0<6}{self.n:09d}"[:17]
        code = body + credit_check_char(body) if kind == "company" else ""
        self.rows["organizations.csv"].append({"org_id": oid, "name": name, "kind": kind, "credit_code": code,
                                               "region": region, "industry": industry, "address": address,
                                               "phone": phone})
        return oid

    def post(self, pid, oid, title, rank, start, end="", reason="", region="", portfolio=""):
        self.rows["positions.csv"].append({"person_id": pid, "org_id": oid, "title": title, "rank": rank,
                                           "start_date": start, "end_date": end, "end_reason": reason,
                                           "region": region, "portfolio": portfolio})

    def kin(self, pid, rel, relation):
        self.rows["relatives.csv"].append({"person_id": pid, "relative_id": rel, "relation": relation})

    def role(self, holder, oid, role, share="", start="", end="", reported_on=""):
        self.rows["company_roles.csv"].append({"holder_id": holder, "org_id": oid, "role": role, "share": share,
                                               "start_date": start, "end_date": end, "reported_on": reported_on})

    def decision(self, kind, date, agency, beneficiary, amount="", makers=(), title="", industry="") -> str:
        self.n += 1
        did = f"XD{self.n:04d}"
        self.rows["decisions.csv"].append({"decision_id": did, "kind": kind, "date": date, "agency_id": agency,
                                           "beneficiary_id": beneficiary, "amount": amount,
                                           "title": title or f"{DECISION_KIND.label(kind, 'zh')} {did}", "region": "",
                                           "industry": industry})
        for m in makers:
            self.rows["decision_makers.csv"].append({"decision_id": did, "person_id": m, "role": "approver"})
        return did

    def bid(self, tender, oid, amount="", won="false"):
        self.rows["bids.csv"].append({"tender_id": tender, "org_id": oid, "amount": amount, "won": won})

    def declare(self, pid, year, relative="", oid="", role=""):
        self.rows["declarations.csv"].append({"person_id": pid, "year": year, "relative_id": relative,
                                              "org_id": oid, "role": role})

    def expect(self, rule, scenario, fires, official="", org="", via=""):
        """fires: True (a finding), False (none), or "undated" (no finding; the rule lists the role as one it could
        not place for want of a start date, official_id holding it at org_id)."""
        self.manifest.append({"rule": rule, "scenario": scenario,
                              "fires": fires if fires == "undated" else "yes" if fires else "no",
                              "official_id": official, "org_id": org, "via_id": via})


def plant_all() -> Plant:
    p = Plant()
    agency = p.org("省住房和城乡建设厅", "agency", "330000")
    city = p.org("杭州市发展和改革委员会", "agency", "330100")

    # relative-business -----------------------------------------------------------------------
    o = p.person("周国平", rid("33010219650312101"), "1965-03-12")
    p.post(o, agency, "处长", "division", "2010-01-01", portfolio="construction")
    s = p.person("吴丽华", rid("33010219680101102"))
    p.kin(o, s, "配偶")
    c = p.org("浙江宏达建设工程有限公司", "company", "330106", "construction", "杭州市西湖区文三路100号",
              "0571-88000001")
    p.role(s, c, "shareholder", "0.55", "2015-06-01")
    p.decision("permit", "2021-04-10", agency, c, "3500000", [o])
    p.expect("relative-business", "spouse shareholder of the approved company", True, o, c, s)
    c2 = p.org("浙江后来居上科技有限公司", "company", "330106", "construction")
    p.role(s, c2, "director", "", "2021-05-01")
    p.decision("permit", "2021-04-11", agency, c2, "100000", [o])
    p.expect("relative-business", "near-miss: role taken after the decision", False, o, c2, s)
    friend = p.person("郑友")
    p.kin(o, friend, "other")
    c3 = p.org("友邻商贸有限公司", "company", "330106", "trade")
    p.role(friend, c3, "shareholder", "1")
    p.decision("contract", "2021-05-01", agency, c3, "200000", [o])
    p.expect("relative-business", "near-miss: relation other", False, o, c3, friend)
    # ER trap: the child appears in the registry under another id, with a 15-digit resident ID
    child = p.person("周晓", rid("33010219920808103"), "1992-08-08")
    p.kin(o, child, "child")
    child_reg = p.person("周晓", "330102920808103")
    c4 = p.org("晓风文化传媒有限公司", "company", "330106", "media")
    p.role(child_reg, c4, "legal_rep", "", "2019-01-01")
    p.decision("subsidy", "2022-02-02", agency, c4, "800000", [o])
    p.expect("relative-business", "entity resolution: child under a second id with a 15-digit ID", True, o, c4,
             child)
    # ER trap: a namesake of the spouse (same name, another resident ID) in the registry
    namesake = p.person("吴丽华", rid("33010619700202104"))
    c5 = p.org("同名贸易有限公司", "company", "330106", "trade")
    p.role(namesake, c5, "shareholder", "0.9")
    p.decision("permit", "2022-03-03", agency, c5, "50000", [o])
    p.expect("relative-business", "near-miss: namesake of the spouse", False, o, c5, namesake)
    # ER trap: a wrong check digit never merges
    bad = rid("33010219920808103")[:-1] + ("0" if rid("33010219920808103")[-1] != "0" else "1")
    child_bad = p.person("周晓", bad)
    c6 = p.org("错号科技有限公司", "company", "330106", "it")
    p.role(child_bad, c6, "shareholder", "0.5")
    p.decision("permit", "2022-04-04", agency, c6, "50000", [o])
    p.expect("relative-business", "near-miss: wrong check digit does not merge", False, o, c6, child_bad)
    # possible match: same name and birth date, no ID (reported, not merged)
    p.person("周国平", "", "1965-03-12")

    # indirect-relative-business ---------------------------------------------------------------
    o2 = p.person("钱文军", rid("33010219600505105"))
    p.post(o2, city, "主任", "bureau", "2012-01-01")
    bro = p.person("钱武军")
    p.kin(o2, bro, "sibling")
    h1 = p.org("钱塘投资控股有限公司", "company", "330100", "finance")
    h2 = p.org("钱塘实业有限公司", "company", "330100", "finance")
    tgt = p.org("钱塘新城置业有限公司", "company", "330104", "real estate")
    p.role(bro, h1, "shareholder", "0.8", "2015-01-01")
    p.role(h1, h2, "shareholder", "0.6", "2015-01-01")
    p.role(h2, tgt, "shareholder", "0.35", "2016-01-01")
    p.decision("land", "2020-09-09", city, tgt, "120000000", [o2])
    p.expect("indirect-relative-business", "sibling holds through two companies", True, o2, tgt, bro)
    weak = p.org("钱塘弱控股公司", "company", "330100", "finance")
    tgt2 = p.org("钱塘旁系公司", "company", "330104", "real estate")
    p.role(bro, weak, "shareholder", "0.9")
    p.role(weak, tgt2, "shareholder", "0.2")
    p.decision("land", "2020-10-10", city, tgt2, "90000000", [o2])
    p.expect("indirect-relative-business", "near-miss: a link below 0.25", False, o2, tgt2, bro)

    # self-dealing -----------------------------------------------------------------------------
    o3 = p.person("孙志强", rid("33010219700707106"))
    p.post(o3, city, "副主任", "division", "2015-01-01")
    own = p.org("志强物流有限公司", "company", "330102", "logistics")
    p.role(o3, own, "shareholder", "0.4", "2014-01-01")
    p.decision("subsidy", "2019-12-12", city, own, "600000", [o3])
    p.expect("self-dealing", "official is shareholder of the subsidised company", True, o3, own)
    ns = p.person("孙志强")
    own2 = p.org("同名物流有限公司", "company", "330102", "logistics")
    p.role(ns, own2, "legal_rep")
    p.decision("subsidy", "2019-12-13", city, own2, "100000", [o3])
    p.expect("self-dealing", "near-miss: namesake without resident ID", False, o3, own2)

    # post-retirement --------------------------------------------------------------------------
    env = p.org("杭州市生态环境局", "agency", "330100")
    o4 = p.person("李德明", rid("33010219580101107"))
    p.post(o4, env, "局长", "division", "2008-01-01", "2019-01-31", "retired", portfolio="environment")
    green = p.org("绿水环保科技有限公司", "company", "330105", "environment")
    p.decision("permit", "2017-06-06", env, green, "0", [o4])
    p.role(o4, green, "director", "", "2021-03-01")
    p.expect("post-retirement", "division rank joins an approved company after 2 years", True, o4, green)
    o5 = p.person("王小科", rid("33010219600202108"))
    p.post(o5, env, "科长", "section", "2008-01-01", "2019-01-31", "retired", portfolio="environment")
    blue = p.org("蓝天环保工程有限公司", "company", "330105", "environment")
    p.role(o5, blue, "executive", "", "2021-03-05")
    p.expect("post-retirement", "near-miss: section rank after 2 years", False, o5, blue)
    late = p.org("清源环境有限公司", "company", "330105", "environment")
    p.role(o4, late, "executive", "", "2022-03-01")
    p.expect("post-retirement", "near-miss: role after the cooling-off period", False, o4, late)

    # undisclosed-relative-business -----------------------------------------------------------
    o6 = p.person("赵海涛", rid("33010219660606109"))
    p.post(o6, city, "副主任", "bureau", "2016-01-01", portfolio="energy")
    wife = p.person("冯敏")
    p.kin(o6, wife, "spouse")
    hidden = p.org("海涛能源有限公司", "company", "330108", "energy")
    shown = p.org("敏捷咨询有限公司", "company", "330108", "consulting")
    p.role(wife, hidden, "shareholder", "0.3", "2020-01-01")
    p.role(wife, shown, "legal_rep", "", "2018-01-01")
    p.declare(o6, "2021", wife, shown, "legal_rep")
    p.expect("undisclosed-relative-business", "spouse's shareholding missing from the 2021 declaration", True, o6,
             hidden, wife)
    p.expect("undisclosed-relative-business", "near-miss: declared role", False, o6, shown, wife)
    # relative-in-jurisdiction (same official: bureau rank, portfolio energy, region 3301)
    p.expect("relative-in-jurisdiction", "bureau official's spouse holds an energy company in the city", True, o6,
             hidden, wife)
    o7 = p.person("韩处长", rid("33010219690909110"))
    p.post(o7, city, "处长", "division", "2016-01-01", portfolio="energy")
    son = p.person("韩小龙")
    p.kin(o7, son, "child")
    en2 = p.org("龙腾能源有限公司", "company", "330108", "energy")
    p.role(son, en2, "shareholder", "0.5", "2019-01-01")
    p.expect("relative-in-jurisdiction", "near-miss: division rank is below bureau", False, o7, en2, son)

    # bid-collusion ----------------------------------------------------------------------------
    boss = p.person("黄老板", rid("33010219750303111"))
    b1 = p.org("甲建筑工程有限公司", "company", "330110", "construction", "余杭区良渚路1号", "0571-86000001")
    b2 = p.org("乙建筑工程有限公司", "company", "330110", "construction", "余杭区良渚路2号", "0571 8600 0002")
    b3 = p.org("丙建筑工程有限公司", "company", "330110", "construction", "余杭区良渚路3号", "(0571)86000002")
    b4 = p.org("丁建筑工程有限公司", "company", "330110", "construction", "余杭区良渚路4号", "0571-86000004")
    p.role(boss, b1, "legal_rep")
    p.role(boss, b2, "shareholder", "0.6")
    tender = p.decision("procurement", "2022-06-01", city, b1, "9000000", [o3])
    for b, won in ((b1, "true"), (b2, "false"), (b3, "false"), (b4, "false")):
        p.bid(tender, b, "9000000", won)
    p.expect("bid-collusion", "two bidders share a boss", True, "", b1)
    p.expect("bid-collusion", "a bidder shares a phone (digits only)", True, "", b3)
    p.expect("bid-collusion", "near-miss: independent bidder", False, "", b4)
    agent_address = "滨江区江南大道3688号代理中心"
    shells = [p.org(f"注册代理壳公司{i:02d}", "company", "330108", "trade", agent_address) for i in range(55)]
    tender2 = p.decision("procurement", "2022-07-01", city, shells[0], "2000000", [o3])
    p.bid(tender2, shells[0], "2000000", "true")
    p.bid(tender2, shells[1], "2100000", "false")
    p.expect("bid-collusion", "near-miss: registered-agent address shared by 55 companies", False, "", shells[1])

    # split-decisions --------------------------------------------------------------------------
    o8 = p.person("马拆分", rid("33010219720404112"))
    p.post(o8, city, "科长", "section", "2015-01-01")
    sc = p.org("拆分工程有限公司", "company", "330102", "construction")
    for d in ("2023-03-01", "2023-03-20", "2023-04-15"):
        p.decision("contract", d, city, sc, "400000", [o8])
    p.expect("split-decisions", "three 400k contracts within 45 days", True, o8, sc)
    sc2 = p.org("分散工程有限公司", "company", "330102", "construction")
    for d in ("2023-01-01", "2023-06-01", "2023-11-01"):
        p.decision("contract", d, city, sc2, "400000", [o8])
    p.expect("split-decisions", "near-miss: contracts months apart", False, o8, sc2)

    # decision-concentration -------------------------------------------------------------------
    o9 = p.person("集中权", rid("33010219630808113"))
    p.post(o9, city, "处长", "division", "2010-01-01")
    fav = p.org("偏爱供应链有限公司", "company", "330102", "trade")
    others = [p.org(f"普通供应商{i}", "company", "330102", "trade") for i in range(5)]
    for i in range(7):
        p.decision("approval", f"2021-0{i + 1}-15", city, fav, "10000", [o9])
    for i, oth in enumerate(others):
        p.decision("approval", f"2021-0{i + 1}-20", city, oth, "10000", [o9])
    p.expect("decision-concentration", "7 of 12 decisions to one company", True, o9, fav)
    o10 = p.person("少量权", rid("33010219640909114"))
    p.post(o10, city, "科员", "staff", "2010-01-01")
    few = p.org("少量供应商有限公司", "company", "330102", "trade")
    for i in range(8):
        p.decision("approval", f"2021-0{i + 1}-10", city, few, "10000", [o10])
    p.expect("decision-concentration", "near-miss: only 8 decisions", False, o10, few)

    # village-relatives ------------------------------------------------------------------------
    village = p.org("青山村村民委员会", "village", "330110001")
    cadre = p.person("林书记", rid("33010219610101115"))
    p.post(cadre, village, "村党支部书记", "village", "2015-01-01")
    sis = p.person("林大姐")
    p.kin(cadre, sis, "sibling")
    p.decision("subsidy", "2022-05-05", village, sis, "60000", [cadre], "低保补助")
    p.expect("village-relatives", "subsidy to the cadre's sister's household", True, cadre, "", sis)
    coop = p.org("青山茶叶合作社有限公司", "company", "330110", "agriculture")
    nephew = p.person("林侄")
    p.kin(cadre, nephew, "other")
    p.role(sis, coop, "legal_rep")
    p.decision("contract", "2022-06-06", village, coop, "300000", [cadre], "茶园改造工程")
    p.expect("village-relatives", "contract to a company run by the cadre's sister", True, cadre, coop, sis)
    stranger = p.person("陌生村民")
    p.decision("subsidy", "2022-05-06", village, stranger, "60000", [cadre], "低保补助")
    p.expect("village-relatives", "near-miss: unrelated villager", False, cadre, "", stranger)

    # nepotism ---------------------------------------------------------------------------------
    hr = p.org("某县人力资源和社会保障局", "agency", "330122")
    o11 = p.person("任人唯", rid("33010219590303116"))
    p.post(o11, hr, "局长", "division", "2012-01-01")
    kid = p.person("任小唯", rid("33010219900303117"))
    p.kin(o11, kid, "child")
    p.decision("appointment", "2020-08-01", hr, kid, "", [o11], "事业单位招聘")
    p.expect("nepotism", "official approves the appointment of his child", True, o11, hr, kid)
    outsider = p.person("应聘者")
    p.decision("appointment", "2020-08-02", hr, outsider, "", [o11], "事业单位招聘")
    p.expect("nepotism", "near-miss: appointment of a stranger", False, o11, hr, outsider)
    plant_registers(p, agency=agency, city=city, env=env, cadre=cadre, self_dealer=o3, own=own)
    return p


def plant_registers(p: Plant, *, agency: str, city: str, env: str, cadre: str, self_dealer: str, own: str) -> None:
    """What real registers bring: returns to office, employers that are not companies, portfolios of every
    industry, roles known only from when a source recorded them; and the rules that check them."""
    # post-retirement: back in office, in a gap between posts, a portfolio of *, an institution, an undated role --
    back = p.person("郑回任", rid("33010219620505118"))
    p.post(back, env, "副局长", "division", "2019-01-01", "2021-09-16", "transferred", portfolio="environment")
    p.post(back, env, "局长", "division", "2022-10-26", "2023-11-13", "retired", portfolio="environment")
    water = p.org("清波水务有限公司", "company", "330105", "water")
    p.decision("permit", "2020-05-01", env, water, "0", [back])
    p.role(back, water, "director", "", "2023-07-20")
    p.expect("post-retirement", "near-miss: the role starts back in office (left 2021-09-16, returned 2022-10-26)",
             False, back, water)
    p.expect("in-office-business", "a director's seat taken back in office", True, back, water)
    gap = p.org("碧波环境工程有限公司", "company", "330105", "environment")
    p.role(back, gap, "executive", "", "2022-03-01", "2022-10-01")
    p.expect("post-retirement", "a role taken in the gap between two posts", True, back, gap)
    p.expect("in-office-business", "near-miss: a role held only between two posts", False, back, gap)
    mayor = p.person("吴副市长", rid("33010219600606119"))
    p.post(mayor, city, "副市长", "bureau", "2012-01-01", "2020-12-31", "retired", portfolio="*")
    inn = p.org("西湖餐饮管理有限公司", "company", "330106", "catering")
    p.role(mayor, inn, "director", "", "2022-01-10")
    p.expect("post-retirement", "a portfolio of * covers any industry in the jurisdiction", True, mayor, inn)
    college = p.org("浙江某某职业技术学院", "institution", "330106", "education")
    p.role(mayor, college, "adviser", "", "2021-06-01")
    p.expect("post-retirement", "near-miss: an institution is not a company under the default org_kinds", False,
             mayor, college)
    fund = p.org("湖畔投资咨询有限公司", "company", "330106", "finance")
    p.role(mayor, fund, "executive", reported_on="2022-05-01")
    p.expect("post-retirement", "a role with no start date, first recorded after leaving office", "undated", mayor,
             fund)

    # in-office-business ---------------------------------------------------------------------------------------
    p.expect("in-office-business", "the self-dealing official holds shares while in post", True, self_dealer, own)
    o12 = p.person("钱在职", rid("33010219700101120"))
    p.post(o12, city, "科长", "section", "2016-01-01")
    stake = p.org("在职投资有限公司", "company", "330102", "finance")
    p.role(o12, stake, "shareholder", "0.3", "2018-01-01")
    p.expect("in-office-business", "a section chief holds shares while in post", True, o12, stake)
    guild = p.org("某某物流行业协会", "association", "330102")
    p.role(o12, guild, "director", "", "2018-01-01")
    p.expect("in-office-business", "near-miss: a seat on an association's board", False, o12, guild)
    shop = p.org("在职贸易有限公司", "company", "330102", "trade")
    p.role(o12, shop, "adviser", "", "2018-01-01")
    p.expect("in-office-business", "near-miss: an adviser role", False, o12, shop)
    quiet = p.org("在职咨询有限公司", "company", "330102", "consulting")
    p.role(o12, quiet, "legal_rep", reported_on="2019-03-01")
    p.expect("in-office-business", "a role with no start date, first recorded while in post", "undated", o12, quiet)
    farm = p.org("青山农业开发有限公司", "company", "330110", "agriculture")
    p.role(cadre, farm, "shareholder", "0.5", "2016-01-01")
    p.expect("in-office-business", "near-miss: a village cadre", False, cadre, farm)

    # sole-major-decision --------------------------------------------------------------------------------------
    o13 = p.person("独断者", rid("33010219660606121"))
    p.post(o13, agency, "副厅长", "bureau", "2015-01-01")
    alone = p.org("独断置业有限公司", "company", "330106", "real estate")
    p.decision("land", "2022-08-08", agency, alone, "8000000", [o13], "东区地块出让")
    p.expect("sole-major-decision", "an 8,000,000 yuan land decision with one maker", True, o13, alone)
    board = p.person("班子成员", rid("33010219670707122"))
    together = p.org("集体置业有限公司", "company", "330106", "real estate")
    p.decision("land", "2022-08-09", agency, together, "8000000", [o13, board], "西区地块出让")
    p.expect("sole-major-decision", "near-miss: decided by two", False, o13, together)
    small = p.org("小额补助有限公司", "company", "330106", "agriculture")
    p.decision("subsidy", "2022-08-10", agency, small, "4000000", [o13], "农业补助")
    p.expect("sole-major-decision", "near-miss: below 5,000,000 yuan", False, o13, small)
    twin = p.person("独断者", "330102660606121")  # o13 again, with a 15-digit resident ID
    supplier = p.org("独断设备有限公司", "company", "330106", "construction")
    p.decision("procurement", "2022-08-11", agency, supplier, "6000000", [o13, twin], "设备采购")
    p.expect("sole-major-decision", "entity resolution: two records of one person are one maker", True, o13,
             supplier)
