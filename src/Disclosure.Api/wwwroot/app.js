// The district office's and the towns' pages: a client of the public API only, with the person's key in the
// X-Api-Key header (kept in sessionStorage, never in a URL sent to the server).
const $ = (sel, root = document) => root.querySelector(sel);
const app = $('#app');
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
// The catalogues the service validates against (GET /v1/catalogues), read at sign-in: built in, or loaded by the office.
let catalogues = [];

const text = {
  zh: { title: '政府信息公开工作情况统计', signIn: '登录', key: 'API 密钥', signOut: '退出',
    locked: '页面已锁定', lockedText: '已有 {0} 分钟没有操作，页面已锁定。本页填写的内容仍在；请重新输入本页登录时的密钥，或粘贴区政务公开办发来的登录链接（…/#key=…），继续。', lockKey: 'API 密钥或登录链接', unlock: '继续', notThisKey: '这不是本页登录时的密钥。如要换用其他密钥，请先退出。', catalogue: '统计表', period: '统计期', load: '打开',
        rename: '更正名称、联系人', newName: '正确名称', contact: '联系人及电话', contactHint: '如 王芳 0632-7712345', ownContact: '区政务公开办登记的本单位联系人：{0}（如有变动，请告知区政务公开办）', noContact: '区政务公开办尚未登记本单位联系人，请告知联系人姓名及电话。', noReporter: '没有代码为“{0}”的填报单位：请从列表中选择。',
        retire: '撤并/停用', retireFrom: '自统计期起不再报送', doRetire: '撤并/停用', reinstate: '恢复', retiredMark: '已撤并（自{0}起）', reporting: '在报',
        retireHint: '乡镇撤并、部门调整后，该单位自所填统计期起不再应报、也不能再提交（如 2020 即 2020 年及其各季度起；2020Q3 即自第三季度起，2020 年年报仍应报送）；此前的报表照常保留、计入汇总。',
        retired: '已撤并：{0} 自{1}起不再报送', reinstated: '已恢复：{0} 重新列入应报单位', retiredNote: '本单位已撤并（自{0}起），{0}及以后开始的统计期不再报送；此前的报表仍可查看。',
        submit: '提交', template: '下载 Excel 模板', printForm: '打印报表（盖章用）', upload: '上传填好的 Excel', valid: '校验通过', invalid: '有错误，请按提示修改', jump: '与{0}相差很大：请核对是否多打或漏打了数字（不影响提交）。', jumps: '；有 {0} 处与{1}相差很大，请核对', quarterJump: '与本年四个季度季报（{0}）不一致：请核对（不影响提交；汇总以年报为准）。', quarterJumps: '；有 {0} 处与季报不一致，请核对', carriedJump: '与上年报表的结转下年度数（{0}）不一致：请核对（不影响提交）。', carriedJumps: '；有 {0} 处上年结转数与上年报表不一致，请核对',
        stored: '已提交，第 {0} 版', unchanged: '与已提交的第 {0} 版完全相同，没有改动，未另存新版本', conflict: '别人已提交了新版本（第 {0} 版）。重新载入后再提交。', reload: '重新载入',
        overview: '报送情况', expected: '应报', submitted: '已报', missing: '未报', notExpected: '另有不在应报之列的 {0} 个单位计入汇总', table: '汇总表', total: '合计',
        gov: '区政府', dept: '区直部门', town: '乡镇街道', csv: '导出 CSV', xlsx: '导出 Excel', print: '打印', close: '关闭统计期', confirmClose: '仍要关闭', closeReturned: '以下单位的报表已退回、尚未重报：{0}（关闭后它们仍可按退回意见更正一次，汇总随之改变）。', returnedQuarter: '第{0}季度', closeMissing: '以下 {0} 个单位尚未报送（未报）：{1}。', reopenedAll: '{0}统计期已重新开放：所有单位都可以再提交或修改报表，直到再次关闭。只需让某个单位更正时，不必重新开放，退回其报表即可：退回后只有该单位可以重报一次。', reopenedMissing: '尚未报送的 {0} 个单位（{1}）此时报送也会计入汇总。', closeIncomplete: '以下 {0} 个单位的年度数据由季报汇总，季报未报齐：{1}。',
        closeTail: '关闭后未报的单位不能再提交。确要关闭，请再按“仍要关闭”。', closeTailReturned: '确要关闭，请再按“仍要关闭”。', closeTailYear: '关闭后未报的单位不能再提交（年度数据由季报汇总的单位，其各季度也随年度关闭）。确要关闭，请再按“仍要关闭”。',
        reopen: '重新开放', reopenReason: '重新开放原因（记入操作日志）', closedOwing: '已关闭。{0}。', owingMissing: '未报：{0}', owingIncomplete: '季报未报齐：{0}', owingReturned: '已退回（仍可更正一次）：{0}', periodClosed: '统计期已关闭', periodReopened: '统计期已重新开放', deadlineSaved: '截止时间已设为 {0}', deadline: '截止时间', deadlineLocked: '统计期已关闭：截止时间须重新开放后才能修改（谁逾期按它判定）', save: '保存', reporters: '填报单位', register: '登记', id: '代码', name: '名称', kind: '类别',
        issue: '发放密钥', revoke: '吊销', confirmRevoke: '确认吊销', link: '登录链接（只显示一次）', share: '各单位 3.1 收到申请数占比', noFigure: '无数字', revisions: '历次提交', diff: '比较',
        derived: '自动计算', derivedLegend: '斜体灰底的格：计入该格的单位都没有填写，由其分项相加得出（自动计算）', unit: '单位', figure: '显示',
        status: '状态', revision: '版本', time: '提交时间', action: '操作', fill: '填报', noDeadline: '未设截止时间', closed: '已关闭',
        missingNames: '未报单位', closedWithYearCount: '随{0}年度关闭 {1}', closedWithYearNames: '随{0}年度关闭、不再催报（没有{0}年度的年报，{0}年度统计期已关闭，本季度随之关闭，不再报送）', lastYear: '上年', lastYearQuarter: '上年同期', noLastYearOther: '上年（{0}）按《{1}》报送，项目与本表《{2}》不同：不作与上年比较，也不核对上年结转。', noLastYearMapped: '上年（{0}）按《{1}》报送，其各项已与本表《{2}》对照：表中的上年数按对照列出，校验时按对照与上年比较、核对上年结转（对照不出的项目不列、不比较）。', noLastYearNone: '本表自 {0} 年起使用，上年没有本表：不作与上年比较，也不核对上年结转。', none: '无', overdue: '（已过截止时间）', value: '填报数',
        notNumber: '“{0}”不是数字：请填数字（如 1234），不填则留空（空白不等于 0）。', offline: '连接不上服务器，请检查网络后再试；没有保存任何内容。',
        failed: '操作未成功（{0}）', uploading: '正在上传并检查“{0}”…', retry: '重试', badKey: '这个密钥或登录链接无效、已吊销或已过期：请向区政务公开办索取新的登录链接。', badPeriod: '“{0}”没有统计期“{1}”：请填{2}的年份（如 {3}）{4}。', quarter: '或季度（如 {0}Q3、{0}年第三季度）', yearsBetween: ' {0}–{1} 年间', yearsFrom: ' {0} 年及以后', notPeriod: '“{0}”不是能识别的统计期：请填年份（如 {1}、{1}年）或季度（如 {1}Q3、{1}年第三季度）。', uploaded: '上传的 Excel（{1}）有 {0} 处错误，没有保存，请在 Excel 中改正后重新上传：', uploadedWarnings: '已保存。上传的 Excel 有 {0} 处需要核对（不影响提交；如有误，请在 Excel 中改正后重新上传）：', unreadable: '上传的 Excel 有 {0} 个格无法读取，没有保存，请在 Excel 中改正后重新上传：', notXlsx: '“{0}”不是 Excel 工作簿（.xlsx），没有上传：旧版 .xls、WPS 的 .et 或 .csv 文件，请在 Excel 或 WPS 中打开，“另存为” Excel 工作簿（.xlsx）后再上传。', tooLargeOne: '文件太大（超过 1 MB），没有保存：填好的模板只有几十 KB，多半是表中粘贴了图片（如扫描件、截图、印章）。请删去图片，保存后重新上传；或重新下载模板填写。',
        problem: { 'period-closed': '{period}统计期已关闭，不能再提交；如需修改已报的报表，请联系区政务公开办将其退回（无需重新开放统计期）；如需补报，请联系区政务公开办重新开放。', 'duplicate-reporter': '这个代码已经登记过了。',
          'duplicate-government': '区政府本级已登记为 {heldBy}，没有保存：同一时间只有一个区政府本级，全区汇总表的“填报单位”印它的名称。如区政府机构改革，请先把 {heldBy} 撤并（自新单位开始报送的统计期起），再登记新的。',
          'duplicate-reporter-name': '名称“{name}”已是填报单位 {heldBy} 的名称，没有保存：两个单位同名，报送情况里就分不清谁未报。已撤并的单位也保留名称；新单位沿用其名称前，请先把原单位更名，如“{name}（已撤并）”。',
          'too-many-failed-keys': '您所在的网络最近多次使用了无效的密钥。为防止密钥被猜中，{minutes} 分钟内不接受从这里发来的无效密钥（正确的密钥照常可用）：请核对密钥或登录链接后再试；如不是您本人所为，请告知区政务公开办。',
          'not-found': '找不到要操作的对象：它可能已被删除、吊销或改动。请刷新页面后再试。',
          'insufficient-storage': '服务器磁盘已满，没有保存。请联系区政务公开办或系统管理员腾出空间后再提交。',
          'store-unavailable': '服务器暂时无法写入，没有保存。请稍后再试。', unready: '服务正在启动或暂时不可用，没有保存。请稍后再试。',
          'internal-error': '服务器出错，操作没有完成。请联系区政务公开办或系统管理员，并告知错误编号 {traceId}。',
          'request-timeout': '数据没有及时传到服务器（网络太慢），没有保存。请检查网络后重试。', 'bad-request': '请求没有完整传到服务器，没有保存。请重试。',
          unauthorized: '密钥无效或已吊销，请重新登录。', forbidden: '这个密钥无权进行此操作。', 'payload-too-large': '文件太大（超过 1 MB），没有保存：分单位填报的工作簿单位多时，请只下载未报单位的模板填写，或删去一部分单位的列，分两次（或多次）上传（没有列的单位不受影响）；其他情况请上传从本系统下载的模板。' },
        st: { notSubmitted: '未报', onTime: '按时报送', submitted: '已报', late: '逾期报送', revisedLate: '截止后修订', incomplete: '季报未报齐', closedWithYear: '随年度关闭' },
        mine: '我的报表', minePeriods: '我的各期报表', otherPeriod: '其他统计期', keys: '密钥', keyLabel: '持有人或用途', keyLabelHint: '如 张三', roleCol: '角色', created: '创建时间', active: '有效', revokedAt: '已吊销 {0}', expires: '有效期至', expiredAt: '已过期 {0}', until: '至 {0}', expiresSoon: '您的密钥将于 {0} 到期，到期后不能再登录：请及时向区政务公开办索取新的登录链接。',
        renew: '换发', renewed: '已换发：新的登录链接如下（只显示一次）。旧密钥在吊销或到期前仍可登录；确认对方已换用新链接后，再吊销旧密钥。', expiring: '即将到期',
        keysAll: '为尚无密钥的单位各发一个', keysAllConfirm: '确认为 {0} 个单位发放', keysAllNone: '每个在报单位都已有有效密钥。', keysAllHint: '为每个还没有有效密钥的填报单位发放一个填报密钥（年中撤并的也发：撤并前的统计期仍由它报送；有效期至上面所填之日，不填则长期有效），并列出各自的登录链接。',
        keysAllDone: '已发放 {0} 个密钥。登录链接只显示这一次：请下载或复制后分发给各单位。', keysAllCsv: '下载登录链接（CSV）', keysAllFailed: '未发放：{0}',
        notice: '生成催报通知', noticeLabel: '催报通知（可复制到微信群、短信或邮件）', copy: '复制', copied: '已复制催报通知', reportText: '年报正文数据（草稿）', reportTextLabel: '年度报告正文中引用统计表的数字（草稿，可复制到年报中再修改）', reportCopied: '已复制年报正文数据',
        noticeHead: '【催报】{1}{0}：截至 {2}（北京时间），以下 {3} 个单位尚未报送。', noticeDue: '请于 {0}（北京时间）前登录 {1} 填报提交。', noticeLate: '截止时间 {0}（北京时间）已过，请尽快登录 {1} 填报提交。',
        noticeAllIn: '【催报】{1}{0}：截至 {2}（北京时间），各单位均已报送。', noticeNobody: '各单位均已报送，没有需要催报的单位。', noticeNobodyClosed: '本统计期已关闭，没有退回待更正的报表，没有需要催报的单位。', noticeNobodyWithYear: '未报送的单位均已随{0}年度关闭、不再报送，没有需要催报的单位。',
        noticeNoDue: '请尽快登录 {0} 填报提交。', noticeReturned: '以下单位的报表已退回，请按退回意见修改后重新提交：', noticeClosedWithYear: '以下单位没有{0}年度的年报，{0}年度统计期已关闭，本季度随之关闭，无需报送：', noticeTail: '已报送的单位请忽略。如有疑问请联系区政务公开办。',
        noticeClosedHead: '【催报】{1}{0}：本统计期已关闭，以下 {2} 个单位的报表已被区政务公开办退回，须按退回意见更正后，登录 {3} 重新提交（可重报一次）：', noticeClosedTail: '其余单位的报表已随统计期关闭，无需再报送。如有疑问请联系区政务公开办。',
        bulk: '批量登记', bulkList: '单位列表（每行一个）', bulkHint: '每行一个单位：代码、名称、类别（区政府、区直部门或乡镇街道）、联系人及电话（可不填），用 Tab 或逗号隔开——从 Excel 选中这几列复制、粘贴到这里即可。已登记的单位不会改动。',
        bulkGo: '逐行登记', bulkLine: '行', bulkDone: '已登记', bulkHad: '此前已登记（未改动）', bulkKind: '类别“{0}”不认识：请写 区政府、区直部门 或 乡镇街道。',
        bulkFields: '这一行少了名称或类别：每行写代码、名称、类别（联系人可不填），用 Tab 或逗号隔开。', bulkSummary: '批量登记：新登记 {0} 个，此前已登记 {1} 个，未登记 {2} 个（见表中说明）。',
        tabAudit: '操作日志', auditEntries: '操作记录列表', auditAt: '时间', auditOnlyKey: '仅显示此密钥的记录：', auditAll: '显示全部', keyAudit: '操作记录', auditFrom: '从', auditTo: '到', auditQuery: '查询', auditOlder: '更早的记录', auditNone: '这段时间没有操作记录。',
        auditWho: '操作人', auditWhat: '操作', auditPath: '对象', auditResult: '结果', auditDetail: '详情', auditIp: '来源地址',
        auditNote: '登录，通过本系统所做的更改（登记、更正、撤并单位，发放、吊销密钥，设置、关闭统计期，审核，备份等）和因权限被拒绝的请求，按时间倒序；报表的提交记在各单位的历次提交中。',
        auditAction: { 'POST v1/reporters': '登记填报单位', 'PATCH v1/reporters/{id}': '更正或撤并填报单位', 'POST v1/keys': '发放密钥', 'DELETE v1/keys/{id}': '吊销密钥',
          'PUT v1/periods/{catalogue}/{period}': '设置统计期', 'POST v1/periods/{catalogue}/{period}/close': '关闭统计期', 'POST v1/periods/{catalogue}/{period}/reopen': '重新开放统计期',
          'POST v1/catalogues': '载入统计表目录', 'POST v1/submissions/{id}/review': '审核报表', 'POST v1/submissions': '报送已关闭统计期的报表', 'POST v1/admin/backup': '备份数据', 'GET v1/me': '登录（核对密钥）', GET: '查看' },
        auditDone: '成功', auditRefused: '无权限，被拒绝', auditExpired: '密钥已过期或已吊销，被拒绝', auditBlocked: '多次使用无效密钥，暂停接受无效密钥', noKey: '（无有效密钥）', auditNotDone: '未执行（{0}）', auditFailed: '服务器出错（{0}）',
        tabPeriod: '统计期', tabTrend: '趋势', tabAdmin: '填报单位与密钥', trend: '全区主要指标（各年度）', trendQuarter: '全区主要指标（各年第{0}季度）', thisYear: '本年', thisQuarter: '本期', lastYear: '上年', change: '增减',
        year: '年度', noData: '没有已报送的年度', trendEditions: '各年度按当年使用的报表版本汇总：{0}。', trendNotCounted: '{0}没有“{1}”一项，这些年度不列。', trendElsewhere: '{0}年另有 {1} 个单位按《{2}》报送，其数字不在上表中。', trendUnknown: '《{0}》的各行与全国统计表的主要指标没有对应关系（未声明 edition 对照），无法列出各年度趋势。', indicator: '指标', chartNote: '各图的数字见下表。',
        ind: { disclose: '主动公开信息数', requests: '收到申请数', review: '行政复议', suit: '行政诉讼' },
        breakdown: '导出分单位明细', breakdownTitle: '下载 Excel：各填报单位的数字并列，最后一列为合计',
        nationalXlsx: '按全国表样导出 Excel', nationalPrint: '按全国表样打印', printTitle: '打印统计表（盖章用，含报送情况和签章栏）', publicationXlsx: '导出发布版 Excel', publicationPrint: '打印发布版', firstPrint: '打印首次关闭时的汇总表', publications: '发布记录（每次关闭）', publicationsHint: '每次关闭即发布一次汇总表（据操作日志）：可打印当时的汇总表、导出当时的分单位明细，或与现在比较。', publicationsNone: '操作日志中没有本统计期的关闭记录。', closedWhen: '关闭时间', closedBy: '操作人', closedTables: '计入合计的报表', printThen: '打印当时的汇总表', nationalThen: '按全国表样打印当时的汇总表', breakdownThen: '导出当时的分单位明细', compareNow: '与现在比较', changesHead: '{0} 发布的汇总表与现在相比', changesNone: '{0} 发布的汇总表与现在相同。', changedTables: '报表有变动的单位', revisionChange: '{0}：第 {1} 版 → 第 {2} 版', revisionNew: '{0}：当时未报，现第 {1} 版', revisionGone: '{0}：当时第 {1} 版，现未计入', thenCol: '发布时', nowCol: '现在', deltaCol: '增减', byWhomCol: '变动的单位（发布时 → 现在）', blankFigure: '空', printChanges: '打印变动', reopenedSince: '已于 {0} 首次关闭（发布），现已重新开放', firstPrintTitle: '本统计期于 {0} 首次关闭（发布）时的全区汇总表：各单位当时最新的报表，不含其后的更正或补报', publicationTitle: '年报附表用：统计指标、单位、统计数三栏，标题下注明政府名称，不含序号、代码、分类数和签章栏', reportDate: '报出日期', reportDateTitle: '打印和导出的统计表（含分单位明细）上的报出日期；不填则为关闭统计期的日期，未关闭时为最近一张报表的收到日期。发布版填了才注明日期（在政府名称下）', nationalTitle: '上报用：汇总表换算为{0}的表样（全国表样中本表没有对应的格为空）',
        many: '分单位填报（多个单位一并录入）', manyHint: '把各单位的表一并录入（例如上线前各单位报来的上年数字，从原来的汇总表整列粘贴）：下载模板，每列一个单位，已报的已填好；填好后上传，逐个单位检查后报送，与现有修订相同的列不再报送。',
        manyTemplate: '下载分单位填报模板', manyTemplateMissing: '下载未报单位的模板（{0} 个）', manyTemplateMissingTitle: '只含尚未报送（未报、季报未报齐）的单位，每列一个：收齐纸质报表后录入，文件小，单位多时也能一次上传；其他单位的报表不受影响', manyUpload: '上传填好的分单位填报表', manyRead: '共 {0} 个单位：有改动 {1} 个，与现有修订相同 {2} 个，空白 {3} 个。',
        manySubmit: '报送有改动的 {0} 个单位', manyCol: '列', manyState: { changed: '有改动，待报送', unchanged: '与现有修订相同，不报送', blank: '空白，不报送' },
        manySaved: '已保存（第 {0} 次修订）', manyStale: '下载模板后该单位已有第 {0} 次修订，未覆盖：请重新下载模板核对后再报送。', manyMend: '上传的 Excel 有 {0} 处需要改正，改好后请重新上传（什么也没有保存）：',
        manyDone: '分单位报送：保存 {0} 个，未保存 {1} 个（见表中说明）。', manyRefresh: '刷新报送情况',
        manyCheck: '检查', manyChecked: '有改动的 {0} 个单位已先试校验：有错误的 {1} 个，有与{3}相差很大的数的 {2} 个。可先在 Excel 中改好再上传；有错误的报送时会被拒绝。', manyQuarters: '另有 {0} 个单位的年报数与其四个季度季报不一致，请核对。', manyCarried: '另有 {0} 个单位的上年结转数与其上年报表的结转下年度数不一致，请核对。',
        role: { admin: '区政务公开办（管理员）', viewer: '查看', reporter: '填报单位' },
        fillFor: '代填', correct: '更正', back: '返回报送情况', behalf: '代“{0}”（{1}）填报：提交的报表记在该单位名下。',
        storedFor: '注意：上传的工作簿是“{0}”（{1}）的，已存为该单位的报表，不是“{2}”的。',
        closedForOffice: '{period}统计期已关闭，没有保存。要更正，请先返回{period}的报送情况，在该单位的历次提交下“退回”其报表（只放开这一张表），再提交；或“重新开放”统计期，提交后再关闭。',
        closedForOfficeDry: '该统计期已关闭，提交不会保存。要更正，请先返回报送情况，在该单位的历次提交下“退回”其报表（只放开这一张表），再提交；或“重新开放”统计期，提交后再关闭。',
        field: { id: '代码须为 2 至 64 位小写字母、数字或“-”（如 town-a）。', name: '名称不能为空，须在一行内，最多 200 字。',
          retiredFrom: '统计期须写作年份（如 2020）或季度（如 2020Q3）。',
          kind: '请选择类别：区政府、区直部门或乡镇街道。', reporter: '填报单位代码须为 2 至 64 位小写字母、数字或“-”（如 town-a）。',
          'values[].value': '这个数太大，无法接收：请核对后重填。', sentAt: '来件时间不能晚于现在，也不能早于该统计期开始。', comment: '审核意见可以分行，但不能含不可见的控制字符或格式字符（如从右向左覆盖符 U+202E），请删去后重新填写。',
          note: '填报说明最多 500 字，可以分行，但不能含看不见的控制字符。' },
        note: '填报说明（选填）', noteHint: '如某项与上年相差较大的原因，或退回后改了什么；最多 500 字，随本次提交一起交给区政务公开办。', noteOf: '填报说明：', hasNote: '附说明',
        otherWorkbook: '这个工作簿是别的单位的（模板顶部的“填报单位”不是本单位），没有保存：请点“下载 Excel 模板”，用本单位的模板填写。',
        byOffice: '（区政务公开办代填）', byOfficeNamed: '（区政务公开办代填 · {0}）',
        sentAt: '来件时间', sentAtHint: '单位发出这张表的时间（邮件、来函上的时间），据此判断是否按时报送；不填即现在。', sentMark: '（来件 {0}）', sentOn: '已按《{0}》报送', noticeSentOn: '（已按《{0}》报送，请改按本表报送）', afterClose: '关闭后更正', afterCloseTitle: '本统计期于 {0} 关闭后据退回更正、已计入合计：{1}', afterCloseRevision: '{0}第 {1} 版，{2}',
        staleOther: '没有保存：这个工作簿是为 {0} 下载的模板，表头的统计期或填报单位已被改写，而改写后的那张表已有第 {1} 次修订（{2}于 {3} 提交）。请下载那张表的模板填写；确认要用这个工作簿替换第 {1} 次修订时再点下面的按钮。',
        staleLate: '没有保存：这个工作簿是据较早的修订填写的，该表现在已是第 {0} 次修订；请重新打开该表，核对后再上传。',
        staleOpened: '上传的工作簿是“{0}”的报表，已为您打开该表：', staleNamed: '上传的工作簿是“{0}”的报表，不是本页打开的表。',
        stale: '没有保存：这个工作簿是据{0}填写的，而该表现在已是第 {1} 次修订（{2}于 {3} 提交）。直接提交会覆盖第 {1} 次修订的数字；请先核对，确认要用这个工作簿替换时再点下面的按钮。',
        madeBlank: '空白模板（下载时尚未提交）', madeFrom: '第 {0} 次修订', byAdminRole: '区政务公开办', byReporterRole: '填报单位', overwrite: '仍然提交（覆盖第{0}次修订）',
        reviewCol: '审核', rv: { pending: '待审核', accepted: '已通过', returned: '已退回' }, reviewCounts: '审核情况',
        accept: '审核通过', returnIt: '退回', reason: '审核意见（退回时必填，填报单位将看到）', reasonNeeded: '退回须填写原因：告诉填报单位哪些数字要改、为什么。',
        reviewOf: '审核第 {0} 版', farAllTitle: '与{0}相差很大的数（各单位，请核对）', farAllHint: '与{0}相比为五倍以上或五分之一以下、且相差较大（个数 50 以上，金额 1 万元以上）的数，常是多打或漏打了一位；点单位名称查看其报表。', fromQuarters: '（据季报）', quartersCount: '据季报（{0} 个季度）', quartersToCome: '缺第{0}季度', quartersShut: '第{0}季度已关闭', noticeShut: '第{0}季度已关闭，须经区政务公开办补报', farTitle: '以下数字与{0}相差很大（多了或少了一位？），请向填报单位核对：', farReporter: '填报单位', farCode: '代码', quartersTitle: '以下年报数与本单位四个季度的季报不一致，请向填报单位核对哪个正确（汇总以年报为准）：', quartersHead: '季报', yearHead: '年报',
        carriedAllTitle: '上年结转数与上年报表结转下年度数不一致的（各单位，请核对）', carriedAllHint: '本年“上年结转”与本单位 {0} 年报表“结转下年度继续办理”逐列不一致之处（任一方空白的不比较；没有 {0} 年本版报表的单位无从比较）。点单位名称查看其报表。',
        carriedTitle: '以下上年结转数与本单位 {0} 年报表的结转下年度数不一致，请向填报单位核对哪个正确：', carriedBefore: '{0}年结转下年度', carriedNow: '上年结转',
        carriedAllTitleQ: '期初结转数与上季度报表期末结转数不一致的（各单位，请核对）', carriedAllHintQ: '本季度期初结转数与本单位{0}报表的期末结转数逐列不一致之处（任一方空白的不比较；没有{0}报表的单位无从比较）。点单位名称查看其报表。',
        carriedTitleQ: '以下期初结转数与本单位{0}报表的期末结转数不一致，请向填报单位核对哪个正确：', carriedBeforeQ: '{0}期末结转', carriedNowQ: '本季度期初结转',
        carriedJumpQ: '与上季度报表的期末结转数（{0}）不一致：请核对（不影响提交）。', carriedJumpsQ: '；有 {0} 处期初结转数与上季度报表不一致，请核对', manyCarriedQ: '另有 {0} 个单位的期初结转数与其上季度报表的期末结转数不一致，请核对。',
        quartersAllTitle: '年报与季报不一致的数（各单位，请核对）', quartersAllHint: '既报送了年报又报送了四个季度季报的单位：年报数与季报合计（时点数为第四季度数）不一致之处；汇总以年报为准。点单位名称查看其报表。', reviewedAt: '{0}于 {1}', reasonLabel: '原因：',
        returnedNotice: '区政务公开办已退回本表（第 {0} 版，{1}），请按以下原因修改后重新提交：', returnedForOffice: '本表第 {0} 版已于 {1} 退回填报单位，退回意见：', acceptedNotice: '本表（第 {0} 版）已由区政务公开办审核通过（{1}）。',
        closedNotice: '{0}统计期已关闭，本表不能再提交或修改；如需补报或修改，请联系区政务公开办重新开放。', closedNoticeSent: '{0}统计期已关闭，本表不能再提交或修改；如需修改，请联系区政务公开办退回本表，退回后可以重报一次。',
        closedWithYearNotice: '{0}统计期已关闭：{1}已关闭，本单位的年度数据由季报汇总，本季度随之关闭，不能再提交或修改；如需补报或修改，请联系区政务公开办重新开放{1}。',
        closedWithYearNoticeSent: '{0}统计期已关闭：{1}已关闭，本单位的年度数据由季报汇总，本季度随之关闭，不能再提交或修改；如需修改，请联系区政务公开办退回本表，退回后可以重报一次，无需重新开放{1}。',
        correctOnce: '{0}统计期已关闭：可按退回意见更正一次，提交后即锁定（如需再改，请联系区政务公开办再次退回）。',
        correctOnceWithYear: '{0}统计期已关闭（{1}已关闭，本单位的年度数据由季报汇总，本季度随之关闭）：可按退回意见更正一次，提交后即锁定（如需再改，请联系区政务公开办再次退回）。',
        closedWithYearRefused: '{1}已关闭，本单位的年度数据由季报汇总，{0}随之关闭，不能再提交；如需修改已报的报表，请联系区政务公开办将其退回（无需重新开放{1}）；如需补报，请联系区政务公开办重新开放{1}。',
        closedWithYearNoticeNone: '{0}统计期已关闭：{1}已关闭，本季度随之关闭，不能再提交；如需补报，请联系区政务公开办重新开放{1}。',
        closedWithYearRefusedNone: '{1}已关闭，{0}随之关闭，不能再提交；如需补报，请联系区政务公开办重新开放{1}。',
        closedMine: '{0}统计期已关闭：不能再提交；如需补报或修改，请联系区政务公开办。', view: '查看',
        reviewProblem: { 'revision-conflict': '该单位已提交了更新的版本（第 {currentRevision} 版），请审核最新版本。', 'review-conflict': r => reviewConflictText(r) },
        revisionLoaded: '该单位已提交了更新的版本（第 {0} 版），本次审核没有保存；下面已载入第 {0} 版，请审核这一版。',
        settingsChanged: '其他人已修改了本统计期的设置，您的修改（{0}）没有保存。页面已重新读取最新设置：请核对后再保存。',
        expectedList: '应报单位：{0}', expectedAll: '全部已登记的单位', expectedSome: '{0} 个单位', saveExpected: '保存应报单位',
        expectedHint: '本统计期应报的单位：不勾选的不列入应报，不催报，也不在打印表上列为未报（如只报年报、不报季报的单位）；全部勾选即全部已登记的单位，以后登记的也在内。已报的表照样计入汇总。',
        expectedLocked: '统计期已关闭：应报单位须重新开放后才能修改（谁未报按它判定）',
        settingsChangedToggle: '其他人已在此期间修改了本统计期的设置（关闭、重新开放、截止时间或应报单位），本次“{0}”没有执行。页面已重新读取最新设置：请核对后再操作。',
        reviewedMeanwhile: '该表已由{0}于 {1} 审核：{2}{3}，您的审核没有保存。请查看后再定。', reviewedMeanwhileBy: '其他人', reviewedMeanwhileSelf: '您（本密钥）', pendingMeanwhile: '该表目前为待审核，与页面显示的不同，您的审核没有保存。请查看后再定。',
        decided: { accepted: '审核通过', returned: '退回' }, reasonParen: '（原因：{0}）', remarkParen: '（意见：{0}）',
        refresh: '刷新', refreshTitle: '重新读取各单位的报送和审核情况（查找、筛选和排序不变）', readAt: '数据读取于 {0}', reasonKept: '上面的退回理由是对第 {0} 版填写的，刷新后显示的是第 {1} 版：请核对后再发送。',
        shareSorted: '有数字的 {0} 个单位合计 {1}，按从大到小排列。', shareFolded: '有数字的 {0} 个单位合计 {1}，按从大到小排列：列出前 {2} 个，其余 {3} 个单位合为“其他”。',
        shareOther: '其他 {0} 个单位', shareBlank: '另有 {0} 个单位没有这个数字（未填）。',
        find: '查找单位（名称或代码）', only: '只看', all: '全部', shownOf: '显示 {0} / {1}', reviewGroup: '审核',
        pickAll: '勾选显示中的全部待审核', pick: '选择 {0}', bulkAccept: '批量审核通过', bulkPickFirst: '请先勾选要审核通过的待审核报表。',
        bulkAccepting: '批量审核通过：已处理 {0} / {1}…', bulkAccepted: '批量审核通过：通过 {0} 个，未通过 {1} 个。', bulkRefused: '未通过：{0}', bulkUnpicked: '筛选后未显示的 {0} 个已取消勾选。',
        reviewedNext: '{0} 第 {1} 版：{2}。', nextPending: '下一个待审核：{0}。', noneNext: '没有其他待审核的报表。',
        withoutKey: '无有效密钥', withoutContact: '无联系人', retiredOnly: '已撤并', revokedOnly: '已吊销', expiredOnly: '已过期',
        findKey: '查找（单位名称、代码或持有人）', groupedNote: '共 {1} 处，涉及 {0} 个单位，按单位分组；超过 3 处的单位已收起，点开查看。', groupCount: '{0} 处',
  },
  en: { title: 'Government information disclosure statistics', signIn: 'Sign in', key: 'API key', signOut: 'Sign out',
    locked: 'Page locked', lockedText: 'No activity for {0} minutes: the page is locked. What you typed here is kept; enter the key this page was signed in with, or paste the sign-in link the district office sent (…/#key=…), to go on.', lockKey: 'API key or sign-in link', unlock: 'Go on', notThisKey: 'This is not the key this page was signed in with. To use another key, sign out first.', catalogue: 'Table', period: 'Period', load: 'Open',
        rename: 'Correct a name or contact', newName: 'Name as it should be printed', contact: 'Contact (name, telephone)', contactHint: 'e.g. 王芳 0632-7712345', ownContact: 'Your contact as the district office has it: {0} (tell the office when it changes)', noContact: 'The district office has no contact for you yet: tell it whom to call, with a telephone number.', noReporter: "There is no reporter '{0}': choose one from the list.",
        retire: 'Merged / discontinued', retireFrom: 'No longer reports from period', doRetire: 'Retire', reinstate: 'Reinstate', retiredMark: 'merged/discontinued (from {0})', reporting: 'reporting',
        retireHint: 'After a merger or reorganisation the reporter is neither expected nor able to submit from the period given on (2020: the year 2020 and its quarters on; 2020Q3: from the third quarter, while the 2020 annual table is still due); its earlier tables stay and add up.',
        retired: '{0} no longer reports from {1}', reinstated: '{0} is expected again', retiredNote: 'This reporter was merged or discontinued from {0}: it reports no period that begins in or after {0}; its earlier tables can still be read.',
        submit: 'Submit', template: 'Download Excel template', printForm: 'Print the table (to stamp)', upload: 'Upload filled Excel', valid: 'Valid', invalid: 'Errors: see the marked cells', jump: 'Very different from {0}: check for a digit typed twice or left out (this does not stop submitting).', jumps: '; {0} figure(s) very different from {1}: please check', quarterJump: 'Not what this year\'s four quarterly tables give ({0}): please check (this does not stop submitting; the district table takes the year\'s table).', quarterJumps: '; {0} figure(s) not as the quarters give: please check', carriedJump: 'Not what last year\'s table carried forward ({0}): please check (this does not stop submitting).', carriedJumps: '; {0} balance(s) carried in not as last year\'s table carried forward: please check',
        stored: 'Submitted as revision {0}', unchanged: 'The same as revision {0}, already submitted: nothing changed, no new revision stored', conflict: 'Someone submitted a newer revision ({0}). Reload, then submit again.', reload: 'Reload',
        overview: 'Who has reported', expected: 'Expected', submitted: 'Submitted', missing: 'Missing', notExpected: '{0} not expected, added up too', table: 'District table', total: 'Total',
        gov: 'District government', dept: 'Departments', town: 'Towns', csv: 'Export CSV', xlsx: 'Export Excel', print: 'Print', close: 'Close period', confirmClose: 'Close anyway', closeReturned: 'Returned and not yet sent again: {0} (once the period is closed they can still send one correction, and the totals change with it). ', returnedQuarter: 'Q{0}', closeMissing: 'Not yet submitted ({0}): {1}. ', reopenedAll: 'Period {0} is open again: every reporter can submit or correct its table until it is closed again. To let one reporter correct its table, return it (退回) instead: only that reporter can then send one correction. ', reopenedMissing: 'The {0} not yet submitted ({1}) would now count too. ', closeIncomplete: 'Years added up from quarters, with quarters still to come ({0}): {1}. ',
        closeTail: 'Once the period is closed, those not yet submitted can no longer submit. To close it all the same, press “Close anyway”.', closeTailReturned: 'To close it all the same, press “Close anyway”.', closeTailYear: 'Once the period is closed, those not yet submitted can no longer submit (nor the quarters of a year added up from its quarters, which close with the year). To close it all the same, press “Close anyway”.',
        reopen: 'Reopen', reopenReason: 'Why reopen (kept in the audit log)', closedOwing: 'Closed. {0}. ', owingMissing: 'Not submitted: {0}', owingIncomplete: 'Quarters to come: {0}', owingReturned: 'Returned (each may still send one correction): {0}', periodClosed: 'period closed', periodReopened: 'period reopened', deadlineSaved: 'deadline set to {0}', deadline: 'Deadline', deadlineLocked: 'The period is closed: reopen it to change the deadline (it decides who was late)', save: 'Save', reporters: 'Reporters', register: 'Register', id: 'Id', name: 'Name', kind: 'Kind',
        issue: 'Issue key', revoke: 'Revoke', confirmRevoke: 'Confirm revoke', link: 'Sign-in link (shown once)', share: "Each reporter's share of 3.1 (requests received)", noFigure: 'no figure', revisions: 'Revisions', diff: 'Compare',
        derived: 'derived', derivedLegend: 'Cells in grey italics: no reporter counted in them typed them, they are the sums of their parts (derived)', unit: 'Unit', figure: 'Show',
        status: 'Status', revision: 'Revision', time: 'Received', action: 'Action', fill: 'Fill in', noDeadline: 'no deadline', closed: 'closed',
        missingNames: 'Not yet reported', closedWithYearCount: 'Closed with {0}: {1}', closedWithYearNames: 'Closed with {0}, not chased (no table of the year {0}, and {0} is closed: this quarter closed with it and can no longer be sent)', lastYear: 'Last year', lastYearQuarter: 'The same quarter last year', noLastYearOther: 'Last year ({0}) was reported on “{1}”, whose items differ from this table’s (“{2}”): figures are not compared with last year, nor balances carried in checked.', noLastYearMapped: 'Last year ({0}) was reported on “{1}”, whose items are mapped to this table’s (“{2}”): last year’s figures beside the cells are read through that mapping, as the check compares figures with last year and balances carried in (items it does not map are neither shown nor compared).', noLastYearNone: 'This table is used from {0}; there is none of last year: figures are not compared with last year, nor balances carried in checked.', none: 'none', overdue: '(past the deadline)', value: 'Value',
        notNumber: "'{0}' is not a number: enter a number (such as 1234), or leave the cell empty for a blank.", offline: 'The server cannot be reached: check the network and try again; nothing was saved.',
        failed: 'That did not work ({0})', uploading: "Uploading and checking '{0}'…", retry: 'Try again', badKey: 'This key or sign-in link is not valid, was revoked or has expired: ask the district office for a new sign-in link.', badPeriod: "'{0}' has no period '{1}': enter a year{2} (such as {3}){4}.", quarter: ' or a quarter (such as {0}Q3)', yearsBetween: ' from {0} to {1}', yearsFrom: ' from {0} on', notPeriod: "'{0}' is not a period the page can read: enter a year (such as {1}) or a quarter (such as {1}Q3).", uploaded: 'The uploaded workbook ({1}) has {0} error(s) and was not saved; mend them in Excel and upload it again:', uploadedWarnings: 'Saved. The uploaded workbook has {0} figure(s) to check (this does not stop submitting; if one is wrong, mend it in Excel and upload again):', unreadable: 'The uploaded workbook has {0} cells that cannot be read and was not saved; mend them in Excel and upload it again:', notXlsx: "'{0}' is not an Excel workbook (.xlsx) and was not uploaded: open an old .xls, a WPS .et or a .csv file in Excel or WPS, save it as an Excel workbook (.xlsx), and upload that.", tooLargeOne: 'The file is too large (over 1 MB) and was not saved: a filled-in template is a few tens of KB, so it probably holds a pasted picture (a scan, a screenshot, a stamp). Delete the picture, save, and upload it again; or download the template again and fill that in.', problem: {},
        st: { notSubmitted: 'Not submitted', onTime: 'On time', submitted: 'Submitted', late: 'Late', revisedLate: 'Revised after the deadline', incomplete: 'Quarters missing', closedWithYear: 'Closed with its year' },
        mine: 'My tables', minePeriods: 'My tables by period', otherPeriod: 'Another period', keys: 'Keys', keyLabel: 'Held by / for', keyLabelHint: 'e.g. Zhang San', roleCol: 'Role', created: 'Created', active: 'active', revokedAt: 'revoked {0}', expires: 'Valid until', expiredAt: 'expired {0}', until: 'until {0}', expiresSoon: 'Your key expires on {0}, after which it no longer signs in: ask the district office for a new sign-in link in good time.',
        renew: 'Renew', renewed: 'Renewed: the new sign-in link is below (shown once). The old key still signs in until it is revoked or expires: revoke it once its holder uses the new link.', expiring: 'expiring',
        keysAll: 'Issue one to each reporter without a key', keysAllConfirm: 'Confirm: issue {0}', keysAllNone: 'Every reporting reporter has a valid key.', keysAllHint: 'Issues a reporter key to each reporter that has no valid key (one retired mid-way too: it still reports the periods before its retirement; valid until the day above, or without an end), and lists their sign-in links.',
        keysAllDone: 'Issued {0} keys. The sign-in links are shown this once: download or copy them and send each to its reporter.', keysAllCsv: 'Download the sign-in links (CSV)', keysAllFailed: 'Not issued: {0}',
        notice: 'Write a reminder', noticeNobody: 'Every reporter has reported: there is nobody to remind.', noticeNobodyClosed: 'The period is closed and no table is returned for correction: there is nobody to remind.', noticeNobodyWithYear: 'Every reporter that has not reported was closed with the year {0} and no longer reports: there is nobody to remind.', noticeLabel: 'Reminder (to copy into a chat group, a text message or an e-mail; in Chinese, as the reporters read it)', copy: 'Copy', copied: 'Reminder copied', reportText: 'Figures for the annual report (draft)', reportTextLabel: "The annual report's sentences that quote the table (a draft in Chinese, to copy into the report and edit)", reportCopied: 'Figures for the report copied',
        bulk: 'Register many', bulkList: 'Reporters, one a line', bulkHint: "One reporter a line: id, name, kind (区政府, 区直部门 or 乡镇街道, or government, department, town), contact (may be left out), separated by tabs or commas: copy these columns from Excel and paste them here. A reporter registered already is left as it is.",
        bulkGo: 'Register each line', bulkLine: 'Line', bulkDone: 'Registered', bulkHad: 'Registered before (left as it is)', bulkKind: "Kind '{0}' is not known: write 区政府, 区直部门 or 乡镇街道.",
        bulkFields: 'This line has no name or no kind: give the id, the name and the kind (the contact may be left out), separated by tabs or commas.', bulkSummary: 'Registered {0}; {1} were registered before; {2} not registered (see the table).',
        tabAudit: 'Audit log', auditEntries: 'Log entries', auditAt: 'When', auditOnlyKey: 'Only the entries of the key:', auditAll: 'Show all', keyAudit: 'Entries', auditFrom: 'From', auditTo: 'to', auditQuery: 'Show', auditOlder: 'Older entries', auditNone: 'Nothing was done in this time.',
        auditWho: 'By', auditWhat: 'Action', auditPath: 'On', auditResult: 'Result', auditDetail: 'Detail', auditIp: 'From address',
        auditNote: 'Sign-ins, changes made through the service (reporters registered, corrected or retired, keys issued or revoked, periods set or closed, reviews, backups) and requests refused for their key, newest first; tables submitted are in each reporter\'s revisions.',
        auditAction: { 'POST v1/reporters': 'Register a reporter', 'PATCH v1/reporters/{id}': 'Correct or retire a reporter', 'POST v1/keys': 'Issue a key', 'DELETE v1/keys/{id}': 'Revoke a key',
          'PUT v1/periods/{catalogue}/{period}': 'Set a period', 'POST v1/periods/{catalogue}/{period}/close': 'Close a period', 'POST v1/periods/{catalogue}/{period}/reopen': 'Reopen a period',
          'POST v1/catalogues': 'Load a catalogue', 'POST v1/submissions/{id}/review': 'Review a table', 'POST v1/submissions': 'Send a table to a closed period', 'POST v1/admin/backup': 'Back up', 'GET v1/me': 'Sign in (key checked)', GET: 'Read' },
        auditDone: 'Done', auditRefused: 'Refused for the key', auditExpired: 'Refused: the key expired or was revoked', auditBlocked: 'Too many wrong keys: wrong keys refused for a while', noKey: '(no valid key)', auditNotDone: 'Not done ({0})', auditFailed: 'Server error ({0})',
        tabPeriod: 'Period', tabTrend: 'Trend', tabAdmin: 'Reporters and keys', trend: "The district's main indicators by year", trendQuarter: "The district's main indicators, quarter {0} of each year", thisYear: 'This year', thisQuarter: 'This quarter', lastYear: 'Last year', change: 'Change',
        year: 'Year', noData: 'No year has submissions', trendEditions: 'Each year is read from the edition of the table in use that year: {0}.', trendNotCounted: '{0} has no "{1}": those years show none.', trendElsewhere: '{0}: {1} reporter(s) sent the year on {2}; their figures are not in the table above.', trendUnknown: 'The rows of {0} are not mapped to the national table\'s main indicators (no edition mapping), so no trend can be drawn for it.', indicator: 'Indicator', chartNote: 'The table gives the figures the bars show.',
        ind: { disclose: 'Information disclosed proactively', requests: 'Requests received', review: 'Administrative reviews', suit: 'Lawsuits' },
        breakdown: 'Export by reporter', breakdownTitle: "Excel download: every reporter's figures side by side, the total last",
        nationalXlsx: 'Export Excel in the national layout', nationalPrint: 'Print in the national layout', printTitle: 'Print the statistical form (to stamp: with completeness and the signature lines)', publicationXlsx: 'Export for publication (Excel)', publicationPrint: 'Print for publication', firstPrint: 'Print as first closed', publications: 'Publications (each close)', publicationsHint: 'Each close published the district table (from the audit log): print the table as it stood then, export its breakdown then, or compare it with now.', publicationsNone: 'The audit log holds no close of this period.', closedWhen: 'Closed at', closedBy: 'By', closedTables: 'Tables added up', printThen: 'Print the table then', nationalThen: 'Print it then in the national layout', breakdownThen: 'Export the breakdown then', compareNow: 'Compare with now', changesHead: 'The table published {0} against now', changesNone: 'The table published {0} is the table now.', changedTables: 'Reporters whose tables changed', revisionChange: '{0}: revision {1} → {2}', revisionNew: '{0}: none then, revision {1} now', revisionGone: '{0}: revision {1} then, not added up now', thenCol: 'Published', nowCol: 'Now', deltaCol: 'Change', byWhomCol: 'Reporters that changed it (published → now)', blankFigure: 'blank', printChanges: 'Print the changes', reopenedSince: 'first closed (published) {0}, now reopened', firstPrintTitle: 'The district table as it stood when the period was first closed (published) at {0}: each reporter\'s latest table then, without the corrections and late tables since', publicationTitle: 'For the annual report\'s appendix: indicator, unit and figure, the government under the title; no numbers, codes, split by kind or signature lines', reportDate: 'Report date', reportDateTitle: 'The report date (报出日期) on the printed and exported form (the breakdown too); blank: the day the period was closed, or while it is open the day the latest table arrived. The publication is dated (under the government) only when it is given', nationalTitle: 'To send upward: the district table in the layout of {0} (its cells this table has no counterpart for are blank)',
        many: 'Many reporters at once', manyHint: "Enter many reporters' tables at once (last year's figures sent before the service, pasted column by column from the old summary): download the template, a column per reporter, those reported filled in; upload it filled in, each reporter is checked and submitted, and a column the same as the current revision is not submitted again.",
        manyTemplate: 'Download the template of every reporter', manyTemplateMissing: 'Download the template of the {0} not reported', manyTemplateMissingTitle: 'Only the reporters that have not reported (not submitted, or quarters missing), a column each: for entering the paper forms collected from them, small enough to upload at once in a district of hundreds; the other reporters’ tables are left as they are', manyUpload: 'Upload the filled-in template of every reporter', manyRead: '{0} reporters: {1} changed, {2} the same as their current revision, {3} blank.',
        manySubmit: 'Submit the changed ({0})', manyCol: 'Column', manyState: { changed: 'Changed: to submit', unchanged: 'Same as the current revision: not submitted', blank: 'Blank: not submitted' },
        manySaved: 'Stored (revision {0})', manyStale: 'Revision {0} was stored after the template was downloaded; not overwritten: download the template again and check.', manyMend: 'The workbook has {0} cells to mend; mend them and upload it again (nothing was stored):',
        manyDone: 'Many reporters: {0} stored, {1} not stored (see the table).', manyRefresh: 'Refresh who has reported',
        manyCheck: 'Check', manyChecked: 'The changed ({0}) were checked first: {1} with errors, {2} with figures very different from {3}. Mend them in Excel and upload again; those with errors would be refused.', manyQuarters: ' And {0} with year figures not as their four quarterly tables give: please check.', manyCarried: ' And {0} with balances carried in not as their last year\'s table carried forward: please check.',
        role: { admin: 'District office (admin)', viewer: 'Viewer', reporter: 'Reporter' },
        fillFor: 'Enter', correct: 'Correct', back: 'Back to who has reported', behalf: "On behalf of '{0}' ({1}): what you submit is stored as that reporter's table.",
        storedFor: "Note: the uploaded workbook is that of '{0}' ({1}); it was stored as that reporter's table, not '{2}'s.",
        closedForOffice: 'Period {period} is closed; nothing was stored. To correct the table, go back to the overview of {period} and return (退回) the table under the reporter\'s revisions, which unlocks that table alone, then submit; or reopen the period, submit, then close it again.',
        closedForOfficeDry: 'The period is closed: a submission would store nothing. To correct the table, go back to the overview and return (退回) the table under the reporter\'s revisions, which unlocks that table alone, then submit; or reopen the period, submit, then close it again.',
        otherWorkbook: "This workbook is another reporter's (the reporter at the top of the template is not yours) and was not stored: download your own template and fill that in.",
        byOffice: ' (entered by the district office)', byOfficeNamed: ' (entered by the district office · {0})',
        field: { sentAt: 'The sent time may not be later than now, nor before the period began.', comment: 'The comment may hold line breaks, but no hidden control or format characters (such as the right-to-left override U+202E): remove them and try again.', note: 'The note may hold up to 500 characters and line breaks, but no hidden control characters.' },
        note: 'Note (optional)', noteHint: 'Why a figure differs much from last year, or what was changed after a return; up to 500 characters, sent to the district office with this submission.', noteOf: 'Note: ', hasNote: 'with a note',
        sentAt: 'Sent at', sentAtHint: 'When the reporter sent this table (the time on its e-mail or letter); the deadline is judged on it. Empty: now.', sentMark: ' (sent {0})', sentOn: 'sent on “{0}”', noticeSentOn: ' (sent on “{0}”: please send it on this table)', afterClose: 'corrected after the close', afterCloseTitle: 'Corrected after the period was closed at {0} (returned), and counted in the total: {1}', afterCloseRevision: '{0}revision {1}, {2}',
        staleOther: 'Not stored: this workbook was downloaded as the template of {0}, but the period or reporter on its sheet was typed over, and the table it now names is at revision {1} (submitted by {2} at {3}). Download that table\'s template and fill it in; press the button below only if this workbook should replace revision {1}.',
        staleLate: 'Not stored: this workbook was filled in from an older revision, and the table is now at revision {0}; open the table again, check it, then upload again.',
        staleOpened: "The uploaded workbook is the table of '{0}'; that table is opened here:", staleNamed: "The uploaded workbook is the table of '{0}', not the one open on this page.",
        stale: 'Not stored: this workbook was filled in from {0}, but the table is now at revision {1} (submitted by {2} at {3}). Submitting it would replace revision {1}; check it first, and press the button below only if this workbook should replace it.',
        madeBlank: 'a blank template (nothing was submitted when it was downloaded)', madeFrom: 'revision {0}', byAdminRole: 'the district office', byReporterRole: 'the reporter', overwrite: 'Submit anyway (replace revision {0})',
        reviewCol: 'Review', rv: { pending: 'Awaiting review', accepted: 'Accepted', returned: 'Returned' }, reviewCounts: 'Review',
        accept: 'Accept', returnIt: 'Return', reason: 'Remarks (required to return; the reporter sees them)', reasonNeeded: 'Type the reason for returning: which figures the reporter must correct, and why.',
        reviewOf: 'Review revision {0}', farAllTitle: 'Figures very different from {0} (every reporter: please check)', farAllHint: 'Five times {0} or more, or a fifth or less, and far enough apart (50 for a count, 1 for 万元): often a digit typed twice or left out. Open a reporter to see its table.', fromQuarters: ' (from its quarters)', quartersCount: 'from {0} quarter(s)', quartersToCome: 'quarters to come: {0}', quartersShut: 'quarter(s) {0} closed', farTitle: 'These figures are very different from {0} (a digit too many or too few?): check them with the reporter:', farReporter: 'Reporter', farCode: 'Code', quartersTitle: 'These figures of the year are not what the reporter\'s four quarterly tables give: check with the reporter which is right (the district table takes the year\'s table):', quartersHead: 'Quarters', yearHead: 'Year',
        carriedAllTitle: 'Balances carried in not as last year carried forward (every reporter: please check)', carriedAllHint: 'Where a reporter\'s 上年结转 is not, column by column, the 结转下年度继续办理 of its own {0} table (a cell blank on either side is not compared; a reporter without a {0} table of this edition has nothing to compare with). Open a reporter to see its table.',
        carriedTitle: 'These balances carried in are not what the reporter\'s {0} table carried forward: check with the reporter which is right:', carriedBefore: 'Carried forward in {0}', carriedNow: 'Carried in',
        carriedAllTitleQ: 'Balances carried in not as the quarter before carried forward (every reporter: please check)', carriedAllHintQ: 'Where a reporter\'s balance carried into this quarter is not, column by column, what its own {0} table carried forward (a cell blank on either side is not compared; a reporter without a {0} table has nothing to compare with). Open a reporter to see its table.',
        carriedTitleQ: 'These balances carried in are not what the reporter\'s {0} table carried forward: check with the reporter which is right:', carriedBeforeQ: 'Carried forward in {0}', carriedNowQ: 'Carried in',
        carriedJumpQ: 'Not what the quarter before\'s table carried forward ({0}): please check (this does not stop the submission).', carriedJumpsQ: '; {0} balance(s) carried in not as the quarter before\'s table carried forward: please check', manyCarriedQ: ' And {0} with balances carried in not as their quarter before\'s table carried forward: please check.',
        quartersAllTitle: 'Year figures not as the quarters give (every reporter: please check)', quartersAllHint: 'Reporters that sent both the year and its four quarters: where the year\'s figure is not the quarters\' sum (for a count at a date, the fourth quarter\'s). The district table takes the year\'s table. Open a reporter to see its table.', reviewedAt: '{0} on {1}', reasonLabel: 'Reason: ',
        returnedNotice: 'The district office returned this table (revision {0}, {1}). Correct it as follows and submit it again:', returnedForOffice: 'Revision {0} of this table was returned to the reporter on {1}, for this reason:', acceptedNotice: 'This table (revision {0}) was accepted by the district office ({1}).',
        closedNotice: 'Period {0} is closed: this table can no longer be submitted or corrected. To send or correct it, ask the district office to reopen the period.', closedNoticeSent: 'Period {0} is closed: this table can no longer be submitted or corrected. To correct it, ask the district office to return it (退回): you can then send one correction.',
        closedWithYearNotice: 'Period {0} is closed: the year {1} is closed, and your year is added up from your quarters, so this quarter closed with it and can no longer be submitted or corrected. To send or correct it, ask the district office to reopen {1}.',
        closedWithYearNoticeSent: 'Period {0} is closed: the year {1} is closed, and your year is added up from your quarters, so this quarter closed with it and can no longer be submitted or corrected. To correct it, ask the district office to return it (退回): you can then send one correction, without {1} being reopened.',
        correctOnce: 'Period {0} is closed: you may send one correction, as the return asks; once submitted the table is locked (to change it again, ask the district office to return it again).',
        correctOnceWithYear: 'Period {0} is closed (the year {1} is closed, and your year is added up from your quarters, so this quarter closed with it): you may send one correction, as the return asks; once submitted the table is locked (to change it again, ask the district office to return it again).',
        closedWithYearRefused: 'The year {1} is closed, and your year is added up from your quarters, so {0} closed with it: nothing more can be submitted. To correct a table sent, ask the district office to return it (退回), without reopening {1}; to send one not sent, ask it to reopen {1}.',
        closedWithYearNoticeNone: 'Period {0} is closed: the year {1} is closed, and this quarter closed with it, so it can no longer be submitted. To send it late, ask the district office to reopen {1}.',
        closedWithYearRefusedNone: 'The year {1} is closed, and {0} closed with it: nothing more can be submitted. To send it late, ask the district office to reopen {1}.',
        closedMine: 'Period {0} is closed: nothing more can be submitted. To send or correct the table, contact the district office.', view: 'View',
        reviewProblem: { 'revision-conflict': 'The reporter has submitted a newer revision (revision {currentRevision}): review that one.', 'review-conflict': r => reviewConflictText(r) },
        revisionLoaded: 'The reporter has submitted a newer revision (revision {0}); your review was not stored. Revision {0} is loaded below: review that one.',
        settingsChanged: "Someone else changed this period's settings, so yours ({0}) were not saved. The page has read the settings again: check them and save again.",
        expectedList: 'Expected reporters: {0}', expectedAll: 'every registered reporter', expectedSome: '{0} reporter(s)', saveExpected: 'Save expected reporters',
        expectedHint: 'Who is to report this period: one not ticked is not expected, not reminded, and not printed as missing (such as a reporter that sends only the year, no quarters); all ticked is every registered reporter, those registered later included. A table sent all the same still adds up.',
        expectedLocked: 'The period is closed: reopen it to change who is expected (it decides who is missing)',
        settingsChangedToggle: "Someone else changed this period's settings meanwhile (closed or reopened it, or set its deadline or expected reporters), so your “{0}” was not done. The page has read the settings again: check them, then press again if it is still to be done.",
        reviewedMeanwhile: 'This table was reviewed by {0} on {1}: {2}{3}. Your review was not stored: read it, then decide.', reviewedMeanwhileBy: 'someone else', reviewedMeanwhileSelf: 'you (this key)', pendingMeanwhile: 'This table awaits review, not as the page showed it. Your review was not stored: read it, then decide.',
        decided: { accepted: 'accepted', returned: 'returned' }, reasonParen: ' (reason: {0})', remarkParen: ' (remark: {0})',
        refresh: 'Refresh', refreshTitle: 'Read the reporters\' tables and reviews again (search, filter and order kept)', readAt: 'Read at {0}', reasonKept: 'The reason above was typed for revision {0}; the table shown since the refresh is revision {1}: check it before sending.',
        shareSorted: 'The {0} reporters with a figure give {1} in all, largest first.', shareFolded: 'The {0} reporters with a figure give {1} in all, largest first: the first {2} each, the other {3} together as “Others”.',
        shareOther: 'Others ({0} reporters)', shareBlank: '{0} more reporters have no figure (left blank).',
        find: 'Find a reporter (name or id)', only: 'Show', all: 'All', shownOf: 'Showing {0} of {1}', reviewGroup: 'Review',
        pickAll: 'Tick every awaiting review shown', pick: 'Select {0}', bulkAccept: 'Accept the ticked', bulkPickFirst: 'Tick the tables awaiting review to accept first.',
        bulkAccepting: 'Accepting: {0} of {1} done…', bulkAccepted: 'Accepted {0}; {1} not accepted.', bulkRefused: 'Not accepted: {0}', bulkUnpicked: 'Unticked {0} the filter no longer shows.',
        reviewedNext: '{0} revision {1}: {2}. ', nextPending: 'Next awaiting review: {0}.', noneNext: 'No other table awaits review.',
        withoutKey: 'No valid key', withoutContact: 'No contact', retiredOnly: 'Merged / discontinued', revokedOnly: 'Revoked', expiredOnly: 'Expired',
        findKey: 'Find (reporter name, id or holder)', groupedNote: '{1} in all, of {0} reporters, grouped by reporter; a reporter with more than 3 is folded: open it to see them.', groupCount: '{0}',
  },
};
let lang = sessionStorage.getItem('lang') || 'zh';
const t = (k, ...args) => String(text[lang][k] ?? k).replace(/\{(\d)\}/g, (_, i) => args[i]);
const esc = s => String(s ?? '').replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
const status = msg => { $('#status').textContent = msg || ''; };
// Read, the message is put away with a tap, or with Esc from the keyboard: on a phone it otherwise covers the foot of the screen for good.
$('#status').onclick = () => status('');
addEventListener('keydown', e => { if (e.key === 'Escape') status(''); });
const when = iso => (iso ? new Date(iso).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB') : '');
// A revision as the lists show it, marked when the district office entered it (submittedBy.role 'admin', an admin key) rather
// than the reporter's own key: the town sees which figures the office keyed in for it, and the office which it did.
const byOffice = i => i.submittedBy?.role === 'admin';
// 区政务公开办代填, with the clerk's name where the key that entered it was labelled (代填 · 张三).
const officeMark = i => (byOffice(i) ? esc(i.submittedBy.label ? t('byOfficeNamed', i.submittedBy.label) : t('byOffice')) : '');
// A revision the office keyed in from a table sent earlier says when it was sent, the time its deadline is judged on.
const sentMark = i => (i.sentAt ? esc(t('sentMark', when(i.sentAt))) : '');
// Punctuation as each language writes it: （…）, ， and ： in Chinese; ( … ), ", " and ": " in English.
const paren = s => (lang === 'zh' ? `（${s}）` : ` (${s})`);
const comma = () => (lang === 'zh' ? '，' : ', ');
const colon = () => (lang === 'zh' ? '：' : ': ');
const revisionItem = i => `<span data-revision="${i.revision}" data-by="${esc(i.submittedBy?.role ?? '')}">#${i.revision} ${esc(when(i.receivedAt))}${officeMark(i)}${sentMark(i)}${i.review ? (lang === 'zh' ? `（${reviewLabel(i.review)}）` : ` (${reviewLabel(i.review)})`) : ''}</span>`;
// The district office's review of a revision (审核): 待审核 until reviewed, then 已通过 or 已退回 with the reason the reporter must act on.
const reviewState = review => review?.decision ?? 'pending';
// What a review sends of the review the page shows, which it replaces only if that is still the current one: its state, and the
// time it was made, which tells it from another return made since with another reason.
const expectedReview = review => ({ expectedDecision: reviewState(review), ...(review?.reviewedAt ? { expectedReviewedAt: review.reviewedAt } : {}) });
const reviewLabel = review => `<span class="rv-${esc(reviewState(review))}" data-review="${esc(reviewState(review))}">${esc(text[lang].rv[reviewState(review)])}</span>`;
// A returned table's reason, set apart so that a town sees at once what to correct.
// A review another clerk stored since the page showed the table (409 review-conflict): who decided what, when and why.
const reviewOfConflict = r => (r.data?.currentDecision && r.data.currentDecision !== 'pending'
  ? { decision: r.data.currentDecision, comment: r.data.currentComment ?? null, reviewedAt: r.data.currentReviewedAt, reviewedBy: r.data.currentReviewedBy?.keyId } : null);
function reviewConflictText(r) {
  const current = reviewOfConflict(r);
  if (!current) return t('pendingMeanwhile');
  // The same key in another tab is not 其他人 (the configured admin key has no label to tell it by).
  const by = r.data.currentReviewedBy;
  const who = by?.keyId && by.keyId === myKeyId ? t('reviewedMeanwhileSelf') : by?.label ? (lang === 'zh' ? `“${by.label}”` : by.label) : t('reviewedMeanwhileBy');
  return t('reviewedMeanwhile', who, when(current.reviewedAt), text[lang].decided[current.decision],
    current.comment ? t(current.decision === 'returned' ? 'reasonParen' : 'remarkParen', current.comment) : '');
}
// The time of day, 14:05:09, in the computer's zone as every other time on the page (when()) and the datetime fields the
// office types its deadline and 来件时间 in: in the office that is Beijing time, and one clock is never set beside another.
const clock = date => date.toLocaleTimeString('zh-CN', { hourCycle: 'h23' });
const reasonBlock = review => review?.decision === 'returned' ? `<span class="reason">${esc(t('reasonLabel'))}${esc(review.comment)}</span>` : '';

// A #key=… link signs in once; the key leaves the address bar at once. Also when the link is opened in a tab where the
// page is already open: only the hash changes then, the page is not loaded again. A link whose %-escapes were mangled on the
// way (no key has any) is read as keyIn reads it, and refused as a wrong key, where decoding it would stop the page blank.
function takeLinkKey() {
  if (!location.hash.startsWith('#key=')) return false;
  sessionStorage.setItem('key', keyIn(location.hash));
  history.replaceState(null, '', location.pathname);
  return true;
}
takeLinkKey();
// The link opened again in a locked tab (its key is the one that was asked for) opens the lock in place, as the key typed
// there would: drawn again from the start, the page would lose what was typed under the lock.
addEventListener('hashchange', () => {
  if ($('#lock') && location.hash.startsWith('#key=')) {
    $('#lockKey').value = location.hash;
    history.replaceState(null, '', location.pathname);
    $('#lock form').requestSubmit();
    return;
  }
  if (takeLinkKey()) start();
});
// The key in what a person pastes or types where a key is asked for: the key itself, or the sign-in link (…/#key=…) that holds it,
// which is all a town signed in by a link has ever seen.
function keyIn(typed) {
  const text = typed.normalize('NFKC').trim();
  const at = text.indexOf('#key=');
  if (at < 0) return text;
  try { return decodeURIComponent(text.slice(at + 5)).trim(); } catch { return text; }
}
const key = () => sessionStorage.getItem('key');

async function api(path, { method = 'GET', body, headers = {}, raw = false } = {}) {
  const init = { method, headers: { 'X-Api-Key': key(), ...headers } };
  if (body instanceof Blob || body instanceof ArrayBuffer) init.body = body;
  else if (body !== undefined) { init.body = JSON.stringify(body); init.headers['Content-Type'] = 'application/json'; }
  let response;
  try { response = await fetch(path, init); } catch { response = null; }
  // No answer at all (network down, server gone): a person is told so, where a click would otherwise do nothing.
  if (!response) return raw ? { ok: false, status: 0 } : { ok: false, status: 0, data: { detail: t('offline') }, etag: null };
  if (raw) return response;
  const data = response.status === 204 ? null : await response.json().catch(() => null);
  return { ok: response.ok, status: response.status, data, etag: response.headers.get('ETag'), retryAfter: Number(response.headers.get('Retry-After')) || null };
}

const slugOf = r => String(r.data?.type ?? '').split('/').pop();

// What went wrong, for a person: the problem in their language where the page knows it (own: this page's words for a
// slug, or a function of the answer giving them, or nothing to fall back on the page's own), else the server's detail.
// {period} is named as people read it (2014年度).
function problemText(r, own = {}) {
  if (r.status === 0) return t('offline');
  const slug = slugOf(r);
  const violations = (r.data?.violations ?? []).map(v => (lang === 'zh' ? v.messageZh : v.message)).filter(Boolean);
  // A malformed field the page knows is said in the page's words; any other (a workbook's cell, said in Chinese first) in the server's.
  const fields = slug === 'validation' ? (r.data?.errors ?? []).map(e => fieldText(e.name)) : [];
  const mine = typeof own[slug] === 'function' ? own[slug](r) : own[slug];
  const known = (mine ?? text[lang].problem[slug])?.replace(/\{(\w+)\}/g, (_, k) => (k === 'minutes' ? Math.ceil(r.retryAfter / 60)
    : k === 'period' && r.data?.period ? periodName(r.data.period) : r.data?.[k] ?? ''));
  return known ?? (fields.length && fields.every(Boolean) ? [...new Set(fields)].join(' ') : null)
    ?? (violations.length ? violations.join(' ') : null) ?? (fields.length > 1 ? r.data.errors.map(e => spoken(e.reason)).join(' ') : null)
    ?? spoken(r.data?.detail) ?? t('failed', r.status);
}

// The service says what a person can mend in Chinese first, then in English, in one text (a workbook's cell, a file that is
// no workbook, a refused registration), as the API's own clients show it: the page shows the half in its own language, as it
// shows a violation's messageZh or message. A text in one language only is shown whole.
function spoken(said, language = lang) {
  const halves = /^(.*?[\u4e00-\u9fff].*?[。！？])\s*([A-Z].*)$/s.exec(said ?? '');
  return halves ? halves[language === 'zh' ? 1 : 2] : said;
}

// A file chosen for upload that its name says is no .xlsx (an old .xls, WPS's .et, a .csv): not sent, and said why, in the page's words.
const notXlsx = file => /\.(xls|xlt|et|ett|csv|txt|ods|wps)$/i.test(file.name) ? t('notXlsx', file.name) : null;
const fieldText = (name, language = lang) => text[language].field?.[String(name).replace(/\[\d+\]/g, '[]')];

// A period the catalogue does not have, said as such (the service's 404 names it in English), with an example among the
// years it has; text that is no period at all, said to be that rather than a period the table lacks.
function periodProblem(r, catalogueId, period) {
  const c = catalogues.find(x => x.id === catalogueId);
  const lastYear = new Date().getFullYear() - 1;
  const example = c?.periods ? Math.max(c.periods.fromYear, Math.min(lastYear, c.periods.toYear ?? lastYear)) : lastYear;
  if (!/^\d{4}(Q[1-4])?$/.test(period)) return t('notPeriod', period, example);
  if (r.status !== 404 || !c?.periods) return problemText(r);
  const years = c.periods.toYear ? t('yearsBetween', c.periods.fromYear, c.periods.toYear) : t('yearsFrom', c.periods.fromYear);
  return t('badPeriod', lang === 'zh' ? c.title : c.titleEn, period, years, example, c.periods.granularities?.includes('quarter') ? t('quarter', example) : '');
}

// A form sent once at a time: its button is held down until the answer, so a double click on a slow line issues one key,
// registers once, submits once.
const once = handler => async e => {
  e.preventDefault();
  const button = e.currentTarget.querySelector('button[type=submit]');
  if (button?.disabled) return;
  if (button) button.disabled = true;
  // Disabled, the button lost the focus to the page: it gets it back (提交 pressed from the keyboard stays where it was), unless
  // the handler moved it on (to the first field in error) or drew the button away.
  try { await handler(e); } finally { if (button) { button.disabled = false; if (document.activeElement === document.body && button.isConnected) button.focus(); } }
};

// A number as people type it: full-width digits (１２), spaces, a leading ', thousands separators (1,234); NaN for anything else.
function typedNumber(value) {
  let s = value.normalize('NFKC').trim().replace(/^'/, '').trim();
  if (/^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(s)) s = s.replaceAll(',', '');
  return /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(s) ? Number(s) : NaN;
}

// A period as people write it: ２０１４, 2014年, 2014年度, 2014q3, 2014年第三季度 (as the printed form says it), 2014年3季度,
// 2014年三季度, 2014-Q3, 2014 Q3, as 2014 or 2014Q3; anything else is left for the service to refuse. The service reads a workbook's period cell by the same rule
// (Period.TryParseTyped), so what the office may type here a town may type in Excel.
function typedPeriod(value) {
  const typed = value.normalize('NFKC').trim().toUpperCase();
  const quarter = /^(\d{4})\s*年\s*(?:第\s*)?([1-4一二三四])\s*季度$/.exec(typed) ?? /^(\d{4})\s*(?:年|-)?\s*Q\s*([1-4])$/.exec(typed);
  return quarter ? `${quarter[1]}Q${'1234一二三四'.indexOf(quarter[2]) % 4 + 1}` : typed.replace(/\s*年度?$/, '');
}

// A file of the service's, saved under the name the service gives it (one name for the page, a link and curl alike).
async function download(path) {
  const response = await api(path, { raw: true });
  if (!response.ok) { status(problemText({ status: response.status, data: response.status ? await response.json().catch(() => null) : null })); return; }
  save(await response.blob(), fileNameOf(response));
}

// The name in Content-Disposition: its filename* (RFC 6266: UTF-8, percent-encoded), the Chinese name
// (2014年度政府信息公开工作情况统计表-阴平镇.xlsx), before its filename, of the ids, which is there for clients that read no other.
function fileNameOf(response) {
  const header = response.headers.get('Content-Disposition') ?? '';
  const star = /filename\*\s*=\s*UTF-8''([^;\s]+)/i.exec(header);
  if (star) try { return decodeURIComponent(star[1]); } catch { /* not percent-encoding: the plain name below */ }
  return /filename\s*=\s*"?([^";]+)"?/i.exec(header)?.[1].trim() ?? '';
}

