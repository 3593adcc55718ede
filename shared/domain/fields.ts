/**
 * The columns of every upload type, as ../shared/domain.md lists them: the field name used
 * in errors and JSON, the Chinese header, accepted aliases, whether it is required, how its
 * value is read, and the note the template shows above the header.
 */

export type UploadType = 'installation' | 'repair' | 'shipments' | 'returns';
export const REPORT_TYPES = ['installation', 'repair'] as const;
export type ReportType = (typeof REPORT_TYPES)[number];

export type FieldKind =
  | 'text'
  | 'id'
  | 'date'
  | 'datetime'
  | 'integer'
  | 'decimal'
  | 'enum';

export interface EnumOption {
  readonly code: string;
  /** Every spelling accepted for this code besides the code itself (Chinese names first). */
  readonly names: readonly string[];
}

export interface FieldSpec {
  readonly name: string;
  readonly zh: string;
  readonly required: boolean;
  readonly kind: FieldKind;
  /** Extra header spellings, beyond `name` and `zh`. */
  readonly aliases?: readonly string[];
  readonly options?: readonly EnumOption[];
  readonly note: string;
  readonly note_zh: string;
  /** Column width in the template, in characters. */
  readonly width?: number;
}

export const COMMISSIONING: readonly EnumOption[] = [
  { code: 'passed', names: ['合格', 'pass', 'ok'] },
  { code: 'failed', names: ['不合格', 'fail'] },
];

export const CHARGE_CAUSES: readonly EnumOption[] = [
  { code: 'none', names: ['无', '正常', '无收费原因', '-'] },
  { code: 'misuse', names: ['使用不当'] },
  { code: 'self_handling', names: ['自行搬运安装', '自行搬运', '自行安装'] },
  { code: 'unauthorized_repair', names: ['私自维修'] },
  { code: 'unstable_power', names: ['电源电压不稳', '电压不稳'] },
  { code: 'force_majeure', names: ['天灾不可抗力', '不可抗力', '天灾'] },
];

export const SERVICE_TYPES: readonly EnumOption[] = [
  { code: 'repair', names: ['维修'] },
  { code: 'return_visit', names: ['回访', 'return visit'] },
];

export const YES_NO: readonly EnumOption[] = [
  { code: 'yes', names: ['是', 'y', 'true', '已确认'] },
  { code: 'no', names: ['否', 'n', 'false', '未确认'] },
];

export const SATISFACTION: readonly EnumOption[] = [
  { code: 'satisfied', names: ['满意'] },
  { code: 'fairly_satisfied', names: ['基本满意', 'fairly satisfied'] },
  { code: 'dissatisfied', names: ['不满意', 'not satisfied'] },
];

export const SHIPMENT_KINDS: readonly EnumOption[] = [
  { code: 'warranty_loan', names: ['保修借料', '借料'] },
  { code: 'charged', names: ['收费'] },
  { code: 'gift', names: ['赠送品', '赠送'] },
  { code: 'office_supplies', names: ['办公用品'] },
  { code: 'promotional', names: ['宣传资料', '样本', '售后资料', '宣传资料/样本/售后资料'] },
  { code: 'special_approval', names: ['特批'] },
];

const DATE_NOTE = 'Date: an Excel date, 2026-10-03, 2026/10/3 or 2026年10月3日';
const DATE_NOTE_ZH = '日期：Excel 日期，或 2026-10-03、2026/10/3、2026年10月3日';
const DATETIME_NOTE = 'Date and time: 2026-10-03 14:30 (an Excel date-time is fine)';
const DATETIME_NOTE_ZH = '日期时间：2026-10-03 14:30（可用 Excel 日期时间）';

const field = (spec: FieldSpec): FieldSpec => spec;

