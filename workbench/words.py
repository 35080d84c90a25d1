"""Every word the workbench shows that is not data, in Chinese and English: one table of UI words here (its inbox
and exploration groups in words_inbox.py and words_explore.py), and the vocabularies' labels (relations, roles,
ranks, kinds, severities, triage statuses) from graph/vocabulary.py, through govties.api. A key missing from the
table is an error (a page never shows half a translation)."""

from __future__ import annotations

from ..api import COLON, DISCLAIMER, column_title, EDGE_TYPE, LANGS, ORG_KIND, SEVERITY, TRIAGE_STATUS, VOCABULARIES
from ..api import edge_word as view_edge_word, match_reason as view_match_reason
from ..errors import said
from ..titles import EVIDENCE_CHANGE
from .words_explore import EXPLORE
from .words_inbox import INBOX

UI: dict[str, tuple[str, str]] = {
    # navigation and common
    "app": ("govties 线索工作台", "govties workbench"),
    "inbox": ("线索", "Findings"),
    "cases": ("案件", "Cases"),
    "search": ("查找", "Search"),
    "explore": ("关系探索", "Explore"),
    "warnings": ("异常预警", "Early warning"),
    "evaluation": ("量化评价", "Evaluation"),
    "logout": ("退出", "Log out"),
    "login": ("登录", "Log in"),
    "user": ("用户", "User"),
    "password": ("密码", "Password"),
    "role": ("角色", "Role"),
    "role_viewer": ("只读", "Viewer"),
    "role_investigator": ("核查人员", "Investigator"),
    "language": ("English", "中文"),
    "masked": ("身份证号和电话已脱敏", "Resident IDs and phones masked"),
    "save": ("保存", "Save"),
    "apply": ("筛选", "Apply"),
    "reset": ("清除", "Reset"),
    "add": ("添加", "Add"),
    "remove": ("移除", "Remove"),
    "create": ("新建", "Create"),
    "print": ("打印 / 另存为PDF", "Print / save as PDF"),
    "none": ("无", "None"),
    # between a word and its value (承办人：王调查, Assignee: wang): declared once, used by every page and script
    "colon": (COLON["zh"], COLON["en"]),
    "all": ("全部", "All"),
    "list_sep": ("、", ", "),  # between the names of a list (甲、乙和丙 / A, B and C), and before its last
    "list_and": ("和", " and "),
    "more": ("另有{n}条未列出", "{n} more not listed"),
    "previous": ("上一页", "Previous"),
    "next": ("下一页", "Next"),
    "page_of": ("第{page}页，共{pages}页（{total}条）", "Page {page} of {pages} ({total})"),
    "recorded_sweep": (
        "最近一次扫描：{at}（数据截至{as_of}，{n}条线索）",
        "Latest sweep: {at} (data as of {as_of}, {n} finding(s))",
    ),
    "times_in": ("本页时间均按{zone}显示", "Times on this page are in {zone}"),
    "at_zone": ("{at}（{zone}）", "{at} ({zone})"),  # a printed sheet's time, with the offset it is shown in
    "no_sweep": ("尚无扫描记录：请运行 govties sweep", "No sweep recorded yet: run govties sweep"),
    "recording": (
        "扫描结果正在写入（{n}条），页面可能不完整",
        "A sweep is being recorded ({n} findings); pages may be incomplete",
    ),
    "error": ("出错了", "Something went wrong"),
    "not_found": ("未找到", "Not found"),
    "no_case": ("没有编号为“{id}”的案件。", "No case {id}."),
    "no_finding": ("没有编号为“{id}”的已记录线索。", "No recorded finding {id}."),
    "forbidden": ("没有权限", "Not allowed"),
    "refused": ("请求被拒绝", "Request refused"),
    "no_page": ("没有这个页面。请检查地址，或从导航栏进入。", "There is no such page. Check the address, or use the "
                "navigation."),
    "wrong_method": ("这个地址不能直接打开：它只接收页面上表单提交的内容。",
                     "This address is not a page to open: it only takes what a form on a page sends."),
    "back": ("返回", "Back"),
    "csrf_refused": (
        "请求缺少有效的安全令牌，已拒绝。请刷新页面后重试。",
        "The request had no valid security token and was refused. Reload the page and try again.",
    ),
    "origin_refused": (
        "请求来自其他地址（{origin}），不是本工作台的页面，已拒绝。请在本工作台自己的地址打开页面后重试；"
        "经反向代理访问时，启动 govties serve 需用 --public-url 指明大家打开的地址。",
        "The request came from another address ({origin}), not from this workbench's own pages, and was refused. "
        "Open the workbench at its own address and try again; behind a reverse proxy, start govties serve with "
        "--public-url naming the address people open.",
    ),
    "length_required": ("请求没有注明长度（Content-Length），已拒绝。请在本工作台的页面上提交。",
                        "The request did not say its length (Content-Length) and was refused. Send it from a page "
                        "of this workbench."),
    "too_large": ("请求超过{mb} MB，已拒绝（导入的核查文件最大{upload} MB）。",
                  "The request is larger than {mb} MB and was refused (a triage file to import holds at most "
                  "{upload} MB)."),
    "read_only": ("只读账户不能修改。", "A viewer account cannot change anything."),
    "login_failed": ("用户名或密码错误。", "Wrong user name or password."),
    "login_needed": ("请先登录。", "Please log in."),
    **INBOX,  # the inbox's words (words_inbox.py)
    # finding
    "finding": ("线索", "Finding"),
    "explanation": ("说明", "Explanation"),
    "basis": ("依据", "Legal basis"),
    "description": ("规则说明", "What the rule finds"),
    "evidence": ("证据", "Evidence"),
    "evidence_graph": ("证据关系图", "Evidence graph"),
    "decisions": ("决定事项", "Decisions"),
    "from": ("起点", "From"),
    "to": ("终点", "To"),
    "type": ("类型", "Type"),
    "label": ("内容", "What"),
    "share": ("持股比例", "Share"),
    "start": ("开始", "Start"),
    "end": ("结束", "End"),
    "source": ("来源记录", "Source records"),
    "triage": ("核查", "Triage"),
    "note": ("备注", "Note"),
    "history": ("变更记录", "History"),
    "who": ("操作人", "Who"),
    "when": ("时间", "When"),
    "field": ("字段", "What"),
    "before": ("原值", "Before"),
    "field_status": ("状态", "Status"),
    "field_assignee": ("承办人", "Assignee"),
    "field_note": ("备注", "Note"),
    "field_fingerprint": ("证据指纹", "Evidence fingerprint"),
    "field_created": ("立案", "Created"),
    "field_member": ("线索", "Finding"),
    "field_title": ("标题", "Title"),
    "field_watch": ("关注", "Watch"),
    "field_role": ("角色", "Role"),
    "field_password": ("密码", "Password"),
    "field_removed": ("删除账户", "Account removed"),
    "changed": ("已更改", "Changed"),
    "after": ("新值", "After"),
    "stale": ("保存被拒绝", "Save refused"),
    "stale_detail": (
        "在您打开之后，{who}于{at}修改了该线索，您的修改没有保存。表单中已换上对方修改后的内容，您改动过的项目仍保留您"
        "填写的内容；确认后再次保存即可。",
        "{who} changed this finding at {at} after you opened it; your change was not saved. The form now holds their "
        "version, with what you changed still as you entered it: check it and save again."
    ),
    "stale_both": ("{who}也修改了{fields}；表单中保留的是您填写的内容，再次保存将以您的为准。",
                   "{who} changed {fields} too: the form keeps what you entered there, and saving again replaces "
                   "theirs."),
    "stale_status": ("核查状态（现为“{value}”）", 'the status (now "{value}")'),
    "stale_assignee": ("承办人（现为“{value}”）", 'the assignee (now "{value}")'),
    "stale_assignee_empty": ("承办人（现为空）", "the assignee (now empty)"),
    "stale_note": ("备注（现为“{value}”）", 'the note (now "{value}")'),
    "stale_note_empty": ("备注（现为空）", "the note (now empty)"),
    "saved": ("已保存", "Saved"),
    "changes_since": ("核查以来证据的变化", "What changed in the evidence since triage"),
    "changes_item": ("项目", "Item"),
    "then": ("核查时", "At triage"),
    "now": ("现在", "Now"),
    **{f"ev_{t.id}": (t.zh, t.en[:1].upper() + t.en[1:]) for t in EVIDENCE_CHANGE.terms},  # titles.py's words
    "case_actions": ("案件", "Cases"),
    "in_cases": ("所属案件", "In cases"),
    "group_official": ("按该公职人员建案（{n}条线索）", "New case for this official ({n} finding(s))"),
    "group_company": ("按该企业建案（{n}条线索）", "New case for this company ({n} finding(s))"),
    "group_ring": ("按该串标圈建案（{n}条线索）", "New case for this bid ring ({n} finding(s))"),
    "add_to_case": ("加入已有案件", "Add to an existing case"),
    "choose_case": ("请选择案件", "Choose a case"),
    "case_sep": ("；", "; "),  # between the titles of cases (a title may hold 、 and commas)
    "saved_by": ("最近保存：{who} · {at}", "Last saved by {who} · {at}"),
    "case_sheet": ("案件材料", "Case sheet"),
    "finding_sheet": ("线索材料", "Finding sheet"),
    "print_sheet_hint": ("本页打印时不含证据关系图；完整的线索材料（含关系图）请打开“线索材料”页（{url}）打印。",
                         "Printed, this page leaves out the evidence graph; for the whole finding sheet, graph "
                         "included, open the Finding sheet page ({url}) and print it."),
    "explore_this": ("在关系图中探索", "Explore in the graph"),
    "lead": (DISCLAIMER["zh"], DISCLAIMER["en"]),
    "evidence_kind_open": ("打开", "Opened"),
    "kind_open": ("查看", "Opened"),
    "kind_triage": ("核查", "Triage"),
    "kind_import": ("导入", "Import"),
    "kind_evidence": ("证据变化", "Evidence"),
    "kind_case": ("案件", "Case"),
    "kind_note": ("办案记录", "Note"),  # a note of the page's log (办案记录 / Notes), not a triage's note (核查 · 备注)
    "kind_watch": ("关注", "Watch"),
    "kind_account": ("账户", "Account"),
    "audit": ("查看记录", "Opened by"),
    "opened_times": ("{n}次，最近{at}", "{n} time(s), last {at}"),
    # cases
    "case": ("案件", "Case"),
    "title": ("名称", "Title"),
    "kind": ("类别", "Kind"),
    "case_kind_official": ("按公职人员", "By official"),
    "case_kind_company": ("按企业", "By company"),
    "case_kind_ring": ("按串标圈", "By bid ring"),
    "case_kind_manual": ("手工", "By hand"),
    "case_status": ("办理状态", "Case status"),
    "case_open": ("办理中", "Open"),
    "case_closed": ("已办结", "Closed"),
    "created": ("创建", "Created"),
    "members": ("线索", "Findings"),
    "notes": ("办案记录", "Notes"),
    "add_note": ("添加记录", "Add note"),
    "note_not_saved": ("您填写的记录（未保存，可从此处复制）", "Your note, not saved (copy it from here)"),
    "no_cases": ("还没有案件。在线索页按公职人员、企业或串标圈建案，或在线索列表中选中线索后“用选中线索新建案件”。",
                 "No cases yet. Make one from a finding's page (for its official, company or bid ring), or select "
                 "findings in the inbox and choose \"New case from selection\"."),
    "new_case": ("新建案件", "New case"),
    "resolved": ("最新扫描中已不存在", "No longer found by the latest sweep"),
    "stale_case": (
        "在您打开之后，{who}于{at}修改了该案件，您的修改没有保存。请查看后再次操作。",
        "{who} changed this case at {at} after you opened it; your change was not saved. "
        "Check the case and try again."
    ),
    "close_case": ("办结", "Close"),
    "reopen_case": ("重新办理", "Reopen"),
    "stale_remove": (
        "在您打开之后，{who}于{at}已将线索“{finding}”移出该案件，无需再次移除。请查看后再操作。",
        "{who} removed the finding “{finding}” from this case at {at}, after you opened it: there is nothing more to "
        "remove. Check the case and try again."
    ),
    "closed_read_only": ("案件已办结，只读；重新办理后才能修改。",
                         "This case is closed and read-only: reopen it to change it."),
    "rename": ("重命名", "Rename"),
    "case_history": ("本案件的变更记录", "This case's history"),
    "finding_history": ("本线索的变更记录", "This finding's history"),
    "no_history": ("尚无变更记录", "No changes recorded yet"),
    # said of 1 or more findings alike: the noun agrees with the count (filled), and no verb has to
    "news_official": ("建案以来又记录了{n}条涉及该公职人员的线索，尚未加入本案件。",
                      "Since this case was made, sweeps recorded {n} more finding(s) about this official, not yet "
                      "in this case."),
    "news_company": ("建案以来又记录了{n}条涉及该企业的线索，尚未加入本案件。",
                     "Since this case was made, sweeps recorded {n} more finding(s) about this company, not yet in "
                     "this case."),
    "news_ring": ("建案以来又记录了{n}条涉及该串标圈的线索，尚未加入本案件。",
                  "Since this case was made, sweeps recorded {n} more finding(s) about this bid ring, not yet in "
                  "this case."),
    "add_news": ("将这{n}条线索加入本案件", "Add the {n} finding(s) to this case"),
    "news_reopen": ("重新办理后可加入。", "Reopen the case to add them."),
    "join_official": ("加入该公职人员的案件“{title}”", "Add to this official's case “{title}”"),
    "join_company": ("加入该企业的案件“{title}”", "Add to this company's case “{title}”"),
    "join_ring": ("加入该串标圈的案件“{title}”", "Add to this bid ring's case “{title}”"),
    "joined_closed_official": ("该公职人员的案件“{title}”已办结，重新办理后可加入",
                               "This official's case “{title}” is closed: reopen it to add this finding"),
    "joined_closed_company": ("该企业的案件“{title}”已办结，重新办理后可加入",
                              "This company's case “{title}” is closed: reopen it to add this finding"),
    "joined_closed_ring": ("该串标圈的案件“{title}”已办结，重新办理后可加入",
                           "This bid ring's case “{title}” is closed: reopen it to add this finding"),
    # a bid ring's case as its title names it (routes_cases.ring_title)
    "ring_title": ("{bidders}串标圈（{tenders}）", "Bid ring of {bidders} ({tenders})"),
    "selection_title": ("涉及{names}的线索", "Findings on {names}"),
    "names_more": ("{names}等{n}方", "{names} and {more} more"),
    "ring_bidders_more": ("{names}等{n}家投标人", "{names} and {more} more"),
    "ring_tender": ("招标{ids}", "tender {ids}"),
    "ring_tenders": ("招标{ids}", "tenders {ids}"),
    "ring_tenders_more": ("招标{ids}等{n}次", "tenders {ids} and {more} more"),
    # entities
    "search_hint": ("姓名、拼音、身份证号、信用代码或编号", "Name, pinyin, resident ID, credit code or id"),
    "add_hint": ("姓名、拼音、证件号或编号", "Name, pinyin, ID or code"),  # the same search, in the explore bar's room
    "add_hint_masked": ("姓名、拼音或编号", "Name, pinyin or code"),  # masked: no ID search (said in its title)
    "search_hint_masked": ("姓名、拼音或编号（不查身份证号）",
                           "Name, pinyin or id (no resident ID search)"),  # masked: said by the banner
    "results": ("查找结果", "Results"),
    "matched": ("匹配项", "Matched by"),
    "matched_id": ("编号", "Id"),
    "matched_name": ("名称", "Name"),
    "matched_alias": ("别名", "Alias"),
    "matched_resident_id": ("身份证号", "Resident ID"),
    "matched_credit_code": ("统一社会信用代码", "Credit code"),
    "matched_resident_id_part": ("身份证号片段", "Part of the resident ID"),
    "matched_credit_code_part": ("统一社会信用代码片段", "Part of the credit code"),
    "matched_pinyin": ("拼音", "Pinyin"),
    "matched_simplified": ("简体名称", "Name in simplified characters"),
    "matched_traditional": ("繁体名称", "Name in traditional characters"),
    "no_results": ("未找到", "Nothing found"),
    "read_as_resident_id": ("按身份证号查找", "Read as a resident ID"),
    "read_as_credit_code": ("按统一社会信用代码查找", "Read as a credit code"),
    "read_as_resident_id_part": ("按身份证号片段查找", "Read as part of a resident ID"),
    "read_as_credit_code_part": ("按统一社会信用代码片段查找", "Read as part of a credit code"),
    "read_as_pinyin": ("按拼音查找", "Read as pinyin"),
    "read_as_simplified": ("按简体字查找", "Read in simplified characters"),
    "read_as_traditional": ("按繁体字查找", "Read in traditional characters"),
    "no_pinyin": ("本工作台未启用拼音查找：请用汉字查找，或请管理员安装姓名扩展（pip install 'govties[names]'）。",
                  "Pinyin search is not set up on this workbench: search in Chinese characters, or ask its "
                  "administrator to install the names extra (pip install 'govties[names]')."),
    "no_script": ("本工作台未启用繁简体互查（如以“周國平”查“周国平”）：请按数据中的写法查找，或请管理员安装姓名扩展"
                  "（pip install 'govties[names]'）。",
                  "Finding a name typed in the other script (周國平 for 周国平) is not set up on this workbench: "
                  "search as the data writes it, or ask its administrator to install the names extra "
                  "(pip install 'govties[names]')."),
    "login_wait": ("登录失败次数过多：请{seconds}秒后再试。",
                   "Too many failed logins: try again in {seconds} second(s)."),
    "masked_search": ("已脱敏：不按身份证号、电话等6位以上连续数字查找（这些字词被忽略）。",
                      "Masked: no search by resident ID, phone or any 6 or more digits in a row (such words are "
                      "left out)."),
    "person": ("人员", "Person"),
    "organization": ("单位", "Organization"),
    "decision": ("决定", "Decision"),
    "details": ("基本信息", "Details"),
    "posts": ("任职", "Posts"),
    "relatives": ("亲属", "Relatives"),
    "roles": ("企业任职/持股", "Company roles"),
    "findings": ("相关线索", "Findings"),
    "timeline": ("时间线", "Timeline"),
    "records": ("来源记录", "Source records"),
    "merged": ("已合并的记录", "Merged records"),
    "possible": ("可能是同一人（未合并）", "Possible matches (not merged)"),
    "file": ("文件/工作表", "File or sheet"),
    "line": ("行", "Line"),
    "record_id": ("记录编号", "Record id"),
    "key_id": ("证件号码", "ID / code"),
    "birth_date": ("出生日期", "Birth date"),
    "reason": ("原因", "Reason"),
    "org_title": ("职务", "Title"),
    "rank": ("职级", "Rank"),
    "end_reason": ("离任原因", "Left because"),
    "relation": ("关系", "Relation"),
    "holder": ("持有人", "Holder"),
    "date": ("日期", "Date"),
    "how": ("参与方式", "Part"),
    "makers": ("决策参与人", "Decision makers"),
    "maker_role": ("参与身份", "Took part as"),
    "watch": ("关注", "Watch"),
    "unwatch": ("取消关注", "Stop watching"),
    "watching": ("已关注", "Watching"),
    "id": ("编号", "Id"),
    "name": ("名称", "Name"),
    "aliases": ("别名", "Aliases"),
    "source_ids": ("来源编号", "Source ids"),
    "gender": ("性别", "Gender"),
    "credit_code": ("统一社会信用代码", "Credit code"),
    "industry": ("行业", "Industry"),
    "address": ("地址", "Address"),
    "phone": ("电话", "Phone"),
    "founded_on": ("成立日期", "Founded"),
    "id_number": ("身份证号", "Resident ID"),
    "title_d": ("事项", "Title"),
    "beneficiary": ("受益方", "Beneficiary"),
    "tl_post_start": ("任职", "Took post"),
    "tl_post_end": ("离任", "Left post"),
    "tl_role_start": ("企业任职/持股开始", "Role began"),
    "tl_role_end": ("企业任职/持股结束", "Role ended"),
    "tl_kin_start": ("亲属关系开始", "Kinship began"),
    "tl_decision": ("决定", "Decision"),
    "tl_finding": ("线索", "Finding"),
    "tl_finding_open": ("线索（持续至今）", "Finding (still ongoing)"),
    "how_DECIDED": ("参与决定", "Decided"),
    "how_BENEFITS": ("受益", "Benefited"),
    "how_ISSUED_BY": ("作出机关", "Issued"),
    "how_BID": ("投标", "Bid"),
    **EXPLORE,  # the exploration page's words (words_explore.py)
    # early warning
    "new_since": ("自{since}（上次标记已读时，从未标记则为首次访问时）以来的新情况，标记已读前一直保留",
                  "New since {since} (when you last marked all as seen; never marked: your first visit); kept "
                  "until you mark it seen"),
    "first_visit": ("首次访问：以下是全部线索中最新的；此后新增的线索在此列出，直至标记已读",
                    "First visit: the most recent findings; what is found from now on is listed here until you mark "
                    "it seen"),
    "new_findings": ("新线索", "New findings"),
    "showing_latest": ("显示最新的{n}条，共{total}条。", "The latest {n} of {total} are shown."),
    "all_in_inbox": ("在线索列表中查看全部", "See them all in the inbox"),
    "scope_since": ("{since}以来新增或证据有变化的线索", "Findings new or changed since {since}"),
    "scope_entity": ("涉及{name}的线索", "Findings about {name}"),
    "scope_entity_tip": ("证据中有该对象，或其为线索的机关单位、公职人员或企业",
                         "It is in the evidence, or it is the finding's agency, official or company"),
    "findings_in_inbox": ("在线索列表中查看（{n}条）", "Open in the inbox ({n} finding(s))"),
    "scope_clear": ("取消", "Clear"),
    "region_read": ("地区{given}按{read}筛选：线索按机关单位所在地市归档，省级机关归于省。",
                    "Region {given} is read as {read}: findings are filed under their agency's prefecture, a "
                    "provincial department's under its province."),
    "changed_findings": ("证据变化的线索", "Findings whose evidence changed"),
    "watched": ("关注对象", "What you watch"),
    "watched_new": ("关注对象的新情况", "New for what you watch"),
    "mark_seen": ("标记为已读", "Mark all as seen"),
    "nothing_new": ("没有新情况", "Nothing new"),
    "no_watches": ("尚未关注任何人员或单位：在实体页点击“关注”。",
                   "You watch nobody yet: use Watch on an entity page."),
    # evaluation
    "eval_agencies": ("机关单位排名", "Agencies ranked"),
    "eval_regions": ("地区排名", "Regions ranked"),
    # the ranked tables' columns, titled in Chinese as the files title them
    "index": (column_title("index_per_10_officials", "zh"), "Weighted facts per 10 officials"),
    "weighted": (column_title("weighted", "zh"), "Weighted facts"),
    "officials_count": (column_title("officials", "zh"), "Officials"),
    "findings_count": (column_title("findings", "zh"), "Findings"),
    "flagged": (column_title("officials_flagged", "zh"), "Officials flagged"),
    "flagged_share": (column_title("flagged_share", "zh"), "Share flagged"),
    "trend": ("逐年趋势", "Trend by year"),
    "trend_scroll": ("← 表格比页面宽：向左滑动查看更早的年份（地区或单位一列保持不动）",
                     "← Wider than the page: scroll the table left for earlier years (the units' column stays)"),
    "trend_last": ("显示最近{n}年（线索所在年份为{first}—{last}年，共{total}年）。",
                   "The last {n} years are shown (the findings span {first}–{last}, {total} years)."),
    "trend_every": ("显示{first}—{last}年全部{total}年（无线索的年份为0）。",
                    "Every year from {first} to {last} is shown ({total}; a year without findings reads 0)."),
    "trend_all": ("显示全部年份", "Show every year"),
    "trend_fewer": ("只显示最近{n}个年份", "Show the last {n} only"),
    "compare": ("两个时期对比", "Two periods compared"),
    "compare_note_agencies": ("列出在任一时期有线索的单位（共{n}个{shown}），改善最多的在前。",
                              "Agencies with findings in either period: {n}{shown}; the most improved first."),
    "compare_note_regions": ("列出在任一时期有线索的地区（共{n}个{shown}），改善最多的在前。",
                             "Regions with findings in either period: {n}{shown}; the most improved first."),
    "compare_quiet": ("{years}年没有线索，其指数均为0。", "{years} has no findings: every index there is 0."),
    "compare_after": ("{years}年晚于数据截止日期（{as_of}），没有线索，其指数均为0。",
                      "{years} is after the data's date ({as_of}): no findings, every index there is 0."),
    # a period given in the address that is no year (?b=abc): said, beside the year compared instead
    "compare_not_year": ("{period}“{given}”不是年份，已改为比较{year}年。",
                         "{period}: '{given}' is not a year; {year} is compared."),
    "compare_same": ("两个时期是同一年，没有变化可比。",
                     "Both periods are the same year: there is no change to compare."),
    "ranking_note_agencies": ("共{n}个单位参与排名{zero}{shown}。", "{n} agency(ies) ranked{zero}{shown}."),
    "ranking_gap": ("“未登记地区”一行汇总未登记地区代码的机关单位的线索，列于末尾，不参与排名。",
                    "The row (none) holds the findings of agencies that record no region: listed last, not ranked."),
    "ranking_note_regions": ("共{n}个地区参与排名{zero}{shown}。", "{n} region(s) ranked{zero}{shown}."),
    "ranking_unflagged": ("，其中{n}个无线索（指数为0）", ", {n} of them without findings (index 0)"),
    "compare_shown": ("，显示前{n}个", ", the first {n} shown"),
    "period_a": ("时期一", "Period 1"),
    "period_b": ("时期二", "Period 2"),
    # a value said beside a word, in parentheses: full-width in Chinese (时期一（2023）), "Period 1 (2023)"
    "aside": ("{word}（{value}）", "{word} ({value})"),
    "change": ("变化", "Change"),
    "improved": ("改善", "improved"),
    "worse": ("恶化", "worse"),
    "rank_no": (column_title("rank", "zh"), "Rank"),
    "eval_note": (
        "指数 = 事实按风险等级加权（高3、中2、低1，同一事实的多条线索只计一次）÷ 公职人员数 × 10。"
        "公职人员数为在该单位任职的人员加上其线索涉及的公职人员，同一人只计一次；"
        "地区为区内全部机关单位和村（社区）的这些人员，无论有无线索。"
        "排名按全部时期计算，逐年趋势和两期对比按当年任职的人员计算；线索按证据最近日期计入年份。",
        "Index = weighted facts per 10 officials. Facts are weighted by severity (high 3, medium 2, low 1); "
        "findings that share a fact count once. An agency's officials are the people who held a post there, plus "
        "any official its findings name, each counted once. A region's officials are those of every agency and "
        "village in it, those without findings included. The ranking covers all years; the trend and the two "
        "periods count the people who held posts in each year. A finding counts in the year its evidence ends.",
    ),
    "level": ("对象", "Units"),
}