// Hands the browser a file to save, as a download link does.
function save(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(a); a.click(); a.remove(); URL.revokeObjectURL(url);
}

// One of the service's printable pages (?format=html), printed from a hidden frame of this page: the page is read with the
// key, which a tab opened at its address would not send, and a frame leaves no blob tab behind nor meets a popup blocker.
// The frame's document keeps this page's policy (a srcdoc frame inherits it), so it runs no script, and the printable page has none.
async function printPage(path, title) {
  const r = await api(path, { raw: true });
  if (!r.ok) { status(problemText({ status: r.status, data: r.status ? await r.json().catch(() => null) : null })); return; }
  printHtml(await r.text(), title);
}

function printHtml(html, title) {
  $('#printFrame')?.remove();
  const frame = Object.assign(document.createElement('iframe'), { id: 'printFrame', title, className: 'printFrame' });
  frame.onload = () => frame.contentWindow.print();
  frame.srcdoc = html;
  document.body.append(frame);
}

// 发布记录: each close of a published period, from the audit log (a close is a publication; the period keeps only its first
// and its latest), not a close answered as it stood (未作改动), each with the table and the breakdown as they stood then (?asAt=) and what changed since, from the two
// breakdowns (then and now): each figure of the district table that moved, with the reporters whose figures moved it.
async function publications(base, catalogueId, period, name, national) {
  const box = $('#publications .body');
  const log = await api(`/v1/audit?action=${encodeURIComponent('POST v1/periods/{catalogue}/{period}/close')}&limit=500`);
  const closes = (log.data?.items ?? []).filter(e => e.path === `/v1/periods/${catalogueId}/${period}/close` && e.status === 200 && /^(再次)?关闭/.test(e.detail ?? '')).reverse();
  if (!log.ok) { box.textContent = problemText(log); return; }
  box.innerHTML = closes.length ? `<p class="muted">${esc(t('publicationsHint'))}</p>` + scroller(t('publications'), `<table id="publicationList"><thead><tr><th scope="col">${t('closedWhen')}</th><th scope="col">${t('closedBy')}</th><th scope="col">${t('closedTables')}</th><th scope="col" class="noprint">${t('action')}</th></tr></thead><tbody>${closes.map(e => `<tr data-at="${esc(e.at)}">
    <td>${esc(when(e.at))}</td><td>${esc(e.holder ?? text[lang].role[e.role] ?? e.role ?? '')}</td><td class="wrap">${esc(e.detail.replace(/^[^；]*；(计入合计的报表：)?/, ''))}</td><td class="noprint">
    <button type="button" data-then-print>${t('printThen')}</button> ${national ? `<button type="button" data-then-national>${t('nationalThen')}</button> ` : ''}<button type="button" data-then-breakdown>${t('breakdownThen')}</button> <button type="button" data-compare>${t('compareNow')}</button></td></tr>`).join('')}</tbody></table>`)
    + '<div id="changes"></div>' : `<p>${esc(t('publicationsNone'))}</p>`;
  box.querySelectorAll('#publicationList tr[data-at]').forEach(row => {
    const at = encodeURIComponent(row.dataset.at), said = when(row.dataset.at);
    row.querySelector('[data-then-print]').onclick = () => printPage(`${base}?format=html&asAt=${at}`, t('printThen'));
    if (national) row.querySelector('[data-then-national]').onclick = () => printPage(`${base}/as/${encodeURIComponent(national)}?format=html&asAt=${at}`, t('nationalThen'));
    row.querySelector('[data-then-breakdown]').onclick = () => download(`${base}/breakdown?format=xlsx&asAt=${at}`);
    row.querySelector('[data-compare]').onclick = async () => {
      const [then, now] = await Promise.all([api(`${base}/breakdown?asAt=${at}`), api(`${base}/breakdown`)]);
      if (!then.ok || !now.ok) { status(problemText(then.ok ? now : then)); return; }
      $('#changes').innerHTML = changes(then.data, now.data, said, name);
      $('#printChanges')?.addEventListener('click', () => printHtml(`<!doctype html><html lang="${lang === 'zh' ? 'zh-CN' : 'en'}"><meta charset="utf-8"><title>${esc(periodName(period))}</title>
        <style>body{font-family:sans-serif;font-size:10.5pt}table{border-collapse:collapse}th,td{border:1px solid #000;padding:2px 6px}.n{text-align:right}.noprint{display:none}</style>
        <h1 style="font-size:14pt">${esc(periodName(period))}${esc(now.data.title)}</h1>${$('#changes').innerHTML}`, t('printChanges')));
    };
  });
}