export const INSTALLATION_FIELDS: readonly FieldSpec[] = [
  field({ name: 'install_id', zh: '安装单号', required: true, kind: 'id', note: 'Unique per report', note_zh: '本报表内唯一', width: 16 }),
  field({ name: 'install_date', zh: '安装日期', required: true, kind: 'date', note: `${DATE_NOTE}; within the report's month`, note_zh: `${DATE_NOTE_ZH}；须在报表月份内`, width: 14 }),
  field({ name: 'owner_name', zh: '业主姓名', required: true, kind: 'text', note: 'Customer name', note_zh: '业主姓名', width: 12 }),
  field({ name: 'phone', zh: '联系电话', required: true, kind: 'id', note: 'Phone number, kept as text', note_zh: '联系电话（按文本保存）', width: 16 }),
  field({ name: 'address', zh: '安装地址', required: true, kind: 'text', aliases: ['地址'], note: 'Installation address', note_zh: '安装地址', width: 30 }),
  field({ name: 'product_model', zh: '产品型号', required: true, kind: 'id', aliases: ['model'], note: 'A model in the product list', note_zh: '须为产品目录中的型号', width: 14 }),
  field({ name: 'serial_no', zh: '产品序列号', required: true, kind: 'id', aliases: ['序列号', 'serial', 'serial_number'], note: 'Serial number, kept as text', note_zh: '产品序列号（按文本保存）', width: 18 }),
  field({ name: 'purchase_date', zh: '购买日期', required: true, kind: 'date', note: `${DATE_NOTE}; not after the install date`, note_zh: `${DATE_NOTE_ZH}；不得晚于安装日期`, width: 14 }),
  field({ name: 'commissioning', zh: '调试结果', required: true, kind: 'enum', options: COMMISSIONING, note: '合格 passed / 不合格 failed', note_zh: '合格 / 不合格', width: 10 }),
  field({ name: 'unboxing_issue', zh: '开箱问题', required: false, kind: 'text', note: 'Optional: damage, missing parts, ...', note_zh: '选填：外观损坏、缺件等', width: 24 }),
  field({ name: 'installer', zh: '安装人员', required: true, kind: 'text', note: 'Who installed it', note_zh: '安装人员姓名', width: 12 }),
  field({ name: 'remarks', zh: '备注', required: false, kind: 'text', note: 'Optional', note_zh: '选填', width: 20 }),
];

export const REPAIR_FIELDS: readonly FieldSpec[] = [
  field({ name: 'repair_id', zh: '维修单号', required: true, kind: 'id', note: 'One repair may take several rows, one per part', note_zh: '一次维修用多个配件时占多行，单号相同', width: 16 }),
  field({ name: 'called_at', zh: '报修时间', required: true, kind: 'datetime', note: DATETIME_NOTE, note_zh: DATETIME_NOTE_ZH, width: 18 }),
  field({ name: 'arrived_at', zh: '到达时间', required: true, kind: 'datetime', note: `${DATETIME_NOTE}; not before the call`, note_zh: `${DATETIME_NOTE_ZH}；不得早于报修时间`, width: 18 }),
  field({ name: 'completed_date', zh: '完成日期', required: true, kind: 'date', note: `${DATE_NOTE}; within the report's month`, note_zh: `${DATE_NOTE_ZH}；须在报表月份内`, width: 14 }),
  field({ name: 'owner_name', zh: '业主姓名', required: true, kind: 'text', note: 'Customer name', note_zh: '业主姓名', width: 12 }),
  field({ name: 'phone', zh: '联系电话', required: true, kind: 'id', note: 'Phone number, kept as text', note_zh: '联系电话（按文本保存）', width: 16 }),
  field({ name: 'address', zh: '地址', required: true, kind: 'text', aliases: ['安装地址'], note: 'Customer address', note_zh: '地址', width: 30 }),
  field({ name: 'product_model', zh: '产品型号', required: true, kind: 'id', aliases: ['model'], note: 'A model in the product list', note_zh: '须为产品目录中的型号', width: 14 }),
  field({ name: 'serial_no', zh: '产品序列号', required: true, kind: 'id', aliases: ['序列号', 'serial', 'serial_number'], note: 'Serial number, kept as text', note_zh: '产品序列号（按文本保存）', width: 18 }),
  field({ name: 'purchase_date', zh: '购买日期', required: true, kind: 'date', note: `${DATE_NOTE}; the warranty counts from it`, note_zh: `${DATE_NOTE_ZH}；保修期自购买日期起算`, width: 14 }),
  field({ name: 'fault_description', zh: '故障描述', required: true, kind: 'text', note: 'What the customer saw', note_zh: '故障现象', width: 24 }),
  field({ name: 'fault_cause', zh: '故障原因', required: true, kind: 'text', note: 'Why it failed', note_zh: '故障原因', width: 20 }),
  field({ name: 'action_taken', zh: '处理措施', required: true, kind: 'text', note: 'What was done', note_zh: '处理措施', width: 20 }),
  field({ name: 'part_code', zh: '配件编码', required: false, kind: 'id', note: 'Optional: a part in the price list', note_zh: '选填：须为配件价目表中的编码', width: 14 }),
  field({ name: 'part_qty', zh: '数量', required: false, kind: 'integer', aliases: ['qty', 'quantity'], note: 'Whole number > 0 when a part is given', note_zh: '填写配件时为正整数', width: 8 }),
  field({ name: 'charge_cause', zh: '收费原因', required: true, kind: 'enum', options: CHARGE_CAUSES, note: 'none, misuse, self_handling, unauthorized_repair, unstable_power, force_majeure (or the Chinese name)', note_zh: '无 / 使用不当 / 自行搬运安装 / 私自维修 / 电源电压不稳 / 天灾不可抗力', width: 14 }),
  field({ name: 'service_type', zh: '服务类型', required: true, kind: 'enum', options: SERVICE_TYPES, note: 'repair 维修 / return visit 回访', note_zh: '维修 / 回访', width: 10 }),
  field({ name: 'customer_confirmed', zh: '用户确认', required: true, kind: 'enum', options: YES_NO, note: '是 yes / 否 no', note_zh: '是 / 否', width: 10 }),
  field({ name: 'satisfaction', zh: '满意度', required: true, kind: 'enum', options: SATISFACTION, note: '满意 / 基本满意 / 不满意', note_zh: '满意 / 基本满意 / 不满意', width: 12 }),
];

