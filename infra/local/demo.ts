import type { Dealer, PartPrice, Product } from '../../shared/domain/master.js';

/**
 * Demo master data loaded the first time `npm start` runs on an empty data directory, so a
 * newcomer can upload a filled-in template straight away.
 */
export const DEMO_DEALERS: readonly Dealer[] = [
  { dealer_code: 'D001', dealer_name: '华东卫浴服务中心', region: '华东', contact: '王伟', phone: '13800138001', payment_method: '银行转账', return_window_days: null, email: 'service@d001.dealer.example', address: '上海市浦东新区张江路 88 号' },
  { dealer_code: 'D002', dealer_name: '华南洁具安装服务部', region: '华南', contact: '李娜', phone: '13800138002', payment_method: '银行转账', return_window_days: 45, email: 'service@d002.dealer.example' },
  { dealer_code: 'D003', dealer_name: '西南售后服务站', region: '西南', contact: '张强', phone: '13800138003', payment_method: '现金', return_window_days: null },
];

export const DEMO_PRODUCTS: readonly Product[] = [
  { product_model: 'WC-800', product_name: '智能马桶 800', warranty_months: 24 },
  { product_model: 'BT-1500', product_name: '亚克力浴缸 1500', warranty_months: 36 },
  { product_model: 'FC-200', product_name: '恒温龙头 200', warranty_months: 12 },
];

export const DEMO_PARTS: readonly PartPrice[] = [
  { part_code: 'P-VALVE-01', part_name: '进水阀', unit: '个', cost_price: '32.00', valid_from: '2025-01-01' },
  { part_code: 'P-VALVE-01', part_name: '进水阀', unit: '个', cost_price: '35.50', valid_from: '2026-07-01' },
  { part_code: 'P-SEAL-03', part_name: '密封圈', unit: '个', cost_price: '4.80', valid_from: '2025-01-01' },
  { part_code: 'P-BOARD-02', part_name: '控制主板', unit: '块', cost_price: '268.00', valid_from: '2025-01-01' },
  { part_code: 'P-CART-05', part_name: '恒温阀芯', unit: '个', cost_price: '86.40', valid_from: '2025-01-01' },
];