// The changes from breakdown then to breakdown now (each of GET …/breakdown): the reporters whose tables changed, by revision,
// and each line of the table whose figure moved, or any reporter's figure in it (blank is not zero).
function changes(then, now, said, name) {
  const at = b => Object.fromEntries(b.columns.map((c, i) => [c.reporter, i]));
  const [was, is] = [at(then), at(now)];
  const ids = [...new Set([...then.columns, ...now.columns].map(c => c.reporter))];
  const revision = (b, id) => b.completeness.reporters.find(r => r.reporter === id)?.submissions.map(s => s.revision).join('+');
  const tables = ids.map(id => [id, revision(then, id), revision(now, id)]).filter(([, a, b]) => a !== b)
    .map(([id, a, b]) => t(a === undefined ? 'revisionNew' : b === undefined ? 'revisionGone' : 'revisionChange', name(id), a ?? b, b));
  const before = Object.fromEntries(then.lines.map(l => [l.code, l]));
  const figure = v => (v ?? null) === null ? t('blankFigure') : String(v);
  const rows = now.lines.filter(l => l.role !== 'header').map(l => {
    const b = before[l.code];
    const moved = ids.filter(id => (b?.values?.[was[id]] ?? null) !== (l.values?.[is[id]] ?? null))
      .map(id => `${name(id)} ${figure(b?.values?.[was[id]])} → ${figure(l.values?.[is[id]])}`);
    return (b?.total ?? null) === (l.total ?? null) && !moved.length ? '' : `<tr data-code="${esc(l.code)}"><td>${esc(l.code)}</td><td>${esc(l.name)}</td><td class="n">${esc(figure(b?.total))}</td>
      <td class="n">${esc(figure(l.total))}</td><td class="n">${typeof b?.total === 'number' && typeof l.total === 'number' ? esc(String(+(l.total - b.total).toFixed(4))) : ''}</td><td>${esc(moved.join(lang === 'zh' ? '；' : '; '))}</td></tr>`;
  }).join('');
  if (!tables.length && !rows) return `<p id="changesNone">${esc(t('changesNone', said))}</p>`;
  return `<h3>${esc(t('changesHead', said))}</h3><p id="changedTables">${esc(t('changedTables'))}${colon()}${esc(tables.join(lang === 'zh' ? '；' : '; '))}</p>
    <p class="noprint"><button type="button" id="printChanges">${t('printChanges')}</button></p>
    <table id="changeRows"><thead><tr><th scope="col">${t('id')}</th><th scope="col">${t('name')}</th><th scope="col">${t('thenCol')}</th><th scope="col">${t('nowCol')}</th><th scope="col">${t('deltaCol')}</th><th scope="col">${t('byWhomCol')}</th></tr></thead><tbody>${rows}</tbody></table>`;
}

// The period a catalogue opens at: last year, or the last year it accepts if it ends before that.
function defaultPeriod(catalogue) {
  const lastYear = new Date().getFullYear() - 1;
  const p = catalogue?.periods;
  return p ? String(Math.max(p.fromYear, Math.min(lastYear, p.toYear ?? lastYear))) : String(lastYear);
}

// Whether catalogue c takes tables of the year y (from its first year, to its last if it has one).
function coversYear(c, y) { return c.periods.fromYear <= y && (c.periods.toYear ?? y) >= y; }

// The table the pages open at: the edition in which last year is reported (the 2021 edition for 2025), not the first by id;
// of two that cover it, the one that begins later (a format the office loaded from 2019 over the 2014 edition's years).
function currentCatalogue() {
  const lastYear = new Date().getFullYear() - 1;
  return catalogues.filter(c => coversYear(c, lastYear))
    .reduce((a, c) => (a && a.periods.fromYear >= c.periods.fromYear ? a : c), undefined) ?? catalogues[0];
}

function selectors(root, onLoad, legend = t('table')) {
  const current = currentCatalogue();
  root.insertAdjacentHTML('beforeend', `<fieldset class="noprint"><legend>${esc(legend)}</legend>
    <label>${t('catalogue')} <select id="catalogue">${catalogues.map(c =>
      `<option value="${esc(c.id)}" title="${esc(c.id)}"${c === current ? ' selected' : ''}>${esc(lang === 'zh' ? c.title : c.titleEn)}</option>`).join('')}</select></label>
    <label>${t('period')} <input id="period" value="${esc(defaultPeriod(current))}" size="8" pattern="\\d{4}(Q[1-4])?"></label>
    <button type="button" id="open">${t('load')}</button></fieldset><section id="view"></section>`);
  $('#catalogue').onchange = () => { $('#period').value = defaultPeriod(catalogues.find(c => c.id === $('#catalogue').value)); };
  // Enter in 统计期 opens, as in any form (the fields are no form of their own).
  $('#period').onkeydown = e => { if (e.key === 'Enter') $('#open').click(); };
  $('#open').onclick = () => {
    const period = typedPeriod($('#period').value);
    $('#period').value = period;
    return onLoad($('#catalogue').value, period);
  };
}

// A table that fits a phone only when it scrolls on its own: a focusable region, so the keyboard can scroll it too.
const scroller = (label, inner) => `<div class="scroll" role="region" tabindex="0" aria-label="${esc(label)}">${inner}</div>`;

// The printed header of a table with columns: one header row per level of the column tree (申请人情况 › 法人或其他组织 › 商业企业),
// and the value columns (leaves) in printed order.
function columnTree(table) {
  const kids = parent => table.columns.filter(c => (c.parent ?? null) === parent);
  const depthOf = c => (c.role === 'header' ? 1 + Math.max(0, ...kids(c.code).map(depthOf)) : 1);
  const depth = Math.max(1, ...kids(null).map(depthOf));
  const levels = Array.from({ length: depth }, () => []);
  const leaves = [];
  const walk = (c, level) => {
    const cell = { c, colspan: 1, rowspan: c.role === 'header' ? 1 : depth - level };
    levels[level].push(cell);
    if (c.role !== 'header') { leaves.push(c); return; }
    const first = leaves.length;
    kids(c.code).forEach(k => walk(k, level + 1));
    cell.colspan = Math.max(1, leaves.length - first);
  };
  kids(null).forEach(c => walk(c, 0));
  return { depth, levels, leaves };
}

function columnHeader(tree, leading) {
  return tree.levels.map((level, i) => `<tr>${i === 0 ? leading.map(h => `<th scope="col" rowspan="${tree.depth}">${esc(h)}</th>`).join('') : ''}${level
    .map(({ c, colspan, rowspan }) => `<th scope="${colspan > 1 ? 'colgroup' : 'col'}" colspan="${colspan}" rowspan="${rowspan}" data-column="${esc(c.code)}">${esc(c.name)}</th>`)
    .join('')}</tr>`).join('');
}

// How far a row is indented as printed: one step per parent (其中 rows under their whole, items under their heading).
function indenter(table) {
  const rows = new Map(table.rows.map(r => [r.code, r]));
  return row => {
    let depth = 0;
    for (let r = row; r?.parent && depth < 6; r = rows.get(r.parent)) depth++;
    return depth ? ` style="padding-left:${(0.4 + 1.2 * depth).toFixed(1)}rem"` : '';
  };
}

// ---- sign-in -------------------------------------------------------------------------------------

async function start() {
  unlocked();
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  document.querySelectorAll('[data-t]').forEach(e => { e.textContent = t(e.dataset.t); });
  $('#lang').textContent = lang === 'zh' ? 'English' : '中文';
  app.innerHTML = '';
  if (!key()) return signIn();
  // A key is visible ASCII; anything else cannot even be sent in a header (the browser refuses it, as if offline).
  if (!/^[!-~]+$/.test(key())) { sessionStorage.removeItem('key'); return signIn(t('badKey')); }
  const [me, list] = await Promise.all([api('/v1/me'), api('/v1/catalogues')]);
  // A key the service refuses is forgotten, and the person told why; a service that cannot be reached keeps it, to try again.
  // An expired key is told when it expired, as the service says it (Chinese, then English); any other refusal (unknown,
  // revoked: the service does not say which) in the page's own words, which name the sign-in link to ask for.
  if (me.status === 401) { sessionStorage.removeItem('key'); return signIn(expiredKey(me) ?? t('badKey')); }
  if (!me.ok) {
    app.innerHTML = `<p class="missing" role="alert">${esc(problemText(me))}</p><p><button type="button" id="retry">${t('retry')}</button></p>`;
    $('#retry').onclick = start;
    return;
  }
  catalogues = list.ok ? list.data.items : [];
  // The key's holder too (张三), as the office labelled it: on a shared computer, whose key this tab holds.
  watchIdle(me.data);
  myKeyId = me.data.keyId;
  $('#who').textContent = (me.data.reporter ? `${me.data.reporter.name}（${text[lang].role.reporter}）` : text[lang].role[me.data.role]) +
    (me.data.label ? ` · ${me.data.label}` : '');
  $('#signout').hidden = false;
  // A key that ends within 30 days says so at the top, so that its holder asks for a new one before it stops working.
  if (me.data.expiresAt && new Date(me.data.expiresAt) - Date.now() < 30 * 86400000)
    app.insertAdjacentHTML('beforeend', `<p class="notice returned noprint" id="expiryNotice" role="status">${esc(t('expiresSoon', when(me.data.expiresAt)))}</p>`);
  if (me.data.role === 'reporter') reporterHome(me.data.reporter);
  else officeHome(me.data.role === 'admin');
}

// The service's 401 for a key that has expired has a type of its own (…/key-expired, with expiredAt); its detail names the time.
const expiredKey = r => (slugOf(r) === 'key-expired' ? r.data.detail : null);

function signIn(why) {
  $('#who').textContent = ''; $('#signout').hidden = true;
  app.innerHTML = `<form id="signin"><h2>${t('signIn')}</h2>${why ? `<p class="missing" role="alert" id="signinError">${esc(why)}</p>` : ''}
    <label>${t('key')} <input id="keyInput" type="password" autocomplete="off" required size="50"${why ? ' aria-invalid="true" aria-describedby="signinError"' : ''}></label>
    <button type="submit">${t('signIn')}</button></form>`;
  $('#keyInput').focus();
  // Signed in, the focus goes to where the page begins (我的报表, or the office's first tab), not to the page as a whole.
  $('#signin').onsubmit = async e => {
    e.preventDefault(); sessionStorage.setItem('key', keyIn($('#keyInput').value)); await start();
    if (document.activeElement === document.body) app.querySelector('#mineTitle, nav button')?.focus();
  };
}

$('#signout').onclick = () => { sessionStorage.removeItem('key'); start(); };

// ---- locked after idle time ------------------------------------------------------------------------
// A signed-in page left alone (a shared office computer) locks itself after the service's LockAfterIdleSeconds without a
// key press, click or touch: the key is forgotten, the page is covered and made inert, and the same key opens it again with
// everything typed still there. Another key signs out first, so one person's half-filled form never goes out under another's.
let lastActive = Date.now();
let idle = null;
/** The signed-in key's id (GET /v1/me), to tell its own reviews from others'. */
let myKeyId = null;
for (const type of ['keydown', 'pointerdown', 'touchstart', 'wheel'])
  addEventListener(type, () => { if (!$('#lock')) lastActive = Date.now(); }, { capture: true, passive: true });

function watchIdle(me) {
  clearInterval(idle?.timer);
  idle = me.lockAfterIdleSeconds > 0 ? { keyId: me.keyId, seconds: me.lockAfterIdleSeconds } : null;
  if (!idle) return;
  lastActive = Date.now();
  idle.timer = setInterval(() => { if (!$('#lock') && key() && Date.now() - lastActive >= idle.seconds * 1000) lock(); }, Math.min(15000, idle.seconds * 250));
}

function lock() {
  sessionStorage.removeItem('key');
  for (const e of [app, $('header')]) e.inert = true;
  // The lock screen has the language switch of the header it covers: said again in the other language, with the key as typed.
  const typedKey = $('#lockKey')?.value ?? '';
  $('#lock')?.remove();
  document.body.insertAdjacentHTML('beforeend', `<div id="lock" role="dialog" aria-modal="true" aria-labelledby="lockTitle"><form>
    <h2 id="lockTitle">${t('locked')}</h2><p>${esc(t('lockedText', Math.max(1, Math.round(idle.seconds / 60))))}</p>
    <label>${t('lockKey')} <input id="lockKey" type="password" autocomplete="off" required size="40"></label>
    <button type="submit">${t('unlock')}</button> <button type="button" id="lockSignOut">${t('signOut')}</button>
    <button type="button" id="lockLang" lang="${lang === 'zh' ? 'en' : 'zh-CN'}">${lang === 'zh' ? 'English' : '中文'}</button>
    <p class="missing" id="lockError" role="alert"></p></form></div>`);
  $('#lockKey').value = typedKey;
  $('#lockKey').focus();
  $('#lockSignOut').onclick = start;
  $('#lockLang').onclick = () => $('#lang').onclick();
  $('#lock form').onsubmit = once(async () => {
    const typed = keyIn($('#lockKey').value);
    // A key is visible ASCII (as at sign-in); anything else is not this page's key and cannot even go in a header.
    const r = /^[!-~]+$/.test(typed) ? await api('/v1/me', { headers: { 'X-Api-Key': typed } }) : { ok: false, status: 401 };
    if (!r.ok || r.data?.keyId !== idle.keyId) { $('#lockError').textContent = r.status === 0 ? t('offline') : t('notThisKey'); return; }
    sessionStorage.setItem('key', typed);
    unlocked();
    lastActive = Date.now();
    // The language switched while locked: the page under it is drawn in that language now that it has its key, as typed.
    if (idle.redraw) { idle.redraw = false; await redraw(); }
  });
}

function unlocked() {
  $('#lock')?.remove();
  for (const e of [app, $('header')]) e.inert = false;
}
// The language switches where the person is: the table and period that were open open again, and a form being filled in
// (a town's own, or the office's entry on a reporter's behalf) with its figures, 填报说明 and 来件时间 as typed.
// A locked page has no key to draw anything with: the lock screen is said in the new language, and the page under it,
// what was typed with it, when its key opens it again (before, the switch signed out and lost the form).
$('#lang').onclick = async () => {
  lang = lang === 'zh' ? 'en' : 'zh'; sessionStorage.setItem('lang', lang);
  if ($('#lock') && idle) {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.querySelectorAll('[data-t]').forEach(e => { e.textContent = t(e.dataset.t); });
    $('#lang').textContent = lang === 'zh' ? 'English' : '中文';
    idle.redraw = true;
    lock();
    return;
  }
  await redraw();
};
async function redraw() {
  const opened = $('#view')?.childElementCount ? { catalogue: $('#catalogue').value, period: $('#period').value } : null;
  const behalf = $('#behalf')?.dataset.reporter;
  const typed = $('#entry') ? [...document.querySelectorAll('#entry input[name], #note, #sentAt')].map(i => [i.id ? `#${i.id}` : `#entry input[name="${CSS.escape(i.name)}"]`, i.value]) : null;
  await start();
  if (!opened || !$('#open')) return;
  $('#catalogue').value = opened.catalogue; $('#period').value = opened.period;
  await $('#open').onclick();
  if (behalf) await $(`#view [data-fill="${CSS.escape(behalf)}"]`)?.onclick();
  if (!typed || !$('#entry')) return;
  for (const [selector, value] of typed) { const field = $(selector); if (field) field.value = value; }
  $('#entry').dispatchEvent(new Event('input')); // checked again, in the new language
}

// A period as a person reads it (2020年度, 2020年第3季度; 2020, 2020 Q3): the code itself is what requests and attributes carry.
const periodName = p => {
  const quarter = /^(\d{4})Q(\d)$/.exec(p);
  if (lang !== 'zh') return quarter ? `${quarter[1]} Q${quarter[2]}` : p;
  return quarter ? `${quarter[1]}年第${quarter[2]}季度` : /^\d{4}$/.test(p) ? `${p}年度` : p;
};

// Whether period p begins on or after period from, as Period.BeginsOnOrAfter: a year begins with its first quarter.
const beginsOnOrAfter = (p, from) => (p.slice(0, 4) !== from.slice(0, 4) ? p.slice(0, 4) > from.slice(0, 4) : Number(p.slice(5) || 1) >= Number(from.slice(5) || 1));
// A reporter merged or discontinued (retiredFrom), as the lists mark it: 已撤并（自2020年度起）.
const retiredMark = r => (r?.retiredFrom ? ` <span class="retired" data-retired-from="${esc(r.retiredFrom)}">${esc(t('retiredMark', periodName(r.retiredFrom)))}</span>` : '');

const statusLabel = (s, deadline) => `<span class="st-${esc(s)}">${esc(text[lang].st[s === 'onTime' && !deadline ? 'submitted' : s])}</span>`;

// ---- a reporter's own tables and data entry ----------------------------------------------------------

async function reporterHome(reporter) {
  app.insertAdjacentHTML('beforeend', `<section id="mine" aria-labelledby="mineTitle"><h2 id="mineTitle" tabindex="-1">${t('mine')}</h2>${reporter.retiredFrom
    ? `<p class="retired" id="retiredNote">${esc(t('retiredNote', periodName(reporter.retiredFrom)))}</p>` : ''}<p class="muted" id="ownContact">${esc(reporter.contact
      ? t('ownContact', reporter.contact) : t('noContact'))}</p><div id="minePeriods"></div></section>`);
  selectors(app, (catalogue, period) => entryForm(reporter, catalogue, period), t('otherPeriod'));
  await myPeriods(reporter);
}

async function myPeriods(reporter) {
  const r = await api(`/v1/reporters/${encodeURIComponent(reporter.id)}/periods`);
  // Newest first (a year before its quarters), whatever the edition: the period still to act on comes first.
  const order = p => Number(p.slice(0, 4)) * 10 + (p.length === 4 ? 5 : Number(p.slice(5)));
  const items = (r.ok ? r.data.items : []).toSorted((a, b) => order(b.period) - order(a.period));
  const behindReturn = items.map(i => closedBehindReturn(i, items));
  // A closed period the town still owes a table for (未报, 季报未报齐) says so, with whom to ask, rather than inviting a
  // submission the service would refuse; its table opens to be read (查看), not filled in. A table the office returned (已退回)
  // is not closed to the town (data-closed false): it is filled in (填报) and sent once more; in a closed period its row still
  // says （已关闭） and invites the one correction (更正, data-correct-once), so that the town reads the period as closed.
  const owed = i => i.closed && i.status === 'notSubmitted';
  // A status with quarters to come or past its deadline is long: it wraps, rather than push 填报 off a 1366-wide screen.
  const overdue = i => i.status === 'notSubmitted' && !i.closed && i.deadline && new Date(i.deadline) < new Date();
  const long = i => i.quartersToCome || overdue(i);
  const action = (i, k) => (i.closed ? 'view' : behindReturn[k] ? 'correct' : 'fill');
  // In the page's language, as the select above names it; the list's own title (Chinese) for a catalogue the page does not list.
  const catalogueTitle = i => { const c = catalogues.find(x => x.id === i.catalogue); return c && lang !== 'zh' ? c.titleEn : i.title; };
  $('#minePeriods').innerHTML = items.length ? scroller(t('minePeriods'), `<table id="myPeriods"><thead><tr><th scope="col" class="wrap">${t('catalogue')}</th><th scope="col">${t('period')}</th>
    <th scope="col">${t('deadline')}</th><th scope="col">${t('status')}</th><th scope="col">${t('revision')}</th><th scope="col">${t('time')}</th><th scope="col" class="wrap">${t('reviewCol')}</th><th scope="col" class="noprint">${t('action')}</th></tr></thead><tbody>
    ${items.map((i, k) => `<tr data-period="${esc(i.catalogue)}/${esc(i.period)}" data-status="${esc(i.status)}" data-closed="${i.closed}"${behindReturn[k] ? ` data-correct-once="${esc(behindReturn[k])}"` : ''} class="${i.review?.decision === 'returned' ? 'returned' : ''}"><td class="wrap title">${esc(catalogueTitle(i))}</td><td data-label="${t('period')}">${esc(periodName(i.period))}</td>
      <td data-label="${t('deadline')}">${i.deadline ? esc(when(i.deadline)) : `<span class="muted">${t('noDeadline')}</span>`}${i.closed || behindReturn[k] ? `（${t('closed')}）` : ''}</td>
      <td data-label="${t('status')}"${owed(i) || long(i) ? ' class="wrap"' : ''}>${statusLabel(i.quartersToCome ? 'incomplete' : i.status, i.deadline)}${i.quartersToCome ? paren(t('quartersToCome', quarterNumbers(i.quartersToCome))) : ''}${overdue(i) ? ` <span class="missing">${t('overdue')}</span>` : ''}${owed(i) ? `<span class="closedNote">${esc(t('closedMine', periodName(i.period)))}</span>` : ''}</td><td class="n${i.quarters || officeMark(i) ? ' wrap' : ''}" data-label="${t('revision')}">${i.quarters ? esc(t('quartersCount', i.quarters.length)) : i.revision || ''}${officeMark(i)}</td><td data-label="${t('time')}">${esc(when(i.receivedAt))}${sentMark(i)}</td>
      <td class="wrap" data-label="${t('reviewCol')}">${i.revision ? reviewLabel(i.review) + reasonBlock(i.review) : ''}</td>
      <td class="noprint"><a href="#" data-open="${esc(i.catalogue)}|${esc(i.period)}" aria-label="${esc(`${t(action(i, k))} ${i.title} ${periodName(i.period)}`)}">${t(action(i, k))}</a></td></tr>`).join('')}
    </tbody></table>`) : `<p>${t('none')}</p>`;
  $('#minePeriods').querySelectorAll('[data-open]').forEach(a => {
    a.onclick = e => {
      e.preventDefault();
      const [catalogue, period] = a.dataset.open.split('|');
      $('#catalogue').value = catalogue; $('#period').value = period;
      // The form opens below 我的报表, off a phone's screen: brought into view, as what the press asked for, with the focus, so
      // that Tab goes on into the form rather than back up the list (and a screen reader says which form opened).
      entryForm(reporter, catalogue, period).then(() => { $('#formTitle')?.scrollIntoView(); $('#formTitle')?.focus({ preventScroll: true }); });
    };
  });
}