export const SHIPMENT_FIELDS: readonly FieldSpec[] = [
  field({ name: 'shipment_id', zh: '发货单号', required: true, kind: 'id', note: 'Several lines may share a shipment id', note_zh: '同一发货单可有多行', width: 16 }),
  field({ name: 'shipped_date', zh: '发货日期', required: true, kind: 'date', note: DATE_NOTE, note_zh: DATE_NOTE_ZH, width: 14 }),
  field({ name: 'dealer_code', zh: '经销商编码', required: true, kind: 'id', note: 'A dealer in the master data', note_zh: '须为经销商名录中的编码', width: 12 }),
  field({ name: 'part_code', zh: '配件编码', required: true, kind: 'id', note: 'A part in the price list', note_zh: '须为配件价目表中的编码', width: 14 }),
  field({ name: 'qty', zh: '数量', required: true, kind: 'integer', aliases: ['quantity'], note: 'Whole number > 0', note_zh: '正整数', width: 8 }),
  field({ name: 'kind', zh: '类型', required: true, kind: 'enum', options: SHIPMENT_KINDS, note: 'warranty_loan, charged, gift, office_supplies, promotional, special_approval (or the Chinese name)', note_zh: '保修借料 / 收费 / 赠送品 / 办公用品 / 宣传资料 / 特批', width: 14 }),
  field({ name: 'return_required', zh: '需退回', required: false, kind: 'enum', options: YES_NO, note: 'For special approvals: 是 yes / 否 no', note_zh: '特批时填写：是 / 否', width: 8 }),
  field({ name: 'repair_id', zh: '关联维修单号', required: false, kind: 'id', note: 'Optional: the repair the part is for', note_zh: '选填：对应的维修单号', width: 16 }),
  field({ name: 'remarks', zh: '备注', required: false, kind: 'text', note: 'Optional', note_zh: '选填', width: 20 }),
];

export const RETURN_FIELDS: readonly FieldSpec[] = [
  field({ name: 'return_id', zh: '退料单号', required: true, kind: 'id', note: 'Several lines may share a return id', note_zh: '同一退料单可有多行', width: 16 }),
  field({ name: 'received_date', zh: '收货日期', required: true, kind: 'date', note: DATE_NOTE, note_zh: DATE_NOTE_ZH, width: 14 }),
  field({ name: 'dealer_code', zh: '经销商编码', required: true, kind: 'id', note: 'A dealer in the master data', note_zh: '须为经销商名录中的编码', width: 12 }),
  field({ name: 'part_code', zh: '配件编码', required: true, kind: 'id', note: 'A part in the price list', note_zh: '须为配件价目表中的编码', width: 14 }),
  field({ name: 'qty', zh: '数量', required: true, kind: 'integer', aliases: ['quantity'], note: 'Whole number > 0', note_zh: '正整数', width: 8 }),
  field({ name: 'condition', zh: '状况', required: false, kind: 'text', note: 'Optional', note_zh: '选填', width: 12 }),
  field({ name: 'remarks', zh: '备注', required: false, kind: 'text', note: 'Optional', note_zh: '选填', width: 20 }),
];