def edge_word(edge_type: str | None, label: str | None, lang: str) -> str:
    """An edge's label as shown: the word the static views label it with (a relation, a role, a post's title,
    受益 / benefits, 作出机关 / issued by ...), and for a shared address or phone the value shared."""
    if edge_type in ("SHARES_ADDRESS", "SHARES_PHONE") and label:
        return label
    return view_edge_word(edge_type, label, lang)


def match_reason(code: str | None, lang: str) -> str:
    """Why a possible match is listed, as `govties resolve` says it (the page's heading says it was not merged)."""
    return view_match_reason(code, lang, noted=False) if code else ""


def word(key: str, lang: str, **values: object) -> str:
    """A UI word in the page's language; values fill its {placeholders} (errors.said: a text value with its control
    characters escaped, so that an id typed or a link's value holding U+202E cannot reverse the sentence)."""
    zh, en = UI[key]
    text = zh if lang == "zh" else en
    # made singular or plural before the values go in: a name may hold "(s)"
    return said(text, **values) if values else text


def term(vocabulary: str, value: str | None, lang: str) -> str:
    """A vocabulary word (relation, role, rank, kind, severity, triage_status, edge_type ...) as a page shows it:
    a label of its own (a badge, an option, a cell), so in English capitalised as the page's other labels are
    (Open, In review, Holds post); the vocabulary's word itself stays as sentences use it (in review). A value
    that is no word of the vocabulary is shown as it is."""
    if not value:
        return ""
    vocab = VOCABULARIES[vocabulary]
    text = vocab.label(value, lang)
    return as_label(text, lang) if value in vocab.ids else text


def as_label(text: str, lang: str) -> str:
    """A word of the vocabularies or the views (written as sentences use it: in review, other person) as a label
    of its own on a page (a badge, an option, a cell, a legend's entry): in English with a capital, as the UI's
    own labels are written (In review, Other person)."""
    return text[:1].upper() + text[1:] if lang == "en" else text


def org_kind(value: str | None, lang: str) -> str:
    """An organization's kind as a label (Company, Agency); a kind the vocabulary does not know as it is."""
    if not value:
        return ""
    return as_label(ORG_KIND.label(value, lang), lang) if value in ORG_KIND.ids else ORG_KIND.label(value, lang)


__all__ = ["UI", "word", "term", "as_label", "org_kind", "edge_word", "match_reason", "LANGS", "SEVERITY",
           "TRIAGE_STATUS", "EDGE_TYPE"]