// The review of the revision a form opens with: a returned table's reason where the person starts, so that it is what they fix.
// closed: what to say instead when the period no longer takes the reporter's table (closedNotice), for the town to ask the office
// rather than correct and resubmit. office: the office opened it (代填/更正), and is told what it returned, not asked to resubmit.
// correction: a returned table's period is closed all the same, said first, so that the town sends its correction whole.
function reviewNotice(revision, closed, office, correction) {
  const review = revision?.review;
  // Never a returned table's: the office's return opens it to its correction (tableState).
  if (closed) return `<div class="notice closed" id="closedNotice" role="alert"><strong>${esc(closed)}</strong></div>`;
  if (!review) return '';
  if (review.decision === 'returned')
    return `<div class="notice returned" role="alert">${correction ? `<span class="closedNote" id="correctionNotice">${esc(correction)}</span>` : ''}<strong>${esc(t(office ? 'returnedForOffice' : 'returnedNotice', revision.revision, when(review.reviewedAt)))}</strong>${reasonBlock(review)}</div>`;
  return `<p class="notice accepted">${esc(t('acceptedNotice', revision.revision, when(review.reviewedAt)))}</p>`;
}

// A table the office returned (退回) takes one correction, so the reporter's own list does not call it closed; whether its period
// is closed all the same (the correction then locks it again) is in the same list: the row's periodClosed, or, for a quarter,
// its year's row when the year closes its quarters to the reporter (no table of the year). The period that is closed (the
// quarter's year when that is what closes it); null while open, or not returned.
function closedBehindReturn(item, items) {
  if (item.closed || item.review?.decision !== 'returned') return null;
  if (item.periodClosed) return item.period;
  const year = item.period.includes('Q') ? items.find(i => i.catalogue === item.catalogue && i.period === item.period.slice(0, 4)) : null;
  return year?.closed && !year.revision ? year.period : null;
}

// Whether a period takes no more tables of the reporter, as its own list says, in the words of the form's notice (closed; null
// while open), and for a returned table of a closed period the words that it takes one correction (correction; null otherwise).
// Closed: the period itself, or a quarter whose year is closed while the reporter has no table of the year (its year is added
// up from its quarters, so they close with it); read from the year's row too, since a quarter with no table nor deadline has no row.
async function tableState(reporterId, catalogueId, period) {
  const r = await api(`/v1/reporters/${encodeURIComponent(reporterId)}/periods`);
  const items = r.ok ? r.data.items.filter(i => i.catalogue === catalogueId) : [];
  const year = period.includes('Q') ? items.find(i => i.period === period.slice(0, 4)) : null;
  const own = items.find(i => i.period === period);
  // Whether the reporter sent a quarter of this quarter's year: only then is its year added up from its quarters, as the words
  // of a quarter closed with its year say; to one that sent nothing of the year, they say only that the quarter closed with it.
  const fromQuarters = period.includes('Q') && items.some(i => i.period.startsWith(`${period.slice(0, 4)}Q`) && i.revision);
  // A table the office returned is open to its correction, closed or not (its row is not closed).
  if (own && !own.closed && own.review?.decision === 'returned') {
    const closing = closedBehindReturn(own, items);
    return { closed: null, fromQuarters, correction: !closing ? null : closing === period ? t('correctOnce', periodName(period)) : t('correctOnceWithYear', periodName(period), periodName(closing)) };
  }
  const closed = words => ({ closed: words, correction: null, fromQuarters });
  // A quarter sent already is corrected through a return (退回) as well, the year left closed; one not sent only through reopening the year.
  if (year?.closed && !year.revision) {
    const words = own?.revision ? 'closedWithYearNoticeSent' : fromQuarters ? 'closedWithYearNotice' : 'closedWithYearNoticeNone';
    return closed(t(words, periodName(period), periodName(year.period)));
  }
  // A table sent already is corrected through a return (退回), one not sent only through a reopening.
  if (own || year) return closed(own?.closed ? t(own.revision ? 'closedNoticeSent' : 'closedNotice', periodName(period)) : null);
  // A period that does not expect the reporter (left off its list, or closed before the reporter was registered) has no row,
  // nor its year: the dry run of a blank table says whether a table would be refused as closed.
  const dry = await api('/v1/submissions/validate', { method: 'POST', body: { reporter: reporterId, catalogue: catalogueId, period, values: [] } });
  const closing = dry.ok ? dry.data.violations.find(v => v.rule === 'period-closed') : null;
  return closed(closing ? (lang === 'zh' ? closing.messageZh : closing.message) : null);
}

// The same period a year before: 2013 for 2014, 2013Q3 for 2014Q3.
const previousPeriod = period => String(period).replace(/^\d{4}/, y => String(Number(y) - 1));
const lastYearLabel = period => t(String(period).includes('Q') ? 'lastYearQuarter' : 'lastYear');
const figure = value => Number(value).toLocaleString('zh-CN');

// A reporter's figures of last year (the same quarter's, for a quarter) as the service compares them (see FAR): its latest
// table then, or the year from all four of its quarters; code to number.
async function lastYearsFigures(reporterId, catalogueId, period) {
  const first = catalogues.find(c => c.id === catalogueId)?.periods.fromYear;
  if (first && Number(previousPeriod(period).slice(0, 4)) < first) return new Map(); // the table did not exist a year before
  return figuresOf(await api(`/v1/aggregates/${catalogueId}/${previousPeriod(period)}/reporters/${encodeURIComponent(reporterId)}`));
}

// One reporter's figures by code from its table (GET …/reporters/{id}), where it is a whole one: a year from all four quarters, not some.
function figuresOf(r) {
  const from = r.ok ? r.data.completeness.reporters[0] : null;
  const whole = from && (from.source !== 'quarters' || from.submissions.length === 4);
  const cells = whole ? r.data.rows.flatMap(row => row.cells ?? [{ code: row.code, total: row.total }]) : [];
  return new Map(cells.filter(c => c.total !== null && c.total !== undefined).map(c => [c.code, Number(c.total)]));
}

// 上年 (上年同期 for a quarter): the reporter's figure a year before beside each cell, so that a slipped digit stands out
// while the table is filled in; nothing where last year has no table of this catalogue, nor of a format mapped to it. The map of them, once shown.
async function lastYear(reporter, catalogueId, period) {
  const form = $('#entry');
  let figures = await lastYearsFigures(reporter.id, catalogueId, period);
  if (!form.isConnected) return new Map();
  // The first year of an edition has no table of it a year before: said, so that no mark is not read as checked and fine; or, where
  // last year's table was on a catalogue mapped to this one, that the check reads it through the mapping, as the figures shown are.
  const catalogue = catalogues.find(c => c.id === catalogueId), before = Number(previousPeriod(period).slice(0, 4));
  if (catalogue && before < catalogue.periods.fromYear) {
    // The edition the reporter sent last year's table on, if any.
    const covering = catalogues.filter(c => c.id !== catalogueId && coversYear(c, before));
    const sent = await Promise.all(covering.map(c => api(`/v1/aggregates/${c.id}/${before}/reporters/${encodeURIComponent(reporter.id)}`)));
    const sentOn = covering.filter((c, i) => sent[i].ok && sent[i].data.completeness.reporters.length > 0);
    // One that maps its cells to this table's (edition.national, a format the office loaded) is compared with, as the service does.
    const docs = await Promise.all([catalogueId, ...sentOn.map(c => c.id)].map(id => api(`/v1/catalogues/${encodeURIComponent(id)}`)));
    const at = sentOn.findIndex((c, i) => docs[i + 1].ok && docs[i + 1].data.edition?.national === catalogueId), mapped = sentOn[at], other = mapped ?? sentOn[0];
    if (!form.isConnected) return new Map();
    if (mapped) figures = throughMapping(figuresOf(sent[covering.indexOf(mapped)]), docs[at + 1].data, docs[0].data);
    const title = c => (lang === 'zh' ? c.title : c.titleEn);
    form.insertAdjacentHTML('afterbegin', `<p class="muted" id="noLastYear">${esc(other
      ? t(mapped ? 'noLastYearMapped' : 'noLastYearOther', before, title(other), title(catalogue)) : t('noLastYearNone', catalogue.periods.fromYear))}</p>`);
  }
  const label = lastYearLabel(period);
  for (const [code, value] of figures) {
    const td = form.querySelector(`td[data-cell="${CSS.escape(code)}"]`);
    if (!td) continue;
    // Said with the field too, as it is seen beside it: a screen reader reads it when the cursor reaches the field.
    td.insertAdjacentHTML('beforeend', `<span class="prev" id="prev-${esc(code)}">${esc(label)} ${esc(figure(value))}</span>`);
    const input = $('input', td);
    input.setAttribute('aria-describedby', `${input.getAttribute('aria-describedby')} prev-${code}`);
  }
  return figures;
}

// Last year's figures on a format mapped to this table (edition.national), in this table's cells as the service reads them for its
// check: a cell is the sum of those mapped to it alone; one whose unit differs (the service converts it) is left out rather than guessed.
function throughMapping(figures, format, table) {
  const unit = (doc, code) => doc.cells.find(c => c.code === code)?.unit;
  const mapped = new Map();
  for (const m of format.edition.cells.filter(m => m.national.length === 1 && figures.has(m.code) && unit(format, m.code) === unit(table, m.national[0])))
    mapped.set(m.national[0], (mapped.get(m.national[0]) ?? 0) + figures.get(m.code));
  return mapped;
}

// 与上年比较: the service's warning for a figure five times last year's or more, or a fifth of it or less, and at least its unit's gap apart (50 for a count, 1 for 万元),
// the mark of a digit typed twice or left out (98760 for 9876). It is pointed out to be checked; it stops nothing.
const FAR = 'far-from-last-year';
// A year's figure that is not what the reporter's own four quarterly tables give (年报与季报衔接): the service's warning too.
const QUARTERS = 'differs-from-quarters';
// A balance carried in (上年结转) that is not what the reporter's own table of last year carried forward: the service's warning too.
const CARRIED = 'differs-from-last-year-carried';
// Warnings to be checked rather than errors: a cell they name is marked in orange, and nothing is stopped.
const CHECKS = [FAR, QUARTERS, CARRIED];

// Figures far from last year as a table, { reporter?, quarters?, code, name, before, now } a row: with a column of reporters
// (each a link to its review, named by name; a year added up from its quarters has no revision of its own to open) when the rows have them.
// heads: the two figures' column headings, the one compared with first (上年, or 季报 for a year against its quarters).
function farTable(rows, heads, name, who = rows.some(r => r.reporter)) {
  return `<table class="far-list"><thead><tr>${who ? `<th scope="col">${t('farReporter')}</th>` : ''}<th scope="col">${t('farCode')}</th><th scope="col">${t('name')}</th><th scope="col">${esc(heads[0])}</th>
    <th scope="col">${esc(heads[1])}</th></tr></thead><tbody>${rows.map(r => `<tr${r.reporter ? ` data-reporter="${esc(r.reporter)}"` : ''} data-code="${esc(r.code)}">${r.reporter && who
      ? `<th scope="row" class="name">${r.quarters ? esc(name(r.reporter) + t('fromQuarters')) : `<a href="#" data-drill="${esc(r.reporter)}">${esc(name(r.reporter))}</a>`}</th>` : ''}<td class="code">${esc(r.code)}</td><td class="cell-name">${esc(r.name)}</td>
      <td class="n">${esc(figure(r.before))}</td><td class="n">${esc(figure(r.now))}</td></tr>`).join('')}</tbody></table>`;
}

// back: given when the district office enters or corrects the table on the reporter's behalf; it opens the overview again.
// The view shows what the person opened last: an overview or a form whose readings are answered after another was opened
// draws nothing (two in flight, the last answered would otherwise win).
let viewsOpened = 0;

async function entryForm(reporter, catalogueId, period, back, offer) {
  const view = $('#view');
  const mine = ++viewsOpened;
  // The town is told at the top when the period is closed to it; the office, entering on its behalf, is told as it types (closedForOfficeDry).
  const [catalogue, revisions, state] = await Promise.all([
    api(`/v1/catalogues/${catalogueId}`),
    api(`/v1/submissions?reporter=${reporter.id}&catalogue=${catalogueId}&period=${period}`),
    back ? null : tableState(reporter.id, catalogueId, period),
  ]);
  const closed = state?.closed;
  if (mine !== viewsOpened) return;
  if (!catalogue.ok) { view.textContent = problemText(catalogue); return; }
  if (!revisions.ok) { view.textContent = periodProblem(revisions, catalogueId, period); return; }
  const items = revisions.ok ? revisions.data.items : [];
  const latest = items.length ? await api(`/v1/submissions/${items[items.length - 1].id}`) : null;
  if (mine !== viewsOpened) return;
  // A sum the service derived opens blank, as it was sent, showing the derived figure as its hint: filled in, it would be
  // sent back as typed, and correcting a part would be refused for a sum the person never typed.
  const derivedBefore = new Set(latest?.data?.derived ?? []);
  const current = latest?.data ? Object.fromEntries(latest.data.values.filter(v => !derivedBefore.has(v.code)).map(v => [v.code, v.value])) : {};
  // The revision this form replaces (If-Match): moved on by each of this form's own submissions.
  let revision = items.length ? items[items.length - 1].revision : 0;
  const revisionList = list => list.map(revisionItem).join(comma()) || '—';
  let idempotencyKey = crypto.randomUUID();
  const cells = new Map(catalogue.data.cells.map(c => [c.code, c]));

  // The form's quarter refused for its closed year says why the quarter is closed; the period itself closed, the page's own
  // words (problem). Not an upload's: its workbook names its own period, which may be another than the form's.
  const own = back ? { 'period-closed': t('closedForOffice') }
    : { 'period-closed': r => (/Q\d$/.test(period) && r.data?.period === period.slice(0, 4)
      ? t(state?.fromQuarters || revision > 0 ? 'closedWithYearRefused' : 'closedWithYearRefusedNone', periodName(period), periodName(r.data.period)) : null) };
  // A reporter key may store only its own reporter's workbook: the one refusal an upload of a template of another can meet.
  const ownUpload = { ...(back ? own : { forbidden: t('otherWorkbook') }), 'payload-too-large': t('tooLargeOne') };
  // The office keys in a table a reporter sent by e-mail or letter: when it was sent (来件时间) goes with the form and the upload.
  let html = `${back ? `<p id="behalf" class="noprint" data-reporter="${esc(reporter.id)}"><button type="button" id="back">${t('back')}</button> <strong>${esc(t('behalf', reporter.name, reporter.id))}</strong></p>
    <p class="noprint"><label>${t('sentAt')} <input type="datetime-local" id="sentAt" aria-describedby="sentAtHint"></label> <span id="sentAtHint" class="muted">${esc(t('sentAtHint'))}</span></p>` : ''}
    <h2 id="formTitle" tabindex="-1" data-period="${esc(period)}">${back ? `${esc(reporter.name)} · ` : ''}${esc(catalogue.data.title)} · ${esc(periodName(period))}</h2>
    <div id="reviewNotice">${reviewNotice(latest?.data, closed, !!back, state?.correction)}</div>
    <p>${t('revisions')}: <span id="revisionList">${revisionList(items)}</span></p>
    <p class="noprint"><button type="button" id="template">${t('template')}</button>
    <button type="button" id="printForm" ${items.length ? '' : 'hidden'}>${t('printForm')}</button>
    <label>${t('upload')} <input type="file" id="upload" accept=".xlsx"${closed ? ' disabled aria-describedby="closedNotice"' : ''}></label></p><div id="uploadResult" class="msg" role="alert"></div><form id="entry">`;
  for (const table of catalogue.data.tables) {
    const tree = table.columns.length ? columnTree(table) : null;
    const indent = indenter(table);
    // A field's name as a screen reader says it, on its own when the cursor lands there (the first error): the row's code, which
    // the messages name rows by, the name, its whole's too where two rows share it (（二）被依法纠错数 of 行政复议 and of
    // 行政诉讼), and the unit. A grid's cell is named row · column already.
    const rowsByCode = new Map(table.rows.map(r => [r.code, r]));
    const shared = new Set(table.rows.map(r => r.name).filter((n, i, all) => all.indexOf(n) !== i));
    const fieldName = (row, cell) => (tree ? cell.name : `${row.code} ${shared.has(row.name) && rowsByCode.has(row.parent) ? `${rowsByCode.get(row.parent).name} · ` : ''}${cell.name}`)
      + (cell.unit ? paren(cell.unit) : '');
    html += `<h3>${esc(table.title)}</h3>`;
    let inner = `<table${tree ? ' class="grid"' : ''}><thead>`;
    inner += tree ? columnHeader(tree, [t('name')]) : `<tr><th scope="col" class="code">${t('id')}</th><th scope="col">${t('name')}</th><th scope="col">${t('unit')}</th><th scope="col">${t('value')}</th></tr>`;
    inner += '</thead><tbody>';
    for (const row of table.rows) {
      if (row.role === 'header') { inner += `<tr class="h"><td colspan="${(tree ? tree.leaves.length : 3) + 1}"><span>${esc(row.name)}</span></td></tr>`; continue; }
      const input = code => cells.has(code)
        ? `<td data-cell="${esc(code)}"><input name="${esc(code)}" aria-label="${esc(fieldName(row, cells.get(code)))}" aria-describedby="msg-${esc(code)}${closed ? ' closedNotice' : ''}" inputmode="decimal" value="${current[code] ?? ''}"${closed ? ' readonly' : ''}><div class="msg" id="msg-${esc(code)}"></div></td>`
        : '<td class="absent"></td>';
      inner += `<tr class="${row.parent ? 'part' : ''}">`;
      inner += tree
        ? `<th scope="row" class="name"${indent(row)}>${esc(row.name)}</th>${tree.leaves.map(c => input(`${row.code}:${c.code}`)).join('')}`
        // The code again inside the name, shown only on a phone, where the code column is hidden but messages name rows by code.
        : `<td class="code">${esc(row.code)}</td><th scope="row" class="name"${indent(row)}><span class="rowcode">${esc(row.code)} </span>${esc(row.name)}</th><td>${esc(row.unit ?? '')}</td>${input(row.code)}`;
      inner += '</tr>';
    }
    html += scroller(table.title, inner + '</tbody></table>');
  }
  html += `<p class="note"><label for="note">${t('note')}</label><br><textarea id="note" rows="3" maxlength="500" aria-describedby="noteHint${closed ? ' closedNotice' : ''}"${closed ? ' readonly' : ''}>${esc(latest?.data?.note ?? '')}</textarea>
    <br><span id="noteHint" class="muted">${esc(t('noteHint'))}</span></p>
    <p><button type="submit" id="submit"${closed ? ' disabled aria-describedby="closedNotice"' : ''}>${t('submit')}</button> <span id="verdict" aria-live="polite"></span></p></form>`;
  view.innerHTML = html;
  // This form's own fields: another form (another period, reporter or language) is drawn into the same view.
  const entry = $('#entry');

  // A cell that holds no number is kept out of the body (it would travel as null, a blank) and marked at the cell instead.
  const filled = () => [...view.querySelectorAll('#entry input[name]')].filter(i => i.value.trim() !== '');
  const previousLabel = lastYearLabel(period).toLowerCase(); // 上年; last year, mid-sentence
  // Marks the cells the verdict finds far from last year's or not as the quarters give (not those marked wrong already); says
  // how many there are of each.
  const checkJumps = violations => {
    view.querySelectorAll('td.check').forEach(td => { td.classList.remove('check'); if (!td.classList.contains('bad')) $('.msg', td).textContent = ''; });
    const marked = violations.filter(v => CHECKS.includes(v.rule)).map(v => [v, view.querySelector(`td[data-cell="${CSS.escape(v.codes[0])}"]`)])
      .filter(([, td]) => td && !td.classList.contains('bad'));
    for (const [v, td] of marked) {
      td.classList.add('check');
      const said = v.rule === FAR ? t('jump', previousLabel) : v.rule === QUARTERS ? t('quarterJump', figure(v.expected)) : carriedText('carriedJump', period, figure(v.expected));
      $('.msg', td).textContent = [$('.msg', td).textContent, said].filter(Boolean).join(' ');
    }
    const count = rule => marked.filter(([v]) => v.rule === rule).length;
    return (count(FAR) ? t('jumps', count(FAR), previousLabel) : '') + (count(QUARTERS) ? t('quarterJumps', count(QUARTERS)) : '')
      + (count(CARRIED) ? carriedText('carriedJumps', period, count(CARRIED)) : '');
  };
  lastYear(reporter, catalogueId, period);
  const body = () => ({
    reporter: reporter.id, period, catalogue: catalogueId,
    values: filled().map(i => ({ code: i.name, value: typedNumber(i.value) })).filter(v => !Number.isNaN(v.value)),
    ...($('#note').value.trim() ? { note: $('#note').value.trim() } : {}),
  });
  const unreadable = () => filled().filter(i => Number.isNaN(typedNumber(i.value)))
    .map(i => ({ severity: 'error', codes: [i.name], message: text.en.notNumber.replace('{0}', i.value.trim()), messageZh: text.zh.notNumber.replace('{0}', i.value.trim()) }));
  const focusFirstError = () => view.querySelector('td.bad input')?.focus();
  // An error of the whole table rather than of a cell (the reporter merged or discontinued for this period) is said beside the verdict.
  // The check's closed period is said to the office as its own refusal is (it is the office that can reopen it).
  const tableErrors = violations => violations.filter(v => v.severity === 'error' && !view.querySelector(`td[data-cell="${CSS.escape(v.codes?.[0] ?? '')}"]`))
    .map(v => ` ${back && v.rule === 'period-closed' ? t('closedForOfficeDry') : lang === 'zh' ? v.messageZh : v.message}`).join('');
  // A warning of the whole table, said beside the verdict: a year whose quarters are not all in yet is compared with none of
  // them (so that no orange mark is read as checked), a period a newer catalogue takes (the district reports it on that one).
  const tableWarnings = violations => violations.filter(v => v.severity === 'warning' && !v.codes?.length)
    .map(v => ` ${lang === 'zh' ? v.messageZh : v.message}`).join('');
  const show = (violations, derived = [], values = []) => {
    // A marked field is announced as invalid, with its message, when the cursor reaches it.
    view.querySelectorAll('td[data-cell]').forEach(td => { td.classList.remove('bad'); $('.msg', td).textContent = ''; $('input', td).removeAttribute('aria-invalid'); });
    for (const v of violations.filter(v => (v.severity === 'error' || v.severity === 'warning') && !CHECKS.includes(v.rule))) {
      const td = view.querySelector(`td[data-cell="${CSS.escape(v.codes?.[0] ?? '')}"]`);
      // Every message of a cell is shown, the first one first (a cell that is no number before the sums it breaks).
      if (td) { td.classList.add('bad'); $('input', td).setAttribute('aria-invalid', 'true'); const msg = $('.msg', td); msg.textContent = [msg.textContent, lang === 'zh' ? v.messageZh : v.message].filter(Boolean).join(' '); }
    }
    for (const code of derived) {
      const input = view.querySelector(`input[name="${CSS.escape(code)}"]`);
      const value = values.find(v => v.code === code)?.value;
      if (input && !input.value) { input.placeholder = value; input.title = t('derived'); input.classList.add('derived'); }
    }
  };
  // Someone stored a newer revision since this form opened: said with a button that opens it.
  const conflict = current => {
    $('#verdict').innerHTML = `${esc(t('conflict', current ?? '?'))} <button type="button" id="reload">${t('reload')}</button>`;
    // The form drawn anew takes the button pressed with it: the focus goes to its title, not to the page.
    $('#reload').onclick = () => entryForm(reporter, catalogueId, period, back).then(() => $('#formTitle')?.focus());
  };
  // A check answered after a later check or a submit was sent says nothing any more (it would put 校验通过 over 已提交), nor
  // one answered after another form replaced this one (it would mark that form's cells and verdict with this one's).
  let timer, asked = 0;
  // The form takes nothing more (提交 and the upload off): drawn so, or locked since.
  let locked = !!closed;
  // Locked since it was drawn: its figures and note are read-only too, as when drawn closed, so that nobody types what could
  // not be sent; read-only rather than disabled, so that the figures can still be read, selected and copied.
  const lockFields = () => view.querySelectorAll('#entry input[name], #note').forEach(field => {
    field.readOnly = true;
    const described = (field.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean);
    if (!described.includes('closedNotice')) field.setAttribute('aria-describedby', [...described, 'closedNotice'].join(' '));
  });
  const validate = async () => {
    const mine = ++asked;
    // With the If-Match the submit will send: a revision someone else stored meanwhile is said while the figures are typed.
    // And with the office's 来件时间, so that one in the future or before the period is said before 提交.
    const r = await api(`/v1/submissions/validate${sentQuery()}`, { method: 'POST', body: body(), headers: { 'If-Match': `"${revision}"` } });
    if (mine !== asked || !entry.isConnected) return;
    if (r.status === 200) {
      const local = unreadable();
      show([...local, ...r.data.violations], r.data.derived, r.data.values);
      const valid = r.data.valid && !local.length;
      const newer = r.data.violations.find(v => v.rule === 'revision-conflict');
      if (newer) conflict(Number(/\d+/.exec(newer.expected)?.[0]));
      const checks = checkJumps(r.data.violations);
      // A closed period is no error of the figures: said alone, not as something to mend (有错误，请按提示修改).
      const closedOnly = !valid && !local.length && r.data.violations.filter(v => v.severity === 'error').every(v => v.rule === 'period-closed');
      if (!newer) $('#verdict').textContent = valid ? t('valid') + checks + tableWarnings(r.data.violations) : closedOnly ? tableErrors(r.data.violations).trim() : t('invalid') + tableErrors(r.data.violations);
      $('#verdict').className = valid ? 'ok' : 'missing';
      // A returned table accepted (or corrected elsewhere) while this form was open, in a closed period: the check says so
      // before 提交 does, and the form locks then, as a refused submission locks it.
      if (!back && !locked && r.data.violations.some(v => v.rule === 'period-closed')) closedMeanwhile();
    } else {
      const errors = r.data?.errors ?? [];
      show(errors.map(e => ({ severity: 'error', codes: [body().values[Number(/values\[(\d+)\]/.exec(e.name)?.[1])]?.code], message: spoken(e.reason, 'en'), messageZh: fieldText(e.name, 'zh') ?? spoken(e.reason, 'zh') })));
      $('#verdict').textContent = problemText(r);
      // Not left green from a check that passed before.
      $('#verdict').className = 'missing';
    }
  };
  const refreshMine = () => { if ($('#minePeriods')) myPeriods(reporter); };
  // The town's table closed to it again (a correction a return let into a closed period, or the return used or taken back
  // meanwhile): the form says so and takes nothing more, as it would opened now.
  const lockIfClosed = () => tableState(reporter.id, catalogueId, period).then(({ closed: words }) => {
    if (!words || !entry.isConnected) return;
    locked = true;
    $('#reviewNotice').innerHTML = reviewNotice(null, words, false);
    for (const control of [$('#submit'), $('#upload')]) { control.disabled = true; control.setAttribute('aria-describedby', 'closedNotice'); }
    lockFields();
  });
  // Closed to the town since the form opened (a returned table accepted or corrected elsewhere): its revisions, its row in
  // 我的报表 and the form are drawn as they now stand (locked), not left saying 已退回 and inviting a correction.
  const closedMeanwhile = () => {
    refreshMine(); lockIfClosed();
    api(`/v1/submissions?reporter=${reporter.id}&catalogue=${catalogueId}&period=${period}`).then(now => {
      if (!now.ok || !entry.isConnected) return;
      items.splice(0, items.length, ...now.data.items); $('#revisionList').innerHTML = revisionList(items);
    });
  };
  // ?sentAt= for what the office submits, from the 来件时间 field (a local wall time, sent as an instant); empty: now.
  const sentQuery = () => (back && $('#sentAt')?.value ? `?sentAt=${encodeURIComponent(new Date($('#sentAt').value).toISOString())}` : '');
  if (back) {
    $('#sentAt').max = localInput(new Date().toISOString());
    // Another time makes another request: a retry with the old key would be refused as a different body.
    $('#sentAt').addEventListener('input', () => { idempotencyKey = crypto.randomUUID(); clearTimeout(timer); timer = setTimeout(validate, 300); });
  }
  $('#entry').addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(validate, 300); idempotencyKey = crypto.randomUUID(); });
  $('#entry').onsubmit = once(async () => {
    clearTimeout(timer); asked++;
    const local = unreadable();
    if (local.length) { show(local); $('#verdict').textContent = t('invalid'); $('#verdict').className = 'missing'; focusFirstError(); return; }
    const r = await api(`/v1/submissions${sentQuery()}`, { method: 'POST', body: body(), headers: { 'Idempotency-Key': idempotencyKey, 'If-Match': `"${revision}"` } });
    // Answered after the person opened another form or table: said on the status line, naming its table, not in what is shown now.
    if (!entry.isConnected) {
      status(`${reporter.name} · ${periodName(period)} · ${r.status === 201 ? t('stored', r.data.revision) : r.status === 200 ? t('unchanged', r.data.revision) : r.status === 422 ? t('invalid') : problemText(r, own)}`);
      return;
    }
    // The table as it stands, sent again: nothing stored, and its review and standing are left as they were.
    if (r.status === 200) {
      status(t('unchanged', r.data.revision)); $('#verdict').textContent = t('unchanged', r.data.revision); $('#verdict').className = 'ok';
      // A closed period answers its table sent unchanged so too (nothing would change), a table the office returned having been
      // accepted meanwhile included: pressed on a form opened before, the form, its revisions and 我的报表 are drawn as they now
      // stand, closed (the notice, nothing more taken) where the period is.
      if (!back) closedMeanwhile();
      return;
    }
    if (r.status === 201) {
      status(t('stored', r.data.revision)); $('#verdict').textContent = t('stored', r.data.revision) + tableWarnings(r.data.warnings ?? []); $('#verdict').className = 'ok'; refreshMine();
      // A correction submitted from the same form replaces this revision, not the one the form opened with (else a 409 blames "someone").
      // The answer does not say who submitted it: the page knows (back: the office, on the reporter's behalf).
      items.push({ ...r.data, submittedBy: { role: back ? 'admin' : 'reporter' } }); revision = r.data.revision; $('#revisionList').innerHTML = revisionList(items);
      // The new revision awaits the office's review: the notice about the one it replaces no longer holds.
      $('#reviewNotice').innerHTML = '';
      $('#printForm').hidden = false;
      // A correction a return let into a closed period locks the table again.
      if (!back) lockIfClosed();
      return;
    }
    if (slugOf(r) === 'revision-conflict') { conflict(r.data?.currentRevision); return; }
    $('#verdict').textContent = r.status === 422 ? t('invalid') + tableErrors(r.data?.violations ?? []) : problemText(r, own);
    $('#verdict').className = 'missing';
    // Refused as closed: a returned table was accepted or corrected elsewhere since the form opened.
    if (slugOf(r) === 'period-closed' && !back) closedMeanwhile();
    if (r.status === 422) { show(r.data.violations); focusFirstError(); }
  });
  $('#template').onclick = () => download(`/v1/templates/${catalogueId}/${period}?reporter=${reporter.id}`);
  // The table as stored, on the printed form with its signature block (填报单位（盖章）, 单位负责人, 填表人), for the paper copy
  // a district may ask for: the service's printable page, printed from a frame of this page rather than opened in a tab.
  $('#printForm').onclick = () => printPage(`/v1/aggregates/${catalogueId}/${period}/reporters/${encodeURIComponent(reporter.id)}?format=html`, t('printForm'));
  $('#upload').onchange = async e => {
    const file = e.target.files[0];
    if (!file) return;
    // Cleared at once, so that the same file, mended in Excel and chosen again, is sent again (the same choice fires no change).
    if (notXlsx(file)) { e.target.value = ''; $('#uploadResult').innerHTML = `<p>${esc(notXlsx(file))}</p>`; return; }
    const bytes = await file.arrayBuffer();
    e.target.value = '';
    await upload(bytes, file.name);
  };
  // The reporter a workbook names, as registered (null: none is); the form's own without asking.
  const registered = async id => {
    const x = id === reporter.id ? null : await api(`/v1/reporters/${encodeURIComponent(id)}`);
    return x ? (x.ok ? { id, name: x.data.name } : null) : reporter;
  };
  const ownerOf = async id => (await registered(id)) ?? { id, name: id };
  // A catalogue's table of a period, by its title.
  const named = (catalogueId, period) => {
    const c = catalogues.find(x => x.id === catalogueId);
    return `${c ? (lang === 'zh' ? c.title : c.titleEn) : catalogueId} · ${periodName(period)}`;
  };
  // An upload's outcome on the status line, short, for a form no longer shown: stored (owner: the reporter it was stored for),
  // refused (its errors counted), or made from an older revision (the form, opened again, shows the current one).
  const late = (r, owner, name) => {
    const errors = (r.status === 422 && r.data?.violations?.filter(v => v.severity === 'error')) || [];
    const unreadable = r.status === 400 && slugOf(r) === 'validation' ? r.data?.errors ?? [] : [];
    const said = owner ? t('stored', r.data.revision)
      : r.status === 200 ? t('unchanged', r.data.revision)
      : slugOf(r) === 'stale-workbook' ? t('staleLate', r.data?.currentRevision ?? '?')
      : errors.length ? t('uploaded', errors.length, r.data.workbookTable ? named(r.data.workbookTable.catalogue, r.data.workbookTable.period) : name).replace(/[：:]$/, '')
      : unreadable.length > 1 ? t('unreadable', unreadable.length).replace(/[：:]$/, '')
      : slugOf(r) === 'revision-conflict' ? t('conflict', r.data?.currentRevision ?? '?') : problemText(r, ownUpload);
    status(`${owner?.name ?? reporter.name} · ${periodName(owner ? r.data.period : period)} · ${said}`);
    if (owner) refreshMine();
  };
  // A workbook older than the table's current revision (stale-workbook): said beside the upload, with the button that sends it
  // again over that revision. Opened for it (offer.opened), the form says the workbook is of this table.
  const staleOffer = offer => {
    const d = offer.r.data, role = d.currentSubmittedBy?.role;
    const made = d.workbookRevision ? t('madeFrom', d.workbookRevision) : t('madeBlank');
    const by = role === 'admin' ? t('byAdminRole') : role === 'reporter' ? t('byReporterRole') : '?';
    // A workbook made for another table (last quarter's file with its period typed over) is told so: its own template is the one to fill.
    const said = d.workbookMadeFor
      ? t('staleOther', `${periodName(d.workbookMadeFor.period)} · ${d.workbookMadeFor.reporter}`, d.currentRevision, by, when(d.currentReceivedAt))
      : t('stale', made, d.currentRevision, by, when(d.currentReceivedAt));
    const which = offer.opened ? t('staleOpened', `${reporter.name} · ${named(catalogueId, period)}`) : offer.named;
    $('#uploadResult').innerHTML = `${which ? `<p id="staleTable"><strong>${esc(which)}</strong></p>` : ''}<p>${esc(said)}</p>
      <p><button type="button" id="overwrite">${esc(t('overwrite', d.currentRevision))}</button></p>`;
    $('#overwrite').onclick = () => upload(offer.bytes, offer.name, d.currentRevision);
    $('#overwrite').focus();
  };
  // No If-Match at first: the workbook says which revision it was filled in from, and the service refuses one older than the
  // current revision (stale-workbook); the person then confirms, and the upload is sent again with If-Match of that revision.
  const upload = async (bytes, name, ifMatch) => {
    const result = $('#uploadResult');
    result.textContent = t('uploading', name);
    const headers = { 'Content-Type': XLSX, 'Idempotency-Key': crypto.randomUUID(), ...(ifMatch === undefined ? {} : { 'If-Match': `"${ifMatch}"` }) };
    const r = await api(`/v1/submissions${sentQuery()}`, { method: 'POST', body: bytes, headers });
    const stored = r.status === 201 ? await ownerOf(r.data.reporter) : null;
    // Answered after the person opened another form or table: the outcome said on the status line, naming the reporter and
    // period (the stored table's, for a workbook stored), in the words the form would show; nothing drawn in what is shown now.
    if (!entry.isConnected) { late(r, stored, name); return; }
    // The workbook names its own reporter, table and period, which may not be the form's that was open (the office may send
    // any reporter's workbook): what was stored, or refused, is shown in that table's form.
    const openForm = async (owner, catalogueId, period, offer) => {
      if ($('#catalogue')) { $('#catalogue').value = catalogueId; $('#period').value = period; }
      await entryForm(owner, catalogueId, period, back, offer);
      // The form drawn anew took the focus with the upload field it replaced: it goes to the new one (an offer to overwrite takes it itself).
      if (!offer) $('#upload')?.focus();
    };
    if (slugOf(r) === 'stale-workbook') {
      // The offer to overwrite is made in the form of the table that would be overwritten (workbookTable), opened when
      // another was open, so that nobody replaces a table without seeing which; one the page cannot open is named.
      const w = r.data?.workbookTable;
      const other = w && (w.reporter !== reporter.id || w.catalogue !== catalogueId || w.period !== period);
      const owner = other && catalogues.some(c => c.id === w.catalogue) ? await registered(w.reporter) : null;
      if (!entry.isConnected) { late(r, null, name); return; }
      if (owner) { await openForm(owner, w.catalogue, w.period, { r, bytes, name, sentAt: $('#sentAt')?.value, opened: true }); return; }
      staleOffer({ r, bytes, name, named: other ? t('staleNamed', `${w.reporter} · ${named(w.catalogue, w.period)}`) : '' });
      return;
    }
    const items = list => `<ul>${list.map(m => `<li>${esc(m)}</li>`).join('')}</ul>`;
    // The workbook is the table as it stands (downloaded and sent back unchanged): nothing stored, said beside the upload.
    if (r.status === 200) {
      const owner = await ownerOf(r.data.reporter);
      if (!entry.isConnected) { late(r, null, name); return; }
      const said = `${owner === reporter ? '' : `${owner.name}（${owner.id}）· `}${named(r.data.catalogue, r.data.period)}：${t('unchanged', r.data.revision)}`;
      status(said); result.innerHTML = `<p>${esc(said)}</p>`;
      // This form's table: drawn as it now stands, as after 提交 (above).
      if (!back && r.data.catalogue === catalogueId && r.data.period === period) closedMeanwhile();
      return;
    }
    if (r.status === 201) {
      const owner = stored;
      const elsewhere = owner === reporter ? '' : t('storedFor', owner.name, owner.id, reporter.name);
      status(`${elsewhere} ${named(r.data.catalogue, r.data.period)} · ${t('stored', r.data.revision)}`.trim());
      refreshMine(); await openForm(owner, r.data.catalogue, r.data.period);
      // The form marks the warned cells; beside the upload, each warning also names its cell in the person's Excel file.
      const warned = r.data.warnings ?? [];
      const said = (elsewhere ? `<p>${esc(elsewhere)}</p>` : '')
        + (warned.length ? `<p>${esc(t('uploadedWarnings', warned.length))}</p>${items(warned.map(v => (lang === 'zh' ? v.messageZh : v.message)))}` : '');
      if (said && $('#uploadResult')) $('#uploadResult').innerHTML = said;
      return;
    }
    // Said beside the upload field: the form below still shows the stored revision, not the workbook's figures. Each error
    // of a workbook names its sheet and cell.
    const errors = (r.status === 422 && r.data?.violations?.filter(v => v.severity === 'error')) || [];
    if (errors.length) {
      const w = r.data.workbookTable;
      const said = `<p>${esc(t('uploaded', errors.length, w ? named(w.catalogue, w.period) : name))}</p>${items(errors.map(v => (lang === 'zh' ? v.messageZh : v.message)))}`;
      const owner = w && (w.reporter !== reporter.id || w.catalogue !== catalogueId || w.period !== period) && catalogues.some(c => c.id === w.catalogue)
        ? await registered(w.reporter) : null;
      if (!entry.isConnected) { late(r, null, name); return; }
      if (owner) await openForm(owner, w.catalogue, w.period);
      // A form that could not be opened (a period the catalogue does not have) says why, and the errors below it.
      if (!owner) result.innerHTML = said;
      else if ($('#uploadResult')) $('#uploadResult').innerHTML = said;
      else $('#view').insertAdjacentHTML('beforeend', `<div class="msg" role="alert">${said}</div>`);
      return;
    }
    const unreadable = r.status === 400 && slugOf(r) === 'validation' ? r.data?.errors ?? [] : [];
    result.innerHTML = unreadable.length > 1
      ? `<p>${esc(t('unreadable', unreadable.length))}</p>${items(unreadable.map(e => spoken(e.reason)))}`
      : `<p>${esc(slugOf(r) === 'revision-conflict' ? t('conflict', r.data?.currentRevision ?? '?') : problemText(r, ownUpload))}</p>`;
  };
  if (back) { $('#back').onclick = () => back(catalogueId, period); view.scrollIntoView(); }
  if (Object.keys(current).length) validate();
  // Opened for an uploaded workbook of this table that is older than its current revision: the offer to overwrite it, here.
  if (offer) { if (offer.sentAt && $('#sentAt')) $('#sentAt').value = offer.sentAt; staleOffer(offer); }
}