export const DEALER_FIELDS: readonly FieldSpec[] = [
  field({ name: 'dealer_code', zh: '经销商编码', required: true, kind: 'id', note: 'Unique code', note_zh: '唯一编码', width: 12 }),
  field({ name: 'dealer_name', zh: '经销商名称', required: true, kind: 'text', note: 'Name', note_zh: '名称', width: 24 }),
  field({ name: 'region', zh: '区域', required: true, kind: 'text', note: 'Region', note_zh: '区域', width: 10 }),
  field({ name: 'contact', zh: '联系人', required: true, kind: 'text', note: 'Contact person', note_zh: '联系人', width: 10 }),
  field({ name: 'phone', zh: '电话', required: true, kind: 'id', aliases: ['联系电话'], note: 'Phone number', note_zh: '电话', width: 16 }),
  field({ name: 'payment_method', zh: '付款方式', required: true, kind: 'text', note: 'e.g. bank transfer', note_zh: '如：银行转账', width: 12 }),
  field({ name: 'return_window_days', zh: '退料期限天数', required: false, kind: 'integer', note: 'Optional: overrides the default return window', note_zh: '选填：覆盖默认退料期限', width: 12 }),
  field({ name: 'email', zh: '电子邮箱', required: false, kind: 'text', aliases: ['邮箱', 'e-mail'], note: 'Optional: where notices are mailed', note_zh: '选填：通知发送邮箱', width: 24 }),
  field({ name: 'address', zh: '收货地址', required: false, kind: 'text', aliases: ['地址'], note: 'Optional: where parts are sent, printed on the issue slip', note_zh: '选填：发料收货地址，打印在发货单上', width: 30 }),
];

export const PRODUCT_FIELDS: readonly FieldSpec[] = [
  field({ name: 'product_model', zh: '产品型号', required: true, kind: 'id', note: 'Unique model', note_zh: '唯一型号', width: 14 }),
  field({ name: 'product_name', zh: '产品名称', required: true, kind: 'text', note: 'Name', note_zh: '名称', width: 24 }),
  field({ name: 'warranty_months', zh: '保修月数', required: true, kind: 'integer', note: 'Warranty in months, from the purchase date', note_zh: '保修月数，自购买日期起算', width: 10 }),
];

export const PART_FIELDS: readonly FieldSpec[] = [
  field({ name: 'part_code', zh: '配件编码', required: true, kind: 'id', note: 'Part code; one row per price', note_zh: '配件编码；每个价格一行', width: 14 }),
  field({ name: 'part_name', zh: '配件名称', required: true, kind: 'text', note: 'Name', note_zh: '名称', width: 20 }),
  field({ name: 'unit', zh: '单位', required: true, kind: 'text', note: 'e.g. 个, 套', note_zh: '如：个、套', width: 8 }),
  field({ name: 'cost_price', zh: '成本价', required: true, kind: 'decimal', note: 'Yuan, at most two decimals', note_zh: '元，最多两位小数', width: 10 }),
  field({ name: 'valid_from', zh: '生效日期', required: true, kind: 'date', note: DATE_NOTE, note_zh: DATE_NOTE_ZH, width: 14 }),
];

export const UPLOAD_FIELDS: Readonly<Record<UploadType, readonly FieldSpec[]>> = {
  installation: INSTALLATION_FIELDS,
  repair: REPAIR_FIELDS,
  shipments: SHIPMENT_FIELDS,
  returns: RETURN_FIELDS,
};

/** Sheet titles, used by the templates and to find the master-data sheets by name. */
export const UPLOAD_TITLES: Readonly<Record<UploadType | 'dealers' | 'products' | 'parts' | 'complaints' | 'verification-calls', { en: string; zh: string }>> = {
  installation: { en: 'Installation report', zh: '安装情况统计' },
  repair: { en: 'Repair report', zh: '维修情况汇总' },
  shipments: { en: 'Parts shipped', zh: '发料单' },
  returns: { en: 'Parts returned', zh: '退料盘点' },
  dealers: { en: 'dealers', zh: '经销商' },
  products: { en: 'products', zh: '产品' },
  parts: { en: 'parts', zh: '配件' },
  complaints: { en: 'Complaints', zh: '投诉登记' },
  'verification-calls': { en: "Maker's return calls", zh: '厂家回访' },
};

/** Complaint categories (投诉类别) of domain.md, "Complaints and service quality". */
export const COMPLAINT_CATEGORIES: readonly EnumOption[] = [
  { code: 'timeliness', names: ['不及时', '服务不及时'] },
  { code: 'attitude', names: ['服务态度', '态度'] },
  { code: 'repair_quality', names: ['维修质量'] },
  { code: 'product_quality', names: ['产品质量'] },
  { code: 'charges', names: ['收费争议', '收费'] },
  { code: 'other', names: ['其他'] },
];

