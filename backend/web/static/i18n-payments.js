// Points + cash (issue 16): the payment API's error codes in Chinese and English, merged into
// i18n.js's dictionaries (see its "points + cash" section).

export const zhPaymentCodes = {
  PAYMENT_NOT_FOUND: "没有这个支付订单，请检查您收到的支付链接。",
  PAYMENT_NOTICE_INVALID: "支付通知格式不正确（详情中列出字段），请按文档发送完整的通知。",
  PAYMENT_SIGNATURE_INVALID: "该通知不是由支付服务商签名的（须由卡券合约授权的服务商签名），请用服务商密钥签名。",
  PAYMENT_NOTICE_MISMATCH: "该通知与我方支付订单不符（支付单号、购买或金额），请核对订单号和金额。",
  PAYMENT_NOTICE_STALE: "该通知的发送时间超出允许范围，请重新发送一条新通知。",
  PAYMENTS_UNAVAILABLE: "此处不支持积分+现金：本链未部署卡券合约。",
};

export const enPaymentCodes = {
  PAYMENT_NOT_FOUND: "No payment order with this id; check the payment link you were given.",
  PAYMENT_NOTICE_INVALID: "The payment notification is malformed (details name the field); send the notice with every field as documented.",
  PAYMENT_SIGNATURE_INVALID: "The notification is not signed by a payment provider (PROVIDER_ROLE on the VoucherBook); sign it with the provider key.",
  PAYMENT_NOTICE_MISMATCH: "The notification does not match our payment order (payment, purchase or amount); check the order number and the amount.",
  PAYMENT_NOTICE_STALE: "The notification's sentAt is outside the accepted window; send a fresh notification.",
  PAYMENTS_UNAVAILABLE: "Points + cash is not available here: this chain has no VoucherBook deployed.",
};