// ---- the district office ----------------------------------------------------------------------------

function officeHome(admin) {
  const tabs = [['period', t('tabPeriod')], ['trend', t('tabTrend')], ...(admin ? [['admin', t('tabAdmin')], ['audit', t('tabAudit')]] : [])];
  app.insertAdjacentHTML('beforeend', `<nav class="tabs noprint" aria-label="${esc(t('title'))}">${tabs
    .map(([id, label], i) => `<button type="button" id="tab-${id}" aria-controls="page-${id}" aria-pressed="${i === 0}">${esc(label)}</button>`).join('')}</nav>
    ${tabs.map(([id], i) => `<div id="page-${id}" ${i ? 'hidden' : ''}></div>`).join('')}`);
  for (const [id] of tabs)
    $(`#tab-${id}`).onclick = () => {
      for (const [other] of tabs) { $(`#page-${other}`).hidden = other !== id; $(`#tab-${other}`).setAttribute('aria-pressed', String(other === id)); }
      if (id === 'trend') trend($('#catalogue').value, $('#period').value.trim());
      // Back on the period: the table opened before is read again, with the reporters registered and the tables sent since.
      if (id === 'period' && $('#view').childElementCount) $('#open').click();
      if (id === 'admin') keyList();
      if (id === 'audit') $('#auditForm').requestSubmit();
    };
  selectors($('#page-period'), (catalogue, period) => districtView(catalogue, period, admin));
  $('#page-trend').innerHTML = `<h2>${t('trend')}</h2><div id="trend"></div>`;
  if (admin) { adminPanel($('#page-admin')); auditPanel($('#page-audit')); }
}

// 催报通知: what the office sends the reporters that have not reported (by kind, each with its contact), and those whose table
// was returned and not yet sent again, with the deadline and where to report; those a quarter is closed to with its year are
// told they need not send it, not chased; a year's quarter to come that the office closed on its own (shut) is said to go
// through the office, since the reporter can no longer send it. In Chinese, as the reporters read it, whatever the page's language.
// A closed period takes a table only from those whose table the office returned (退回): its reminder chases them alone, to
// correct and resubmit, and tells the rest it is closed. It is offered only while there is someone to remind (remindable).
function reminder(catalogue, period, c, entries, name, names) {
  const zh = text.zh, fmt = (k, ...args) => String(zh[k]).replace(/\{(\d)\}/g, (_, i) => args[i]);
  // In Beijing time, where the reporters are, whatever the office computer's zone.
  const at = iso => new Date(iso).toLocaleString('zh-CN', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Asia/Shanghai' });
  const label = /^\d{4}Q\d$/.test(period) ? `${period.slice(0, 4)}年第${period.slice(5)}季度` : `${period}年度`;
  const quarters = ps => ps.map(p => p.slice(-1)).join('、');
  const who = e => name(e.id) + (names[e.id]?.contact ? `（${names[e.id].contact}）` : '')
    + (e.toCome ? `（${fmt('quartersToCome', quarters(e.toCome))}${e.shut.length ? `；${fmt('noticeShut', quarters(e.shut))}` : ''}）` : '')
    + (e.elsewhere ? fmt('noticeSentOn', e.elsewhere.title) : '');
  const missing = entries.filter(e => e.status === 'notSubmitted' || e.status === 'incomplete');
  const returned = entries.filter(returnedTable);
  const where = location.origin + '/';
  if (c.closed)
    return [fmt('noticeClosedHead', catalogue.title, label, returned.length, where), returned.map(e => `${who(e)}：${e.review.comment ?? ''}`).join('；'), zh.noticeClosedTail].join('\n');
  const closedWithYear = KINDS.flatMap(k => entries.filter(e => e.kind === k && e.status === 'closedWithYear'));
  const due = !c.deadline ? fmt('noticeNoDue', where) : new Date(c.deadline) > new Date() ? fmt('noticeDue', at(c.deadline), where) : fmt('noticeLate', at(c.deadline), where);
  const chase = returned.length ? zh.noticeReturned + returned.map(e => `${who(e)}：${e.review.comment ?? ''}`).join('；') : null;
  // Nobody missing, a returned table to chase (it is offered only with someone to remind): not 以下 0 个单位尚未报送 over no list.
  if (!missing.length) return [fmt('noticeAllIn', catalogue.title, label, at(new Date().toISOString())), chase, due].join('\n');
  const lines = [fmt('noticeHead', catalogue.title, label, at(new Date().toISOString()), missing.length)];
  for (const k of KINDS) {
    const group = missing.filter(e => e.kind === k);
    if (group.length) lines.push(`${zh[{ government: 'gov', department: 'dept', town: 'town' }[k]]}：${group.map(who).join('、')}`);
  }
  lines.push(due);
  if (chase) lines.push(chase);
  if (closedWithYear.length) lines.push(fmt('noticeClosedWithYear', period.slice(0, 4)) + closedWithYear.map(e => name(e.id)).join('、'));
  lines.push(zh.noticeTail);
  return lines.join('\n');
}

// A table of the period's own whose latest revision the office returned (退回): open to its correction, closed period or not.
const returnedTable = e => e.own && e.review?.decision === 'returned';
// A table awaiting review (待审核) has a box in its row's action cell, to accept it with others (批量审核通过).
const pickBox = (e, label) => (e.own && e.last && reviewState(e.review) === 'pending'
  ? `<input type="checkbox" data-pick="${esc(e.id)}" aria-label="${esc(t('pick', label))}"> ` : '');

// Orders a table by a column when its header's button is pressed (headers marked data-sortable): the rows of each tbody, its
// heading row (tr.h) staying first, by the cells' data-sort, else their text (numbers as numbers, names as Chinese sorts them,
// blanks last), ascending then descending; aria-sort says which header orders the rows and how. The order chosen is kept, by the
// table's id, when the table is drawn again (the reporters' and keys' lists are, after each change).
const sortedBy = new Map();
function sortableTable(table) {
  const heads = [...table.querySelectorAll('thead th[data-sortable]')];
  const order = (th, dir) => {
    heads.forEach(h => h.removeAttribute('aria-sort'));
    th.setAttribute('aria-sort', dir);
    sortedBy.set(table.id, { index: th.cellIndex, dir });
    const key = tr => { const cell = tr.cells[th.cellIndex]; return cell ? cell.dataset.sort ?? cell.textContent.trim() : ''; };
    const compare = (a, b) => {
      if (a === '' || b === '') return a === b ? 0 : a === '' ? 1 : -1;
      const x = Number(a), y = Number(b);
      return (Number.isNaN(x) || Number.isNaN(y) ? a.localeCompare(b, 'zh') : x - y) * (dir === 'ascending' ? 1 : -1);
    };
    for (const body of table.tBodies) body.append(...[...body.rows].filter(r => !r.classList.contains('h')).sort((a, b) => compare(key(a), key(b))));
  };
  for (const th of heads) {
    th.innerHTML = `<button type="button" class="sort">${th.innerHTML}</button>`;
    th.firstElementChild.onclick = () => order(th, th.getAttribute('aria-sort') === 'ascending' ? 'descending' : 'ascending');
  }
  const kept = sortedBy.get(table.id);
  const th = kept && heads.find(h => h.cellIndex === kept.index);
  if (th) order(th, kept.dir);
}

// Shows a table's rows that match (the others hidden, a tbody's heading row kept) and says how many beside the filters.
function filterRows(table, match, said) {
  let shown = 0, all = 0;
  for (const tr of table.querySelectorAll('tbody tr:not(.h)')) { all++; tr.hidden = !match(tr); if (!tr.hidden) shown++; }
  if (said) said.textContent = shown === all ? '' : t('shownOf', shown, all);
}
// A name filter's words: a row matches when its name or id holds the text typed (case ignored).
const holds = (tr, typed) => !typed || tr.textContent.toLowerCase().includes(typed.trim().toLowerCase());
const KINDS = ['government', 'department', 'town'];
const kindName = k => t({ government: 'gov', department: 'dept', town: 'town' }[k]);
const num = v => (v === null || v === undefined ? '' : String(v));
// A period's last day (2014: 2014-12-31, 2014Q3: 2014-09-30) and today in Beijing, as the service reckons them: the 报出日期
// it accepts lies between the two.
const lastDayOf = p => new Date(Date.UTC(Number(p.slice(0, 4)), 3 * (p.includes('Q') ? Number(p.slice(-1)) : 4), 0)).toISOString().slice(0, 10);
const beijingToday = () => new Date(Date.now() + 8 * 3600000).toISOString().slice(0, 10);
// A datetime-local field takes the local wall time without a zone.
const localInput = iso => { const d = new Date(iso); return new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16); };
const STATUSES = ['onTime', 'late', 'revisedLate', 'closedWithYear', 'incomplete', 'notSubmitted'];
// The quarters a year added up from its quarterly tables (their periods) still lacks: ['3', '4'].
// The quarters a year still lacks (2014Q3, 2014Q4) as people write them: 3、4.
const quarterNumbers = periods => periods.map(p => p.slice(-1)).join(lang === 'zh' ? '、' : ', ');

// 年报正文的数据: the sentences of the annual report's text that quote the district table, drafted from it, so that the text and
// the table appended to it (附表) give the same figures, a mismatch the State Council's reviews of annual reports keep finding.
// Paragraphs of sentences, one a part of the report; each sentence is a lead and its parts (then: the word before the first part; sep: between the lead and it); {code} is the district's total of that cell,
// {a+b} their sum, {y} the period. A part whose figure is blank (not reported) is left out, never written as 0; a sentence
// whose lead has a blank figure, or whose lead has none and no part is left, is left out. Editions without sentences offer none.
const REPORT_TEXT = {
  'gov-info-disclosure-2014': [
    [{ lead: '{y}年，全区主动公开政府信息{1.1}条', then: '其中', parts: ['主动公开规范性文件{1.1.a}条'] },
      { lead: '制发规范性文件{1.1.b}件' },
      { lead: '按公开渠道分', parts: ['政府网站公开{1.2.1}条', '政务微博公开{1.2.2}条', '政务微信公开{1.2.3}条', '其他方式公开{1.2.4}条'] }],
    [{ lead: '回应公众关注热点或重大舆情{2.1}次' },
      { lead: '回应解读方面', parts: ['参加或举办新闻发布会{2.2.1}次', '政府网站在线访谈{2.2.2}次', '发布政策解读稿件{2.2.3}篇', '通过微博微信回应事件{2.2.4}次', '通过其他方式回应事件{2.2.5}次'] }],
    [{ lead: '全年共收到政府信息公开申请{3.1}件', then: '其中', parts: ['当面申请{3.1.1}件', '传真申请{3.1.2}件', '网络申请{3.1.3}件', '信函申请{3.1.4}件', '其他形式申请{3.1.5}件'] },
      { lead: '申请办结{3.2}件', then: '其中', parts: ['按时办结{3.2.1}件', '延期办结{3.2.2}件'] },
      { lead: '申请答复{3.3}件', then: '其中', parts: ['属于已主动公开范围{3.3.1}件', '同意公开{3.3.2}件', '同意部分公开{3.3.3}件', '不同意公开{3.3.4}件',
        '不属于本行政机关公开{3.3.5}件', '申请信息不存在{3.3.6}件', '告知作出更改补充{3.3.7}件', '告知通过其他途径办理{3.3.8}件'] }],
    [{ lead: '涉及政府信息公开', parts: ['行政复议{4}件', '行政诉讼{5}件', '被举报投诉{6}件'] }],
    [{ lead: '向图书馆、档案馆等查阅场所报送信息{7}条', then: '其中', parts: ['纸质文件{7.1}条', '电子文件{7.2}条'] },
      { lead: '全区从事政府信息公开工作人员{12.3}人', then: '其中', parts: ['专职人员{12.3.1}人', '兼职人员{12.3.2}人'] },
      { lead: '依申请公开信息收取费用{11}万元' }],
  ],
  'gov-info-disclosure-2021': [
    [{ lead: '{y}年，全区', then: '', sep: '', parts: ['制发规章{2.1.1:issued}件', '废止规章{2.1.1:repealed}件', '现行有效规章{2.1.1:current}件',
      '制发行政规范性文件{2.1.2:issued}件', '废止行政规范性文件{2.1.2:repealed}件', '现行有效行政规范性文件{2.1.2:current}件'] },
      { lead: '本年', parts: ['作出行政许可决定{2.5.1:decisions}件', '行政处罚决定{2.6.1:decisions}件', '行政强制决定{2.6.2:decisions}件', '收取行政事业性收费{2.8.1:fees}万元'] }],
    [{ lead: '本年新收政府信息公开申请{3.1:total}件', parts: ['上年结转{3.2:total}件'] },
      { lead: '新收申请按申请人分', parts: ['自然人{3.1:natural}件', '商业企业{3.1:commercial}件', '科研机构{3.1:research}件', '社会公益组织{3.1:welfare}件',
        '法律服务机构{3.1:legal}件', '其他{3.1:other}件'] },
      { lead: '本年度办理结果总计{3.3.7:total}件', then: '其中', parts: ['予以公开{3.3.1:total}件', '部分公开{3.3.2:total}件', '不予公开{3.3.3:total}件',
        '无法提供{3.3.4:total}件', '不予处理{3.3.5:total}件', '其他处理{3.3.6:total}件'] },
      { lead: '结转下年度继续办理{3.4:total}件' }],
    [{ lead: '因政府信息公开工作被申请行政复议{4.1:total}件', then: '其中', parts: ['结果维持{4.1:upheld}件', '结果纠正{4.1:corrected}件', '其他结果{4.1:other}件', '尚未审结{4.1:pending}件'] },
      { lead: '被提起行政诉讼{4.2.1:total+4.2.2:total}件', then: '其中', parts: ['未经复议直接起诉{4.2.1:total}件', '复议后起诉{4.2.2:total}件'] }],
  ],
};

function reportText(a, catalogue, period) {
  const figures = new Map();
  for (const row of a.rows) for (const f of [row, ...(row.cells ?? [])]) if (f.total !== null && f.total !== undefined) figures.set(f.code, Number(f.total));
  // A clause with its figures filled in; null when one of them is blank.
  const fill = clause => {
    let blank = false;
    const filled = clause.replace(/\{([^}]+)\}/g, (_, key) => {
      if (key === 'y') return period;
      const codes = key.split('+');
      if (!codes.every(code => figures.has(code))) { blank = true; return ''; }
      return String(Number(codes.reduce((sum, code) => sum + figures.get(code), 0).toFixed(6)));
    });
    return blank ? null : filled;
  };
  const sentence = ({ lead, then = '', sep = '，', parts = [] }) => {
    const head = fill(lead), given = parts.map(fill).filter(Boolean);
    if (head === null || (!/\{/.test(lead.replace('{y}', '')) && !given.length)) return '';
    return head + (given.length ? sep + then + given.join('，') : '') + '。';
  };
  const paragraphs = REPORT_TEXT[catalogue.id].map(p => p.map(sentence).join('')).filter(Boolean);
  const c = a.completeness;
  return `（草稿）以下数字取自“${catalogue.title}”${period}年全区汇总表（已报 ${c.submitted}/${c.expected} 个单位；` +
    `${c.closed ? '统计期已关闭' : '统计期尚未关闭，数字还会随各单位的报送而变'}）。空白（未填报）的项没有写入。\n\n${paragraphs.join('\n')}`;
}

