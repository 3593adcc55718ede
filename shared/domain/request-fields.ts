/**
 * The columns of the material request (需求表) of domain.md, "The spreadsheets dealers and
 * staff upload": Chinese or English headers, the product fields required on repair lines.
 */
import { CHARGE_CAUSES, type EnumOption, type FieldSpec } from './fields.js';

export const REQUEST_PURPOSE_CODES = ['repair', 'office_supplies', 'promotional', 'gift'] as const;
export type RequestPurpose = (typeof REQUEST_PURPOSE_CODES)[number];

export const REQUEST_PURPOSES: readonly EnumOption[] = [
  { code: 'repair', names: ['维修'] },
  { code: 'office_supplies', names: ['办公用品'] },
  { code: 'promotional', names: ['宣传资料', '样本', '售后资料'] },
  { code: 'gift', names: ['赠送品', '赠送'] },
];

const DATE_NOTE = 'Date: an Excel date, 2026-10-03, 2026/10/3 or 2026年10月3日';
const DATE_NOTE_ZH = '日期：Excel 日期，或 2026-10-03、2026/10/3、2026年10月3日';
const FOR_REPAIR = 'Required on repair lines';
const FOR_REPAIR_ZH = '维修用途必填';

export const REQUEST_FIELDS: readonly FieldSpec[] = [
  { name: 'request_id', zh: '申请单号', required: true, kind: 'id', note: 'One request per file; every row carries its id', note_zh: '每个文件一张申请单，各行单号相同', width: 16 },
  { name: 'requested_date', zh: '申请日期', required: true, kind: 'date', note: DATE_NOTE, note_zh: DATE_NOTE_ZH, width: 14 },
  { name: 'part_code', zh: '配件编码', required: true, kind: 'id', note: 'A part in the price list', note_zh: '须为配件价目表中的编码', width: 14 },
  { name: 'qty', zh: '数量', required: true, kind: 'integer', aliases: ['quantity'], note: 'Whole number > 0', note_zh: '正整数', width: 8 },
  { name: 'purpose', zh: '用途', required: true, kind: 'enum', options: REQUEST_PURPOSES, note: 'repair 维修 / office_supplies 办公用品 / promotional 宣传资料 / gift 赠送品', note_zh: '维修 / 办公用品 / 宣传资料 / 赠送品', width: 12 },
  { name: 'product_model', zh: '产品型号', required: false, kind: 'id', aliases: ['model'], note: `${FOR_REPAIR}: a model in the product list`, note_zh: `${FOR_REPAIR_ZH}：须为产品目录中的型号`, width: 14 },
  { name: 'serial_no', zh: '产品序列号', required: false, kind: 'id', aliases: ['序列号', 'serial'], note: `${FOR_REPAIR}, kept as text`, note_zh: `${FOR_REPAIR_ZH}（按文本保存）`, width: 18 },
  { name: 'purchase_date', zh: '购买日期', required: false, kind: 'date', note: `${FOR_REPAIR}: the date the customer states`, note_zh: `${FOR_REPAIR_ZH}：用户申报的购买日期`, width: 14 },
  { name: 'fault_description', zh: '故障描述', required: false, kind: 'text', note: FOR_REPAIR, note_zh: FOR_REPAIR_ZH, width: 24 },
  { name: 'charge_cause', zh: '收费原因', required: false, kind: 'enum', options: CHARGE_CAUSES, note: `${FOR_REPAIR}: none, misuse, self_handling, unauthorized_repair, unstable_power, force_majeure`, note_zh: `${FOR_REPAIR_ZH}：无 / 使用不当 / 自行搬运安装 / 私自维修 / 电源电压不稳 / 天灾不可抗力`, width: 14 },
  { name: 'repair_id', zh: '关联维修单号', required: false, kind: 'id', note: 'Optional: the repair the part is for, as the repair report will name it', note_zh: '选填：对应的维修单号（与维修报表一致）', width: 16 },
  { name: 'remarks', zh: '备注', required: false, kind: 'text', note: 'Optional', note_zh: '选填', width: 20 },
];

/** The fields a repair line must fill in. */
export const REPAIR_LINE_FIELDS = ['product_model', 'serial_no', 'purchase_date', 'fault_description', 'charge_cause'] as const;

export const REQUEST_TITLE = { en: 'Material request', zh: '需求表' } as const;
