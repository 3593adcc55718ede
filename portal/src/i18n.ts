/** The portal's words in Chinese (the default) and English; the choice is kept for the browser. */
export type Lang = 'zh' | 'en';

const WORDS = {
  appTitle: ['售后服务后台', 'After-sales back office'],
  signInTitle: ['登录', 'Sign in'],
  signInHint: ['本地演示：选择一个用户登录。正式环境使用统一身份认证。', 'Local demo: choose a user. On AWS you sign in with Cognito.'],
  signOut: ['退出', 'Sign out'],
  signInAccount: ['使用公司账号登录（需要动态验证码）', 'Sign in with your account (one-time code needed)'],
  signInWithAccount: ['登录', 'Sign in'],
  signInFailed: ['登录没有完成，请重新登录。', 'Sign-in did not complete; please sign in again.'],
  dealer: ['经销商', 'Dealer'],
  warehouse: ['退料接收处', 'Return warehouse'],
  admin: ['售后服务部', 'After-sales admin'],
  finance: ['财务部', 'Finance'],
  period: ['报表月份', 'Month'],
  dealerHint: ['每月 3 日前上传上月的安装和维修报表。有错误的报表整份退回，请按提示修改后重新上传。', 'Upload last month’s installation and repair reports by the 3rd. A report with any mistake is returned whole: fix what is listed and upload it again.'],
  templates: ['空白模板', 'Blank templates'],
  download: ['下载', 'Download'],
  installation: ['安装情况统计', 'Installation report'],
  repair: ['维修情况汇总', 'Repair report'],
  shipments: ['发料记录', 'Parts shipped'],
  returns: ['退料记录', 'Parts returned'],
  chooseFile: ['选择 Excel 文件', 'Choose an Excel file'],
  dropHint: ['或把文件拖到这里（.xlsx，最大 20 MB）', 'or drop it here (.xlsx, up to 20 MB)'],
  progress: ['上传进度', 'Upload progress'],
  uploading: ['正在上传…', 'Uploading…'],
  checking: ['已上传，正在检查…', 'Uploaded; checking…'],
  ledgerRecording: ['正在检查并记账，大文件需要几分钟…', 'Checking and recording; a large file takes a few minutes…'],
  ledgerStillRecording: ['文件仍在处理中，请稍后重新上传同一文件查看结果（已记账的行不会重复记账）', 'Still being processed; upload the same file again later to see the result (lines already recorded are not recorded twice)'],
  stillChecking: ['文件仍在检查中，请稍后在下方“本月上传记录”中查看结果', 'Still being checked; see the result under this month’s uploads later'],
  uploadFailed: ['上传失败，请重试', 'The upload failed; please try again'],
  tooLarge: ['文件超过 20 MB', 'The file is over 20 MB'],
  accepted: ['已接收', 'Accepted'],
  rejected: ['已退回', 'Rejected'],
  superseded: ['已被替换', 'Replaced'],
  writing: ['处理中', 'Processing'],
  version: ['版本', 'Version'],
  records: ['条记录', 'records'],
  recordsHeading: ['记录数', 'Records'],
  late: ['逾期', 'Late'],
  missing: ['缺报（无通过的报表）', 'Missing (none accepted)'],
  due: ['待上传', 'Due'],
  on_time: ['按时', 'On time'],
  errors: ['错误', 'Errors'],
  warnings: ['提示', 'Warnings'],
  errorsCount: ['处错误', 'errors'],
  wholeFile: ['整个文件', 'Whole file'],
  moreInWorkbook: ['其余错误见标注文件。', 'The rest are in the annotated workbook.'],
  downloadAnnotated: ['下载标注错误的文件', 'Download the annotated workbook'],
  history: ['本月上传记录', 'This month’s uploads'],
  deadline: ['截止日期', 'Deadline'],
  noVersions: ['尚未上传', 'Nothing uploaded yet'],
  status: ['状态', 'Status'],
  receivedAt: ['上传时间', 'Received'],
  invoices: ['收费单', 'Fee invoices'],
  invoiceNo: ['编号', 'Number'],
  amount: ['金额', 'Amount'],
  actions: ['操作', 'Actions'],
  search: ['查询', 'Search'],
  invoiceCount: ['张数', 'Invoices'],
  total: ['合计', 'Total'],
  newStatus: ['新状态', 'New status'],
  apply: ['更改状态', 'Change status'],
  draft: ['草稿', 'Draft'],
  issued: ['已开票', 'Issued'],
  archived: ['已归档（暂不开票）', 'Archived'],
  paid: ['已付款', 'Paid'],
  statistics: ['月度统计', 'Month statistics'],
  showStats: ['生成统计', 'Show statistics'],
  computing: ['正在统计…', 'Computing…'],
  installations: ['安装', 'Installations'],
  repairs: ['维修', 'Repairs'],
  outbound: ['出库数量', 'Parts shipped'],
  downloadStats: ['下载统计表', 'Download the statistics workbook'],
  reconciliation: ['用户借料盘点表', 'Borrowed parts reconciliation'],
  reconciliationHint: ['按盘点日期查看每家经销商、每个配件的借出、退回、收费、未到期和盘盈，以及待核查的保修借料。', 'Borrowed, returned, charged, outstanding and surplus per dealer and part as of the reconciliation date, and the warranty loans to check.'],
  asOf: ['盘点日期', 'As of'],
  showReconciliation: ['生成盘点表', 'Show the reconciliation'],
  dealersReconciled: ['经销商', 'Dealers'],
  flaggedLoans: ['待核查借料', 'Loans to check'],
  downloadReconciliation: ['下载盘点表', 'Download the reconciliation workbook'],
  chartLabel: ['各经销商本月安装与维修数量', 'Installations and repairs per dealer this month'],
  recorded: ['条已记录', 'recorded'],
  alreadyRecorded: ['条此前已记录', 'already recorded'],
} as const satisfies Record<string, readonly [string, string]>;

export type Word = keyof typeof WORDS;

let current: Lang = localStorage.getItem('backoffice.lang') === 'en' ? 'en' : 'zh';

export const lang = (): Lang => current;

export function setLang(next: Lang): void {
  current = next;
  localStorage.setItem('backoffice.lang', next);
}

/** A word in the current language; an unknown key (a status the portal does not know yet) is shown as it is. */
export function t(word: Word | string): string {
  const pair = (WORDS as Record<string, readonly [string, string]>)[word];
  return pair === undefined ? word : pair[current === 'zh' ? 0 : 1];
}