// Whether it drew the overview: not when another view was opened while it was read, nor when the period could not be read.
async function districtView(catalogueId, period, admin) {
  const view = $('#view');
  const mine = ++viewsOpened;
  const base = `/v1/aggregates/${catalogueId}/${period}`;
  // The other catalogues that take this period (the 2014 edition's 2019 beside a format loaded from 2019): a reporter that sent
  // it on one of them is not in this table, yet reported, and is named so among those missing rather than chased as silent.
  const taken = Number(period.slice(0, 4));
  const others = catalogues.filter(x => x.id !== catalogueId && coversYear(x, taken)
    && x.periods.granularities.includes(period.includes('Q') ? 'quarter' : 'year'));
  const [aggregate, reporters, settings, catalogue, ...elsewhere] = await Promise.all([
    api(base), api('/v1/reporters'), api(`/v1/periods/${catalogueId}/${period}`), api(`/v1/catalogues/${catalogueId}`),
    ...others.map(x => api(`/v1/aggregates/${x.id}/${period}`))]);
  // A year's quarters still to come that the office closed on its own take no table from the reporter (409): said as such.
  const toCome = [...new Set(aggregate.ok ? aggregate.data.completeness.reporters.flatMap(r => r.quartersToCome ?? []) : [])];
  const shut = new Set((await Promise.all(toCome.map(q => api(`/v1/periods/${catalogueId}/${q}`)))).filter(r => r.data?.closed).map(r => r.data.period));
  if (mine !== viewsOpened) return false;
  if (!aggregate.ok) { view.textContent = periodProblem(aggregate, catalogueId, period); return false; }
  const readAt = new Date();
  const a = aggregate.data, c = a.completeness;
  // A provincial edition's table is sent upward in the layout of the national catalogue it maps to.
  const national = catalogue.data?.edition?.national;
  const nationalCatalogue = catalogues.find(x => x.id === national);
  const names = Object.fromEntries((reporters.data?.items ?? []).map(r => [r.id, r]));
  // Named as the period prints them (completeness.names): a closed period as it was closed, whatever a reporter is called
  // since; the registry (/v1/reporters) gives the contacts, kinds and retirements.
  const name = id => c.names?.[id] ?? names[id]?.name ?? id;

  // Everyone expected or contributing, with a status each; the missing have no contribution.
  // own: the reporter has a table of this very period (a year added up from its quarters has none to correct: 代填 enters one,
  // while the period is open: a closed one takes no new table, so it offers none, and 更正 goes through a return).
  // incomplete: a year from some of its quarters only (季报未报齐), chased as a missing table is, for the quarters toCome (of
  // which those shut the office closed on its own: the reporter can no longer send them).
  // closedWithYear: a quarter its closed year closes to the reporter (随年度关闭): it could not send it, so it is not chased.
  // afterClose: its tables stored after the period was closed (a correction a return let in), which the printed table names too.
  const entries = [...c.reporters.map(r => ({ id: r.reporter, kind: r.kind, last: r.submissions[r.submissions.length - 1], own: r.source === 'submission', quarters: r.submissions.length, review: r.review,
      afterClose: c.closedAt ? r.submissions.filter(s => new Date(s.receivedAt) > new Date(c.closedAt)) : [],
      ...(c.incomplete.includes(r.reporter) ? { status: 'incomplete', toCome: r.quartersToCome, shut: r.quartersToCome.filter(q => shut.has(q)) } : { status: r.status }) })),
    ...c.missing.map(id => ({ id, kind: names[id]?.kind, status: 'notSubmitted', last: null,
      elsewhere: others.find((x, i) => elsewhere[i].data?.completeness?.reporters.some(r => r.reporter === id)) })),
    ...c.closedWithYear.map(id => ({ id, kind: names[id]?.kind, status: 'closedWithYear', last: null }))];
  const statuses = STATUSES.filter(s => (s !== 'incomplete' || c.incomplete.length) && (s !== 'closedWithYear' || c.closedWithYear.length));
  const year = period.slice(0, 4);
  const chased = e => e.status === 'notSubmitted' || e.status === 'incomplete';
  // 催报通知 is offered while someone is to be reminded; otherwise why not is said where it would be (刷新 draws it again).
  const remindable = entries.some(returnedTable) || (!c.closed && entries.some(chased));
  // 未报 (and 季报未报齐), as the list above names them: their own 分单位 template is offered while they may still send a table.
  const unreported = c.closed ? 0 : entries.filter(chased).length;
  const count = (kind, s) => entries.filter(e => (!kind || e.kind === kind) && (!s || e.status === s)).length;
  const statusHeads = statuses.map(s => `<th scope="col">${esc(text[lang].st[s === 'onTime' && !c.deadline ? 'submitted' : s])}</th>`).join('');

  // Read when the overview is drawn, and again on 刷新 only (no polling): a district of hundreds reads it often enough so.
  let html = `<h2>${t('overview')} · ${esc(periodName(period))}</h2>
    <p class="noprint" id="overviewRefresh"><button type="button" id="refreshOverview" title="${esc(t('refreshTitle'))}">${t('refresh')}</button>
    <span id="overviewReadAt" class="muted" data-read-at="${readAt.toISOString()}">${esc(t('readAt', clock(readAt)))}</span></p>
    <p>${t('expected')} ${c.expected}${comma()}${t('submitted')} ${c.submitted}${comma()}${c.incomplete.length ? `<span class="missing" id="incomplete">${text[lang].st.incomplete} ${c.incomplete.length}</span>${comma()}` : ''}<span class="missing">${t('missing')} ${c.missing.length}</span>${comma()}${c.closedWithYear.length ? `<span id="closedWithYear">${esc(t('closedWithYearCount', year, c.closedWithYear.length))}</span>${comma()}` : ''}${c.notExpected ? t('notExpected', c.notExpected) + comma() : ''}${c.deadline ? `${t('deadline')} ${esc(when(c.deadline))}` : t('noDeadline')}${c.closed ? paren(t('closed')) : c.firstClosedAt ? `<span id="reopenedNote">${esc(paren(t('reopenedSince', when(c.firstClosedAt))))}</span>` : ''}</p>`;
  html += scroller(t('overview'), `<table id="counts"><caption>${t('overview')}</caption><thead><tr><th scope="col">${t('kind')}</th><th scope="col">${t('expected')}</th>${statusHeads}</tr></thead><tbody>
    ${[...KINDS, null].map(k => `<tr data-kind="${k ?? 'all'}" class="${k ? '' : 'sum'}"><th scope="row">${k ? kindName(k) : t('total')}</th><td class="n">${count(k)}</td>${statuses
      .map(s => `<td class="n" data-status="${s}">${count(k, s)}</td>`).join('')}</tr>`).join('')}</tbody></table>`);
  // A table of the period's own is reviewed; a year added up from quarters is not a table of its own (each quarter is reviewed in its period).
  const reviewed = entries.filter(e => e.own);
  html += `<p id="reviewCounts">${t('reviewCounts')}${lang === 'zh' ? '：' : ': '}${['pending', 'accepted', 'returned'].map(s =>
    `<span class="rv-${s}" data-review="${s}">${esc(text[lang].rv[s])} <span class="n">${reviewed.filter(e => reviewState(e.review) === s).length}</span></span>`).join(lang === 'zh' ? '，' : ', ')}</p>`;
  html += `<div id="missingList"><h3>${t('missingNames')}</h3><ul>${KINDS.map(k => {
    // Each with whom to call (催报), where the office has a contact.
    const missing = entries.filter(e => e.kind === k && chased(e)).map(e => name(e.id) + (names[e.id]?.contact ? paren(names[e.id].contact) : '') + (e.toCome ? paren(t('quartersToCome', quarterNumbers(e.toCome))
      + (e.shut.length ? (lang === 'zh' ? '；' : '; ') + t('quartersShut', quarterNumbers(e.shut)) : '')) : '')
      + (e.elsewhere ? paren(t('sentOn', lang === 'zh' ? e.elsewhere.title : e.elsewhere.titleEn)) : ''));
    return `<li data-kind="${k}"><strong>${kindName(k)}</strong>${paren(missing.length)}${colon()}${missing.length ? esc(missing.join(lang === 'zh' ? '、' : ', ')) : t('none')}</li>`;
  }).join('')}</ul>${c.closedWithYear.length ? `<p id="closedWithYearNames">${esc(t('closedWithYearNames', year) + colon()
    + KINDS.flatMap(k => entries.filter(e => e.kind === k && e.status === 'closedWithYear')).map(e => name(e.id)).join(lang === 'zh' ? '、' : ', '))}</p>` : ''}${!admin ? '' : remindable ? `<p class="noprint"><button type="button" id="notice">${t('notice')}</button></p>
    <div id="noticeBox" class="noprint" hidden><label for="noticeText">${t('noticeLabel')}</label><textarea id="noticeText" rows="7" readonly></textarea>
    <p><button type="button" id="copyNotice">${t('copy')}</button></p></div>` : `<p class="noprint" id="noticeNone">${esc(c.closed ? t('noticeNobodyClosed') : c.closedWithYear.length ? t('noticeNobodyWithYear', year) : t('noticeNobody'))}</p>`}</div>`;
  // A district of hundreds: the list found by name or id, shown by status or review, ordered by a column (its header pressed).
  const statusName = s => text[lang].st[s === 'onTime' && !c.deadline ? 'submitted' : s];
  html += `<p class="noprint filters" id="overviewFilters"><label>${t('find')} <input type="search" id="findOverview" autocomplete="off"></label>
    <label>${t('only')} <select id="statusFilter"><option value="">${t('all')}</option><optgroup label="${esc(t('status'))}">${statuses.map(s => `<option value="st:${s}">${esc(statusName(s))}</option>`).join('')}</optgroup>
    <optgroup label="${esc(t('reviewGroup'))}">${['pending', 'accepted', 'returned'].map(s => `<option value="rv:${s}">${esc(text[lang].rv[s])}</option>`).join('')}</optgroup></select></label>
    <span id="overviewShown" aria-live="polite"></span></p>${admin ? `<p class="noprint" id="bulkReview"><label><input type="checkbox" id="pickAll"> ${t('pickAll')}</label>
    <button type="button" id="acceptPicked">${t('bulkAccept')}</button> <span id="bulkProgress" aria-live="polite"></span></p>` : ''}`;
  let detail = `<table id="overview"><thead><tr><th scope="col" data-sortable>${t('reporters')}</th><th scope="col" data-sortable>${t('status')}</th><th scope="col" data-sortable>${t('revision')}</th><th scope="col" data-sortable>${t('time')}</th><th scope="col" data-sortable>${t('reviewCol')}</th>${admin ? `<th scope="col" class="noprint">${t('action')}</th>` : ''}</tr></thead>`;
  for (const kind of KINDS) {
    const group = entries.filter(e => e.kind === kind).sort((x, y) => STATUSES.indexOf(y.status) - STATUSES.indexOf(x.status) || name(x.id).localeCompare(name(y.id), 'zh'));
    detail += `<tbody><tr class="h"><th scope="rowgroup" colspan="${admin ? 6 : 5}">${kindName(kind)}${paren(`${t('expected')} ${group.length}${comma()}${t('missing')} ${count(kind, 'notSubmitted')}`)}</th></tr>`;
    for (const e of group)
      detail += `<tr data-reporter="${esc(e.id)}" data-status="${esc(e.status)}"><th scope="row" class="name"><a href="#" data-drill="${esc(e.id)}">${esc(name(e.id))}</a>${retiredMark(names[e.id])}</th>
        <td data-sort="${STATUSES.indexOf(e.status)}">${statusLabel(e.status, c.deadline)}${e.elsewhere ? `<span class="sentOn" data-sent-on="${esc(e.elsewhere.id)}">${esc(paren(t('sentOn', lang === 'zh' ? e.elsewhere.title : e.elsewhere.titleEn)))}</span>` : ''}</td><td class="n">${e.own || !e.last ? e.last?.revision ?? '' : esc(t('quartersCount', e.quarters))}</td><td data-sort="${esc(e.last?.receivedAt ?? '')}">${esc(when(e.last?.receivedAt))}${e.last ? sentMark(e.last) : ''}${e.afterClose?.length ? ` <span class="afterClose" data-after-close title="${esc(t('afterCloseTitle', when(c.closedAt),
          e.afterClose.map(s => t('afterCloseRevision', s.period === period ? '' : periodName(s.period) + (lang === 'zh' ? '' : ' '), s.revision, when(s.receivedAt))).join(lang === 'zh' ? '；' : '; ')))}">${t('afterClose')}</span>` : ''}</td>
        <td data-reviewed="${e.own ? esc(reviewState(e.review)) : ''}">${e.own ? reviewLabel(e.review) + reasonBlock(e.review) : ''}${e.own && e.last?.note
          ? ` <span class="noteMark" data-note title="${esc(e.last.note)}">${t('hasNote')}</span>` : ''}</td>${admin ? `<td class="noprint">${pickBox(e, name(e.id))}${e.status === 'closedWithYear' || (c.closed && !e.own) ? '' : `
        <button type="button" data-fill="${esc(e.id)}" aria-label="${esc(`${t(e.own ? 'correct' : 'fillFor')} ${name(e.id)}`)}">${t(e.own ? 'correct' : 'fillFor')}</button>`}</td>` : ''}</tr>`;
    detail += '</tbody>';
  }
  html += scroller(t('reporters'), detail + '</table>');
  html += '<div id="farAll"></div><div id="quartersAll"></div><div id="carriedAll"></div>';
  // 应报单位: the period's expected list (null: every registered reporter), such as the towns alone for a quarter where the
  // departments send only the year; a reporter retired for the period is expected by no list, so it is not offered.
  const listed = settings.data?.expectedReporters ?? null;
  const expectable = (reporters.data?.items ?? []).filter(r => !r.retiredFrom || !beginsOnOrAfter(period, r.retiredFrom));
  const expectedSummary = list => t('expectedList', list ? t('expectedSome', list.length) : t('expectedAll'));
  if (admin) html += `<p class="noprint"><button type="button" id="toggle">${c.closed ? t('reopen') : t('close')}</button>${c.closed ? ` <label>${t('reopenReason')} <input id="reopenReason" maxlength="500" size="24"></label>` : ''}
    <label${c.closed ? ` title="${esc(t('deadlineLocked'))}"` : ''}>${t('deadline')} <input type="datetime-local" id="deadline" value="${c.deadline ? localInput(c.deadline) : ''}"${c.closed ? ' disabled' : ''}></label> <button type="button" id="saveDeadline"${c.closed ? ` disabled title="${esc(t('deadlineLocked'))}"` : ''}>${t('save')}</button></p>
    <details id="expectedBox" class="noprint"><summary>${esc(expectedSummary(listed))}</summary><p class="muted">${esc(t('expectedHint'))}</p>${KINDS.map(k => `<fieldset><legend>${kindName(k)}</legend>${
      expectable.filter(r => r.kind === k).map(r => `<label><input type="checkbox" data-expect="${esc(r.id)}"${!listed || listed.includes(r.id) ? ' checked' : ''}${c.closed ? ' disabled' : ''}> ${esc(name(r.id))}</label>`).join(' ')}</fieldset>`).join('')}
    <p><button type="button" id="saveExpected"${c.closed ? ` disabled title="${esc(t('expectedLocked'))}"` : ''}>${t('saveExpected')}</button></p></details>
    <fieldset class="noprint"><legend>${t('many')}</legend><p class="muted">${esc(t('manyHint'))}</p>
    <p><button type="button" id="manyTemplate">${t('manyTemplate')}</button>${unreported ? ` <button type="button" id="manyTemplateMissing" title="${esc(t('manyTemplateMissingTitle'))}">${esc(t('manyTemplateMissing', unreported))}</button>` : ''} <label>${t('manyUpload')} <input type="file" id="manyUpload" accept=".xlsx"></label>
    <label>${t('sentAt')} <input type="datetime-local" id="manySentAt"></label></p><div id="manyResult" role="alert"></div></fieldset>`;

  // A period published and changed since (a correction let in by a return or a reopening) prints its table as first published too.
  const publishedBefore = c.firstClosedAt && c.reporters.some(r => r.submissions.some(s => new Date(s.receivedAt) > new Date(c.firstClosedAt)));
  html += `<h2>${t('table')}</h2><p class="noprint"><button type="button" id="csv">${t('csv')}</button> <button type="button" id="xlsx">${t('xlsx')}</button>
    <button type="button" id="breakdown" title="${t('breakdownTitle')}">${t('breakdown')}</button>
    <button type="button" id="print" title="${esc(t('printTitle'))}">${t('print')}</button>
    <label title="${esc(t('reportDateTitle'))}">${t('reportDate')} <input type="date" id="reportDate" min="${lastDayOf(a.period)}" max="${beijingToday()}"></label>
    <button type="button" id="publicationXlsx" title="${esc(t('publicationTitle'))}">${t('publicationXlsx')}</button>
    <button type="button" id="publicationPrint" title="${esc(t('publicationTitle'))}">${t('publicationPrint')}</button>${publishedBefore ? ` <button type="button" id="firstPrint" title="${esc(t('firstPrintTitle', when(c.firstClosedAt)))}">${t('firstPrint')}</button>` : ''}${national ? ` <button type="button" id="nationalXlsx" title="${esc(t('nationalTitle', nationalCatalogue ? (lang === 'zh' ? nationalCatalogue.title : nationalCatalogue.titleEn) : national))}">${t('nationalXlsx')}</button>
    <button type="button" id="nationalPrint">${t('nationalPrint')}</button>` : ''}${REPORT_TEXT[catalogueId] && !a.period.includes('Q') ? ` <button type="button" id="reportText">${t('reportText')}</button>` : ''}</p>
    <div id="reportTextBox" class="noprint" hidden><label for="reportTextArea">${t('reportTextLabel')}</label><textarea id="reportTextArea" rows="9" readonly></textarea>
    <p><button type="button" id="copyReportText">${t('copy')}</button></p></div><p class="legend noprint"><span class="derived swatch" aria-hidden="true">12</span> ${t('derivedLegend')}</p>
    ${admin && c.firstClosedAt ? `<details id="publications" class="noprint"><summary>${t('publications')}</summary><div class="body"></div></details>` : ''}<div id="districtTable"></div><h2>${t('share')}</h2><div id="chart"></div><section id="drill"></section>`;
  view.innerHTML = html;
  districtTable(a, catalogue.data, 'total');
  // The form is dated the day the office gives (报出日期), else by the service (the day the period was closed); 发布版 only by the day given.
  const dated = () => ($('#reportDate').value ? `&reportDate=${$('#reportDate').value}` : '');
  $('#csv').onclick = () => download(`${base}?format=csv${dated()}`);
  $('#xlsx').onclick = () => download(`${base}?format=xlsx${dated()}`);
  $('#breakdown').onclick = () => download(`${base}/breakdown?format=xlsx${dated()}`);
  // The printable table, with its title and footer, rather than this page.
  $('#print').onclick = () => printPage(`${base}?format=html${dated()}`, t('print'));
  $('#publicationXlsx').onclick = () => download(`${base}?format=xlsx&layout=publication${dated()}`);
  $('#publicationPrint').onclick = () => printPage(`${base}?format=html&layout=publication${dated()}`, t('publicationPrint'));
  $('#publications')?.addEventListener('toggle', () => $('#publications').open && publications(base, catalogueId, period, name, national), { once: true });
  if (publishedBefore) $('#firstPrint').onclick = () => printPage(`${base}?format=html&asAt=${encodeURIComponent(c.firstClosedAt)}`, t('firstPrint'));
  if (national) {
    const asNational = `${base}/as/${encodeURIComponent(national)}`;
    $('#nationalXlsx').onclick = () => download(`${asNational}?format=xlsx`);
    $('#nationalPrint').onclick = () => printPage(`${asNational}?format=html`, t('nationalPrint'));
  }
  // A text to paste elsewhere (the reminder, the report's sentences): made when its button is pressed, shown selected, and
  // copied by 复制; where the page may not write to the clipboard (a plain-http address), it stays selected for Ctrl+C.
  const copyable = (button, box, area, copy, make, said) => {
    if (!$(button)) return;
    $(button).onclick = () => { $(area).value = make(); $(box).hidden = false; $(area).select(); };
    $(copy).onclick = async () => {
      $(area).select();
      try { await navigator.clipboard.writeText($(area).value); status(t(said)); } catch { /* selected: the person copies it */ }
    };
  };
  copyable('#notice', '#noticeBox', '#noticeText', '#copyNotice', () => reminder(catalogue.data, period, c, entries, name, names), 'copied');
  copyable('#reportText', '#reportTextBox', '#reportTextArea', '#copyReportText', () => reportText(a, catalogue.data, period), 'reportCopied');
  // The reporter whose table is open below (its drill-down), for 刷新 to open again.
  let drilled = null;
  const drillLinks = root => root.querySelectorAll('[data-drill]').forEach(link => {
    link.onclick = async e => {
      e?.preventDefault(); drilled = link.dataset.drill;
      const latest = await drill(catalogueId, period, { ...names[link.dataset.drill], id: link.dataset.drill, name: name(link.dataset.drill) }, admin);
      // Pressed (not opened again by 刷新), the revisions and review below take the focus: Tab goes on to 通过 and 退回, not up the list.
      if (e) $('#drill h2')?.focus({ preventScroll: true });
      return latest;
    };
  });
  drillLinks(view);
  // 刷新: the overview read again, with what the clerk searched for and shows (the order is kept by sortableTable), and the
  // reporter's table open below it opened again, with a return's reason typed and not yet sent; if the table shown is now
  // a newer revision than the one the reason was typed for, that is said beside it.
  $('#refreshOverview').onclick = async () => {
    const find = $('#findOverview').value, only = $('#statusFilter').value;
    const open = drilled && $('#drill', view)?.childElementCount ? {
      id: drilled, reason: $('#drill #reviewComment')?.value ?? '', revision: [...view.querySelectorAll('#drillRevisions [data-revision]')].pop()?.dataset.revision,
    } : null;
    $('#refreshOverview').disabled = true;
    if (!await districtView(catalogueId, period, admin) || !$('#findOverview')) return;
    $('#findOverview').value = find;
    $('#statusFilter').value = only;
    $('#statusFilter').onchange();
    $('#refreshOverview').focus();
    const link = open && $(`#overview [data-drill="${CSS.escape(open.id)}"]`);
    if (!link) return;
    const latest = await link.onclick();
    const box = $('#drill #reviewComment');
    if (!latest || !box || !open.reason.trim()) return;
    box.value = open.reason;
    if (String(latest.revision) !== open.revision)
      box.closest('label').insertAdjacentHTML('afterend', `<br><span id="reasonKept" class="notice returned" role="status">${esc(t('reasonKept', open.revision, latest.revision))}</span>`);
  };
  // The reporters found by name or id, shown by status or review, ordered by a column.
  const overview = $('#overview');
  sortableTable(overview);
  const applyFilters = () => {
    const typed = $('#findOverview').value.trim().toLowerCase(), only = $('#statusFilter').value;
    filterRows(overview, tr => (!typed || `${tr.dataset.reporter} ${tr.querySelector('th.name').textContent}`.toLowerCase().includes(typed))
      && (!only || (only.startsWith('st:') ? tr.dataset.status === only.slice(3) : tr.querySelector('td[data-reviewed]')?.dataset.reviewed === only.slice(3))), $('#overviewShown'));
    if (!admin) return;
    // A ticked row the filter hides is unticked (批量审核通过 accepts only what the clerk sees), and said so.
    const hidden = [...overview.querySelectorAll('tr[hidden] [data-pick]:checked')];
    hidden.forEach(box => { box.checked = false; });
    if (hidden.length) $('#bulkProgress').textContent = t('bulkUnpicked', hidden.length);
    syncPickAll();
  };
  // 勾选显示中的全部待审核 is ticked when every table awaiting review shown is, and only then.
  const syncPickAll = () => {
    const all = $('#pickAll'), shown = [...overview.querySelectorAll('tr:not([hidden]) [data-pick]')];
    if (all) all.checked = shown.length > 0 && shown.every(box => box.checked);
  };
  $('#findOverview').oninput = applyFilters;
  $('#statusFilter').onchange = applyFilters;
  const countReviews = () => ['pending', 'accepted', 'returned'].forEach(s => {
    $(`#reviewCounts [data-review="${s}"] .n`, view).textContent = reviewed.filter(e => reviewState(e.review) === s).length;
  });
  // A review stored (in the reporter's revisions below, or several at once): its row and the counts say so, and the reminder
  // and 关闭 know it, without the overview read again (hundreds of rows, and the clerk's place in them).
  // A newer revision found meanwhile (last, as the revision list reads it) is its row's revision and time too, awaiting review.
  const markReviewed = (id, review, last) => {
    const e = entries.find(x => x.id === id);
    if (!e) return;
    e.review = review;
    const row = overview.querySelector(`tr[data-reporter="${CSS.escape(id)}"]`), cell = row?.querySelector('td[data-reviewed]');
    if (last && e.own && row) {
      e.last = last;
      row.cells[2].textContent = last.revision;
      row.cells[3].dataset.sort = last.receivedAt;
      row.cells[3].innerHTML = esc(when(last.receivedAt)) + sentMark(last);
    }
    if (cell) {
      const note = cell.querySelector('[data-note]');
      cell.dataset.reviewed = reviewState(review);
      cell.innerHTML = reviewLabel(review) + reasonBlock(review) + (note ? ` ${note.outerHTML}` : '');
    }
    row?.querySelector('[data-pick]')?.remove();
    countReviews();
    if (admin) syncPickAll();
  };
  onReviewed = markReviewed;
  if (admin) {
    // 批量审核通过: the tables ticked, each accepted by the review endpoint with its latest revision (a newer one sent since is
    // refused, not accepted unread), a few at a time, with how far it has got and, at the end, which were not accepted and why.
    $('#pickAll').onchange = () => overview.querySelectorAll('tr:not([hidden]) [data-pick]').forEach(box => { box.checked = $('#pickAll').checked; });
    overview.querySelectorAll('[data-pick]').forEach(box => { box.addEventListener('change', syncPickAll); });
    $('#acceptPicked').onclick = async () => {
      const progress = $('#bulkProgress'), button = $('#acceptPicked');
      const picked = [...overview.querySelectorAll('tr:not([hidden]) [data-pick]:checked')].map(box => entries.find(e => e.id === box.dataset.pick)).filter(Boolean);
      if (!picked.length) { progress.textContent = t('bulkPickFirst'); return; }
      button.disabled = true;
      const queue = [...picked], refused = [];
      let done = 0;
      await Promise.all(Array.from({ length: 4 }, async () => {
        for (let e = queue.shift(); e; e = queue.shift()) {
          // Ticked while it awaited review (待审核): one another clerk reviewed meanwhile is not overwritten, but shown as it now is.
          const r = await api(`/v1/submissions/${e.last.id}/review`, { method: 'POST', body: { decision: 'accepted', ...expectedReview(e.review) } });
          if (r.ok) markReviewed(e.id, r.data);
          else {
            if (slugOf(r) === 'review-conflict') markReviewed(e.id, reviewOfConflict(r));
            refused.push(name(e.id) + paren(problemText(r, text[lang].reviewProblem)));
          }
          progress.textContent = t('bulkAccepting', ++done, picked.length);
        }
      }));
      button.disabled = false;
      // The button was disabled while it ran, which sent the focus to the page: it goes back to the button.
      button.focus();
      syncPickAll();
      const said = t('bulkAccepted', picked.length - refused.length, refused.length) + (refused.length ? t('bulkRefused', refused.join(lang === 'zh' ? '；' : '; ')) : '');
      progress.textContent = said;
      if (mine !== viewsOpened) status(`${periodName(period)} · ${said}`);
    };
  }
  const farBox = $('#farAll');
  farFromLastYearAll(catalogueId, period, name).then(() => drillLinks(farBox));
  const quartersBox = $('#quartersAll');
  differsFromQuartersAll(catalogueId, period, name).then(() => drillLinks(quartersBox));
  if (catalogue.ok) carriesIn.set(catalogueId, catalogue.data.tables.some(table => table.rows.some(row => row.carriedFrom)));
  const carriedBox = $('#carriedAll');
  differsFromLastYearCarriedAll(catalogueId, period, name).then(() => drillLinks(carriedBox));
  if (admin) {
    // The office enters a table it was sent (a workbook, figures by phone) or corrects one, in the form the reporter uses.
    view.querySelectorAll('[data-fill]').forEach(button => {
      // Pressed, the form takes the focus from the button it replaces, and 返回 gives it back to that button in the overview drawn anew.
      const back = (c, p) => districtView(c, p, admin).then(() => $(`#overview [data-fill="${CSS.escape(button.dataset.fill)}"]`)?.focus());
      button.onclick = e => entryForm({ id: button.dataset.fill, name: name(button.dataset.fill) }, catalogueId, period, back).then(() => { if (e) $('#formTitle')?.focus(); });
    });
    // Closing while tables are owed — not yet sent (未报), a year added up from quarters still to come (季报未报齐, whose quarters
    // close with the year) — would leave them unsendable; a returned one (已退回) stays open to its correction, which then changes
    // the closed period's totals: the office is told which, and presses again to close.
    $('#toggle').onclick = async () => {
      const button = $('#toggle');
      const list = names => names.join(lang === 'zh' ? '、' : ', ');
      // Read from the overview as it stands: a return made since it was drawn is marked in its row.
      const returned = [...view.querySelectorAll('#overview tr[data-reporter] [data-reviewed="returned"]')].map(td => name(td.closest('tr').dataset.reporter));
      // A year added up from quarters has no review of its own: a returned quarterly table of it closes with the year, so the
      // quarters' overviews are read for their returns (only on the first press, and only when such a year is in the table).
      const fromQuarters = new Set(entries.filter(e => !e.own && e.quarters).map(e => e.id));
      if (!c.closed && button.dataset.armed !== 'true' && /^\d{4}$/.test(period) && fromQuarters.size) {
        const quarters = await Promise.all([1, 2, 3, 4].map(q => api(`/v1/aggregates/${catalogueId}/${period}Q${q}`)));
        if (mine !== viewsOpened) return; // another view opened meanwhile: its own 关闭 says what it owes
        quarters.forEach((r, i) => (r.ok ? r.data.completeness.reporters : [])
          .filter(x => fromQuarters.has(x.reporter) && x.review?.decision === 'returned')
          .forEach(x => returned.push(name(x.reporter) + paren(t('returnedQuarter', i + 1)))));
      }
      // By kind, as 未报单位 lists them.
      const owing = s => [...KINDS, undefined].flatMap(k => entries.filter(e => e.status === s && (k ? e.kind === k : !KINDS.includes(e.kind))));
      const missing = owing('notSubmitted').map(e => name(e.id));
      const incomplete = owing('incomplete').map(e => name(e.id) + (e.toCome?.length ? paren(t('quartersToCome', quarterNumbers(e.toCome))) : ''));
      if (!c.closed && (returned.length || missing.length || incomplete.length) && button.dataset.armed !== 'true') {
        button.dataset.armed = 'true'; button.textContent = t('confirmClose'); button.classList.add('danger');
        status((missing.length ? t('closeMissing', missing.length, list(missing)) : '') + (incomplete.length ? t('closeIncomplete', incomplete.length, list(incomplete)) : '')
          + (returned.length ? t('closeReturned', list(returned)) : '')
          + t(!missing.length && !incomplete.length ? 'closeTailReturned' : /^\d{4}$/.test(period) ? 'closeTailYear' : 'closeTail'));
        return;
      }
      // The settings as read (their ETag): a close, reopening or deadline another clerk saved since is not acted on blind
      // (409 settings-conflict); the overview is read again and drawn as it now stands, and the clerk told why nothing was done.
      // Why a published period is opened to every reporter again goes into the audit log with the reopening.
      const reason = c.closed ? $('#reopenReason').value.trim() : '';
      const r = await api(`/v1/periods/${catalogueId}/${period}/${c.closed ? 'reopen' : 'close'}${reason ? `?reason=${encodeURIComponent(reason)}` : ''}`, { method: 'POST', headers: settings.etag ? { 'If-Match': settings.etag } : {} });
      // Answered after another view was opened: said on the status line, naming the period, not by drawing it over that view.
      if (mine !== viewsOpened) { status(`${periodName(period)} · ${r.ok ? t(c.closed ? 'periodReopened' : 'periodClosed') : problemText(r)}`); return; }
      if (slugOf(r) === 'settings-conflict') {
        if (await districtView(catalogueId, period, admin)) status(t('settingsChangedToggle', t(c.closed ? 'reopen' : 'close')));
        return;
      }
      if (!r.ok) { status(problemText(r)); return; }
      // Reopened, the period takes every reporter's table again, not only the correction it was reopened for: the office is
      // told so, with those not yet reported, whose tables would now count, and that a return (退回) lets one reporter in alone.
      // Closed, it is told who the period closed on still owing a table, as the service answers it (what it confirmed before
      // may have changed since).
      status(c.closed ? t('reopenedAll', periodName(period)) + (missing.length ? t('reopenedMissing', missing.length, list(missing)) : '') : closedOwing(r.data, list));
      districtView(catalogueId, period, admin);
    };
    $('#manyTemplate').onclick = () => download(`/v1/templates/${catalogueId}/${period}/reporters`);
    if (unreported) $('#manyTemplateMissing').onclick = () => download(`/v1/templates/${catalogueId}/${period}/reporters?status=notSubmitted`);
    $('#manyUpload').onchange = () => manyReporters(catalogueId, period, admin);
    // The deadline and the expected list are saved together, each as the page read the other (their ETag): what another clerk
    // saved since is refused (409 settings-conflict), not erased.
    const saveSettings = async (deadline, expectedReporters, typed, saved, locked) => {
      const r = await api(`/v1/periods/${catalogueId}/${period}`, { method: 'PUT', headers: settings.etag ? { 'If-Match': settings.etag } : {}, body: { deadline, expectedReporters } });
      if (mine !== viewsOpened) {
        status(`${periodName(period)} · ${r.ok ? saved(r.data) : problemText(r)}`);
        return;
      }
      // Read again and drawn with what is stored now; the clerk's own value is named, to be checked against it and saved again.
      if (slugOf(r) === 'settings-conflict') {
        if (await districtView(catalogueId, period, admin)) status(t('settingsChanged', typed));
        return;
      }
      // Closed by another clerk since this page read it: drawn again as closed, the refusal's reason said.
      if (slugOf(r) === 'period-closed') {
        if (await districtView(catalogueId, period, admin)) status(`${periodName(period)} · ${t(locked)}`);
        return;
      }
      if (!r.ok) { status(problemText(r)); return; }
      status('');
      districtView(catalogueId, period, admin);
    };
    $('#saveDeadline').onclick = () => {
      const value = $('#deadline').value;
      return saveSettings(value ? new Date(value).toISOString() : null, listed, value ? `${t('deadline')} ${when(new Date(value).toISOString())}` : t('noDeadline'),
        d => (d?.deadline ? t('deadlineSaved', when(d.deadline)) : t('noDeadline')), 'deadlineLocked');
    };
    $('#saveExpected').onclick = () => {
      const boxes = [...view.querySelectorAll('[data-expect]')];
      const list = boxes.every(b => b.checked) ? null : boxes.filter(b => b.checked).map(b => b.dataset.expect);
      return saveSettings(settings.data?.deadline ?? null, list, expectedSummary(list), d => expectedSummary(d?.expectedReporters ?? null), 'expectedLocked');
    };
  }
  chart(catalogueId, period);
  return true;
}

// The close's answer said: 已关闭。未报：…；季报未报齐：…；已退回：… (only the lists that name someone); nothing when none is owed.
function closedOwing(closed, list) {
  const parts = [
    [closed.missing ?? [], 'owingMissing', () => ''],
    [closed.incomplete ?? [], 'owingIncomplete', x => x.quartersToCome.length ? paren(t('quartersToCome', quarterNumbers(x.quartersToCome))) : ''],
    [closed.returned ?? [], 'owingReturned', x => x.period === closed.period ? '' : paren(t('returnedQuarter', x.period.slice(-1)))],
  ].filter(([items]) => items.length).map(([items, key, more]) => t(key, list(items.map(x => x.name + more(x)))));
  return parts.length ? t('closedOwing', parts.join(lang === 'zh' ? '；' : '; ')) : '';
}

// 分单位填报: the workbook of every reporter's column is read by the service (nothing stored), the columns that differ from
// the current revisions are listed, and on a press each is submitted as the office's own entry of that reporter's table
// (POST /v1/submissions, with the revision its column was filled in from, so a table stored since is not overwritten).
// A workbook read after another was chosen, or after another view was opened (its box gone), draws and binds nothing: the
// fields and buttons are this overview's own, found in it, never another period's.
let manyAsked = 0;
async function manyReporters(catalogueId, period, admin) {
  const input = $('#manyUpload'), sentAt = $('#manySentAt'), box = $('#manyResult');
  const file = input.files[0];
  if (!file) return;
  if (notXlsx(file)) { input.value = ''; box.innerHTML = `<p class="missing">${esc(notXlsx(file))}</p>`; return; }
  const mine = ++manyAsked;
  const gone = () => mine !== manyAsked || !box.isConnected;
  const r = await api(`/v1/templates/${catalogueId}/${period}/reporters`, { method: 'POST', body: file, headers: { 'Content-Type': XLSX } });
  input.value = '';
  if (gone()) return;
  if (!r.ok) {
    // Cells to mend (a figure that is not a number, an id cell that names no reporter or one of another column, figures
    // under no id): each said on a line of its own, by its sheet and cell, as the service words it (Chinese first).
    const cells = slugOf(r) === 'validation' && (r.data?.errors?.length ?? 0) > 1 ? r.data.errors : [];
    box.innerHTML = cells.length
      ? `<p class="missing">${esc(t('manyMend', cells.length))}</p><ul class="missing">${cells.map(e => `<li>${esc(spoken(e.reason))}</li>`).join('')}</ul>`
      : `<p class="missing">${esc(problemText(r))}</p>`;
    return;
  }
  // Every column is a registered reporter's: the service refuses an id cell that names none.
  const columns = r.data.reporters;
  const count = state => columns.filter(c => c.state === state).length;
  const changed = columns.filter(c => c.state === 'changed');
  // The current revision's 填报说明 goes on with the new one, as the form keeps it when the office corrects a table.
  const body = c => ({ reporter: c.reporter, period, catalogue: catalogueId, values: c.values, ...(c.note ? { note: c.note } : {}),
    ...(c.madeFromRevision === undefined ? {} : { expectedRevision: c.madeFromRevision }) });
  // Each changed column judged first as its submission would be (the dry run): its errors, and its figures far from the
  // reporter's own last year (a digit typed twice while keying in a paper table), so they can be mended in Excel before.
  const verdicts = new Map(await Promise.all(changed.map(async c => [c.reporter, await api('/v1/submissions/validate', { method: 'POST', body: body(c) })])));
  if (gone()) return;
  const message = v => (lang === 'zh' ? v.messageZh : v.message);
  const check = c => {
    const v = verdicts.get(c.reporter);
    if (!v) return { html: '', errors: false, far: false, quarters: false, carried: false };
    if (!v.ok) return { html: `<span class="missing">${esc(problemText(v))}</span>`, errors: true, far: false, quarters: false, carried: false };
    const errors = v.data.violations.filter(x => x.severity === 'error'), far = v.data.violations.filter(x => CHECKS.includes(x.rule));
    const quarters = far.some(x => x.rule === QUARTERS);
    // A revision stored since the download is said as its submission would say it.
    const said = x => (x.rule === 'revision-conflict' ? t('manyStale', /\d+/.exec(x.expected)?.[0] ?? '?') : message(x));
    return {
      html: (errors.length ? `<span class="missing">${esc(errors.map(said).join(' '))}</span>` : `<span class="ok">${esc(t('valid'))}</span>`)
        + (far.length ? ` <span class="far">${esc(far.map(message).join(' '))}</span>` : ''),
      errors: errors.length > 0, far: far.some(x => x.rule === FAR), quarters, carried: far.some(x => x.rule === CARRIED),
    };
  };
  const checks = new Map(changed.map(c => [c.reporter, check(c)]));
  const countCheck = what => [...checks.values()].filter(x => x[what]).length;
  // A catalogue beginning later takes the period (the 2014 edition's 2019 beside the district's 2019 format): said once above the
  // columns, as each one's submission would be warned of it, before they are stored where the district table does not read them.
  const newer = [...verdicts.values()].flatMap(v => (v.ok ? v.data.violations : [])).find(x => x.rule === 'newer-catalogue');
  box.innerHTML = `<p>${esc(t('manyRead', columns.length, changed.length, count('unchanged'), count('blank')))}</p>
    ${verdicts.size ? `<p id="manyChecked">${esc(t('manyChecked', verdicts.size, countCheck('errors'), countCheck('far'), lastYearLabel(period).toLowerCase())
      + (countCheck('quarters') ? t('manyQuarters', countCheck('quarters')) : '')
      // Every warning the table shows is counted here: a balance carried in not as last year carried forward too.
      + (countCheck('carried') ? carriedText('manyCarried', period, countCheck('carried')) : ''))}</p>` : ''}
    ${newer ? `<p class="far" id="manyNewer">${esc(message(newer))}</p>` : ''}
    ${scroller(t('many'), `<table id="manyTable"><thead><tr><th scope="col" class="short">${t('manyCol')}</th><th scope="col">${t('reporters')}</th><th scope="col">${t('status')}</th><th scope="col">${t('manyCheck')}</th></tr></thead>
    <tbody>${columns.map(c => `<tr data-reporter="${esc(c.reporter)}" data-state="${esc(c.state)}"><td class="short">${esc(c.column)}</td>
    <td>${esc(c.name)}</td><td class="outcome">${esc(text[lang].manyState[c.state])}</td>
    <td class="verdict">${checks.get(c.reporter)?.html ?? ''}</td></tr>`).join('')}</tbody></table>`)}
    ${changed.length ? `<p><button type="button" id="manySubmit">${t('manySubmit', changed.length)}</button></p>` : ''}`;
  if (!changed.length) return;
  const submit = $('#manySubmit', box);
  submit.onclick = async () => {
    submit.disabled = true;
    const sent = sentAt.value ? `?sentAt=${encodeURIComponent(new Date(sentAt.value).toISOString())}` : '';
    let stored = 0;
    for (const c of changed) {
      const s = await api(`/v1/submissions${sent}`, { method: 'POST', headers: { 'Idempotency-Key': crypto.randomUUID() }, body: body(c) });
      const cell = box.querySelector(`tr[data-reporter="${CSS.escape(c.reporter)}"] .outcome`);
      if (s.ok) stored++;
      cell.textContent = s.ok ? t('manySaved', s.data.revision) : slugOf(s) === 'revision-conflict' ? t('manyStale', s.data?.currentRevision) : problemText(s);
      cell.className = `outcome ${s.ok ? 'ok' : 'missing'}`;
      cell.closest('tr').dataset.ok = String(s.ok);
    }
    // Said naming the period when the person has opened another meanwhile.
    status(`${box.isConnected ? '' : `${periodName(period)} · `}${t('manyDone', stored, changed.length - stored)}`);
    if (!box.isConnected) return;
    submit.outerHTML = `<button type="button" id="manyRefresh">${t('manyRefresh')}</button>`;
    $('#manyRefresh', box).onclick = () => districtView(catalogueId, period, admin);
  };
}