/** The complaint workbook (投诉登记), kept by the after-sales department. */
export const COMPLAINT_FIELDS: readonly FieldSpec[] = [
  field({ name: 'complaint_id', zh: '投诉单号', required: true, kind: 'id', note: 'Unique; a complaint already recorded is not recorded twice', note_zh: '唯一；已登记的投诉不会重复登记', width: 16 }),
  field({ name: 'received_at', zh: '投诉时间', required: true, kind: 'datetime', note: DATETIME_NOTE, note_zh: DATETIME_NOTE_ZH, width: 18 }),
  field({ name: 'dealer_code', zh: '经销商编码', required: true, kind: 'id', note: 'A dealer in the master data', note_zh: '须为经销商名录中的编码', width: 12 }),
  field({ name: 'customer_name', zh: '客户姓名', required: true, kind: 'text', aliases: ['业主姓名'], note: 'Customer name', note_zh: '客户姓名', width: 12 }),
  field({ name: 'phone', zh: '联系电话', required: true, kind: 'id', note: 'Phone number, kept as text', note_zh: '联系电话（按文本保存）', width: 16 }),
  field({ name: 'product_model', zh: '产品型号', required: false, kind: 'id', aliases: ['model'], note: 'Optional: a model in the product list', note_zh: '选填：须为产品目录中的型号', width: 14 }),
  field({ name: 'serial_no', zh: '产品序列号', required: false, kind: 'id', aliases: ['序列号', 'serial', 'serial_number'], note: 'Optional: with the model', note_zh: '选填：须同时填写产品型号', width: 18 }),
  field({ name: 'category', zh: '投诉类别', required: true, kind: 'enum', options: COMPLAINT_CATEGORIES, note: 'timeliness, attitude, repair_quality, product_quality, charges, other (or the Chinese name)', note_zh: '不及时 / 服务态度 / 维修质量 / 产品质量 / 收费争议 / 其他', width: 12 }),
  field({ name: 'service_fault', zh: '服务责任', required: false, kind: 'enum', options: YES_NO, aliases: ['确属服务责任'], note: "Optional until decided: the service's fault? 是 yes / 否 no", note_zh: '选填，认定后填写：是否确属服务责任：是 / 否', width: 10 }),
  field({ name: 'action_taken', zh: '处理措施', required: false, kind: 'text', note: 'Optional: what was done', note_zh: '选填：处理措施', width: 24 }),
  field({ name: 'first_reply_at', zh: '首次答复时间', required: false, kind: 'datetime', note: `Optional until replied. ${DATETIME_NOTE}; due within 24 hours`, note_zh: `选填，答复后填写。${DATETIME_NOTE_ZH}；须在 24 小时内`, width: 18 }),
  field({ name: 'resolved_at', zh: '解决时间', required: false, kind: 'datetime', note: `Optional. ${DATETIME_NOTE}`, note_zh: `选填。${DATETIME_NOTE_ZH}`, width: 18 }),
  field({ name: 'follow_up_date', zh: '回访日期', required: false, kind: 'date', note: `Optional, after resolution. ${DATE_NOTE}`, note_zh: `选填，解决后回访。${DATE_NOTE_ZH}`, width: 14 }),
  field({ name: 'follow_up_outcome', zh: '回访结果', required: false, kind: 'text', note: 'Optional', note_zh: '选填', width: 20 }),
];

/** The maker's return calls (厂家回访), one row per sampled repair called, kept by the after-sales department. */
export const VERIFICATION_CALL_FIELDS: readonly FieldSpec[] = [
  field({ name: 'dealer_code', zh: '经销商编码', required: true, kind: 'id', note: 'A dealer in the master data', note_zh: '须为经销商名录中的编码', width: 12 }),
  field({ name: 'repair_id', zh: '维修单号', required: true, kind: 'id', note: "A repair of the dealer's current report, in its month's sample", note_zh: '须为该经销商现行维修报表中、当月抽查样本内的维修单', width: 16 }),
  field({ name: 'reached', zh: '是否联系到', required: true, kind: 'enum', options: YES_NO, aliases: ['联系到'], note: 'Customer reached? 是 yes / 否 no', note_zh: '是否联系到用户：是 / 否', width: 10 }),
  field({ name: 'confirmed', zh: '用户确认维修', required: false, kind: 'enum', options: YES_NO, note: 'Optional, only when reached: repair confirmed? 是 yes / 否 no', note_zh: '选填，联系到时填写：用户是否确认维修：是 / 否', width: 12 }),
  field({ name: 'satisfaction', zh: '满意度', required: false, kind: 'enum', options: SATISFACTION, note: 'Optional, only when reached: 满意 / 基本满意 / 不满意', note_zh: '选填，联系到时填写：满意 / 基本满意 / 不满意', width: 12 }),
];