// The district table as printed: 2014 row by row with the split by kind; a table with columns (2021) as its grid under
// its grouped column headers, one figure (the total or one kind) at a time.
// A figure is marked 自动计算 only where the service says it summed it for every reporter that gave it (derived); one typed
// (580 in row 10 with its parts blank, a 0) is not, whatever the catalogue's sums. A kind's figure is marked by that kind's
// reporters alone (derivedKinds): the departments' sum beside a town's typed figure is marked under 区直部门, not under 乡镇 or 合计.
function districtTable(a, catalogue, figure) {
  const derivedIn = (f, k) => (k === 'total' ? f?.derived : f?.derivedKinds?.includes(k)) === true;
  const warned = new Map();
  for (const v of a.violations) for (const code of v.codes ?? []) warned.set(code, lang === 'zh' ? v.messageZh : v.message);
  const rowsByCode = new Map(a.rows.map(r => [r.code, r]));
  const warning = code => (warned.has(code) ? `<div class="msg">${esc(warned.get(code))}</div>` : '');
  const gridded = catalogue.tables.some(tb => tb.columns.length);
  let html = gridded ? `<p class="noprint"><label>${t('figure')} <select id="figure">${['total', ...KINDS]
    .map(k => `<option value="${k}" ${k === figure ? 'selected' : ''}>${k === 'total' ? t('total') : kindName(k)}</option>`).join('')}</select></label></p>` : '';
  for (const table of catalogue.tables) {
    const indent = indenter(table);
    let inner;
    if (!table.columns.length) {
      inner = `<table id="district" class="district"><thead><tr><th scope="col">${t('id')}</th><th scope="col">${t('name')}</th><th scope="col">${t('unit')}</th>
        <th scope="col">${t('total')}</th>${KINDS.map(k => `<th scope="col">${kindName(k)}</th>`).join('')}</tr></thead><tbody>`;
      for (const row of table.rows) {
        const r = rowsByCode.get(row.code);
        if (row.role === 'header') { inner += `<tr class="h"><td>${esc(row.code)}</td><td colspan="6"><span>${esc(row.name)}</span></td></tr>`; continue; }
        const cls = k => (derivedIn(r, k) && r[k] !== null && r[k] !== undefined ? ' class="n derived"' : ' class="n"');
        inner += `<tr data-code="${esc(row.code)}" class="${row.parent ? 'part' : ''}"><td>${esc(row.code)}</td><th scope="row" class="name"${indent(row)}>${esc(row.name)}${warning(row.code)}</th><td>${esc(r?.unit ?? '')}</td>
          <td${cls('total')}>${num(r?.total)}</td>${KINDS.map(k => `<td${cls(k)}>${num(r?.[k])}</td>`).join('')}</tr>`;
      }
    } else {
      const tree = columnTree(table);
      inner = `<table class="district grid" data-table="${esc(table.id)}"><caption>${esc(table.title)}</caption><thead>${columnHeader(tree, [t('name')])}</thead><tbody>`;
      for (const row of table.rows) {
        if (row.role === 'header') { inner += `<tr class="h"><th scope="rowgroup" colspan="${tree.leaves.length + 1}"><span>${esc(row.name)}</span></th></tr>`; continue; }
        const cells = new Map((rowsByCode.get(row.code)?.cells ?? []).map(cell => [cell.column, cell]));
        inner += `<tr data-code="${esc(row.code)}" class="${row.parent ? 'part' : ''}"><th scope="row" class="name"${indent(row)}>${esc(row.name)}${warning(row.code)}</th>${tree.leaves.map(col => {
          const cell = cells.get(col.code);
          if (!cell) return '<td class="absent"></td>';
          return `<td class="n${derivedIn(cell, figure) ? ' derived' : ''}" data-code="${esc(cell.code)}">${num(cell[figure])}${warning(cell.code)}</td>`;
        }).join('')}</tr>`;
      }
    }
    html += scroller(table.title, inner + '</tbody></table>');
  }
  $('#districtTable').innerHTML = html;
  if ($('#figure')) $('#figure').onchange = () => { districtTable(a, catalogue, $('#figure').value); $('#figure').focus(); };
}

// 各单位 3.1 收到申请数占比: every reporter's figure from the one breakdown the district table adds up (one request, not one a
// reporter), largest first, each with its share of the total; a long list shows the first SHARE_TOP and sums the rest as 其他
// (saying how many), as a statistics office charts a share. A reporter that sent no table, or left the cell blank, has no
// figure: shown as —, not as a 0 it never reported (in a long list, counted under the chart).
const SHARE_TOP = 30;
async function chart(catalogueId, period) {
  const box = $('#chart'); // this view's: another period opened meanwhile has a chart of its own
  const r = await api(`/v1/aggregates/${catalogueId}/${period}/breakdown`);
  if (!box?.isConnected || !r.ok) return;
  // The 2014 table's 3.1, a 2021 table's 3.1 in its last column (总计); 3.3.1 where a catalogue has no 3.1.
  const line = code => r.data.lines.filter(l => l.code === code || l.code.startsWith(`${code}:`)).pop();
  const found = line('3.1') ?? line('3.3.1');
  const all = r.data.columns.map((c, i) => ({ id: c.reporter, name: c.name, value: found?.values?.[i] === null || found?.values?.[i] === undefined ? null : Number(found.values[i]) }));
  const given = all.filter(v => v.value !== null).sort((a, b) => b.value - a.value);
  const blank = all.filter(v => v.value === null);
  const sum = given.reduce((x, v) => x + v.value, 0);
  const folded = given.length > SHARE_TOP + 5;
  const shown = folded ? given.slice(0, SHARE_TOP) : given;
  const rest = folded ? given.slice(SHARE_TOP) : [];
  const bars = [...shown, ...(rest.length ? [{ other: rest.length, name: t('shareOther', rest.length), value: rest.reduce((x, v) => x + v.value, 0) }] : []), ...(folded ? [] : blank)];
  // To the scale of the largest reporter: 其他, often most of the total, would otherwise shrink every bar to a line.
  const max = Math.max(1, ...bars.filter(v => !v.other).map(v => v.value ?? 0));
  const share = v => (v.value === null || !sum ? '' : ` <span class="pct">${((100 * v.value) / sum).toFixed(1)}%</span>`);
  box.innerHTML = (given.length ? `<p class="muted" id="shareNote">${esc(folded ? t('shareFolded', given.length, sum, SHARE_TOP, rest.length) : t('shareSorted', given.length, sum))}</p>` : '')
    + bars.map(v => `<div class="share${v.other ? ' other' : ''}" ${v.other ? `data-other="${v.other}"` : `data-reporter="${esc(v.id)}"`}><span class="label">${esc(v.name)}</span>
    <span class="bar" style="width:${Math.min(14, (14 * (v.value ?? 0)) / max)}rem" role="img" aria-label="${esc(v.name)} ${v.value ?? t('noFigure')}"></span> <span class="n">${v.value ?? '—'}</span>${share(v)}</div>`).join('')
    + (folded && blank.length ? `<p class="muted" id="shareBlank">${esc(t('shareBlank', blank.length))}</p>` : '');
}

// The main indicators of each catalogue: codes added up (the 2021 table's 3.1 and 4.x are read in the 总计 column). The
// 2021 table has no count of information disclosed proactively (its table 二 counts rules and documents issued, which is
// not that), so that line stops where the 2014 edition does.
const INDICATORS = {
  'gov-info-disclosure-2014': { disclose: ['1.1'], requests: ['3.1'], review: ['4'], suit: ['5'] },
  'gov-info-disclosure-2021': { requests: ['3.1:total'], review: ['4.1:total'], suit: ['4.2.1:total', '4.2.2:total'] },
};
const INDICATOR_KEYS = ['disclose', 'requests', 'review', 'suit'];

// The main indicators of a catalogue and where they are read: its own table, or, for an edition mapped to a national catalogue
// that has them (Fujian's to the 2014 edition, a format the office loaded with a mapping to 2021's), the district table in
// that national layout (…/as/{national}). Null for a catalogue with neither: its rows are not known to mean any of them.
const indicatorSources = new Map();
function indicatorsOf(c) {
  if (INDICATORS[c.id]) return Promise.resolve({ codes: INDICATORS[c.id], path: y => `/v1/aggregates/${c.id}/${y}` });
  if (!indicatorSources.has(c.id)) indicatorSources.set(c.id, api(`/v1/catalogues/${c.id}`).then(r => {
    const national = r.data?.edition?.national;
    return INDICATORS[national] ? { codes: INDICATORS[national], path: y => `/v1/aggregates/${c.id}/${y}/as/${national}` } : null;
  }));
  return indicatorSources.get(c.id);
}

// The trend runs across editions: each year is read from the catalogue in force that year (the 2014 edition to 2020, the
// 2021 edition from 2021; a format the office loaded for some years, such as 2019's, over the 2014 edition's), so a
// district's first year on a new form still has its last year beside it. A year some reporters sent on another catalogue
// than the one read is said under the table, with how many: their figures are not in it, and a year that looks halved is not.
// A quarter chosen (2015Q3) gives that quarter of each year instead (同比), from the catalogues that take quarters.
async function trend(catalogueId, periodText) {
  const box = $('#trend');
  const now = new Date().getFullYear();
  const typed = typedPeriod(periodText), quarter = /^\d{4}Q[1-4]$/.test(typed) ? typed.slice(4) : '';
  $('#page-trend h2').textContent = quarter ? t('trendQuarter', quarter.slice(1)) : t('trend');
  const span = c => [c.periods.fromYear, Math.min(c.periods.toYear ?? now, now)];
  const covers = (c, y) => span(c)[0] <= y && y <= span(c)[1] && (!quarter || c.periods.granularities.includes('quarter'));
  const title = c => lang === 'zh' ? c.title : c.titleEn;
  const selected = catalogues.find(c => c.id === catalogueId);
  const sources = new Map(await Promise.all(catalogues.map(async c => [c, await indicatorsOf(c)])));
  if (!selected || !sources.get(selected)) { box.innerHTML = `<p>${esc(t('trendUnknown', selected ? title(selected) : catalogueId))}</p>`; return; }
  // In force in a year: of the catalogues with indicators that cover it, the latest to begin, the chosen one first among equals.
  const inForce = y => [...sources.keys()].filter(c => sources.get(c) && covers(c, y))
    .sort((a, b) => b.periods.fromYear - a.periods.fromYear || (b === selected) - (a === selected))[0];
  const first = Math.min(...[...sources.keys()].filter(c => sources.get(c)).map(c => c.periods.fromYear));
  // Every year the catalogues cover is read (the first one's first year to this one), all at once: no endpoint lists the
  // periods with tables, and a district's years may have gaps of any length, each of which a guess would lose. Besides the
  // one in force, the chosen catalogue is read too where it covers the year, and a catalogue without known indicators that
  // begins no earlier (a format loaded without a mapping), to see who sent the year on them; an older edition alongside
  // (Fujian's beside the 2014 edition) is not.
  const reads = [];
  for (let year = first; year <= now; year++) {
    const main = inForce(year);
    if (!main) continue;
    for (const c of catalogues.filter(c => covers(c, year) && (c === main || c === selected || (!sources.get(c) && c.periods.fromYear >= main.periods.fromYear))))
      reads.push({ catalogue: c, year, main: c === main });
  }
  const answers = await Promise.all(reads.map(r => api(sources.get(r.catalogue)?.path(r.year + quarter) ?? `/v1/aggregates/${r.catalogue.id}/${r.year}${quarter}`)));
  const sent = (i) => answers[i]?.ok ? answers[i].data.completeness.reporters.length : 0;
  const figures = new Map(), editionOf = new Map(), elsewhere = [];
  for (const year of new Set(reads.map(r => r.year))) {
    const here = reads.map((r, i) => ({ ...r, i })).filter(r => r.year === year);
    // The catalogue most reporters sent the year on, where that is another with indicators (the chosen one before the rest).
    const chosen = here.filter(r => sources.get(r.catalogue) && sent(r.i) > 0)
      .sort((a, b) => sent(b.i) - sent(a.i) || b.main - a.main)[0];
    for (const r of here) if (r !== chosen && sent(r.i) > 0) elsewhere.push({ year, catalogue: r.catalogue, count: sent(r.i) });
    if (!chosen) continue;
    const data = answers[chosen.i].data, byCode = new Map();
    for (const row of data.rows ?? []) { byCode.set(row.code, row.total); for (const cell of row.cells ?? []) byCode.set(cell.code, cell.total); }
    for (const cell of data.cells ?? []) byCode.set(cell.code, cell.total);
    editionOf.set(year, chosen.catalogue);
    figures.set(year, Object.fromEntries(Object.entries(sources.get(chosen.catalogue).codes).map(([k, codes]) => {
      const given = codes.map(code => byCode.get(code)).filter(v => v !== null && v !== undefined);
      return [k, given.length ? given.reduce((x, y) => x + Number(y), 0) : null];
    })));
  }
  const indicators = INDICATOR_KEYS.filter(k => [...editionOf.values()].some(c => sources.get(c).codes[k]));
  const shown = [...figures.keys()].sort((a, b) => a - b);
  if (!shown.length) { box.innerHTML = `<p>${t('noData')}</p>`; return; }
  const thisYear = shown.includes(Number.parseInt(typed, 10)) ? Number.parseInt(typed, 10) : shown[shown.length - 1];
  const lastYear = thisYear - 1;
  const [thisLabel, lastLabel] = quarter ? [t('thisQuarter'), t('lastYearQuarter')] : [t('thisYear'), t('lastYear')];
  const change = (a, b) => (a === null || b === null || b === undefined ? '' : `${a - b >= 0 ? '+' : ''}${a - b}${b ? `（${(((a - b) / b) * 100).toFixed(1)}%）` : ''}`);
  let html = `<p>${t('chartNote')} <span class="key-this">■</span> ${thisLabel} ${thisYear} <span class="key-last">■</span> ${lastLabel} ${lastYear}</p>`;
  html += `<table id="trendTable"><caption>${thisLabel} ${thisYear} / ${lastLabel} ${lastYear}</caption><thead><tr><th scope="col">${t('indicator')}</th>
    <th scope="col">${lastYear}</th><th scope="col">${thisYear}</th><th scope="col">${t('change')}</th></tr></thead><tbody>${indicators.map(k => {
    const a = figures.get(thisYear)?.[k] ?? null, b = figures.get(lastYear)?.[k] ?? null;
    return `<tr data-indicator="${k}"><th scope="row">${esc(text[lang].ind[k])}</th><td class="n">${num(b)}</td><td class="n">${num(a)}</td><td class="n">${change(a, b)}</td></tr>`;
  }).join('')}</tbody></table>`;
  const charts = indicators.map(k => barChart(k, shown, shown.map(y => figures.get(y)[k] ?? null), thisYear, lastYear)).join('');
  // Which edition each run of years was read from, and what an edition does not count, said under the table.
  const runs = [];
  for (const y of shown) {
    const c = editionOf.get(y), last = runs[runs.length - 1];
    if (last?.catalogue === c) last.to = y; else runs.push({ catalogue: c, from: y, to: y });
  }
  const years = r => (r.from === r.to ? `${r.from}` : `${r.from}–${r.to}`) + (lang === 'zh' ? '年：' : ': ');
  const notes = runs.length > 1 ? [t('trendEditions', runs.map(r => years(r) + title(r.catalogue)).join(lang === 'zh' ? '；' : '; '))] : [];
  for (const r of runs) for (const k of indicators.filter(k => !sources.get(r.catalogue).codes[k])) notes.push(t('trendNotCounted', title(r.catalogue), text[lang].ind[k]));
  for (const e of elsewhere) notes.push(t('trendElsewhere', e.year, e.count, title(e.catalogue)));
  html += notes.map(n => `<p class="muted trend-note">${esc(n)}</p>`).join('');
  box.innerHTML = html.replace('<table id="trendTable">', `<div class="charts">${charts}</div><table id="trendTable">`);
}

// Plain SVG bars: a handful of years per indicator needs no chart library, and the figures are in the table beside it.
function barChart(key, years, values, thisYear, lastYear) {
  const w = 44, h = 120, top = 18, max = Math.max(1, ...values.map(v => v ?? 0));
  const width = years.length * w + 8;
  const label = `${text[lang].ind[key]}: ${years.map((y, i) => `${y} ${num(values[i]) || '—'}`).join(', ')}`;
  const bars = years.map((y, i) => {
    const v = values[i] ?? 0, bh = Math.round((h * v) / max), x = 8 + i * w;
    const cls = y === thisYear ? 'this' : y === lastYear ? 'last' : 'other';
    return `<g><rect class="${cls}" data-year="${y}" x="${x}" y="${top + h - bh}" width="${w - 12}" height="${bh}"><title>${y}: ${num(values[i])}</title></rect>
      <text x="${x + (w - 12) / 2}" y="${top + h - bh - 4}" text-anchor="middle">${num(values[i])}</text>
      <text x="${x + (w - 12) / 2}" y="${top + h + 14}" text-anchor="middle">${y}</text></g>`;
  }).join('');
  return `<figure class="trend" data-indicator="${key}"><figcaption>${esc(text[lang].ind[key])}</figcaption>
    <svg viewBox="0 0 ${width} ${top + h + 20}" width="${width}" height="${top + h + 20}" role="img" aria-label="${esc(label)}">${bars}</svg></figure>`;
}

// reporter: as the overview read it from the registry (id, name, contact).
// A drill answered after another was asked (another reporter, or another period's overview opened and drilled into) draws and
// binds nothing: its section is gone, or holds the later one, whose buttons are its own. Each drill's buttons are found in
// its own section, never in the document (a late one bound another period's 退回 to its revision).
let drillsAsked = 0;
// Set by the overview drawn last: marks a reporter's row and the counts with a review stored below it.
let onReviewed = () => {};
// said: a message for its review box once drawn (why a newer revision was loaded in place of the one shown). Answers the
// latest revision drawn, nothing when it drew none.
async function drill(catalogueId, period, reporter, admin, said) {
  const section = $('#drill');
  if (!section) return;
  const mine = ++drillsAsked;
  const list = await api(`/v1/submissions?reporter=${reporter.id}&catalogue=${catalogueId}&period=${period}`);
  if (mine !== drillsAsked || !section.isConnected) return;
  const items = list.data?.items ?? [];
  const latest = items[items.length - 1];
  const option = (i, selected) => `<option value="${i.id}" ${selected ? 'selected' : ''}>#${i.revision}${officeMark(i)}</option>`;
  section.innerHTML = `<h2 tabindex="-1">${esc(reporter.name)} · ${t('revisions')}</h2>${reporter.contact
    ? `<p id="drillContact">${esc(t('contact'))}${lang === 'zh' ? '：' : ': '}${esc(reporter.contact)}</p>` : ''}<p id="drillRevisions">${items.map(revisionItem).join(comma())}</p>
    ${items.length ? `<label>A <select id="revA">${items.map(i => option(i, false)).join('')}</select></label>
    <label>B <select id="revB">${items.map((i, n) => option(i, n === items.length - 1)).join('')}</select></label>
    <button type="button" id="compare">${t('diff')}</button><table id="diff"></table>` : ''}
    ${latest ? `<div id="review"><h3>${esc(t('reviewOf', latest.revision))}</h3><p id="reviewState">${reviewLabel(latest.review)}${latest.review
      ? ` <span class="muted">${esc(when(latest.review.reviewedAt))}</span>` : ''}${reasonBlock(latest.review)}</p>${admin ? `<p class="noprint">
      <label>${t('reason')}<br><textarea id="reviewComment" rows="3" cols="60" maxlength="1000"></textarea></label><br>
      <button type="button" id="accept">${t('accept')}</button> <button type="button" id="return" class="danger">${t('returnIt')}</button></p>
      <div id="reviewResult" class="msg" role="alert"></div>` : ''}</div>` : ''}`;
  const own = selector => $(selector, section);
  if (admin && latest) {
    const review = async decision => {
      const comment = own('#reviewComment').value.trim();
      if (decision === 'returned' && !comment) { own('#reviewResult').textContent = t('reasonNeeded'); own('#reviewComment').focus(); return; }
      // With the review as this page shows it: one another clerk made meanwhile is refused, not silently overwritten.
      const r = await api(`/v1/submissions/${latest.id}/review`, { method: 'POST', body: { decision, ...(comment ? { comment } : {}), ...expectedReview(latest.review) } });
      // Answered after the person moved on (another period, form or reporter): said on the status line, naming the table,
      // not by drawing this period's overview over the one shown now.
      if (mine !== drillsAsked || !section.isConnected) {
        status(`${reporter.name} · ${periodName(period)} · ${t('reviewOf', latest.revision)} · ${r.ok ? text[lang].rv[decision] : problemText(r, text[lang].reviewProblem)}`);
        return;
      }
      // Reviewed meanwhile by another clerk: the review as it now stands is shown here, in the revisions and in the row, with
      // who decided what; the reason typed stays, for the clerk to send again if the table should still change.
      if (slugOf(r) === 'review-conflict') {
        latest.review = reviewOfConflict(r);
        own('#reviewState').innerHTML = reviewLabel(latest.review) + (latest.review ? ` <span class="muted">${esc(when(latest.review.reviewedAt))}</span>` : '') + reasonBlock(latest.review);
        own('#drillRevisions').innerHTML = items.map(revisionItem).join(comma());
        own('#reviewResult').textContent = problemText(r, text[lang].reviewProblem);
        onReviewed(reporter.id, latest.review);
        return;
      }
      // A newer revision came: it is loaded in place of the one shown, to be reviewed (its row follows), and the clerk told why.
      if (slugOf(r) === 'revision-conflict') {
        const shown = await drill(catalogueId, period, reporter, admin, t('revisionLoaded', r.data?.currentRevision ?? ''));
        // Drawn anew with the button pressed, the review gives the focus to its heading: Tab goes on to the new revision's review.
        $('#drill h2')?.focus({ preventScroll: true });
        if (shown) onReviewed(reporter.id, shown.review ?? null, shown);
        return;
      }
      if (!r.ok) { own('#reviewResult').textContent = problemText(r, text[lang].reviewProblem); return; }
      // The overview's counts and the reporter's row show the new state, and the revisions below it (unless another view
      // was opened while the overview was read).
      // The review as stored, shown here, in the reporter's row and in the counts above: the overview is not read again (hundreds
      // of rows), and the clerk is taken back to the list, to the next table awaiting review (its name, which opens it), else
      // to this reporter's row.
      latest.review = r.data;
      own('#reviewState').innerHTML = `${reviewLabel(r.data)} <span class="muted">${esc(when(r.data.reviewedAt))}</span>${reasonBlock(r.data)}`;
      own('#drillRevisions').innerHTML = items.map(revisionItem).join(comma());
      own('#reviewComment').value = '';
      own('#reviewResult').textContent = '';
      onReviewed(reporter.id, r.data);
      const rows = [...document.querySelectorAll('#overview tr[data-reporter]:not([hidden])')];
      const at = rows.findIndex(tr => tr.dataset.reporter === reporter.id);
      const next = [...rows.slice(at + 1), ...rows.slice(0, Math.max(at, 0))].find(tr => tr.querySelector('td[data-reviewed="pending"]'));
      const target = (next ?? rows[at])?.querySelector('[data-drill]');
      status(t('reviewedNext', reporter.name, latest.revision, text[lang].rv[decision]) + (next ? t('nextPending', target.textContent) : t('noneNext')));
      if (target) { target.focus({ preventScroll: true }); target.closest('tr').scrollIntoView({ block: 'center' }); }
    };
    own('#accept').onclick = () => review('accepted');
    own('#return').onclick = () => review('returned');
  }
  if (said && own('#reviewResult')) own('#reviewResult').textContent = said;
  if (latest) forTheReview(reporter, catalogueId, period, latest);
  if (!items.length) { section.scrollIntoView(); return latest; }
  own('#compare').onclick = async () => {
    const [a, b] = await Promise.all([api(`/v1/submissions/${own('#revA').value}`), api(`/v1/submissions/${own('#revB').value}`)]);
    const va = Object.fromEntries(a.data.values.map(v => [v.code, v.value])), vb = Object.fromEntries(b.data.values.map(v => [v.code, v.value]));
    const codes = [...new Set([...Object.keys(va), ...Object.keys(vb)])].filter(code => va[code] !== vb[code]);
    own('#diff').innerHTML = `<tr><th scope="col">${t('id')}</th><th scope="col">A</th><th scope="col">B</th></tr>` + codes.map(code => `<tr><td>${esc(code)}</td><td class="n">${num(va[code])}</td><td class="n">${num(vb[code])}</td></tr>`).join('');
  };
  section.scrollIntoView();  return latest;
}

// The service's list of figures far from the same reporters' last year (see FAR), as farTable's rows: all reporters', or one's.
async function farFromLastYear(catalogueId, period, reporterId) {
  const r = await api(`/v1/aggregates/${catalogueId}/${period}/far-from-last-year${reporterId ? `?reporters=${encodeURIComponent(reporterId)}` : ''}`);
  return r.ok ? r.data.items.map(i => ({ reporter: i.reporter, quarters: i.source === 'quarters', code: i.code, name: i.name, before: Number(i.yearBefore), now: Number(i.value) })) : [];
}

// The service's list of a year's figures that are not what the same reporters' four quarterly tables give (see QUARTERS), as
// farTable's rows; none for a quarter.
async function differsFromQuarters(catalogueId, period, reporterId) {
  if (String(period).includes('Q')) return [];
  const r = await api(`/v1/aggregates/${catalogueId}/${period}/differs-from-quarters${reporterId ? `?reporters=${encodeURIComponent(reporterId)}` : ''}`);
  return r.ok ? r.data.items.map(i => ({ reporter: i.reporter, code: i.code, name: i.name, before: Number(i.fromQuarters), now: Number(i.value) })) : [];
}

// Whether a catalogue carries balances in from the year before (a row with carriedFrom: 2021's 3.2 上年结转), by id, as the
// overview read it: only then is there a list of balances carried in to ask for.
const carriesIn = new Map();
// The period whose carried-forward a period's balances carried in are set against, as the service's CarriedOver.PeriodBefore:
// the year before for a year or a first quarter (2021 for 2022 and for 2022Q1), the quarter before for a later quarter (2022Q1
// for 2022Q2), whose texts are their own (key + 'Q'): a quarter's balance is not 上年结转 but what the quarter before closed with.
const carriedFrom = period => {
  const later = /^(\d{4})Q([2-4])$/.exec(String(period));
  return later ? { q: 'Q', label: periodName(`${later[1]}Q${later[2] - 1}`) } : { q: '', label: String(Number(String(period).slice(0, 4)) - 1) };
};
// The text of key for the balances carried into period: a later quarter's its own (above).
const carriedText = (key, period, ...args) => t(key + carriedFrom(period).q, ...args);

// The service's list of balances carried in that are not what the same reporters' own tables of last year carried forward (see
// CARRIED), as farTable's rows; none for a catalogue that carries nothing in.
async function differsFromLastYearCarried(catalogueId, period, reporterId) {
  if (!carriesIn.get(catalogueId)) return [];
  const r = await api(`/v1/aggregates/${catalogueId}/${period}/differs-from-last-year-carried${reporterId ? `?reporters=${encodeURIComponent(reporterId)}` : ''}`);
  return r.ok ? r.data.items.map(i => ({ reporter: i.reporter, quarters: i.source === 'quarters', code: i.code, name: i.name, before: Number(i.valueBefore), now: Number(i.value) })) : [];
}

// Above the review's buttons: the reporter's note with the revision under review, and its figures that are far from the
// reporter's last year, not as its quarters give, or balances carried in not as its last year carried forward, so that the
// office reads the one and asks about the others before it accepts the table.
async function forTheReview(reporter, catalogueId, period, latest) {
  const review = $('#review'); // this drill's: a later drill has a review of its own
  const [far, quarters, carried, table] = await Promise.all([farFromLastYear(catalogueId, period, reporter.id), differsFromQuarters(catalogueId, period, reporter.id),
    differsFromLastYearCarried(catalogueId, period, reporter.id), api(`/v1/submissions/${latest.id}`)]);
  if (!table.ok || !review?.isConnected) return;
  if (table.data.note) review.querySelector('h3').insertAdjacentHTML('afterend', `<p id="reviewNote"><strong>${t('noteOf')}</strong><span class="noteText">${esc(table.data.note)}</span></p>`);
  const after = () => review.querySelector('#farFromLastYear') ?? review.querySelector('#reviewNote') ?? review.querySelector('h3');
  if (far.length) after().insertAdjacentHTML('afterend', `<div id="farFromLastYear">
    <p class="notice returned">${esc(t('farTitle', lastYearLabel(period).toLowerCase()))}</p>${farTable(far.map(({ reporter, ...row }) => row), [lastYearLabel(period), t('value')])}</div>`);
  if (quarters.length) after().insertAdjacentHTML('afterend', `<div id="differsFromQuarters">
    <p class="notice returned">${esc(t('quartersTitle'))}</p>${farTable(quarters.map(({ reporter, ...row }) => row), [t('quartersHead'), t('yearHead')])}</div>`);
  const before = carriedFrom(period).label;
  if (carried.length) after().insertAdjacentHTML('afterend', `<div id="differsFromLastYearCarried">
    <p class="notice returned">${esc(carriedText('carriedTitle', period, before))}</p>${farTable(carried.map(({ reporter, quarters, ...row }) => row),
      [carriedText('carriedBefore', period, before), carriedText('carriedNow', period)])}</div>`);
}

// The lists under the overview, of every reporter's figures to check: a short list in one table; a longer one (a district of
// hundreds has thousands of such figures) by reporter, each a <details> with its name (opening its table) and how many, open
// for a reporter with a few, collapsed for one with more.
const GROUP_PAST = 20, OPEN_TO = 3;
function checkList(title, rows, heads, name) {
  const by = new Map();
  for (const r of rows) { if (!by.has(r.reporter)) by.set(r.reporter, []); by.get(r.reporter).push(r); }
  if (rows.length <= GROUP_PAST || by.size < 2) return scroller(title, farTable(rows, heads, name));
  return `<p class="muted group-note">${esc(t('groupedNote', by.size, rows.length))}</p>` + [...by].map(([id, list]) => `<details class="check-group" data-reporter="${esc(id)}"${list.length <= OPEN_TO ? ' open' : ''}>
    <summary><span class="name">${list[0].quarters ? esc(name(id) + t('fromQuarters')) : `<a href="#" data-drill="${esc(id)}">${esc(name(id))}</a>`}</span> <span class="count">${esc(paren(t('groupCount', list.length)))}</span></summary>
    ${scroller(`${title} · ${name(id)}`, farTable(list, heads, name, false))}</details>`).join('');
}

// Every reporter's figures that are far from its own last year, in one list under the overview: the office reviewing fifty
// tables sees where to ask first. Nothing when last year has no table of this edition.
async function farFromLastYearAll(catalogueId, period, name) {
  const box = $('#farAll'); // this view's: another period opened meanwhile has a box of its own
  const far = await farFromLastYear(catalogueId, period);
  if (!far.length || !box?.isConnected) return;
  const title = t('farAllTitle', lastYearLabel(period).toLowerCase());
  box.innerHTML = `<h3>${esc(title)}</h3><p class="muted">${esc(t('farAllHint', lastYearLabel(period).toLowerCase()))}</p>` + checkList(title, far, [lastYearLabel(period), t('value')], name);
}

// Every reporter's year figures that are not what its own four quarterly tables give, in one list under the overview of a year.
async function differsFromQuartersAll(catalogueId, period, name) {
  const box = $('#quartersAll');
  const rows = await differsFromQuarters(catalogueId, period);
  if (!rows.length || !box?.isConnected) return;
  box.innerHTML = `<h3>${esc(t('quartersAllTitle'))}</h3><p class="muted">${esc(t('quartersAllHint'))}</p>`
    + checkList(t('quartersAllTitle'), rows, [t('quartersHead'), t('yearHead')], name);
}

// Every reporter's balances carried in that are not what its own table of last year carried forward, in one list under the
// overview of a catalogue that carries balances in (of a later quarter: not what the quarter before carried forward).
async function differsFromLastYearCarriedAll(catalogueId, period, name) {
  const box = $('#carriedAll');
  const rows = await differsFromLastYearCarried(catalogueId, period);
  if (!rows.length || !box?.isConnected) return;
  const before = carriedFrom(period).label;
  box.innerHTML = `<h3>${esc(carriedText('carriedAllTitle', period))}</h3><p class="muted">${esc(carriedText('carriedAllHint', period, before))}</p>`
    + checkList(carriedText('carriedAllTitle', period), rows, [carriedText('carriedBefore', period, before), carriedText('carriedNow', period)], name);
}

// ---- reporters and keys (admin) ----------------------------------------------------------------------

function adminPanel(root) {
  root.insertAdjacentHTML('beforeend', `<section class="noprint" id="admin" aria-labelledby="adminTitle"><h2 id="adminTitle">${t('tabAdmin')}</h2>
    <fieldset><legend>${t('register')}</legend>
    <form id="newReporter"><label>${t('id')} <input id="rid" required pattern="[a-z0-9-]{2,64}"></label>
    <label>${t('name')} <input id="rname" required></label>
    <label>${t('contact')} <input id="rcontact" maxlength="100" placeholder="${esc(t('contactHint'))}"></label>
    <label>${t('kind')} <select id="rkind">${KINDS.map(k => `<option value="${k}">${kindName(k)}</option>`).join('')}</select></label>
    <button type="submit">${t('register')}</button></form></fieldset>
    <fieldset><legend>${t('bulk')}</legend><p class="muted" id="bulkHint">${esc(t('bulkHint'))}</p>
    <form id="bulkReporters"><label for="bulkText">${t('bulkList')}</label><br><textarea id="bulkText" rows="5" required aria-describedby="bulkHint" placeholder="gushao-town&#9;古邵镇&#9;乡镇街道&#9;王芳 0632-7712345"></textarea>
    <p><button type="submit">${t('bulkGo')}</button></p></form><div id="bulkResult"></div></fieldset>
    <fieldset><legend>${t('rename')}</legend>
    <form id="renameReporter"><label>${t('reporters')} <input id="nid" required list="reporterIds"></label>
    <label>${t('newName')} <input id="nname" required></label>
    <label>${t('contact')} <input id="ncontact" maxlength="100" placeholder="${esc(t('contactHint'))}"></label>
    <button type="submit">${t('rename')}</button></form></fieldset>
    <fieldset><legend>${t('retire')}</legend>
    <form id="retireReporter"><label>${t('reporters')} <input id="tid" required list="reporterIds"></label>
    <label>${t('retireFrom')} <input id="tperiod" required size="8" placeholder="2020"></label>
    <button type="submit">${t('doRetire')}</button></form><p class="muted">${t('retireHint')}</p></fieldset>
    <fieldset><legend>${t('issue')}</legend>
    <form id="newKey"><label>${t('roleCol')} <select id="krole">${['reporter', 'viewer', 'admin'].map(r => `<option value="${r}">${esc(text[lang].role[r])}</option>`).join('')}</select></label>
    <label id="kreporterField">${t('reporters')} <input id="kreporter" required list="reporterIds"></label><datalist id="reporterIds"></datalist>
    <label>${t('keyLabel')} <input id="klabel" maxlength="100" placeholder="${esc(t('keyLabelHint'))}"></label>
    <label>${t('expires')} <input type="date" id="kexpires"></label><button type="submit">${t('issue')}</button></form>
    <div id="issued"></div>
    <p><button type="button" id="keysAll" aria-describedby="keysAllHint">${t('keysAll')}</button> <span class="muted" id="keysAllHint">${esc(t('keysAllHint'))}</span></p>
    <div id="keysAllResult"></div></fieldset>
    <h3>${t('reporters')}</h3><div id="reporterList"></div>
    <h3>${t('keys')}</h3><div id="keyList"></div></section>`);
  $('#newReporter').onsubmit = once(async () => {
    const contact = $('#rcontact').value.trim();
    const r = await api('/v1/reporters', { method: 'POST', body: { id: $('#rid').value.trim(), name: $('#rname').value.trim(), kind: $('#rkind').value, ...(contact ? { contact } : {}) } });
    status(r.ok ? `${t('register')} ✓ ${$('#rid').value}` : problemText(r));
    if (r.ok) { $('#kreporter').value = $('#rid').value.trim(); keyList(); }
  });
  $('#bulkReporters').onsubmit = once(bulkRegister);
  $('#keysAll').onclick = keysForAll;
  // A reporter chosen from the list brings its name and contact as registered, for the clerk to mend rather than type again.
  $('#nid').onchange = () => {
    const known = [...$('#reporterIds').options].find(o => o.value === $('#nid').value.trim());
    if (known) { $('#nname').value = known.textContent; $('#ncontact').value = known.dataset.contact ?? ''; }
  };
  $('#renameReporter').onsubmit = once(async () => {
    const id = $('#nid').value.trim();
    // An emptied contact field removes the contact.
    const r = await api(`/v1/reporters/${encodeURIComponent(id)}`, { method: 'PATCH', body: { name: $('#nname').value.trim(), contact: $('#ncontact').value.trim() || null } });
    status(r.ok ? `${t('rename')} ✓ ${r.data.name}` : r.status === 404 ? t('noReporter', id) : problemText(r));
    if (r.ok) keyList();
  });
  $('#retireReporter').onsubmit = once(async () => {
    const id = $('#tid').value.trim();
    const period = typedPeriod($('#tperiod').value);
    $('#tperiod').value = period;
    const r = await api(`/v1/reporters/${encodeURIComponent(id)}`, { method: 'PATCH', body: { retiredFrom: period } });
    status(r.ok ? t('retired', r.data.name, periodName(r.data.retiredFrom)) : r.status === 404 ? t('noReporter', id) : problemText(r));
    if (r.ok) keyList();
  });
  // A reporter key is for one reporter; an admin key (a clerk's own) must name the clerk, whom the audit log then names.
  $('#krole').onchange = () => {
    const role = $('#krole').value;
    $('#kreporterField').hidden = role !== 'reporter'; $('#kreporter').required = role === 'reporter';
    $('#klabel').required = role === 'admin';
  };
  $('#newKey').onsubmit = once(async () => {
    const label = $('#klabel').value.trim();
    const role = $('#krole').value;
    const r = await api('/v1/keys', { method: 'POST', body: { role, ...(role === 'reporter' ? { reporter: $('#kreporter').value.trim() } : {}), ...(label ? { label } : {}),
      ...expiry() } });
    if (!r.ok) { status(problemText(r)); return; }
    $('#klabel').value = ''; $('#kexpires').value = '';
    showIssued(`${t('link')}:`, r.data.key);
    keyList();
  });
}

// 批量登记: the list the office keeps in Excel, pasted a reporter a line (id, name, kind, contact), each line registered as the
// form above registers one (POST /v1/reporters), in order, with what became of it; one registered before is left as it is.
const KIND_WORDS = { 区政府: 'government', 政府: 'government', 区政府本级: 'government', government: 'government', 区直部门: 'department', 部门: 'department',
  department: 'department', 乡镇街道: 'town', 乡镇: 'town', 街道: 'town', 镇: 'town', 乡: 'town', town: 'town' };
async function bulkRegister() {
  const lines = $('#bulkText').value.split(/\r?\n/).map((text, i) => ({ n: i + 1, text: text.trim() })).filter(l => l.text);
  const results = [];
  for (const { n, text } of lines) {
    const [id = '', name = '', kindWord = '', contact = ''] = text.split(text.includes('\t') ? '\t' : /[,，]/).map(f => f.trim());
    // A heading row copied with the columns is passed over.
    if (['代码', 'id'].includes(id.toLowerCase())) continue;
    const kind = KIND_WORDS[kindWord.toLowerCase()];
    let outcome, ok = false;
    if (!name || !kindWord) outcome = t('bulkFields');
    else if (!kind) outcome = t('bulkKind', kindWord);
    else {
      const r = await api('/v1/reporters', { method: 'POST', body: { id, name, kind, ...(contact ? { contact } : {}) } });
      ok = r.ok;
      // A code registered before is left as it is; a name another reporter has (one of the lines above included) is refused.
      const had = slugOf(r) === 'duplicate-reporter';
      outcome = r.ok ? t('bulkDone') : had ? t('bulkHad') : problemText(r);
      if (had) ok = null;
    }
    results.push({ n, id, name, outcome, ok });
  }
  $('#bulkResult').innerHTML = scroller(t('bulk'), `<table id="bulkTable"><thead><tr><th scope="col" class="short">${t('bulkLine')}</th><th scope="col">${t('id')}</th>
    <th scope="col">${t('name')}</th><th scope="col">${t('status')}</th></tr></thead><tbody>${results.map(r => `<tr data-line="${r.n}" data-ok="${r.ok}">
    <td class="short">${r.n}</td><td>${esc(r.id)}</td><td>${esc(r.name)}</td><td class="${r.ok === false ? 'missing' : 'ok'}">${esc(r.outcome)}</td></tr>`).join('')}</tbody></table>`);
  status(t('bulkSummary', results.filter(r => r.ok).length, results.filter(r => r.ok === null).length, results.filter(r => r.ok === false).length));
  keyList();
}

// The key form's 有效期至 as a key's expiresAt: the key works to the end of the day chosen, in Beijing time; none when empty.
const expiry = () => ($('#kexpires').value ? { expiresAt: `${$('#kexpires').value}T23:59:59+08:00` } : {});
// The link that signs a key in (the key leaves the address bar at once: takeLinkKey).
const signInLink = key => `${location.origin}/#key=${encodeURIComponent(key)}`;
// A key just issued: its sign-in link, shown this once under the key form.
function showIssued(message, key) {
  $('#issued').innerHTML = `<p>${esc(message)}</p><p class="key" id="signinLink">${esc(signInLink(key))}</p>`;
}

// 为尚无密钥的单位各发一个: when a district starts, each reporter needs a key and its sign-in link. Every reporter without a
// valid reporter key gets one, one retired mid-way included (it still owes, and may correct, the periods before its retirement),
// but for one retired from the first period any catalogue has, which reports nothing (reportsNothing) (POST /v1/keys, with the day of the key form's 有效期至 if one is set); the first press
// says how many, the second issues them. The links are listed once, and as a CSV for a mail merge.
async function keysForAll() {
  const button = $('#keysAll');
  const [keys, reporters] = await Promise.all([api('/v1/keys'), api('/v1/reporters')]);
  if (!keys.ok || !reporters.ok) { status(problemText(keys.ok ? reporters : keys)); return; }
  const now = Date.now();
  const keyed = new Set(keys.data.items.filter(k => k.role === 'reporter' && !k.revokedAt && !(k.expiresAt && new Date(k.expiresAt) <= now)).map(k => k.reporter));
  const due = reporters.data.items.filter(r => !reportsNothing(r) && !keyed.has(r.id));
  if (!due.length) { $('#keysAllResult').textContent = t('keysAllNone'); button.dataset.armed = ''; button.textContent = t('keysAll'); return; }
  if (button.dataset.armed !== String(due.length)) {
    button.dataset.armed = String(due.length); button.textContent = t('keysAllConfirm', due.length); button.classList.add('danger'); return;
  }
  button.dataset.armed = ''; button.textContent = t('keysAll'); button.classList.remove('danger'); button.disabled = true;
  const issued = [], failed = [];
  try {
    for (const r of due) {
      const k = await api('/v1/keys', { method: 'POST', body: { role: 'reporter', reporter: r.id, ...expiry() } });
      if (k.ok) issued.push({ ...r, link: signInLink(k.data.key) }); else failed.push(`${r.name}（${problemText(k)}）`);
    }
  } finally { button.disabled = false; }
  const csvField = v => { const s = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v; return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s; };
  const csv = [[t('name'), t('id'), t('contact'), t('link')], ...issued.map(r => [r.name, r.id, r.contact ?? '', r.link])].map(l => l.map(csvField).join(',')).join('\r\n');
  $('#keysAllResult').innerHTML = `<p>${esc(t('keysAllDone', issued.length))}</p>${failed.length ? `<p class="missing">${esc(t('keysAllFailed', failed.join('、')))}</p>` : ''}
    <p><button type="button" id="keysAllCsv">${t('keysAllCsv')}</button></p>${scroller(t('link'), `<table id="keysAllTable"><thead><tr><th scope="col">${t('name')}</th>
    <th scope="col">${t('id')}</th><th scope="col">${t('link')}</th></tr></thead><tbody>${issued.map(r => `<tr data-reporter="${esc(r.id)}"><th scope="row">${esc(r.name)}</th>
    <td>${esc(r.id)}</td><td class="key">${esc(r.link)}</td></tr>`).join('')}</tbody></table>`)}`;
  // With a byte order mark, so that Excel and WPS read the Chinese as the service's own CSV files.
  $('#keysAllCsv').onclick = () => save(new Blob(['\ufeff' + csv], { type: 'text/csv' }), '填报单位登录链接.csv');
  keyList();
}

// A reporter retired from a period that begins on or before the first day of every catalogue's first year (2008, 2008Q1 or
// earlier) has no period to report; one retired later has the periods before its retirement.
function reportsNothing(r) {
  const year = Number(r.retiredFrom?.slice(0, 4));
  const first = Math.min(...catalogues.map(c => c.periods.fromYear));
  return !!r.retiredFrom && (year < first || (year === first && /^\d{4}(Q1)?$/.test(r.retiredFrom)));
}

// Every registered reporter, those merged or discontinued marked with the period they stopped from and a button to undo it.
// Found by name or id, shown by what the office is after (those without a valid key or a contact, those retired), ordered
// by a column; what was typed and chosen stays when the list is drawn again after a change.
const listFilters = { reporters: { typed: '', only: '' }, keys: { typed: '', only: '' } };
function listTools(list, options) {
  const f = listFilters[list];
  return `<p class="filters"><label>${t(list === 'keys' ? 'findKey' : 'find')} <input type="search" id="find-${list}" value="${esc(f.typed)}" autocomplete="off"></label>
    <label>${t('only')} <select id="only-${list}"><option value="">${t('all')}</option>${options.map(([v, label]) => `<option value="${v}" ${v === f.only ? 'selected' : ''}>${esc(label)}</option>`).join('')}</select></label>
    <span id="shown-${list}" aria-live="polite"></span></p>`;
}
function bindListTools(list, table, match) {
  const f = listFilters[list], typedBox = $(`#find-${list}`), onlyBox = $(`#only-${list}`);
  const apply = () => {
    f.typed = typedBox.value; f.only = onlyBox.value;
    const typed = f.typed.trim().toLowerCase();
    filterRows(table, tr => (!typed || tr.dataset.find.toLowerCase().includes(typed)) && (!f.only || match(tr, f.only)), $(`#shown-${list}`));
  };
  typedBox.oninput = apply;
  onlyBox.onchange = apply;
  sortableTable(table);
  apply();
}

function reporterList(items, keyed = new Set()) {
  const box = $('#reporterList');
  box.innerHTML = listTools('reporters', [['reporting', t('reporting')], ['retired', t('retiredOnly')], ['nokey', t('withoutKey')], ['nocontact', t('withoutContact')]])
    + scroller(t('reporters'), `<table id="reporters"><thead><tr><th scope="col" data-sortable>${t('name')}</th><th scope="col" data-sortable>${t('id')}</th><th scope="col" class="short" data-sortable>${t('kind')}</th><th scope="col" data-sortable>${t('contact')}</th>
    <th scope="col" class="short" data-sortable>${t('status')}</th><th scope="col">${t('action')}</th></tr></thead><tbody>${items.map(r => `<tr data-reporter="${esc(r.id)}" data-retired-from="${esc(r.retiredFrom ?? '')}" data-find="${esc(`${r.id} ${r.name}`)}" data-keyed="${keyed.has(r.id)}" data-has-contact="${!!r.contact}">
    <th scope="row">${esc(r.name)}</th><td>${esc(r.id)}</td><td class="short">${esc(kindName(r.kind))}</td><td class="contact">${esc(r.contact ?? '')}</td>
    <td class="short">${r.retiredFrom ? retiredMark(r) : `<span class="ok">${t('reporting')}</span>`}</td>
    <td>${r.retiredFrom ? `<button type="button" data-reinstate="${esc(r.id)}" aria-label="${esc(`${t('reinstate')} ${r.name}`)}">${t('reinstate')}</button>` : ''}</td></tr>`).join('')}</tbody></table>`);
  box.querySelectorAll('[data-reinstate]').forEach(button => {
    button.onclick = async () => {
      const r = await api(`/v1/reporters/${encodeURIComponent(button.dataset.reinstate)}`, { method: 'PATCH', body: { retiredFrom: null } });
      status(r.ok ? t('reinstated', r.data.name) : problemText(r));
      keyList();
    };
  });
  bindListTools('reporters', $('#reporters'), (tr, only) => ({ reporting: !tr.dataset.retiredFrom, retired: !!tr.dataset.retiredFrom, nokey: tr.dataset.keyed === 'false',
    nocontact: tr.dataset.hasContact === 'false' })[only]);
}

// The lists are read again after each change (a tab opened, a reporter registered, a key issued or revoked); only the latest
// reading is drawn, so that one answered late does not draw the lists as they were before a later change.
let keyListsAsked = 0;
async function keyList() {
  const box = $('#keyList');
  if (!box) return;
  const mine = ++keyListsAsked;
  const [keys, reporters] = await Promise.all([api('/v1/keys'), api('/v1/reporters')]);
  if (mine !== keyListsAsked) return;
  const names = Object.fromEntries((reporters.data?.items ?? []).map(r => [r.id, r.name]));
  $('#reporterIds').innerHTML = (reporters.data?.items ?? []).map(r => `<option value="${esc(r.id)}" data-contact="${esc(r.contact ?? '')}">${esc(r.name)}</option>`).join('');
  const now = Date.now();
  const valid = k => !k.revokedAt && !(k.expiresAt && new Date(k.expiresAt) <= now);
  reporterList(reporters.data?.items ?? [], new Set((keys.data?.items ?? []).filter(k => k.role === 'reporter' && valid(k)).map(k => k.reporter)));
  const items = [...(keys.data?.items ?? [])].reverse();
  const state = k => (k.revokedAt ? 'revoked' : valid(k) ? 'active' : 'expired');
  box.innerHTML = listTools('keys', [['active', t('active')], ['expiring', t('expiring')], ['revoked', t('revokedOnly')], ['expired', t('expiredOnly')]])
    + scroller(t('keys'), `<table id="keys"><thead><tr><th scope="col" data-sortable>${t('reporters')}</th><th scope="col" data-sortable>${t('keyLabel')}</th><th scope="col" class="short" data-sortable>${t('roleCol')}</th><th scope="col" data-sortable>${t('created')}</th>
    <th scope="col" class="short" data-sortable>${t('status')}</th><th scope="col" class="short">${t('action')}</th></tr></thead><tbody>${items.map(k => {
    const who = k.reporter ? `${esc(names[k.reporter] ?? k.reporter)} <span class="muted">${esc(k.reporter)}</span>` : '—';
    const expiring = valid(k) && k.expiresAt && new Date(k.expiresAt) - now < 30 * 86400000;
    return `<tr data-key="${esc(k.id)}" data-reporter="${esc(k.reporter ?? '')}" data-revoked="${k.revokedAt ? 'true' : 'false'}" data-state="${state(k)}" data-expiring-soon="${!!expiring}"
      data-find="${esc([k.reporter, names[k.reporter], k.label, text[lang].role[k.role]].filter(Boolean).join(' '))}"><th scope="row">${who}</th>
      <td class="label">${esc(k.label ?? '')}</td><td class="short">${esc(text[lang].role[k.role] ?? k.role)}</td><td data-sort="${esc(k.createdAt)}">${esc(when(k.createdAt))}</td>
      <td class="short" data-expires="${esc(k.expiresAt ?? '')}">${k.revokedAt ? `<span class="missing">${esc(t('revokedAt', when(k.revokedAt)))}</span>`
        : k.expiresAt && new Date(k.expiresAt) <= Date.now() ? `<span class="missing">${esc(t('expiredAt', when(k.expiresAt)))}</span>`
        : `<span class="ok">${t('active')}</span>${k.expiresAt ? ` <span class="muted">${esc(t('until', new Date(k.expiresAt).toLocaleDateString(lang === 'zh' ? 'zh-CN' : 'en-GB', { timeZone: 'Asia/Shanghai' })))}</span>` : ''}${
          k.expiresAt && new Date(k.expiresAt) - Date.now() < 30 * 86400000 ? ` <span class="missing" data-expiring="true">${t('expiring')}</span>` : ''}`}</td>
      <td class="short"><button type="button" data-audit="${esc(k.id)}" aria-label="${esc(`${t('keyAudit')} ${names[k.reporter] ?? k.reporter ?? k.role}${k.label ? ` ${k.label}` : ''}`)}">${t('keyAudit')}</button>
        ${k.revokedAt ? '' : `<button type="button" data-renew="${esc(k.id)}" aria-label="${esc(`${t('renew')} ${names[k.reporter] ?? k.reporter ?? k.role}${k.label ? ` ${k.label}` : ''}`)}">${t('renew')}</button>
        <button type="button" data-revoke="${esc(k.id)}" aria-label="${esc(`${t('revoke')} ${names[k.reporter] ?? k.reporter ?? k.role}${k.label ? ` ${k.label}` : ''}`)}">${t('revoke')}</button>`}</td></tr>`;
  }).join('')}</tbody></table>`);
  bindListTools('keys', $('#keys'), (tr, only) => (only === 'expiring' ? tr.dataset.expiringSoon === 'true' : tr.dataset.state === only));
  box.querySelectorAll('[data-audit]').forEach(button => {
    const k = items.find(i => i.id === button.dataset.audit);
    button.onclick = () => showKeyAudit({ id: k.id, name: [k.label, names[k.reporter] ?? k.reporter, text[lang].role[k.role]].filter(Boolean).join(' · ') });
  });
  // 换发: a new key for the same holder (role, reporter, label), to the day in the key form's 有效期至 if one is set. The old key
  // keeps working until the office revokes it, so that nobody is locked out before the new link has reached them.
  box.querySelectorAll('[data-renew]').forEach(button => {
    button.onclick = async () => {
      const old = items.find(k => k.id === button.dataset.renew);
      const r = await api('/v1/keys', { method: 'POST', body: { role: old.role, ...(old.reporter ? { reporter: old.reporter } : {}), ...(old.label ? { label: old.label } : {}),
        ...expiry() } });
      if (!r.ok) { status(problemText(r)); return; }
      showIssued(t('renewed'), r.data.key);
      $('#issued').scrollIntoView();
      keyList();
    };
  });
  // Revoking takes a second press on the same button, so a slip of the keyboard does not lock a town out.
  box.querySelectorAll('[data-revoke]').forEach(button => {
    button.onclick = async () => {
      if (button.dataset.armed !== 'true') { button.dataset.armed = 'true'; button.textContent = t('confirmRevoke'); button.classList.add('danger'); return; }
      const r = await api(`/v1/keys/${button.dataset.revoke}`, { method: 'DELETE' });
      status(r.ok ? `${t('revoke')} ✓` : problemText(r));
      keyList();
    };
  });
}

// ---- the audit log (admin) ---------------------------------------------------------------------------

// Set by the audit panel: opens it at one key's entries (the key list's 操作记录).
let showKeyAudit = () => {};

// 操作日志: who changed what, newest first, a page at a time; the dates are whole days in the browser's time.
function auditPanel(root) {
  root.innerHTML = `<section id="audit" aria-labelledby="auditTitle"><h2 id="auditTitle">${t('tabAudit')}</h2><p class="muted noprint">${esc(t('auditNote'))}</p>
    <form id="auditForm" class="noprint"><label>${t('auditFrom')} <input type="date" id="auditFrom"></label> <label>${t('auditTo')} <input type="date" id="auditTo"></label>
    <label>${t('reporters')} <select id="auditReporter"><option value="">${t('auditAll')}</option></select></label>
    <button type="submit">${t('auditQuery')}</button> <button type="button" id="auditCsv">${t('csv')}</button></form>
    <p id="auditKey" class="noprint" hidden>${t('auditOnlyKey')} <strong id="auditKeyName"></strong> <button type="button" id="auditAll">${t('auditAll')}</button></p>
    ${scroller(t('auditEntries'), `<table id="auditLog"><thead><tr><th scope="col">${t('auditAt')}</th><th scope="col">${t('auditWho')}</th><th scope="col">${t('auditWhat')}</th>
    <th scope="col">${t('auditResult')}</th><th scope="col" class="wrap">${t('auditDetail')}</th><th scope="col">${t('auditPath')}</th><th scope="col">${t('auditIp')}</th></tr></thead><tbody></tbody></table>`)}
    <p id="auditEmpty" hidden>${esc(t('auditNone'))}</p><p class="noprint"><button type="button" id="auditOlder" hidden>${t('auditOlder')}</button></p></section>`;
  let query = '';
  // The entries of one key, when the key list asked for them (操作记录); 显示全部 lets go of it.
  let onlyKey = null;
  // The reporters' names (and the reporter choice), read as the log is shown or asked again, not for each older page.
  let registered = null;
  const readReporters = () => api('/v1/reporters').then(reporters => {
    const items = reporters.data?.items ?? [], select = $('#auditReporter'), chosen = select.value;
    select.innerHTML = `<option value="">${esc(t('auditAll'))}</option>${items.map(x => `<option value="${esc(x.id)}">${esc(x.name)}</option>`).join('')}`;
    select.value = items.some(x => x.id === chosen) ? chosen : '';
    return Object.fromEntries(items.map(x => [x.id, x.name]));
  });
  const page = async before => {
    if (!before || !registered) registered = readReporters();
    const [names, r] = await Promise.all([registered, api(`/v1/audit?limit=50${query}${keyQuery()}${reporterQuery()}${before ? `&before=${before}` : ''}`)]);
    if (!r.ok) { status(problemText(r)); return; }
    const body = $('#auditLog tbody');
    if (!before) body.innerHTML = '';
    body.insertAdjacentHTML('beforeend', r.data.items.map(e => auditRow(e, names)).join(''));
    $('#auditEmpty').hidden = body.childElementCount > 0;
    const older = $('#auditOlder');
    older.hidden = !r.data.next;
    older.onclick = () => page(r.data.next);
  };
  // The days chosen, from the start of the first to the end of the last.
  const days = () => {
    const day = (value, next) => { const d = new Date(`${value}T00:00`); if (next) d.setDate(d.getDate() + 1); return encodeURIComponent(d.toISOString()); };
    return ($('#auditFrom').value ? `&from=${day($('#auditFrom').value)}` : '') + ($('#auditTo').value ? `&to=${day($('#auditTo').value, true)}` : '');
  };
  const keyQuery = () => (onlyKey ? `&keyId=${onlyKey.id}` : '');
  // The entries of one reporter's keys, when one is chosen.
  const reporterQuery = () => ($('#auditReporter').value ? `&reporter=${encodeURIComponent($('#auditReporter').value)}` : '');
  $('#auditReporter').onchange = () => page(null);
  $('#auditForm').onsubmit = event => {
    event.preventDefault();
    query = days();
    page(null);
  };
  // Every entry of the days chosen (all of them when none is), as Excel and WPS open it.
  $('#auditCsv').onclick = () => download(`/v1/audit?format=csv${days()}${keyQuery()}${reporterQuery()}`);
  $('#auditAll').onclick = () => { onlyKey = null; $('#auditKey').hidden = true; page(null); };
  // Called from the key list: this tab, showing that key's entries.
  showKeyAudit = key => {
    onlyKey = key;
    $('#auditKeyName').textContent = key.name;
    $('#auditKey').hidden = false;
    $('#tab-audit').click();
  };
}

// Who: the key's holder where it was issued with one (and a reporter key's reporter), else its reporter or its role; then the role
// and the end of the key's id.
function auditRow(e, names) {
  const actions = text[lang].auditAction;
  const what = actions[`${e.method} ${e.route}`] ?? (e.method === 'GET' ? actions.GET : `${e.method} ${e.route ?? ''}`);
  // The one entry without a key: an address that reached the limit of wrong keys.
  const role = e.role ? text[lang].role[e.role] ?? e.role : t('noKey');
  const town = e.reporter ? names[e.reporter] ?? e.reporter : null;
  const who = e.holder ? (town ? `${e.holder}（${town}）` : e.holder) : town ?? role;
  const result = e.status < 300 ? `<span class="ok">${t('auditDone')}</span>`
    : e.status === 403 ? `<span class="missing">${t('auditRefused')}</span>`
    : e.status === 401 ? `<span class="missing">${t(e.keyId ? 'auditExpired' : 'auditBlocked')}</span>`
    : `<span class="missing">${esc(t(e.status >= 500 ? 'auditFailed' : 'auditNotDone', e.status))}</span>`;
  // 对象 in words (the reporter's name, the table's heading, whose key) where the service could say it, the path under it, for the ids.
  const target = e.target ? `<span class="target">${esc(e.target)}</span><br><span class="muted path">${esc(e.path)}</span>` : `<span class="muted path">${esc(e.path)}</span>`;
  return `<tr data-entry="${esc(e.id)}" data-status="${e.status}"><td class="short" data-label="${esc(t('auditAt'))}">${esc(when(e.at))}</td>
    <th scope="row" data-label="${esc(t('auditWho'))}">${esc(who)} <span class="muted">${who === role ? '' : `${esc(role)} `}${e.keyId ? `<span title="${esc(e.keyId)}">…${esc(e.keyId.slice(-8))}</span>` : ''}</span></th>
    <td class="short" data-label="${esc(t('auditWhat'))}">${esc(what)}</td><td class="short" data-label="${esc(t('auditResult'))}">${result}</td>
    <td class="wrap" data-label="${esc(t('auditDetail'))}">${esc(e.detail ?? '')}</td><td data-label="${esc(t('auditPath'))}">${target}</td>
    <td class="short" data-label="${esc(t('auditIp'))}">${esc(e.remoteIp ?? '')}</td></tr>`;
}

start();
